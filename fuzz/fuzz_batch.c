/*
 * fuzz_batch.c - libFuzzer target for the batch readers: the bytes read
 * as CSV and as JSON Lines by hj_reader (every record evaluated on every
 * frame, checking that the early-stopping evaluator hj_evaluate_verdict
 * gives hj_evaluate's verdict, and its subsidy when eligible), then
 * summarised from a file by hj_summarize with one thread and with two
 * (the parallel CSV split), which must give the same totals.
 * Build and run: make fuzz (needs clang). $HOJO_RULES as for hojo.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void no_error(void *ud, const hj_error *err)
{
	(void)ud;
	if (!err->message[0])
		abort();
}

static void read_all(hj_rulebook *rb, hj_facts *f, const uint8_t *data, size_t size, hj_format fmt)
{
	FILE *in = fmemopen((void *)data, size ? size : 1, "r");
	if (!in)
		return;
	if (!size)
		fgetc(in); /* fmemopen needs a non-empty buffer: read the one byte */
	hj_reader *rd;
	hj_error err;
	hj_status st = hj_reader_open(rb, in, "fuzz", fmt, &rd, &err);
	fuzz_check_error(st, &err);
	if (st == HJ_OK) {
		for (int n = 0; n < 64; n++) {
			int eof = 0;
			st = hj_reader_next(rd, f, &eof, &err);
			if (eof || st == HJ_ERR_IO || st == HJ_ERR_NOMEM)
				break;
			fuzz_check_error(st, &err);
			if (st != HJ_OK)
				continue;
			for (int i = 0; i < hj_rulebook_nframes(rb); i++) {
				const hj_frame *fr = hj_rulebook_frame(rb, i);
				hj_result a, b;
				hj_status sa = hj_evaluate(rb, f, fr, &a);
				hj_status sb = hj_evaluate_verdict(rb, f, fr, &b);
				if (sa != sb)
					abort();
				if (sa == HJ_OK && a.verdict != b.verdict)
					abort();
				if (sa == HJ_OK && a.verdict == HJ_ELIGIBLE &&
				    (a.subsidy_known != b.subsidy_known || a.subsidy != b.subsidy))
					abort();
			}
		}
		hj_reader_free(rd);
	}
	fclose(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static hj_facts *f;
	static char path[700];
	hj_rulebook *rb = fuzz_rules();
	if (!f && hj_facts_new(rb, &f))
		abort();
	read_all(rb, f, data, size, HJ_FMT_CSV);
	read_all(rb, f, data, size, HJ_FMT_JSONL);

	if (size > 4096)
		return 0;
	if (!path[0])
		snprintf(path, sizeof path, "%s/batch.csv", fuzz_scratch());
	fuzz_write(path, data, size);
	hj_selection sel = { 0 };
	hj_summary s1, s2;
	if (hj_summary_init(rb, &s1))
		return 0;
	if (hj_summary_init(rb, &s2)) {
		hj_summary_free(&s1);
		return 0;
	}
	hj_error e1, e2;
	hj_status st1 = hj_summarize(rb, path, HJ_FMT_CSV, &sel, 1, &s1, no_error, NULL, &e1);
	hj_status st2 = hj_summarize(rb, path, HJ_FMT_CSV, &sel, 2, &s2, no_error, NULL, &e2);
	fuzz_check_error(st1, &e1);
	fuzz_check_error(st2, &e2);
	if (st1 != st2)
		abort();
	if (st1 == HJ_OK) {
		if (s1.records != s2.records || s1.errors != s2.errors ||
		    memcmp(&s1.all, &s2.all, sizeof s1.all))
			abort();
		for (int i = 0; i < hj_rulebook_nframes(rb); i++)
			if (memcmp(&s1.frames[i], &s2.frames[i], sizeof s1.frames[i]))
				abort();
	}
	/* and as JSON Lines (one thread: only CSV is split) */
	st1 = hj_summarize(rb, path, HJ_FMT_JSONL, &sel, 1, &s1, no_error, NULL, &e1);
	fuzz_check_error(st1, &e1);
	hj_summary_free(&s1);
	hj_summary_free(&s2);
	return 0;
}
