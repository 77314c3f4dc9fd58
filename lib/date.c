/*
 * date.c - calendar dates as days since 1970-01-01 (see hojo/date.h).
 *
 * The calendar itself (month lengths, leap years) is left to the C
 * library: a date is valid when timegm() of its parts, converted back with
 * gmtime_r(), gives the same year, month and day.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistr.h>
#include "hojo/date.h"

#define SECS_PER_DAY 86400

/* Largest and smallest years hj_date_from_ymd accepts. */
#define YEAR_MIN 1
#define YEAR_MAX 9999

/*
 * Copy 'n' bytes of 'src' into 'buf' (capacity 'size'), cutting at a
 * UTF-8 character boundary if needed, and NUL-terminate. Returns bytes
 * written, excluding the NUL.
 */
static size_t put_out(char *buf, size_t size, const char *src, size_t n)
{
	if (!buf || size == 0)
		return 0;
	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(buf, src, n);
	buf[n] = '\0';
	return n;
}

/* Days since the epoch of y-m-d, if the C library agrees it exists. */
static bool ymd_to_days(int y, int m, int d, hj_date *out)
{
	if (y < YEAR_MIN || y > YEAR_MAX || m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	time_t t = timegm(&tm);
	struct tm back;
	if (!gmtime_r(&t, &back))
		return false;
	if (back.tm_year != y - 1900 || back.tm_mon != m - 1 || back.tm_mday != d)
		return false;
	/* t is midnight UTC, so it is an exact multiple of a day. */
	*out = (hj_date)(t / SECS_PER_DAY);
	return true;
}

/* Quote the input for an error message (not echoed if not UTF-8). */
static void quote_input(const char *s, size_t len, char *q, size_t qsize)
{
	if (!s || u8_check((const uint8_t *)s, len) != NULL) {
		snprintf(q, qsize, "%s", "（UTF-8 として読めない入力）");
		return;
	}
	size_t n = len;
	const char *ell = "";
	if (n > 40) {
		n = 40;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
		ell = "…";
	}
	snprintf(q, qsize, "%.*s%s", (int)n, s, ell);
}

/* Report "<what>: '<input>'<hint>" at 'col'. */
static hj_status date_fail(const char *s, size_t len, hj_error *err, int col,
			   const char *what, const char *hint)
{
	char q[96];
	quote_input(s, len, q, sizeof q);
	return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, col, NULL,
			    "%s: '%s'%s", what, q, hint);
}

/* Value of the 'n' ASCII digits at s. */
static int digits_value(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/*
 * Parse exactly "YYYY-MM-DD": ASCII digits, zero-padded month and day, no
 * surrounding spaces, years 1900-2999, and a day that exists in that
 * month. Failures are HJ_ERR_INPUT with err->col at the first character
 * that is wrong (the month or day for a date that does not exist).
 */
/* Read 1-'max' ASCII digits at s[*i]; -1 if none. */
static int jp_number(const char *s, size_t len, size_t *i, int max)
{
	int v = 0, n = 0;
	while (*i < len && n < max && s[*i] >= '0' && s[*i] <= '9')
		v = v * 10 + (s[(*i)++] - '0'), n++;
	return n ? v : -1;
}

/* Is the UTF-8 text 'lit' at s[*i]? Then step over it. */
static bool jp_lit(const char *s, size_t len, size_t *i, const char *lit)
{
	size_t n = strlen(lit);
	if (len - *i < n || memcmp(s + *i, lit, n))
		return false;
	*i += n;
	return true;
}

int hj_month_parse_jp(const char *s, size_t len, int *y, int *m, int *d)
{
	size_t i = 0;
	*d = 0;
	if (!s || (*y = jp_number(s, len, &i, 4)) < 0 || i != 4 || !jp_lit(s, len, &i, "年") ||
	    (*m = jp_number(s, len, &i, 2)) < 0 || !jp_lit(s, len, &i, "月"))
		return 0;
	if (i == len)
		return 1;
	if ((*d = jp_number(s, len, &i, 2)) < 0 || !jp_lit(s, len, &i, "日") || i != len)
		return 0;
	return 2;
}

hj_status hj_date_parse(const char *s, size_t len, hj_date *out, hj_error *err)
{
	static const char shape[] = "dddd-dd-dd";
	const char *want = "日付は YYYY-MM-DD の形で書いてください";
	if (!s)
		len = 0;
	/* 2019年10月1日 */
	int jy, jm, jd, jk = hj_month_parse_jp(s, len, &jy, &jm, &jd);
	if (jk == 1)
		return date_fail(s, len, err, 1, "日付には日まで書いてください",
				 "（例: 2019年10月1日、2019-10-01）");
	if (jk == 2) {
		if (jy < 1900 || jy > 2999)
			return date_fail(s, len, err, 1, "年は 1900〜2999 の範囲で書いてください", "");
		if (jm < 1 || jm > 12 || !ymd_to_days(jy, jm, jd, out))
			return date_fail(s, len, err, 6, "存在しない日付です", "");
		return HJ_OK;
	}
	for (size_t i = 0; i < 10; i++) {
		/* Every byte before the first mismatch is ASCII, so the byte
		 * offset is also the character position. */
		int col = (int)i + 1;
		if (i >= len)
			return date_fail(s, len, err, col, want, "");
		bool digit = s[i] >= '0' && s[i] <= '9';
		if (shape[i] == 'd' ? !digit : s[i] != '-')
			return date_fail(s, len, err, col, want, "");
	}
	if (len > 10)
		return date_fail(s, len, err, 11, want, "");
	int y = digits_value(s, 4), m = digits_value(s + 5, 2);
	int d = digits_value(s + 8, 2);
	if (y < 1900 || y > 2999)
		return date_fail(s, len, err, 1,
				 "年は 1900〜2999 の範囲で書いてください", "");
	if (m < 1 || m > 12)
		return date_fail(s, len, err, 6, "存在しない月です",
				 "（月は 01〜12。日付は YYYY-MM-DD の形で"
				 "書いてください）");
	if (!ymd_to_days(y, m, d, out))
		return date_fail(s, len, err, 9, "存在しない日付です",
				 "（その月にその日はありません。日付は "
				 "YYYY-MM-DD の形で書いてください）");
	return HJ_OK;
}

/*
 * Day number of y-m-d (years 1-9999). A date that does not exist, such as
 * 2023-02-29 or month 13, gives HJ_ERR_RANGE.
 */
hj_status hj_date_from_ymd(int y, int m, int d, hj_date *out)
{
	hj_date r;
	if (!ymd_to_days(y, m, d, &r))
		return HJ_ERR_RANGE;
	*out = r;
	return HJ_OK;
}

/* Year, month (1-12) and day (1-31) of a day number. */
void hj_date_to_ymd(hj_date dt, int *y, int *m, int *d)
{
	time_t t = (time_t)dt * SECS_PER_DAY;
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	gmtime_r(&t, &tm);
	if (y)
		*y = tm.tm_year + 1900;
	if (m)
		*m = tm.tm_mon + 1;
	if (d)
		*d = tm.tm_mday;
}

/*
 * Format as "2024-03-27". Returns bytes written, excluding the NUL; a
 * buffer smaller than 11 bytes gets a truncated string.
 */
size_t hj_date_format(hj_date dt, char *buf, size_t size)
{
	int y, m, d;
	char tmp[32];
	hj_date_to_ymd(dt, &y, &m, &d);
	int n = snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
	return put_out(buf, size, tmp, (size_t)n);
}

/*
 * Format as "2024年3月27日" (no zero padding). Returns bytes written,
 * excluding the NUL; output cut to fit 'size' at a character boundary.
 */
size_t hj_date_format_ja(hj_date dt, char *buf, size_t size)
{
	int y, m, d;
	char tmp[48];
	hj_date_to_ymd(dt, &y, &m, &d);
	int n = snprintf(tmp, sizeof tmp, "%d年%d月%d日", y, m, d);
	return put_out(buf, size, tmp, (size_t)n);
}
