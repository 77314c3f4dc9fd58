/*
 * eval.c - evaluating one frame for one applicant.
 *
 * The verdict follows from three-valued facts:
 *   - a condition that is false makes the frame ineligible;
 *   - a subsidy known to be below the lower limit makes it ineligible too,
 *     even if some condition is still unknown (the rest cannot save it);
 *   - otherwise any unknown condition, rate, cap or expense total makes it
 *     undetermined, and the facts that would decide it are listed;
 *   - otherwise it is eligible.
 *
 * Rates: the default applies unless an exception holds; exceptions are
 * tried in order and the first true one wins. An unknown exception before
 * the winner leaves the rate unknown unless every possible outcome gives
 * the same rate (so "small or certified" answers 2/3 when either is
 * known to hold).
 *
 * Amounts: subsidy = min(cap, floor(S(expenses))), where S applies the
 * rate until the subsidy reaches the first tier threshold, then the
 * tier's rate, and so on (tiers are thresholds on the subsidy, not on
 * the expenses). All arithmetic is exact; the only rounding is the floor.
 *
 * The plan: when the input has one, the frame's plan requirements are
 * checked too (lib/plan.c) and join the verdict: a failed requirement
 * makes the frame ineligible, an unknown one leaves an eligible frame
 * undetermined.
 *
 * Nothing here allocates: hj_result is a fixed-size value.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "hojo/alloc.h"
#include "hojo/expenses.h"
#include "hojo/plan.h"
#include "facts-int.h"

static hj_truth eval_bool(hj_expr_rt *rt, const hj_expr *e, hj_factset *missing)
{
	return (hj_truth)hj_expr_test(e, rt, missing);
}

/*
 * Shared conditions. Many frames start with the same test ('sme' opens
 * 35 of them): a condition, rate exception or cap bonus written alike in
 * two places or more gets a share id at load, and its truth and missing
 * facts are kept per applicant in hj_facts (sh_*), like definitions. Its
 * value depends on the facts, and, when it reads a size fact or a
 * definition that does, on the SME definition of the frame: those keep
 * one slot per definition. Anything reading 'subsidy' (directly or
 * through a definition) depends on the frame and is never shared.
 */

/* 1: definition 'd' reads the size facts (2: reads 'subsidy'; bits). */
static int def_reads(const hj_rulebook *rb, int d, uint8_t *memo, int depth);

/* What expression 'e' reads: bit 1 size facts, bit 2 'subsidy'. */
static int expr_reads(const hj_rulebook *rb, const hj_expr *e, uint8_t *memo, int depth)
{
	hj_expr_sym syms[64];
	int n = hj_expr_symbols(e, syms, 64), out = 0;
	if (n > 64 || depth > rb->ndefs + 1)
		return 3; /* too many to look at: never shared */
	for (int i = 0; i < n; i++) {
		if (syms[i].kind == HJ_SYM_DEF) {
			out |= def_reads(rb, syms[i].id, memo, depth + 1);
			continue;
		}
		const hj_fact *ft = &rb->facts[syms[i].id];
		if (ft->how == HJ_FACT_DERIVED)
			out |= ft->derived == HJ_DER_SUBSIDY ? 2 : 1;
	}
	return out;
}

static int def_reads(const hj_rulebook *rb, int d, uint8_t *memo, int depth)
{
	if (!memo[d])
		memo[d] = (uint8_t)(4 | expr_reads(rb, rb->defs[d].expr, memo, depth));
	return memo[d] & 3;
}

/* 1 + (id << 2 | kind) when 'e' is a name alone (its text is exactly the
 * name of its one symbol, so it compiles to that symbol), else 0. */
static int bare_symbol(const hj_rulebook *rb, const hj_expr *e)
{
	hj_expr_sym sym;
	if (hj_expr_symbols(e, &sym, 1) != 1)
		return 0;
	const char *name = sym.kind == HJ_SYM_FACT ? rb->facts[sym.id].name
			   : sym.kind == HJ_SYM_DEF ? rb->defs[sym.id].name : NULL;
	if (!name || strcmp(name, hj_expr_text(e)))
		return 0;
	return 1 + (sym.id << 2 | sym.kind);
}

/* The same text naming the same symbols compiles to the same expression. */
static int same_expr(const hj_expr *a, const hj_expr *b)
{
	if (strcmp(hj_expr_text(a), hj_expr_text(b)))
		return 0;
	hj_expr_sym sa[64], sb[64];
	int na = hj_expr_symbols(a, sa, 64), nb = hj_expr_symbols(b, sb, 64);
	if (na != nb || na > 64)
		return 0;
	for (int i = 0; i < na; i++)
		if (sa[i].kind != sb[i].kind || sa[i].id != sb[i].id)
			return 0;
	return 1;
}

hj_status hj_rb_share_conditions(hj_rulebook *rb)
{
	/* every site: the expression and where its share id goes */
	int nsites = 0;
	for (int i = 0; i < rb->nframes; i++) {
		const hj_frame *fr = rb->frames[i];
		nsites += fr->nconds + fr->nrates + fr->cap.nbonuses + 3;
	}
	const hj_expr **ex = hj_malloc((size_t)(nsites ? nsites : 1) * sizeof *ex);
	int **at = hj_malloc((size_t)(nsites ? nsites : 1) * sizeof *at);
	uint8_t *memo = hj_calloc((size_t)(rb->ndefs ? rb->ndefs : 1), 1);
	uint8_t *sized = hj_rb_alloc(rb, (size_t)(nsites ? nsites : 1));
	int *bare = hj_rb_alloc(rb, (size_t)(nsites ? nsites : 1) * sizeof *bare);
	int *sdefs = hj_rb_alloc(rb, (size_t)(rb->ndefs ? rb->ndefs : 1) * sizeof *sdefs);
	if (!ex || !at || !memo || !sized || !bare || !sdefs) {
		hj_free(ex);
		hj_free(at);
		hj_free(memo);
		return HJ_ERR_NOMEM;
	}
	int n = 0;
	for (int i = 0; i < rb->nframes; i++) {
		hj_frame *fr = rb->frames[i];
		fr->nlate = 0;
		for (int k = 0; k < fr->nconds; k++)
			fr->nlate += fr->conds[k].late != 0;
		for (int k = 0; k < fr->nconds; k++)
			if (fr->conds[k].when && !fr->conds[k].late)
				ex[n] = fr->conds[k].when, at[n++] = &fr->conds[k].share;
		for (int k = 1; k < fr->nrates; k++)
			if (fr->rates[k].when)
				ex[n] = fr->rates[k].when, at[n++] = &fr->rates[k].share;
		for (int k = 0; k < fr->cap.nbonuses; k++)
			if (fr->cap.bonuses[k].when)
				ex[n] = fr->cap.bonuses[k].when, at[n++] = &fr->cap.bonuses[k].share;
		if (!fr->cap.has_flat && fr->cap.band_by)
			ex[n] = fr->cap.band_by, at[n++] = &fr->cap.band_share;
		if (!fr->cap.has_flat && fr->cap.raised_when)
			ex[n] = fr->cap.raised_when, at[n++] = &fr->cap.raised_share;
		if (fr->base)
			ex[n] = fr->base, at[n++] = &fr->base_share;
	}
	int nshared = 0;
	for (int i = 0; i < n; i++) {
		if (*at[i])
			continue; /* already in an earlier site's group */
		int reads = expr_reads(rb, ex[i], memo, 0), id = 0;
		if (reads & 2)
			continue;
		for (int j = i + 1; j < n; j++) {
			if (*at[j] || !same_expr(ex[i], ex[j]))
				continue;
			if (!id) {
				id = ++nshared;
				sized[id - 1] = (uint8_t)(reads & 1);
				bare[id - 1] = bare_symbol(rb, ex[i]);
				*at[i] = id;
			}
			*at[j] = id;
		}
	}
	rb->nshared = nshared;
	rb->shared_sized = sized;
	rb->shared_sym = bare;
	rb->nsized_defs = 0;
	for (int d = 0; d < rb->ndefs; d++)
		if (def_reads(rb, d, memo, 0) & 1)
			sdefs[rb->nsized_defs++] = d;
	rb->sized_defs = sdefs;
	hj_free(ex);
	hj_free(at);
	hj_free(memo);
	return HJ_OK;
}

/* shared_value's first evaluation of a slot for this applicant (kept
 * out of line: the cached answer is the usual case). */
__attribute__((noinline)) static hj_value shared_first(hj_facts *f, hj_expr_rt *rt, const hj_expr *e, int share,
						       int slot, hj_factset *missing, int want_missing)
{
	/* evaluated on its own, so that an overflow is not kept: the next
	 * frame asking evaluates it again and sees the error too */
	int err0 = rt->error;
	rt->error = 0;
	hj_factset *m = &f->sh_missing[slot];
	hj_factset_clear(m);
	hj_value v;
	int sym = f->rb->shared_sym[share - 1];
	if (sym) { /* what the interpreter does for a name */
		int kind = (sym - 1) & 3, id = (sym - 1) >> 2;
		if (kind == HJ_SYM_FACT && rt->plain && rt->plain[id]) {
			v = rt->vals[id];
			if (!v.known)
				hj_factset_add(m, id);
		} else {
			v = hj_value_unknown();
			rt->get(rt->ud, kind, id, &v, m);
		}
	} else {
		v = hj_expr_eval(e, rt, m);
	}
	if (want_missing && !v.known)
		hj_factset_union(missing, m);
	if (!rt->error) {
		f->sh_val[slot] = v;
		f->sh_gen[slot] = f->sh_now;
	}
	rt->error |= err0;
	return v;
}

/*
 * hj_expr_eval for an expression with share id 'share' (0: not shared).
 * *missing receives the facts only when the value is unknown (every site
 * in evaluate reads them only then); 'want_missing' 0: not at all.
 */
static inline hj_value shared_value(hj_facts *f, hj_expr_rt *rt, const hj_expr *e, int share,
				    hj_factset *missing, int want_missing)
{
	if (!share)
		return hj_expr_eval(e, rt, want_missing ? missing : NULL);
	int slot = (share - 1) * HJ_MAX_SIZE_DEFS + (f->rb->shared_sized[share - 1] ? f->cur_size : 0);
	if (f->sh_gen[slot] != f->sh_now)
		return shared_first(f, rt, e, share, slot, missing, want_missing);
	if (want_missing && !f->sh_val[slot].known)
		hj_factset_union(missing, &f->sh_missing[slot]);
	return f->sh_val[slot];
}

/* eval_bool through shared_value. */
static inline hj_truth eval_shared(hj_facts *f, hj_expr_rt *rt, const hj_expr *e, int share, hj_factset *missing,
				   int want_missing)
{
	if (!share)
		return (hj_truth)hj_expr_test(e, rt, want_missing ? missing : NULL);
	hj_value v = shared_value(f, rt, e, share, missing, want_missing);
	if (!v.known)
		return HJ_UNKNOWN;
	return v.u.b ? HJ_TRUE : HJ_FALSE;
}

/* hj_frac_cmp, inline (the same cross products). */
static inline int frac_cmp(hj_frac a, hj_frac b)
{
	__int128 l = (__int128)a.num * b.den, r = (__int128)b.num * a.den;
	return (l > r) - (l < r);
}

/* hj_frac_floor, inline for a whole number. */
static inline hj_yen frac_floor(hj_frac a)
{
	return a.den == 1 ? a.num : hj_frac_floor(a);
}

/* floor(e * rate) when e * rate.num fits in 64 bits: then neither the
 * reduced fraction of hj_frac_mul nor hj_yen_mul_frac_floor can
 * overflow, and both floor to this. Returns 0 (nothing set) otherwise. */
static inline int mul_floor64(hj_yen e, hj_frac rate, hj_yen *out)
{
	int64_t p;
	if (rate.den <= 0 || __builtin_mul_overflow(e, rate.num, &p))
		return 0;
	int64_t q = p / rate.den;
	if (p % rate.den != 0 && p < 0)
		q--;
	*out = q;
	return 1;
}

/* hj_yen_mul_frac_floor, 64-bit when it fits. */
static inline hj_status yen_rate_floor(hj_yen e, hj_frac rate, hj_yen *out)
{
	return mul_floor64(e, rate, out) ? HJ_OK : hj_yen_mul_frac_floor(e, rate, out);
}

static hj_status tiered(const hj_frame *fr, hj_frac rate, hj_yen expenses, hj_frac *out);

/* floor(S(E)), 64-bit when there are no tiers and it fits. */
static inline hj_status tiered_floor(const hj_frame *fr, hj_frac rate, hj_yen expenses, hj_yen *out)
{
	if (fr->ntiers == 0 && mul_floor64(expenses, rate, out))
		return HJ_OK;
	hj_frac sx;
	hj_status st = tiered(fr, rate, expenses, &sx);
	if (st == HJ_OK)
		*out = hj_frac_floor(sx);
	return st;
}

/* S(E): the tiered subsidy before flooring and capping. */
static hj_status tiered(const hj_frame *fr, hj_frac rate, hj_yen expenses, hj_frac *out)
{
	if (fr->ntiers == 0) /* the common case: no normalisation needed */
		return hj_frac_mul(hj_frac_int(expenses), rate, out);
	hj_frac s = hj_frac_int(0), left = hj_frac_int(expenses), cur = rate, prev = hj_frac_int(0);
	hj_status st;
	for (int k = 0; k < fr->ntiers; k++) {
		hj_frac span_sub, span_cost, t = hj_frac_int(fr->tiers[k].above);
		if ((st = hj_frac_sub(t, prev, &span_sub)) || (st = hj_frac_div(span_sub, cur, &span_cost)))
			return st;
		if (hj_frac_cmp(left, span_cost) <= 0)
			break;
		if ((st = hj_frac_add(s, span_sub, &s)) || (st = hj_frac_sub(left, span_cost, &left)))
			return st;
		cur = fr->tiers[k].rate;
		prev = t;
	}
	hj_frac part;
	if ((st = hj_frac_mul(left, cur, &part)) || (st = hj_frac_add(s, part, out)))
		return st;
	return HJ_OK;
}

/* The least expenses E with S(E) >= target. */
static hj_status tiered_inverse(const hj_frame *fr, hj_frac rate, hj_yen target, hj_yen *out)
{
	if (fr->ntiers == 0)
		return hj_yen_needed_for(target, rate, out);
	hj_frac cost = hj_frac_int(0), cur = rate, prev = hj_frac_int(0), tgt = hj_frac_int(target), d, q;
	hj_status st;
	for (int k = 0; k < fr->ntiers; k++) {
		hj_frac t = hj_frac_int(fr->tiers[k].above);
		if (hj_frac_cmp(tgt, t) <= 0)
			break;
		if ((st = hj_frac_sub(t, prev, &d)) || (st = hj_frac_div(d, cur, &q)) ||
		    (st = hj_frac_add(cost, q, &cost)))
			return st;
		prev = t;
		cur = fr->tiers[k].rate;
	}
	if ((st = hj_frac_sub(tgt, prev, &d)) || (st = hj_frac_div(d, cur, &q)) ||
	    (st = hj_frac_add(cost, q, &cost)))
		return st;
	*out = hj_frac_ceil(cost);
	return HJ_OK;
}

/* Add the facts of 'm' not yet listed (word by word: most words are 0). */
static void add_missing(hj_result *r, const hj_factset *m, hj_factset *listed)
{
	for (int w = 0; w < HJ_MAX_FACTS / 64; w++) {
		uint64_t bits = m->w[w] & ~listed->w[w];
		listed->w[w] |= bits;
		while (bits && r->nmissing < 64) {
			int b = __builtin_ctzll(bits);
			bits &= bits - 1;
			r->missing[r->nmissing++] = w * 64 + b;
		}
	}
}

/* With a plan in the input: the frame's plan requirements join the verdict. */
static void plan_verdict(const hj_rulebook *rb, hj_facts *facts, const hj_frame *fr, hj_result *r)
{
	hj_plan_result pr;
	hj_error e;
	if (hj_plan_check(rb, facts, fr, &pr, &e) != HJ_OK || !pr.nreqs)
		return;
	r->nreqs = pr.nreqs < HJ_RESULT_MAX_REQS ? pr.nreqs : HJ_RESULT_MAX_REQS;
	r->plan_verdict = (uint8_t)pr.verdict;
	for (int i = 0; i < r->nreqs; i++)
		r->req[i] = (uint8_t)pr.reqs[i].result;
	if (pr.verdict == HJ_INELIGIBLE && r->verdict != HJ_INELIGIBLE) {
		r->verdict = HJ_INELIGIBLE;
		r->decided_by = HJ_BY_PLAN;
		r->nmissing = 0; /* decided: no fact could change it */
	} else if (pr.verdict == HJ_UNDETERMINED && r->verdict == HJ_ELIGIBLE) {
		r->verdict = HJ_UNDETERMINED;
		r->decided_by = HJ_BY_PLAN;
	}
}

/*
 * The parts and the total cap on top of the main amount r->subsidy, with
 * the frame's rate 'rate' (when 'rate_known'). Sets each part's state and
 * amount, r->main_subsidy and r->subsidy (the total cap takes from the
 * amounts in order: the frame's own, then each part, so a later year gets
 * what the earlier ones left and the parts add up). Returns 0 when a part
 * is not known (its facts added to 'pm'); overflow sets rt->error.
 */
static int add_parts(hj_expr_rt *rt, const hj_frame *fr, int rate_known, hj_frac rate, hj_result *r,
		     hj_factset *pm)
{
	hj_yen total = r->subsidy, prev = r->subsidy;
	int parts_ok = 1;
	r->main_subsidy = r->subsidy;
	for (int i = 0; i < fr->nparts; i++) {
		const hj_part *pt = &fr->parts[i];
		hj_truth w = HJ_TRUE;
		r->part_subsidy[i] = 0;
		if (pt->when)
			w = eval_bool(rt, pt->when, pm);
		r->part_state[i] = (uint8_t)w;
		if (w == HJ_FALSE) {
			prev = 0;
			continue;
		}
		hj_value bv = hj_expr_eval(pt->base, rt, pm);
		if (w == HJ_UNKNOWN || !bv.known || (!pt->has_rate && !rate_known)) {
			parts_ok = 0;
			continue;
		}
		hj_yen sub;
		if (yen_rate_floor(hj_frac_floor(bv.u.q), pt->has_rate ? pt->rate : rate, &sub)) {
			rt->error = 1;
			return 1;
		}
		if (pt->has_cap && sub > pt->cap)
			sub = pt->cap;
		if (pt->cap_previous && sub > prev)
			sub = prev;
		r->part_subsidy[i] = sub;
		if (hj_yen_add(total, sub, &total))
			rt->error = 1;
		prev = sub;
	}
	if (!parts_ok)
		return 0;
	hj_yen left = fr->has_total_cap && total > fr->total_cap ? fr->total_cap : total;
	r->subsidy = left;
	if (r->main_subsidy > left)
		r->main_subsidy = left;
	left -= r->main_subsidy;
	for (int i = 0; i < fr->nparts; i++) {
		r->part_full[i] = r->part_subsidy[i];
		if (r->part_subsidy[i] > left)
			r->part_subsidy[i] = left;
		left -= r->part_subsidy[i];
	}
	return 1;
}

/*
 * The rate is unknown (one of 'n' possible rates) but the cap and the
 * expenses are known: the amount under each rate the unknown facts can
 * give. When every rate gives the same amounts (the cap binds under all
 * of them), the amount is known; r then holds the computation at the
 * lowest rate. Returns 1 when decided.
 */
static int rates_agree(hj_expr_rt *rt, const hj_frame *fr, const hj_frac *possible, int n, hj_frac low,
		       hj_result *r)
{
	hj_result scratch, *alt = &scratch;
	hj_yen total0 = 0;
	/* the lowest rate first, into r; the others compared with it */
	hj_factset pm;
	hj_factset_clear(&pm);
	if (tiered_floor(fr, low, r->expenses, &r->uncapped)) {
		rt->error = 1;
		return 0;
	}
	r->subsidy = r->uncapped > r->cap ? r->cap : r->uncapped;
	r->main_subsidy = r->subsidy;
	if ((fr->nparts || fr->has_total_cap) && !add_parts(rt, fr, 1, low, r, &pm))
		return 0;
	total0 = r->subsidy;
	for (int k = 0; k < n; k++) {
		if (!frac_cmp(possible[k], low))
			continue;
		hj_yen raw;
		if (tiered_floor(fr, possible[k], r->expenses, &raw)) {
			rt->error = 1;
			return 0;
		}
		hj_yen main = raw > r->cap ? r->cap : raw;
		if (!fr->nparts && !fr->has_total_cap) {
			if (main != total0)
				return 0;
			continue;
		}
		/* parts: compare each part's amount too (a scratch result) */
		alt->subsidy = main;
		hj_factset_clear(&pm);
		if (!add_parts(rt, fr, 1, possible[k], alt, &pm) || alt->subsidy != total0 ||
		    alt->main_subsidy != r->main_subsidy)
			return 0;
		for (int i = 0; i < fr->nparts; i++)
			if (alt->part_state[i] != r->part_state[i] || alt->part_subsidy[i] != r->part_subsidy[i])
				return 0;
	}
	return 1;
}

static int amount_for_every_rate(hj_expr_rt *rt, const hj_frame *fr, const hj_frac *possible, int n,
				 hj_frac low, hj_result *r)
{
	if (rates_agree(rt, fr, possible, n, low, r))
		return 1;
	r->subsidy = r->uncapped = r->main_subsidy = 0;
	return 0;
}

/* Every scalar of a result before evaluating (a memset of the struct
 * costs more than these stores); the arrays are written entry by entry. */
static inline void result_init(hj_result *r)
{
	r->verdict = HJ_INELIGIBLE;
	r->decided_by = HJ_BY_ALL_MET;
	r->nconds = 0;
	r->rate_known = 0;
	r->rate = hj_frac_int(0);
	r->rate_rule = -1;
	r->rate_min = r->rate_max = hj_frac_int(0);
	r->nrate_facts = 0;
	r->cap_known = 0;
	r->cap = r->cap_base = 0;
	r->band = -1;
	r->has_lower = 0;
	r->lower = 0;
	r->expenses_known = 0;
	r->expenses = 0;
	r->subsidy_known = 0;
	r->subsidy = r->uncapped = r->shortfall = r->main_subsidy = 0;
	r->expenses_needed_known = 0;
	r->expenses_needed = 0;
	r->nmissing = 0;
	r->nparts = 0;
	r->raised = HJ_FALSE;
	r->nreqs = 0;
	r->plan_verdict = HJ_ELIGIBLE;
}

/*
 * One frame. Inlined into hj_evaluate and hj_evaluate_verdict, so that
 * each is compiled for its own 'verdict_only': the verdict-only copy
 * keeps no missing facts (FS_* do nothing; every expression reports into
 * one scratch set nobody reads, and the shared conditions' cached sets
 * are not copied out).
 */
static inline __attribute__((always_inline)) hj_status evaluate(const hj_rulebook *rb, hj_facts *facts,
								 const hj_frame *fr, hj_result *r, int verdict_only)
{
#define FS_CLEAR(s) do { if (!verdict_only) hj_factset_clear(s); } while (0)
#define FS_UNION(d, s) do { if (!verdict_only) hj_factset_union(d, s); } while (0)
#define FS(s) (verdict_only ? &scratch : (s))
	hj_factset scratch;
	if (verdict_only)
		hj_factset_clear(&scratch);
	hj_expr_rt rt;
	hj_facts_runtime(facts, &rt);
	r->frame = fr;
	if (!verdict_only) /* verdict-only: after the conditions, if needed */
		result_init(r);
	hj_factset cond_missing, amount_missing;
	FS_CLEAR(&cond_missing);
	FS_CLEAR(&amount_missing);

	if (facts->cur_size != fr->edition->size_def)
		hj_facts_use_size(facts, fr->edition->size_def);
	if (rb->sizes.loaded) { /* else no size facts: the class stays unknown */
		if (!facts->class_done)
			hj_classify(facts);
		hj_value cls = facts->derived[HJ_DER_SIZE_CLASS];
		r->size_class = cls.known ? cls.u.sym : -1;
	} else {
		r->size_class = -1;
	}

	/* eligibility conditions */
	int any_false = 0, any_unknown = 0;
	r->nconds = fr->nconds;
	for (int i = 0; i < fr->nconds; i++) {
		hj_factset m;
		FS_CLEAR(&m);
		if (fr->conds[i].late) {
			r->cond[i] = HJ_UNKNOWN; /* after the amount, below */
			continue;
		}
		hj_truth t = eval_shared(facts, &rt, fr->conds[i].when, fr->conds[i].share, FS(&m), !verdict_only);
		r->cond[i] = (uint8_t)t;
		if (t == HJ_FALSE) {
			any_false = 1;
			if (verdict_only) {
				/* decided: the conditions up to this one are
				 * counted, the rest is not evaluated */
				r->nconds = i + 1;
				r->verdict = HJ_INELIGIBLE;
				r->decided_by = HJ_BY_CONDITION;
				r->rate_known = r->cap_known = r->subsidy_known = r->expenses_known = 0;
				r->nmissing = r->nrate_facts = r->nparts = r->nreqs = 0;
				r->has_lower = fr->has_lower;
				r->lower = fr->lower;
				return HJ_OK;
			}
		}
		else if (t == HJ_UNKNOWN) {
			any_unknown = 1;
			FS_UNION(&cond_missing, &m);
		}
	}

	if (verdict_only) {
		int n = r->nconds;
		result_init(r);
		r->nconds = n;
	}

	/* rate: first true exception wins */
	hj_frac possible[HJ_MAX_RATES];
	int npossible = 0, winner = 0, unsure = 0;
	hj_factset rate_missing;
	FS_CLEAR(&rate_missing);
	for (int i = 1; i < fr->nrates; i++) {
		hj_factset m;
		FS_CLEAR(&m);
		if (winner) {
			/* later exceptions do not matter; hj_explain evaluates
			 * them again for display */
			r->rate_cond[i] = HJ_UNKNOWN;
			continue;
		}
		hj_truth t = eval_shared(facts, &rt, fr->rates[i].when, fr->rates[i].share, FS(&m), !verdict_only);
		r->rate_cond[i] = (uint8_t)t;
		if (t == HJ_TRUE) {
			winner = i;
			possible[npossible++] = fr->rates[i].value;
		} else if (t == HJ_UNKNOWN) {
			unsure = 1;
			possible[npossible++] = fr->rates[i].value;
			FS_UNION(&rate_missing, &m);
		}
	}
	if (!winner)
		possible[npossible++] = fr->rates[0].value;
	int same = 1;
	hj_frac hi = possible[0], low = possible[0];
	for (int i = 1; i < npossible; i++) {
		if (frac_cmp(possible[i], possible[0]))
			same = 0;
		if (frac_cmp(possible[i], hi) > 0)
			hi = possible[i];
		if (frac_cmp(possible[i], low) < 0)
			low = possible[i];
	}
	r->rate_min = low;
	r->rate_max = hi;
	r->nrate_facts = 0;
	if (!unsure || same) {
		r->rate_known = 1;
		r->rate = possible[0];
		r->rate_rule = winner;
		r->rate_min = r->rate_max = r->rate;
	} else {
		FS_UNION(&amount_missing, &rate_missing);
		for (int w = 0; !verdict_only && w < HJ_MAX_FACTS / 64; w++)
			for (uint64_t bits = rate_missing.w[w]; bits && r->nrate_facts < HJ_RESULT_MAX_RATE_FACTS;
			     bits &= bits - 1)
				r->rate_facts[r->nrate_facts++] = w * 64 + __builtin_ctzll(bits);
	}

	/* cap: the lowest and highest it can be given what is unknown (the
	 * band, the raised variant, bonuses); equal bounds decide it */
	const hj_cap *c = &fr->cap;
	hj_yen lo = 0, up = 0;
	hj_factset cap_missing;
	FS_CLEAR(&cap_missing);
	r->raised = HJ_FALSE;
	if (c->has_flat) {
		lo = up = c->flat;
	} else {
		hj_factset m, mr;
		FS_CLEAR(&m);
		FS_CLEAR(&mr);
		hj_value v = shared_value(facts, &rt, c->band_by, c->band_share, FS(&m), !verdict_only);
		hj_truth raised = c->raised_when ? eval_shared(facts, &rt, c->raised_when, c->raised_share, FS(&mr), !verdict_only)
						  : HJ_FALSE;
		r->raised = (uint8_t)raised;
		int b0 = 0, b1 = c->nbands - 1;
		if (v.known) {
			for (int i = 0; i < c->nbands; i++)
				if (!c->bands[i].has_upto || frac_cmp(v.u.q, c->bands[i].upto) <= 0) {
					b0 = b1 = i;
					break;
				}
			r->band = b0;
		} else {
			FS_UNION(&cap_missing, &m);
		}
		int first = 1, raised_matters = 0;
		for (int i = b0; i <= b1; i++) {
			const hj_band *band = &c->bands[i];
			hj_yen opts[2];
			int n = 0;
			if (!band->has_raised || raised != HJ_TRUE)
				opts[n++] = band->yen;
			if (band->has_raised && raised != HJ_FALSE)
				opts[n++] = band->raised;
			if (n == 2 && opts[0] != opts[1])
				raised_matters = 1;
			for (int k = 0; k < n; k++) {
				if (first || opts[k] < lo)
					lo = opts[k];
				if (first || opts[k] > up)
					up = opts[k];
				first = 0;
			}
		}
		if (raised_matters)
			FS_UNION(&cap_missing, &mr);
	}
	r->cap_base = lo;
	for (int i = 0; i < c->nbonuses; i++) {
		hj_factset m;
		FS_CLEAR(&m);
		hj_truth t = eval_shared(facts, &rt, c->bonuses[i].when, c->bonuses[i].share, FS(&m), !verdict_only);
		r->bonus[i] = (uint8_t)t;
		if (t == HJ_TRUE) {
			if (hj_yen_add(lo, c->bonuses[i].yen, &lo) || hj_yen_add(up, c->bonuses[i].yen, &up))
				rt.error = 1;
		} else if (t == HJ_UNKNOWN) {
			if (hj_yen_add(up, c->bonuses[i].yen, &up))
				rt.error = 1;
			FS_UNION(&cap_missing, &m);
		}
	}
	if (lo == up) {
		r->cap_known = 1;
		r->cap = lo;
	} else {
		FS_UNION(&amount_missing, &cap_missing);
	}
	r->has_lower = fr->has_lower;
	r->lower = fr->lower;

	/* the expense base and the main subsidy */
	int below_lower = 0;
	{
		hj_factset m;
		FS_CLEAR(&m);
		hj_value ev;
		if (fr->base)
			ev = shared_value(facts, &rt, fr->base, fr->base_share, FS(&m), !verdict_only);
		else if (rt.plain && rt.plain[rb->f_expenses]) { /* what 'get' does for it */
			ev = rt.vals[rb->f_expenses];
			if (!ev.known)
				hj_factset_add(FS(&m), rb->f_expenses);
		} else
			rt.get(rt.ud, HJ_SYM_FACT, rb->f_expenses, &ev, FS(&m));
		if (ev.known) {
			r->expenses_known = 1;
			r->expenses = frac_floor(ev.u.q);
		} else {
			FS_UNION(&amount_missing, &m);
		}
	}
	/* the lower limit: at least 'lower', or above it when exclusive; with
	 * no lower limit a subsidy must still be at least 1円 */
	hj_yen need = 1;
	if (fr->has_lower) {
		need = fr->lower;
		if (fr->lower_exclusive && need < INT64_MAX)
			need++; /* "more than" the largest amount: taken as reaching it */
	}
	int rate_range = 0;
	if (r->expenses_known && r->rate_known) {
		hj_frac sx;
		hj_status ts = HJ_OK;
		hj_yen raw = 0;
		if (fr->ntiers == 0)
			ts = yen_rate_floor(r->expenses, r->rate, &raw);
		else if ((ts = tiered(fr, r->rate, r->expenses, &sx)) == HJ_OK)
			raw = hj_frac_floor(sx);
		if (ts) {
			rt.error = 1;
		} else if (r->cap_known || raw <= lo) {
			/* with the cap unknown, an amount under its lowest
			 * possible value is decided all the same */
			r->uncapped = raw;
			r->subsidy = r->cap_known && raw > r->cap ? r->cap : raw;
			r->subsidy_known = 1;
		}
	} else if (r->expenses_known && r->cap_known && !r->rate_known &&
		   amount_for_every_rate(&rt, fr, possible, npossible, low, r)) {
		/* the rate is unknown, but every rate it can be gives the same
		 * amount (the cap binds under each): the amount is known, the
		 * rate a range, and the facts that would fix it are named */
		r->subsidy_known = 1;
		rate_range = 1;
	} else if (r->expenses_known && fr->has_lower && fr->nparts == 0) {
		/* Even the best possible rate cannot reach the lower limit? */
		hj_yen best;
		if (tiered_floor(fr, hi, r->expenses, &best) == HJ_OK && best < need) {
			below_lower = 1;
			r->shortfall = need - best;
			if (tiered_inverse(fr, hi, need, &r->expenses_needed) == HJ_OK)
				r->expenses_needed_known = 1;
		}
	}

	/* parts: components with their own base, rate and cap */
	r->nparts = fr->nparts;
	if (!rate_range) {
		r->main_subsidy = r->subsidy;
		if (r->subsidy_known && (fr->nparts || fr->has_total_cap)) {
			hj_factset pm;
			hj_factset_clear(&pm);
			if (!add_parts(&rt, fr, r->rate_known, r->rate, r, &pm)) {
				r->subsidy_known = 0;
				FS_UNION(&amount_missing, &pm);
			}
		}
	}
	if (r->subsidy_known && r->subsidy < need) {
		below_lower = 1;
		r->shortfall = need - r->subsidy;
		if (fr->nparts == 0 && lo >= need &&
		    tiered_inverse(fr, r->rate_known ? r->rate : r->rate_max, need, &r->expenses_needed) == HJ_OK)
			r->expenses_needed_known = 1;
	}

	/* conditions on the computed subsidy ("with a financial institution
	 * when the subsidy exceeds 3,000万円") */
	facts->cur_subsidy = r->subsidy_known ? hj_value_frac(hj_frac_int(r->subsidy)) : hj_value_unknown();
	for (int i = 0; fr->nlate && i < fr->nconds; i++) {
		if (!fr->conds[i].late)
			continue;
		hj_factset m;
		FS_CLEAR(&m);
		hj_truth t = eval_bool(&rt, fr->conds[i].when, FS(&m));
		r->cond[i] = (uint8_t)t;
		if (t == HJ_FALSE)
			any_false = 1;
		else if (t == HJ_UNKNOWN) {
			any_unknown = 1;
			FS_UNION(&cond_missing, &m);
			FS_UNION(&cond_missing, &amount_missing);
		}
	}

	hj_factset listed;
	FS_CLEAR(&listed);
	if (rt.error) {
		r->verdict = HJ_UNDETERMINED;
		r->decided_by = HJ_BY_ERROR;
		return HJ_ERR_RANGE;
	}
	if (any_false) {
		r->verdict = HJ_INELIGIBLE;
		r->decided_by = HJ_BY_CONDITION;
	} else if (below_lower) {
		r->verdict = HJ_INELIGIBLE;
		r->decided_by = HJ_BY_LOWER_LIMIT;
	} else if (any_unknown) {
		r->verdict = HJ_UNDETERMINED;
		r->decided_by = HJ_BY_CONDITION;
		if (!verdict_only) {
			add_missing(r, &cond_missing, &listed);
			add_missing(r, &amount_missing, &listed);
		}
	} else if (!r->subsidy_known) {
		r->verdict = HJ_UNDETERMINED;
		r->decided_by = HJ_BY_AMOUNT_UNKNOWN;
		if (!verdict_only)
			add_missing(r, &amount_missing, &listed);
	} else {
		r->verdict = HJ_ELIGIBLE;
		r->decided_by = HJ_BY_ALL_MET;
	}
	/* in fact order: two ascending runs merged by insertion (at most 64
	 * ids; faster than qsort's calls per comparison) */
	for (int i = 1; i < r->nmissing; i++) {
		int v = r->missing[i], j = i;
		for (; j > 0 && r->missing[j - 1] > v; j--)
			r->missing[j] = r->missing[j - 1];
		r->missing[j] = v;
	}
	if (facts->plan && fr->nreqs)
		plan_verdict(rb, facts, fr, r);
	return HJ_OK;
#undef FS_CLEAR
#undef FS_UNION
#undef FS
}

hj_status hj_evaluate(const hj_rulebook *rb, hj_facts *facts, const hj_frame *fr, hj_result *r)
{
	return evaluate(rb, facts, fr, r, 0);
}

hj_status hj_evaluate_verdict(const hj_rulebook *rb, hj_facts *facts, const hj_frame *fr, hj_result *r)
{
	return evaluate(rb, facts, fr, r, 1);
}

int hj_frame_selected(const hj_frame *f, const hj_selection *sel)
{
	if (!sel)
		return 1;
	if (sel->has_date && !hj_frame_in_force(f, sel->date))
		return 0;
	if (sel->program && strcmp(sel->program, f->edition->program->id))
		return 0;
	if (sel->edition && strcmp(sel->edition, f->edition->id))
		return 0;
	return 1;
}

static int cmp_result(const void *pa, const void *pb)
{
	const hj_result *a = pa, *b = pb;
	if (a->verdict != b->verdict)
		return a->verdict > b->verdict ? -1 : 1;
	hj_yen sa = a->subsidy_known ? a->subsidy : -1, sb = b->subsidy_known ? b->subsidy : -1;
	if (sa != sb)
		return sa > sb ? -1 : 1;
	hj_yen ca = a->cap_known ? a->cap : -1, cb = b->cap_known ? b->cap : -1;
	if (ca != cb)
		return ca > cb ? -1 : 1;
	return a->frame->index - b->frame->index;
}

void hj_results_sort(hj_result *r, int n)
{
	qsort(r, (size_t)n, sizeof *r, cmp_result);
}

hj_status hj_check(const hj_rulebook *rb, hj_facts *facts, const hj_selection *sel, hj_result *out,
		   int max, int *n)
{
	*n = 0;
	hj_status worst = HJ_OK;
	hj_expense_result *xr = NULL;
	for (int i = 0; i < rb->nframes && *n < max; i++) {
		const hj_frame *f = rb->frames[i];
		if (!hj_frame_selected(f, sel))
			continue;
		hj_status st;
		if (facts->nelines) {
			/* the amounts come from the frame's accepted expense lines */
			hj_error e;
			if (!xr && !(xr = hj_malloc(sizeof *xr)))
				return HJ_ERR_NOMEM;
			st = hj_expense_check(rb, facts, f, xr, &e);
			out[*n] = xr->result;
			out[*n].verdict = xr->verdict;
			if (xr->verdict != xr->result.verdict)
				out[*n].decided_by = HJ_BY_CONDITION;
		} else
			st = hj_evaluate(rb, facts, f, &out[*n]);
		if (st)
			worst = st;
		(*n)++;
	}
	hj_free(xr);
	hj_results_sort(out, *n);
	return worst;
}

const char *hj_verdict_name(hj_verdict v)
{
	switch (v) {
	case HJ_ELIGIBLE: return "eligible";
	case HJ_UNDETERMINED: return "undetermined";
	case HJ_INELIGIBLE: return "ineligible";
	}
	return "?";
}

const char *hj_verdict_name_ja(hj_verdict v)
{
	switch (v) {
	case HJ_ELIGIBLE: return "対象";
	case HJ_UNDETERMINED: return "要確認";
	case HJ_INELIGIBLE: return "対象外";
	}
	return "?";
}

const char *hj_size_class_name(const hj_rulebook *rb, int cls)
{
	if (!rb->sizes.loaded)
		return "要確認";
	const hj_enum *e = &rb->enums[rb->sizes.e_size_class];
	return cls >= 0 && cls < e->n ? e->labels[cls] : "要確認";
}

const char *hj_size_class_id(const hj_rulebook *rb, int cls)
{
	if (!rb->sizes.loaded)
		return NULL;
	const hj_enum *e = &rb->enums[rb->sizes.e_size_class];
	return cls >= 0 && cls < e->n ? e->ids[cls] : NULL;
}

hj_truth hj_edition_doc_required(const hj_rulebook *rb, hj_facts *facts, const hj_edition *e, int i)
{
	(void)rb;
	if (i < 0 || i >= e->ndocs)
		return HJ_FALSE;
	if (!e->docs[i].when)
		return HJ_TRUE;
	hj_expr_rt rt;
	hj_facts_runtime(facts, &rt);
	return eval_bool(&rt, e->docs[i].when, NULL);
}
