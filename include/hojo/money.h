/*
 * hojo/money.h - integer yen and exact fractions.
 *
 * Money is always an int64_t count of yen. Rates and other non-integral
 * quantities are exact fractions (hj_frac) with a positive denominator,
 * always kept in lowest terms. Every operation checks for overflow and
 * reports HJ_ERR_RANGE instead of wrapping. Rounding to yen is floor
 * unless a rule says otherwise.
 *
 * Ownership: all types here are plain values; nothing is allocated.
 */
#ifndef HOJO_MONEY_H
#define HOJO_MONEY_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef int64_t hj_yen;

/* An exact fraction num/den, den > 0, gcd(|num|, den) == 1. */
typedef struct hj_frac {
	int64_t num;
	int64_t den;
} hj_frac;

/*
 * Parse an amount written the way people write yen in Japan:
 *   "3000000", "3,000,000", "3,000,000円", "750万", "750万円", "1,000万円",
 *   "1億2,000万円", "１億２，０００万円" (full-width digits and comma),
 *   "3億", "0円". Surrounding ASCII or full-width spaces are ignored.
 * Digit groups with commas must be well formed (1-3 digits, then groups
 * of exactly 3). After 億, the count of 万 is 0-9999; a bare remainder
 * after 万/億 is yen ("1万2000円").
 * Negative amounts are not accepted. On error, 'err' says what was expected;
 * 'err->col' is the 1-based character position of the problem.
 */
hj_status hj_yen_parse(const char *s, size_t len, hj_yen *out, hj_error *err);

/* Format as "12,345,678円" (exact). Returns bytes written (excl. NUL). */
size_t hj_yen_format(hj_yen v, char *buf, size_t size);

/*
 * Format in the short Japanese style: "1,000万円", "1億円", "1億2,000万円",
 * "30万円", and, when not a whole number of 万, the exact yen:
 * "1,234,567円". Returns bytes written (excl. NUL).
 */
size_t hj_yen_format_short(hj_yen v, char *buf, size_t size);

/* Checked yen arithmetic. */
hj_status hj_yen_add(hj_yen a, hj_yen b, hj_yen *out);
hj_status hj_yen_sub(hj_yen a, hj_yen b, hj_yen *out);
hj_status hj_yen_mul(hj_yen a, int64_t b, hj_yen *out);

/* Build a normalized fraction; den == 0 gives HJ_ERR_RANGE. */
hj_status hj_frac_make(int64_t num, int64_t den, hj_frac *out);
/* Parse "2/3", "1/2", "3/4", "1" (whole), "3%" (=3/100), "0.5". */
hj_status hj_frac_parse(const char *s, size_t len, hj_frac *out, hj_error *err);
/* Format as "2/3" (or "1" when den == 1). */
size_t hj_frac_format(hj_frac f, char *buf, size_t size);
/* Format as a percentage the way people write rates: 3/200 -> "1.5%",
 * 3/100 -> "3%"; exact (integer arithmetic): a value with no finite
 * decimal of at most 6 places is written as a fraction ("1/3"). */
size_t hj_frac_format_percent(hj_frac f, char *buf, size_t size);

hj_status hj_frac_add(hj_frac a, hj_frac b, hj_frac *out);
hj_status hj_frac_sub(hj_frac a, hj_frac b, hj_frac *out);
hj_status hj_frac_mul(hj_frac a, hj_frac b, hj_frac *out);
hj_status hj_frac_div(hj_frac a, hj_frac b, hj_frac *out); /* b != 0 */
/* -1, 0, 1 like strcmp; exact (no overflow possible). */
int hj_frac_cmp(hj_frac a, hj_frac b);
/* floor(a) and ceil(a) as integers (exact). */
int64_t hj_frac_floor(hj_frac a);
int64_t hj_frac_ceil(hj_frac a);
/* floor(yen * rate), checked. */
hj_status hj_yen_mul_frac_floor(hj_yen v, hj_frac rate, hj_yen *out);
/* Smallest yen x with floor(x * rate) >= target (rate > 0), checked. */
hj_status hj_yen_needed_for(hj_yen target, hj_frac rate, hj_yen *out);

static inline hj_frac hj_frac_int(int64_t n) { hj_frac f = { n, 1 }; return f; }

#ifdef __cplusplus
}
#endif
#endif
