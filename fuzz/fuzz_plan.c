/*
 * fuzz_plan.c - libFuzzer target for business plans: the bytes read as an
 * applicant's YAML/JSON input (which carries 'plan:'), and as a plan CSV
 * table (hj_plan_load_csv, from a scratch file). Whatever loads is checked
 * against every frame with plan requirements and rendered as JSON; the
 * CSV plan also with a fixed applicant attached.
 * Build and run: make fuzz (needs clang). $HOJO_RULES as for hojo.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_all(hj_rulebook *rb, hj_facts *f)
{
	static hj_plan_result res[64];
	int n = 0;
	for (int i = 0; i < hj_rulebook_nframes(rb) && n < 64; i++) {
		const hj_frame *fr = hj_rulebook_frame(rb, i);
		if (!hj_frame_nreqs(fr))
			continue;
		hj_error err;
		hj_status st = hj_plan_check(rb, f, fr, &res[n], &err);
		fuzz_check_error(st, &err);
		if (st == HJ_OK)
			n++;
		hj_result r;
		hj_evaluate(rb, f, fr, &r); /* the plan is part of the verdict */
	}
	char *j = hj_plan_json(rb, f, res, n, 0);
	hj_free(j);
}

static const char applicant[] =
	"date: 2024-03-01\n"
	"applicant: {legal_form: company, industry: manufacturing, capital: 1000万円, employees: 25,\n"
	"            prefecture: 東京都}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static hj_facts *f;
	static char path[700];
	hj_rulebook *rb = fuzz_rules();
	if (!f && hj_facts_new(rb, &f))
		abort();
	hj_error err;
	hj_facts_reset(f);
	hj_status st = hj_facts_load_text(f, (const char *)data, size, "fuzz", 1, &err);
	fuzz_check_error(st, &err);
	if (st == HJ_OK && hj_facts_plan(f))
		check_all(rb, f);

	if (!path[0])
		snprintf(path, sizeof path, "%s/plan.csv", fuzz_scratch());
	fuzz_write(path, data, size);
	hj_plan *p;
	st = hj_plan_load_csv(path, &p, &err);
	fuzz_check_error(st, &err);
	if (st == HJ_OK) {
		hj_facts_reset(f);
		if (hj_facts_load_text(f, applicant, sizeof applicant - 1, "applicant", 1, &err))
			abort();
		hj_facts_set_plan(f, p); /* the facts own it now */
		check_all(rb, f);
		hj_facts_reset(f);
	}
	return 0;
}
