/*
 * fuzz_expenses.c - libFuzzer target for expense lines: the bytes read as
 * an applicant's YAML/JSON input (with 'expense_lines:'); when it loads
 * with lines, they are checked against every frame (hj_expense_check and
 * hj_expense_apply), and the totals must add up: eligible + refused +
 * pending is the sum of the lines' amounts.
 * Build and run: make fuzz (needs clang). $HOJO_RULES as for hojo.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static hj_facts *f;
	static hj_expense_result res[64];
	hj_rulebook *rb = fuzz_rules();
	if (!f && hj_facts_new(rb, &f))
		abort();
	hj_error err;
	hj_facts_reset(f);
	hj_status st = hj_facts_load_text(f, (const char *)data, size, "fuzz", 1, &err);
	fuzz_check_error(st, &err);
	if (st != HJ_OK || !hj_facts_nlines(f))
		return 0;
	/* the lines' total, when it does not overflow */
	int64_t sum = 0;
	int sum_ok = 1;
	for (int i = 0; i < hj_facts_nlines(f); i++)
		if (__builtin_add_overflow(sum, hj_facts_line(f, i)->amount, &sum))
			sum_ok = 0;
	int n = 0;
	for (int i = 0; i < hj_rulebook_nframes(rb) && n < 64; i++) {
		const hj_frame *fr = hj_rulebook_frame(rb, i);
		st = hj_expense_check(rb, f, fr, &res[n], &err);
		fuzz_check_error(st, &err);
		if (st != HJ_OK)
			continue;
		const hj_expense_result *r = &res[n++];
		int64_t t;
		if (sum_ok && (__builtin_add_overflow(r->eligible_total, r->refused_total, &t) ||
			       __builtin_add_overflow(t, r->pending_total, &t) || t != sum))
			abort();
	}
	char *j = hj_expenses_json(rb, f, res, n, 0);
	hj_free(j);
	/* apply changes the facts: last */
	if (hj_rulebook_nframes(rb)) {
		hj_expense_result r;
		st = hj_expense_apply(rb, f, hj_rulebook_frame(rb, 0), &r, &err);
		fuzz_check_error(st, &err);
	}
	return 0;
}
