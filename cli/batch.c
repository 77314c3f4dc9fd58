/*
 * batch.c - 'hojo batch FILE': many applicants, streaming.
 *
 * Each record (CSV row or JSON line) is read into one reused hj_facts
 * and every selected frame is evaluated; memory does not grow with the
 * file. Without --summary, one JSON line per applicant is written; with
 * --summary, per-frame counts and subsidy totals at the end. A bad
 * record is reported on stderr with its line and skipped; the exit code
 * is then 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "hojo.h"

#define MAX_FRAMES 256

static void print_error(void *ud, const hj_error *err)
{
	long *shown = ud;
	if ((*shown)++ >= 1000)
		return;
	char buf[1200];
	hj_error_format(err, buf, sizeof buf);
	fprintf(stderr, "hojo: 入力エラー: %s\n", buf);
}

/* --summary: counts and totals per frame, computed by hj_summarize. */
static int summary(opts *o, hj_rulebook *rb, hj_format fmt)
{
	int nf = hj_rulebook_nframes(rb);
	hj_tally *t = hj_calloc((size_t)nf, sizeof *t);
	if (!t)
		return EXIT_INTERNAL;
	long records, bad, shown = 0;
	hj_error err;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	const char *env = getenv("HOJO_THREADS");
	if (env && atoi(env) > 0)
		cpus = atoi(env);
	hj_selection sel = o->sel;
	hj_status st = hj_summarize(rb, o->args[0], fmt, &sel, cpus > 0 ? (int)cpus : 1, t, &records, &bad,
				    print_error, &shown, &err);
	if (st) {
		hj_free(t);
		return cli_fail(&err);
	}
	if (o->json) {
		json_t *j = json_object();
		json_object_set_new(j, "rulebook_hash", json_string(hj_rulebook_hash(rb)));
		json_object_set_new(j, "records", json_integer(records));
		json_object_set_new(j, "errors", json_integer(bad));
		json_t *arr = json_array();
		for (int i = 0; i < nf; i++) {
			if (!t[i].count[0] && !t[i].count[1] && !t[i].count[2])
				continue;
			json_array_append_new(arr, json_pack("{s:s,s:I,s:I,s:I,s:I}", "frame",
							     hj_frame_id(hj_rulebook_frame(rb, i)), "eligible",
							     (json_int_t)t[i].count[HJ_ELIGIBLE], "undetermined",
							     (json_int_t)t[i].count[HJ_UNDETERMINED], "ineligible",
							     (json_int_t)t[i].count[HJ_INELIGIBLE], "subsidy_total_yen",
							     (json_int_t)t[i].subsidy));
		}
		json_object_set_new(j, "frames", arr);
		cli_json_out(j, o->pretty);
	} else {
		printf("申請者 %ld 件（エラー %ld 件）  規則集 %.12s\n\n", records, bad, hj_rulebook_hash(rb));
		printf("枠                          対象    要確認    対象外  補助額合計（対象）\n");
		for (int i = 0; i < nf; i++) {
			char c[3][32], s[64];
			if (!t[i].count[0] && !t[i].count[1] && !t[i].count[2])
				continue; /* not in force for any record */
			for (int k = 0; k < 3; k++)
				snprintf(c[k], sizeof c[k], "%ld", t[i].count[2 - k]);
			hj_yen_format(t[i].subsidy, s, sizeof s);
			cli_pad(stdout, hj_frame_id(hj_rulebook_frame(rb, i)), 26);
			cli_rpad(stdout, c[0], 8);
			cli_rpad(stdout, c[1], 10);
			cli_rpad(stdout, c[2], 10);
			cli_rpad(stdout, s, 20);
			putchar('\n');
		}
	}
	hj_free(t);
	return bad ? EXIT_INPUT : EXIT_DONE;
}

int cmd_batch(opts *o, hj_rulebook *rb)
{
	hj_format fmt = HJ_FMT_AUTO;
	if (o->format) {
		if (!strcmp(o->format, "csv"))
			fmt = HJ_FMT_CSV;
		else if (!strcmp(o->format, "jsonl"))
			fmt = HJ_FMT_JSONL;
		else {
			fprintf(stderr, "hojo: 入力エラー: --format は csv か jsonl です\n");
			return EXIT_INPUT;
		}
	}
	int rc = EXIT_DONE;
	if (o->summary) {
		return summary(o, rb, fmt);
	}
	FILE *in = strcmp(o->args[0], "-") ? fopen(o->args[0], "r") : stdin;
	hj_facts *f = NULL;
	hj_reader *rd = NULL;
	hj_error err;
	if (!in) {
		fprintf(stderr, "hojo: 入力エラー: %s: ファイルを開けません\n", o->args[0]);
		rc = EXIT_INPUT;
		goto out;
	}
	if (hj_facts_new(rb, &f) || hj_reader_open(rb, in, o->args[0], fmt, &rd, &err)) {
		rc = EXIT_INTERNAL;
		goto out;
	}
	/* frames to evaluate; with a per-record date the selection is redone per record */
	const hj_frame *frames[MAX_FRAMES];
	int nframes = 0;
	for (int i = 0; i < hj_rulebook_nframes(rb) && nframes < MAX_FRAMES; i++) {
		hj_selection s = o->sel;
		if (!o->date_given)
			s.has_date = 0;
		if (hj_frame_selected(hj_rulebook_frame(rb, i), &s))
			frames[nframes++] = hj_rulebook_frame(rb, i);
	}
	long records = 0, bad = 0;
	static hj_result res[MAX_FRAMES];
	for (;;) {
		int eof;
		hj_status st = hj_reader_next(rd, f, &eof, &err);
		if (eof)
			break;
		if (st) {
			char buf[1200];
			hj_error_format(&err, buf, sizeof buf);
			fprintf(stderr, "hojo: 入力エラー: %s\n", buf);
			bad++;
			if (st == HJ_ERR_IO || st == HJ_ERR_NOMEM || bad > 1000) {
				rc = st == HJ_ERR_INPUT ? EXIT_INPUT : EXIT_INTERNAL;
				if (bad > 1000)
					fprintf(stderr, "hojo: エラーが多すぎるため中止します\n");
				goto out;
			}
			continue;
		}
		records++;
		hj_date d;
		int use_date = o->date_given ? 1 : hj_facts_date(f, &d);
		if (o->date_given)
			d = o->sel.date;
		int n = 0;
		for (int i = 0; i < nframes; i++) {
			if (use_date && !hj_frame_in_force(frames[i], d))
				continue;
			hj_evaluate(rb, f, frames[i], &res[n]);
			n++;
		}
		{
			hj_results_sort(res, n);
			json_t *j = json_object();
			json_object_set_new(j, "line", json_integer(hj_reader_line(rd)));
			json_object_set_new(j, "name", json_string(hj_facts_name(f)));
			json_object_set_new(j, "classification",
					    n && hj_size_class_id(rb, res[0].size_class)
						    ? json_string(hj_size_class_id(rb, res[0].size_class))
						    : json_null());
			json_t *arr = json_array();
			for (int i = 0; i < n; i++) {
				const hj_result *r = &res[i];
				char q[32];
				json_t *x = json_object();
				json_object_set_new(x, "frame", json_string(hj_frame_id(r->frame)));
				json_object_set_new(x, "verdict", json_string(hj_verdict_name(r->verdict)));
				if (r->rate_known) {
					hj_frac_format(r->rate, q, sizeof q);
					json_object_set_new(x, "rate", json_string(q));
				} else
					json_object_set_new(x, "rate", json_null());
				json_object_set_new(x, "cap_yen", r->cap_known ? json_integer(r->cap) : json_null());
				json_object_set_new(x, "subsidy_yen",
						    r->verdict == HJ_ELIGIBLE ? json_integer(r->subsidy) : json_null());
				json_t *m = json_array();
				for (int k = 0; k < r->nmissing; k++)
					json_array_append_new(m, json_string(hj_fact_name(rb, r->missing[k])));
				json_object_set_new(x, "missing_facts", m);
				if (r->raised == HJ_TRUE && hj_frame_nraised_reqs(r->frame)) {
					/* the raised cap is in cap_yen: so are the obligations it brings */
					json_t *rq = json_array();
					for (int k = 0; k < hj_frame_nraised_reqs(r->frame); k++)
						json_array_append_new(
							rq, json_string(hj_frame_req_id(r->frame, hj_frame_raised_req(r->frame, k))));
					json_object_set_new(x, "raised_requirements", rq);
				}
				if (r->nreqs) {
					/* with a plan: its verdict, the requirements failed and unknown */
					json_t *fl = json_array(), *un = json_array();
					for (int k = 0; k < r->nreqs; k++)
						if (r->req[k] != HJ_TRUE)
							json_array_append_new(r->req[k] == HJ_FALSE ? fl : un,
									      json_string(hj_frame_req_id(r->frame, k)));
					json_object_set_new(x, "plan", json_pack("{s:s,s:o,s:o}", "verdict",
										 hj_verdict_name((hj_verdict)r->plan_verdict),
										 "failed", fl, "undetermined", un));
				}
				json_array_append_new(arr, x);
			}
			json_object_set_new(j, "results", arr);
			cli_json_out(j, 0);
		}
	}
	if (bad && !rc)
		rc = EXIT_INPUT;
out:
	hj_reader_free(rd);
	hj_facts_free(f);
	if (in && in != stdin)
		fclose(in);
	return rc;
}
