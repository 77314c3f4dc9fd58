/*
 * demo.c - 'hojo admin demo [--db URL]': a demonstration data set, so
 * that a newcomer signing in sees every page filled (README "The
 * demonstration data", docs/cli.md). Everything is made through the
 * library's public operations, as the pages would make it, on the
 * library's one clock set to the days of a real timeline (hj_clock_set):
 *
 *   2021-03  a ものづくり R2 call (通常枠, budget 2,000万円); four companies
 *            of three applicants submit an application each
 *   2021-04  two reviewers are assigned automatically and score all of
 *            them; the admin commits the selection; notices are released
 *   2021-05  the adopted apply for the grant (交付申請); 2021-06-01 staff
 *            grant it (交付決定), one 計画変更 approved, one refused
 *   2022-01  実績報告 with an invoice, 確定検査 (one line reduced), 確定額,
 *            2022-02 精算払
 *   2023-05 … 2025-05  yearly reports: one grantee all three years, one
 *            two (the third missing), one the first only and late
 *
 * Idempotent: the demo's administrator is made first; when it exists the
 * command says so and changes nothing. Every account's password is
 * DEMO_PASSWORD (README lists the accounts).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "hojo.h"
#include "demo.h"
#include "hojo/store.h"
#include "hojo/grants.h"
#include "hojo/grants/accounts.h"
#include "hojo/grants/applications.h"
#include "hojo/grants/audit.h"
#include "hojo/grants/awards.h"
#include "hojo/grants/review.h"

#define DEMO_PASSWORD "hojo-demo-2026"
#define DEMO_DOMAIN "@demo.hojo.example"

/* µs of a JST wall-clock time (no time zone database needed: JST has no
 * daylight saving) */
static int64_t jst_us(int y, int m, int d, int hh)
{
	/* days from 1970-01-01 (civil from days, H. Hinnant) */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = era * 146097 + doe - 719468;
	return ((days * 24 + hh - 9) * 3600) * 1000000LL;
}

typedef struct demo {
	hj_store *st;
	hj_rulebook *rb;
	hj_auth_config cfg;
	hj_actor admin, staff, rev[2], owner[3];
	int steps;
	const char *failed; /* the step that failed */
	hj_error err;
} demo;

/* One step: 's' is the library's answer; the document it left in *jsonp
 * (read here, after the call: an argument is evaluated in no set order)
 * parsed into *out (may be NULL) and freed. */
static int step(demo *d, const char *what, hj_status s, char **jsonp, json_t **out)
{
	char *json = jsonp ? *jsonp : NULL;
	if (jsonp)
		*jsonp = NULL;
	if (out)
		*out = NULL;
	if (s) {
		d->failed = what;
		hj_free(json);
		return -1;
	}
	d->steps++;
	if (out && json && !(*out = json_loads(json, 0, NULL))) {
		d->failed = what;
		hj_error_set(&d->err, HJ_ERR_INTERNAL, NULL, 0, 0, NULL, "答えが JSON として読めません");
		hj_free(json);
		return -1;
	}
	hj_free(json);
	return 0;
}

static void actor(hj_actor *a, int64_t id, unsigned roles, const char *email)
{
	memset(a, 0, sizeof *a);
	a->account = id;
	a->roles = roles;
	snprintf(a->email, sizeof a->email, "%s", email);
	snprintf(a->via, sizeof a->via, "cli");
}

/* A new account 'local'@DEMO_DOMAIN with 'roles' (0: applicant only). */
static int account(demo *d, hj_actor *a, const char *local, const char *name, unsigned roles)
{
	char email[128];
	snprintf(email, sizeof email, "%s%s", local, DEMO_DOMAIN);
	hj_actor none;
	actor(&none, 0, 0, "");
	hj_session s;
	if (step(d, email, hj_account_signup(d->st, &d->cfg, &none, email, DEMO_PASSWORD, name, &s, &d->err), NULL,
		 NULL))
		return -1;
	actor(a, s.account.id, s.account.roles, email);
	if (roles) {
		hj_account out;
		if (step(d, email, hj_account_set_roles(d->st, &d->admin, s.account.id, roles, &out, &d->err), NULL, NULL))
			return -1;
		a->roles = out.roles;
	}
	return 0;
}

static int64_t jint(json_t *j, const char *k1, const char *k2)
{
	json_t *v = json_object_get(j, k1);
	return json_integer_value(k2 ? json_object_get(v, k2) : v);
}

/* The demo company's figures of year y (0 the base year) in 万円,
 * integers only: sales grow by 'growth' percent a year (each year rounded
 * down), cost of sales 60% and other expenses 7% of sales (so that
 * 付加価値額 = 33% of sales grows with them), labour cost 20% of base
 * sales +2% of it a year, wages 17% +2% a year, depreciation 1/30. */
typedef struct demo_year {
	long long sales, cost, labor, dep, other, wages;
} demo_year;

static demo_year year_of(int sales_man, int growth, int y)
{
	demo_year r;
	long long s = sales_man;
	for (int i = 0; i < y; i++)
		s = s * (100 + growth) / 100;
	r.sales = s;
	r.cost = s * 60 / 100;
	r.labor = (long long)sales_man * 20 * (100 + 2 * y) / 10000;
	r.dep = sales_man / 30;
	r.other = s * 7 / 100;
	r.wages = (long long)sales_man * 17 * (100 + 2 * y) / 10000;
	return r;
}

/* The plan's years (the base year and three) as a JSON array. */
static void plan_years(char *buf, size_t size, int sales_man, int growth_pct)
{
	size_t n = 0;
	n += snprintf(buf + n, size - n, "[");
	for (int y = 0; y < 4; y++) {
		demo_year v = year_of(sales_man, growth_pct, y);
		long long sales = v.sales, cost = v.cost, labor = v.labor, dep = v.dep, other = v.other, wages = v.wages;
		n += snprintf(buf + n, size - n,
			      "%s{\"year_end\":\"%d-03-31\",\"sales\":\"%lld万円\",\"cost_of_sales\":\"%lld万円\","
			      "\"labor_cost\":\"%lld万円\",\"depreciation\":\"%lld万円\",\"other_expenses\":\"%lld万円\","
			      "\"total_wages\":\"%lld万円\",\"employees\":%d,\"min_wage\":%d}",
			      y ? "," : "", 2022 + y, sales, cost, labor, dep, other, wages, 20 + y, 1060 + 40 * y);
	}
	snprintf(buf + n, size - n, "]");
}

typedef struct demo_app {
	const char *company;
	int owner;          /* index of d->owner */
	int expenses_man;   /* 経費 in 万円 */
	int sales_man;      /* base-year sales in 万円 */
	int growth;         /* the plan's yearly growth of sales, percent */
	int score;          /* each criterion's score by both reviewers */
	int64_t id, award;
	int adopted;
	int64_t amount;
} demo_app;

static int demo_run(demo *d)
{
	char *out = NULL, body[8192];
	json_t *j;
	int replayed;
	int64_t version;

	/* ---- 2021-03: accounts, the call, four applications */
	hj_clock_set(jst_us(2021, 3, 2, 10));
	if (account(d, &d->staff, "staff", "事務局 太郎", HJ_ROLE_STAFF) ||
	    account(d, &d->rev[0], "reviewer1", "審査員 一郎", HJ_ROLE_REVIEWER) ||
	    account(d, &d->rev[1], "reviewer2", "審査員 二郎", HJ_ROLE_REVIEWER) ||
	    account(d, &d->owner[0], "owner1", "申請 一子", 0) || account(d, &d->owner[1], "owner2", "申請 二子", 0) ||
	    account(d, &d->owner[2], "owner3", "申請 三子", 0))
		return -1;
	const char *cb = "{\"edition\":\"mono-r2\",\"title\":\"ものづくり補助金 R2 デモ公募\",\"opens_at\":\"2021-03-01T10:00\","
			 "\"closes_at\":\"2021-03-31T17:00\",\"frames\":[{\"frame\":\"mono-r2-tsujo\",\"budget\":20000000}]}";
	if (step(d, "call", hj_call_create(d->st, d->rb, &d->staff, cb, strlen(cb), &out, &d->err), &out, &j))
		return -1;
	int64_t call = jint(j, "call", "id");
	json_decref(j);
	demo_app apps[] = {
		{ "株式会社デモ精機", 0, 1500, 30000, 4, 4, 0, 0, 0, 0 },
		{ "株式会社サンプル工業", 0, 1000, 20000, 5, 5, 0, 0, 0, 0 },
		{ "株式会社テスト製作所", 1, 1200, 25000, 4, 4, 0, 0, 0, 0 },
		{ "株式会社見本技研", 2, 800, 15000, 4, 2, 0, 0, 0, 0 },
	};
	const int napps = (int)(sizeof apps / sizeof *apps);
	for (int i = 0; i < napps; i++) {
		demo_app *a = &apps[i];
		hj_actor *o = &d->owner[a->owner];
		hj_clock_set(jst_us(2021, 3, 10 + i, 10));
		snprintf(body, sizeof body, "{\"name\":\"%s\"}", a->company);
		if (step(d, "company", hj_company_create(d->st, o, body, strlen(body), &out, &d->err), &out, &j))
			return -1;
		int64_t company = jint(j, "company", "id");
		json_decref(j);
		char years[2048];
		plan_years(years, sizeof years, a->sales_man, a->growth);
		snprintf(body, sizeof body,
			 "{\"company\":%lld,\"call\":%lld,\"frames\":[\"mono-r2-tsujo\"],\"data\":{\"date\":\"2021-03-15\","
			 "\"applicant\":{\"name\":\"%s\",\"legal_form\":\"company\",\"industry\":\"manufacturing\","
			 "\"capital\":\"1,000万円\",\"employees\":25,\"prefecture\":\"埼玉県\"},\"project\":{\"expenses\":"
			 "\"%d万円\",\"low_contact\":false,\"global\":false},\"plan\":{\"years\":%s}}}",
			 (long long)company, (long long)call, a->company, a->expenses_man, years);
		if (step(d, "application", hj_app_create(d->st, d->rb, o, body, strlen(body), &out, &version, &d->err), &out,
			 &j))
			return -1;
		a->id = jint(j, "application", "id");
		json_decref(j);
		char key[32];
		snprintf(key, sizeof key, "demo-%d", i);
		if (step(d, "submit", hj_app_submit(d->st, d->rb, o, a->id, "{}", 2, key, 0, &out, &replayed, &d->err), &out,
			 NULL))
			return -1;
	}

	/* ---- 2021-04: review, selection, notices */
	hj_clock_set(jst_us(2021, 4, 5, 10));
	const char *auto_body = "{\"mode\":\"auto\"}";
	if (step(d, "assignments", hj_assign(d->st, d->rb, &d->staff, call, auto_body, strlen(auto_body), 0, &out, &d->err),
		 &out, NULL))
		return -1;
	for (int r = 0; r < 2; r++) {
		if (step(d, "queue", hj_reviewer_queue(d->st, &d->rev[r], 1, 100, &out, &d->err), &out, &j))
			return -1;
		json_t *x;
		size_t k;
		json_array_foreach(json_object_get(j, "items"), k, x)
		{
			int64_t app = jint(x, "application", NULL), asg = jint(x, "assignment", NULL);
			int score = 3;
			for (int i = 0; i < napps; i++)
				if (apps[i].id == app)
					score = apps[i].score;
			json_t *ra;
			if (step(d, "reviewer application", hj_reviewer_app(d->st, d->rb, &d->rev[r], app, &out, &d->err), &out,
				 &ra)) {
				json_decref(j);
				return -1;
			}
			size_t n = 0, c;
			json_t *cr;
			n += snprintf(body + n, sizeof body - n, "{\"submit\":true,\"scores\":{");
			json_array_foreach(json_object_get(ra, "criteria"), c, cr)
				n += snprintf(body + n, sizeof body - n, "%s\"%s\":%d", c ? "," : "",
					      json_string_value(json_object_get(cr, "id")), score);
			snprintf(body + n, sizeof body - n, "},\"overall\":\"%s\"}",
				 score >= 4 ? "計画が具体的で実現性が高い" : "市場の見通しに根拠が乏しい");
			json_decref(ra);
			if (step(d, "review", hj_review_save(d->st, d->rb, &d->rev[r], asg, 0, body, strlen(body), &out, &version,
							     &d->err),
				 &out, NULL)) {
				json_decref(j);
				return -1;
			}
		}
		json_decref(j);
	}
	hj_clock_set(jst_us(2021, 4, 20, 10));
	if (step(d, "selection", hj_selection_create(d->st, d->rb, &d->admin, call, 0, &out, &replayed, &d->err), &out, &j))
		return -1;
	int64_t selection = jint(j, "selection", NULL);
	size_t k;
	json_t *x;
	json_array_foreach(json_object_get(j, "decisions"), k, x)
	for (int i = 0; i < napps; i++)
		if (apps[i].id == jint(x, "application", NULL) &&
		    !strcmp(json_string_value(json_object_get(x, "outcome")) ? json_string_value(json_object_get(x, "outcome"))
									      : "",
			    "adopted"))
			apps[i].adopted = 1;
	json_decref(j);
	if (step(d, "notices", hj_notices_release(d->st, d->rb, &d->staff, selection, "{}", 2, &out, &d->err), &out, NULL))
		return -1;

	/* ---- 2021-05/06: 交付申請, 交付決定, 計画変更 */
	int nawards = 0;
	for (int i = 0; i < napps; i++) {
		demo_app *a = &apps[i];
		if (!a->adopted)
			continue;
		hj_actor *o = &d->owner[a->owner];
		hj_clock_set(jst_us(2021, 5, 20, 10));
		const char *req = "{\"note\":\"採択通知を受けて交付を申請します\"}";
		if (step(d, "award", hj_award_apply(d->st, d->rb, o, a->id, req, strlen(req), &out, &d->err), &out, &j))
			return -1;
		a->award = jint(j, "award", "id");
		a->amount = jint(j, "award", "adopted_amount");
		json_decref(j);
		hj_clock_set(jst_us(2021, 6, 1, 10));
		snprintf(body, sizeof body,
			 "{\"decision\":\"grant\",\"amount\":%lld,\"granted_on\":\"2021-06-01\",\"period_end\":\"2021-12-31\","
			 "\"conditions\":[\"補助事業の完了後、実績報告を30日以内に提出すること\"]}",
			 (long long)a->amount);
		if (step(d, "decision", hj_award_decide(d->st, d->rb, &d->staff, a->award, body, strlen(body), &out, &d->err),
			 &out, NULL))
			return -1;
		if (nawards == 0 || nawards == 1) {
			const char *ch = nawards == 0
						 ? "{\"kind\":\"extension\",\"reason\":\"機械の納期が1か月遅れる\",\"period_end\":\"2022-01-31\"}"
						 : "{\"kind\":\"reallocation\",\"reason\":\"外注費の一部を機械装置費に回したい\","
						   "\"detail\":{\"from\":\"outsourcing\",\"to\":\"machinery\",\"amount\":1000000}}";
			hj_clock_set(jst_us(2021, 9, 1, 10));
			if (step(d, "change", hj_change_request(d->st, d->rb, o, a->award, ch, strlen(ch), &out, &d->err), &out,
				 &j))
				return -1;
			int64_t change = jint(j, "change", "id");
			json_decref(j);
			const char *dec = nawards == 0 ? "{\"decision\":\"approve\",\"reason\":\"納期の遅れを書面で確認した\"}"
						       : "{\"decision\":\"refuse\",\"reason\":\"経費区分の変更の理由が示されていない\"}";
			if (step(d, "change decision",
				 hj_change_decide(d->st, d->rb, &d->staff, change, dec, strlen(dec), &out, &d->err), &out, NULL))
				return -1;
		}
		nawards++;
	}

	/* ---- 2022-01/02: 実績報告, 確定検査, 確定額, 精算払 */
	int nth = 0;
	for (int i = 0; i < napps; i++) {
		demo_app *a = &apps[i];
		if (!a->award)
			continue;
		hj_actor *o = &d->owner[a->owner];
		hj_clock_set(jst_us(2022, 1, 10 + nth, 10));
		long long total = (long long)a->expenses_man * 10000, mach = total * 7 / 10, out_ = total * 2 / 10,
			  trans = total - mach - out_;
		snprintf(body, sizeof body,
			 "{\"completed_on\":\"2021-12-20\",\"lines\":["
			 "{\"category\":\"machinery\",\"description\":\"加工機一式\",\"amount\":%lld,\"date\":\"2021-07-15\"},"
			 "{\"category\":\"outsourcing\",\"description\":\"治具の設計・製作\",\"amount\":%lld,\"date\":\"2021-08-20\"},"
			 "{\"category\":\"transport\",\"description\":\"据付・運搬\",\"amount\":%lld,\"date\":\"2021-09-10\"}]}",
			 mach, out_, trans);
		if (step(d, "claim", hj_claim_save(d->st, d->rb, o, a->award, 0, body, strlen(body), &out, &version, &d->err),
			 &out, NULL))
			return -1;
		const char *pdf = "%PDF-1.4 デモの請求書";
		if (step(d, "invoice",
			 hj_claim_attachment_add(d->st, o, a->award, "請求書.pdf", "invoice", "application/pdf", pdf,
						 strlen(pdf), NULL, &out, &d->err),
			 &out, NULL) ||
		    step(d, "claim submit", hj_claim_submit(d->st, d->rb, o, a->award, &out, &d->err), &out, NULL))
			return -1;
		hj_clock_set(jst_us(2022, 1, 25, 10));
		if (nth == 1)
			snprintf(body, sizeof body,
				 "{\"lines\":[{\"index\":0,\"decision\":\"accept\"},{\"index\":1,\"decision\":\"reduce\","
				 "\"accepted\":%lld,\"reason\":\"見積書との差額は対象外\"},{\"index\":2,\"decision\":\"accept\"}]}",
				 out_ / 2);
		else
			snprintf(body, sizeof body,
				 "{\"lines\":[{\"index\":0,\"decision\":\"accept\"},{\"index\":1,\"decision\":\"accept\"},"
				 "{\"index\":2,\"decision\":\"accept\"}]}");
		if (step(d, "inspection",
			 hj_inspection_save(d->st, d->rb, &d->staff, a->award, body, strlen(body), &out, &d->err), &out, NULL) ||
		    step(d, "settlement", hj_settlement(d->st, d->rb, &d->staff, a->award, 0, &out, &d->err), &out, &j))
			return -1;
		int64_t settled = jint(j, "amount", NULL);
		json_decref(j);
		hj_clock_set(jst_us(2022, 2, 15, 10));
		snprintf(body, sizeof body, "{\"paid_on\":\"2022-02-15\",\"amount\":%lld}", (long long)settled);
		if (step(d, "payment", hj_payment_record(d->st, &d->staff, a->award, body, strlen(body), &out, &d->err), &out,
			 NULL))
			return -1;
		nth++;
	}

	/* ---- 2023-05 … 2025-05: yearly reports (the first grantee all three
	 * years, the second two, the third its first only, and late) */
	nth = 0;
	for (int i = 0; i < napps; i++) {
		demo_app *a = &apps[i];
		if (!a->award)
			continue;
		hj_actor *o = &d->owner[a->owner];
		int last = nth == 0 ? 3 : nth == 1 ? 2 : 1;
		for (int y = 1; y <= last; y++) {
			if (nth >= 2)
				hj_clock_set(jst_us(2023, 8, 1, 10)); /* after the due date 2023-06-30 */
			else
				hj_clock_set(jst_us(2022 + y, 5, 15, 10));
			/* as planned (in yen), less 1% of sales for the third grantee */
			demo_year v = year_of(a->sales_man, a->growth, y);
			long long sales = v.sales * 10000, cost = v.cost * 10000, labor = v.labor * 10000, dep = v.dep * 10000,
				  other = v.other * 10000, wages = v.wages * 10000;
			if (nth >= 2)
				sales -= sales / 100;
			snprintf(body, sizeof body,
				 "{\"submit\":true,\"data\":{\"fiscal_year_end\":\"%d-03-31\",\"sales\":%lld,\"cost_of_sales\":%lld,"
				 "\"labor_cost\":%lld,\"depreciation\":%lld,\"other_expenses\":%lld,\"total_wages\":%lld,"
				 "\"employees\":%d,\"min_wage\":%d}}",
				 2022 + y, sales, cost, labor, dep, other, wages, 20 + y, 1060 + 40 * y);
			if (step(d, "yearly report",
				 hj_report_save(d->st, d->rb, o, a->award, y, body, strlen(body), &out, &d->err), &out, NULL))
				return -1;
		}
		nth++;
	}
	return 0;
}

int admin_demo(opts *o, hj_store *st)
{
	demo d;
	memset(&d, 0, sizeof d);
	d.st = st;
	hj_auth_defaults(&d.cfg);
	if (hj_rulebook_load(cli_rules_dir(o), &d.rb, &d.err)) {
		fprintf(stderr, "hojo admin demo: 規則集が読めません: %s\n", d.err.message);
		return EXIT_RULEBOOK;
	}
	hj_actor cli;
	actor(&cli, 0, 0, "");
	hj_account a;
	int created = 0;
	hj_clock_set(jst_us(2021, 3, 1, 9));
	hj_status s = hj_account_create_admin(st, &d.cfg, &cli, "admin" DEMO_DOMAIN, "デモ 管理者", DEMO_PASSWORD, &a,
					      &created, &d.err);
	if (s || !created) {
		hj_clock_set(0);
		hj_rulebook_free(d.rb);
		if (s) {
			fprintf(stderr, "hojo admin demo: %s\n", d.err.message);
			return EXIT_INTERNAL;
		}
		fprintf(stderr, "hojo admin demo: デモのデータは作成済みです（admin%s があります）。何も変更しません\n",
			DEMO_DOMAIN);
		return EXIT_DONE;
	}
	actor(&d.admin, a.id, a.roles, "admin" DEMO_DOMAIN);
	int rc = demo_run(&d);
	hj_clock_set(0);
	hj_rulebook_free(d.rb);
	if (rc) {
		char buf[1600];
		hj_error_format(&d.err, buf, sizeof buf);
		fprintf(stderr, "hojo admin demo: %s で失敗しました: %s: %s\n", d.failed ? d.failed : "?",
			hj_status_name(d.err.status), buf);
		return EXIT_INTERNAL;
	}
	printf("%d\n", d.steps);
	fprintf(stderr,
		"hojo admin demo: デモのデータを作りました（%d 件の操作）。サインイン: admin%s / staff%s / reviewer1%s / "
		"owner1%s ほか、パスワードはすべて %s（README「デモのデータ」）\n",
		d.steps, DEMO_DOMAIN, DEMO_DOMAIN, DEMO_DOMAIN, DEMO_DOMAIN, DEMO_PASSWORD);
	return EXIT_DONE;
}
