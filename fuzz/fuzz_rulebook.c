/*
 * fuzz_rulebook.c - libFuzzer target for the rulebook loader: a copy of
 * the small rulebook tests/unit/rules-mini (made once, in a scratch
 * directory) plus one more file, fuzz.yaml, holding the bytes (an edition,
 * usually: the corpus fuzz/corpus-rulebook has editions, frames and
 * tables). The load must succeed or fail with a message naming where,
 * never crash, hang or leak; when it loads, every frame is evaluated and
 * explained on an empty input and on a full one.
 * Build and run: make fuzz (needs clang). $HOJO_MINI names the base
 * rulebook (default tests/unit/rules-mini).
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[600], extra[700];

static void copy_base(void)
{
	static const char *const files[] = { "rulebook.yaml", "edition.yaml", "sources.yaml" };
	const char *base = getenv("HOJO_MINI") ? getenv("HOJO_MINI") : "tests/unit/rules-mini";
	snprintf(dir, sizeof dir, "%s/rb", fuzz_scratch());
	mkdir(dir, 0700);
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char src[700], dst[700];
		snprintf(src, sizeof src, "%s/%s", base, files[i]);
		snprintf(dst, sizeof dst, "%s/%s", dir, files[i]);
		FILE *in = fopen(src, "rb");
		if (!in)
			abort();
		char buf[65536];
		size_t n = fread(buf, 1, sizeof buf, in);
		fclose(in);
		fuzz_write(dst, buf, n);
	}
	snprintf(extra, sizeof extra, "%s/fuzz.yaml", dir);
}

static const char full_input[] =
	"date: 2030-06-01\n"
	"applicant: {legal_form: company, industry: manufacturing, capital: 1000万円, employees: 12,\n"
	"            certs: {cert: {}}}\n"
	"project: {expenses: 900万円, a: true, b: false, bonus: true, raise: true}\n";

static void exercise(hj_rulebook *rb, hj_facts *f)
{
	for (int i = 0; i < hj_rulebook_nframes(rb); i++) {
		hj_result r;
		if (hj_evaluate(rb, f, hj_rulebook_frame(rb, i), &r) != HJ_OK)
			continue;
		hj_reasons *rs;
		if (hj_explain(rb, f, &r, &rs) == HJ_OK)
			hj_reasons_free(rs);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir[0])
		copy_base();
	fuzz_write(extra, data, size);
	hj_rulebook *rb = NULL;
	hj_error err;
	hj_status st = hj_rulebook_load(dir, &rb, &err);
	fuzz_check_error(st, &err);
	if (st != HJ_OK) {
		if (rb)
			abort(); /* nothing handed back on failure */
		return 0;
	}
	hj_facts *f;
	if (hj_facts_new(rb, &f) == HJ_OK) {
		exercise(rb, f);
		if (hj_facts_load_text(f, full_input, sizeof full_input - 1, "full", 1, &err) == HJ_OK)
			exercise(rb, f);
		hj_facts_free(f);
	}
	hj_rulebook_free(rb);
	return 0;
}
