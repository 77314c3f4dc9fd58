/*
 * test_date.c - unit tests for hojo/date.h: strict YYYY-MM-DD parsing,
 * calendar validity, day numbers and formatting. Day numbers below were
 * worked out by hand from 2000-01-01 = 10957 (946,684,800 s / 86,400) and
 * 2024-01-01 = 19723 (1,704,067,200 s / 86,400).
 */
#include "unit.h"
#include "hojo/date.h"

static hj_date parse_ok(const char *s)
{
	hj_error err;
	hj_date d = -999999;
	hj_error_clear(&err);
	hj_status st = hj_date_parse(s, strlen(s), &d, &err);
	if (st != HJ_OK)
		print_error("parse '%s': %s\n", s, err.message);
	assert_int_equal(st, HJ_OK);
	return d;
}

static void parse_is(const char *s, hj_date want)
{
	assert_int_equal(parse_ok(s), want);
}

static void parse_bad(const char *s, int col)
{
	hj_error err;
	hj_date d = -999999;
	hj_error_clear(&err);
	hj_status st = hj_date_parse(s, strlen(s), &d, &err);
	if (st != HJ_ERR_INPUT || err.col != col)
		print_error("parse '%s': status %d col %d (want %d): %s\n", s,
			    (int)st, err.col, col, err.message);
	assert_int_equal(st, HJ_ERR_INPUT);
	assert_int_equal(err.status, HJ_ERR_INPUT);
	assert_int_equal(err.col, col);
	assert_true(err.message[0] != '\0');
	assert_int_equal(d, -999999);
}

static void test_parse_values(void **state)
{
	(void)state;
	parse_is("1970-01-01", 0);
	parse_is("1970-01-02", 1);
	parse_is("1969-12-31", -1);
	parse_is("2000-01-01", 10957);
	parse_is("2024-01-01", 19723);
	parse_is("2024-03-27", 19809);          /* 19723 + 31 + 29 + 26 */
	parse_is("2018-12-21", 17886);          /* 2019-01-01 (17897) - 11 */
	parse_is("1900-01-01", -25567);         /* 70*365 + 17 leap days */
	parse_is("2999-12-31", 376199);         /* 3000-01-01 is 376200 */
}

static void test_leap_years(void **state)
{
	(void)state;
	parse_is("2024-02-29", 19782);          /* 19723 + 31 + 28 */
	parse_is("2000-02-29", 11016);          /* 10957 + 31 + 28 */
	parse_bad("1900-02-29", 9);             /* 1900 is not a leap year */
	parse_bad("2023-02-29", 9);
	parse_bad("2100-02-29", 9);
	assert_int_equal(parse_ok("2024-03-01") - parse_ok("2024-02-28"), 2);
	assert_int_equal(parse_ok("2023-03-01") - parse_ok("2023-02-28"), 1);
	assert_int_equal(parse_ok("2001-01-01") - parse_ok("2000-01-01"), 366);
	assert_int_equal(parse_ok("1901-01-01") - parse_ok("1900-01-01"), 365);
}

static void test_ordering(void **state)
{
	(void)state;
	hj_date a = parse_ok("2018-12-21"), b = parse_ok("2018-12-22");
	assert_true(a < b);
	assert_int_equal(b - a, 1);
	assert_int_equal(parse_ok("2019-01-01") - parse_ok("2018-12-31"), 1);
	assert_int_equal(parse_ok("2024-04-01") - parse_ok("2024-03-31"), 1);
	assert_true(parse_ok("2023-12-31") < parse_ok("2024-01-01"));
}

static void test_parse_reject_shape(void **state)
{
	(void)state;
	parse_bad("", 1);
	parse_bad("2024-3-1", 7);
	parse_bad("2024-03-1", 10);
	parse_bad("2024/03/01", 5);
	parse_bad("24-03-01", 3);
	parse_bad("2024-03", 8);
	parse_bad("2024-03-01x", 11);
	parse_bad("2024-03-01 ", 11);
	parse_bad(" 2024-03-01", 1);
	parse_bad("2024-03-01T00:00", 11);
	parse_bad("２０２４-03-01", 1);
	parse_bad("2024年3月1", 5);       /* Japanese form without 日: not a date */
	parse_bad("abcd-ef-gh", 1);
	parse_bad("+024-03-01", 1);
}

static void test_parse_reject_calendar(void **state)
{
	(void)state;
	parse_bad("2024-13-01", 6);
	parse_bad("2024-00-10", 6);
	parse_bad("2024-04-31", 9);
	parse_bad("2024-02-30", 9);
	parse_bad("2024-03-00", 9);
	parse_bad("2024-03-32", 9);
	parse_bad("1899-12-31", 1);
	parse_bad("3000-01-01", 1);
	parse_bad("0000-01-01", 1);
}

static void test_parse_message(void **state)
{
	(void)state;
	hj_error err;
	hj_date d;
	hj_error_clear(&err);
	assert_int_equal(hj_date_parse("2024-3-1", 8, &d, &err), HJ_ERR_INPUT);
	assert_non_null(strstr(err.message, "YYYY-MM-DD"));
	assert_non_null(strstr(err.message, "'2024-3-1'"));
	hj_error_clear(&err);
	assert_int_equal(hj_date_parse("2023-02-29", 10, &d, &err), HJ_ERR_INPUT);
	assert_non_null(strstr(err.message, "存在しない日付"));
	assert_non_null(strstr(err.message, "'2023-02-29'"));
	/* Only 'len' bytes count. */
	assert_int_equal(hj_date_parse("2024-03-27junk", 10, &d, NULL), HJ_OK);
	assert_int_equal(d, 19809);
	assert_int_equal(hj_date_parse("2024-03-27", 9, &d, NULL), HJ_ERR_INPUT);
}

static void test_from_to_ymd(void **state)
{
	(void)state;
	hj_date d = -1;
	int y, m, dd;
	assert_int_equal(hj_date_from_ymd(2024, 2, 29, &d), HJ_OK);
	assert_int_equal(d, 19782);
	assert_int_equal(hj_date_from_ymd(1970, 1, 1, &d), HJ_OK);
	assert_int_equal(d, 0);
	assert_int_equal(hj_date_from_ymd(2023, 2, 29, &d), HJ_ERR_RANGE);
	assert_int_equal(hj_date_from_ymd(2024, 13, 1, &d), HJ_ERR_RANGE);
	assert_int_equal(hj_date_from_ymd(2024, 1, 0, &d), HJ_ERR_RANGE);
	assert_int_equal(hj_date_from_ymd(2024, 0, 1, &d), HJ_ERR_RANGE);
	assert_int_equal(hj_date_from_ymd(2024, 6, 31, &d), HJ_ERR_RANGE);
	assert_int_equal(d, 0); /* untouched on failure */

	hj_date_to_ymd(19809, &y, &m, &dd);
	assert_int_equal(y, 2024);
	assert_int_equal(m, 3);
	assert_int_equal(dd, 27);
	hj_date_to_ymd(-1, &y, &m, &dd);
	assert_int_equal(y, 1969);
	assert_int_equal(m, 12);
	assert_int_equal(dd, 31);
	hj_date_to_ymd(-25567, &y, &m, &dd);
	assert_int_equal(y, 1900);
	assert_int_equal(m, 1);
	assert_int_equal(dd, 1);
}

static void test_format(void **state)
{
	(void)state;
	char buf[32];
	assert_int_equal(hj_date_format(19809, buf, sizeof buf), 10);
	assert_string_equal(buf, "2024-03-27");
	hj_date_format(0, buf, sizeof buf);
	assert_string_equal(buf, "1970-01-01");
	hj_date_format(-25567, buf, sizeof buf);
	assert_string_equal(buf, "1900-01-01");
	/* "2024年3月27日": 4 + 3 + 1 + 3 + 2 + 3 bytes. */
	assert_int_equal(hj_date_format_ja(19809, buf, sizeof buf), 16);
	assert_string_equal(buf, "2024年3月27日");
	hj_date_format_ja(17886, buf, sizeof buf);
	assert_string_equal(buf, "2018年12月21日");
	hj_date_format_ja(0, buf, sizeof buf);
	assert_string_equal(buf, "1970年1月1日");
	/* Too small: cut, never split a character. */
	assert_int_equal(hj_date_format(19809, buf, 5), 4);
	assert_string_equal(buf, "2024");
	assert_int_equal(hj_date_format_ja(19809, buf, 7), 4);
	assert_string_equal(buf, "2024");
	assert_int_equal(hj_date_format(19809, NULL, 0), 0);
}

static void test_round_trip_all(void **state)
{
	(void)state;
	/* Every day from 1900-01-01 to 2999-12-31 formats and reads back,
	 * and consecutive days are one apart. */
	char buf[16];
	hj_date first = parse_ok("1900-01-01"), last = parse_ok("2999-12-31");
	int prev_y = 1899;
	for (hj_date d = first; d <= last; d++) {
		hj_date back;
		size_t n = hj_date_format(d, buf, sizeof buf);
		assert_int_equal(n, 10);
		assert_int_equal(hj_date_parse(buf, n, &back, NULL), HJ_OK);
		assert_int_equal(back, d);
		int y, m, dd;
		hj_date_to_ymd(d, &y, &m, &dd);
		if (m == 1 && dd == 1) {
			assert_int_equal(y, prev_y + 1);
			prev_y = y;
		}
	}
	assert_int_equal(prev_y, 2999);
	/* 1900-2999 has 275 multiples of 4, minus the 8 centuries not
	 * divisible by 400: 267 leap years. */
	assert_int_equal(last - first + 1, 1100 * 365 + 267);
}

/* 2019年10月1日 (issue 7 point 20): the same day as 2019-10-01; a month
 * alone is refused because the day is missing. */
static void test_parse_japanese(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("2019年10月1日"), parse_ok("2019-10-01"));
	assert_int_equal(parse_ok("2024年3月15日"), parse_ok("2024-03-15"));
	assert_int_equal(parse_ok("2024年02月29日"), parse_ok("2024-02-29"));
	parse_bad("2019年10月", 1);
	parse_bad("2023年2月29日", 6);
	parse_bad("2019年13月1日", 6);
	parse_bad("1899年1月1日", 1);
	int y, m, d;
	assert_int_equal(hj_month_parse_jp("2019年10月", strlen("2019年10月"), &y, &m, &d), 1);
	assert_int_equal(y * 100 + m, 201910);
	assert_int_equal(hj_month_parse_jp("2019-10", 7, &y, &m, &d), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_values),
		cmocka_unit_test(test_parse_japanese),
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_ordering),
		cmocka_unit_test(test_parse_reject_shape),
		cmocka_unit_test(test_parse_reject_calendar),
		cmocka_unit_test(test_parse_message),
		cmocka_unit_test(test_from_to_ymd),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_round_trip_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
