/*
 * test_review.c - hojo/review.h: the shipped review rules (mono-r2,
 * saikochiku-r2), bonus rules over facts with the values seen, re-review
 * targets and amounts, exact score comparison and text, aggregation of
 * reviews computed by hand, tie-break parsing, selection errors, and the
 * loader's errors naming the field. Run from the repository root.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "unit.h"
#include "hojo/hojo.h"
#include "hojo/review.h"

static hj_rulebook *rb;

static int setup(void **state)
{
	(void)state;
	hj_error err;
	return hj_rulebook_load("rules", &rb, &err) == HJ_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	hj_rulebook_free(rb);
	return 0;
}

static const hj_edition *edition_of(const char *frame)
{
	const hj_frame *f = hj_rulebook_find_frame(rb, frame);
	assert_non_null(f);
	return hj_frame_edition(f);
}

static hj_facts *facts_json(const char *json)
{
	hj_facts *f;
	hj_error err;
	assert_int_equal(hj_facts_new(rb, &f), HJ_OK);
	if (hj_facts_load_json(f, json, strlen(json), "test", &err))
		print_error("%s: %s\n", err.field, err.message);
	return f;
}

/* mono-r2 (seed 004:29-72): ten questions, scale 0..5, five bonuses, and
 * 低感染リスク型 → 通常枠 with priority (seed 001:589-591). */
static void test_mono_r2_rules(void **state)
{
	(void)state;
	const hj_edition *e = edition_of("mono-r2-tsujo");
	assert_true(hj_edition_has_review(e));
	assert_int_equal(hj_edition_ncriteria(e), 10);
	assert_string_equal(hj_edition_criterion(e, 0)->id, "innovation");
	assert_string_equal(hj_edition_criterion(e, 0)->group, "技術面");
	assert_string_equal(hj_edition_criterion(e, 0)->source, "seed 004:37");
	assert_int_equal(hj_edition_criterion(e, 0)->weight, 1);
	assert_null(hj_edition_criterion(e, 10));
	hj_scale sc;
	hj_edition_scale(e, &sc);
	assert_int_equal(sc.min, 0);
	assert_int_equal(sc.max, 5);
	assert_true(strlen(sc.note) > 0);
	assert_int_equal(hj_edition_nbonus_rules(e), 5);
	int k = hj_edition_find_bonus_rule(e, "kakushin");
	assert_int_equal(k, 0);
	assert_string_equal(hj_edition_bonus_rule(e, k)->evidence, "kakushin_approval");
	assert_int_equal(hj_edition_find_bonus_rule(e, "nothing"), -1);
	assert_int_equal(hj_edition_nrereviews(e), 1);
	const hj_rereview *rr = hj_frame_rereview(hj_rulebook_find_frame(rb, "mono-r2-teikansen"));
	assert_non_null(rr);
	assert_ptr_equal(rr->to, hj_rulebook_find_frame(rb, "mono-r2-tsujo"));
	assert_int_equal(rr->priority, 1);
	assert_string_equal(rr->bonus, "");
	assert_null(hj_frame_rereview(hj_rulebook_find_frame(rb, "mono-r2-tsujo")));
	/* 連携型 R3: 加点 only (seed 001:951), no criteria or scale */
	const hj_edition *rk = edition_of("renkei-r3-kigyokan");
	assert_true(hj_edition_has_review(rk));
	assert_int_equal(hj_edition_ncriteria(rk), 0);
	assert_int_equal(hj_edition_nbonus_rules(rk), 2);
	hj_edition_scale(rk, &sc);
	assert_int_equal(sc.max, 0);
	/* an edition without 'review:' */
	const hj_edition *h30 = edition_of("mono-h30-ippan");
	assert_false(hj_edition_has_review(h30));
	hj_edition_scale(h30, &sc);
	assert_int_equal(sc.max, 0);
	assert_string_equal(sc.source, "");
}

/* 経営革新計画 is a presence fact: true with the mapping, false when
 * 'certifications' exists without it, unknown when that is absent too. */
static void test_bonus_check_values(void **state)
{
	(void)state;
	const hj_edition *e = edition_of("mono-r2-tsujo");
	int k = hj_edition_find_bonus_rule(e, "kakushin");
	char v[300];
	hj_facts *f = facts_json("{\"applicant\":{\"certifications\":{\"keiei_kakushin\":{\"approved\":\"2020-04-01\"}}}}");
	assert_int_equal(hj_bonus_check(rb, f, e, k, v, sizeof v), HJ_TRUE);
	assert_non_null(strstr(v, "kakushin.held="));
	hj_facts_free(f);
	f = facts_json("{\"applicant\":{\"certifications\":{}}}");
	assert_int_equal(hj_bonus_check(rb, f, e, k, v, sizeof v), HJ_FALSE);
	hj_facts_free(f);
	f = facts_json("{\"applicant\":{}}");
	assert_int_equal(hj_bonus_check(rb, f, e, k, v, sizeof v), HJ_UNKNOWN);
	assert_non_null(strstr(v, "kakushin.held="));
	/* a declared fact: 創業・第二創業 */
	int s = hj_edition_find_bonus_rule(e, "startup");
	assert_int_equal(hj_bonus_check(rb, f, e, s, NULL, 0), HJ_UNKNOWN);
	hj_facts_free(f);
	f = facts_json("{\"applicant\":{\"startup\":true}}");
	assert_int_equal(hj_bonus_check(rb, f, e, s, v, sizeof v), HJ_TRUE);
	assert_non_null(strstr(v, "startup="));
	hj_facts_free(f);
}

/* 緊急事態宣言 加点 (seed 001:386-388): a month of 2021-01..03 at least 30%
 * below the same month one or two years before. 2021-01: 700万 against
 * 2020-01: 1,000万 is 30% down exactly -> applies; 701万 is 29.9% -> not. */
static void test_emergency_bonus(void **state)
{
	(void)state;
	const hj_edition *e = edition_of("saikochiku-kinkyu");
	int k = hj_edition_find_bonus_rule(e, "emergency");
	assert_true(k >= 0);
	char v[600];
	hj_facts *f = facts_json("{\"applicant\":{\"monthly_sales\":{\"2019-01\":\"1000万円\",\"2019-02\":\"1000万円\","
				 "\"2019-03\":\"1000万円\",\"2020-01\":\"1000万円\",\"2020-02\":\"1000万円\",\"2020-03\":"
				 "\"1000万円\",\"2021-01\":\"700万円\",\"2021-02\":\"1000万円\",\"2021-03\":\"1000万円\"}}}");
	assert_int_equal(hj_bonus_check(rb, f, e, k, v, sizeof v), HJ_TRUE);
	assert_non_null(strstr(v, "saikochiku.emergency30="));
	hj_facts_free(f);
	f = facts_json("{\"applicant\":{\"monthly_sales\":{\"2019-01\":\"1000万円\",\"2019-02\":\"1000万円\","
		       "\"2019-03\":\"1000万円\",\"2020-01\":\"1000万円\",\"2020-02\":\"1000万円\",\"2020-03\":"
		       "\"1000万円\",\"2021-01\":\"701万円\",\"2021-02\":\"1000万円\",\"2021-03\":\"1000万円\"}}}");
	assert_int_equal(hj_bonus_check(rb, f, e, k, v, sizeof v), HJ_FALSE);
	hj_facts_free(f);
}

/* 緊急事態宣言特別枠 → 通常枠 with the bonus: a 中小企業 goes to the 中小
 * 通常枠, an unknown size to none (seed 001:382, 405). */
static void test_rereview_target(void **state)
{
	(void)state;
	const hj_frame *k = hj_rulebook_find_frame(rb, "saikochiku-kinkyu");
	const hj_edition *e = hj_frame_edition(k);
	assert_int_equal(hj_edition_nrereviews(e), 2);
	assert_string_equal(hj_edition_rereview(e, 0)->when, "sme");
	assert_string_equal(hj_edition_rereview(e, 0)->bonus, "emergency");
	hj_facts *f = facts_json("{\"applicant\":{\"legal_form\":\"company\",\"industry\":\"manufacturing\","
				 "\"capital\":\"1000万円\",\"employees\":25}}");
	const hj_rereview *rr = hj_review_target(rb, f, k);
	assert_non_null(rr);
	assert_string_equal(hj_frame_id(rr->to), "saikochiku-chusho-tsujo");
	hj_facts_free(f);
	f = facts_json("{\"applicant\":{}}");
	assert_null(hj_review_target(rb, f, k));
	assert_int_equal(hj_rereview_applies(rb, f, e, 0), HJ_UNKNOWN);
	hj_facts_free(f);
}

/* The re-review amount (tests/cases/monodukuri/r2.yaml): a manufacturing
 * company, 1,000万円, 25 people, expenses 1,500万円: 低感染リスク型 pays
 * 1,500万 x 2/3 = 1,000万; moved to 通常枠 it is 1,500万 x 1/2 = 750万. */
static void test_reamount(void **state)
{
	(void)state;
	hj_facts *f = facts_json("{\"applicant\":{\"legal_form\":\"company\",\"industry\":\"manufacturing\","
				 "\"capital\":\"1000万円\",\"employees\":25},\"project\":{\"low_contact\":true,"
				 "\"global\":true,\"expenses\":\"1500万円\"}}");
	hj_yen y;
	hj_verdict v;
	assert_int_equal(hj_review_reamount(rb, f, hj_rulebook_find_frame(rb, "mono-r2-tsujo"), &y, &v), HJ_OK);
	assert_int_equal(v, HJ_ELIGIBLE);
	assert_int_equal(y, 7500000);
	assert_int_equal(hj_review_reamount(rb, f, hj_rulebook_find_frame(rb, "mono-r2-teikansen"), &y, NULL), HJ_OK);
	assert_int_equal(y, 10000000);
	hj_facts_free(f);
	/* not eligible there (no low_contact) -> -1: not moved */
	f = facts_json("{\"applicant\":{\"legal_form\":\"company\",\"industry\":\"manufacturing\","
		       "\"capital\":\"1000万円\",\"employees\":25},\"project\":{\"low_contact\":false,"
		       "\"expenses\":\"1500万円\"}}");
	assert_int_equal(hj_review_reamount(rb, f, hj_rulebook_find_frame(rb, "mono-r2-teikansen"), &y, &v), HJ_OK);
	assert_int_equal(v, HJ_INELIGIBLE);
	assert_int_equal(y, -1);
	hj_facts_free(f);
}

static void test_score_cmp_and_text(void **state)
{
	(void)state;
	hj_frac a = { 145, 2 }, b = { 72, 1 };
	assert_int_equal(hj_score_cmp(a, b), 1);
	assert_int_equal(hj_score_cmp(b, a), -1);
	assert_int_equal(hj_score_cmp(a, (hj_frac){ 290, 4 }), 0);
	/* 1/3 > 333333/1000000 */
	assert_int_equal(hj_score_cmp((hj_frac){ 1, 3 }, (hj_frac){ 333333, 1000000 }), 1);
	/* beyond 64 bits: (M-1)/M vs (M-2)/(M-1): (M-1)^2 = M^2-2M+1 > M(M-2) = M^2-2M */
	hj_frac x = { INT64_MAX - 1, INT64_MAX }, y = { INT64_MAX - 2, INT64_MAX - 1 };
	assert_int_equal(hj_score_cmp(x, y), 1);
	assert_int_equal(hj_score_cmp(y, x), -1);
	char t[32];
	hj_score_text((hj_frac){ 217, 3 }, 2, t, sizeof t); /* 72.333… rounded down */
	assert_string_equal(t, "72.33");
	hj_score_text(a, 2, t, sizeof t);
	assert_string_equal(t, "72.50");
	hj_score_text(a, 0, t, sizeof t);
	assert_string_equal(t, "72");
	hj_score_text((hj_frac){ -1, 3 }, 2, t, sizeof t); /* floor(-33.3…) = -34 */
	assert_string_equal(t, "-0.34");
	hj_score_text((hj_frac){ 2, 3 }, 3, t, sizeof t);
	assert_string_equal(t, "0.666");
}

/* Three reviewers, two criteria weighted 2 and 1:
 *   r1 [4, 3] -> 2*4 + 3 = 11;  r2 [5, 1] -> 11;  r3 [2, 5] -> 9
 * criterion 0: mean (4+5+2)/3 = 11/3, median 4, spread 5-2 = 3
 * criterion 1: mean (3+1+5)/3 = 3, median 3, spread 5-1 = 4
 * totals: mean 31/3, median 11, spread 11-9 = 2 (flag when > threshold). */
static void test_aggregate(void **state)
{
	(void)state;
	const int64_t s[] = { 4, 3, 5, 1, 2, 5 }, w[] = { 2, 1 };
	hj_aggregate ag;
	hj_error err;
	assert_int_equal(hj_aggregate_scores(s, 3, 2, w, 1, &ag, &err), HJ_OK);
	assert_int_equal(ag.nreviews, 3);
	assert_int_equal(ag.mean[0].num, 11);
	assert_int_equal(ag.mean[0].den, 3);
	assert_int_equal(ag.median[0].num, 4);
	assert_int_equal(ag.median[0].den, 1);
	assert_int_equal(ag.spread[0], 3);
	assert_int_equal(ag.mean[1].num, 3);
	assert_int_equal(ag.mean[1].den, 1);
	assert_int_equal(ag.median[1].num, 3);
	assert_int_equal(ag.spread[1], 4);
	assert_int_equal(ag.total_mean.num, 31);
	assert_int_equal(ag.total_mean.den, 3);
	assert_int_equal(ag.total_median.num, 11);
	assert_int_equal(ag.total_spread, 2);
	assert_true(ag.disagree); /* 2 > 1 */
	assert_int_equal(hj_aggregate_scores(s, 3, 2, w, 2, &ag, &err), HJ_OK);
	assert_false(ag.disagree); /* 2 is not beyond 2 */
	assert_int_equal(hj_aggregate_scores(s, 3, 2, w, 0, &ag, &err), HJ_OK);
	assert_false(ag.disagree); /* 0: never */
	/* an even count: one criterion, 1 4 2 3 -> sorted 1 2 3 4, median
	 * (2+3)/2 = 5/2, mean 10/4 = 5/2 */
	const int64_t e4[] = { 1, 4, 2, 3 };
	assert_int_equal(hj_aggregate_scores(e4, 4, 1, NULL, 0, &ag, &err), HJ_OK);
	assert_int_equal(ag.median[0].num, 5);
	assert_int_equal(ag.median[0].den, 2);
	assert_int_equal(ag.mean[0].num, 5);
	assert_int_equal(ag.mean[0].den, 2);
	/* overflow is an error, not a wrong number */
	const int64_t big[] = { INT64_MAX, INT64_MAX };
	assert_int_equal(hj_aggregate_scores(big, 2, 1, NULL, 0, &ag, &err), HJ_ERR_RANGE);
	assert_int_equal(hj_aggregate_scores(s, 3, 0, w, 0, &ag, &err), HJ_ERR_INPUT);
}

static void test_tiebreak_parse(void **state)
{
	(void)state;
	const char *crit[] = { "tech", "biz" };
	hj_tiebreak_rule tb[8];
	int n;
	hj_error err;
	assert_int_equal(hj_tiebreak_parse("bonus_desc, criterion_desc:biz,submitted_asc", crit, 2, tb, 8, &n, &err),
			 HJ_OK);
	assert_int_equal(n, 3);
	assert_int_equal(tb[0].key, HJ_TB_BONUS_DESC);
	assert_int_equal(tb[1].key, HJ_TB_CRITERION_DESC);
	assert_int_equal(tb[1].criterion, 1);
	assert_int_equal(tb[2].key, HJ_TB_SUBMITTED_ASC);
	assert_int_equal(hj_tiebreak_parse("", crit, 2, tb, 8, &n, &err), HJ_OK);
	assert_int_equal(n, 0);
	assert_int_equal(hj_tiebreak_parse("bonus_desc,score_desc", crit, 2, tb, 8, &n, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "tiebreak.score_desc");
	assert_int_equal(hj_tiebreak_parse("criterion_desc:nope", crit, 2, tb, 8, &n, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "tiebreak.criterion_desc:nope");
	assert_int_equal(hj_tiebreak_parse("request_asc,request_asc", crit, 2, tb, 8, &n, &err), HJ_ERR_INPUT);
	assert_int_equal(hj_tiebreak_parse("request_asc,request_desc", crit, 2, tb, 1, &n, &err), HJ_ERR_INPUT);
}

static hj_sel_app app(int64_t id, int frame, hj_yen req, int64_t score)
{
	hj_sel_app a;
	memset(&a, 0, sizeof a);
	a.id = id;
	a.frame = frame;
	a.request = req;
	a.rerequest = -1;
	a.score = hj_frac_int(score);
	a.eligible = 1;
	return a;
}

/* Library-level: the same result whatever the input order (and the same
 * hash); errors name the application; overflow is an error. */
static void test_selection_library(void **state)
{
	(void)state;
	hj_sel_frame fr[1] = { { "A", 500, 0, -1, "", 0, 0 } };
	hj_sel_app a[3] = { app(1, 0, 300, 80), app(2, 0, 300, 90), app(3, 0, 200, 70) };
	hj_sel_app b[3] = { a[2], a[0], a[1] };
	hj_sel_result r1, r2;
	hj_error err;
	/* 2 (90): 300; 1 (80): 600 > 500 stops; 3 rejected below the cut */
	assert_int_equal(hj_selection_run(fr, 1, a, 3, NULL, 0, &r1, &err), HJ_OK);
	assert_int_equal(r1.decisions[1].outcome, HJ_SEL_ADOPTED);
	assert_int_equal(r1.decisions[0].outcome, HJ_SEL_REJECTED);
	assert_int_equal(r1.decisions[0].rank, 2);
	assert_int_equal(r1.decisions[2].outcome, HJ_SEL_REJECTED);
	assert_string_equal(r1.decisions[2].reason, "予算の上限に達した");
	assert_int_equal(r1.cuts[0].used, 300);
	assert_int_equal(r1.cuts[0].left, 200);
	assert_int_equal(hj_selection_run(fr, 1, b, 3, NULL, 0, &r2, &err), HJ_OK);
	assert_string_equal(r1.inputs_hash, r2.inputs_hash);
	assert_int_equal(r2.decisions[2].outcome, HJ_SEL_ADOPTED); /* id 2, now third */
	hj_sel_result_free(&r1);
	hj_sel_result_free(&r2);
	/* a frame index out of range names the application */
	a[1].frame = 4;
	assert_int_equal(hj_selection_run(fr, 1, a, 3, NULL, 0, &r1, &err), HJ_ERR_INPUT);
	assert_non_null(strstr(err.field, "id 2"));
	assert_null(r1.decisions);
	/* the sum of amounts overflows: an error */
	hj_sel_frame un[1] = { { "A", 0, 0, -1, "", 0, 0 } };
	hj_sel_app big[2] = { app(1, 0, INT64_MAX, 2), app(2, 0, INT64_MAX, 1) };
	assert_int_equal(hj_selection_run(un, 1, big, 2, NULL, 0, &r1, &err), HJ_ERR_RANGE);
	hj_sel_result_free(&r1);
	hj_sel_result_free(NULL);
}

static long alloc_left; /* for unit_failing_alloc */

/* Out of memory at every allocation of a selection with re-review:
 * HJ_ERR_NOMEM, nothing half-filled, nothing leaked (ASan). */
static void test_selection_out_of_memory(void **state)
{
	(void)state;
	hj_sel_frame fr[2] = { { "S", 500, 0, 1, "b", 1, 0 }, { "N", 0, 1, -1, "", 0, 0 } };
	hj_sel_app a[3] = { app(1, 0, 400, 80), app(2, 0, 400, 70), app(3, 1, 100, 60) };
	a[1].rerequest = 300;
	int failed = 0, succeeded = 0;
	for (long n = 0; n < 100 && !succeeded; n++) {
		alloc_left = n;
		hj_set_allocator(unit_failing_alloc, &alloc_left);
		hj_sel_result r;
		hj_error err;
		hj_status st = hj_selection_run(fr, 2, a, 3, NULL, 0, &r, &err);
		hj_set_allocator(NULL, NULL);
		if (st == HJ_OK) {
			succeeded = 1;
			/* 2 moves to N with 300 and 70 + 1 = 71 points, ahead of 3 (60) */
			assert_int_equal(r.decisions[1].outcome, HJ_SEL_ADOPTED_REREVIEW);
			assert_int_equal(r.decisions[1].amount, 300);
			assert_int_equal(r.decisions[2].outcome, HJ_SEL_REJECTED);
			hj_sel_result_free(&r);
		} else {
			assert_int_equal(st, HJ_ERR_NOMEM);
			assert_null(r.decisions);
			assert_null(r.cuts);
			failed++;
		}
	}
	assert_true(succeeded);
	assert_true(failed > 0);
}

/* ---- the loader: a rulebook file with a broken 'review:' ---- */

static char tmpdir[256];

static const char review_fmt[] =
	"edition:\n"
	"  program: monodukuri\n"
	"  id: test-rv\n"
	"  name: テスト版\n"
	"  short: テスト\n"
	"  source: seed 000:43\n"
	"  period: {from: 2030-01-01, to: 2030-12-31, source: seed 000:43}\n"
	"  size: {definition: company_table, source: facts §2b}\n"
	"  documents:\n"
	"    - {id: proof, name: 証明書, source: seed 004:50}\n"
	"  review:\n"
	"%s"
	"frames:\n"
	"  - id: test-rv-a\n"
	"    name: テスト枠A\n"
	"    source: seed 000:19\n"
	"    eligibility:\n"
	"      - {id: sme, text: 中小企業者であること, when: sme, source: seed 000:31}\n"
	"    cap: {yen: 1000万円, source: seed 000:19}\n"
	"    rate: {default: {value: 1/2, source: seed 000:19}}\n"
	"  - id: test-rv-b\n"
	"    name: テスト枠B\n"
	"    source: seed 000:19\n"
	"    eligibility:\n"
	"      - {id: sme, text: 中小企業者であること, when: sme, source: seed 000:31}\n"
	"    cap: {yen: 1000万円, source: seed 000:19}\n"
	"    rate: {default: {value: 1/2, source: seed 000:19}}\n";

static const char review_head[] =
	"    scale: {min: 0, max: 5, source: seed 004:29}\n"
	"    criteria:\n"
	"      - {id: c1, group: 技術面, text: 革新的か, weight: 1, source: seed 004:37}\n";

/* Load the test edition with 'body' as its review: (NULL field: it must
 * load), else expect the error naming 'field' with 'msg' in its message. */
static void expect_review_body(const char *body, const char *field, const char *msg)
{
	char buf[4096], cmd[600], path[400];
	snprintf(buf, sizeof buf, review_fmt, body);
	snprintf(tmpdir, sizeof tmpdir, "/tmp/hojo-rv-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	snprintf(cmd, sizeof cmd, "cp -r rules/. %s/", tmpdir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof path, "%s/zz-review.yaml", tmpdir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(buf, fp);
	fclose(fp);
	hj_rulebook *b = NULL;
	hj_error err;
	hj_status st = hj_rulebook_load(tmpdir, &b, &err);
	if (!field) {
		if (st)
			print_error("%s:%d: %s: %s\n", err.file, err.line, err.field, err.message);
		assert_int_equal(st, HJ_OK);
		hj_rulebook_free(b);
	} else {
		if (st != HJ_ERR_RULEBOOK || strcmp(err.field, field) || !strstr(err.message, msg))
			print_error("got %d %s:%d: %s: %s\n", st, err.file, err.line, err.field, err.message);
		assert_int_equal(st, HJ_ERR_RULEBOOK);
		assert_null(b);
		assert_non_null(strstr(err.file, "zz-review.yaml"));
		assert_string_equal(err.field, field);
		assert_non_null(strstr(err.message, msg));
	}
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	(void)!system(cmd);
}

static void expect_review_error(const char *extra, const char *field, const char *msg)
{
	char body[2048];
	snprintf(body, sizeof body, "%s%s", review_head, extra);
	expect_review_body(body, field, msg);
}

static void test_loader_good(void **state)
{
	(void)state;
	expect_review_error("    bonuses:\n"
			    "      - {id: b1, name: 加点, points: 1, when: kakushin.held, evidence: proof, text: 承認, source: seed 004:50}\n"
			    "    rereview:\n"
			    "      - {from: test-rv-a, to: test-rv-b, bonus: b1, priority: true, source: seed 001:382}\n",
			    NULL, NULL);
}

static void test_loader_errors(void **state)
{
	(void)state;
	/* a frame of another edition */
	expect_review_error("    rereview:\n"
			    "      - {from: test-rv-a, to: mono-r2-tsujo, source: seed 001:382}\n",
			    "review.rereview.to", "この版の枠ではありません");
	expect_review_error("    rereview:\n"
			    "      - {from: nowhere, to: test-rv-b, source: seed 001:382}\n",
			    "review.rereview.from", "'nowhere'");
	/* evidence must be one of the edition's documents */
	expect_review_error("    bonuses:\n"
			    "      - {id: b1, name: 加点, points: 1, when: kakushin.held, evidence: nope, text: t, source: seed 004:50}\n",
			    "review.bonuses.evidence", "'nope'");
	/* a bonus's condition is a boolean expression over facts */
	expect_review_error("    bonuses:\n"
			    "      - {id: b1, name: 加点, points: 1, when: employees, text: t, source: seed 004:50}\n",
			    "review.bonuses.when", "");
	expect_review_error("    bonuses:\n"
			    "      - {id: b1, name: 加点, points: 1, text: t, source: seed 004:50}\n",
			    "review.bonuses.when", "when");
	/* strict keys, a checked source, points in range */
	expect_review_error("    bonuses:\n"
			    "      - {id: b1, name: 加点, points: 1, when: startup, text: t, source: seed 004:50, colour: red}\n",
			    "review.bonuses", "未知のキー 'colour'");
	expect_review_error("    bonuses:\n"
			    "      - {id: b1, name: 加点, points: -1, when: startup, text: t, source: seed 004:50}\n",
			    "review.bonuses.points", "");
	expect_review_error("    bonuses:\n"
			    "      - {id: b1, name: 加点, points: 1, when: startup, text: t, source: seed 999:1}\n",
			    "review.bonuses", "");
	/* an unknown bonus carried by a re-review; two targets without 'when' */
	expect_review_error("    rereview:\n"
			    "      - {from: test-rv-a, to: test-rv-b, bonus: zz, source: seed 001:382}\n",
			    "review.rereview.bonus", "'zz'");
	expect_review_error("    rereview:\n"
			    "      - {from: test-rv-a, to: test-rv-b, source: seed 001:382}\n"
			    "      - {from: test-rv-a, to: test-rv-b, when: sme, source: seed 001:382}\n",
			    "review.rereview.from", "二つ");
	expect_review_error("    rereview:\n"
			    "      - {from: test-rv-a, to: test-rv-a, source: seed 001:382}\n",
			    "review.rereview.to", "同じ枠");
	expect_review_error("    rereview:\n"
			    "      - {from: test-rv-a, to: test-rv-b, priority: yes, source: seed 001:382}\n",
			    "review.rereview.priority", "true か false");
	expect_review_error("    scale2: {}\n", "edition.review", "未知のキー 'scale2'");
	/* criteria and scale go together; bonuses alone load */
	expect_review_body("    criteria:\n"
			   "      - {id: c1, text: 革新的か, weight: 1, source: seed 004:37}\n",
			   "review.scale", "両方");
	expect_review_body("    scale: {min: 3, max: 3, source: seed 004:29}\n"
			   "    criteria:\n"
			   "      - {id: c1, text: 革新的か, weight: 1, source: seed 004:37}\n",
			   "review.scale.max", "min より大きく");
	expect_review_body("    note: 加点だけ\n", "edition.review", "どれか");
	expect_review_body("    bonuses:\n"
			   "      - {id: b1, name: 加点, points: 2, when: startup, text: t, source: seed 004:56}\n",
			   NULL, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mono_r2_rules),
		cmocka_unit_test(test_bonus_check_values),
		cmocka_unit_test(test_emergency_bonus),
		cmocka_unit_test(test_rereview_target),
		cmocka_unit_test(test_reamount),
		cmocka_unit_test(test_score_cmp_and_text),
		cmocka_unit_test(test_aggregate),
		cmocka_unit_test(test_tiebreak_parse),
		cmocka_unit_test(test_selection_library),
		cmocka_unit_test(test_selection_out_of_memory),
		cmocka_unit_test(test_loader_good),
		cmocka_unit_test(test_loader_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
