/*
 * test_loader.c - the rulebook loader: the shipped rulebook loads; each
 * kind of mistake in a rulebook fails with its file, line, column and a
 * message saying what is wrong; nothing is half-loaded; running out of
 * memory at any allocation fails cleanly (ASan checks for leaks).
 * Run from the repository root (it copies rules/ into a temporary dir).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "unit.h"
#include "hojo/hojo.h"

static char tmpdir[256];

/* Copy rules/ to a fresh temporary directory and write 'name' there. */
static const char *rulebook_with(const char *name, const char *content)
{
	char cmd[1024];
	snprintf(tmpdir, sizeof tmpdir, "/tmp/hojo-rb-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	snprintf(cmd, sizeof cmd, "cp -r rules/. %s/", tmpdir);
	assert_int_equal(system(cmd), 0);
	if (name) {
		char path[512];
		snprintf(path, sizeof path, "%s/%s", tmpdir, name);
		FILE *fp = fopen(path, "w");
		assert_non_null(fp);
		fputs(content, fp);
		fclose(fp);
	}
	return tmpdir;
}

static void cleanup(void)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	(void)!system(cmd);
}

/* An edition file with one frame; %s is spliced into the frame. */
static const char edition_fmt[] =
	"edition:\n"
	"  program: monodukuri\n"
	"  id: test-ed\n"
	"  name: テスト版\n"
	"  short: テスト\n"
	"  source: seed 000:43\n"
	"  period: {from: 2030-01-01, to: 2030-12-31, source: seed 000:43}\n"
	"  size: {definition: company_table, source: facts §2b}\n"
	"frames:\n"
	"  - id: test-frame\n"
	"    name: テスト枠\n"
	"    source: seed 000:19\n"
	"%s";

static const char good_frame[] =
	"    eligibility:\n"
	"      - id: sme\n"
	"        text: 中小企業者であること\n"
	"        when: sme\n"
	"        source: seed 000:31\n"
	"    cap: {yen: 1000万円, source: seed 000:19}\n"
	"    rate: {default: {value: 1/2, source: seed 000:19}}\n";

/* Load a rulebook whose extra file has 'frame' and expect an error. */
static void expect_error(const char *frame, int line, int col, const char *msg)
{
	char buf[4096];
	snprintf(buf, sizeof buf, edition_fmt, frame);
	const char *dir = rulebook_with("zz-test.yaml", buf);
	hj_rulebook *rb = (hj_rulebook *)0x1;
	hj_error err;
	hj_status st = hj_rulebook_load(dir, &rb, &err);
	if (st != HJ_ERR_RULEBOOK || !strstr(err.message, msg) || (line && err.line != line) ||
	    (col && err.col != col))
		print_error("got status %d at %s:%d:%d field '%s': %s\n", st, err.file, err.line, err.col, err.field,
			    err.message);
	assert_int_equal(st, HJ_ERR_RULEBOOK);
	assert_null(rb);
	assert_non_null(strstr(err.file, "zz-test.yaml"));
	assert_non_null(strstr(err.message, msg));
	if (line)
		assert_int_equal(err.line, line);
	if (col)
		assert_int_equal(err.col, col);
	cleanup();
}

static void test_shipped_rulebook_loads(void **state)
{
	(void)state;
	hj_rulebook *rb;
	hj_error err;
	assert_int_equal(hj_rulebook_load("rules", &rb, &err), HJ_OK);
	assert_true(hj_rulebook_nframes(rb) >= 12);
	assert_int_equal(strlen(hj_rulebook_hash(rb)), 64);
	assert_non_null(hj_rulebook_find_frame(rb, "mono-h30-ippan"));
	assert_null(hj_rulebook_find_frame(rb, "mono-h30-nothing"));
	const hj_frame *f = hj_rulebook_find_frame(rb, "mono-r5-kofuka");
	hj_date d, want;
	assert_true(hj_frame_from(f, &d));
	hj_date_from_ymd(2024, 3, 11, &want);
	assert_int_equal(d, want);
	assert_false(hj_frame_in_force(f, want - 1));
	assert_true(hj_frame_in_force(f, want));
	hj_rulebook_free(rb);
}

static void test_good_extra_frame_loads_and_changes_hash(void **state)
{
	(void)state;
	hj_rulebook *a, *b;
	hj_error err;
	assert_int_equal(hj_rulebook_load("rules", &a, &err), HJ_OK);
	char buf[4096];
	snprintf(buf, sizeof buf, edition_fmt, good_frame);
	const char *dir = rulebook_with("zz-test.yaml", buf);
	assert_int_equal(hj_rulebook_load(dir, &b, &err), HJ_OK);
	assert_int_equal(hj_rulebook_nframes(b), hj_rulebook_nframes(a) + 1);
	assert_string_not_equal(hj_rulebook_hash(a), hj_rulebook_hash(b));
	hj_rulebook_free(a);
	hj_rulebook_free(b);
	cleanup();
}

static void test_unknown_name(void **state)
{
	(void)state;
	/* line 16 is "        when: smee", the name starts at column 15 */
	char frame[1024];
	snprintf(frame, sizeof frame, "%s", good_frame);
	char *p = strstr(frame, "when: sme");
	memcpy(p, "when: smx", 9);
	expect_error(frame, 16, 15, "未定義の名前 'smx'");
}

static void test_type_error(void **state)
{
	(void)state;
	char frame[1024];
	snprintf(frame, sizeof frame,
		 "    eligibility:\n"
		 "      - id: cap\n"
		 "        text: 資本金\n"
		 "        when: capital <= 300\n"
		 "        source: seed 000:31\n"
		 "    cap: {yen: 1000万円, source: seed 000:19}\n"
		 "    rate: {default: {value: 1/2, source: seed 000:19}}\n");
	expect_error(frame, 16, 0, "型が合いません");
}

static void test_bad_enum_literal(void **state)
{
	(void)state;
	expect_error("    eligibility:\n"
		     "      - id: lf\n"
		     "        text: 会社\n"
		     "        when: legal_form == \"corporation\"\n"
		     "        source: seed 000:31\n"
		     "    cap: {yen: 1000万円, source: seed 000:19}\n"
		     "    rate: {default: {value: 1/2, source: seed 000:19}}\n",
		     16, 0, "corporation");
}

static void test_missing_source(void **state)
{
	(void)state;
	expect_error("    eligibility:\n"
		     "      - id: sme\n"
		     "        text: 中小企業者であること\n"
		     "        when: sme\n"
		     "    cap: {yen: 1000万円, source: seed 000:19}\n"
		     "    rate: {default: {value: 1/2, source: seed 000:19}}\n",
		     14, 0, "'source' がありません");
}

static void test_bad_source_format(void **state)
{
	(void)state;
	expect_error("    eligibility:\n"
		     "      - id: sme\n"
		     "        text: 中小企業者であること\n"
		     "        when: sme\n"
		     "        source: 公募要領 p.3\n"
		     "    cap: {yen: 1000万円, source: seed 000:19}\n"
		     "    rate: {default: {value: 1/2, source: seed 000:19}}\n",
		     17, 17, "出典 '公募要領 p.3' の資料が sources.yaml");
	/* issue 8 part 3: a declared key, then ':lines' (L or L-M, M >= L) */
	expect_error("    eligibility:\n"
		     "      - id: sme\n"
		     "        text: 中小企業者であること\n"
		     "        when: sme\n"
		     "        source: seed 000:31-30\n"
		     "    cap: {yen: 1000万円, source: seed 000:19}\n"
		     "    rate: {default: {value: 1/2, source: seed 000:19}}\n",
		     17, 17, "出典 'seed 000:31-30' の行の形が違います");
	expect_error("    eligibility:\n"
		     "      - id: sme\n"
		     "        text: 中小企業者であること\n"
		     "        when: sme\n"
		     "        source: seed 000:31,seed 000:32\n"
		     "    cap: {yen: 1000万円, source: seed 000:19}\n"
		     "    rate: {default: {value: 1/2, source: seed 000:19}}\n",
		     17, 17, "の形が違います");
}

static void test_unknown_key(void **state)
{
	(void)state;
	expect_error("    eligibility:\n"
		     "      - id: sme\n"
		     "        text: 中小企業者であること\n"
		     "        when: sme\n"
		     "        soruce: seed 000:31\n"
		     "    cap: {yen: 1000万円, source: seed 000:19}\n"
		     "    rate: {default: {value: 1/2, source: seed 000:19}}\n",
		     17, 9, "未知のキー 'soruce'");
}

static void test_growth_must_say_how(void **state)
{
	(void)state;
	/* a growth requirement without 'growth: compound|simple' */
	expect_error("    eligibility:\n"
		     "      - {id: sme, text: 中小, when: sme, source: seed 000:31}\n"
		     "    cap: {yen: 1000万円, source: seed 000:19}\n"
		     "    rate: {default: {value: 1/2, source: seed 000:19}}\n"
		     "    requirements:\n"
		     "      - {id: va, text: 付加価値額, metric: value_added, annual_growth: 3%, source: seed 004:20}\n",
		     0, 0, "'growth' がありません");
	expect_error("    eligibility:\n"
		     "      - {id: sme, text: 中小, when: sme, source: seed 000:31}\n"
		     "    cap: {yen: 1000万円, source: seed 000:19}\n"
		     "    rate: {default: {value: 1/2, source: seed 000:19}}\n"
		     "    requirements:\n"
		     "      - {id: va, text: 付加価値額, metric: value_added, annual_growth: 3%, growth: average,\n"
		     "         growth_source: seed 004:202, source: seed 004:20}\n",
		     0, 0, "growth は compound");
}

/* issue 8: a rulebook that makes no sense is refused with file:line:col.
 * The frame's lines start at 13 (edition_fmt has 12 lines). */
static void test_rate_must_make_sense(void **state)
{
	(void)state;
	static const char head[] = "    eligibility:\n"
				   "      - {id: sme, text: 中小, when: sme, source: seed 000:31}\n"
				   "    cap: {yen: 1000万円, source: seed 000:19}\n";
	char buf[1024];
	/* line 16: "    rate: {default: {value: X" - the value at column 29 */
	snprintf(buf, sizeof buf, "%s    rate: {default: {value: 0, source: seed 000:19}}\n", head);
	expect_error(buf, 16, 29, "補助率 0 は 0 より大きく 1 以下でなければなりません");
	snprintf(buf, sizeof buf, "%s    rate: {default: {value: -1/2, source: seed 000:19}}\n", head);
	expect_error(buf, 16, 29, "補助率 -1/2 は 0 より大きく 1 以下");
	snprintf(buf, sizeof buf, "%s    rate: {default: {value: 3/2, source: seed 000:19}}\n", head);
	expect_error(buf, 16, 29, "補助率 3/2 は 0 より大きく 1 以下");
	snprintf(buf, sizeof buf, "%s    rate: {default: {value: 101%%, source: seed 000:19}}\n", head);
	expect_error(buf, 16, 29, "補助率 101/100 は");
	/* an exception's rate (line 19) and a tier's rate (line 21) */
	snprintf(buf, sizeof buf,
		 "%s    rate:\n"
		 "      default: {value: 1/2, source: seed 000:19}\n"
		 "      exceptions:\n"
		 "        - {id: x, text: 例外, when: sme, value: 4/3, source: seed 000:19}\n",
		 head);
	expect_error(buf, 19, 47, "補助率 4/3 は");
	snprintf(buf, sizeof buf,
		 "%s    rate: {default: {value: 1/2, source: seed 000:19}}\n"
		 "    tiers:\n"
		 "      - {above: 500万円, rate: 0, text: 段階, source: seed 000:19}\n",
		 head);
	expect_error(buf, 18, 30, "補助率 0 は");
}

static void test_raised_cap_below_base(void **state)
{
	(void)state;
	/* line 17: the band's raised at column 37 */
	expect_error("    eligibility:\n"
		     "      - {id: sme, text: 中小, when: sme, source: seed 000:31}\n"
		     "    cap:\n"
		     "      band_by: employees\n"
		     "      bands: [{yen: 1000万円, raised: 500万円}]\n"
		     "      raised_when: large_wage_raise\n"
		     "      raised_text: 大幅賃上げ特例\n"
		     "      raised_source: seed 002:23\n"
		     "      source: seed 000:19\n"
		     "    rate: {default: {value: 1/2, source: seed 000:19}}\n",
		     17, 37, "引き上げ後の上限 raised（500万円）が元の上限 yen（1,000万円）より小さく");
}

static void test_lower_limit_above_cap(void **state)
{
	(void)state;
	/* line 17: lower_limit's yen at column 24 */
	expect_error("    eligibility:\n"
		     "      - {id: sme, text: 中小, when: sme, source: seed 000:31}\n"
		     "    cap: {yen: 1000万円, source: seed 000:19}\n"
		     "    rate: {default: {value: 1/2, source: seed 000:19}}\n"
		     "    lower_limit: {yen: 2000万円, source: seed 000:19}\n",
		     17, 24, "補助下限額 2,000万円 が補助上限額 1,000万円 を超えています");
	/* "more than the cap" (exclusive) equal to the cap: nothing can pass */
	expect_error("    eligibility:\n"
		     "      - {id: sme, text: 中小, when: sme, source: seed 000:31}\n"
		     "    cap:\n"
		     "      band_by: employees\n"
		     "      bands: [{upto: 5, yen: 100万円}, {yen: 1000万円}]\n"
		     "      source: seed 000:19\n"
		     "    rate: {default: {value: 1/2, source: seed 000:19}}\n"
		     "    lower_limit: {yen: 100万円, exclusive: true, source: seed 000:19}\n",
		     20, 24, "補助下限額 100万円超 が補助上限額 100万円（bands の行） を超えています");
}

static void test_negative_growth_target(void **state)
{
	(void)state;
	/* line 18: the requirement with annual_growth */
	expect_error("    eligibility:\n"
		     "      - {id: sme, text: 中小, when: sme, source: seed 000:31}\n"
		     "    cap: {yen: 1000万円, source: seed 000:19}\n"
		     "    rate: {default: {value: 1/2, source: seed 000:19}}\n"
		     "    requirements:\n"
		     "      - {id: va, text: 付加価値額, metric: value_added, annual_growth: -3%, growth: compound,\n"
		     "         growth_source: facts §1c, source: facts §1c}\n",
		     18, 0, "成長率の目標 annual_growth は負にできません");
}

static void test_raised_requirements_must_exist(void **state)
{
	(void)state;
	/* the requirements a raised cap brings are ids of the frame's requirements */
	expect_error("    eligibility:\n"
		     "      - {id: sme, text: 中小, when: sme, source: seed 000:31}\n"
		     "    cap:\n"
		     "      band_by: employees\n"
		     "      bands: [{yen: 1000万円, raised: 2000万円}]\n"
		     "      raised_when: large_wage_raise\n"
		     "      raised_text: 大幅賃上げ特例\n"
		     "      raised_source: seed 002:23\n"
		     "      raised_requirements: [raise_wagez]\n"
		     "      source: seed 000:19\n"
		     "    rate: {default: {value: 1/2, source: seed 000:19}}\n"
		     "    requirements:\n"
		     "      - {id: raise_wages, text: 給与, metric: total_wages, annual_growth: 6%, growth: compound,\n"
		     "         growth_source: facts §1c, source: facts §1c}\n",
		     21, 29, "requirements にない id 'raise_wagez'");
}

static void test_bad_amount(void **state)
{
	(void)state;
	expect_error("    eligibility:\n"
		     "      - {id: sme, text: 中小, when: sme, source: seed 000:31}\n"
		     "    cap: {yen: 1000ドル, source: seed 000:19}\n"
		     "    rate: {default: {value: 1/2, source: seed 000:19}}\n",
		     15, 0, "金額");
}

/* A frame may refuse or leave open only kinds of excluded_expenses, and
 * not a kind it lists, nor one kind both ways. */
static void test_bad_excluded_expense(void **state)
{
	(void)state;
	char frame[1024];
	snprintf(frame, sizeof frame, "%s"
		 "    expenses:\n"
		 "      source: seed 000:19\n"
		 "      categories: [{id: machinery, name: 機械装置費}]\n"
		 "      excluded: [pc, nosuch]\n", good_frame);
	expect_error(frame, 23, 22, "'nosuch' は excluded_expenses にありません");
	snprintf(frame, sizeof frame, "%s"
		 "    expenses:\n"
		 "      source: seed 000:19\n"
		 "      categories: [{id: pc, name: PC}]\n"
		 "      excluded: [pc]\n", good_frame);
	expect_error(frame, 23, 18, "'pc' は categories にもあります");
	snprintf(frame, sizeof frame, "%s"
		 "    expenses:\n"
		 "      source: seed 000:19\n"
		 "      categories: [{id: machinery, name: 機械装置費}]\n"
		 "      excluded: [thermometer]\n"
		 "      undetermined: [pc, thermometer]\n", good_frame);
	expect_error(frame, 24, 26, "'thermometer' は excluded にもあります");
}

static void test_duplicate_frame(void **state)
{
	(void)state;
	char buf[4096];
	snprintf(buf, sizeof buf, edition_fmt, good_frame);
	char *p = strstr(buf, "test-frame");
	/* 'mono-h30-ip' is not the same length; build a duplicate by hand */
	(void)p;
	const char *dup = "edition:\n"
			  "  program: monodukuri\n"
			  "  id: test-ed\n"
			  "  name: テスト版\n"
			  "  short: テスト\n"
			  "  source: seed 000:43\n"
			  "  period: {from: 2030-01-01, to: 2030-12-31, source: seed 000:43}\n"
			  "  size: {definition: company_table, source: facts §2b}\n"
			  "frames:\n"
			  "  - id: mono-h30-ippan\n"
			  "    name: 重複\n"
			  "    source: seed 000:19\n";
	const char *dir = rulebook_with("zz-test.yaml", dup);
	hj_rulebook *rb;
	hj_error err;
	assert_int_equal(hj_rulebook_load(dir, &rb, &err), HJ_ERR_RULEBOOK);
	assert_non_null(strstr(err.message, "二度定義"));
	assert_int_equal(err.line, 10);
	cleanup();
}

/* issue 7 point 4: each edition tells which SME definition it uses, with
 * its source (事業再構築 R2: the 中小企業基本法 4 rows, seed 001:361-362;
 * IT2021: the 15-row table, seed 001:913-930; ものづくり R5: facts §2b) */
static void test_edition_size_info(void **state)
{
	(void)state;
	hj_rulebook *rb;
	hj_error err;
	assert_int_equal(hj_rulebook_load("rules", &rb, &err), HJ_OK);
	hj_size_info z;
	hj_edition_size(rb, hj_frame_edition(hj_rulebook_find_frame(rb, "saikochiku-chusho-tsujo")), &z);
	assert_string_equal(z.id, "kihonho");
	assert_int_equal(z.nrows, 4);
	assert_int_equal(z.open, 1);
	assert_string_equal(z.source, "seed 001:361-362");
	hj_edition_size(rb, hj_frame_edition(hj_rulebook_find_frame(rb, "it-2021-c")), &z);
	assert_string_equal(z.id, "it2021");
	assert_int_equal(z.nrows, 15);
	assert_int_equal(z.open, 0);
	assert_string_equal(z.source, "seed 001:913-930");
	hj_edition_size(rb, hj_frame_edition(hj_rulebook_find_frame(rb, "mono-r5-shoryokuka")), &z);
	assert_string_equal(z.id, "company_table");
	assert_int_equal(z.nrows, 8);
	assert_string_equal(z.source, "facts §2b");
	hj_rulebook_free(rb);
}

/* issue 7 point 15: an edition whose rules are of one call only (covers:)
 * says so for every date of its period not known to be in that call */
static void test_edition_covers(void **state)
{
	(void)state;
	hj_rulebook *rb;
	hj_error err;
	assert_int_equal(hj_rulebook_load("rules", &rb, &err), HJ_OK);
	const hj_edition *ed = hj_frame_edition(hj_rulebook_find_frame(rb, "saikochiku-chusho-tsujo"));
	const char *t, *src, *note;
	assert_int_equal(hj_edition_covers(ed, &t, &src, &note), 1);
	assert_string_equal(t, "第1回公募");
	assert_string_equal(src, "facts §7");
	hj_date d;
	assert_int_equal(hj_date_parse("2022-01-15", 10, &d, &err), HJ_OK);
	assert_int_equal(hj_edition_uncovered(ed, d), 1);  /* in the period, call unknown */
	assert_int_equal(hj_date_parse("2023-01-15", 10, &d, &err), HJ_OK);
	assert_int_equal(hj_edition_uncovered(ed, d), 0);  /* outside the period: not this edition */
	ed = hj_frame_edition(hj_rulebook_find_frame(rb, "mono-r5-shoryokuka"));
	assert_int_equal(hj_edition_covers(ed, &t, &src, &note), 0);
	assert_int_equal(hj_date_parse("2024-03-15", 10, &d, &err), HJ_OK);
	assert_int_equal(hj_edition_uncovered(ed, d), 0);
	hj_rulebook_free(rb);

	/* covers with dates: only the dates outside them; unknown keys refused */
	const char *dir = rulebook_with("zz-test.yaml",
					"edition:\n"
					"  program: monodukuri\n"
					"  id: test-ed\n"
					"  name: テスト版\n"
					"  short: テスト\n"
					"  source: seed 000:43\n"
					"  period: {from: 2030-01-01, to: 2030-12-31, source: seed 000:43}\n"
					"  covers: {text: 第1回, from: 2030-02-01, to: 2030-03-31, source: seed 000:43}\n"
					"  size: {definition: company_table, source: seed 000:31}\n"
					"frames:\n"
					"  - id: test-frame\n"
					"    name: テスト枠\n"
					"    source: seed 000:19\n"
					"    eligibility: [{id: sme, text: 中小, when: sme, source: seed 000:31}]\n"
					"    cap: {yen: 1000万円, source: seed 000:19}\n"
					"    rate: {default: {value: 1/2, source: seed 000:19}}\n");
	if (hj_rulebook_load(dir, &rb, &err))
		print_error("%s:%d:%d %s: %s\n", err.file, err.line, err.col, err.field, err.message);
	assert_non_null(rb);
	ed = hj_frame_edition(hj_rulebook_find_frame(rb, "test-frame"));
	assert_int_equal(hj_date_parse("2030-03-31", 10, &d, &err), HJ_OK);
	assert_int_equal(hj_edition_uncovered(ed, d), 0);
	assert_int_equal(hj_date_parse("2030-04-01", 10, &d, &err), HJ_OK);
	assert_int_equal(hj_edition_uncovered(ed, d), 1);
	assert_int_equal(hj_date_parse("2030-01-31", 10, &d, &err), HJ_OK);
	assert_int_equal(hj_edition_uncovered(ed, d), 1);
	hj_rulebook_free(rb);
	cleanup();
	dir = rulebook_with("zz-test.yaml",
			    "edition:\n"
			    "  program: monodukuri\n"
			    "  id: test-ed\n"
			    "  name: テスト版\n"
			    "  short: テスト\n"
			    "  source: seed 000:43\n"
			    "  period: {from: 2030-01-01, to: 2030-12-31, source: seed 000:43}\n"
			    "  covers: {text: 第1回, untill: 2030-03-31, source: seed 000:43}\n"
			    "  size: {definition: company_table, source: seed 000:31}\n"
			    "frames:\n"
			    "  - id: test-frame\n"
			    "    name: テスト枠\n"
			    "    source: seed 000:19\n");
	assert_int_equal(hj_rulebook_load(dir, &rb, &err), HJ_ERR_RULEBOOK);
	assert_int_equal(err.line, 8);
	assert_non_null(strstr(err.message, "untill"));
	cleanup();
}

/* issue 7 point 16: a citation must name a document of sources.yaml */
static void test_citation_names_a_document(void **state)
{
	(void)state;
	expect_error("    eligibility:\n"
		     "      - {id: sme, text: 中小, when: sme, source: seed 009:31}\n"
		     "    cap: {yen: 1000万円, source: seed 000:19}\n"
		     "    rate: {default: {value: 1/2, source: seed 000:19}}\n",
		     14, 0, "出典 'seed 009:31' の資料が sources.yaml");
	expect_error("    eligibility:\n"
		     "      - {id: sme, text: 中小, when: sme, source: seed 000:31}\n"
		     "    cap: {yen: 1000万円, source: \"seed 000:19, facts §9z\"}\n"
		     "    rate: {default: {value: 1/2, source: seed 000:19}}\n",
		     15, 0, "出典 'facts §9z' の資料が sources.yaml");
}

/* the shipped sources resolve: a seed line to its document, a facts section to itself */
static void test_cited_documents(void **state)
{
	(void)state;
	hj_rulebook *rb;
	hj_error err;
	assert_int_equal(hj_rulebook_load("rules", &rb, &err), HJ_OK);
	const hj_document *d = hj_rulebook_cited_document(rb, "seed 002:34");
	assert_non_null(d);
	assert_string_equal(d->cite, "seed 002");
	assert_string_equal(d->file, "002_ec335087aa311886.txt");
	assert_non_null(strstr(d->title, "生産性革命推進事業のご案内"));
	d = hj_rulebook_cited_document(rb, "facts §1a");
	assert_non_null(d);
	assert_string_equal(d->cite, "facts §1a");
	assert_null(hj_rulebook_cited_document(rb, "seed 009:1"));
	assert_null(hj_rulebook_cited_document(rb, "facts §1z"));
	hj_rulebook_free(rb);
}

/* issue 8 part 3: another engine's rulebook (tests/third-party/rules)
 * loads without size tables or a fact 'expenses', and resolves citations
 * under its own keys: the longest declared key, then ':lines' or ' place' */
static void test_third_party_rulebook(void **state)
{
	(void)state;
	hj_rulebook *rb;
	hj_error err;
	assert_int_equal(hj_rulebook_load("tests/third-party/rules", &rb, &err), HJ_OK);
	assert_int_equal(hj_rulebook_has_sizes(rb), 0);
	assert_int_equal(hj_rulebook_fact_index(rb, "expenses"), -1);
	const hj_document *d = hj_rulebook_cited_document(rb, "ordinance 7:4-6");
	assert_non_null(d);
	assert_string_equal(d->cite, "ordinance 7");
	d = hj_rulebook_cited_document(rb, "guide A §2");
	assert_non_null(d);
	assert_string_equal(d->cite, "guide A");
	assert_string_equal(d->file, "");
	assert_null(hj_rulebook_cited_document(rb, "guide AB"));
	assert_null(hj_rulebook_cited_document(rb, "ordinance 70:1"));
	assert_null(hj_rulebook_cited_document(rb, "seed 002:34"));
	hj_rulebook_free(rb);
}

static void test_bands_must_end_open(void **state)
{
	(void)state;
	expect_error("    eligibility:\n"
		     "      - {id: sme, text: 中小, when: sme, source: seed 000:31}\n"
		     "    cap:\n"
		     "      band_by: employees\n"
		     "      bands:\n"
		     "        - {upto: 5, yen: 750万円}\n"
		     "        - {upto: 20, yen: 1500万円}\n"
		     "      source: seed 000:19\n"
		     "    rate: {default: {value: 1/2, source: seed 000:19}}\n",
		     0, 0, "最後の行は upto なし");
}

/* A bonus granted once for a whole joint application names a cap bonus
 * of the frame; an id the frame's cap does not have is a mistake. */
static void test_group_bonus_names_a_cap_bonus(void **state)
{
	(void)state;
	expect_error("    eligibility:\n"
		     "      - {id: sme, text: 中小, when: sme, source: seed 000:31}\n"
		     "    cap:\n"
		     "      yen: 1000万円\n"
		     "      source: seed 000:19\n"
		     "      bonuses: [{id: expert, text: 専門家, when: expert, yen: 30万円, source: seed 000:36}]\n"
		     "    rate: {default: {value: 1/2, source: seed 000:19}}\n"
		     "    group:\n"
		     "      source: seed 003:48\n"
		     "      total_cap:\n"
		     "        yen: 1000万円\n"
		     "        source: seed 003:50\n"
		     "        bonuses: [{id: expret, source: seed 003:30}]\n",
		     25, 0, "id 'expret'");
}

/* An edition must name its SME definition, and one that exists. */
static void expect_size_error(const char *size_line, int line, const char *msg)
{
	char buf[4096];
	snprintf(buf, sizeof buf,
		 "edition:\n"
		 "  program: monodukuri\n"
		 "  id: test-ed\n"
		 "  name: テスト版\n"
		 "  short: テスト\n"
		 "  source: seed 000:43\n"
		 "  period: {from: 2030-01-01, to: 2030-12-31, source: seed 000:43}\n"
		 "%s"
		 "frames:\n"
		 "  - id: test-frame\n"
		 "    name: テスト枠\n"
		 "    source: seed 000:19\n"
		 "%s",
		 size_line, good_frame);
	const char *dir = rulebook_with("zz-test.yaml", buf);
	hj_rulebook *rb;
	hj_error err;
	assert_int_equal(hj_rulebook_load(dir, &rb, &err), HJ_ERR_RULEBOOK);
	assert_null(rb);
	if (!strstr(err.message, msg))
		print_error("got %s:%d: %s\n", err.file, err.line, err.message);
	assert_non_null(strstr(err.message, msg));
	assert_int_equal(err.line, line);
	cleanup();
}

static void test_edition_size(void **state)
{
	(void)state;
	expect_size_error("", 2, "'size'");
	expect_size_error("  size: {definition: kihonhou, source: seed 001:361}\n", 8,
			  "未定義の中小企業者の定義 'kihonhou'");
	expect_size_error("  size: {definition: kihonho}\n", 8, "'source' がありません");
}

/* aliases: a name already taken, and candidates without a note */
static void expect_alias_error(const char *yaml, int line, const char *msg)
{
	const char *dir = rulebook_with("zz-alias.yaml", yaml);
	hj_rulebook *rb;
	hj_error err;
	assert_int_equal(hj_rulebook_load(dir, &rb, &err), HJ_ERR_RULEBOOK);
	if (!strstr(err.message, msg))
		print_error("got %s:%d: %s\n", err.file, err.line, err.message);
	assert_non_null(strstr(err.message, msg));
	assert_int_equal(err.line, line);
	cleanup();
}

static void test_aliases(void **state)
{
	(void)state;
	expect_alias_error("aliases:\n"
			   "  - {enum: industry, names: [製造業], value: retail, source: seed 001:916}\n",
			   2, "'製造業' はすでに値か別名です");
	expect_alias_error("aliases:\n"
			   "  - {enum: industry, names: [パン屋], candidates: [retail, manufacturing], source: seed 001:916}\n",
			   2, "'note'");
	expect_alias_error("aliases:\n"
			   "  - {enum: industri, names: [パン屋], value: retail, source: seed 001:916}\n",
			   2, "未定義の列挙 'industri'");
}

static void test_yaml_syntax_error(void **state)
{
	(void)state;
	const char *dir = rulebook_with("zz-test.yaml", "edition:\n  id: [unclosed\n");
	hj_rulebook *rb;
	hj_error err;
	assert_int_equal(hj_rulebook_load(dir, &rb, &err), HJ_ERR_RULEBOOK);
	assert_null(rb);
	assert_non_null(strstr(err.file, "zz-test.yaml"));
	assert_true(err.line >= 2);
	cleanup();
}

static void test_missing_dir(void **state)
{
	(void)state;
	hj_rulebook *rb;
	hj_error err;
	assert_int_equal(hj_rulebook_load("/nonexistent/hojo-rules", &rb, &err), HJ_ERR_RULEBOOK);
	assert_null(rb);
}

static long alloc_left; /* for unit_failing_alloc */

static void test_out_of_memory_everywhere(void **state)
{
	(void)state;
	int succeeded = 0;
	long n;
	/* every 7th allocation point up to success keeps the test quick */
	for (n = 0; n < 200000 && !succeeded; n += 7) {
		alloc_left = n;
		hj_set_allocator(unit_failing_alloc, &alloc_left);
		hj_rulebook *rb = (hj_rulebook *)0x1;
		hj_error err;
		hj_status st = hj_rulebook_load("rules", &rb, &err);
		hj_set_allocator(NULL, NULL);
		if (st == HJ_OK) {
			succeeded = 1;
			hj_rulebook_free(rb);
		} else {
			assert_null(rb);
			assert_int_not_equal(err.message[0], '\0');
		}
	}
	assert_true(succeeded);
	assert_true(n > 7); /* at least one failure was injected */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_rulebook_loads),
		cmocka_unit_test(test_citation_names_a_document),
		cmocka_unit_test(test_edition_covers),
		cmocka_unit_test(test_edition_size),
		cmocka_unit_test(test_cited_documents),
		cmocka_unit_test(test_third_party_rulebook),
		cmocka_unit_test(test_good_extra_frame_loads_and_changes_hash),
		cmocka_unit_test(test_unknown_name),
		cmocka_unit_test(test_type_error),
		cmocka_unit_test(test_bad_enum_literal),
		cmocka_unit_test(test_missing_source),
		cmocka_unit_test(test_bad_source_format),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_growth_must_say_how),
		cmocka_unit_test(test_raised_requirements_must_exist),
		cmocka_unit_test(test_rate_must_make_sense),
		cmocka_unit_test(test_raised_cap_below_base),
		cmocka_unit_test(test_lower_limit_above_cap),
		cmocka_unit_test(test_negative_growth_target),
		cmocka_unit_test(test_bad_amount),
		cmocka_unit_test(test_bad_excluded_expense),
		cmocka_unit_test(test_duplicate_frame),
		cmocka_unit_test(test_bands_must_end_open),
		cmocka_unit_test(test_group_bonus_names_a_cap_bonus),
		cmocka_unit_test(test_edition_size_info),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_yaml_syntax_error),
		cmocka_unit_test(test_missing_dir),
		cmocka_unit_test(test_out_of_memory_everywhere),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
