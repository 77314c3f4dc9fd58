/*
 * test_money.c - unit tests for hojo/money.h: yen parsing and formatting,
 * checked yen arithmetic, exact fractions and rounding helpers. Every
 * expected value below was worked out by hand.
 */
#include "unit.h"
#include <stdio.h>
#include "hojo/money.h"

/* ---- helpers ----------------------------------------------------------- */

static void parse_ok(const char *s, hj_yen want)
{
	hj_error err;
	hj_yen v = -42;
	hj_error_clear(&err);
	hj_status st = hj_yen_parse(s, strlen(s), &v, &err);
	if (st != HJ_OK)
		print_error("parse '%s' failed: col %d: %s\n", s, err.col,
			    err.message);
	assert_int_equal(st, HJ_OK);
	assert_int_equal(v, want);
}

static void parse_bad(const char *s, int col)
{
	hj_error err;
	hj_yen v = -42;
	hj_error_clear(&err);
	hj_status st = hj_yen_parse(s, strlen(s), &v, &err);
	if (st != HJ_ERR_INPUT || err.col != col)
		print_error("parse '%s': status %d col %d (want col %d): %s\n",
			    s, (int)st, err.col, col, err.message);
	assert_int_equal(st, HJ_ERR_INPUT);
	assert_int_equal(err.status, HJ_ERR_INPUT);
	assert_int_equal(err.col, col);
	assert_true(err.message[0] != '\0');
	assert_int_equal(v, -42); /* output untouched on failure */
}

static void frac_ok(const char *s, int64_t num, int64_t den)
{
	hj_error err;
	hj_frac f = { 99, 98 };
	hj_error_clear(&err);
	hj_status st = hj_frac_parse(s, strlen(s), &f, &err);
	if (st != HJ_OK)
		print_error("frac '%s' failed: %s\n", s, err.message);
	assert_int_equal(st, HJ_OK);
	assert_int_equal(f.num, num);
	assert_int_equal(f.den, den);
}

static void frac_bad(const char *s, int col)
{
	hj_error err;
	hj_frac f;
	hj_error_clear(&err);
	hj_status st = hj_frac_parse(s, strlen(s), &f, &err);
	if (st != HJ_ERR_INPUT || err.col != col)
		print_error("frac '%s': status %d col %d (want %d): %s\n", s,
			    (int)st, err.col, col, err.message);
	assert_int_equal(st, HJ_ERR_INPUT);
	assert_int_equal(err.col, col);
	assert_true(err.message[0] != '\0');
}

static hj_frac F(int64_t num, int64_t den)
{
	hj_frac f;
	assert_int_equal(hj_frac_make(num, den, &f), HJ_OK);
	return f;
}

static void fmt_is(size_t (*fn)(hj_yen, char *, size_t), hj_yen v,
		   const char *want)
{
	char buf[64];
	memset(buf, 'x', sizeof buf);
	size_t n = fn(v, buf, sizeof buf);
	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
}

static void mff_is(hj_yen v, int64_t num, int64_t den, hj_yen want)
{
	hj_yen out = -42;
	assert_int_equal(hj_yen_mul_frac_floor(v, F(num, den), &out), HJ_OK);
	assert_int_equal(out, want);
}

static void needed_is(hj_yen target, int64_t num, int64_t den, hj_yen want)
{
	hj_yen out = -42;
	assert_int_equal(hj_yen_needed_for(target, F(num, den), &out), HJ_OK);
	assert_int_equal(out, want);
}

/* ---- hj_yen_parse: accepted forms -------------------------------------- */

static void test_parse_plain(void **state)
{
	(void)state;
	parse_ok("3000000", 3000000);
	/* 千 (issue 7 point 20): 5千万円 = 5 × 1,000 × 10,000 */
	parse_ok("5千万円", 50000000);
	parse_ok("5千万", 50000000);
	parse_ok("1億5千万円", 150000000);
	parse_ok("1万3千円", 13000);
	parse_ok("1万3千", 13000);
	parse_ok("3千円", 3000);
	parse_ok("１千万円", 10000000);
	parse_ok("3,000,000", 3000000);
	parse_ok("3,000,000円", 3000000);
	parse_ok("10,000", 10000);
	parse_ok("999", 999);
	parse_ok("1,000", 1000);
	parse_ok("0円", 0);
	parse_ok("0", 0);
	parse_ok("１２３", 123);
	parse_ok("3,000,000円", 3000000);
}

static void test_parse_units(void **state)
{
	(void)state;
	parse_ok("750万", 7500000);
	parse_ok("750万円", 7500000);
	parse_ok("1,000万円", 10000000);
	parse_ok("5,000万円", 50000000);
	parse_ok("1億円", 100000000);
	parse_ok("3億", 300000000);
	parse_ok("10億円", 1000000000);
	parse_ok("1億2,000万円", 120000000);
	parse_ok("1億2000万", 120000000);
	parse_ok("１億２，０００万円", 120000000);
	parse_ok("12000万円", 120000000);
	parse_ok("123億4,500万円", 12345000000);
	parse_ok("1億1万円", 100010000);
	parse_ok("0万円", 0);
}

static void test_parse_remainder(void **state)
{
	(void)state;
	/* A bare number after 万/億 is yen. */
	parse_ok("1万2000円", 12000);
	parse_ok("1万2000", 12000);
	parse_ok("1万0500", 10500);
	parse_ok("1万500円", 10500);
	parse_ok("1万2円", 10002);
	parse_ok("1億5000円", 100005000);
	parse_ok("1億00005000", 100005000);
	parse_ok("1億2000万5000円", 120005000);
	parse_ok("1万2,000円", 12000);
}

static void test_parse_spaces(void **state)
{
	(void)state;
	parse_ok("  3,000,000円  ", 3000000);
	parse_ok("\t750万\t", 7500000);
	parse_ok("\xE3\x80\x80" "750万円", 7500000);          /* U+3000 before */
	parse_ok("1億円" "\xE3\x80\x80\xE3\x80\x80", 100000000); /* U+3000 after */
	parse_ok(" \xE3\x80\x80 1,000万円 \xE3\x80\x80", 10000000);
}

static void test_parse_limits(void **state)
{
	(void)state;
	parse_ok("9,223,372,036,854,775,807円", INT64_MAX);
	parse_ok("9223372036854775807", INT64_MAX);
	parse_ok("922337203685477万5807円", INT64_MAX);
	parse_ok("92233720368億5477万5807円", INT64_MAX);
}

static void test_parse_len_not_nul(void **state)
{
	(void)state;
	/* Only 'len' bytes are read: "750万円" out of a longer buffer. */
	const char *s = "750万円ドル";
	hj_yen v = 0;
	assert_int_equal(hj_yen_parse(s, strlen("750万円"), &v, NULL), HJ_OK);
	assert_int_equal(v, 7500000);
	assert_int_equal(hj_yen_parse(s, 2, &v, NULL), HJ_OK);
	assert_int_equal(v, 75);
	/* A UTF-8 character cut by 'len' is an error, not a read past it. */
	assert_int_equal(hj_yen_parse(s, 4, &v, NULL), HJ_ERR_INPUT);
}

/* ---- hj_yen_parse: rejected forms -------------------------------------- */

static void test_parse_reject(void **state)
{
	(void)state;
	parse_bad("", 1);
	parse_bad("   ", 1);
	parse_bad("-100", 1);
	parse_bad("-1万円", 1);
	parse_bad("1.5万円", 2);
	parse_bad("万円", 1);
	parse_bad("億", 1);
	parse_bad("円", 1);
	parse_bad("10ドル", 3);
	parse_bad("abc", 1);
	parse_bad("千円", 1);
	parse_bad("5千5万円", 3);    /* only 万, 億, 円 after 千 */
	parse_bad("$100", 1);
	parse_bad("1万2", 3);      /* 10,002 or 12,000? must say 円 */
	parse_bad("1万500", 3);
	parse_bad("1億5000", 3);
	parse_bad("1万12000円", 3); /* remainder must be below 1万 */
	parse_bad("1億10000万", 3);
	parse_bad("1万2億", 4);
	parse_bad("1万1万", 4);
	parse_bad("1億1億", 4);
	parse_bad("1000円円", 6);
	parse_bad("1000円です", 6);
	parse_bad("1億 2000万円", 3);
	parse_bad("100 200", 4);
	parse_bad("3,000,000.5円", 10);
}

static void test_parse_reject_commas(void **state)
{
	(void)state;
	parse_bad("1,00万円", 2);
	parse_bad("1,0000", 2);
	parse_bad("1234,567", 5);
	parse_bad("1,", 2);
	parse_bad(",100", 1);
	parse_bad("1,,000", 2);
	parse_bad("1,000,00円", 6);
}

static void test_parse_reject_col_is_chars(void **state)
{
	(void)state;
	/* Columns count characters, not bytes. */
	parse_bad("１億２，００万円", 4);   /* the full-width comma */
	parse_bad("\xE3\x80\x80" "１０ドル", 4);
	parse_bad("１．５万円", 2);
	parse_bad("１万２", 3);
	parse_bad("－１００", 1);          /* full-width minus */
}

static void test_parse_reject_bad_utf8(void **state)
{
	(void)state;
	parse_bad("\xFF", 1);
	parse_bad("12\xE3\x80", 3);  /* truncated sequence */
	parse_bad("1\xC0\xAF", 2);   /* overlong */
}

static void test_parse_overflow(void **state)
{
	(void)state;
	parse_bad("9,223,372,036,854,775,808円", 1);
	parse_bad("9223372036854775808", 1);
	parse_bad("99999999999999999999999999", 1);
	parse_bad("922337203685477万5808円", 17); /* the remainder */
	parse_bad("922337203685478万", 1);
	parse_bad("92233720369億", 1);
}

static void test_parse_message(void **state)
{
	(void)state;
	hj_error err;
	hj_yen v;
	hj_error_clear(&err);
	assert_int_equal(hj_yen_parse("10ドル", strlen("10ドル"), &v, &err),
			 HJ_ERR_INPUT);
	assert_non_null(strstr(err.message, "金額として読めません"));
	assert_non_null(strstr(err.message, "'10ドル'"));
	assert_non_null(strstr(err.message, "1,000万円"));
	assert_string_equal(err.file, "");
	assert_string_equal(err.field, "");
	assert_int_equal(err.line, 0);

	/* The quoted input is trimmed and never includes bad UTF-8. */
	hj_error_clear(&err);
	assert_int_equal(hj_yen_parse("  1.5万円 ", strlen("  1.5万円 "), &v, &err), HJ_ERR_INPUT);
	assert_non_null(strstr(err.message, "'1.5万円'"));
	assert_non_null(strstr(err.message, "小数"));
	hj_error_clear(&err);
	assert_int_equal(hj_yen_parse("1\xFF", 2, &v, &err), HJ_ERR_INPUT);
	assert_null(strstr(err.message, "\xFF"));
	assert_int_equal(err.col, 2);

	/* A '-' after the start is not called a negative amount. */
	hj_error_clear(&err);
	assert_int_equal(hj_yen_parse("100-", 4, &v, &err), HJ_ERR_INPUT);
	assert_int_equal(err.col, 4);
	assert_null(strstr(err.message, "負の金額"));
	hj_error_clear(&err);
	assert_int_equal(hj_yen_parse("-100", 4, &v, &err), HJ_ERR_INPUT);
	assert_non_null(strstr(err.message, "負の金額"));
	/* An unmarked remainder asks for 4 digits or 円. */
	hj_error_clear(&err);
	assert_int_equal(hj_yen_parse("1万2", strlen("1万2"), &v, &err),
			 HJ_ERR_INPUT);
	assert_non_null(strstr(err.message, "1万2000円"));
	/* Overflow is an input error that names the limit. */
	hj_error_clear(&err);
	assert_int_equal(hj_yen_parse("9223372036854775808", 19, &v, &err),
			 HJ_ERR_INPUT);
	assert_non_null(strstr(err.message, "9,223,372,036,854,775,807円"));

	/* NULL err is allowed. */
	assert_int_equal(hj_yen_parse("x", 1, &v, NULL), HJ_ERR_INPUT);
}

/* ---- formatting -------------------------------------------------------- */

static void test_format(void **state)
{
	(void)state;
	fmt_is(hj_yen_format, 12345678, "12,345,678円");
	fmt_is(hj_yen_format, 0, "0円");
	fmt_is(hj_yen_format, 999, "999円");
	fmt_is(hj_yen_format, 1000, "1,000円");
	fmt_is(hj_yen_format, 100000, "100,000円");
	fmt_is(hj_yen_format, -1000, "-1,000円");
	fmt_is(hj_yen_format, -5, "-5円");
	fmt_is(hj_yen_format, INT64_MAX, "9,223,372,036,854,775,807円");
	fmt_is(hj_yen_format, INT64_MIN, "-9,223,372,036,854,775,808円");
}

static void test_format_short(void **state)
{
	(void)state;
	fmt_is(hj_yen_format_short, 10000000, "1,000万円");
	fmt_is(hj_yen_format_short, 100000000, "1億円");
	fmt_is(hj_yen_format_short, 120000000, "1億2,000万円");
	fmt_is(hj_yen_format_short, 300000, "30万円");
	fmt_is(hj_yen_format_short, 10000, "1万円");
	fmt_is(hj_yen_format_short, 0, "0円");
	fmt_is(hj_yen_format_short, 5000, "5,000円");
	fmt_is(hj_yen_format_short, 1234567, "1,234,567円");
	fmt_is(hj_yen_format_short, 12345000000, "123億4,500万円");
	fmt_is(hj_yen_format_short, 100010000, "1億1万円");
	fmt_is(hj_yen_format_short, 1000000000000, "10,000億円");
	fmt_is(hj_yen_format_short, -120000000, "-1億2,000万円");
	fmt_is(hj_yen_format_short, -300000, "-30万円");
	fmt_is(hj_yen_format_short, -1234567, "-1,234,567円");
	fmt_is(hj_yen_format_short, INT64_MAX, "9,223,372,036,854,775,807円");
}

static void test_format_small_buffer(void **state)
{
	(void)state;
	char buf[16];
	/* "1,000円" is 5 ASCII bytes + 3 for 円; a cut never splits 円. */
	memset(buf, 'x', sizeof buf);
	assert_int_equal(hj_yen_format(1000, buf, 7), 5);
	assert_string_equal(buf, "1,000");
	assert_int_equal(hj_yen_format(1000, buf, 9), 8);
	assert_string_equal(buf, "1,000円");
	assert_int_equal(hj_yen_format(1000, buf, 3), 2);
	assert_string_equal(buf, "1,");
	assert_int_equal(hj_yen_format(1000, buf, 1), 0);
	assert_string_equal(buf, "");
	assert_int_equal(hj_yen_format(1000, NULL, 0), 0);
	/* "1万円" is 7 bytes; 6 bytes of room leave "1万" (4 bytes). */
	assert_int_equal(hj_yen_format_short(10000, buf, 6), 4);
	assert_string_equal(buf, "1万");
	assert_int_equal(hj_frac_format(F(2, 3), buf, 3), 2);
	assert_string_equal(buf, "2/");
}

static void test_format_round_trip(void **state)
{
	(void)state;
	static const hj_yen vals[] = {
		0, 1, 999, 1000, 9999, 10000, 12000, 300000, 1234567,
		10000000, 100000000, 100010000, 120000000, 120005000,
		12345000000, 1000000000000, 922337203685470000, INT64_MAX,
	};
	char buf[64];
	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		hj_yen v = -1;
		size_t n = hj_yen_format(vals[i], buf, sizeof buf);
		assert_int_equal(hj_yen_parse(buf, n, &v, NULL), HJ_OK);
		assert_int_equal(v, vals[i]);
		v = -1;
		n = hj_yen_format_short(vals[i], buf, sizeof buf);
		assert_int_equal(hj_yen_parse(buf, n, &v, NULL), HJ_OK);
		assert_int_equal(v, vals[i]);
	}
}

/* ---- checked yen arithmetic -------------------------------------------- */

static void test_yen_arith(void **state)
{
	(void)state;
	hj_yen r = 0;
	assert_int_equal(hj_yen_add(1, 2, &r), HJ_OK);
	assert_int_equal(r, 3);
	assert_int_equal(hj_yen_add(INT64_MAX, 1, &r), HJ_ERR_RANGE);
	assert_int_equal(hj_yen_add(INT64_MIN, -1, &r), HJ_ERR_RANGE);
	assert_int_equal(hj_yen_add(INT64_MAX, INT64_MIN, &r), HJ_OK);
	assert_int_equal(r, -1);
	assert_int_equal(hj_yen_sub(5, 7, &r), HJ_OK);
	assert_int_equal(r, -2);
	assert_int_equal(hj_yen_sub(INT64_MIN, 1, &r), HJ_ERR_RANGE);
	assert_int_equal(hj_yen_sub(0, INT64_MIN, &r), HJ_ERR_RANGE);
	assert_int_equal(hj_yen_mul(-3, 4, &r), HJ_OK);
	assert_int_equal(r, -12);
	assert_int_equal(hj_yen_mul(INT64_MAX / 2 + 1, 2, &r), HJ_ERR_RANGE);
	assert_int_equal(hj_yen_mul(INT64_MIN, -1, &r), HJ_ERR_RANGE);
	assert_int_equal(hj_yen_mul(4611686018427387904, -2, &r), HJ_OK);
	assert_int_equal(r, INT64_MIN);
}

/* ---- fractions --------------------------------------------------------- */

static void test_frac_make(void **state)
{
	(void)state;
	hj_frac f;
	assert_int_equal(hj_frac_make(2, 4, &f), HJ_OK);
	assert_int_equal(f.num, 1);
	assert_int_equal(f.den, 2);
	assert_int_equal(hj_frac_make(-2, -4, &f), HJ_OK);
	assert_int_equal(f.num, 1);
	assert_int_equal(f.den, 2);
	assert_int_equal(hj_frac_make(3, -6, &f), HJ_OK);
	assert_int_equal(f.num, -1);
	assert_int_equal(f.den, 2);
	assert_int_equal(hj_frac_make(0, -5, &f), HJ_OK);
	assert_int_equal(f.num, 0);
	assert_int_equal(f.den, 1);
	assert_int_equal(hj_frac_make(INT64_MIN, -2, &f), HJ_OK);
	assert_int_equal(f.num, 4611686018427387904);
	assert_int_equal(f.den, 1);
	assert_int_equal(hj_frac_make(1, 0, &f), HJ_ERR_RANGE);
	assert_int_equal(hj_frac_make(INT64_MIN, -1, &f), HJ_ERR_RANGE);
	assert_int_equal(hj_frac_make(1, INT64_MIN, &f), HJ_ERR_RANGE);
	assert_int_equal(hj_frac_make(2, INT64_MIN, &f), HJ_OK);
	assert_int_equal(f.num, -1);
	assert_int_equal(f.den, 4611686018427387904);
}

static void test_frac_parse(void **state)
{
	(void)state;
	frac_ok("2/3", 2, 3);
	frac_ok(" 1 / 2 ", 1, 2);
	frac_ok("3/4", 3, 4);
	frac_ok("4/6", 2, 3);
	frac_ok("1", 1, 1);
	frac_ok("3%", 3, 100);
	frac_ok("10%", 1, 10);
	frac_ok("100%", 1, 1);
	frac_ok("1.5%", 3, 200);
	frac_ok("0.5", 1, 2);
	frac_ok("0.25", 1, 4);
	frac_ok("2.50", 5, 2);
	frac_ok("-1/2", -1, 2);
	frac_ok("0/7", 0, 1);
	frac_ok("１／２", 1, 2);
	frac_ok("9223372036854775807/2", INT64_MAX, 2);
}

static void test_frac_parse_reject(void **state)
{
	(void)state;
	frac_bad("2/0", 3);
	frac_bad("abc", 1);
	frac_bad("", 1);
	frac_bad("  ", 1);
	frac_bad("1/", 3);
	frac_bad("/2", 1);
	frac_bad("1/2x", 4);
	frac_bad("1.5/2", 1);
	frac_bad("1.", 3);
	frac_bad("1/2/3", 4);
	frac_bad("3%%", 3);
	frac_bad("9223372036854775808", 1);
	frac_bad("0.1234567890123456789", 1); /* 19 decimals */

	hj_error err;
	hj_frac f;
	hj_error_clear(&err);
	assert_int_equal(hj_frac_parse("2/0", 3, &f, &err), HJ_ERR_INPUT);
	assert_non_null(strstr(err.message, "分母が 0"));
	assert_non_null(strstr(err.message, "'2/0'"));
}

/* issue 7 point 19: rates as people write them (seed 004: 年率+1.5% is
 * stored as 3/200), exactly */
static void test_frac_format_percent(void **state)
{
	(void)state;
	char buf[64];
	hj_frac_format_percent(F(3, 200), buf, sizeof buf);
	assert_string_equal(buf, "1.5%");
	hj_frac_format_percent(F(3, 100), buf, sizeof buf);
	assert_string_equal(buf, "3%");
	hj_frac_format_percent(F(3, 50), buf, sizeof buf);
	assert_string_equal(buf, "6%");
	hj_frac_format_percent(F(1, 2), buf, sizeof buf);
	assert_string_equal(buf, "50%");
	hj_frac_format_percent(F(1, 8), buf, sizeof buf);
	assert_string_equal(buf, "12.5%");
	hj_frac_format_percent(F(1, 400), buf, sizeof buf);
	assert_string_equal(buf, "0.25%");
	hj_frac_format_percent(F(-3, 200), buf, sizeof buf);
	assert_string_equal(buf, "-1.5%");
	hj_frac_format_percent(F(1, 3), buf, sizeof buf);   /* no finite decimal */
	assert_string_equal(buf, "1/3");
	hj_frac_format_percent(F(INT64_MAX, 1), buf, sizeof buf);
	assert_string_equal(buf, "922337203685477580700%");
}

static void test_frac_format(void **state)
{
	(void)state;
	char buf[64];
	assert_int_equal(hj_frac_format(F(2, 3), buf, sizeof buf), 3);
	assert_string_equal(buf, "2/3");
	assert_int_equal(hj_frac_format(F(1, 1), buf, sizeof buf), 1);
	assert_string_equal(buf, "1");
	assert_int_equal(hj_frac_format(F(-1, 2), buf, sizeof buf), 4);
	assert_string_equal(buf, "-1/2");
	hj_frac_format(F(0, 3), buf, sizeof buf);
	assert_string_equal(buf, "0");
	hj_frac_format(F(-10, 2), buf, sizeof buf);
	assert_string_equal(buf, "-5");

	static const int64_t pairs[][2] = {
		{ 2, 3 }, { 1, 2 }, { -1, 2 }, { 3, 200 }, { 7, 1 }, { 0, 1 },
		{ INT64_MAX, 3 }, { -INT64_MAX, INT64_MAX - 1 },
	};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		hj_frac a = F(pairs[i][0], pairs[i][1]), b;
		size_t n = hj_frac_format(a, buf, sizeof buf);
		assert_int_equal(hj_frac_parse(buf, n, &b, NULL), HJ_OK);
		assert_int_equal(b.num, a.num);
		assert_int_equal(b.den, a.den);
	}
}

static void test_frac_arith(void **state)
{
	(void)state;
	hj_frac r;
	assert_int_equal(hj_frac_add(F(1, 2), F(1, 3), &r), HJ_OK);
	assert_int_equal(r.num, 5);
	assert_int_equal(r.den, 6);
	assert_int_equal(hj_frac_add(F(1, 6), F(1, 3), &r), HJ_OK);
	assert_int_equal(r.num, 1);
	assert_int_equal(r.den, 2);
	assert_int_equal(hj_frac_sub(F(1, 2), F(2, 3), &r), HJ_OK);
	assert_int_equal(r.num, -1);
	assert_int_equal(r.den, 6);
	assert_int_equal(hj_frac_mul(F(2, 3), F(3, 4), &r), HJ_OK);
	assert_int_equal(r.num, 1);
	assert_int_equal(r.den, 2);
	assert_int_equal(hj_frac_mul(F(-2, 3), F(3, 4), &r), HJ_OK);
	assert_int_equal(r.num, -1);
	assert_int_equal(r.den, 2);
	assert_int_equal(hj_frac_div(F(1, 2), F(1, 4), &r), HJ_OK);
	assert_int_equal(r.num, 2);
	assert_int_equal(r.den, 1);
	assert_int_equal(hj_frac_div(F(1, 2), F(-3, 4), &r), HJ_OK);
	assert_int_equal(r.num, -2);
	assert_int_equal(r.den, 3);
	assert_int_equal(hj_frac_div(F(1, 2), F(0, 1), &r), HJ_ERR_RANGE);
	/* Large intermediates that reduce back into range. */
	assert_int_equal(hj_frac_mul(F(INT64_MAX, 1), F(1, INT64_MAX), &r), HJ_OK);
	assert_int_equal(r.num, 1);
	assert_int_equal(r.den, 1);
	assert_int_equal(hj_frac_add(F(INT64_MAX, 2), F(-INT64_MAX, 2), &r),
			 HJ_OK);
	assert_int_equal(r.num, 0);
	assert_int_equal(r.den, 1);
}

static void test_frac_overflow(void **state)
{
	(void)state;
	hj_frac r;
	assert_int_equal(hj_frac_mul(F(INT64_MAX, 1), F(2, 1), &r), HJ_ERR_RANGE);
	assert_int_equal(hj_frac_mul(F(1, INT64_MAX), F(1, 2), &r), HJ_ERR_RANGE);
	assert_int_equal(hj_frac_add(F(INT64_MAX, 1), F(1, 1), &r), HJ_ERR_RANGE);
	assert_int_equal(hj_frac_sub(F(INT64_MIN, 1), F(1, 1), &r), HJ_ERR_RANGE);
	assert_int_equal(hj_frac_add(F(1, INT64_MAX), F(1, INT64_MAX - 1), &r),
			 HJ_ERR_RANGE);
	assert_int_equal(hj_frac_div(F(INT64_MAX, 1), F(1, 2), &r), HJ_ERR_RANGE);
	assert_int_equal(hj_frac_div(F(INT64_MIN, 1), F(-1, 1), &r), HJ_ERR_RANGE);
}

static void test_frac_cmp(void **state)
{
	(void)state;
	assert_int_equal(hj_frac_cmp(F(1, 3), F(1, 2)), -1);
	assert_int_equal(hj_frac_cmp(F(1, 2), F(1, 3)), 1);
	assert_int_equal(hj_frac_cmp(F(2, 4), F(1, 2)), 0);
	assert_int_equal(hj_frac_cmp(F(-1, 2), F(-1, 3)), -1);
	assert_int_equal(hj_frac_cmp(F(-1, 2), F(0, 1)), -1);
	assert_int_equal(hj_frac_cmp(F(2, 3), F(666666667, 1000000000)), -1);
	/* 1 + 1/(M-1) < 1 + 1/(M-2): equal in double precision. */
	hj_frac a = F(INT64_MAX, INT64_MAX - 1);
	hj_frac b = F(INT64_MAX - 1, INT64_MAX - 2);
	assert_int_equal(hj_frac_cmp(a, b), -1);
	assert_int_equal(hj_frac_cmp(b, a), 1);
	assert_int_equal(hj_frac_cmp(F(INT64_MIN, 1), F(INT64_MAX, 1)), -1);
}

static void test_frac_floor_ceil(void **state)
{
	(void)state;
	assert_int_equal(hj_frac_floor(F(-1, 2)), -1);
	assert_int_equal(hj_frac_ceil(F(-1, 2)), 0);
	assert_int_equal(hj_frac_floor(F(1, 2)), 0);
	assert_int_equal(hj_frac_ceil(F(1, 2)), 1);
	assert_int_equal(hj_frac_floor(F(7, 3)), 2);
	assert_int_equal(hj_frac_ceil(F(7, 3)), 3);
	assert_int_equal(hj_frac_floor(F(-7, 3)), -3);
	assert_int_equal(hj_frac_ceil(F(-7, 3)), -2);
	assert_int_equal(hj_frac_floor(F(-3, 1)), -3);
	assert_int_equal(hj_frac_ceil(F(-3, 1)), -3);
	assert_int_equal(hj_frac_floor(F(6, 3)), 2);
	assert_int_equal(hj_frac_ceil(F(6, 3)), 2);
	assert_int_equal(hj_frac_floor(F(0, 1)), 0);
	assert_int_equal(hj_frac_ceil(F(0, 1)), 0);
	assert_int_equal(hj_frac_floor(F(INT64_MIN, 1)), INT64_MIN);
	assert_int_equal(hj_frac_ceil(F(INT64_MIN, 1)), INT64_MIN);
	assert_int_equal(hj_frac_floor(F(INT64_MIN, 3)), -3074457345618258603);
	assert_int_equal(hj_frac_ceil(F(INT64_MIN, 3)), -3074457345618258602);
	assert_int_equal(hj_frac_floor(F(INT64_MAX, 2)), 4611686018427387903);
	assert_int_equal(hj_frac_ceil(F(INT64_MAX, 2)), 4611686018427387904);
	assert_int_equal(hj_frac_floor(hj_frac_int(5)), 5);
}

static void test_mul_frac_floor(void **state)
{
	(void)state;
	mff_is(10000001, 2, 3, 6666667);   /* 20,000,002/3 = 6,666,667.33 */
	mff_is(10000000, 2, 3, 6666666);   /* 6,666,666.67 */
	mff_is(1500000, 2, 3, 1000000);
	mff_is(1499999, 2, 3, 999999);     /* 999,999.33 */
	mff_is(10000000, 1, 2, 5000000);
	mff_is(9999999, 1, 2, 4999999);    /* 4,999,999.5 */
	mff_is(1000001, 3, 4, 750000);     /* 750,000.75 */
	mff_is(1000000, 3, 4, 750000);
	mff_is(1000000, 1, 3, 333333);     /* 333,333.33 */
	mff_is(2, 1, 3, 0);
	mff_is(0, 2, 3, 0);
	mff_is(-1, 1, 2, -1);              /* floor(-0.5) */
	mff_is(-10000001, 2, 3, -6666668); /* floor(-6,666,667.33) */
	mff_is(INT64_MAX, 1, 1, INT64_MAX);
	/* 2*(2^63-1)/3 = 6,148,914,691,236,517,204.67: needs 128 bits. */
	mff_is(INT64_MAX, 2, 3, 6148914691236517204);
	mff_is(INT64_MIN, 1, 2, -4611686018427387904);

	hj_yen out;
	assert_int_equal(hj_yen_mul_frac_floor(INT64_MAX, F(2, 1), &out),
			 HJ_ERR_RANGE);
	assert_int_equal(hj_yen_mul_frac_floor(INT64_MIN, F(-1, 1), &out),
			 HJ_ERR_RANGE);
}

static void test_needed_for(void **state)
{
	(void)state;
	needed_is(1000000, 2, 3, 1500000);
	needed_is(1000001, 2, 3, 1500002);
	needed_is(1000000, 1, 2, 2000000);
	needed_is(1000001, 1, 2, 2000002);
	needed_is(750000, 3, 4, 1000000);
	needed_is(750001, 3, 4, 1000002);
	needed_is(333333, 1, 3, 999999);
	needed_is(333334, 1, 3, 1000002);
	needed_is(1, 2, 3, 2);             /* floor(2*2/3)=1, floor(1*2/3)=0 */
	needed_is(0, 2, 3, 0);
	needed_is(-5, 1, 2, 0);
	needed_is(5, 1, 1, 5);
	needed_is(5, 2, 1, 3);             /* floor(3*2)=6 >= 5, 2*2=4 < 5 */
	needed_is(INT64_MAX, 1, 1, INT64_MAX);

	hj_yen out;
	assert_int_equal(hj_yen_needed_for(100, F(0, 1), &out), HJ_ERR_RANGE);
	assert_int_equal(hj_yen_needed_for(100, F(-1, 2), &out), HJ_ERR_RANGE);
	assert_int_equal(hj_yen_needed_for(INT64_MAX, F(1, 2), &out),
			 HJ_ERR_RANGE);
}

static void test_needed_for_is_minimal(void **state)
{
	(void)state;
	static const int64_t rates[][2] = {
		{ 1, 2 }, { 2, 3 }, { 3, 4 }, { 1, 3 }, { 5, 7 }, { 3, 2 },
	};
	for (size_t r = 0; r < sizeof rates / sizeof rates[0]; r++) {
		hj_frac rate = F(rates[r][0], rates[r][1]);
		for (hj_yen t = 1; t <= 3000; t++) {
			hj_yen x, got;
			assert_int_equal(hj_yen_needed_for(t, rate, &x), HJ_OK);
			assert_int_equal(hj_yen_mul_frac_floor(x, rate, &got), HJ_OK);
			assert_true(got >= t);
			assert_int_equal(hj_yen_mul_frac_floor(x - 1, rate, &got),
					 HJ_OK);
			assert_true(got < t);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_plain),
		cmocka_unit_test(test_parse_units),
		cmocka_unit_test(test_parse_remainder),
		cmocka_unit_test(test_parse_spaces),
		cmocka_unit_test(test_parse_limits),
		cmocka_unit_test(test_parse_len_not_nul),
		cmocka_unit_test(test_parse_reject),
		cmocka_unit_test(test_parse_reject_commas),
		cmocka_unit_test(test_parse_reject_col_is_chars),
		cmocka_unit_test(test_parse_reject_bad_utf8),
		cmocka_unit_test(test_parse_overflow),
		cmocka_unit_test(test_parse_message),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_short),
		cmocka_unit_test(test_format_small_buffer),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_yen_arith),
		cmocka_unit_test(test_frac_make),
		cmocka_unit_test(test_frac_parse),
		cmocka_unit_test(test_frac_parse_reject),
		cmocka_unit_test(test_frac_format),
		cmocka_unit_test(test_frac_format_percent),
		cmocka_unit_test(test_frac_arith),
		cmocka_unit_test(test_frac_overflow),
		cmocka_unit_test(test_frac_cmp),
		cmocka_unit_test(test_frac_floor_ceil),
		cmocka_unit_test(test_mul_frac_floor),
		cmocka_unit_test(test_needed_for),
		cmocka_unit_test(test_needed_for_is_minimal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
