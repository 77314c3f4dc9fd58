/*
 * suggest.c - edit distance over characters and the nearest name, for
 * "did you mean" in input errors and the command line.
 */
#include <string.h>
#include <unistr.h>
#include "hojo/suggest.h"

#define MAXC 64

/* Decode up to MAXC characters of UTF-8 (ASCII folded to lower case);
 * returns the count, or -1 if longer or not UTF-8. */
static int decode(const char *s, size_t len, ucs4_t *out)
{
	int n = 0;
	size_t i = 0;
	while (i < len) {
		if (n == MAXC)
			return -1;
		ucs4_t c;
		int k = u8_mbtoucr(&c, (const uint8_t *)s + i, len - i);
		if (k <= 0)
			return -1;
		if (c >= 'A' && c <= 'Z')
			c += 32;
		out[n++] = c;
		i += (size_t)k;
	}
	return n;
}

static int min3(int a, int b, int c)
{
	int m = a < b ? a : b;
	return m < c ? m : c;
}

int hj_edit_distance(const char *a, size_t alen, const char *b)
{
	ucs4_t x[MAXC], y[MAXC];
	int n = decode(a, alen, x), m = decode(b, strlen(b), y);
	if (n < 0 || m < 0)
		return 1 << 20;
	/* optimal string alignment distance, three rows */
	int rows[3][MAXC + 1];
	int *pp = rows[0], *p = rows[1], *c = rows[2];
	for (int j = 0; j <= m; j++)
		p[j] = j;
	for (int i = 1; i <= n; i++) {
		c[0] = i;
		for (int j = 1; j <= m; j++) {
			int cost = x[i - 1] != y[j - 1];
			c[j] = min3(p[j] + 1, c[j - 1] + 1, p[j - 1] + cost);
			if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] && pp[j - 2] + 1 < c[j])
				c[j] = pp[j - 2] + 1;
		}
		int *t = pp;
		pp = p;
		p = c;
		c = t;
	}
	return p[m];
}

int hj_suggest(const char *s, size_t len, const char *const *cands, int n)
{
	ucs4_t tmp[MAXC];
	int chars = decode(s, len, tmp);
	if (chars <= 0)
		return -1;
	int limit = chars <= 4 ? 1 : chars <= 8 ? 2 : chars / 4;
	int best = -1, bestd = limit + 1;
	for (int i = 0; i < n; i++) {
		if (!cands[i])
			continue;
		int d = hj_edit_distance(s, len, cands[i]);
		if (d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return best;
}
