/*
 * lib/review.c - how applications are chosen (hojo/review.h): the review
 * rules of an edition as the loader left them (review-rules.c), bonus
 * rules over facts, exact scores, aggregation of reviews, and selection.
 *
 * Selection, in words. Each frame has a budget and a number of slots
 * (0: unlimited). Its applications are ranked by total score, higher
 * first; at equal score the declared tie-breaks decide in order, and the
 * id (lower first) last, so the order is total and does not depend on the
 * order of the input. Adoption walks down the ranking: an application is
 * adopted while the count stays within the slots and the sum of adopted
 * amounts within the budget; the first that does not fit stops the frame
 * and every application below it is rejected (no skipping to a cheaper
 * one further down: the cut line is one score). Frames that send their
 * rejected applications to another frame (re-review) are decided before
 * the frame they send to; a rejected application with an amount in the
 * target (rerequest >= 0) moves there with that amount, the carried bonus
 * points added to its score, and is ranked with the rest; moved ones rank
 * ahead at equal score when the rule gives priority. An application moves
 * once.
 *
 * Scores are fractions compared by cross-multiplication in 128 bits; all
 * sums are checked. The inputs hash is SHA-256 over a canonical text of
 * the frames, the tie-breaks and the applications in id order.
 */
#include <nettle/sha2.h>
#include <stdio.h>
#include <string.h>
#include "hojo/alloc.h"
#include "hojo/input.h"
#include "facts-int.h"
#include "report-int.h"
#include "review-int.h"

/* ---- the edition's rules ---- */

static const hj_review_rules *rules_of(const hj_edition *e) { return e ? e->review : NULL; }

/* See hojo/review.h. */
int hj_edition_has_review(const hj_edition *e) { return rules_of(e) != NULL; }

/* See hojo/review.h. */
int hj_edition_ncriteria(const hj_edition *e) { return rules_of(e) ? rules_of(e)->ncrit : 0; }

/* See hojo/review.h. */
const hj_criterion *hj_edition_criterion(const hj_edition *e, int i)
{
	const hj_review_rules *rv = rules_of(e);
	return rv && i >= 0 && i < rv->ncrit ? &rv->crit[i] : NULL;
}

/* See hojo/review.h. */
void hj_edition_scale(const hj_edition *e, hj_scale *out)
{
	const hj_review_rules *rv = rules_of(e);
	if (rv && rv->has_scale) {
		*out = rv->scale;
		return;
	}
	memset(out, 0, sizeof *out);
	out->source = "";
	out->note = "";
}

/* See hojo/review.h. */
int hj_edition_nbonus_rules(const hj_edition *e) { return rules_of(e) ? rules_of(e)->nbonus : 0; }

/* See hojo/review.h. */
const hj_bonus_rule *hj_edition_bonus_rule(const hj_edition *e, int i)
{
	const hj_review_rules *rv = rules_of(e);
	return rv && i >= 0 && i < rv->nbonus ? &rv->bonus[i].pub : NULL;
}

/* See hojo/review.h. */
int hj_edition_find_bonus_rule(const hj_edition *e, const char *id)
{
	const hj_review_rules *rv = rules_of(e);
	for (int i = 0; rv && id && i < rv->nbonus; i++)
		if (!strcmp(rv->bonus[i].pub.id, id))
			return i;
	return -1;
}

/* See hojo/review.h. */
int hj_edition_nrereviews(const hj_edition *e) { return rules_of(e) ? rules_of(e)->nrr : 0; }

/* See hojo/review.h. */
const hj_rereview *hj_edition_rereview(const hj_edition *e, int i)
{
	const hj_review_rules *rv = rules_of(e);
	return rv && i >= 0 && i < rv->nrr ? &rv->rr[i].pub : NULL;
}

/* See hojo/review.h. */
const hj_rereview *hj_frame_rereview(const hj_frame *f)
{
	const hj_review_rules *rv = f ? rules_of(f->edition) : NULL;
	for (int i = 0; rv && i < rv->nrr; i++)
		if (rv->rr[i].pub.from == f)
			return &rv->rr[i].pub;
	return NULL;
}

static hj_truth truth_of(hj_facts *facts, const hj_expr *e)
{
	hj_expr_rt rt;
	hj_facts_runtime(facts, &rt);
	hj_value v = hj_expr_eval(e, &rt, NULL);
	if (!v.known)
		return HJ_UNKNOWN;
	return v.u.b ? HJ_TRUE : HJ_FALSE;
}

/* See hojo/review.h. */
hj_truth hj_rereview_applies(const hj_rulebook *rb, hj_facts *facts, const hj_edition *e, int i)
{
	(void)rb;
	const hj_review_rules *rv = rules_of(e);
	if (!rv || i < 0 || i >= rv->nrr)
		return HJ_FALSE;
	return rv->rr[i].when ? truth_of(facts, rv->rr[i].when) : HJ_TRUE;
}

/* See hojo/review.h. */
const hj_rereview *hj_review_target(const hj_rulebook *rb, hj_facts *facts, const hj_frame *from)
{
	const hj_review_rules *rv = from ? rules_of(from->edition) : NULL;
	for (int i = 0; rv && i < rv->nrr; i++)
		if (rv->rr[i].pub.from == from && hj_rereview_applies(rb, facts, from->edition, i) == HJ_TRUE)
			return &rv->rr[i].pub;
	return NULL;
}

/* See hojo/review.h. */
hj_status hj_review_reamount(const hj_rulebook *rb, hj_facts *facts, const hj_frame *to, hj_yen *yen,
			     hj_verdict *verdict)
{
	hj_result r;
	*yen = -1;
	hj_status st = hj_evaluate(rb, facts, to, &r);
	if (st)
		return st;
	if (verdict)
		*verdict = r.verdict;
	if (r.verdict == HJ_ELIGIBLE && r.subsidy_known)
		*yen = r.subsidy;
	return HJ_OK;
}

/* See hojo/review.h. */
hj_truth hj_bonus_check(const hj_rulebook *rb, hj_facts *facts, const hj_edition *e, int i, char *values,
			size_t nvalues)
{
	(void)rb;
	const hj_review_rules *rv = rules_of(e);
	if (values && nvalues)
		values[0] = '\0';
	if (!rv || i < 0 || i >= rv->nbonus)
		return HJ_FALSE;
	if (values && nvalues)
		hj_report_values(facts, rv->bonus[i].when, values, nvalues);
	return truth_of(facts, rv->bonus[i].when);
}

/* ---- tie-breaks ---- */

static hj_status tb_fail(hj_error *err, const char *item, size_t len, const char *fmt, const char *what)
{
	char field[128];
	snprintf(field, sizeof field, "tiebreak.%.*s", (int)(len < 100 ? len : 100), item);
	return hj_error_set(err, HJ_ERR_INPUT, "", 0, 0, field, fmt, what);
}

/* See hojo/review.h. */
hj_status hj_tiebreak_parse(const char *text, const char *const *crit_ids, int n_crit, hj_tiebreak_rule *out,
			    int max, int *n, hj_error *err)
{
	static const struct {
		const char *name;
		hj_tiebreak key;
	} names[] = { { "bonus_desc", HJ_TB_BONUS_DESC },
		      { "request_asc", HJ_TB_REQUEST_ASC },
		      { "request_desc", HJ_TB_REQUEST_DESC },
		      { "submitted_asc", HJ_TB_SUBMITTED_ASC } };
	*n = 0;
	const char *p = text ? text : "";
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		const char *s = p;
		while (*p && *p != ',')
			p++;
		size_t len = (size_t)(p - s);
		while (len && s[len - 1] == ' ')
			len--;
		if (*n >= max)
			return tb_fail(err, s, len, "タイブレークが多すぎます（%s）", "鍵の数が上限を超えました");
		hj_tiebreak_rule r = { 0, -1 };
		for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
			if (strlen(names[k].name) == len && !memcmp(names[k].name, s, len))
				r.key = names[k].key;
		const char *pre = "criterion_desc:";
		size_t pl = strlen(pre);
		if (!r.key && len > pl && !memcmp(s, pre, pl)) {
			for (int c = 0; c < n_crit; c++)
				if (strlen(crit_ids[c]) == len - pl && !memcmp(crit_ids[c], s + pl, len - pl))
					r.criterion = c;
			if (r.criterion < 0)
				return tb_fail(err, s, len, "審査項目 '%s' がありません", "criterion_desc の名前");
			r.key = HJ_TB_CRITERION_DESC;
		}
		if (!r.key)
			return tb_fail(err, s, len,
				       "未知のタイブレークです（%s）",
				       "bonus_desc, request_asc, request_desc, submitted_asc, criterion_desc:項目");
		for (int k = 0; k < *n; k++)
			if (out[k].key == r.key && out[k].criterion == r.criterion)
				return tb_fail(err, s, len, "タイブレークが二度あります（%s）", "同じ鍵");
		out[(*n)++] = r;
	}
	return HJ_OK;
}

/* ---- scores ---- */

/* See hojo/review.h. */
int hj_score_cmp(hj_frac a, hj_frac b)
{
	__int128 l = (__int128)a.num * b.den, r = (__int128)b.num * a.den;
	return l < r ? -1 : l > r;
}

/* See hojo/review.h. */
void hj_score_text(hj_frac s, int decimals, char *out, size_t n)
{
	if (!n)
		return;
	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;
	__int128 scale = 1;
	for (int i = 0; i < decimals; i++)
		scale *= 10;
	__int128 x = (__int128)s.num * scale, d = s.den > 0 ? s.den : 1;
	__int128 q = x / d;
	if (x % d != 0 && x < 0)
		q -= 1; /* floor */
	int neg = q < 0;
	unsigned __int128 a = neg ? (unsigned __int128)(-q) : (unsigned __int128)q;
	unsigned long long ip = (unsigned long long)(a / (unsigned __int128)scale);
	unsigned long long fp = (unsigned long long)(a % (unsigned __int128)scale);
	if (decimals)
		snprintf(out, n, "%s%llu.%0*llu", neg ? "-" : "", ip, decimals, fp);
	else
		snprintf(out, n, "%s%llu", neg ? "-" : "", ip);
}

/* ---- aggregation ---- */

static void sort_i64(int64_t *v, int n)
{
	for (int i = 1; i < n; i++) {
		int64_t x = v[i];
		int j = i - 1;
		while (j >= 0 && v[j] > x) {
			v[j + 1] = v[j];
			j--;
		}
		v[j + 1] = x;
	}
}

/* mean, median and spread of n integers (n >= 1); v is sorted in place */
static hj_status stats(int64_t *v, int n, hj_frac *mean, hj_frac *median, int64_t *spread)
{
	int64_t sum = 0;
	for (int i = 0; i < n; i++)
		if (__builtin_add_overflow(sum, v[i], &sum))
			return HJ_ERR_RANGE;
	hj_status st = hj_frac_make(sum, n, mean);
	if (st)
		return st;
	sort_i64(v, n);
	if (n % 2)
		*median = hj_frac_int(v[n / 2]);
	else {
		int64_t two;
		if (__builtin_add_overflow(v[n / 2 - 1], v[n / 2], &two))
			return HJ_ERR_RANGE;
		if ((st = hj_frac_make(two, 2, median)))
			return st;
	}
	if (__builtin_sub_overflow(v[n - 1], v[0], spread))
		return HJ_ERR_RANGE;
	return HJ_OK;
}

#define AGG_MAX_REVIEWS 256

/* See hojo/review.h. */
hj_status hj_aggregate_scores(const int64_t *scores, int nreviews, int ncrit, const int64_t *weights,
			      int64_t threshold, hj_aggregate *out, hj_error *err)
{
	memset(out, 0, sizeof *out);
	if (ncrit < 1 || ncrit > HJ_SEL_MAX_CRIT)
		return hj_error_set(err, HJ_ERR_INPUT, "", 0, 0, "ncrit", "審査項目の数は 1〜%d です（%d）",
				    HJ_SEL_MAX_CRIT, ncrit);
	if (nreviews < 0 || nreviews > AGG_MAX_REVIEWS)
		return hj_error_set(err, HJ_ERR_INPUT, "", 0, 0, "nreviews", "審査の数は 0〜%d です（%d）",
				    AGG_MAX_REVIEWS, nreviews);
	out->nreviews = nreviews;
	if (!nreviews) {
		for (int c = 0; c < HJ_SEL_MAX_CRIT; c++)
			out->mean[c] = out->median[c] = hj_frac_int(0);
		out->total_mean = out->total_median = hj_frac_int(0);
		return HJ_OK;
	}
	int64_t v[AGG_MAX_REVIEWS], tot[AGG_MAX_REVIEWS];
	for (int r = 0; r < nreviews; r++)
		tot[r] = 0;
	hj_status st = HJ_OK;
	for (int c = 0; c < ncrit; c++) {
		for (int r = 0; r < nreviews; r++) {
			int64_t s = scores[(size_t)r * (size_t)ncrit + (size_t)c], w;
			v[r] = s;
			if (__builtin_mul_overflow(s, weights ? weights[c] : 1, &w) ||
			    __builtin_add_overflow(tot[r], w, &tot[r]))
				goto range;
		}
		if ((st = stats(v, nreviews, &out->mean[c], &out->median[c], &out->spread[c])))
			goto range;
	}
	for (int c = ncrit; c < HJ_SEL_MAX_CRIT; c++)
		out->mean[c] = out->median[c] = hj_frac_int(0);
	if ((st = stats(tot, nreviews, &out->total_mean, &out->total_median, &out->total_spread)))
		goto range;
	out->disagree = threshold > 0 && out->total_spread > threshold;
	return HJ_OK;
range:
	return hj_error_set(err, HJ_ERR_RANGE, "", 0, 0, "scores", "点数の合計が大きすぎます");
}

/* ---- selection ---- */

typedef struct sel_ent {
	int64_t app;        /* index into apps */
	hj_frac score;      /* with the carried bonus when moved */
	int64_t bonus;
	hj_yen amount;
	int moved;
	int priority;       /* moved by a rule that gives priority */
} sel_ent;

typedef struct sel_ctx {
	const hj_sel_app *apps;
	const hj_tiebreak_rule *tb;
	int ntb;
} sel_ctx;

static int cmp_i64(int64_t a, int64_t b) { return a < b ? -1 : a > b; }

/* <0 when a ranks ahead of b */
static int ent_cmp(const sel_ctx *c, const sel_ent *a, const sel_ent *b)
{
	int r = hj_score_cmp(b->score, a->score);
	if (r)
		return r;
	if (a->priority != b->priority)
		return b->priority - a->priority;
	const hj_sel_app *x = &c->apps[a->app], *y = &c->apps[b->app];
	for (int k = 0; k < c->ntb; k++) {
		switch (c->tb[k].key) {
		case HJ_TB_BONUS_DESC: r = cmp_i64(b->bonus, a->bonus); break;
		case HJ_TB_REQUEST_ASC: r = cmp_i64(a->amount, b->amount); break;
		case HJ_TB_REQUEST_DESC: r = cmp_i64(b->amount, a->amount); break;
		case HJ_TB_SUBMITTED_ASC: r = cmp_i64(x->submitted_us, y->submitted_us); break;
		case HJ_TB_CRITERION_DESC: {
			int ci = c->tb[k].criterion;
			hj_frac fa = ci < x->ncrit ? x->crit[ci] : hj_frac_int(0);
			hj_frac fb = ci < y->ncrit ? y->crit[ci] : hj_frac_int(0);
			r = hj_score_cmp(fb, fa);
			break;
		}
		}
		if (r)
			return r;
	}
	return cmp_i64(x->id, y->id);
}

/* Stable merge sort of n entries (tmp: room for n). */
static void ent_sort(const sel_ctx *c, sel_ent *v, sel_ent *tmp, int64_t n)
{
	for (int64_t w = 1; w < n; w *= 2) {
		for (int64_t lo = 0; lo < n; lo += 2 * w) {
			int64_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			int64_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				tmp[k++] = ent_cmp(c, &v[j], &v[i]) < 0 ? v[j++] : v[i++];
			while (i < mid)
				tmp[k++] = v[i++];
			while (j < hi)
				tmp[k++] = v[j++];
		}
		memcpy(v, tmp, (size_t)n * sizeof *v);
	}
}

static hj_status sel_fail(hj_error *err, hj_status st, const char *field, const char *msg, long long v)
{
	return hj_error_set(err, st, "", 0, 0, field, msg, v);
}

/* Sort ids (for the duplicate check and the canonical hash). */
static void idx_sort_by_id(const hj_sel_app *apps, int64_t *v, int64_t *tmp, int64_t n)
{
	for (int64_t w = 1; w < n; w *= 2) {
		for (int64_t lo = 0; lo < n; lo += 2 * w) {
			int64_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			int64_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				tmp[k++] = apps[v[j]].id < apps[v[i]].id ? v[j++] : v[i++];
			while (i < mid)
				tmp[k++] = v[i++];
			while (j < hi)
				tmp[k++] = v[j++];
		}
		memcpy(v, tmp, (size_t)n * sizeof *v);
	}
}

static void hash_line(struct sha256_ctx *h, const char *s)
{
	sha256_update(h, strlen(s), (const uint8_t *)s);
}

static void inputs_hash(const hj_sel_frame *frames, int nframes, const hj_sel_app *apps, const int64_t *byid,
			int64_t napps, const hj_tiebreak_rule *tb, int ntb, char out[65])
{
	struct sha256_ctx h;
	char line[1024];
	sha256_init(&h);
	hash_line(&h, "hojo-selection 1\n");
	for (int f = 0; f < nframes; f++) {
		snprintf(line, sizeof line, "frame\t%s\t%lld\t%lld\t%d\t%s\t%lld\t%d\n", frames[f].id,
			 (long long)frames[f].budget, (long long)frames[f].slots, frames[f].rereview_to,
			 frames[f].rereview_bonus_id ? frames[f].rereview_bonus_id : "",
			 (long long)frames[f].rereview_bonus, frames[f].rereview_priority);
		hash_line(&h, line);
	}
	for (int k = 0; k < ntb; k++) {
		snprintf(line, sizeof line, "tiebreak\t%d\t%d\n", (int)tb[k].key,
			 tb[k].key == HJ_TB_CRITERION_DESC ? tb[k].criterion : -1);
		hash_line(&h, line);
	}
	for (int64_t i = 0; i < napps; i++) {
		const hj_sel_app *a = &apps[byid[i]];
		int o = snprintf(line, sizeof line, "app\t%lld\t%s\t%lld\t%lld\t%lld/%lld\t%lld\t%lld\t%d\t%d", (long long)a->id,
				 frames[a->frame].id, (long long)a->request, (long long)a->rerequest,
				 (long long)a->score.num, (long long)a->score.den, (long long)a->bonus,
				 (long long)a->submitted_us, a->eligible ? 1 : 0, a->reframe);
		for (int c = 0; c < a->ncrit && o < (int)sizeof line - 48; c++)
			o += snprintf(line + o, sizeof line - (size_t)o, "\t%lld/%lld", (long long)a->crit[c].num,
				      (long long)a->crit[c].den);
		snprintf(line + o, sizeof line - (size_t)o, "\n");
		hash_line(&h, line);
	}
	uint8_t d[SHA256_DIGEST_SIZE];
	sha256_digest(&h, sizeof d, d);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* The frame index an application of 'a' rejected in its frame moves to, -1 none. */
static int move_target(const hj_sel_frame *frames, const hj_sel_app *a)
{
	if (a->rerequest < 0)
		return -1;
	if (a->reframe > 0)
		return a->reframe - 1;
	return frames[a->frame].rereview_to;
}

/* See hojo/review.h. */
hj_status hj_selection_run(const hj_sel_frame *frames, int nframes, const hj_sel_app *apps, int64_t napps,
			   const hj_tiebreak_rule *tb, int ntb, hj_sel_result *out, hj_error *err)
{
	memset(out, 0, sizeof *out);
	if (nframes < 1 || nframes > 1000)
		return sel_fail(err, HJ_ERR_INPUT, "frames", "枠の数は 1〜1000 です（%lld）", nframes);
	if (napps < 0 || napps > 100000000)
		return sel_fail(err, HJ_ERR_INPUT, "applications", "申請の数が範囲外です（%lld）", (long long)napps);
	for (int f = 0; f < nframes; f++) {
		char field[160];
		snprintf(field, sizeof field, "frames[%d]", f);
		if (!frames[f].id || !frames[f].id[0])
			return sel_fail(err, HJ_ERR_INPUT, field, "枠の id がありません（%lld）", f);
		for (int g = 0; g < f; g++)
			if (!strcmp(frames[g].id, frames[f].id))
				return sel_fail(err, HJ_ERR_INPUT, field, "枠の id が二度あります（%lld 番目）", f);
		if (frames[f].budget < 0 || frames[f].slots < 0 || frames[f].rereview_bonus < 0)
			return sel_fail(err, HJ_ERR_INPUT, field, "予算・採択枠・加点は 0 以上です（%lld 番目）", f);
		if (frames[f].rereview_to < -1 || frames[f].rereview_to >= nframes || frames[f].rereview_to == f)
			return sel_fail(err, HJ_ERR_INPUT, field, "再審査先の枠が範囲外です（%lld）",
					frames[f].rereview_to);
	}
	for (int64_t i = 0; i < napps; i++) {
		const hj_sel_app *a = &apps[i];
		char field[160];
		snprintf(field, sizeof field, "applications[%lld] (id %lld)", (long long)i, (long long)a->id);
		if (a->frame < 0 || a->frame >= nframes)
			return sel_fail(err, HJ_ERR_INPUT, field, "枠が範囲外です（%lld）", a->frame);
		if (a->request < 0)
			return sel_fail(err, HJ_ERR_INPUT, field, "申請額が負です（%lld）", (long long)a->request);
		if (a->score.den <= 0)
			return sel_fail(err, HJ_ERR_INPUT, field, "点数の分母が正でありません（%lld）",
					(long long)a->score.den);
		if (a->ncrit < 0 || a->ncrit > HJ_SEL_MAX_CRIT)
			return sel_fail(err, HJ_ERR_INPUT, field, "審査項目の数が範囲外です（%lld）", a->ncrit);
		for (int c = 0; c < a->ncrit; c++)
			if (a->crit[c].den <= 0)
				return sel_fail(err, HJ_ERR_INPUT, field, "審査項目の点数の分母が正でありません（%lld）", c);
		if (a->reframe < 0 || a->reframe > nframes || a->reframe - 1 == a->frame)
			return sel_fail(err, HJ_ERR_INPUT, field, "再審査先の枠が範囲外です（%lld）", a->reframe);
	}

	/* the order frames are decided in: a frame after every frame that
	 * may send applications to it (per frame and per application) */
	int *order = hj_malloc((size_t)nframes * sizeof *order), *indeg = hj_malloc((size_t)nframes * sizeof *indeg);
	uint8_t *sends = hj_malloc((size_t)nframes * (size_t)nframes);
	int64_t *byid = hj_malloc((size_t)(napps ? napps : 1) * sizeof *byid);
	int64_t *tmpi = hj_malloc((size_t)(napps ? napps : 1) * sizeof *tmpi);
	sel_ent *ent = hj_malloc((size_t)(napps ? napps : 1) * sizeof *ent);
	sel_ent *tmp = hj_malloc((size_t)(napps ? napps : 1) * sizeof *tmp);
	out->decisions = hj_malloc((size_t)(napps ? napps : 1) * sizeof *out->decisions);
	out->cuts = hj_malloc((size_t)nframes * sizeof *out->cuts);
	hj_status st = HJ_OK;
	if (!order || !indeg || !sends || !byid || !tmpi || !ent || !tmp || !out->decisions ||
	    !out->cuts) {
		st = hj_error_set(err, HJ_ERR_NOMEM, "", 0, 0, "", "メモリが足りません");
		goto done;
	}
	memset(sends, 0, (size_t)nframes * (size_t)nframes);
	for (int f = 0; f < nframes; f++)
		if (frames[f].rereview_to >= 0)
			sends[f * nframes + frames[f].rereview_to] = 1;
	for (int64_t i = 0; i < napps; i++)
		if (apps[i].reframe > 0)
			sends[apps[i].frame * nframes + apps[i].reframe - 1] = 1;
	for (int f = 0; f < nframes; f++) {
		indeg[f] = 0;
		for (int g = 0; g < nframes; g++)
			indeg[f] += sends[g * nframes + f];
	}
	int nord = 0;
	for (int pass = 0; pass < nframes && nord < nframes; pass++) {
		int picked = 0;
		for (int f = 0; f < nframes; f++)
			if (indeg[f] == 0) {
				order[nord++] = f;
				indeg[f] = -1;
				for (int g = 0; g < nframes; g++)
					if (sends[f * nframes + g])
						indeg[g]--;
				picked = 1;
				break;
			}
		if (!picked)
			break;
	}
	if (nord < nframes) {
		st = hj_error_set(err, HJ_ERR_INPUT, "", 0, 0, "frames.rereview_to",
				  "再審査の行き先が循環しています（枠が自分に戻ります）");
		goto done;
	}

	/* ids unique; the canonical order for the hash */
	for (int64_t i = 0; i < napps; i++)
		byid[i] = i;
	idx_sort_by_id(apps, byid, tmpi, napps);
	for (int64_t i = 1; i < napps; i++)
		if (apps[byid[i]].id == apps[byid[i - 1]].id) {
			st = sel_fail(err, HJ_ERR_INPUT, "applications.id", "申請 id %lld が二度あります",
				      (long long)apps[byid[i]].id);
			goto done;
		}
	inputs_hash(frames, nframes, apps, byid, napps, tb, ntb, out->inputs_hash);

	/* every application starts in its own frame; buckets hold the frame's
	 * own applications plus room for all that may move in (at most all) */
	for (int64_t i = 0; i < napps; i++) {
		hj_sel_decision *d = &out->decisions[i];
		memset(d, 0, sizeof *d);
		d->id = apps[i].id;
		d->frame = apps[i].frame;
		d->score = apps[i].score;
		if (!apps[i].eligible) {
			d->outcome = HJ_SEL_EXCLUDED;
			d->reason = "審査の対象外（除外）";
		} else {
			d->outcome = HJ_SEL_REJECTED;
			d->reason = "";
		}
	}
	out->ndecisions = napps;
	out->ncuts = nframes;
	sel_ctx cx = { apps, tb, ntb };
	/* the work list: entries of one frame at a time, built in 'ent' */
	for (int oi = 0; oi < nframes; oi++) {
		int f = order[oi];
		const hj_sel_frame *fr = &frames[f];
		int64_t n = 0;
		for (int64_t i = 0; i < napps; i++) {
			hj_sel_decision *d = &out->decisions[i];
			if (d->outcome == HJ_SEL_EXCLUDED || d->frame != f)
				continue;
			sel_ent *e = &ent[n++];
			e->app = i;
			e->moved = d->moved;
			e->bonus = apps[i].bonus;
			e->score = apps[i].score;
			e->amount = apps[i].request;
			e->priority = 0;
			if (d->moved) {
				const hj_sel_frame *src = &frames[apps[i].frame];
				e->amount = apps[i].rerequest;
				e->priority = src->rereview_priority ? 1 : 0;
				if (src->rereview_bonus) {
					if (__builtin_add_overflow(e->bonus, src->rereview_bonus, &e->bonus) ||
					    hj_frac_add(e->score, hj_frac_int(src->rereview_bonus), &e->score)) {
						st = sel_fail(err, HJ_ERR_RANGE, "applications.score",
							      "点数が大きすぎます（id %lld）", (long long)apps[i].id);
						goto done;
					}
				}
			}
		}
		ent_sort(&cx, ent, tmp, n);
		hj_sel_cut *cut = &out->cuts[f];
		memset(cut, 0, sizeof *cut);
		cut->frame = f;
		cut->ranked = n;
		cut->budget = fr->budget;
		cut->slots = fr->slots;
		cut->stopped_by = "none";
		const char *stop_reason = NULL;
		for (int64_t k = 0; k < n; k++) {
			sel_ent *e = &ent[k];
			hj_sel_decision *d = &out->decisions[e->app];
			d->rank = k + 1;
			d->score = e->score;
			if (!stop_reason) {
				hj_yen used2;
				if (fr->slots && cut->adopted >= fr->slots) {
					stop_reason = "採択枠（件数の上限）に達した";
					cut->stopped_by = "slots";
				} else if (hj_yen_add(cut->used, e->amount, &used2)) {
					st = sel_fail(err, HJ_ERR_RANGE, "applications.request", "申請額の合計が大きすぎます（%lld）",
						      (long long)apps[e->app].id);
					goto done;
				} else if (fr->budget && used2 > fr->budget) {
					stop_reason = "予算の上限に達した";
					cut->stopped_by = "budget";
				} else {
					cut->used = used2;
					cut->adopted++;
					cut->has_last = 1;
					cut->last_adopted = e->score;
					d->outcome = e->moved ? HJ_SEL_ADOPTED_REREVIEW : HJ_SEL_ADOPTED;
					d->amount = e->amount;
					d->reason = e->moved ? "再審査の枠で予算・採択枠の範囲内" : "予算・採択枠の範囲内";
					continue;
				}
				cut->has_first = 1;
				cut->first_rejected = e->score;
			}
			d->outcome = HJ_SEL_REJECTED;
			d->reason = stop_reason;
			d->amount = 0;
		}
		cut->left = fr->budget ? fr->budget - cut->used : 0;
		/* move the rejected ones that have a target (only from their own frame) */
		for (int64_t k = 0; k < n; k++) {
			sel_ent *e = &ent[k];
			hj_sel_decision *d = &out->decisions[e->app];
			if (d->outcome != HJ_SEL_REJECTED || e->moved)
				continue;
			int to = move_target(frames, &apps[e->app]);
			if (to < 0)
				continue;
			d->moved = 1;
			d->frame = to;
			d->rank = 0;
		}
	}
	/* an application rejected in the re-review frame says so */
	for (int64_t i = 0; i < napps; i++) {
		hj_sel_decision *d = &out->decisions[i];
		if (d->moved && d->outcome == HJ_SEL_REJECTED)
			d->reason = !strcmp(d->reason, "予算の上限に達した") ? "再審査の枠でも予算の上限に達した"
									     : "再審査の枠でも採択枠（件数の上限）に達した";
	}
done:
	hj_free(order);
	hj_free(indeg);
	hj_free(sends);
	hj_free(byid);
	hj_free(tmpi);
	hj_free(ent);
	hj_free(tmp);
	if (st)
		hj_sel_result_free(out);
	return st;
}

/* See hojo/review.h. */
void hj_sel_result_free(hj_sel_result *r)
{
	if (!r)
		return;
	hj_free(r->decisions);
	hj_free(r->cuts);
	r->decisions = NULL;
	r->cuts = NULL;
	r->ndecisions = 0;
	r->ncuts = 0;
}
