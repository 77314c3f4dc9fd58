/*
 * test_eval.c - the evaluator's mechanisms, on the synthetic rulebook in
 * tests/unit/rules-mini/ (numbers made up, arithmetic done by hand in the
 * comments): lower limits to the yen, first-match rates with unknowns,
 * a lower limit decided while the rate is unknown, bonuses, employee
 * bands with a raised variant, two tiers on the subsidy, presence facts,
 * classification over a missing legal form, the CSV reader's errors, and
 * parallel summaries equal to sequential ones. Run from the repository root.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "hojo/hojo.h"

static hj_rulebook *rb;
static hj_facts *f;

static int setup(void **state)
{
	(void)state;
	if (unit_load_rules("tests/unit/rules-mini", &rb))
		return -1;
	return hj_facts_new(rb, &f) ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	hj_facts_free(f);
	hj_rulebook_free(rb);
	return 0;
}

/* Load 'yaml' as the applicant and evaluate frame 'id'. */
static hj_result eval(const char *yaml, const char *id)
{
	hj_error err;
	hj_facts_reset(f);
	if (hj_facts_load_text(f, yaml, strlen(yaml), "test", 1, &err))
		fail_msg("input: %s: %s", err.field, err.message);
	const hj_frame *fr = hj_rulebook_find_frame(rb, id);
	assert_non_null(fr);
	hj_result r;
	assert_int_equal(hj_evaluate(rb, f, fr, &r), HJ_OK);
	return r;
}

static int missing_is(const hj_result *r, const char *names)
{
	char buf[256] = "";
	for (int i = 0; i < r->nmissing; i++) {
		strcat(buf, i ? "," : "");
		strcat(buf, hj_fact_name(rb, r->missing[i]));
	}
	if (strcmp(buf, names))
		print_error("missing: got [%s], want [%s]\n", buf, names);
	return !strcmp(buf, names);
}

#define SME "applicant: {legal_form: company, industry: manufacturing, capital: 1000万円, employees: 30}\n"

static void test_lower_limit_to_the_yen(void **state)
{
	(void)state;
	/* 2,000,000 x 1/2 = 1,000,000: exactly the lower limit */
	hj_result r = eval(SME "project: {expenses: 2000000, a: false, b: false, bonus: false}", "flat");
	assert_int_equal(r.verdict, HJ_ELIGIBLE);
	assert_int_equal(r.subsidy, 1000000);
	/* 1,999,999 x 1/2 = 999,999.5 -> 999,999: one yen short */
	r = eval(SME "project: {expenses: 1999999, a: false, b: false, bonus: false}", "flat");
	assert_int_equal(r.verdict, HJ_INELIGIBLE);
	assert_int_equal(r.decided_by, HJ_BY_LOWER_LIMIT);
	assert_int_equal(r.subsidy, 999999);
	assert_int_equal(r.shortfall, 1);
	assert_true(r.expenses_needed_known);
	assert_int_equal(r.expenses_needed, 2000000);
}

static void test_cap_and_bonus(void **state)
{
	(void)state;
	/* 3/4 (b) x 2,000万円 = 1,500万円, capped at 1,000万円 + 30万円 */
	hj_result r = eval(SME "project: {expenses: 2000万円, a: false, b: true, bonus: true}", "flat");
	assert_int_equal(r.verdict, HJ_ELIGIBLE);
	assert_int_equal(r.cap, 10300000);
	assert_int_equal(r.subsidy, 10300000);
	assert_int_equal(r.rate.num, 3);
	assert_int_equal(r.rate.den, 4);
}

static void test_rate_first_match_and_unknowns(void **state)
{
	(void)state;
	/* a true wins before b: 2/3 even though b is unknown */
	hj_result r = eval(SME "project: {expenses: 300万円, a: true, bonus: false}", "flat");
	assert_true(r.rate_known);
	assert_int_equal(r.rate.num, 2);
	assert_int_equal(r.subsidy, 2000000);
	/* a unknown, b true: 2/3 or 3/4 -> unknown, asks for a */
	r = eval(SME "project: {expenses: 300万円, b: true, bonus: false}", "flat");
	assert_false(r.rate_known);
	assert_int_equal(r.verdict, HJ_UNDETERMINED);
	assert_true(missing_is(&r, "a"));
	/* a unknown, b false: 2/3 or 1/2 -> unknown */
	r = eval(SME "project: {expenses: 300万円, b: false, bonus: false}", "flat");
	assert_false(r.rate_known);
	assert_true(missing_is(&r, "a"));
}

/* (E * n) / gcd(E * n, d) fits in 64 bits: hj_frac_mul(E, n/d) succeeds. */
static int frac_fits(int64_t e, int64_t n, int64_t d)
{
	__int128 p = (__int128)e * n, a = p, b = d;
	while (b) {
		__int128 t = a % b;
		a = b;
		b = t;
	}
	return p / a <= INT64_MAX;
}

static int64_t floor_mul(int64_t e, int64_t n, int64_t d)
{
	return (int64_t)((__int128)e * n / d); /* e >= 0 */
}

/*
 * Amounts at the edges of 64 bits, computed here with 128-bit integers:
 * the evaluator's 64-bit fast path (E x rate numerator fits) and its
 * exact fraction path beside it must give the same subsidy, the same
 * verdict and the same overflow. Frame 'flat': cap 1,000万円, lower limit
 * 100万円, rate 1/2, 2/3 when a, 3/4 when b.
 */
static void test_amounts_at_64_bit_edges(void **state)
{
	(void)state;
	static const int64_t es[] = { 0, 1, 1000000, 1499999, 1500000, 1333333, 1333334, 13333333, 15000000,
				      99999999999999, 3074457345618258602, 3074457345618258603,
				      4611686018427387903, 4611686018427387904, 6000000000000000000,
				      9000000000000000001, INT64_MAX };
	const int64_t cap = 10000000, need = 1000000;
	for (size_t i = 0; i < sizeof es / sizeof *es; i++) {
		int64_t e = es[i];
		char yaml[256];
		/* the rate known: 2/3 */
		snprintf(yaml, sizeof yaml, SME "project: {expenses: %lld, a: true, b: false, bonus: false}",
			 (long long)e);
		hj_result r = eval(yaml, "flat");
		int64_t s1 = floor_mul(e, 2, 3) > cap ? cap : floor_mul(e, 2, 3);
		assert_true(r.subsidy_known);
		assert_int_equal(r.subsidy, s1);
		assert_int_equal(r.verdict, s1 < need ? HJ_INELIGIBLE : HJ_ELIGIBLE);
		/* the rate unknown: 2/3 (a) or 3/4 (b) */
		snprintf(yaml, sizeof yaml, SME "project: {expenses: %lld, b: true, bonus: false}", (long long)e);
		hj_error err;
		hj_facts_reset(f);
		if (hj_facts_load_text(f, yaml, strlen(yaml), "test", 1, &err))
			fail_msg("input: %s", err.message);
		hj_status st = hj_evaluate(rb, f, hj_rulebook_find_frame(rb, "flat"), &r);
		int overflow = !frac_fits(e, 2, 3) || !frac_fits(e, 3, 4);
		if (overflow) {
			assert_int_equal(st, HJ_ERR_RANGE);
			assert_int_equal(r.verdict, HJ_UNDETERMINED);
			assert_int_equal(r.decided_by, HJ_BY_ERROR);
			continue;
		}
		assert_int_equal(st, HJ_OK);
		int64_t s2 = floor_mul(e, 3, 4) > cap ? cap : floor_mul(e, 3, 4);
		if (s1 == s2) {
			assert_true(r.subsidy_known);
			assert_int_equal(r.subsidy, s1);
			assert_int_equal(r.verdict, s1 < need ? HJ_INELIGIBLE : HJ_ELIGIBLE);
		} else if (floor_mul(e, 3, 4) < need) {
			assert_int_equal(r.verdict, HJ_INELIGIBLE);
			assert_int_equal(r.decided_by, HJ_BY_LOWER_LIMIT);
			assert_int_equal(r.shortfall, need - floor_mul(e, 3, 4));
		} else {
			assert_false(r.subsidy_known);
			assert_int_equal(r.verdict, HJ_UNDETERMINED);
		}
	}
}

static void test_lower_limit_decides_under_unknown_rate(void **state)
{
	(void)state;
	/* best possible rate 3/4: 1,000,000 x 3/4 = 750,000 < 1,000,000 */
	hj_result r = eval(SME "project: {expenses: 1000000, bonus: false}", "flat");
	assert_false(r.rate_known);
	assert_int_equal(r.verdict, HJ_INELIGIBLE);
	assert_int_equal(r.decided_by, HJ_BY_LOWER_LIMIT);
	assert_int_equal(r.shortfall, 250000);
	/* least E with floor(E x 3/4) >= 1,000,000 is 1,333,334 */
	assert_int_equal(r.expenses_needed, 1333334);
	assert_int_equal(r.nmissing, 0);
}

static void test_unknown_bonus_that_cannot_bind(void **state)
{
	(void)state;
	/* 1/2 x 600万円 = 300万円, far below 1,000万円 with or without the
	 * bonus: the subsidy is decided although the cap is not */
	hj_result r = eval(SME "project: {expenses: 600万円, a: false, b: false}", "flat");
	assert_int_equal(r.verdict, HJ_ELIGIBLE);
	assert_false(r.cap_known);
	assert_int_equal(r.subsidy, 3000000);
	/* 1/2 x 2,100万円 = 1,050万円: the bonus decides -> undetermined */
	r = eval(SME "project: {expenses: 2100万円, a: false, b: false}", "flat");
	assert_int_equal(r.verdict, HJ_UNDETERMINED);
	assert_true(missing_is(&r, "bonus"));
}

static void test_two_tiers(void **state)
{
	(void)state;
	/* rate 1/2 until 100万円 of subsidy (at 200万円 of expenses), then 1/3
	 * until 200万円 (300万円 more expenses, at 500万円), then 1/4:
	 * 1,000万円 -> 100万 + 100万 + 500万 x 1/4 = 3,250,000 */
	hj_result r = eval(SME "project: {expenses: 1000万円}", "tiers");
	assert_int_equal(r.verdict, HJ_ELIGIBLE);
	assert_int_equal(r.cap, 100000000);
	assert_int_equal(r.subsidy, 3250000);
	/* 300万円 -> 100万 + 100万 x 1/3 = 1,333,333.33 -> 1,333,333 */
	r = eval(SME "project: {expenses: 300万円}", "tiers");
	assert_int_equal(r.subsidy, 1333333);
	/* exactly at the first breakpoint */
	r = eval(SME "project: {expenses: 200万円}", "tiers");
	assert_int_equal(r.subsidy, 1000000);
}

static void test_bands_and_raise(void **state)
{
	(void)state;
	/* small (3 <= 20): 2/3, band <= 5: cap 150万円.
	 * 299万円: 2/3 up to 150万円 of expenses (100万 subsidy), then
	 * 149万 x 1/3 = 496,666.67 -> 1,496,666 */
	hj_result r = eval("applicant: {legal_form: company, industry: manufacturing, employees: 3}\n"
			   "project: {expenses: 299万円}",
			   "tiers");
	assert_int_equal(r.rate.num, 2);
	assert_int_equal(r.cap, 1500000);
	assert_int_equal(r.subsidy, 1496666);
	/* the raised band: 160万円 */
	r = eval("applicant: {legal_form: company, industry: manufacturing, employees: 5}\n"
		 "project: {expenses: 1000万円, raise: true}",
		 "tiers");
	assert_int_equal(r.band, 0);
	assert_int_equal(r.cap, 1600000);
	assert_int_equal(r.subsidy, 1600000);
	/* 6 employees: the second band, where raised == base */
	r = eval("applicant: {legal_form: company, industry: manufacturing, employees: 6}\n"
		 "project: {expenses: 1000万円, raise: true}",
		 "tiers");
	assert_int_equal(r.band, 1);
	assert_int_equal(r.cap, 3000000);
	/* employees unknown: band and rate unknown, asks for employees */
	r = eval("applicant: {legal_form: company, industry: manufacturing, capital: 1000万円}\n"
		 "project: {expenses: 1000万円}",
		 "tiers");
	assert_int_equal(r.verdict, HJ_UNDETERMINED);
	assert_true(missing_is(&r, "employees"));
}

static void test_presence(void **state)
{
	(void)state;
	hj_result r = eval(SME, "presence");
	assert_int_equal(r.verdict, HJ_UNDETERMINED);
	assert_true(missing_is(&r, "expenses,cert.held"));
	r = eval("applicant: {certs: {}}\nproject: {expenses: 1000万円}", "presence");
	assert_int_equal(r.verdict, HJ_INELIGIBLE);
	r = eval("applicant: {certs: {cert: {}}}\nproject: {expenses: 1000万円}", "presence");
	assert_int_equal(r.verdict, HJ_ELIGIBLE);
	r = eval("applicant: {certs: {cert: true}}\nproject: {expenses: 1000万円}", "presence");
	assert_int_equal(r.verdict, HJ_ELIGIBLE);
}

static void test_classification_over_missing_legal_form(void **state)
{
	(void)state;
	/* retail, 3 employees: company/sole -> small, npo -> sme, other -> large */
	hj_result r = eval("applicant: {industry: retail, employees: 3}", "flat");
	assert_int_equal(r.size_class, -1);
	/* manufacturing, 1000 employees, capital 20億円: large for every form */
	r = eval("applicant: {industry: manufacturing, employees: 1000, capital: 20億円}", "flat");
	assert_int_equal(r.size_class, 3);
	assert_int_equal(r.verdict, HJ_INELIGIBLE);
}

static void test_input_errors(void **state)
{
	(void)state;
	hj_error err;
	hj_facts_reset(f);
	const char *bad = "applicant:\n  employees: 3.5\n";
	assert_int_equal(hj_facts_load_text(f, bad, strlen(bad), "x.yaml", 1, &err), HJ_ERR_INPUT);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.field, "applicant.employees");
	const char *unk = "project:\n  expenses: 1万円\n  expenes: 2万円\n";
	assert_int_equal(hj_facts_load_text(f, unk, strlen(unk), "x.yaml", 1, &err), HJ_ERR_INPUT);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.col, 3);
	assert_non_null(strstr(err.message, "未知の項目 'project.expenes'"));
}

static void test_csv_reader(void **state)
{
	(void)state;
	const char *csv = "legal_form,employees,expenses,name\n"
			  "company,3,\"1,000万円\",ok\n"
			  "company,three,100万円,bad\n"
			  "company,4,200万円,ok2\n";
	FILE *in = fmemopen((void *)csv, strlen(csv), "r");
	hj_reader *rd;
	hj_error err;
	assert_int_equal(hj_reader_open(rb, in, "m.csv", HJ_FMT_CSV, &rd, &err), HJ_OK);
	int eof;
	assert_int_equal(hj_reader_next(rd, f, &eof, &err), HJ_OK);
	assert_string_equal(hj_facts_name(f), "ok");
	char v[64];
	hj_facts_value_text(f, hj_rulebook_fact_index(rb, "expenses"), v, sizeof v);
	assert_string_equal(v, "1,000万円");
	assert_int_equal(hj_reader_next(rd, f, &eof, &err), HJ_ERR_INPUT);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.col, 2);
	assert_string_equal(err.field, "employees");
	assert_int_equal(hj_reader_next(rd, f, &eof, &err), HJ_OK);
	assert_string_equal(hj_facts_name(f), "ok2");
	assert_int_equal(hj_reader_line(rd), 4);
	assert_int_equal(hj_reader_next(rd, f, &eof, &err), HJ_OK);
	assert_true(eof);
	hj_reader_free(rd);
	fclose(in);

	const char *badhead = "legal_form,employes\ncompany,3\n";
	in = fmemopen((void *)badhead, strlen(badhead), "r");
	assert_int_equal(hj_reader_open(rb, in, "h.csv", HJ_FMT_CSV, &rd, &err), HJ_OK);
	assert_int_equal(hj_reader_next(rd, f, &eof, &err), HJ_ERR_INPUT);
	assert_int_equal(err.line, 1);
	assert_int_equal(err.col, 2);
	assert_non_null(strstr(err.message, "employes"));
	hj_reader_free(rd);
	fclose(in);
}

/* issue 8 part 3: a column map, the record key 'id', extra columns
 * skipped on request; a refused header stops the reading */
static void test_csv_column_map(void **state)
{
	(void)state;
	const char *csv = "no,社員数,expenses,memo\nA1,3,100万円,x\n";
	static const char *const map[] = { "社員数=employees", "no=id" };
	hj_columns cols = { map, 2, 1 };
	FILE *in = fmemopen((void *)csv, strlen(csv), "r");
	hj_reader *rd;
	hj_error err;
	int eof;
	assert_int_equal(hj_reader_open(rb, in, "c.csv", HJ_FMT_CSV, &rd, &err), HJ_OK);
	assert_int_equal(hj_reader_set_columns(rd, &cols, &err), HJ_OK);
	assert_int_equal(hj_reader_next(rd, f, &eof, &err), HJ_OK);
	assert_string_equal(hj_facts_id(f), "A1");
	char v[64];
	hj_facts_value_text(f, hj_rulebook_fact_index(rb, "employees"), v, sizeof v);
	assert_string_equal(v, "3");
	hj_reader_free(rd);
	fclose(in);
	/* without ignore_extra: 'memo' (column 4) refused, once; then no rows */
	cols.ignore_extra = 0;
	in = fmemopen((void *)csv, strlen(csv), "r");
	assert_int_equal(hj_reader_open(rb, in, "c.csv", HJ_FMT_CSV, &rd, &err), HJ_OK);
	assert_int_equal(hj_reader_set_columns(rd, &cols, &err), HJ_OK);
	assert_int_equal(hj_reader_next(rd, f, &eof, &err), HJ_ERR_INPUT);
	assert_int_equal(err.line, 1);
	assert_int_equal(err.col, 4);
	assert_string_equal(err.field, "memo");
	assert_int_equal(hj_reader_next(rd, f, &eof, &err), HJ_OK);
	assert_true(eof);
	/* a map onto no fact is refused, naming the entry */
	static const char *const bad[] = { "社員数=employes" };
	hj_columns bc = { bad, 1, 0 };
	assert_int_equal(hj_reader_set_columns(rd, &bc, &err), HJ_ERR_INPUT);
	assert_non_null(strstr(err.message, "社員数=employes"));
	hj_reader_free(rd);
	fclose(in);
}

static void test_parallel_summary_equals_sequential(void **state)
{
	(void)state;
	char path[] = "/tmp/hojo-sum-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *fp = fdopen(fd, "w");
	fprintf(fp, "legal_form,industry,capital,employees,expenses,a,b,bonus\n");
	unsigned x = 12345;
	for (int i = 0; i < 40000; i++) {
		x = x * 1103515245u + 12345u;
		fprintf(fp, "%s,%s,%u万円,%u,%u,%s,%s,%s\n", (x >> 8) % 5 ? "company" : "npo",
			(x >> 12) % 2 ? "retail" : "manufacturing", 100 + (x >> 4) % 40000, (x >> 3) % 120,
			500000 + (x >> 2) % 30000000, (x >> 5) % 2 ? "true" : "false",
			(x >> 6) % 3 ? "true" : "false", (x >> 7) % 2 ? "true" : "");
	}
	fprintf(fp, "company,retail,1万円,x,1,true,true,true\n"); /* one bad row */
	fclose(fp);
	int n = hj_rulebook_nframes(rb);
	hj_summary s1, s2;
	assert_int_equal(hj_summary_init(rb, &s1), HJ_OK);
	assert_int_equal(hj_summary_init(rb, &s2), HJ_OK);
	hj_error err;
	assert_int_equal(hj_summarize(rb, path, HJ_FMT_CSV, NULL, 1, &s1, NULL, NULL, &err), HJ_OK);
	assert_int_equal(hj_summarize(rb, path, HJ_FMT_CSV, NULL, 2, &s2, NULL, NULL, &err), HJ_OK);
	assert_int_equal(s1.records, 40000);
	assert_int_equal(s1.errors, 1);
	assert_int_equal(s2.records, s1.records);
	assert_int_equal(s2.errors, s1.errors);
	long total = 0, best = 0;
	long long best_sum = 0, frame_sum = 0;
	for (int i = 0; i < n; i++) {
		for (int v = 0; v < 3; v++) {
			assert_int_equal(s1.frames[i].count[v], s2.frames[i].count[v]);
			total += s1.frames[i].count[v];
		}
		assert_int_equal(s1.frames[i].subsidy, s2.frames[i].subsidy);
		assert_int_equal(s1.frames[i].best, s2.frames[i].best);
		assert_int_equal(s1.frames[i].best_subsidy, s2.frames[i].best_subsidy);
		best += s1.frames[i].best;
		best_sum += s1.frames[i].best_subsidy;
		frame_sum += s1.frames[i].subsidy;
	}
	assert_int_equal(total, 40000L * n);
	/* each applicant once: the best frames add up to the applicants
	 * eligible somewhere, and never to more than the per-frame sums */
	assert_int_equal(best, s1.all.eligible);
	assert_int_equal(best_sum, s1.all.best_total);
	assert_true(best_sum <= frame_sum);
	assert_int_equal(s1.all.applicants, 40000);
	assert_int_equal(s1.all.eligible + s1.all.undetermined + s1.all.ineligible + s1.all.none_in_force, 40000);
	assert_int_equal(s1.all.best_total, s2.all.best_total);
	long ind = 0, siz = 0;
	for (int i = 0; i <= s1.nindustries; i++) {
		assert_int_equal(s1.industry[i].eligible, s2.industry[i].eligible);
		assert_int_equal(s1.industry[i].best_total, s2.industry[i].best_total);
		ind += s1.industry[i].applicants;
	}
	for (int i = 0; i <= s1.nsizes; i++) {
		assert_int_equal(s1.size[i].eligible, s2.size[i].eligible);
		assert_int_equal(s1.size[i].best_total, s2.size[i].best_total);
		siz += s1.size[i].applicants;
	}
	assert_int_equal(ind, 40000);
	assert_int_equal(siz, 40000);
	hj_summary_free(&s1);
	hj_summary_free(&s2);
	remove(path);
}

/* A 5-year plan checked on frame 'growth': 付加価値額 with 'va5' in the
 * fifth year (base 1億: 営業利益 3,000万 + 人件費 6,000万 + 減価償却費
 * 1,000万), 給与支給総額 from 'w0' to 'w5'. */
static void plan_check(const char *va5_op, const char *w0, const char *w5, hj_plan_result *pr)
{
	char yaml[2048];
	snprintf(yaml, sizeof yaml,
		 SME "plan:\n  years:\n"
		 "    - {year_end: 2020-03-31, operating_profit: 30000000, labor_cost: 60000000, depreciation: 10000000, total_wages: %s}\n"
		 "    - {year_end: 2021-03-31, operating_profit: 30000000, labor_cost: 60000000, depreciation: 10000000, total_wages: %s}\n"
		 "    - {year_end: 2022-03-31, operating_profit: 30000000, labor_cost: 60000000, depreciation: 10000000, total_wages: %s}\n"
		 "    - {year_end: 2023-03-31, operating_profit: 30000000, labor_cost: 60000000, depreciation: 10000000, total_wages: %s}\n"
		 "    - {year_end: 2024-03-31, operating_profit: 30000000, labor_cost: 60000000, depreciation: 10000000, total_wages: %s}\n"
		 "    - {year_end: 2025-03-31, operating_profit: %s, labor_cost: 60000000, depreciation: 10000000, total_wages: %s}\n",
		 w0, w0, w0, w0, w0, va5_op, w5);
	hj_error err;
	hj_facts_reset(f);
	if (hj_facts_load_text(f, yaml, strlen(yaml), "test", 1, &err))
		fail_msg("input: %s: %s", err.field, err.message);
	assert_int_equal(hj_plan_check(rb, f, hj_rulebook_find_frame(rb, "growth"), pr, &err), HJ_OK);
	assert_int_equal(pr->nreqs, 2);
}

static void test_growth_simple_and_compound_exact(void **state)
{
	(void)state;
	hj_plan_result pr;
	/* simple 1.5% over 5 years: 1億 x (1 + 0.015 x 5) = 107,500,000;
	 * compound: 9e17 x (203/200)^5 = 969,555,603,495,937,500 exactly (the
	 * products 9e17 x 200^5 = 2.88 x 10^29 need more than 64 bits) */
	plan_check("37500000", "900000000000000000", "969555603495937500", &pr);
	assert_int_equal(pr.reqs[0].result, HJ_TRUE);
	assert_int_equal(pr.reqs[1].result, HJ_TRUE);
	assert_int_equal(pr.verdict, HJ_ELIGIBLE);
	/* one yen short on each: the fix is the exact least value, 1円 more */
	plan_check("37499999", "900000000000000000", "969555603495937499", &pr);
	assert_int_equal(pr.reqs[0].result, HJ_FALSE);
	assert_int_equal(pr.reqs[1].result, HJ_FALSE);
	assert_string_equal(pr.reqs[0].fix, "5年後の付加価値額を 107,500,000円 以上に（あと 1円）");
	assert_string_equal(pr.reqs[1].fix, "5年後の給与支給総額を 969,555,603,495,937,500円 以上に（あと 1円）");
	/* compound from 5,000万 over 5 years: 5,000万 x 1.015^5 = 5,000万 x
	 * 1.077284003884375 =
	 * 53,864,200.194...: ceil 53,864,201; the simple reading would ask only
	 * 5,000万 x 1.075 = 53,750,000 */
	plan_check("37500000", "50000000", "53750000", &pr);
	assert_int_equal(pr.reqs[1].result, HJ_FALSE);
	assert_string_equal(pr.reqs[1].fix, "5年後の給与支給総額を 53,864,201円 以上に（あと 114,201円）");
	plan_check("37500000", "50000000", "53864201", &pr);
	assert_int_equal(pr.reqs[1].result, HJ_TRUE);
	/* a base at or below zero: a decline fails, the fix is not a decline */
	plan_check("37500000", "0", "0", &pr);
	assert_int_equal(pr.reqs[1].result, HJ_FALSE);
	assert_non_null(strstr(pr.reqs[1].fix, "基準年度の 0円 より多く"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lower_limit_to_the_yen),
		cmocka_unit_test(test_growth_simple_and_compound_exact),
		cmocka_unit_test(test_cap_and_bonus),
		cmocka_unit_test(test_rate_first_match_and_unknowns),
		cmocka_unit_test(test_lower_limit_decides_under_unknown_rate),
		cmocka_unit_test(test_amounts_at_64_bit_edges),
		cmocka_unit_test(test_unknown_bonus_that_cannot_bind),
		cmocka_unit_test(test_two_tiers),
		cmocka_unit_test(test_bands_and_raise),
		cmocka_unit_test(test_presence),
		cmocka_unit_test(test_classification_over_missing_legal_form),
		cmocka_unit_test(test_input_errors),
		cmocka_unit_test(test_csv_reader),
		cmocka_unit_test(test_csv_column_map),
		cmocka_unit_test(test_parallel_summary_equals_sequential),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
