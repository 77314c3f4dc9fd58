/*
 * test_expr.c - unit tests for the rule expression language (lib/expr.c):
 * lexing and parse errors with exact positions, name and type checking,
 * enum literals, three-valued evaluation with missing-fact reporting,
 * exact arithmetic, functions, constant folding and runtime errors.
 */
#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include "hojo/alloc.h"
#include "expr.h"

/* ------------------------------------------------------------------ */
/* A tiny environment                                                  */
/* ------------------------------------------------------------------ */

enum {
	F_EMPLOYEES, F_CAPITAL, F_APPLIED, F_SMALL, F_SME, F_INDUSTRY,
	F_PROCESSES, F_REGION, F_KAKUSHIN, F_REGIONS, NFACTS
};
enum { E_INDUSTRY, E_PROCESS, E_REGION };
enum { D_BIG };

static const struct {
	const char *name;
	int kind, id, ty, enum_id;
} syms[] = {
	{ "employees", HJ_SYM_FACT, F_EMPLOYEES, HJ_TY_NUM, -1 },
	{ "capital", HJ_SYM_FACT, F_CAPITAL, HJ_TY_YEN, -1 },
	{ "applied", HJ_SYM_FACT, F_APPLIED, HJ_TY_DATE, -1 },
	{ "small", HJ_SYM_FACT, F_SMALL, HJ_TY_BOOL, -1 },
	{ "sme", HJ_SYM_FACT, F_SME, HJ_TY_BOOL, -1 },
	{ "industry", HJ_SYM_FACT, F_INDUSTRY, HJ_TY_ENUM, E_INDUSTRY },
	{ "processes", HJ_SYM_FACT, F_PROCESSES, HJ_TY_SET, E_PROCESS },
	{ "region", HJ_SYM_FACT, F_REGION, HJ_TY_ENUM, E_REGION },
	{ "kakushin.applied", HJ_SYM_FACT, F_KAKUSHIN, HJ_TY_BOOL, -1 },
	{ "regions", HJ_SYM_FACT, F_REGIONS, HJ_TY_SET, E_REGION },
	{ "big", HJ_SYM_DEF, D_BIG, HJ_TY_BOOL, -1 },
};

static const char *const industry_ids[] = { "manufacturing", "retail", "service" };
static const char *const industry_ja[] = { "製造業", "小売業", "サービス業" };
static const char *const process_ids[] = { "P-01", "P-02", "P-03", "P-04",
					   "P-05", "P-06", "P-07" };
static const char *const region_ids[] = { "tokyo", "osaka" };

static int env_lookup(void *ud, const char *name, size_t len, hj_expr_sym *out)
{
	(void)ud;
	for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++) {
		if (strlen(syms[i].name) == len && !memcmp(syms[i].name, name, len)) {
			out->kind = syms[i].kind;
			out->id = syms[i].id;
			out->type.ty = (uint8_t)syms[i].ty;
			out->type.enum_id = (int16_t)syms[i].enum_id;
			return 1;
		}
	}
	return 0;
}

static int match(const char *const *list, int n, const char *s, size_t len)
{
	for (int i = 0; i < n; i++)
		if (strlen(list[i]) == len && !memcmp(list[i], s, len))
			return i;
	return -1;
}

static int env_enum_index(void *ud, int enum_id, const char *s, size_t len)
{
	(void)ud;
	int i;
	switch (enum_id) {
	case E_INDUSTRY:
		i = match(industry_ids, 3, s, len);
		return i >= 0 ? i : match(industry_ja, 3, s, len);
	case E_PROCESS:
		return match(process_ids, 7, s, len);
	case E_REGION:
		return match(region_ids, 2, s, len);
	}
	return -1;
}

static const char *env_enum_name(void *ud, int enum_id)
{
	(void)ud;
	static const char *const names[] = { "industry", "process", "region" };
	return enum_id >= 0 && enum_id < 3 ? names[enum_id] : NULL;
}

static const hj_expr_env ENV = { NULL, env_lookup, env_enum_index, env_enum_name };

/* The applicant's facts; each may be unknown. */
static struct world {
	hj_value v[NFACTS];
	hj_value big;        /* definition 'big'; unknown -> missing {0, 1} */
	int get_calls;
} W;

static void rt_get(void *ud, int kind, int id, hj_value *out, hj_factset *missing)
{
	struct world *w = ud;
	w->get_calls++;
	if (kind == HJ_SYM_DEF) {
		assert_int_equal(id, D_BIG);
		*out = w->big;
		if (!out->known) {
			hj_factset_add(missing, F_EMPLOYEES);
			hj_factset_add(missing, F_CAPITAL);
		}
		return;
	}
	assert_int_equal(kind, HJ_SYM_FACT);
	assert_true(id >= 0 && id < NFACTS);
	*out = w->v[id];
	if (!out->known)
		hj_factset_add(missing, id);
}

static hj_expr_rt RT;

static int reset(void **state)
{
	(void)state;
	for (int i = 0; i < NFACTS; i++)
		W.v[i] = hj_value_unknown();
	W.big = hj_value_unknown();
	W.get_calls = 0;
	memset(&RT, 0, sizeof RT);
	hj_set_allocator(NULL, NULL); /* in case a failed test left it set */
	RT.ud = &W;
	RT.get = rt_get;
	return 0;
}

static void set_num(int id, int64_t n, int64_t d)
{
	hj_frac f;
	assert_int_equal(hj_frac_make(n, d, &f), HJ_OK);
	W.v[id] = hj_value_frac(f);
}
static void set_bool(int id, int b) { W.v[id] = hj_value_bool(b); }
static void set_tri(int id, int t) /* 1 true, 0 false, -1 unknown */
{
	W.v[id] = t < 0 ? hj_value_unknown() : hj_value_bool(t);
}
static void set_sym(int id, int32_t s)
{
	W.v[id] = hj_value_unknown();
	W.v[id].known = 1;
	W.v[id].u.sym = s;
}
static void set_set(int id, uint64_t m)
{
	W.v[id] = hj_value_unknown();
	W.v[id].known = 1;
	W.v[id].u.set = m;
}
static void set_date(int id, const char *s)
{
	hj_date d;
	assert_int_equal(hj_date_parse(s, strlen(s), &d, NULL), HJ_OK);
	W.v[id] = hj_value_unknown();
	W.v[id].known = 1;
	W.v[id].u.date = d;
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static hj_type ty(int t, int e)
{
	hj_type r;
	r.ty = (uint8_t)t;
	r.enum_id = (int16_t)e;
	return r;
}
#define ANY ty(HJ_TY_NONE, -1)
#define BOOL ty(HJ_TY_BOOL, -1)

static const hj_expr_origin ORIGIN = { "rules/test.yaml", 1, 1, "frames[0].when" };

static hj_expr *compile_as(const char *src, hj_type want, hj_type *out_type)
{
	hj_expr *e = NULL;
	hj_error err;
	hj_error_clear(&err);
	hj_status st = hj_expr_compile(src, strlen(src), &ENV, want, &ORIGIN, &e,
				       out_type, &err);
	if (st != HJ_OK)
		fail_msg("compile '%s': %d:%d %s", src, err.line, err.col, err.message);
	assert_non_null(e);
	return e;
}

static hj_expr *compile(const char *src) { return compile_as(src, ANY, NULL); }

/* Compile 'src', expecting a rulebook error at line:col with message 'msg'
 * ('msg' ending in '*' matches as a prefix). */
static void check_err_at(const char *src, hj_type want, const hj_expr_origin *o,
			 int line, int col, const char *msg)
{
	hj_expr *e = (hj_expr *)(uintptr_t)1;
	hj_error err;
	hj_error_clear(&err);
	hj_status st = hj_expr_compile(src, strlen(src), &ENV, want, o, &e, NULL, &err);
	size_t n = strlen(msg);
	int differs = n && msg[n - 1] == '*' ? strncmp(err.message, msg, n - 1)
					     : strcmp(err.message, msg);
	if (st != HJ_ERR_RULEBOOK || differs || err.line != line || err.col != col)
		fail_msg("'%s': got status %d at %d:%d \"%s\", want %d:%d \"%s\"", src,
			 st, err.line, err.col, err.message, line, col, msg);
	assert_null(e);
	assert_int_equal(err.status, HJ_ERR_RULEBOOK);
	assert_string_equal(err.file, o->file ? o->file : "");
	assert_string_equal(err.field, o->field ? o->field : "");
}

static void check_err(const char *src, int col, const char *msg)
{
	check_err_at(src, ANY, &ORIGIN, 1, col, msg);
}

/* Result of evaluating 'src': 1 true, 0 false, -1 unknown; *missing gets
 * the reported facts as a bit mask (ids < 64). */
static int eval_bool(const char *src, uint64_t *missing)
{
	hj_expr *e = compile_as(src, BOOL, NULL);
	hj_factset ms;
	hj_factset_clear(&ms);
	RT.error = 0;
	hj_value v = hj_expr_eval(e, &RT, &ms);
	assert_int_equal(RT.error, 0);
	for (int i = 1; i < HJ_MAX_FACTS / 64; i++)
		assert_int_equal(ms.w[i], 0);
	if (v.known)
		assert_int_equal(ms.w[0], 0); /* decided: nothing missing */
	if (missing)
		*missing = ms.w[0];
	hj_expr_free(e);
	return v.known ? v.u.b : -1;
}

/* Evaluate a NUM or YEN expression; asserts known and returns num/den. */
static void eval_frac(const char *src, int want_ty, int64_t num, int64_t den)
{
	hj_type t;
	hj_expr *e = compile_as(src, ANY, &t);
	assert_int_equal(t.ty, want_ty);
	hj_factset ms;
	hj_factset_clear(&ms);
	hj_value v = hj_expr_eval(e, &RT, &ms);
	if (!v.known)
		fail_msg("'%s' is unknown", src);
	if (v.u.q.num != num || v.u.q.den != den)
		fail_msg("'%s' = %lld/%lld, want %lld/%lld", src, (long long)v.u.q.num,
			 (long long)v.u.q.den, (long long)num, (long long)den);
	assert_true(hj_factset_empty(&ms));
	hj_expr_free(e);
}

static uint64_t bit(int i) { return (uint64_t)1 << i; }

/* ------------------------------------------------------------------ */
/* Parse errors and positions                                          */
/* ------------------------------------------------------------------ */

static void test_parse_errors(void **state)
{
	(void)state;
	check_err("employees >", 12, "式の途中で終わっています");
	check_err("employees > ", 13, "式の途中で終わっています");
	check_err("(small and sme", 15, "')' がありません");
	check_err("min(employees, 2", 17, "')' がありません");
	check_err("min(employees 2)", 15, "')' がありません");
	check_err("industry in [\"retail\"", 22, "']' がありません");
	check_err("small @ sme", 7, "予期しない文字 '@'");
	check_err("small sme", 7, "予期しない字句 'sme'");
	check_err("small and sme)", 14, "対応する '(' のない ')' があります");
	check_err("", 1, "式が空です");
	check_err("  \n ", 1, "式が空です");
	check_err("employees == 1 == 2", 16,
		  "比較は続けて書けません。括弧で区切ってください");
	check_err("employees < 1 in processes", 15,
		  "比較は続けて書けません。括弧で区切ってください");
	check_err("industry == \"retail", 13, "文字列が閉じられていません");
	check_err("industry == 're\\tail'", 16,
		  "文字列の中で '\\' の後に書けるのは \" ' \\ だけです");
	check_err("employees = 3", 11, "'=' ではなく '==' と書いてください");
	check_err("!small", 1, "予期しない文字 '!' ('not' を使ってください)");
	check_err("small　and sme", 6, "全角の空白は使えません");
	check_err("small and 従業員", 11, "予期しない文字 '従'");
	check_err("small and \x01", 11, "予期しない制御文字 U+0001");
	check_err("small and \xff", 11, "UTF-8 として正しくないバイトがあります");
	check_err("foo(1)", 1, "未知の関数 'foo'");
	check_err("industry in [1, 2]", 14, "リストには文字列しか書けません");
	check_err("not in processes", 5, "予期しない字句 'in'");
	check_err("small and", 10, "式の途中で終わっています");
	check_err("employees > 99999999999999999999", 13,
		  "数 '99999999999999999999' が大きすぎます");
	check_err("applied > 2023-02-29", 11,
		  "日付 '2023-02-29' が正しくありません "
		  "(実在する日付を YYYY-MM-DD の形で書いてください)");
	check_err("applied > 2023-2-1", 11,
		  "日付 '2023-2-1' が正しくありません "
		  "(実在する日付を YYYY-MM-DD の形で書いてください)");

	/* A malformed yen amount: our prefix, then money.c's explanation. */
	check_err("capital > 1,2万円", 11, "金額 '1,2万円' を読めません: *");
	check_err("capital > 1万2", 11, "金額 '1万2' を読めません: *");
}

static void test_positions(void **state)
{
	(void)state;
	/* The origin is the position of src[0]. */
	hj_expr_origin o = { "rules/a.yaml", 3, 10, "frames[1].when" };
	check_err_at("small and @", ANY, &o, 3, 20, "予期しない文字 '@'");

	/* Multi-line source: columns restart at 1 after a newline. */
	o.line = 10;
	o.col = 5;
	check_err_at("small and\n  sme and\n  @", ANY, &o, 12, 3,
		     "予期しない文字 '@'");
	check_err_at("small and\n  sme and\n", ANY, &o, 12, 1,
		     "式の途中で終わっています");
	check_err_at("small and\r\n  sme $", ANY, &o, 11, 7,
		     "予期しない文字 '$'");

	/* A Japanese character counts as one column. */
	check_err("industry == \"製造業\" and @", 23, "予期しない文字 '@'");
	o.line = 1;
	o.col = 1;
	check_err_at("industry == \"製造業\" and\n  \"小売業\" == 1 and x", ANY, &o, 2,
		     9, "型が合いません: 文字列と数を比較しています");

	/* An origin column of 0 means the column is unknown: report 0. */
	o.line = 20;
	o.col = 0;
	check_err_at("small and\n  sme and @", ANY, &o, 21, 0, "予期しない文字 '@'");

	/* No origin: line 1, column 1; no file or field. */
	hj_expr *e = NULL;
	hj_error err;
	assert_int_equal(hj_expr_compile("1 +", 3, &ENV, ANY, NULL, &e, NULL, &err),
			 HJ_ERR_RULEBOOK);
	assert_int_equal(err.line, 1);
	assert_int_equal(err.col, 4);
	assert_string_equal(err.file, "");
	assert_string_equal(err.field, "");
}

static void test_depth_limits(void **state)
{
	(void)state;
	char buf[8192];
	size_t n = 0;
	for (int i = 0; i < 300; i++)
		buf[n++] = '(';
	buf[n++] = '1';
	for (int i = 0; i < 300; i++)
		buf[n++] = ')';
	buf[n] = '\0';
	hj_expr *e = NULL;
	hj_error err;
	assert_int_equal(hj_expr_compile(buf, n, &ENV, ANY, &ORIGIN, &e, NULL, &err),
			 HJ_ERR_RULEBOOK);
	assert_string_equal(err.message, "式の入れ子が深すぎます");
	assert_int_equal(err.col, 257); /* the 257th '(' is one too deep */

	n = 0;
	n += (size_t)sprintf(buf, "employees");
	for (int i = 0; i < 300; i++)
		n += (size_t)sprintf(buf + n, " + employees");
	assert_int_equal(hj_expr_compile(buf, n, &ENV, ANY, &ORIGIN, &e, NULL, &err),
			 HJ_ERR_RULEBOOK);
	assert_string_equal(err.message, "式が複雑すぎます (入れ子や項が多すぎます)");

	/* 100 levels are fine. */
	n = 0;
	for (int i = 0; i < 100; i++)
		buf[n++] = '(';
	n += (size_t)sprintf(buf + n, "employees");
	for (int i = 0; i < 100; i++)
		buf[n++] = ')';
	buf[n] = '\0';
	e = compile(buf);
	set_num(F_EMPLOYEES, 7, 1);
	hj_value v = hj_expr_eval(e, &RT, NULL);
	assert_true(v.known);
	assert_int_equal(v.u.q.num, 7);
	hj_expr_free(e);
}

/* ------------------------------------------------------------------ */
/* Names and types                                                     */
/* ------------------------------------------------------------------ */

static void test_undefined_names(void **state)
{
	(void)state;
	check_err("employes > 3", 1, "未定義の名前 'employes'");
	check_err("small and kakushin.aplied", 11, "未定義の名前 'kakushin.aplied'");
	check_err("small and And", 11, "未定義の名前 'And'");
	hj_expr_origin o = ORIGIN;
	check_err_at("small and\n  (capitl > 0)", ANY, &o, 2, 4,
		     "未定義の名前 'capitl'");
	/* Dotted names resolve. */
	set_bool(F_KAKUSHIN, 1);
	assert_int_equal(eval_bool("kakushin.applied", NULL), 1);
	/* No env at all: every name is undefined. */
	hj_expr *e = NULL;
	hj_error err;
	assert_int_equal(hj_expr_compile("x", 1, NULL, ANY, &ORIGIN, &e, NULL, &err),
			 HJ_ERR_RULEBOOK);
	assert_string_equal(err.message, "未定義の名前 'x'");
}

static void test_type_errors(void **state)
{
	(void)state;
	check_err("capital > employees", 9, "型が合いません: 円と数を比較しています");
	check_err("capital == 3", 9, "型が合いません: 円と数を比較しています");
	check_err("applied < 3", 9, "型が合いません: 日付と数を比較しています");
	check_err("employees + capital", 11, "型が合いません: 数と円は足せません");
	check_err("capital - employees", 9, "型が合いません: 円から数は引けません");
	check_err("capital * capital", 9, "型が合いません: 円と円は掛けられません");
	check_err("employees / capital", 11,
		  "型が合いません: 数を円で割ることはできません");
	check_err("applied + 1", 9, "型が合いません: 日付と数は足せません");
	check_err("applied - applied", 9, "型が合いません: 日付から日付は引けません");
	check_err("small + 1", 7, "型が合いません: 真偽値と数は足せません");
	check_err("small and employees", 7,
		  "型が合いません: 'and' の両辺は真偽値でなければなりませんが、真偽値と数です");
	check_err("employees or small", 11,
		  "型が合いません: 'or' の両辺は真偽値でなければなりませんが、数と真偽値です");
	check_err("not employees", 1,
		  "型が合いません: 'not' には真偽値が必要ですが、数です");
	check_err("-small", 1, "型が合いません: 真偽値に '-' は付けられません");
	check_err("-applied", 1, "型が合いません: 日付に '-' は付けられません");
	check_err("industry == region", 10,
		  "型が合いません: 列挙 industryと列挙 regionを比較しています");
	check_err("industry < industry", 10,
		  "型が合いません: 列挙 industryと列挙 industryの大小は比べられません");
	check_err("small >= sme", 7,
		  "型が合いません: 真偽値と真偽値の大小は比べられません");
	check_err("processes == processes", 11,
		  "型が合いません: 集合 processと集合 processは比較できません");
	check_err("industry in processes", 10,
		  "型が合いません: 列挙 industryが集合 processに含まれるかは調べられません");
	check_err("region in processes", 8,
		  "型が合いません: 列挙 regionが集合 processに含まれるかは調べられません");
	check_err("employees in [\"a\"]", 11,
		  "型が合いません: 数がリストに含まれるかは調べられません");
	check_err("\"a\" in [\"a\"]", 5,
		  "型が合いません: 文字列がリストに含まれるかは調べられません");
	check_err("industry not in employees", 10,
		  "型が合いません: 列挙 industryが数に含まれるかは調べられません");
	check_err("\"a\" + 1", 5, "型が合いません: 文字列と数は足せません");
	check_err("\"a\" == \"b\"", 5, "型が合いません: 文字列と文字列を比較しています");
	check_err("[\"a\"] == industry", 7,
		  "型が合いません: リストと列挙 industryを比較しています");
	check_err("min(employees, capital)", 16,
		  "型が合いません: min の引数に数と円が混ざっています");
	check_err("max(applied, applied, 3)", 23,
		  "型が合いません: max の引数に日付と数が混ざっています");
	check_err("max(small)", 5,
		  "型が合いません: max の引数は数・円・日付のどれかでなければなりませんが、真偽値です");
	check_err("count(employees) > 1", 7,
		  "型が合いません: count の引数は集合でなければなりませんが、数です");
	check_err("count(processes, regions) > 1", 18,
		  "型が合いません: count の引数が集合 processと集合 regionです");
	check_err("count(processes, industry) > 1", 18,
		  "型が合いません: count の引数が集合 processと列挙 industryです");
	check_err("if(employees, 1, 2)", 4,
		  "型が合いません: if の条件は真偽値でなければなりませんが、数です");
	check_err("if(small, 1, capital)", 14,
		  "型が合いません: if の2つの値が数と円です");
	check_err("known(\"a\")", 7, "型が合いません: known の引数に文字列は使えません");
	check_err("\"manufacturing\"", 1,
		  "文字列は列挙の値と比べるときにしか使えません");
	check_err("[\"P-01\"]", 1, "リストは 'in' と count の中でしか使えません");

	/* Arity. */
	check_err("min() > 1", 1, "min には引数が1つ以上必要です");
	check_err("count() > 1", 1, "count には引数を1つか2つ渡してください");
	check_err("count(processes, [], []) > 1", 1,
		  "count には引数を1つか2つ渡してください");
	check_err("known(small, sme)", 1, "known には引数を1つ渡してください");
	check_err("if(small, 1)", 1, "if には引数を3つ渡してください");

	/* The wanted result type. */
	check_err_at("employees + 1", BOOL, &ORIGIN, 1, 1,
		     "条件は真偽値でなければなりませんが、この式は数です");
	check_err_at("  (capital)", BOOL, &ORIGIN, 1, 3,
		     "条件は真偽値でなければなりませんが、この式は円です");
	check_err_at("employees", ty(HJ_TY_YEN, -1), &ORIGIN, 1, 1,
		     "この式は円でなければなりませんが、数です");
	check_err_at("region", ty(HJ_TY_ENUM, E_INDUSTRY), &ORIGIN, 1, 1,
		     "この式は列挙 industryでなければなりませんが、列挙 regionです");
	check_err_at("regions", ty(HJ_TY_SET, E_PROCESS), &ORIGIN, 1, 1,
		     "この式は集合 processでなければなりませんが、集合 regionです");
}

static void test_result_types(void **state)
{
	(void)state;
	static const struct {
		const char *src;
		int ty, enum_id;
	} cases[] = {
		{ "small", HJ_TY_BOOL, -1 },
		{ "employees * 2", HJ_TY_NUM, -1 },
		{ "capital * 2", HJ_TY_YEN, -1 },
		{ "2 * capital", HJ_TY_YEN, -1 },
		{ "capital / 2", HJ_TY_YEN, -1 },
		{ "capital / capital", HJ_TY_NUM, -1 },
		{ "capital - 100万円", HJ_TY_YEN, -1 },
		{ "-capital", HJ_TY_YEN, -1 },
		{ "applied", HJ_TY_DATE, -1 },
		{ "industry", HJ_TY_ENUM, E_INDUSTRY },
		{ "processes", HJ_TY_SET, E_PROCESS },
		{ "count(processes)", HJ_TY_NUM, -1 },
		{ "max(applied, 2020-01-01)", HJ_TY_DATE, -1 },
		{ "if(small, \"tokyo\", region)", HJ_TY_ENUM, E_REGION },
		{ "known(industry)", HJ_TY_BOOL, -1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		hj_type t;
		hj_expr *e = compile_as(cases[i].src, ANY, &t);
		assert_int_equal(t.ty, cases[i].ty);
		assert_int_equal(t.enum_id, cases[i].enum_id);
		assert_int_equal(hj_expr_type(e).ty, cases[i].ty);
		assert_int_equal(hj_expr_type(e).enum_id, cases[i].enum_id);
		hj_expr_free(e);
	}

	/* A wanted enum or set type gives string literals their meaning. */
	hj_type t;
	hj_expr *e = compile_as("\"サービス業\"", ty(HJ_TY_ENUM, E_INDUSTRY), &t);
	hj_value v = hj_expr_eval(e, &RT, NULL);
	assert_true(v.known);
	assert_int_equal(v.u.sym, 2);
	hj_expr_free(e);
	e = compile_as("[\"P-02\", \"P-07\"]", ty(HJ_TY_SET, E_PROCESS), &t);
	v = hj_expr_eval(e, &RT, NULL);
	assert_true(v.known);
	assert_int_equal(v.u.set, bit(1) | bit(6));
	hj_expr_free(e);
	e = compile_as("if(small, \"retail\", \"service\")",
		       ty(HJ_TY_ENUM, E_INDUSTRY), &t);
	set_bool(F_SMALL, 0);
	v = hj_expr_eval(e, &RT, NULL);
	assert_true(v.known);
	assert_int_equal(v.u.sym, 2);
	hj_expr_free(e);
}

static void test_enum_literals(void **state)
{
	(void)state;
	check_err("industry == \"farming\"", 13,
		  "'farming' は industry の値ではありません");
	check_err("\"farming\" != industry", 1,
		  "'farming' は industry の値ではありません");
	check_err("industry in [\"retail\", \"farm\"]", 24,
		  "'farm' は industry の値ではありません");
	check_err("\"P-09\" in processes", 1, "'P-09' は process の値ではありません");
	check_err("count(processes, [\"P-01\", \"p-02\"]) > 0", 27,
		  "'p-02' は process の値ではありません");
	check_err("industry == \"re\\\"tail\"", 13,
		  "'re\"tail' は industry の値ではありません");
	check_err("if(small, \"tokyo\", \"kyoto\") == region", 20,
		  "'kyoto' は region の値ではありません");
	check_err("region == \"retail\"", 11, "'retail' は region の値ではありません");

	set_sym(F_INDUSTRY, 1); /* retail */
	assert_int_equal(eval_bool("industry == \"retail\"", NULL), 1);
	assert_int_equal(eval_bool("industry == 'retail'", NULL), 1);
	assert_int_equal(eval_bool("\"retail\" == industry", NULL), 1);
	assert_int_equal(eval_bool("industry == \"小売業\"", NULL), 1);
	assert_int_equal(eval_bool("industry != \"小売業\"", NULL), 0);
	assert_int_equal(eval_bool("industry == \"service\"", NULL), 0);
	assert_int_equal(eval_bool("industry != \"service\"", NULL), 1);
	set_sym(F_REGION, 1);
	assert_int_equal(eval_bool("if(small, \"tokyo\", \"osaka\") == region", NULL),
			 -1);
	set_bool(F_SMALL, 0);
	assert_int_equal(eval_bool("if(small, \"tokyo\", \"osaka\") == region", NULL),
			 1);
	assert_int_equal(eval_bool("if(small, \"tokyo\", region) == 'osaka'", NULL), 1);
}

/* ------------------------------------------------------------------ */
/* Three-valued logic                                                  */
/* ------------------------------------------------------------------ */

static void test_truth_tables(void **state)
{
	(void)state;
	/* a = small (fact 3), b = sme (fact 4); -1 = unknown. */
	static const struct {
		int a, b, and_r, or_r;
		uint64_t and_m, or_m;
	} tt[] = {
		{ 1, 1, 1, 1, 0, 0 },
		{ 1, 0, 0, 1, 0, 0 },
		{ 1, -1, -1, 1, 1 << F_SME, 0 },
		{ 0, 1, 0, 1, 0, 0 },
		{ 0, 0, 0, 0, 0, 0 },
		{ 0, -1, 0, -1, 0, 1 << F_SME },
		{ -1, 1, -1, 1, 1 << F_SMALL, 0 },
		{ -1, 0, 0, -1, 0, 1 << F_SMALL },
		{ -1, -1, -1, -1, (1 << F_SMALL) | (1 << F_SME),
		  (1 << F_SMALL) | (1 << F_SME) },
	};
	for (size_t i = 0; i < sizeof tt / sizeof tt[0]; i++) {
		uint64_t m;
		set_tri(F_SMALL, tt[i].a);
		set_tri(F_SME, tt[i].b);
		assert_int_equal(eval_bool("small and sme", &m), tt[i].and_r);
		assert_int_equal(m, tt[i].and_m);
		assert_int_equal(eval_bool("small or sme", &m), tt[i].or_r);
		assert_int_equal(m, tt[i].or_m);
		/* Kleene logic is symmetric, and so is the missing set. */
		assert_int_equal(eval_bool("sme and small", &m), tt[i].and_r);
		assert_int_equal(m, tt[i].and_m);
		assert_int_equal(eval_bool("sme or small", &m), tt[i].or_r);
		assert_int_equal(m, tt[i].or_m);
	}
	static const struct {
		int a, r;
		uint64_t m;
	} nt[] = { { 1, 0, 0 }, { 0, 1, 0 }, { -1, -1, 1 << F_SMALL } };
	for (size_t i = 0; i < 3; i++) {
		uint64_t m;
		set_tri(F_SMALL, nt[i].a);
		assert_int_equal(eval_bool("not small", &m), nt[i].r);
		assert_int_equal(m, nt[i].m);
		assert_int_equal(eval_bool("not not small", &m), nt[i].a);
		assert_int_equal(m, nt[i].m);
	}
}

static void test_missing_facts(void **state)
{
	(void)state;
	uint64_t m;
	/* A decided result adds nothing, even to a set that is not empty. */
	set_bool(F_SME, 0);
	hj_expr *e = compile("small and sme");
	hj_factset ms;
	hj_factset_clear(&ms);
	hj_factset_add(&ms, 200);
	hj_value v = hj_expr_eval(e, &RT, &ms);
	assert_true(v.known);
	assert_int_equal(v.u.b, 0);
	assert_int_equal(ms.w[0], 0);
	assert_int_equal(ms.w[3], bit(200 - 192));
	hj_expr_free(e);

	/* Nested: (small or sme) and employees > 10. */
	reset(NULL);
	set_num(F_EMPLOYEES, 5, 1);
	assert_int_equal(eval_bool("(small or sme) and employees > 10", &m), 0);
	assert_int_equal(m, 0);
	set_num(F_EMPLOYEES, 50, 1);
	assert_int_equal(eval_bool("(small or sme) and employees > 10", &m), -1);
	assert_int_equal(m, bit(F_SMALL) | bit(F_SME));
	W.v[F_EMPLOYEES] = hj_value_unknown();
	assert_int_equal(eval_bool("(small or sme) and employees > 10", &m), -1);
	assert_int_equal(m, bit(F_SMALL) | bit(F_SME) | bit(F_EMPLOYEES));
	set_bool(F_SME, 1);
	assert_int_equal(eval_bool("(small or sme) and employees > 10", &m), -1);
	assert_int_equal(m, bit(F_EMPLOYEES));

	/* Strict operators report every unknown operand. */
	reset(NULL);
	assert_int_equal(eval_bool("employees * 2 > capital / 1万円", &m), -1);
	assert_int_equal(m, bit(F_EMPLOYEES) | bit(F_CAPITAL));
	set_num(F_EMPLOYEES, 1, 1);
	assert_int_equal(eval_bool("employees * 2 > capital / 1万円", &m), -1);
	assert_int_equal(m, bit(F_CAPITAL));

	/* A definition reports the facts it lacks. */
	reset(NULL);
	assert_int_equal(eval_bool("big", &m), -1);
	assert_int_equal(m, bit(F_EMPLOYEES) | bit(F_CAPITAL));
	set_bool(F_SMALL, 1);
	assert_int_equal(eval_bool("big or small", &m), 1);
	assert_int_equal(m, 0);
	assert_int_equal(eval_bool("big and small", &m), -1);
	assert_int_equal(m, bit(F_EMPLOYEES) | bit(F_CAPITAL));
	W.big = hj_value_bool(1);
	assert_int_equal(eval_bool("big and small", &m), 1);

	/* A short-circuit does not even ask for the other operand. */
	reset(NULL);
	set_bool(F_SMALL, 0);
	W.get_calls = 0;
	assert_int_equal(eval_bool("small and (sme or employees > 1)", &m), 0);
	assert_int_equal(W.get_calls, 1);
}

/* ------------------------------------------------------------------ */
/* Literals and arithmetic                                             */
/* ------------------------------------------------------------------ */

static void test_yen_literals(void **state)
{
	(void)state;
	eval_frac("3億円", HJ_TY_YEN, 300000000, 1);
	eval_frac("3億", HJ_TY_YEN, 300000000, 1);
	eval_frac("5,000万円", HJ_TY_YEN, 50000000, 1);
	eval_frac("1,000万円", HJ_TY_YEN, 10000000, 1);
	eval_frac("750万", HJ_TY_YEN, 7500000, 1);
	eval_frac("750万円", HJ_TY_YEN, 7500000, 1);
	eval_frac("300000円", HJ_TY_YEN, 300000, 1);
	eval_frac("300,000円", HJ_TY_YEN, 300000, 1);
	eval_frac("1億2,000万円", HJ_TY_YEN, 120000000, 1);
	eval_frac("0円", HJ_TY_YEN, 0, 1);
	/* Commas inside yen amounts among arguments. */
	eval_frac("min(1,000万円, 2,000万円)", HJ_TY_YEN, 10000000, 1);
	eval_frac("max(1,000万円,2,000万円)", HJ_TY_YEN, 20000000, 1);
	eval_frac("max(3億,1億2,000万円)", HJ_TY_YEN, 300000000, 1);
	/* Without a unit, a comma separates arguments. */
	eval_frac("max(1,2)", HJ_TY_NUM, 2, 1);
	eval_frac("min(1,2,3)", HJ_TY_NUM, 1, 1);
	check_err("max(1,000万円,2)", 13,
		  "型が合いません: max の引数に円と数が混ざっています");
	/* [0-9,]+ followed by a unit is one amount: "1,2万" is malformed. */
	check_err("max(1,2万)", 5, "金額 '1,2万' を読めません: *");
}

static void test_number_literals(void **state)
{
	(void)state;
	eval_frac("300", HJ_TY_NUM, 300, 1);
	eval_frac("0.5", HJ_TY_NUM, 1, 2);
	eval_frac("0.125", HJ_TY_NUM, 1, 8);
	eval_frac("3%", HJ_TY_NUM, 3, 100);
	eval_frac("50%", HJ_TY_NUM, 1, 2);
	eval_frac("2.5%", HJ_TY_NUM, 1, 40);
	eval_frac("2/3", HJ_TY_NUM, 2, 3);
	eval_frac("-3", HJ_TY_NUM, -3, 1);
	eval_frac("- -3", HJ_TY_NUM, 3, 1);
	eval_frac("1 + 2 * 3", HJ_TY_NUM, 7, 1);
	eval_frac("(1 + 2) * 3", HJ_TY_NUM, 9, 1);
	eval_frac("10 - 4 - 3", HJ_TY_NUM, 3, 1);
	eval_frac("12 / 2 / 3", HJ_TY_NUM, 2, 1);
	eval_frac("-2 * 3", HJ_TY_NUM, -6, 1);
	eval_frac("2018-12", HJ_TY_NUM, 2006, 1); /* not a date: a subtraction */
	eval_frac("9223372036854775807", HJ_TY_NUM, INT64_MAX, 1);
}

static void test_arithmetic_exact(void **state)
{
	(void)state;
	set_num(F_CAPITAL, 10000001, 1);
	/* 10,000,001 * 2/3 = 6,666,667.33...: no flooring inside expressions. */
	eval_frac("capital * 2/3", HJ_TY_YEN, 20000002, 3);
	eval_frac("capital * (2/3)", HJ_TY_YEN, 20000002, 3);
	assert_int_equal(eval_bool("capital * 2/3 >= 6,666,667円", NULL), 1);
	assert_int_equal(eval_bool("capital * 2/3 > 6,666,667円", NULL), 1);
	assert_int_equal(eval_bool("capital * 2/3 == 6,666,667円", NULL), 0);
	assert_int_equal(eval_bool("capital * 2/3 >= 6,666,668円", NULL), 0);
	assert_int_equal(eval_bool("capital * 2/3 < 6,666,668円", NULL), 1);
	assert_int_equal(eval_bool("capital * 2/3 <= 6,666,667円", NULL), 0);
	assert_int_equal(eval_bool("capital * 2/3 != 6,666,667円", NULL), 1);
	eval_frac("capital / capital", HJ_TY_NUM, 1, 1);
	eval_frac("capital / 2", HJ_TY_YEN, 10000001, 2);
	eval_frac("-capital", HJ_TY_YEN, -10000001, 1);
	eval_frac("capital * 50% - 1,000万円 / 2", HJ_TY_YEN, 1, 2);
	set_num(F_EMPLOYEES, 7, 1);
	eval_frac("employees / 3 * 3", HJ_TY_NUM, 7, 1);
	eval_frac("employees * 0.5", HJ_TY_NUM, 7, 2);
	assert_int_equal(eval_bool("employees / 2 == 3.5", NULL), 1);
	assert_int_equal(eval_bool("employees <= 7 and employees >= 7", NULL), 1);
	assert_int_equal(eval_bool("employees < 7 or employees > 7", NULL), 0);
}

static void test_dates(void **state)
{
	(void)state;
	uint64_t m;
	set_date(F_APPLIED, "2019-01-01");
	assert_int_equal(eval_bool("applied >= 2018-12-21", NULL), 1);
	assert_int_equal(eval_bool("applied > 2018-12-21", NULL), 1);
	assert_int_equal(eval_bool("applied < 2018-12-21", NULL), 0);
	assert_int_equal(eval_bool("applied <= 2018-12-31", NULL), 0);
	assert_int_equal(eval_bool("applied == 2019-01-01", NULL), 1);
	assert_int_equal(eval_bool("applied != 2019-01-01", NULL), 0);
	assert_int_equal(eval_bool("2018-12-21 < 2019-01-01", NULL), 1);
	assert_int_equal(eval_bool("min(applied, 2018-12-21) == 2018-12-21", NULL), 1);
	assert_int_equal(eval_bool("max(applied, 2018-12-21) == applied", NULL), 1);
	assert_int_equal(eval_bool("max(2018-12-21, 2020-02-29, applied) == 2020-02-29",
				   NULL), 1);
	W.v[F_APPLIED] = hj_value_unknown();
	assert_int_equal(eval_bool("applied >= 2018-12-21", &m), -1);
	assert_int_equal(m, bit(F_APPLIED));
}

/* ------------------------------------------------------------------ */
/* Membership, count and the other functions                           */
/* ------------------------------------------------------------------ */

static void test_in(void **state)
{
	(void)state;
	uint64_t m;
	set_sym(F_INDUSTRY, 1); /* retail */
	assert_int_equal(eval_bool("industry in [\"retail\", \"service\"]", NULL), 1);
	assert_int_equal(eval_bool("industry not in [\"retail\", \"service\"]", NULL), 0);
	assert_int_equal(eval_bool("industry in [\"manufacturing\"]", NULL), 0);
	assert_int_equal(eval_bool("industry not in ['manufacturing']", NULL), 1);
	assert_int_equal(eval_bool("industry in []", NULL), 0);
	assert_int_equal(eval_bool("industry in [\"製造業\", \"小売業\"]", NULL), 1);
	assert_int_equal(eval_bool("not industry in [\"retail\"]", NULL), 0);
	set_set(F_PROCESSES, bit(0) | bit(2)); /* P-01, P-03 */
	assert_int_equal(eval_bool("\"P-03\" in processes", NULL), 1);
	assert_int_equal(eval_bool("\"P-04\" in processes", NULL), 0);
	assert_int_equal(eval_bool("\"P-04\" not in processes", NULL), 1);
	assert_int_equal(eval_bool("\"P-01\" not in processes", NULL), 0);
	set_sym(F_REGION, 1);
	set_set(F_REGIONS, bit(1));
	assert_int_equal(eval_bool("region in regions", NULL), 1);
	set_sym(F_REGION, 0);
	assert_int_equal(eval_bool("region in regions", NULL), 0);
	assert_int_equal(eval_bool("region not in regions", NULL), 1);
	/* Out-of-range enum values from the caller are simply not members. */
	set_sym(F_REGION, 70);
	assert_int_equal(eval_bool("region in regions", NULL), 0);

	reset(NULL);
	assert_int_equal(eval_bool("industry in [\"retail\"]", &m), -1);
	assert_int_equal(m, bit(F_INDUSTRY));
	assert_int_equal(eval_bool("\"P-01\" not in processes", &m), -1);
	assert_int_equal(m, bit(F_PROCESSES));
	assert_int_equal(eval_bool("region in regions", &m), -1);
	assert_int_equal(m, bit(F_REGION) | bit(F_REGIONS));
}

static void test_count(void **state)
{
	(void)state;
	uint64_t m;
	set_set(F_PROCESSES, bit(0) | bit(2) | bit(4)); /* P-01, P-03, P-05 */
	eval_frac("count(processes)", HJ_TY_NUM, 3, 1);
	eval_frac("count(processes, [\"P-01\", \"P-02\", \"P-03\"])", HJ_TY_NUM, 2, 1);
	eval_frac("count(processes, [])", HJ_TY_NUM, 0, 1);
	eval_frac("count(processes, processes)", HJ_TY_NUM, 3, 1);
	assert_int_equal(eval_bool("count(processes) >= 3", NULL), 1);
	assert_int_equal(eval_bool("count(processes, ['P-06', 'P-07']) >= 1", NULL), 0);
	set_set(F_PROCESSES, 0);
	eval_frac("count(processes)", HJ_TY_NUM, 0, 1);
	W.v[F_PROCESSES] = hj_value_unknown();
	assert_int_equal(eval_bool("count(processes) >= 3", &m), -1);
	assert_int_equal(m, bit(F_PROCESSES));
	assert_int_equal(eval_bool("count(processes, [\"P-01\"]) >= 1", &m), -1);
	assert_int_equal(m, bit(F_PROCESSES));
}

static void test_min_max(void **state)
{
	(void)state;
	uint64_t m;
	set_num(F_EMPLOYEES, 5, 1);
	eval_frac("min(employees, 10, 3)", HJ_TY_NUM, 3, 1);
	eval_frac("max(employees, 10, 3)", HJ_TY_NUM, 10, 1);
	eval_frac("min(employees)", HJ_TY_NUM, 5, 1);
	eval_frac("max(employees, 1/3)", HJ_TY_NUM, 5, 1);
	eval_frac("min(employees, 14/3)", HJ_TY_NUM, 14, 3);
	set_num(F_CAPITAL, 30000000, 1);
	eval_frac("min(capital * 2/3, 1,000万円)", HJ_TY_YEN, 10000000, 1);
	eval_frac("max(capital * 2/3, 1,000万円)", HJ_TY_YEN, 20000000, 1);
	W.v[F_EMPLOYEES] = hj_value_unknown();
	assert_int_equal(eval_bool("min(employees, 3) < 10", &m), -1);
	assert_int_equal(m, bit(F_EMPLOYEES));
	W.v[F_CAPITAL] = hj_value_unknown();
	assert_int_equal(eval_bool("max(capital, capital * 2, 1円) > 0円", &m), -1);
	assert_int_equal(m, bit(F_CAPITAL));
}

static void test_if(void **state)
{
	(void)state;
	uint64_t m;
	hj_expr *e = compile("if(small, employees, 0)");
	hj_factset ms;
	hj_value v;

	/* Condition known: the chosen branch only. */
	set_bool(F_SMALL, 1);
	set_num(F_EMPLOYEES, 5, 1);
	hj_factset_clear(&ms);
	v = hj_expr_eval(e, &RT, &ms);
	assert_true(v.known);
	assert_int_equal(v.u.q.num, 5);
	set_bool(F_SMALL, 0);
	W.v[F_EMPLOYEES] = hj_value_unknown();
	v = hj_expr_eval(e, &RT, &ms);
	assert_true(v.known);
	assert_int_equal(v.u.q.num, 0);
	assert_true(hj_factset_empty(&ms));
	set_bool(F_SMALL, 1);
	v = hj_expr_eval(e, &RT, &ms);
	assert_false(v.known);
	assert_int_equal(ms.w[0], bit(F_EMPLOYEES));

	/* Condition unknown: known only if both branches agree. */
	W.v[F_SMALL] = hj_value_unknown();
	set_num(F_EMPLOYEES, 0, 1);
	hj_factset_clear(&ms);
	v = hj_expr_eval(e, &RT, &ms);
	assert_true(v.known);
	assert_int_equal(v.u.q.num, 0);
	assert_int_equal(v.u.q.den, 1);
	assert_true(hj_factset_empty(&ms));
	set_num(F_EMPLOYEES, 5, 1);
	v = hj_expr_eval(e, &RT, &ms);
	assert_false(v.known);
	assert_int_equal(ms.w[0], bit(F_SMALL));
	hj_factset_clear(&ms);
	W.v[F_EMPLOYEES] = hj_value_unknown();
	v = hj_expr_eval(e, &RT, &ms);
	assert_false(v.known);
	assert_int_equal(ms.w[0], bit(F_SMALL) | bit(F_EMPLOYEES));
	hj_expr_free(e);

	/* Booleans, dates, sets. */
	reset(NULL);
	set_bool(F_SME, 1);
	assert_int_equal(eval_bool("if(small, sme, true)", &m), 1);
	assert_int_equal(m, 0);
	assert_int_equal(eval_bool("if(small, sme, false)", &m), -1);
	assert_int_equal(m, bit(F_SMALL));
	set_date(F_APPLIED, "2020-04-01");
	assert_int_equal(eval_bool("if(small, applied, 2020-04-01) == 2020-04-01", &m), 1);
	set_set(F_PROCESSES, bit(3));
	assert_int_equal(eval_bool("count(if(small, processes, [\"P-04\"])) == 1", &m), 1);
	assert_int_equal(eval_bool("if(true, 1, 2) == 1", NULL), 1);
	eval_frac("if(false, 1, 2)", HJ_TY_NUM, 2, 1);
}

static void test_known(void **state)
{
	(void)state;
	uint64_t m;
	assert_int_equal(eval_bool("known(employees)", &m), 0);
	assert_int_equal(m, 0);
	assert_int_equal(eval_bool("not known(capital)", &m), 1);
	assert_int_equal(eval_bool("known(employees > 3 or small)", &m), 0);
	set_bool(F_SMALL, 1);
	assert_int_equal(eval_bool("known(employees > 3 or small)", &m), 1);
	set_num(F_EMPLOYEES, 1, 1);
	assert_int_equal(eval_bool("known(employees)", &m), 1);
	assert_int_equal(eval_bool("known(employees) and employees > 0", &m), 1);
	assert_int_equal(eval_bool("known(industry) and industry == 'retail'", &m), 0);
	assert_int_equal(m, 0);
	assert_int_equal(eval_bool("known(1)", &m), 1);
	/* A runtime error inside known() makes x unknown, so known is false. */
	set_num(F_EMPLOYEES, 0, 1);
	RT.error = 0;
	hj_expr *e = compile("known(1 / employees)");
	hj_value v = hj_expr_eval(e, &RT, NULL);
	assert_true(v.known);
	assert_int_equal(v.u.b, 0);
	assert_int_equal(RT.error, 1);
	hj_expr_free(e);
}

/* ------------------------------------------------------------------ */
/* Folding, runtime errors, allocation                                 */
/* ------------------------------------------------------------------ */

/* A counting allocator: every block carries its size in a header. */
static struct {
	long live_blocks, live_bytes, calls;
	long fail_at; /* fail the n-th allocation (1-based), 0 = never */
} A;

static void *count_alloc(void *ud, void *ptr, size_t size)
{
	(void)ud;
	size_t *h = ptr ? (size_t *)ptr - 2 : NULL;
	if (size == 0) {
		if (h) {
			A.live_blocks--;
			A.live_bytes -= (long)h[0];
			free(h);
		}
		return NULL;
	}
	A.calls++;
	if (A.fail_at && A.calls == A.fail_at)
		return NULL;
	size_t old = h ? h[0] : 0;
	size_t *n = realloc(h, size + 2 * sizeof(size_t));
	if (!n)
		return NULL;
	if (!h)
		A.live_blocks++;
	A.live_bytes += (long)size - (long)old;
	n[0] = size;
	return n + 2;
}

static long live_after_compile(const char *src, hj_expr **out)
{
	long before = A.live_bytes;
	*out = compile(src);
	return A.live_bytes - before;
}

static void test_constant_folding(void **state)
{
	(void)state;
	/* No names: evaluated without a runtime at all. */
	hj_expr *e = compile("2/3");
	hj_value v = hj_expr_eval(e, NULL, NULL);
	assert_true(v.known);
	assert_int_equal(v.u.q.num, 2);
	assert_int_equal(v.u.q.den, 3);
	assert_int_equal(hj_expr_symbols(e, NULL, 0), 0);
	hj_expr_free(e);
	e = compile("1,000万円 + 30万円");
	v = hj_expr_eval(e, NULL, NULL);
	assert_true(v.known);
	assert_int_equal(v.u.q.num, 10300000);
	assert_int_equal(v.u.q.den, 1);
	hj_expr_free(e);

	/* Folded trees are as small as the literal they fold to: the whole
	 * compiled expression is one block holding nodes, symbols and text,
	 * so equal-length sources that fold alike take equal space. */
	memset(&A, 0, sizeof A);
	hj_set_allocator(count_alloc, NULL);
	hj_expr *a, *b;
	long sa = live_after_compile("1 + 2 * 3 - 4", &a);
	long sb = live_after_compile("3            ", &b);
	assert_int_equal(A.live_blocks, 2);
	assert_int_equal(sa, sb);
	hj_expr_free(a);
	hj_expr_free(b);
	sa = live_after_compile("small and (1 < 2)", &a);
	sb = live_after_compile("small and true   ", &b);
	assert_int_equal(sa, sb);
	hj_expr_free(a);
	hj_expr_free(b);
	sa = live_after_compile("industry in [\"retail\", \"service\"]", &a);
	sb = live_after_compile("industry == \"retail\"             ", &b);
	assert_int_equal(sa, sb);
	hj_expr_free(a);
	hj_expr_free(b);
	assert_int_equal(A.live_blocks, 0);
	hj_set_allocator(NULL, NULL);

	/* Errors while folding are compile errors. */
	check_err("employees > 1/0", 14, "0 で割っています");
	check_err("employees > 1/(2 - 2)", 14, "0 で割っています");
	check_err("employees > 9223372036854775807 + 1", 33,
		  "定数の計算が桁あふれします");
}

static void test_runtime_errors(void **state)
{
	(void)state;
	hj_factset ms;
	hj_value v;
	hj_expr *e = compile("employees / (employees - 3) > 1");
	set_num(F_EMPLOYEES, 3, 1);
	hj_factset_clear(&ms);
	RT.error = 0;
	v = hj_expr_eval(e, &RT, &ms);
	assert_false(v.known);
	assert_int_equal(RT.error, 1);
	assert_true(hj_factset_empty(&ms));
	set_num(F_EMPLOYEES, 4, 1);
	RT.error = 0;
	v = hj_expr_eval(e, &RT, &ms);
	assert_true(v.known);
	assert_int_equal(v.u.b, 1);
	assert_int_equal(RT.error, 0);
	hj_expr_free(e);

	e = compile("employees * employees");
	set_num(F_EMPLOYEES, (int64_t)1 << 40, 1);
	v = hj_expr_eval(e, &RT, &ms);
	assert_false(v.known);
	assert_int_equal(RT.error, 1);
	assert_true(hj_factset_empty(&ms));
	hj_expr_free(e);

	/* Decided without the failing part: no error. */
	e = compile("small or 1 / employees > 0");
	set_num(F_EMPLOYEES, 0, 1);
	set_bool(F_SMALL, 1);
	RT.error = 0;
	v = hj_expr_eval(e, &RT, &ms);
	assert_true(v.known);
	assert_int_equal(v.u.b, 1);
	assert_int_equal(RT.error, 0);
	hj_expr_free(e);
}

static void test_eval_does_not_allocate(void **state)
{
	(void)state;
	hj_expr *e = compile("(small or sme) and industry in ['retail', 'service'] and "
			     "capital * 2/3 >= 1,000万円 and count(processes) > 1 and "
			     "if(known(applied), applied >= 2018-12-21, true)");
	memset(&A, 0, sizeof A);
	hj_set_allocator(count_alloc, NULL);
	set_bool(F_SME, 1);
	set_sym(F_INDUSTRY, 2);
	set_num(F_CAPITAL, 20000000, 1);
	set_set(F_PROCESSES, 3);
	hj_factset ms;
	hj_value v;
	for (int i = 0; i < 1000; i++) {
		hj_factset_clear(&ms);
		v = hj_expr_eval(e, &RT, &ms);
	}
	assert_int_equal(A.calls, 0);
	hj_set_allocator(NULL, NULL);
	assert_true(v.known);
	assert_int_equal(v.u.b, 1);
	hj_expr_free(e);
}

static void test_out_of_memory(void **state)
{
	(void)state;
	const char *src = "(small or sme) and industry in ['retail', 'service'] and "
			  "min(capital * 2/3, 1,000万円, 3億円) >= 500万円 and "
			  "count(processes, ['P-01', 'P-02']) > 1 and big";
	int ok = 0, oom = 0;
	for (long k = 1; k < 40; k++) {
		memset(&A, 0, sizeof A);
		A.fail_at = k;
		hj_set_allocator(count_alloc, NULL);
		hj_expr *e = (hj_expr *)(uintptr_t)1;
		hj_error err;
		hj_status st = hj_expr_compile(src, strlen(src), &ENV, BOOL, &ORIGIN,
					       &e, NULL, &err);
		if (st == HJ_OK) {
			ok++;
			assert_non_null(e);
			hj_expr_free(e);
		} else {
			oom++;
			assert_int_equal(st, HJ_ERR_NOMEM);
			assert_int_equal(err.status, HJ_ERR_NOMEM);
			assert_string_equal(err.message, "メモリが足りません");
			assert_null(e);
		}
		assert_int_equal(A.live_blocks, 0);
		assert_int_equal(A.live_bytes, 0);
		hj_set_allocator(NULL, NULL);
	}
	assert_true(oom >= 5);
	assert_true(ok >= 1);
}

/* ------------------------------------------------------------------ */
/* Symbols and text                                                    */
/* ------------------------------------------------------------------ */

/*
 * Enum switches (lib/expr.c, OP_ESW): a disjunction of "industry in S and
 * x" terms with disjoint S is evaluated by a table on industry. Compared
 * with the same rule written so that it does not qualify (each guard as
 * "not (industry not in S)"), for every known and unknown combination:
 * the same value and the same missing facts from hj_expr_eval and
 * hj_expr_test, with and without a missing set; and the switch reads
 * fewer facts (the test fails if the table is not used).
 */
static void test_enum_switch(void **state)
{
	(void)state;
	const char *sw = "(industry in [\"manufacturing\", \"service\"] and (capital <= 3億円 or employees <= 300))"
			 " or (industry == \"retail\" and employees <= 50)";
	const char *plain = "(not (industry not in [\"manufacturing\", \"service\"]) and (capital <= 3億円 or employees <= 300))"
			    " or (not (industry != \"retail\") and employees <= 50)";
	hj_expr *a = compile_as(sw, BOOL, NULL), *b = compile_as(plain, BOOL, NULL);
	static const int64_t caps[] = { -1, 100000000, 500000000 };
	static const int64_t emps[] = { -1, 10, 100, 400 };
	for (int ind = -1; ind < 3; ind++)
		for (int c = 0; c < 3; c++)
			for (int m = 0; m < 4; m++) {
				W.v[F_INDUSTRY] = hj_value_unknown();
				if (ind >= 0)
					set_sym(F_INDUSTRY, ind);
				W.v[F_CAPITAL] = hj_value_unknown();
				if (caps[c] >= 0)
					set_num(F_CAPITAL, caps[c], 1);
				W.v[F_EMPLOYEES] = hj_value_unknown();
				if (emps[m] >= 0)
					set_num(F_EMPLOYEES, emps[m], 1);
				hj_factset ma, mb, mt;
				hj_factset_clear(&ma);
				hj_factset_clear(&mb);
				hj_factset_clear(&mt);
				W.get_calls = 0;
				hj_value va = hj_expr_eval(a, &RT, &ma);
				int calls_a = W.get_calls;
				W.get_calls = 0;
				hj_value vb = hj_expr_eval(b, &RT, &mb);
				int calls_b = W.get_calls;
				int ta = hj_expr_test(a, &RT, &mt);
				assert_int_equal(va.known, vb.known);
				if (va.known)
					assert_int_equal(va.u.b, vb.u.b);
				assert_memory_equal(&ma, &mb, sizeof ma);
				assert_memory_equal(&ma, &mt, sizeof ma);
				assert_int_equal(ta, va.known ? va.u.b : 2);
				assert_int_equal(hj_expr_test(a, &RT, NULL), ta);
				assert_int_equal(hj_expr_test(b, &RT, NULL), ta);
				hj_value vn = hj_expr_eval(a, &RT, NULL);
				assert_int_equal(vn.known, va.known);
				/* retail is the second term: as written, the
				 * first guard is read before it (an unknown
				 * industry is read once more, then as written) */
				assert_true(ind < 0 ? calls_a == calls_b + 1 : calls_a <= calls_b);
				if (ind == 1)
					assert_true(calls_a < calls_b);
			}
	/* by hand: retail, 30 employees: 30 <= 50 */
	set_sym(F_INDUSTRY, 1);
	set_num(F_EMPLOYEES, 30, 1);
	W.v[F_CAPITAL] = hj_value_unknown();
	W.get_calls = 0;
	assert_int_equal(hj_expr_test(a, &RT, NULL), 1);
	assert_int_equal(W.get_calls, 2); /* industry, employees */
	/* retail, employees unknown: unknown for want of employees alone */
	W.v[F_EMPLOYEES] = hj_value_unknown();
	uint64_t ms = 0;
	assert_int_equal(eval_bool(sw, &ms), -1);
	assert_int_equal(ms, bit(F_EMPLOYEES));
	/* industry unknown, capital 1億 (<= 3億), 400 employees (> 50): the
	 * first term is unknown for want of the industry, the second false */
	W.v[F_INDUSTRY] = hj_value_unknown();
	set_num(F_CAPITAL, 100000000, 1);
	set_num(F_EMPLOYEES, 400, 1);
	assert_int_equal(eval_bool(sw, &ms), -1);
	assert_int_equal(ms, bit(F_INDUSTRY));
	/* service, capital 5億, 400 employees: false */
	set_sym(F_INDUSTRY, 2);
	set_num(F_CAPITAL, 500000000, 1);
	assert_int_equal(eval_bool(sw, &ms), 0);
	hj_expr_free(a);
	hj_expr_free(b);
	/* overlapping guards do not qualify: read as written (industry twice) */
	hj_expr *o = compile_as("(industry in [\"manufacturing\", \"retail\"] and employees <= 300)"
				" or (industry == \"retail\" and employees <= 50)", BOOL, NULL);
	set_sym(F_INDUSTRY, 1);
	set_num(F_EMPLOYEES, 400, 1);
	W.get_calls = 0;
	assert_int_equal(hj_expr_test(o, &RT, NULL), 0);
	assert_int_equal(W.get_calls, 4);
	hj_expr_free(o);
}

static void test_symbols_and_text(void **state)
{
	(void)state;
	const char *src = "small and sme or small  and big and industry == \"retail\" "
			  "and sme";
	hj_expr *e = compile(src);
	hj_expr_sym s[8];
	assert_int_equal(hj_expr_symbols(e, s, 8), 4);
	assert_int_equal(s[0].kind, HJ_SYM_FACT);
	assert_int_equal(s[0].id, F_SMALL);
	assert_int_equal(s[0].type.ty, HJ_TY_BOOL);
	assert_int_equal(s[1].kind, HJ_SYM_FACT);
	assert_int_equal(s[1].id, F_SME);
	assert_int_equal(s[2].kind, HJ_SYM_DEF);
	assert_int_equal(s[2].id, D_BIG);
	assert_int_equal(s[3].kind, HJ_SYM_FACT);
	assert_int_equal(s[3].id, F_INDUSTRY);
	assert_int_equal(s[3].type.ty, HJ_TY_ENUM);
	assert_int_equal(s[3].type.enum_id, E_INDUSTRY);

	hj_expr_sym t[2] = { { 0 }, { 0 } };
	assert_int_equal(hj_expr_symbols(e, t, 1), 4);
	assert_int_equal(t[0].id, F_SMALL);
	assert_int_equal(t[1].id, 0);
	assert_int_equal(t[1].kind, 0);

	assert_string_equal(hj_expr_text(e), src);
	assert_ptr_not_equal(hj_expr_text(e), src);
	hj_expr_free(e);
	hj_expr_free(NULL);

	/* The text is the given bytes only, even without a NUL. */
	char buf[] = "small and smeXYZ";
	e = NULL;
	hj_error err;
	assert_int_equal(hj_expr_compile(buf, 13, &ENV, BOOL, &ORIGIN, &e, NULL, &err),
			 HJ_OK);
	assert_string_equal(hj_expr_text(e), "small and sme");
	hj_expr_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_parse_errors, reset),
		cmocka_unit_test_setup(test_positions, reset),
		cmocka_unit_test_setup(test_depth_limits, reset),
		cmocka_unit_test_setup(test_undefined_names, reset),
		cmocka_unit_test_setup(test_type_errors, reset),
		cmocka_unit_test_setup(test_result_types, reset),
		cmocka_unit_test_setup(test_enum_literals, reset),
		cmocka_unit_test_setup(test_truth_tables, reset),
		cmocka_unit_test_setup(test_missing_facts, reset),
		cmocka_unit_test_setup(test_yen_literals, reset),
		cmocka_unit_test_setup(test_number_literals, reset),
		cmocka_unit_test_setup(test_arithmetic_exact, reset),
		cmocka_unit_test_setup(test_dates, reset),
		cmocka_unit_test_setup(test_in, reset),
		cmocka_unit_test_setup(test_count, reset),
		cmocka_unit_test_setup(test_min_max, reset),
		cmocka_unit_test_setup(test_if, reset),
		cmocka_unit_test_setup(test_known, reset),
		cmocka_unit_test_setup(test_constant_folding, reset),
		cmocka_unit_test_setup(test_runtime_errors, reset),
		cmocka_unit_test_setup(test_eval_does_not_allocate, reset),
		cmocka_unit_test_setup(test_out_of_memory, reset),
		cmocka_unit_test_setup(test_symbols_and_text, reset),
		cmocka_unit_test_setup(test_enum_switch, reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
