/*
 * computed.c - facts computed by named algorithms from monthly series.
 *
 * Some conditions are arithmetic over data the applicant gives month by
 * month, such as 事業再構築補助金's sales test: "the total of any 3 of the
 * 6 months before applying is at least 10% below the same 3 months of 2019
 * or of Jan-Mar 2020" (seed 001:345). The rulebook names the algorithm and
 * gives every number (window, pick, decline, reference periods); this file
 * only knows how to search.
 *
 *   sales_decline: the months [M-window, M-1] before the application month
 *     M; true when some choice of 'pick' of them has a total at most
 *     (1 - decline) x the total of the same calendar months in a reference
 *     year (a reference restricted to some calendar months applies only to
 *     choices within them).
 *   month_decline: true when some listed month is at most (1 - decline) x
 *     the same month 'years_before' years earlier, for some reference.
 *
 * Comparisons are exact: cur x den <= (den - num) x ref in 128 bits, so a
 * decline of exactly 10% passes. A reference total of zero never shows a
 * decline. Three-valued: true as soon as one choice passes on known
 * months; unknown when none passes but some choice needs a month that was
 * not given (the series and the date are then the missing facts); false
 * otherwise.
 */
#include <stdio.h>
#include <string.h>
#include "facts-int.h"

typedef __int128 i128;

static int declined(hj_frac d, i128 cur, i128 ref)
{
	if (ref <= 0)
		return 0;
	return cur * d.den <= (i128)(d.den - d.num) * ref;
}

static void month_name(int m, char *buf, size_t size)
{
	snprintf(buf, size, "%d-%02d", HJ_SERIES_FIRST_YEAR + m / 12, m % 12 + 1);
}

/* A sum of months, exactly: 万円 form when it fits hj_yen, else every
 * digit grouped by 3 (three months near INT64_MAX printed wrapped). */
static void sum_text(i128 v, char *buf, size_t size)
{
	if (v >= INT64_MIN && v <= INT64_MAX) {
		hj_yen_format_short((hj_yen)v, buf, size);
		return;
	}
	unsigned __int128 m = v < 0 ? (unsigned __int128)-v : (unsigned __int128)v;
	char rev[64];
	int n = 0, d = 0;
	do {
		if (d && d % 3 == 0)
			rev[n++] = ',';
		rev[n++] = (char)('0' + (int)(m % 10));
		d++;
	} while ((m /= 10) && n < 62);
	size_t o = 0;
	if (v < 0 && o + 1 < size)
		buf[o++] = '-';
	while (n && o + 1 < size)
		buf[o++] = rev[--n];
	snprintf(buf + o, size - o, "円");
}

/* "2020-10・2020-11・2020-12 の合計 2,700万円 ≤ 2019年同月 3,000万円 × 9/10" */
static void describe(char *out, size_t size, const int *months, int n, i128 cur, i128 base, const hj_compref *ref,
		     hj_frac d, int pass)
{
	char list[96] = "", a[48], b[48], q[24], mn[12];
	size_t o = 0;
	for (int i = 0; i < n && o < sizeof list - 12; i++) {
		month_name(months[i], mn, sizeof mn);
		o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? "・" : "", mn);
	}
	sum_text(cur, a, sizeof a);
	sum_text(base, b, sizeof b);
	hj_frac keep;
	hj_frac_make(d.den - d.num, d.den, &keep);
	hj_frac_format(keep, q, sizeof q);
	char refname[32];
	if (ref->year)
		snprintf(refname, sizeof refname, "%d年同月", ref->year);
	else
		snprintf(refname, sizeof refname, "%d年前の同月", ref->years_before);
	snprintf(out, size, "%s の%s %s %s %s %s × %s", list, n > 1 ? "合計" : "売上", a, pass ? "≤" : ">",
		 refname, b, q);
}

/* When the answer waits for months not given: "未入力の月: 2020-11、2021-01
 * ほか3か月", so that the reader knows what to supply. */
static void missing_months(char *out, size_t size, const uint8_t *need)
{
	int n = 0, shown = 0;
	size_t o = (size_t)snprintf(out, size, "未入力の月: ");
	for (int m = 0; m < HJ_SERIES_MONTHS; m++) {
		if (!need[m])
			continue;
		n++;
		if (shown < 16 && o + 16 < size) {
			char mn[16];
			month_name(m, mn, sizeof mn);
			o += (size_t)snprintf(out + o, size - o, "%s%s", shown ? "、" : "", mn);
			shown++;
		}
	}
	if (n > shown && o < size)
		snprintf(out + o, size - o, " ほか%dか月", n - shown);
}

static hj_truth sales_decline(const hj_computed *c, const hj_yen *v, const uint8_t *k, int m0, char *detail,
			      size_t dsize)
{
	int unknown = 0;
	int lo = m0 - c->window;
	uint8_t need[HJ_SERIES_MONTHS] = { 0 };
	if (lo < 0)
		return HJ_UNKNOWN;
	for (unsigned mask = 0; mask < (1u << c->window); mask++) {
		if (__builtin_popcount(mask) != c->pick)
			continue;
		for (int r = 0; r < c->nrefs; r++) {
			const hj_compref *ref = &c->refs[r];
			i128 cur = 0, base = 0;
			int ok = 1, miss = 0;
			for (int i = 0; i < c->window && ok; i++) {
				if (!(mask >> i & 1))
					continue;
				int m = lo + i, cal = m % 12;
				if (ref->months && !(ref->months >> cal & 1)) {
					ok = 0;
					break;
				}
				int rm = ref->year ? (ref->year - HJ_SERIES_FIRST_YEAR) * 12 + cal : m - 12 * ref->years_before;
				if (rm < 0 || rm >= HJ_SERIES_MONTHS || !k[m] || !k[rm]) {
					miss = 1;
					if (!k[m])
						need[m] = 1;
					if (rm >= 0 && rm < HJ_SERIES_MONTHS && !k[rm])
						need[rm] = 1;
					continue;
				}
				cur += v[m];
				base += v[rm];
			}
			if (!ok)
				continue;
			if (miss) {
				unknown = 1;
				continue;
			}
			int ms[12], n = 0;
			for (int i = 0; i < c->window; i++)
				if (mask >> i & 1)
					ms[n++] = lo + i;
			if (declined(c->decline, cur, base)) {
				describe(detail, dsize, ms, n, cur, base, ref, c->decline, 1);
				return HJ_TRUE;
			}
			/* remember the closest miss for the explanation */
			if (!detail[0])
				describe(detail, dsize, ms, n, cur, base, ref, c->decline, 0);
		}
	}
	if (unknown)
		missing_months(detail, dsize, need);
	return unknown ? HJ_UNKNOWN : HJ_FALSE;
}

static hj_truth month_decline(const hj_computed *c, const hj_yen *v, const uint8_t *k, char *detail, size_t dsize)
{
	int unknown = 0;
	uint8_t need[HJ_SERIES_MONTHS] = { 0 };
	for (int i = 0; i < c->nmonths; i++) {
		int m = c->months[i];
		for (int r = 0; r < c->nrefs; r++) {
			const hj_compref *ref = &c->refs[r];
			int rm = ref->year ? (ref->year - HJ_SERIES_FIRST_YEAR) * 12 + m % 12 : m - 12 * ref->years_before;
			if (rm < 0 || rm >= HJ_SERIES_MONTHS || !k[m] || !k[rm]) {
				unknown = 1;
				if (m >= 0 && m < HJ_SERIES_MONTHS && !k[m])
					need[m] = 1;
				if (rm >= 0 && rm < HJ_SERIES_MONTHS && !k[rm])
					need[rm] = 1;
				continue;
			}
			if (declined(c->decline, v[m], v[rm])) {
				describe(detail, dsize, &m, 1, v[m], v[rm], ref, c->decline, 1);
				return HJ_TRUE;
			}
		}
	}
	if (unknown)
		missing_months(detail, dsize, need);
	return unknown ? HJ_UNKNOWN : HJ_FALSE;
}

hj_value hj_compute(hj_facts *f, int id, hj_factset *missing)
{
	const hj_rulebook *rb = f->rb;
	if (f->comp_done[id]) {
		if (!f->comp_vals[id].known)
			hj_factset_union(missing, &f->comp_missing[id]);
		return f->comp_vals[id];
	}
	const hj_computed *c = rb->facts[id].comp;
	hj_factset m;
	hj_factset_clear(&m);
	hj_value out = hj_value_unknown();
	char *detail = f->comp_detail[id];
	detail[0] = '\0';
	hj_value sv = f->vals[c->series];
	if (!sv.known) {
		hj_factset_add(&m, c->series);
	} else {
		int slot = rb->facts[c->series].series_slot;
		const hj_yen *v = f->series + (size_t)slot * HJ_SERIES_MONTHS;
		const uint8_t *k = f->series_known + (size_t)slot * HJ_SERIES_MONTHS;
		hj_truth t = HJ_UNKNOWN;
		if (c->kind == HJ_COMP_SALES_DECLINE) {
			hj_value dv = f->vals[c->date];
			if (!dv.known) {
				hj_factset_add(&m, c->date);
			} else {
				int y, mo, d;
				hj_date_to_ymd(dv.u.date, &y, &mo, &d);
				int m0 = (y - HJ_SERIES_FIRST_YEAR) * 12 + mo - 1;
				t = sales_decline(c, v, k, m0, detail, sizeof f->comp_detail[0]);
				if (t == HJ_UNKNOWN)
					hj_factset_add(&m, c->series);
			}
		} else {
			t = month_decline(c, v, k, detail, sizeof f->comp_detail[0]);
			if (t == HJ_UNKNOWN)
				hj_factset_add(&m, c->series);
		}
		if (t != HJ_UNKNOWN)
			out = hj_value_bool(t == HJ_TRUE);
	}
	f->comp_done[id] = 1;
	f->comp_vals[id] = out;
	f->comp_missing[id] = m;
	if (!out.known)
		hj_factset_union(missing, &m);
	return out;
}
