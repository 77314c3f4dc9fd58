/*
 * money.c - integer yen and exact fractions (see hojo/money.h).
 *
 * Parsing reads the input one character at a time through a small cursor:
 * ASCII bytes are taken directly (the fast path), anything else is decoded
 * with libunistring's u8_mbtoucr and folded to its ASCII equivalent when it
 * is a full-width digit or sign. Nothing here allocates. All arithmetic is
 * done in __int128 or with __builtin_*_overflow and reports HJ_ERR_RANGE
 * instead of wrapping.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistr.h>
#include "hojo/money.h"

#define CH_EN  0x5186u /* 円 */
#define CH_MAN 0x4E07u /* 万 */
#define CH_OKU 0x5104u /* 億 */
#define CH_SEN 0x5343u /* 千 */

#define MAN ((int64_t)10000)
#define OKU ((int64_t)100000000)

#define YEN_EXAMPLES "例: 1,000万円、750万、3000000"
#define FRAC_EXAMPLES "例: 2/3、1/2、3%%、0.5"

/* ---- output helpers ---------------------------------------------------- */

/*
 * Copy 'n' bytes of 'src' into 'buf' (capacity 'size'), truncating at a
 * UTF-8 character boundary if it does not fit, and NUL-terminate.
 * Returns the number of bytes written, excluding the NUL.
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

/* Write 'v' with a comma every three digits; returns the length. */
static size_t put_grouped(uint64_t v, char *dst)
{
	char digits[24];
	int nd = snprintf(digits, sizeof digits, "%" PRIu64, v);
	size_t o = 0;
	for (int i = 0; i < nd; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			dst[o++] = ',';
		dst[o++] = digits[i];
	}
	dst[o] = '\0';
	return o;
}

/* |v| as unsigned, valid for INT64_MIN too. */
static uint64_t magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/* ---- input cursor ------------------------------------------------------ */

typedef struct cursor {
	const uint8_t *s;
	size_t len;
	size_t i;   /* byte offset */
	int col;    /* 1-based character position of s[i] */
} cursor;

/* Fold full-width forms we accept to ASCII. */
static ucs4_t fold(ucs4_t uc)
{
	if (uc >= 0xFF10 && uc <= 0xFF19)
		return '0' + (uc - 0xFF10);
	switch (uc) {
	case 0x3000: return ' ';  /* ideographic space */
	case 0xFF0C: return ',';  /* ， */
	case 0xFF0E: return '.';  /* ． */
	case 0xFF0D: return '-';  /* － */
	case 0x2212: return '-';  /* − */
	case 0xFF05: return '%';  /* ％ */
	case 0xFF0F: return '/';  /* ／ */
	default: return uc;
	}
}

/*
 * Look at the next character: 1 with *cp and *nb set, 0 at the end, -1 if the
 * bytes there are not valid UTF-8.
 */
static int peek(const cursor *c, ucs4_t *cp, size_t *nb)
{
	if (c->i >= c->len)
		return 0;
	uint8_t b = c->s[c->i];
	if (b < 0x80) {
		*cp = b;
		*nb = 1;
		return 1;
	}
	ucs4_t uc;
	int r = u8_mbtoucr(&uc, c->s + c->i, c->len - c->i);
	if (r <= 0)
		return -1;
	*cp = fold(uc);
	*nb = (size_t)r;
	return 1;
}

/* The next character, or 0 at the end, or (ucs4_t)-1 on bad UTF-8. */
static ucs4_t peekc(const cursor *c)
{
	ucs4_t cp;
	size_t nb;
	int r = peek(c, &cp, &nb);
	if (r == 0)
		return 0;
	if (r < 0)
		return (ucs4_t)-1;
	return cp;
}

static void advance(cursor *c)
{
	ucs4_t cp;
	size_t nb;
	if (peek(c, &cp, &nb) > 0) {
		c->i += nb;
		c->col++;
	}
}

static bool is_space(ucs4_t cp)
{
	return cp == ' ' || cp == '\t';
}

static void skip_spaces(cursor *c)
{
	while (is_space(peekc(c)))
		advance(c);
}

static bool is_digit(ucs4_t cp)
{
	return cp >= '0' && cp <= '9';
}

/*
 * Render the input (trimmed of surrounding spaces, at most ~80 bytes) for
 * an error message. Input that is not valid UTF-8 is not echoed.
 */
static void quote_input(const char *s, size_t len, char *q, size_t qsize)
{
	const uint8_t *u = (const uint8_t *)s;
	if (!s || u8_check(u, len) != NULL) {
		snprintf(q, qsize, "%s", "（UTF-8 として読めない入力）");
		return;
	}
	size_t a = 0, b = len;
	for (;;) {
		if (a < b && (s[a] == ' ' || s[a] == '\t'))
			a++;
		else if (b - a >= 3 && memcmp(s + a, "\xE3\x80\x80", 3) == 0)
			a += 3;
		else
			break;
	}
	for (;;) {
		if (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
			b--;
		else if (b - a >= 3 && memcmp(s + b - 3, "\xE3\x80\x80", 3) == 0)
			b -= 3;
		else
			break;
	}
	size_t n = b - a;
	const char *ell = "";
	if (n > 80) {
		n = 80;
		while (n > 0 && (u[a + n] & 0xC0) == 0x80)
			n--;
		ell = "…";
	}
	snprintf(q, qsize, "%.*s%s", (int)n, s + a, ell);
}

/* ---- yen parsing ------------------------------------------------------- */

typedef struct yen_ctx {
	const char *s;
	size_t len;
	hj_error *err;
	int start_col;  /* column of the first non-space character */
} yen_ctx;

static hj_status yen_fail(const yen_ctx *x, int col, const char *why)
{
	char q[128];
	quote_input(x->s, x->len, q, sizeof q);
	return hj_error_set(x->err, HJ_ERR_INPUT, NULL, 0, col, NULL,
			    "金額として読めません: '%s'（%s。" YEN_EXAMPLES "）",
			    q, why);
}

static hj_status yen_too_big(const yen_ctx *x, int col)
{
	char q[128];
	quote_input(x->s, x->len, q, sizeof q);
	return hj_error_set(x->err, HJ_ERR_INPUT, NULL, 0, col, NULL,
			    "金額が大きすぎます: '%s'（上限は "
			    "9,223,372,036,854,775,807円）", q);
}

/* Explain why the character at the cursor cannot appear here. */
static hj_status yen_bad_char(const yen_ctx *x, const cursor *c)
{
	ucs4_t cp = peekc(c);
	const char *why;
	if (cp == (ucs4_t)-1)
		why = "UTF-8 として正しくない文字があります";
	else if (cp == '.')
		why = "小数は使えません。円単位の整数で書いてください";
	else if (cp == '-' && c->col == x->start_col)
		why = "負の金額は使えません";
	else if (cp == ',')
		why = "カンマの位置が正しくありません。3桁ごとに区切ってください";
	else if (cp == CH_MAN || cp == CH_OKU || cp == CH_SEN)
		why = "千・万・億 の前に数字がありません";
	else if (cp == CH_EN)
		why = "円 の前に数字がありません";
	else if (is_space(cp))
		why = "数字や単位の間に空白は入れられません";
	else if (cp == 0)
		why = "数字がありません";
	else
		why = "使えるのは数字・カンマ・千・万・億・円だけです";
	return yen_fail(x, c->col, why);
}

/* One run of digits, possibly grouped with commas. */
typedef struct group {
	int64_t value;
	int ndigits;
	int col;  /* column of its first digit */
} group;

/* Read a run of digits at the cursor; adds to *v, counts into *nd. */
static bool read_digits(cursor *c, int64_t *v, int *nd, int *run)
{
	bool ok = true;
	*run = 0;
	for (ucs4_t cp = peekc(c); is_digit(cp); cp = peekc(c)) {
		if (__builtin_mul_overflow(*v, 10, v) ||
		    __builtin_add_overflow(*v, (int64_t)(cp - '0'), v))
			ok = false;
		(*nd)++;
		(*run)++;
		advance(c);
	}
	return ok;
}

/*
 * Read a number at the cursor: digits, optionally grouped as 1-3 digits
 * followed by groups of exactly three ("10,000"). The cursor must be at a
 * digit.
 */
static hj_status read_group(const yen_ctx *x, cursor *c, group *g)
{
	int run;
	bool ok;
	g->value = 0;
	g->ndigits = 0;
	g->col = c->col;
	ok = read_digits(c, &g->value, &g->ndigits, &run);
	bool first = true;
	while (peekc(c) == ',') {
		int comma_col = c->col;
		if (first && run > 3)
			return yen_fail(x, comma_col, "カンマの位置が正しくありません。"
					"3桁ごとに区切ってください");
		first = false;
		advance(c);
		ok = read_digits(c, &g->value, &g->ndigits, &run) && ok;
		if (run != 3)
			return yen_fail(x, comma_col, "カンマの位置が正しくありません。"
					"3桁ごとに区切ってください");
	}
	if (!ok)
		return yen_too_big(x, g->col);
	return HJ_OK;
}

/* total += v * unit, or report an overflow at 'col'. */
static hj_status add_scaled(const yen_ctx *x, int64_t *total, int64_t v,
			    int64_t unit, int col)
{
	int64_t p;
	if (__builtin_mul_overflow(v, unit, &p) ||
	    __builtin_add_overflow(*total, p, total))
		return yen_too_big(x, col);
	return HJ_OK;
}

/*
 * Parse an amount of yen. Grammar, after folding full-width digits, comma
 * and ideographic space to ASCII:
 *
 *   amount := space* [N 億] [N 万] [N] [円] space*     (at least one N)
 *   N      := digits | 1-3 digits ("," 3 digits)+
 *
 * - Without 億, the count before 万 may be any size ("12000万円").
 *   After 億 it must be 0-9999 ("1億10000万" is an error).
 * - A bare number after 万 or 億 is a yen remainder: "1万2000円" and
 *   "1万2000" are 12,000 yen. The remainder must be below the unit
 *   (0-9999 after 万, 0-99,999,999 after 億 alone). Without a closing 円
 *   it must be written with all its places (4 digits after 万, 8 after
 *   億), because "1万2" could mean 10,002 or 12,000; "1万2円" is fine.
 * - N千 is N × 1,000 and may stand where a count does before 万, 億 or
 *   円, or at the end: "5千万円" is 50,000,000, "1億5千万" 150,000,000,
 *   "1万3千円" 13,000, "3千円" 3,000. Nothing but 万, 億, 円 may follow 千.
 * - Not accepted: signs, decimals, other units (百, 兆), ¥, empty input,
 *   spaces inside the amount, values above INT64_MAX.
 *
 * Every failure, including overflow, is HJ_ERR_INPUT with err->col the
 * 1-based character position of the offending character or number.
 */
/* "3000000" or "750万円"/"750万": plain ASCII digits, optionally followed by
 * 万(円). Returns 1 and sets *out when it applies, else 0 (the full
 * parser then handles the text, including every error). */
static int yen_fast(const char *s, size_t len, hj_yen *out)
{
	size_t n = 0;
	int64_t v = 0;
	while (n < len && n < 15 && s[n] >= '0' && s[n] <= '9')
		v = v * 10 + (s[n++] - '0');
	if (n == 0 || n >= 15)
		return 0;
	if (n == len) {
		*out = v;
		return 1;
	}
	/* 万 = E4 B8 87, 円 = E5 86 86 */
	if (len - n >= 3 && !memcmp(s + n, "\xE4\xB8\x87", 3) &&
	    (len - n == 3 || (len - n == 6 && !memcmp(s + n + 3, "\xE5\x86\x86", 3)))) {
		*out = v * 10000;
		return 1;
	}
	return 0;
}

hj_status hj_yen_parse(const char *s, size_t len, hj_yen *out, hj_error *err)
{
	if (s && yen_fast(s, len, out))
		return HJ_OK;
	yen_ctx x = { s, s ? len : 0, err, 1 };
	cursor c = { (const uint8_t *)s, s ? len : 0, 0, 1 };
	int64_t total = 0;
	bool saw_oku = false, saw_man = false, any = false;
	hj_status st;

	skip_spaces(&c);
	x.start_col = c.col;
	if (peekc(&c) == 0)
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 1, NULL,
				    "金額が空です（" YEN_EXAMPLES "）");
	for (;;) {
		ucs4_t cp = peekc(&c);
		if (cp == 0 || cp == CH_EN || is_space(cp))
			break;
		if (!is_digit(cp))
			return yen_bad_char(&x, &c);
		group g;
		if ((st = read_group(&x, &c, &g)) != HJ_OK)
			return st;
		cp = peekc(&c);
		if (cp == CH_SEN) {
			/* N千: the count times 1,000, written with all its places */
			if (__builtin_mul_overflow(g.value, (int64_t)1000, &g.value))
				return yen_too_big(&x, g.col);
			g.ndigits += 3;
			advance(&c);
			cp = peekc(&c);
			if (cp != 0 && cp != CH_MAN && cp != CH_OKU && cp != CH_EN && !is_space(cp))
				return yen_fail(&x, c.col, "千 のあとは 万・億・円 で書いてください（例: 5千万円）");
		}
		if (cp == CH_OKU) {
			if (saw_oku || saw_man)
				return yen_fail(&x, c.col, "億 の位置が正しくありません");
			if ((st = add_scaled(&x, &total, g.value, OKU, g.col)) != HJ_OK)
				return st;
			saw_oku = true;
			advance(&c);
			continue;
		}
		if (cp == CH_MAN) {
			if (saw_man)
				return yen_fail(&x, c.col, "万 が2回あります");
			if (saw_oku && g.value > 9999)
				return yen_fail(&x, g.col, "億 のあとの万の数は "
						"0〜9999 で書いてください");
			if ((st = add_scaled(&x, &total, g.value, MAN, g.col)) != HJ_OK)
				return st;
			saw_man = true;
			advance(&c);
			continue;
		}
		if (cp != 0 && cp != CH_EN && !is_space(cp))
			return yen_bad_char(&x, &c);
		/* A bare remainder in yen. */
		if (saw_man || saw_oku) {
			int64_t limit = saw_man ? MAN - 1 : OKU - 1;
			int places = saw_man ? 4 : 8;
			const char *unit = saw_man ? "万" : "億";
			char why[256];
			if (g.value > limit) {
				snprintf(why, sizeof why, "%s のあとの端数は %s 未満に"
					 "してください", unit, unit);
				return yen_fail(&x, g.col, why);
			}
			if (cp != CH_EN && g.ndigits != places) {
				snprintf(why, sizeof why, "%s のあとの端数は %d 桁で"
					 "書くか、%s のように 円 をつけてください",
					 unit, places,
					 saw_man ? "1万2000円" : "1億5000円");
				return yen_fail(&x, g.col, why);
			}
		}
		if ((st = add_scaled(&x, &total, g.value, 1, g.col)) != HJ_OK)
			return st;
		any = true;
		break;
	}
	if (!any && !saw_man && !saw_oku)
		return yen_bad_char(&x, &c);
	if (peekc(&c) == CH_EN)
		advance(&c);
	int space_col = c.col;
	skip_spaces(&c);
	if (peekc(&c) != 0) {
		ucs4_t cp = peekc(&c);
		if (space_col != c.col && (is_digit(cp) || cp == CH_MAN ||
					   cp == CH_OKU || cp == CH_EN))
			return yen_fail(&x, space_col, "数字や単位の間に空白は"
					"入れられません");
		if (cp == (ucs4_t)-1 || cp == '.' || cp == ',' || cp == '-')
			return yen_bad_char(&x, &c);
		return yen_fail(&x, c.col, "金額のあとに余計な文字があります");
	}
	*out = total;
	return HJ_OK;
}

/*
 * Format 'v' as "12,345,678円" ("-1,000円" when negative). Output that does
 * not fit in 'size' is cut at a character boundary. Returns bytes written,
 * excluding the NUL.
 */
size_t hj_yen_format(hj_yen v, char *buf, size_t size)
{
	char tmp[64];
	size_t n = 0;
	if (v < 0)
		tmp[n++] = '-';
	n += put_grouped(magnitude(v), tmp + n);
	memcpy(tmp + n, "円", sizeof "円");
	n += sizeof "円" - 1;
	return put_out(buf, size, tmp, n);
}

/*
 * Format 'v' in 億/万 units when it is a whole number of 万 ("1億2,000万円",
 * "30万円", "0円"), otherwise exactly like hj_yen_format. Returns bytes
 * written, excluding the NUL.
 */
size_t hj_yen_format_short(hj_yen v, char *buf, size_t size)
{
	uint64_t m = magnitude(v);
	if (m % 10000 != 0 || m == 0)
		return hj_yen_format(v, buf, size);
	char tmp[80];
	size_t n = 0;
	uint64_t mans = m / 10000;
	uint64_t oku = mans / 10000, man = mans % 10000;
	if (v < 0)
		tmp[n++] = '-';
	if (oku) {
		n += put_grouped(oku, tmp + n);
		memcpy(tmp + n, "億", sizeof "億" - 1);
		n += sizeof "億" - 1;
	}
	if (man) {
		n += put_grouped(man, tmp + n);
		memcpy(tmp + n, "万", sizeof "万" - 1);
		n += sizeof "万" - 1;
	}
	memcpy(tmp + n, "円", sizeof "円" - 1);
	n += sizeof "円" - 1;
	return put_out(buf, size, tmp, n);
}

/* a + b, or HJ_ERR_RANGE on overflow. */
hj_status hj_yen_add(hj_yen a, hj_yen b, hj_yen *out)
{
	hj_yen r;
	if (__builtin_add_overflow(a, b, &r))
		return HJ_ERR_RANGE;
	*out = r;
	return HJ_OK;
}

/* a - b, or HJ_ERR_RANGE on overflow. */
hj_status hj_yen_sub(hj_yen a, hj_yen b, hj_yen *out)
{
	hj_yen r;
	if (__builtin_sub_overflow(a, b, &r))
		return HJ_ERR_RANGE;
	*out = r;
	return HJ_OK;
}

/* a * b, or HJ_ERR_RANGE on overflow. */
hj_status hj_yen_mul(hj_yen a, int64_t b, hj_yen *out)
{
	hj_yen r;
	if (__builtin_mul_overflow(a, b, &r))
		return HJ_ERR_RANGE;
	*out = r;
	return HJ_OK;
}

/* ---- fractions --------------------------------------------------------- */

typedef __int128 i128;
typedef unsigned __int128 u128;

static u128 gcd128(u128 a, u128 b)
{
	while (b) {
		if (!(a >> 64) && !(b >> 64)) {
			/* the usual case: 64-bit remainders (same result) */
			uint64_t x = (uint64_t)a, y = (uint64_t)b;
			while (y) {
				uint64_t t = x % y;
				x = y;
				y = t;
			}
			return x;
		}
		u128 t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* Normalize num/den (den != 0) into *out; HJ_ERR_RANGE if it won't fit. */
static hj_status frac_from128(i128 num, i128 den, hj_frac *out)
{
	if (den == 0)
		return HJ_ERR_RANGE;
	if (den < 0) {
		num = -num;
		den = -den;
	}
	u128 an = num < 0 ? (u128)0 - (u128)num : (u128)num;
	u128 g = gcd128(an, (u128)den);
	if (g > 1 && num >= INT64_MIN && num <= INT64_MAX && den <= INT64_MAX) {
		num = (int64_t)num / (int64_t)g; /* g <= den: fits */
		den = (int64_t)den / (int64_t)g;
	} else if (g > 1) {
		num /= (i128)g;
		den /= (i128)g;
	}
	if (num < INT64_MIN || num > INT64_MAX || den > INT64_MAX)
		return HJ_ERR_RANGE;
	out->num = (int64_t)num;
	out->den = (int64_t)den;
	return HJ_OK;
}

/*
 * Build num/den in lowest terms with a positive denominator. den == 0, or
 * a result that does not fit (e.g. INT64_MIN/-1), gives HJ_ERR_RANGE.
 */
hj_status hj_frac_make(int64_t num, int64_t den, hj_frac *out)
{
	return frac_from128(num, den, out);
}

typedef struct frac_ctx {
	const char *s;
	size_t len;
	hj_error *err;
} frac_ctx;

static hj_status frac_fail(const frac_ctx *x, int col, const char *why)
{
	char q[128];
	quote_input(x->s, x->len, q, sizeof q);
	return hj_error_set(x->err, HJ_ERR_INPUT, NULL, 0, col, NULL,
			    "割合として読めません: '%s'（%s。" FRAC_EXAMPLES "）",
			    q, why);
}

/*
 * Read digits into *v (*v <= INT64_MAX, else *big is set). Returns the
 * number of digits read.
 */
static int frac_digits(cursor *c, i128 *v, int *scale, bool *big)
{
	int n = 0;
	for (ucs4_t cp = peekc(c); is_digit(cp); cp = peekc(c)) {
		*v = *v * 10 + (cp - '0');
		if (*v > INT64_MAX) {
			*big = true;
			*v = INT64_MAX;
		}
		if (scale)
			(*scale)++;
		n++;
		advance(c);
	}
	return n;
}

/*
 * Parse a fraction: "2/3" (spaces allowed around '/'), a whole number "1",
 * a decimal "0.5", or a percentage "3%" / "1.5%". A leading '-' is allowed
 * so that hj_frac_format output reads back. Full-width digits and signs
 * are folded to ASCII. Failures are HJ_ERR_INPUT with err->col set.
 */
hj_status hj_frac_parse(const char *s, size_t len, hj_frac *out, hj_error *err)
{
	frac_ctx x = { s, s ? len : 0, err };
	cursor c = { (const uint8_t *)s, s ? len : 0, 0, 1 };
	i128 num = 0, den = 1;
	int scale = 0;
	bool neg = false, big = false, decimal = false;

	skip_spaces(&c);
	int start_col = c.col;
	if (peekc(&c) == 0)
		return frac_fail(&x, 1, "空です");
	if (peekc(&c) == '-') {
		neg = true;
		advance(&c);
	}
	if (frac_digits(&c, &num, NULL, &big) == 0)
		return frac_fail(&x, c.col, "数字がありません");
	if (peekc(&c) == '.') {
		advance(&c);
		decimal = true;
		if (frac_digits(&c, &num, &scale, &big) == 0)
			return frac_fail(&x, c.col, "小数点のあとに数字がありません");
		if (scale > 18)
			return frac_fail(&x, start_col, "小数の桁が多すぎます");
		for (int i = 0; i < scale; i++)
			den *= 10;
	}
	skip_spaces(&c);
	if (peekc(&c) == '%') {
		advance(&c);
		den *= 100;
	} else if (peekc(&c) == '/') {
		if (decimal)
			return frac_fail(&x, start_col, "分数の分子は整数で書いてください");
		advance(&c);
		skip_spaces(&c);
		int den_col = c.col;
		i128 d = 0;
		if (frac_digits(&c, &d, NULL, &big) == 0)
			return frac_fail(&x, c.col, "分母がありません");
		if (d == 0)
			return frac_fail(&x, den_col, "分母が 0 です");
		den = d;
	}
	skip_spaces(&c);
	if (peekc(&c) != 0)
		return frac_fail(&x, c.col, "余計な文字があります");
	if (big || frac_from128(neg ? -num : num, den, out) != HJ_OK)
		return frac_fail(&x, start_col, "数が大きすぎます");
	return HJ_OK;
}

/*
 * Format as "2/3", "-1/2", or just the integer when den == 1. Returns bytes
 * written, excluding the NUL (cut to fit 'size').
 */
size_t hj_frac_format(hj_frac f, char *buf, size_t size)
{
	char tmp[64];
	int n;
	if (f.den == 1)
		n = snprintf(tmp, sizeof tmp, "%" PRId64, f.num);
	else
		n = snprintf(tmp, sizeof tmp, "%" PRId64 "/%" PRId64, f.num, f.den);
	return put_out(buf, size, tmp, (size_t)n);
}

/* Decimal digits of v >= 0 (a 128-bit value needs at most 39). */
static int i128_digits(i128 v, char *out)
{
	char d[48];
	int n = 0;
	do {
		d[n++] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v);
	for (int i = 0; i < n; i++)
		out[i] = d[n - 1 - i];
	out[n] = '\0';
	return n;
}

size_t hj_frac_format_percent(hj_frac f, char *buf, size_t size)
{
	i128 num = (i128)f.num * 100, den = f.den;
	int neg = num < 0;
	if (neg)
		num = -num;
	for (int k = 0; k <= 6; k++) {
		i128 scale = 1;
		for (int i = 0; i < k; i++)
			scale *= 10;
		if ((num * scale) % den)
			continue;
		i128 v = num * scale / den; /* the percentage times 10^k */
		char ip[48], fp[48], tmp[112];
		i128_digits(v / scale, ip);
		int nf = i128_digits(v % scale, fp);
		int zeros = k > nf ? k - nf : 0; /* leading zeros of the decimals */
		int n = snprintf(tmp, sizeof tmp, "%s%s%s%.*s%s%%", neg ? "-" : "", ip, k ? "." : "", zeros, "000000",
				 k ? fp : "");
		return put_out(buf, size, tmp, (size_t)n);
	}
	return hj_frac_format(f, buf, size);
}

/* a + b exactly; HJ_ERR_RANGE if the reduced result does not fit. */
hj_status hj_frac_add(hj_frac a, hj_frac b, hj_frac *out)
{
	i128 n = (i128)a.num * b.den + (i128)b.num * a.den;
	return frac_from128(n, (i128)a.den * b.den, out);
}

/* a - b exactly; HJ_ERR_RANGE if the reduced result does not fit. */
hj_status hj_frac_sub(hj_frac a, hj_frac b, hj_frac *out)
{
	i128 n = (i128)a.num * b.den - (i128)b.num * a.den;
	return frac_from128(n, (i128)a.den * b.den, out);
}

/* a * b exactly; HJ_ERR_RANGE if the reduced result does not fit. */
hj_status hj_frac_mul(hj_frac a, hj_frac b, hj_frac *out)
{
	return frac_from128((i128)a.num * b.num, (i128)a.den * b.den, out);
}

/* a / b exactly; b == 0 or a result that does not fit gives HJ_ERR_RANGE. */
hj_status hj_frac_div(hj_frac a, hj_frac b, hj_frac *out)
{
	if (b.num == 0)
		return HJ_ERR_RANGE;
	return frac_from128((i128)a.num * b.den, (i128)a.den * b.num, out);
}

/* Compare a and b exactly (-1, 0, 1); both must have den > 0. */
int hj_frac_cmp(hj_frac a, hj_frac b)
{
	i128 l = (i128)a.num * b.den, r = (i128)b.num * a.den;
	return (l > r) - (l < r);
}

/* floor(num/den) of a 128-bit quotient, den > 0. */
static i128 floor_div(i128 num, i128 den)
{
	if (num >= INT64_MIN && num <= INT64_MAX && den > 0 && den <= INT64_MAX) {
		/* the usual case, without a 128-bit division */
		int64_t n = (int64_t)num, d = (int64_t)den, q64 = n / d;
		if (n % d != 0 && n < 0)
			q64--;
		return q64;
	}
	i128 q = num / den;
	if (num % den != 0 && num < 0)
		q--;
	return q;
}

/* floor(a), e.g. floor(-1/2) = -1. 'a' must have den > 0. */
int64_t hj_frac_floor(hj_frac a)
{
	return (int64_t)floor_div(a.num, a.den);
}

/* ceil(a), e.g. ceil(-1/2) = 0, ceil(1/2) = 1. 'a' must have den > 0. */
int64_t hj_frac_ceil(hj_frac a)
{
	return (int64_t)-floor_div(-(i128)a.num, a.den);
}

/*
 * floor(v * rate) computed exactly; HJ_ERR_RANGE if rate.den <= 0 or the
 * result does not fit in int64.
 */
hj_status hj_yen_mul_frac_floor(hj_yen v, hj_frac rate, hj_yen *out)
{
	if (rate.den <= 0)
		return HJ_ERR_RANGE;
	i128 q = floor_div((i128)v * rate.num, rate.den);
	if (q < INT64_MIN || q > INT64_MAX)
		return HJ_ERR_RANGE;
	*out = (hj_yen)q;
	return HJ_OK;
}

/*
 * The smallest x >= 0 with floor(x * rate) >= target. Since target is an
 * integer this is max(0, ceil(target * den / num)). rate <= 0 (or a
 * result beyond int64) gives HJ_ERR_RANGE.
 */
hj_status hj_yen_needed_for(hj_yen target, hj_frac rate, hj_yen *out)
{
	if (rate.num <= 0 || rate.den <= 0)
		return HJ_ERR_RANGE;
	if (target <= 0) {
		*out = 0;
		return HJ_OK;
	}
	i128 x = -floor_div(-((i128)target * rate.den), rate.num);
	if (x > INT64_MAX)
		return HJ_ERR_RANGE;
	*out = (hj_yen)x;
	return HJ_OK;
}
