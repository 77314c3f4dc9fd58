/*
 * test_awards.c - after adoption in the office (lib/grants/awards.c over
 * lib/store/awards.c and the engine's hojo/after.h; docs/after.md): one
 * ものづくり R2 一般型 通常枠 application from submission through
 * adoption, 交付申請, 交付決定 (at most the adopted amount), 計画変更,
 * 実績報告 (a line dated before 交付決定 refused by rule), 確定検査,
 * 確定額 (stored with its explanation), 精算払, the yearly reports, the
 * overdue list by the fixed clock and the reminders in the spool, the
 * outcomes; who sees what (a grantee its own award, a reviewer nothing).
 * With HOJO_TEST_PG=CONNINFO the same tests run on that PostgreSQL
 * (tests/store/run does).
 *
 * The numbers, by hand (rules/monodukuri/r2.yaml: 通常枠 1/2, cap
 * 1,000万円, lower limit 100万円):
 *   adopted: expenses 15,000,000 × 1/2 = 7,500,000; 交付決定額 7,000,000.
 *   claim: machinery 12,000,000 + outsourcing 3,000,000 + transport
 *   1,000,000. All accepted: 16,000,000 × 1/2 = 8,000,000 > 7,000,000 →
 *   確定額 7,000,000 (capped by 交付決定額). Then outsourcing reduced to
 *   1,000,000 and transport rejected: 13,000,000 × 1/2 = 6,500,000.
 *   reports: completed 2021-12-20 (FY2021) → year 1 = FY2022, ending
 *   2023-03-31, due 3 months later 2023-06-30; year 2 2024-06-30; year 3
 *   2025-06-30 (the plan has 3 years after the base). On 2024-08-01 year
 *   2 is missing: 2024-06-30 → 2024-08-01 = 32 days late.
 *   付加価値額 = 営業利益 + 人件費 + 減価償却費; the base year: 3億 −
 *   (1.8億 + 6000万 + 1000万 + 2000万) = 3000万 operating profit →
 *   3000万 + 6000万 + 1000万 = 1億. Year 1 as reported: 3億500万 −
 *   (1.85億 + 6200万 + 1300万 + 2000万) = 2500万 → 2500万 + 6200万 + 1300万
 *   = 1億 (no growth).
 */
#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <dirent.h>
#include <jansson.h>
#include "hojo/alloc.h"
#include "hojo/rulebook.h"
#include "hojo/store.h"
#include "hojo/grants/applications.h"
#include "hojo/grants/awards.h"
#include "hojo/grants/audit.h"
#include "store/driver.h"
#include "fixtures.h"
#include "json-path.h"

/* The value at "a.b[2].c" (json-path.h's 'at' with array indexes), or NULL. */
static json_t *ax(json_t *j, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	char *save = NULL;
	for (char *t = strtok_r(buf, ".", &save); t && j; t = strtok_r(NULL, ".", &save)) {
		char *b = strchr(t, '[');
		if (b)
			*b = '\0';
		if (*t)
			j = json_object_get(j, t);
		while (b && j) {
			j = json_array_get(j, (size_t)strtoul(b + 1, NULL, 10));
			b = strchr(b + 1, '[');
		}
	}
	return j;
}

static const char *sx(json_t *j, const char *path)
{
	return json_string_value(ax(j, path));
}

static json_int_t nx(json_t *j, const char *path)
{
	return json_integer_value(ax(j, path));
}

static char dir[64];
static hj_store *st;
static hj_rulebook *rb;
static hj_actor owner, stranger, staff, reviewer, admin;

#define T_OPEN 1615338000000000LL     /* 2021-03-10T10:00+09:00: the call is open */
#define T_CLAIM 1641776400000000LL    /* 2022-01-10T10:00+09:00 */
#define T_REPORT1 1682902800000000LL  /* 2023-05-01T10:00+09:00: before year 1's due date */
#define T_LATE 1722474000000000LL     /* 2024-08-01T10:00+09:00: year 2 is 32 days late */

static const char *DATA =
	"{\"date\":\"2021-03-15\",\"applicant\":{\"name\":\"株式会社デモ精機\",\"legal_form\":\"company\","
	"\"industry\":\"manufacturing\",\"capital\":\"1,000万円\",\"employees\":25,\"prefecture\":\"埼玉県\"},"
	"\"project\":{\"expenses\":\"1,500万円\",\"low_contact\":false,\"global\":false},\"plan\":{\"years\":["
	"{\"year_end\":\"2022-03-31\",\"sales\":\"3億円\",\"cost_of_sales\":\"1億8000万円\",\"labor_cost\":\"6000万円\","
	"\"depreciation\":\"1000万円\",\"other_expenses\":\"2000万円\",\"total_wages\":\"5000万円\",\"employees\":25,"
	"\"min_wage\":1060},"
	"{\"year_end\":\"2023-03-31\",\"sales\":\"3億1000万円\",\"cost_of_sales\":\"1億8500万円\",\"labor_cost\":\"6200万円\","
	"\"depreciation\":\"1300万円\",\"other_expenses\":\"2000万円\",\"total_wages\":\"5100万円\",\"employees\":25,"
	"\"min_wage\":1110},"
	"{\"year_end\":\"2024-03-31\",\"sales\":\"3億2500万円\",\"cost_of_sales\":\"1億9000万円\",\"labor_cost\":\"6400万円\","
	"\"depreciation\":\"1300万円\",\"other_expenses\":\"2100万円\",\"total_wages\":\"5200万円\",\"employees\":26,"
	"\"min_wage\":1130},"
	"{\"year_end\":\"2025-03-31\",\"sales\":\"3億4000万円\",\"cost_of_sales\":\"1億9500万円\",\"labor_cost\":\"6600万円\","
	"\"depreciation\":\"1200万円\",\"other_expenses\":\"2200万円\",\"total_wages\":\"5300万円\",\"employees\":27,"
	"\"min_wage\":1180}]},\"x_memo\":\"unknown fields stay\"}";

static int64_t app_id, award_id, call_g, company_g;

static int setup(void **state)
{
	(void)state;
	char url[1100];
	hj_error err;
	if (fx_store_open("awards", dir, url, sizeof url, &st) || hj_rulebook_load("rules", &rb, &err))
		return -1;
	fx_account(st, &owner, 1, "owner@example.jp", HJ_ROLE_APPLICANT);
	fx_account(st, &stranger, 2, "stranger@example.jp", HJ_ROLE_APPLICANT);
	fx_account(st, &staff, 3, "staff@example.jp", HJ_ROLE_STAFF);
	fx_account(st, &reviewer, 4, "reviewer@example.jp", HJ_ROLE_REVIEWER);
	fx_account(st, &admin, 5, "admin@example.jp", HJ_ROLE_ADMIN);
	hj_clock_set(T_OPEN);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	hj_rulebook_free(rb);
	return fx_store_close(st, dir);
}

/* call → company → application → submitted */
static void submitted_application(void **state)
{
	(void)state;
	char *out, body[8192];
	hj_error err;
	int64_t version;
	int replayed;
	const char *cb = "{\"edition\":\"mono-r2\",\"opens_at\":\"2021-03-01T10:00\",\"closes_at\":\"2021-03-31T17:00\"}";
	assert_int_equal(hj_call_create(st, rb, &staff, cb, strlen(cb), &out, &err), HJ_OK);
	json_t *j = parse(out);
	int64_t call = call_g = nx(j, "call.id");
	json_decref(j);
	const char *co = "{\"name\":\"株式会社デモ精機\"}";
	assert_int_equal(hj_company_create(st, &owner, co, strlen(co), &out, &err), HJ_OK);
	j = parse(out);
	int64_t company = company_g = nx(j, "company.id");
	json_decref(j);
	snprintf(body, sizeof body, "{\"company\":%lld,\"call\":%lld,\"frames\":[\"mono-r2-tsujo\"],\"data\":%s}",
		 (long long)company, (long long)call, DATA);
	assert_int_equal(hj_app_create(st, rb, &owner, body, strlen(body), &out, &version, &err), HJ_OK);
	j = parse(out);
	app_id = nx(j, "application.id");
	json_decref(j);
	hj_status s = hj_app_submit(st, rb, &owner, app_id, "{}", 2, "aw1", 0, &out, &replayed, &err);
	if (s)
		fprintf(stderr, "submit: %s %s\n", err.field, err.message);
	assert_int_equal(s, HJ_OK);
	hj_free(out);
}

static void adoption_and_apply(void **state)
{
	(void)state;
	char *out;
	hj_error err;
	/* not adopted yet: no 交付申請 */
	assert_int_equal(hj_award_apply(st, rb, &owner, app_id, "{}", 2, &out, &err), HJ_ERR_CONFLICT);
	assert_string_equal(err.field, "state");
	/* only an admin records an adoption, only in a frame applied for */
	const char *ad = "{\"frame\":\"mono-r2-tsujo\",\"amount\":7500000}";
	assert_int_equal(hj_award_adopt(st, &staff, app_id, ad, strlen(ad), &out, &err), HJ_ERR_DENIED);
	const char *bad = "{\"frame\":\"mono-r2-global\",\"amount\":7500000}";
	assert_int_equal(hj_award_adopt(st, &admin, app_id, bad, strlen(bad), &out, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "frame");
	assert_int_equal(hj_award_adopt(st, &admin, app_id, ad, strlen(ad), &out, &err), HJ_OK);
	hj_free(out);
	assert_int_equal(hj_award_adopt(st, &admin, app_id, ad, strlen(ad), &out, &err), HJ_ERR_CONFLICT);
	/* the 交付申請 is the grantee's: others do not see the application */
	assert_int_equal(hj_award_apply(st, rb, &reviewer, app_id, "{}", 2, &out, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_award_apply(st, rb, &staff, app_id, "{}", 2, &out, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_award_apply(st, rb, &stranger, app_id, "{}", 2, &out, &err), HJ_ERR_NOT_FOUND);
	/* the base year's actuals replace the forecast (seed 004:198-200):
	 * 売上高 3億100万 instead of 3億, the rest as planned → 営業利益 3100万,
	 * 付加価値額 3100万 + 6000万 + 1000万 = 1億100万 */
	const char *req = "{\"note\":\"交付申請します\",\"base_actuals\":{\"year_end\":\"2022-03-31\",\"sales\":"
			  "\"3億100万円\",\"cost_of_sales\":\"1億8000万円\",\"labor_cost\":\"6000万円\",\"depreciation\":"
			  "\"1000万円\",\"other_expenses\":\"2000万円\",\"total_wages\":\"5000万円\",\"employees\":25,"
			  "\"min_wage\":1060}}";
	assert_int_equal(hj_award_apply(st, rb, &owner, app_id, req, strlen(req), &out, &err), HJ_OK);
	json_t *j = parse(out);
	award_id = nx(j, "award.id");
	assert_string_equal(sx(j, "award.state"), "applied");
	assert_string_equal(sx(j, "award.frame"), "mono-r2-tsujo");
	assert_int_equal(nx(j, "award.adopted_amount"), 7500000);
	json_decref(j);
	assert_int_equal(hj_award_apply(st, rb, &owner, app_id, "{}", 2, &out, &err), HJ_ERR_CONFLICT);
	assert_string_equal(err.field, "award");
}

static void decision(void **state)
{
	(void)state;
	char *out;
	hj_error err;
	const char *g = "{\"decision\":\"grant\",\"amount\":7000000,\"granted_on\":\"2021-06-01\",\"period_end\":\"2021-12-31\"}";
	assert_int_equal(hj_award_decide(st, rb, &owner, award_id, g, strlen(g), &out, &err), HJ_ERR_DENIED);
	/* 交付決定額 at most the adopted amount: 7,500,001 > 7,500,000 */
	const char *over = "{\"decision\":\"grant\",\"amount\":7500001,\"granted_on\":\"2021-06-01\",\"period_end\":\"2021-12-31\"}";
	assert_int_equal(hj_award_decide(st, rb, &staff, award_id, over, strlen(over), &out, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "amount");
	/* mono-r2 gives no project period in months: staff must set one */
	const char *noend = "{\"decision\":\"grant\",\"amount\":7000000,\"granted_on\":\"2021-06-01\"}";
	assert_int_equal(hj_award_decide(st, rb, &staff, award_id, noend, strlen(noend), &out, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "period_end");
	const char *refuse = "{\"decision\":\"refuse\"}";
	assert_int_equal(hj_award_decide(st, rb, &staff, award_id, refuse, strlen(refuse), &out, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "reason");
	const char *ok = "{\"decision\":\"grant\",\"amount\":7000000,\"granted_on\":\"2021-06-01\",\"period_end\":"
			 "\"2021-12-31\",\"conditions\":[\"経営力向上計画の認定を受けること\"]}";
	assert_int_equal(hj_award_decide(st, rb, &staff, award_id, ok, strlen(ok), &out, &err), HJ_OK);
	json_t *j = parse(out);
	assert_string_equal(sx(j, "award.state"), "granted");
	assert_int_equal(nx(j, "award.granted_amount"), 7000000);
	assert_string_equal(sx(j, "award.period_end"), "2021-12-31");
	assert_int_equal(nx(j, "award.version"), 1);
	assert_string_equal(sx(j, "award.conditions[0]"), "経営力向上計画の認定を受けること");
	assert_int_equal(json_array_size(ax(j, "versions")), 1);
	json_decref(j);
	assert_int_equal(hj_award_decide(st, rb, &staff, award_id, ok, strlen(ok), &out, &err), HJ_ERR_CONFLICT);

	/* who sees it: the grantee and staff; a reviewer and a stranger do not */
	assert_int_equal(hj_award_get(st, rb, &reviewer, award_id, &out, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_award_get(st, rb, &stranger, award_id, &out, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_award_get(st, rb, &staff, award_id, &out, &err), HJ_OK);
	j = parse(out);
	/* the edition's after rules beside the award: R2's first outcome and
	 * what is due by 交付決定 (rules/monodukuri/r2.yaml) */
	assert_string_equal(sx(j, "rules.edition"), "mono-r2");
	assert_string_equal(sx(j, "rules.due_by_grant[0].id"), "base_year_actuals");
	assert_string_equal(sx(j, "rules.outcomes[0].id"), "mono_value_added");
	/* what is due by 交付決定: the base year's actuals (付加価値額 1億100万)
	 * keep the plan: its last year 1億2300万 (4500万 + 6600万 + 1200万)
	 * ≥ 1億100万 × 1.03³ = 1億1036万… */
	assert_string_equal(sx(j, "due_check.items[0].id"), "base_year_actuals");
	assert_string_equal(sx(j, "due_check.items[0].status"), "met");
	json_decref(j);
	assert_int_equal(hj_award_list(st, &reviewer, 0, 1, 50, &out, &err), HJ_OK);
	j = parse(out);
	assert_int_equal(json_array_size(ax(j, "awards")), 0);
	assert_int_equal(nx(j, "total"), 0);
	json_decref(j);
	assert_int_equal(hj_award_list(st, &owner, 0, 1, 50, &out, &err), HJ_OK);
	j = parse(out);
	assert_int_equal(json_array_size(ax(j, "awards")), 1);
	assert_string_equal(sx(j, "awards[0].company_name"), "株式会社デモ精機");
	assert_int_equal(nx(j, "page"), 1);
	assert_int_equal(nx(j, "per_page"), 50);
	assert_int_equal(nx(j, "total"), 1);
	json_decref(j);
	/* one award on pages of 1: page 2 is past the end, empty, the total still 1 */
	assert_int_equal(hj_award_list(st, &owner, 0, 2, 1, &out, &err), HJ_OK);
	j = parse(out);
	assert_int_equal(json_array_size(ax(j, "awards")), 0);
	assert_int_equal(nx(j, "total"), 1);
	json_decref(j);
	/* the bounds of a page: 1 ≤ page, 1 ≤ per_page ≤ 500, the field named */
	assert_int_equal(hj_award_list(st, &owner, 0, 0, 50, &out, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "page");
	assert_int_equal(hj_award_list(st, &owner, 0, 1, 0, &out, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "per_page");
	assert_int_equal(hj_award_list(st, &owner, 0, 1, 501, &out, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "per_page");
	assert_int_equal(hj_award_list(st, &owner, 0, 1, 500, &out, &err), HJ_OK);
	hj_free(out);
}

/* The base year's actuals given at 交付申請 replace the forecast and the
 * plan's requirements are checked again (rules/monodukuri/r2.yaml
 * due_by_grant, seed 004:198-200): actual sales 3億5000万 make the base
 * 付加価値額 3億5000万 − (1.8億 + 6000万 + 1000万 + 2000万) = 8000万 operating
 * profit + 6000万 + 1000万 = 1億5000万, above the plan's third year (3億4000万
 * − 2億9500万 = 4500万 + 6600万 + 1200万 = 1億2300万): the growth is not met,
 * and the grant is refused naming the condition. */
static void due_by_grant(void **state)
{
	(void)state;
	char *out, body[8192];
	hj_error err;
	int64_t version;
	int replayed;
	hj_clock_set(T_OPEN);
	snprintf(body, sizeof body, "{\"company\":%lld,\"call\":%lld,\"frames\":[\"mono-r2-tsujo\"],\"data\":%s}",
		 (long long)company_g, (long long)call_g, DATA);
	assert_int_equal(hj_app_create(st, rb, &owner, body, strlen(body), &out, &version, &err), HJ_OK);
	json_t *j = parse(out);
	int64_t app2 = nx(j, "application.id");
	json_decref(j);
	assert_int_equal(hj_app_submit(st, rb, &owner, app2, "{}", 2, "aw2", 0, &out, &replayed, &err), HJ_OK);
	hj_free(out);
	const char *ad = "{\"frame\":\"mono-r2-tsujo\",\"amount\":7500000}";
	assert_int_equal(hj_award_adopt(st, &admin, app2, ad, strlen(ad), &out, &err), HJ_OK);
	hj_free(out);
	const char *req = "{\"base_actuals\":{\"year_end\":\"2022-03-31\",\"sales\":\"3億5000万円\",\"cost_of_sales\":"
			  "\"1億8000万円\",\"labor_cost\":\"6000万円\",\"depreciation\":\"1000万円\",\"other_expenses\":"
			  "\"2000万円\",\"total_wages\":\"5000万円\",\"employees\":25,\"min_wage\":1060}}";
	assert_int_equal(hj_award_apply(st, rb, &owner, app2, req, strlen(req), &out, &err), HJ_OK);
	j = parse(out);
	int64_t award2 = nx(j, "award.id");
	json_decref(j);
	assert_int_equal(hj_award_get(st, rb, &staff, award2, &out, &err), HJ_OK);
	j = parse(out);
	assert_string_equal(sx(j, "due_check.items[0].status"), "not_met");
	json_decref(j);
	const char *g = "{\"decision\":\"grant\",\"amount\":7000000,\"granted_on\":\"2021-06-01\",\"period_end\":\"2021-12-31\"}";
	assert_int_equal(hj_award_decide(st, rb, &staff, award2, g, strlen(g), &out, &err), HJ_ERR_CONFLICT);
	assert_string_equal(err.field, "due_by_grant.base_year_actuals");
	/* refusing it is staff's choice, with the reason */
	const char *r = "{\"decision\":\"refuse\",\"reason\":\"基準年度の実績では計画の伸び率に届かない\"}";
	assert_int_equal(hj_award_decide(st, rb, &staff, award2, r, strlen(r), &out, &err), HJ_OK);
	j = parse(out);
	assert_string_equal(sx(j, "award.state"), "refused");
	json_decref(j);
}

static void change_request(void **state)
{
	(void)state;
	char *out;
	hj_error err;
	/* an extension needs the new end */
	const char *noend = "{\"kind\":\"extension\",\"reason\":\"機械の納期が遅れます\"}";
	assert_int_equal(hj_change_request(st, rb, &owner, award_id, noend, strlen(noend), &out, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "period_end");
	assert_int_equal(hj_change_request(st, rb, &staff, award_id, noend, strlen(noend), &out, &err), HJ_ERR_DENIED);
	const char *ext = "{\"kind\":\"extension\",\"reason\":\"機械の納期が遅れます\",\"period_end\":\"2022-01-31\"}";
	assert_int_equal(hj_change_request(st, rb, &owner, award_id, ext, strlen(ext), &out, &err), HJ_OK);
	json_t *j = parse(out);
	int64_t change = nx(j, "change.id");
	assert_string_equal(sx(j, "change.state"), "requested");
	json_decref(j);
	const char *norsn = "{\"decision\":\"refuse\"}";
	assert_int_equal(hj_change_decide(st, rb, &staff, change, norsn, strlen(norsn), &out, &err), HJ_ERR_INPUT);
	assert_int_equal(hj_change_decide(st, rb, &owner, change, norsn, strlen(norsn), &out, &err), HJ_ERR_DENIED);
	const char *ap = "{\"decision\":\"approve\",\"reason\":\"納期の遅れは書面で確認した\"}";
	assert_int_equal(hj_change_decide(st, rb, &staff, change, ap, strlen(ap), &out, &err), HJ_OK);
	j = parse(out);
	assert_string_equal(sx(j, "change.state"), "approved");
	assert_int_equal(nx(j, "change.award_version"), 2);
	json_decref(j);
	assert_int_equal(hj_change_decide(st, rb, &staff, change, ap, strlen(ap), &out, &err), HJ_ERR_CONFLICT);
	/* the award's terms moved; both versions are kept */
	assert_int_equal(hj_award_get(st, rb, &owner, award_id, &out, &err), HJ_OK);
	j = parse(out);
	assert_string_equal(sx(j, "award.period_end"), "2022-01-31");
	assert_int_equal(nx(j, "award.version"), 2);
	assert_int_equal(json_array_size(ax(j, "versions")), 2);
	assert_string_equal(sx(j, "versions[0].terms.period_end"), "2021-12-31");
	assert_string_equal(sx(j, "versions[1].terms.period_end"), "2022-01-31");
	json_decref(j);
}

#define LINE(cat, amt, date) "{\"category\":\"" cat "\",\"description\":\"" cat "\",\"amount\":" amt ",\"date\":\"" date "\"}"
#define LINES3                                                                                   \
	LINE("machinery", "12000000", "2021-07-10") "," LINE("outsourcing", "3000000", "2021-08-01") \
		"," LINE("transport", "1000000", "2021-09-01")

static void claim(void **state)
{
	(void)state;
	char *out;
	hj_error err;
	int64_t v;
	hj_clock_set(T_CLAIM);
	/* a line dated before 交付決定 (2021-06-01): saved, refused by rule */
	const char *early = "{\"lines\":[" LINES3 "," LINE("expert", "500000", "2021-05-20") "],\"completed_on\":\"2021-12-20\"}";
	assert_int_equal(hj_claim_save(st, rb, &staff, award_id, 0, early, strlen(early), &out, &v, &err), HJ_ERR_DENIED);
	assert_int_equal(hj_claim_save(st, rb, &reviewer, award_id, 0, early, strlen(early), &out, &v, &err),
			 HJ_ERR_NOT_FOUND);
	hj_status s = hj_claim_save(st, rb, &owner, award_id, 0, early, strlen(early), &out, &v, &err);
	if (s)
		fprintf(stderr, "claim save: %s %s\n", err.field, err.message);
	assert_int_equal(s, HJ_OK);
	assert_int_equal(v, 1);
	json_t *j = parse(out);
	assert_false(json_is_true(ax(j, "claim.line_check.ok")));
	assert_true(json_is_true(ax(j, "claim.line_check.lines[0].ok")));
	assert_false(json_is_true(ax(j, "claim.line_check.lines[3].ok")));
	assert_non_null(strstr(sx(j, "claim.line_check.lines[3].reason"), "2021-06-01"));
	json_decref(j);
	/* submitting is refused naming the line */
	assert_int_equal(hj_claim_submit(st, rb, &owner, award_id, &out, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "lines[3]");
	/* a stale If-Match */
	const char *good = "{\"lines\":[" LINES3 "],\"completed_on\":\"2021-12-20\"}";
	assert_int_equal(hj_claim_save(st, rb, &owner, award_id, 0, good, strlen(good), &out, &v, &err), HJ_ERR_CONFLICT);
	assert_string_equal(err.field, "version");
	/* a negative amount is refused with the field */
	const char *neg = "{\"lines\":[" LINE("machinery", "-1", "2021-07-10") "]}";
	assert_int_equal(hj_claim_save(st, rb, &owner, award_id, 1, neg, strlen(neg), &out, &v, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "lines[0].amount");
	assert_int_equal(hj_claim_save(st, rb, &owner, award_id, 1, good, strlen(good), &out, &v, &err), HJ_OK);
	assert_int_equal(v, 2);
	j = parse(out);
	assert_true(json_is_true(ax(j, "claim.line_check.ok")));
	json_decref(j);
	/* evidence: the SHA-256 of the bytes */
	const char *pdf = "%PDF-1.4 invoice 12,000,000";
	char sha[65];
	hj_sha256_hex(pdf, strlen(pdf), sha);
	assert_int_equal(hj_claim_attachment_add(st, &owner, award_id, "請求書.pdf", "invoice", "application/pdf", pdf,
						 strlen(pdf), NULL, &out, &err),
			 HJ_OK);
	j = parse(out);
	assert_string_equal(sx(j, "attachment.sha256"), sha);
	int64_t att = nx(j, "attachment.id");
	json_decref(j);
	/* read back as stored, by staff; not by a reviewer; not under another award */
	hj_attachment_file file;
	assert_int_equal(hj_claim_attachment_get(st, &staff, award_id, att, &file, &err), HJ_OK);
	assert_int_equal(file.len, strlen(pdf));
	assert_memory_equal(file.data, pdf, strlen(pdf));
	assert_string_equal(file.content_type, "application/pdf");
	hj_attachment_file_clear(&file);
	assert_int_equal(hj_claim_attachment_get(st, &reviewer, award_id, att, &file, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_claim_attachment_get(st, &owner, award_id, att + 1, &file, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_claim_attachment_add(st, &owner, award_id, "../etc", NULL, NULL, "x", 1, NULL, &out, &err),
			 HJ_ERR_INPUT);
	/* inspection before the claim is submitted: the state says no */
	const char *insp = "{\"lines\":[{\"index\":0,\"decision\":\"accept\"},{\"index\":1,\"decision\":\"accept\"},"
			   "{\"index\":2,\"decision\":\"accept\"}]}";
	assert_int_equal(hj_inspection_save(st, rb, &staff, award_id, insp, strlen(insp), &out, &err), HJ_ERR_CONFLICT);
	assert_int_equal(hj_claim_submit(st, rb, &owner, award_id, &out, &err), HJ_OK);
	j = parse(out);
	assert_string_equal(sx(j, "award_state"), "claimed");
	assert_string_equal(sx(j, "claim.state"), "submitted");
	json_decref(j);
	/* a submitted claim is final */
	assert_int_equal(hj_claim_save(st, rb, &owner, award_id, 2, good, strlen(good), &out, &v, &err), HJ_ERR_CONFLICT);
}

static void inspection_and_settlement(void **state)
{
	(void)state;
	char *out;
	hj_error err;
	/* every line once; reduce and reject need a reason; reduce less than claimed */
	const char *missing = "{\"lines\":[{\"index\":0,\"decision\":\"accept\"}]}";
	assert_int_equal(hj_inspection_save(st, rb, &staff, award_id, missing, strlen(missing), &out, &err), HJ_ERR_INPUT);
	const char *norsn = "{\"lines\":[{\"index\":0,\"decision\":\"accept\"},{\"index\":1,\"decision\":\"reduce\","
			    "\"accepted\":1000000},{\"index\":2,\"decision\":\"accept\"}]}";
	assert_int_equal(hj_inspection_save(st, rb, &staff, award_id, norsn, strlen(norsn), &out, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "lines[1]");
	const char *more = "{\"lines\":[{\"index\":0,\"decision\":\"accept\"},{\"index\":1,\"decision\":\"reduce\","
			   "\"accepted\":3000000,\"reason\":\"x\"},{\"index\":2,\"decision\":\"accept\"}]}";
	assert_int_equal(hj_inspection_save(st, rb, &staff, award_id, more, strlen(more), &out, &err), HJ_ERR_INPUT);
	const char *twice = "{\"lines\":[{\"index\":0,\"decision\":\"accept\"},{\"index\":0,\"decision\":\"accept\"},"
			    "{\"index\":2,\"decision\":\"accept\"}]}";
	assert_int_equal(hj_inspection_save(st, rb, &staff, award_id, twice, strlen(twice), &out, &err), HJ_ERR_INPUT);
	/* no settlement before an inspection */
	assert_int_equal(hj_settlement(st, rb, &staff, award_id, 1, &out, &err), HJ_ERR_CONFLICT);
	assert_string_equal(err.field, "inspection");
	/* all accepted: 16,000,000 × 1/2 = 8,000,000 > 交付決定額 7,000,000 → 7,000,000 (dry run) */
	const char *all = "{\"lines\":[{\"index\":0,\"decision\":\"accept\"},{\"index\":1,\"decision\":\"accept\"},"
			  "{\"index\":2,\"decision\":\"accept\"}]}";
	assert_int_equal(hj_inspection_save(st, rb, &owner, award_id, all, strlen(all), &out, &err), HJ_ERR_DENIED);
	assert_int_equal(hj_inspection_save(st, rb, &staff, award_id, all, strlen(all), &out, &err), HJ_OK);
	hj_free(out);
	hj_status s = hj_settlement(st, rb, &staff, award_id, 1, &out, &err);
	if (s)
		fprintf(stderr, "settle: %s %s\n", err.field, err.message);
	assert_int_equal(s, HJ_OK);
	json_t *j = parse(out);
	assert_int_equal(nx(j, "amount"), 7000000);
	assert_true(json_is_true(ax(j, "dry_run")));
	assert_string_equal(sx(j, "settlement.capped_by"), "granted");
	json_decref(j);
	/* the dry run stored nothing */
	assert_int_equal(hj_award_get(st, rb, &owner, award_id, &out, &err), HJ_OK);
	j = parse(out);
	assert_string_equal(sx(j, "award.state"), "claimed");
	assert_true(json_is_null(ax(j, "settlement")));
	json_decref(j);
	/* outsourcing reduced to 1,000,000, transport rejected:
	 * 12,000,000 + 1,000,000 = 13,000,000 × 1/2 = 6,500,000 */
	const char *cut = "{\"lines\":[{\"index\":0,\"decision\":\"accept\"},{\"index\":1,\"decision\":\"reduce\","
			  "\"accepted\":1000000,\"reason\":\"見積と請求の差額は対象外\"},{\"index\":2,\"decision\":\"reject\","
			  "\"reason\":\"運搬の証拠書類がない\"}]}";
	assert_int_equal(hj_inspection_save(st, rb, &staff, award_id, cut, strlen(cut), &out, &err), HJ_OK);
	hj_free(out);
	assert_int_equal(hj_settlement(st, rb, &owner, award_id, 0, &out, &err), HJ_ERR_DENIED);
	assert_int_equal(hj_settlement(st, rb, &staff, award_id, 0, &out, &err), HJ_OK);
	j = parse(out);
	assert_int_equal(nx(j, "amount"), 6500000);
	assert_int_equal(nx(j, "settlement.settled"), 6500000);
	assert_int_equal(nx(j, "settlement.accepted_total"), 13000000);
	json_decref(j);
	/* stored with its explanation and the rulebook's hash */
	assert_int_equal(hj_award_get(st, rb, &owner, award_id, &out, &err), HJ_OK);
	j = parse(out);
	assert_string_equal(sx(j, "award.state"), "settled");
	assert_int_equal(nx(j, "settlement.amount"), 6500000);
	assert_string_equal(sx(j, "settlement.rulebook"), hj_rulebook_hash(rb));
	assert_true(json_array_size(ax(j, "settlement.explanation.explanation")) > 0);
	json_decref(j);
	assert_int_equal(hj_settlement(st, rb, &staff, award_id, 0, &out, &err), HJ_ERR_CONFLICT);
}

static void payment(void **state)
{
	(void)state;
	char *out;
	hj_error err;
	const char *wrong = "{\"paid_on\":\"2022-02-15\",\"amount\":7000000}";
	assert_int_equal(hj_payment_record(st, &staff, award_id, wrong, strlen(wrong), &out, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "amount");
	const char *bad = "{\"paid_on\":\"2022-02-30\",\"amount\":6500000}";
	assert_int_equal(hj_payment_record(st, &staff, award_id, bad, strlen(bad), &out, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "paid_on");
	const char *ok = "{\"paid_on\":\"2022-02-15\",\"amount\":6500000}";
	assert_int_equal(hj_payment_record(st, &owner, award_id, ok, strlen(ok), &out, &err), HJ_ERR_DENIED);
	assert_int_equal(hj_payment_record(st, &staff, award_id, ok, strlen(ok), &out, &err), HJ_OK);
	json_t *j = parse(out);
	assert_int_equal(nx(j, "payment.amount"), 6500000);
	assert_string_equal(sx(j, "payment.paid_on"), "2022-02-15");
	json_decref(j);
	assert_int_equal(hj_payment_record(st, &staff, award_id, ok, strlen(ok), &out, &err), HJ_ERR_CONFLICT);
}

/* Files in 'path' whose name contains 'part'. */
static int count_files(const char *path, const char *part)
{
	DIR *d = opendir(path);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		n += strstr(e->d_name, part) != NULL;
	if (d)
		closedir(d);
	return n;
}

static void reports_overdue_reminders(void **state)
{
	(void)state;
	char *out;
	hj_error err;
	hj_clock_set(T_REPORT1);
	assert_int_equal(hj_reports_get(st, rb, &owner, award_id, &out, &err), HJ_OK);
	json_t *j = parse(out);
	assert_int_equal(json_array_size(ax(j, "schedule.reports")), 3);
	assert_string_equal(sx(j, "schedule.reports[0].due"), "2023-06-30");
	assert_int_equal(nx(j, "schedule.reports[0].fiscal_year"), 2022);
	assert_string_equal(sx(j, "schedule.reports[1].due"), "2024-06-30");
	assert_string_equal(sx(j, "schedule.reports[2].due"), "2025-06-30");
	json_decref(j);
	assert_int_equal(hj_reports_get(st, rb, &reviewer, award_id, &out, &err), HJ_ERR_NOT_FOUND);
	/* nothing is due yet on 2023-05-01 */
	assert_int_equal(hj_reports_overdue(st, rb, &owner, &out, &err), HJ_ERR_DENIED);
	assert_int_equal(hj_reports_overdue(st, rb, &staff, &out, &err), HJ_OK);
	j = parse(out);
	assert_int_equal(json_array_size(ax(j, "missing")), 0);
	assert_string_equal(sx(j, "today"), "2023-05-01");
	json_decref(j);
	/* a report that contradicts itself: 人件費 below 給与支給総額 */
	const char *contra = "{\"data\":{\"fiscal_year_end\":\"2023-03-31\",\"sales\":305000000,\"cost_of_sales\":185000000,"
			     "\"labor_cost\":40000000,\"depreciation\":13000000,\"other_expenses\":20000000,"
			     "\"total_wages\":51000000,\"employees\":25,\"min_wage\":1110},\"submit\":true}";
	assert_int_equal(hj_report_save(st, rb, &owner, award_id, 1, contra, strlen(contra), &out, &err), HJ_ERR_INPUT);
	assert_non_null(strstr(err.field, "/"));
	/* a year outside the schedule */
	const char *y1 = "{\"data\":{\"fiscal_year_end\":\"2023-03-31\",\"sales\":305000000,\"cost_of_sales\":185000000,"
			 "\"labor_cost\":62000000,\"depreciation\":13000000,\"other_expenses\":20000000,"
			 "\"total_wages\":51000000,\"employees\":25,\"min_wage\":1110},\"submit\":true}";
	assert_int_equal(hj_report_save(st, rb, &owner, award_id, 4, y1, strlen(y1), &out, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_report_save(st, rb, &staff, award_id, 1, y1, strlen(y1), &out, &err), HJ_ERR_DENIED);
	hj_status s = hj_report_save(st, rb, &owner, award_id, 1, y1, strlen(y1), &out, &err);
	if (s)
		fprintf(stderr, "report: %s %s\n", err.field, err.message);
	assert_int_equal(s, HJ_OK);
	j = parse(out);
	assert_string_equal(sx(j, "report.state"), "submitted");
	/* 付加価値額 of year 1: 2500万 + 6200万 + 1300万 = 1億 (header comment) */
	assert_int_equal(nx(j, "report.comparison.derived.value_added"), 100000000);
	/* measured from the base year's actuals, not the forecast: 1億100万 ×
	 * 1.03 = 1億403万 for year 1, so 403万 short (from the forecast's 1億 it
	 * would be 1億300万 and 300万) */
	json_t *req0 = NULL;
	for (size_t k = 0; k < json_array_size(ax(j, "report.comparison.requirements")); k++)
		if (!strcmp(json_string_value(json_object_get(json_array_get(ax(j, "report.comparison.requirements"), k),
								"id")), "value_added"))
			req0 = json_array_get(ax(j, "report.comparison.requirements"), k);
	assert_non_null(req0);
	assert_int_equal(json_integer_value(json_object_get(req0, "target")), 104030000);
	assert_int_equal(json_integer_value(json_object_get(req0, "gap")), -4030000);
	/* below the line in year 1 of 3: judged in the final year */
	assert_string_equal(json_string_value(json_object_get(req0, "status")), "not_yet");
	json_decref(j);
	assert_int_equal(hj_report_save(st, rb, &owner, award_id, 1, y1, strlen(y1), &out, &err), HJ_ERR_CONFLICT);

	/* 2024-08-01: year 2 (due 2024-06-30) is missing, 32 days late; year 3 not due */
	hj_clock_set(T_LATE);
	assert_int_equal(hj_reports_overdue(st, rb, &staff, &out, &err), HJ_OK);
	j = parse(out);
	assert_int_equal(json_array_size(ax(j, "missing")), 1);
	assert_int_equal(nx(j, "missing[0].year"), 2);
	assert_string_equal(sx(j, "missing[0].due"), "2024-06-30");
	assert_int_equal(nx(j, "missing[0].days_late"), 32);
	assert_int_equal(json_array_size(ax(j, "late")), 0);
	json_decref(j);
	/* one reminder per owner and missing report, written to the spool */
	char spool[128];
	snprintf(spool, sizeof spool, "%s/mail", dir);
	assert_int_equal(hj_reports_remind(st, rb, &owner, spool, &out, &err), HJ_ERR_DENIED);
	assert_int_equal(hj_reports_remind(st, rb, &staff, spool, &out, &err), HJ_OK);
	j = parse(out);
	assert_int_equal(nx(j, "count"), 1);
	assert_string_equal(sx(j, "sent[0].to"), "owner@example.jp");
	FILE *f = fopen(sx(j, "sent[0].file"), "r");
	assert_non_null(f);
	char buf[4096];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	assert_non_null(strstr(buf, "To: owner@example.jp"));
	assert_non_null(strstr(buf, "第2年"));
	assert_non_null(strstr(buf, "2024-06-30"));
	json_decref(j);
	assert_int_equal(count_files(spool, ".eml"), 1);
	assert_int_equal(hj_reports_get(st, rb, &staff, award_id, &out, &err), HJ_OK);
	j = parse(out);
	assert_int_equal(json_array_size(ax(j, "reminders")), 1);
	assert_int_equal(nx(j, "reminders[0].year"), 2);
	json_decref(j);
}

static void outcomes(void **state)
{
	(void)state;
	char *out;
	hj_error err;
	assert_int_equal(hj_outcomes(st, rb, &owner, NULL, 0, 0, &out, &err), HJ_ERR_DENIED);
	hj_status s = hj_outcomes(st, rb, &staff, "monodukuri", 0, 0, &out, &err);
	if (s)
		fprintf(stderr, "outcomes: %s %s\n", err.field, err.message);
	assert_int_equal(s, HJ_OK);
	json_t *j = parse(out);
	assert_int_equal(json_array_size(ax(j, "outcomes")), 1);
	assert_string_equal(sx(j, "outcomes[0].edition"), "mono-r2");
	assert_int_equal(nx(j, "outcomes[0].grantees"), 1);
	assert_int_equal(nx(j, "outcomes[0].settled"), 6500000);
	assert_string_equal(sx(j, "outcomes[0].result.outcomes[0].id"), "mono_value_added");
	json_decref(j);
	/* another program: nothing */
	assert_int_equal(hj_outcomes(st, rb, &staff, "jizokuka", 0, 0, &out, &err), HJ_OK);
	j = parse(out);
	assert_int_equal(json_array_size(ax(j, "outcomes")), 0);
	json_decref(j);
	assert_int_equal(hj_outcomes(st, rb, &staff, NULL, 0, 1, &out, &err), HJ_OK);
	assert_int_equal(strncmp(out, "program,call,edition,outcome,", 29), 0);
	assert_non_null(strstr(out, "\r\nmonodukuri,"));
	assert_non_null(strstr(out, ",mono_value_added,"));
	hj_free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(submitted_application),
		cmocka_unit_test(adoption_and_apply),
		cmocka_unit_test(decision),
		cmocka_unit_test(due_by_grant),
		cmocka_unit_test(change_request),
		cmocka_unit_test(claim),
		cmocka_unit_test(inspection_and_settlement),
		cmocka_unit_test(payment),
		cmocka_unit_test(reports_overdue_reminders),
		cmocka_unit_test(outcomes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
