/*
 * test_after.c - the after-adoption engine (lib/after.c) on the shipped
 * rulebook (rules/), with values computed by hand from the sources:
 * the project period (交付決定 + 6 months, seed 001:889, clamped to the
 * month's end), the report schedule (3 yearly reports from FY2022 and a
 * fourth for some, seed 001:890; one per plan year after completion for
 * ものづくり R2), the rules document, the claim check at the 遡及適用
 * boundary (seed 001:881), a settlement's floor at 2/3, a report's
 * contradiction, and an edition without 'after:'. Run from the repository
 * root.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "unit.h"
#include "hojo/hojo.h"
#include "hojo/after.h"
#include "hojo/alloc.h"

static hj_rulebook *rb;

static int setup(void **state)
{
	(void)state;
	return unit_load_rules("rules", &rb);
}

static int teardown(void **state)
{
	(void)state;
	hj_rulebook_free(rb);
	return 0;
}

static const hj_frame *frame(const char *id)
{
	const hj_frame *f = hj_rulebook_find_frame(rb, id);
	assert_non_null(f);
	return f;
}

static hj_date day(const char *s)
{
	hj_date d;
	assert_int_equal(hj_date_parse(s, strlen(s), &d, NULL), HJ_OK);
	return d;
}

static json_t *parsed(char *s)
{
	assert_non_null(s);
	json_t *j = json_loads(s, 0, NULL);
	hj_free(s);
	assert_non_null(j);
	return j;
}

static void period_from_rules(void **state)
{
	(void)state;
	hj_date end;
	char b[16];
	hj_error err;
	/* 2021-06-15 + 6 months = 2021-12-15 (seed 001:889) */
	assert_int_equal(hj_project_period(rb, frame("it-2021-c"), day("2021-06-15"), 0, 0, &end, &err), HJ_OK);
	hj_date_format(end, b, sizeof b);
	assert_string_equal(b, "2021-12-15");
	/* 2021-08-31 + 6 months: February has no 31st, so its last day */
	assert_int_equal(hj_project_period(rb, frame("it-2021-a"), day("2021-08-31"), 0, 0, &end, &err), HJ_OK);
	hj_date_format(end, b, sizeof b);
	assert_string_equal(b, "2022-02-28");
	/* staff's end wins, but not before 交付決定 */
	assert_int_equal(hj_project_period(rb, frame("it-2021-a"), day("2021-08-31"), 1, day("2021-10-31"), &end, &err),
			 HJ_OK);
	assert_int_equal(end, day("2021-10-31"));
	assert_int_equal(hj_project_period(rb, frame("it-2021-a"), day("2021-08-31"), 1, day("2021-08-30"), &end, &err),
			 HJ_ERR_INPUT);
	assert_string_equal(err.field, "period_end");
	/* ものづくり R2: the rules give no length (要確認) */
	assert_int_equal(hj_project_period(rb, frame("mono-r2-tsujo"), day("2021-06-01"), 0, 0, &end, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "period_end");
	assert_non_null(strstr(err.message, "要確認"));
}

static void schedule_it_2021(void **state)
{
	(void)state;
	char *s;
	hj_error err;
	assert_int_equal(hj_report_schedule_json(rb, frame("it-2021-c"), day("2021-12-01"), &s, &err), HJ_OK);
	json_t *j = parsed(s);
	json_t *r = json_object_get(j, "reports");
	/* 3 reports FY2022-2024 + the 4th for some (FY2025), seed 001:890 */
	assert_int_equal(json_array_size(r), 4);
	json_t *first = json_array_get(r, 0), *last = json_array_get(r, 3);
	assert_int_equal(json_integer_value(json_object_get(first, "fiscal_year")), 2022);
	assert_string_equal(json_string_value(json_object_get(first, "fiscal_year_end")), "2023-03-31");
	/* due: the year's end + 3 months, a secretariat setting */
	assert_string_equal(json_string_value(json_object_get(first, "due")), "2023-06-30");
	assert_true(json_is_true(json_object_get(first, "due_setting")));
	assert_true(json_is_false(json_object_get(first, "extra")));
	assert_int_equal(json_integer_value(json_object_get(last, "fiscal_year")), 2025);
	assert_true(json_is_true(json_object_get(last, "extra")));
	assert_string_equal(json_string_value(json_object_get(last, "source")), "seed 001:890");
	json_decref(j);
}

static void schedule_plan_years(void **state)
{
	(void)state;
	char *s = NULL;
	hj_error err;
	/* count: plan without the plan's length is an input error */
	assert_int_equal(hj_report_schedule_json(rb, frame("mono-r2-tsujo"), day("2021-11-30"), &s, &err), HJ_ERR_INPUT);
	assert_null(s);
	assert_string_equal(err.field, "plan_years");
	/* completed in FY2021 (2021-11-30): reports for FY2022, 2023, 2024 */
	assert_int_equal(hj_report_schedule_plan_json(rb, frame("mono-r2-tsujo"), day("2021-11-30"), 3, &s, &err), HJ_OK);
	json_t *j = parsed(s);
	json_t *r = json_object_get(j, "reports");
	assert_int_equal(json_array_size(r), 3);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(r, 0), "fiscal_year")), 2022);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(r, 2), "fiscal_year")), 2024);
	json_decref(j);
	/* completed on 2022-03-31 (still FY2021) and 2022-04-01 (FY2022) */
	assert_int_equal(hj_report_schedule_plan_json(rb, frame("mono-r2-tsujo"), day("2022-04-01"), 3, &s, &err), HJ_OK);
	j = parsed(s);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(j, "reports"), 0), "fiscal_year")),
			 2023);
	json_decref(j);
	assert_int_equal(hj_report_schedule_plan_json(rb, frame("mono-r2-tsujo"), day("2022-03-31"), 3, &s, &err), HJ_OK);
	j = parsed(s);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(j, "reports"), 0), "fiscal_year")),
			 2022);
	json_decref(j);
}

static const hj_edition *edition(const char *id)
{
	for (int p = 0; p < hj_rulebook_nprograms(rb); p++)
		for (int k = 0; k < hj_program_neditions(hj_rulebook_program(rb, p)); k++)
			if (!strcmp(hj_edition_id(hj_program_edition(hj_rulebook_program(rb, p), k)), id))
				return hj_program_edition(hj_rulebook_program(rb, p), k);
	fail_msg("no edition %s", id);
	return NULL;
}

static void rules_document(void **state)
{
	(void)state;
	char *s;
	hj_error err;
	assert_true(hj_edition_has_after(edition("it-2021")));
	assert_false(hj_edition_has_after(edition("mono-r5")));
	assert_int_equal(hj_after_rules_json(rb, edition("it-2021"), &s, &err), HJ_OK);
	json_t *j = parsed(s);
	json_t *r = json_array_get(json_object_get(j, "retroactive"), 0);
	assert_string_equal(json_string_value(json_object_get(r, "from")), "2021-01-08");
	assert_int_equal(json_array_size(json_object_get(r, "frames")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "project_period"), "months")), 6);
	assert_true(json_is_true(json_object_get(json_object_get(j, "consequences"), "none_encoded")));
	json_t *o = json_array_get(json_object_get(j, "outcomes"), 0);
	assert_string_equal(json_string_value(json_object_get(o, "kind")), "aggregate_productivity_growth");
	assert_string_equal(json_string_value(json_object_get(json_object_get(o, "target"), "annual")), "3%");
	json_decref(j);
	/* mono-h30: the NPO's 経営力向上計画 due by 交付決定 as an expression */
	assert_int_equal(hj_after_rules_json(rb, edition("mono-h30"), &s, &err), HJ_OK);
	j = parsed(s);
	json_t *d = json_array_get(json_object_get(j, "due_by_grant"), 0);
	assert_string_equal(json_string_value(json_object_get(d, "id")), "npo_keieiryoku");
	assert_non_null(json_string_value(json_object_get(d, "when")));
	json_decref(j);
	/* an edition without after: says so */
	assert_int_equal(hj_after_rules_json(rb, edition("mono-r5"), &s, &err), HJ_OK);
	j = parsed(s);
	assert_true(json_is_false(json_object_get(j, "has_after")));
	assert_int_equal(json_array_size(json_object_get(j, "outcomes")), 0);
	json_decref(j);
}

static const char it_app[] =
	"{\"date\":\"2021-05-01\",\"applicant\":{\"legal_form\":\"company\",\"industry\":\"manufacturing\","
	"\"capital\":\"1000万円\",\"employees\":30},\"project\":{\"it\":{\"registered_tool\":true,"
	"\"vendor_partnership\":true,\"non_face_to_face\":true,\"linked_software\":true,\"cloud\":true,"
	"\"processes\":[\"P-01\",\"P-02\"]}}}";

static void claim_retroactive_boundary(void **state)
{
	(void)state;
	/* contracts on 2021-01-08 count (seed 001:881), on 2021-01-07 not */
	const char in[] = "{\"granted_on\":\"2021-06-15\",\"lines\":["
			  "{\"category\":\"software\",\"amount\":2400000,\"contract_date\":\"2021-01-08\",\"date\":\"2021-05-10\"},"
			  "{\"category\":\"software\",\"amount\":500000,\"contract_date\":\"2021-01-07\",\"date\":\"2021-04-01\"}]}";
	char *s;
	hj_error err;
	assert_int_equal(hj_claim_check_json(rb, frame("it-2021-c"), it_app, strlen(it_app), in, strlen(in), &s, &err),
			 HJ_OK);
	json_t *j = parsed(s);
	json_t *l = json_object_get(j, "lines");
	assert_true(json_is_true(json_object_get(json_array_get(l, 0), "ok")));
	assert_true(json_is_true(json_object_get(json_array_get(l, 0), "retroactive")));
	assert_true(json_is_false(json_object_get(json_array_get(l, 1), "ok")));
	assert_true(json_is_false(json_object_get(j, "ok")));
	json_decref(j);
	/* the same lines on A類型: no 遡及適用 there */
	assert_int_equal(hj_claim_check_json(rb, frame("it-2021-a"), it_app, strlen(it_app), in, strlen(in), &s, &err),
			 HJ_OK);
	j = parsed(s);
	assert_true(json_is_false(json_object_get(json_array_get(json_object_get(j, "lines"), 0), "ok")));
	json_decref(j);
}

static void settle_floor_two_thirds(void **state)
{
	(void)state;
	/* C類型 2/3: 1,000,001 x 2/3 = 666,667.33 -> 666,667 (>= 下限30万);
	 * min(交付決定額 700,000, 666,667) = 666,667 */
	const char in[] = "{\"granted\":700000,\"granted_on\":\"2021-06-15\",\"lines\":["
			  "{\"category\":\"software\",\"amount\":1000001,\"date\":\"2021-07-01\",\"decision\":\"accept\"}]}";
	char *s;
	hj_error err;
	assert_int_equal(hj_settle_json(rb, frame("it-2021-c"), it_app, strlen(it_app), in, strlen(in), &s, &err), HJ_OK);
	json_t *j = parsed(s);
	assert_int_equal(json_integer_value(json_object_get(j, "evaluated")), 666667);
	assert_int_equal(json_integer_value(json_object_get(j, "settled")), 666667);
	assert_string_equal(json_string_value(json_object_get(j, "capped_by")), "rate");
	json_decref(j);
	/* 交付決定額 600,000 below it: settled 600,000, capped by the grant */
	const char in2[] = "{\"granted\":600000,\"granted_on\":\"2021-06-15\",\"lines\":["
			   "{\"category\":\"software\",\"amount\":1000001,\"date\":\"2021-07-01\",\"decision\":\"accept\"}]}";
	assert_int_equal(hj_settle_json(rb, frame("it-2021-c"), it_app, strlen(it_app), in2, strlen(in2), &s, &err), HJ_OK);
	j = parsed(s);
	assert_int_equal(json_integer_value(json_object_get(j, "settled")), 600000);
	assert_string_equal(json_string_value(json_object_get(j, "capped_by")), "granted");
	json_decref(j);
	/* not JSON: an input error, nothing allocated */
	s = NULL;
	assert_int_equal(hj_settle_json(rb, frame("it-2021-c"), it_app, strlen(it_app), "{", 1, &s, &err), HJ_ERR_INPUT);
	assert_null(s);
}

static void report_contradiction(void **state)
{
	(void)state;
	const char plan[] = "{\"years\":["
			    "{\"year_end\":\"2021-03-31\",\"operating_profit\":1000,\"labor_cost\":5000,\"depreciation\":100,\"total_wages\":4000},"
			    "{\"year_end\":\"2022-03-31\",\"operating_profit\":1100,\"labor_cost\":5100,\"depreciation\":100,\"total_wages\":4100}]}";
	const char rep[] = "{\"year\":1,\"fiscal_year_end\":\"2022-03-31\",\"operating_profit\":1100,\"labor_cost\":3000,"
			   "\"depreciation\":100,\"total_wages\":4100}";
	char *s = NULL;
	hj_error err;
	assert_int_equal(hj_report_compare_json(rb, frame("mono-r2-tsujo"), plan, strlen(plan), rep, strlen(rep), &s, &err),
			 HJ_ERR_INPUT);
	assert_null(s);
	assert_string_equal(err.field, "報告/1年目/人件費");
	/* base 付加価値額 1000 + 5000 + 100 = 6,100; year 1 at 6,283 = 6,100 x 1.03 exactly: met, gap 0
	 * (final year of a 1-year plan); 給与 4,100 vs 4,000 x 1.015 = 4,060: gap 40 */
	const char ok[] = "{\"year\":1,\"fiscal_year_end\":\"2022-03-31\",\"operating_profit\":1183,\"labor_cost\":5000,"
			  "\"depreciation\":100,\"total_wages\":4100}";
	assert_int_equal(hj_report_compare_json(rb, frame("mono-r2-tsujo"), plan, strlen(plan), ok, strlen(ok), &s, &err),
			 HJ_OK);
	json_t *j = parsed(s);
	json_t *r = json_object_get(j, "requirements");
	json_t *va = json_array_get(r, 0), *w = json_array_get(r, 1);
	assert_string_equal(json_string_value(json_object_get(va, "id")), "value_added");
	assert_string_equal(json_string_value(json_object_get(va, "status")), "met");
	assert_int_equal(json_integer_value(json_object_get(va, "target")), 6283);
	assert_int_equal(json_integer_value(json_object_get(va, "gap")), 0);
	assert_int_equal(json_integer_value(json_object_get(w, "target")), 4060);
	assert_int_equal(json_integer_value(json_object_get(w, "gap")), 40);
	json_decref(j);
}

static void outcomes_without_after(void **state)
{
	(void)state;
	char *s;
	hj_error err;
	const char in[] = "{\"grantees\":[]}";
	assert_int_equal(hj_outcomes_json(rb, edition("mono-r5"), in, strlen(in), &s, &err), HJ_OK);
	json_t *j = parsed(s);
	assert_int_equal(json_array_size(json_object_get(j, "outcomes")), 0);
	assert_non_null(json_string_value(json_object_get(j, "note")));
	json_decref(j);
	s = NULL;
	assert_int_equal(hj_outcomes_json(rb, edition("mono-r2"), "{\"grantees\":{}}", 15, &s, &err), HJ_ERR_INPUT);
	assert_null(s);
	assert_string_equal(err.field, "grantees");
}

static void due_by_grant(void **state)
{
	(void)state;
	char *s;
	hj_error err;
	/* mono-h30: an NPO must hold 経営力向上計画 by 交付決定 (seed 003:99-100) */
	const char npo_no[] = "{\"date\":\"2019-06-01\",\"applicant\":{\"legal_form\":\"npo\",\"sme_confirmed\":true,"
			      "\"employees\":10,\"npo\":{\"profit_business\":true,\"certified\":false},\"certifications\":{}},"
			      "\"project\":{\"expenses\":\"1,000万円\"}}";
	const char npo_yes[] = "{\"date\":\"2019-06-01\",\"applicant\":{\"legal_form\":\"npo\",\"sme_confirmed\":true,"
			       "\"employees\":10,\"npo\":{\"profit_business\":true,\"certified\":false},"
			       "\"certifications\":{\"keiei_ryoku\":true}},\"project\":{\"expenses\":\"1,000万円\"}}";
	assert_int_equal(hj_due_check_json(rb, frame("mono-h30-ippan"), npo_no, strlen(npo_no), NULL, 0, &s, &err), HJ_OK);
	json_t *j = parsed(s);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "items"), 0), "status")),
			    "not_met");
	assert_true(json_is_false(json_object_get(j, "ok")));
	json_decref(j);
	assert_int_equal(hj_due_check_json(rb, frame("mono-h30-ippan"), npo_yes, strlen(npo_yes), NULL, 0, &s, &err), HJ_OK);
	j = parsed(s);
	assert_true(json_is_true(json_object_get(j, "ok")));
	json_decref(j);

	/* mono-r2: base-year actuals replace the forecast (seed 004:198-200).
	 * Forecast base 付加価値額 3,000万 + 6,000万 + 1,000万 = 1億: 3年後 1億2,300万
	 * >= 1億 x 1.03^3 = 109,272,700. Actual base 営業利益 5,000万 → 1億2,000万:
	 * the line is 131,127,240 > 1億2,300万, so 付加価値額 fails. */
	const char app[] =
		"{\"date\":\"2021-03-01\",\"applicant\":{\"legal_form\":\"company\",\"industry\":\"manufacturing\","
		"\"capital\":\"1000万円\",\"employees\":25,\"prefecture\":\"埼玉県\"},\"project\":{\"expenses\":\"1500万円\"},"
		"\"plan\":{\"years\":["
		"{\"year_end\":\"2023-09-30\",\"operating_profit\":\"3000万円\",\"labor_cost\":\"6000万円\",\"depreciation\":\"1000万円\",\"total_wages\":\"5000万円\",\"min_wage\":1060},"
		"{\"year_end\":\"2024-09-30\",\"operating_profit\":\"3000万円\",\"labor_cost\":\"6200万円\",\"depreciation\":\"1300万円\",\"total_wages\":\"5100万円\",\"min_wage\":1110},"
		"{\"year_end\":\"2025-09-30\",\"operating_profit\":\"3700万円\",\"labor_cost\":\"6400万円\",\"depreciation\":\"1300万円\",\"total_wages\":\"5200万円\",\"min_wage\":1130},"
		"{\"year_end\":\"2026-09-30\",\"operating_profit\":\"4500万円\",\"labor_cost\":\"6600万円\",\"depreciation\":\"1200万円\",\"total_wages\":\"5300万円\",\"min_wage\":1180}]}}";
	assert_int_equal(hj_due_check_json(rb, frame("mono-r2-tsujo"), app, strlen(app), NULL, 0, &s, &err), HJ_OK);
	j = parsed(s);
	json_t *it = json_array_get(json_object_get(j, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(it, "id")), "base_year_actuals");
	assert_string_equal(json_string_value(json_object_get(it, "status")), "not_yet");
	assert_true(json_is_null(json_object_get(j, "ok")));
	json_decref(j);
	const char actual[] = "{\"base_actuals\":{\"year_end\":\"2023-09-30\",\"operating_profit\":\"5000万円\","
			      "\"labor_cost\":\"6000万円\",\"depreciation\":\"1000万円\",\"total_wages\":\"5000万円\",\"min_wage\":1060}}";
	assert_int_equal(hj_due_check_json(rb, frame("mono-r2-tsujo"), app, strlen(app), actual, strlen(actual), &s, &err),
			 HJ_OK);
	j = parsed(s);
	it = json_array_get(json_object_get(j, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(it, "status")), "not_met");
	json_t *va = json_array_get(json_object_get(it, "requirements"), 1);
	assert_string_equal(json_string_value(json_object_get(va, "id")), "value_added");
	assert_string_equal(json_string_value(json_object_get(va, "status")), "not_met");
	assert_non_null(strstr(json_string_value(json_object_get(va, "fix")), "131,127,240円"));
	json_decref(j);
	/* the same actuals as the forecast: everything still met */
	const char same[] = "{\"base_actuals\":{\"year_end\":\"2023-09-30\",\"operating_profit\":\"3000万円\","
			    "\"labor_cost\":\"6000万円\",\"depreciation\":\"1000万円\",\"total_wages\":\"5000万円\",\"min_wage\":1060}}";
	assert_int_equal(hj_due_check_json(rb, frame("mono-r2-tsujo"), app, strlen(app), same, strlen(same), &s, &err), HJ_OK);
	j = parsed(s);
	assert_true(json_is_true(json_object_get(j, "ok")));
	json_decref(j);
	/* another fiscal year is refused, naming the field */
	const char other[] = "{\"base_actuals\":{\"year_end\":\"2022-09-30\",\"operating_profit\":\"3000万円\"}}";
	s = NULL;
	assert_int_equal(hj_due_check_json(rb, frame("mono-r2-tsujo"), app, strlen(app), other, strlen(other), &s, &err),
			 HJ_ERR_INPUT);
	assert_null(s);
	assert_string_equal(err.field, "base_actuals.year_end");

	/* the approved plan the office measures reports from: the actual base
	 * year in place of the forecast, the other years untouched; the same
	 * check refuses another fiscal year; without actuals nothing changes */
	assert_int_equal(hj_approved_plan_json(app, strlen(app), actual, strlen(actual), &s, &err), HJ_OK);
	j = parsed(s);
	json_t *ys = json_object_get(json_object_get(j, "plan"), "years");
	assert_int_equal(json_array_size(ys), 4);
	assert_string_equal(json_string_value(json_object_get(json_array_get(ys, 0), "operating_profit")), "5000万円");
	assert_string_equal(json_string_value(json_object_get(json_array_get(ys, 0), "year_end")), "2023-09-30");
	assert_string_equal(json_string_value(json_object_get(json_array_get(ys, 3), "operating_profit")), "4500万円");
	json_decref(j);
	s = NULL;
	assert_int_equal(hj_approved_plan_json(app, strlen(app), other, strlen(other), &s, &err), HJ_ERR_INPUT);
	assert_null(s);
	assert_string_equal(err.field, "base_actuals.year_end");
	assert_int_equal(hj_approved_plan_json(app, strlen(app), NULL, 0, &s, &err), HJ_OK);
	j = parsed(s);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(json_object_get(j, "plan"),
												  "years"), 0),
							      "operating_profit")),
			    "3000万円");
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(period_from_rules),
		cmocka_unit_test(schedule_it_2021),
		cmocka_unit_test(schedule_plan_years),
		cmocka_unit_test(rules_document),
		cmocka_unit_test(claim_retroactive_boundary),
		cmocka_unit_test(settle_floor_two_thirds),
		cmocka_unit_test(report_contradiction),
		cmocka_unit_test(outcomes_without_after),
		cmocka_unit_test(due_by_grant),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
