/*
 * classify.c - 中小企業者, 小規模事業者, 中堅企業 from the size tables.
 *
 * The law here is in rules/tables/size.yaml; this file only knows how to
 * read such a table. It is three-valued like everything else: an SME test
 * "capital <= X or employees <= Y" is true as soon as one side is true,
 * even when the other fact is missing, and it is unknown only when the
 * answer truly depends on a missing fact; those facts are remembered so
 * that the answer can ask for them.
 *
 * The results become the derived facts size_class, small, sme, midsize
 * and large, which rule expressions read like any other fact.
 */
#include <string.h>
#include "facts-int.h"

/* A truth value with the facts that would decide it if unknown. */
typedef struct tv {
	hj_truth t;
	hj_factset m;
} tv;

static tv tv_const(int b)
{
	tv r;
	r.t = b ? HJ_TRUE : HJ_FALSE;
	hj_factset_clear(&r.m);
	return r;
}

static tv tv_unknown(int fact)
{
	tv r;
	r.t = HJ_UNKNOWN;
	hj_factset_clear(&r.m);
	hj_factset_add(&r.m, fact);
	return r;
}

static tv tv_or(tv a, tv b)
{
	if (a.t == HJ_TRUE || b.t == HJ_TRUE)
		return tv_const(1);
	if (a.t == HJ_FALSE)
		return b;
	if (b.t == HJ_FALSE)
		return a;
	hj_factset_union(&a.m, &b.m);
	return a;
}

static tv tv_and(tv a, tv b)
{
	if (a.t == HJ_FALSE || b.t == HJ_FALSE)
		return tv_const(0);
	if (a.t == HJ_TRUE)
		return b;
	if (b.t == HJ_TRUE)
		return a;
	hj_factset_union(&a.m, &b.m);
	return a;
}

static tv tv_not(tv a)
{
	if (a.t != HJ_UNKNOWN)
		a.t = a.t == HJ_TRUE ? HJ_FALSE : HJ_TRUE;
	return a;
}

/* value <= limit, three-valued */
static tv le(const hj_facts *f, int fact, hj_frac limit)
{
	hj_value v = f->vals[fact];
	if (!v.known)
		return tv_unknown(fact);
	return tv_const(hj_frac_cmp(v.u.q, limit) <= 0);
}


/* The three tests for one legal form and industry (ind < 0: unknown). */
typedef struct verdicts {
	tv small, sme, mid;
	hj_class_info info;
} verdicts;

static verdicts classify_as(const hj_facts *f, int lf, int ind)
{
	const hj_sizes *z = &f->rb->sizes;
	const hj_size_def *d = &z->defs[f->cur_size];
	verdicts v;
	v.info.sme_row = v.info.small_row = v.info.limit_row = -1;
	uint64_t lbit = (uint64_t)1 << lf;
	/* the SME row */
	int row = -1, need_industry = 0;
	for (int i = 0; i < d->nrows; i++) {
		const hj_sme_row *r = &d->rows[i];
		if (!(r->legal_forms & lbit))
			continue;
		if (r->industries) {
			if (ind < 0) {
				need_industry = 1;
				continue;
			}
			if (!(r->industries >> ind & 1))
				continue;
		}
		row = i;
		break;
	}
	if (row < 0 && need_industry) {
		v.sme = tv_unknown(z->f_industry);
	} else if (row < 0 && (d->open_forms & lbit)) {
		/* the definition's sources leave this legal form open */
		hj_value ok = f->vals[d->f_open];
		v.sme = ok.known ? tv_const(ok.u.b) : tv_unknown(d->f_open);
	} else if (row < 0) {
		v.sme = tv_const(0);
	} else {
		const hj_sme_row *r = &d->rows[row];
		v.info.sme_row = row;
		tv by_cap = tv_const(0), by_emp;
		if (r->has_capital && lf != z->sole_proprietor)
			by_cap = le(f, z->f_capital, hj_frac_int(r->capital_max));
		int64_t emax = r->employees_max;
		int ok = 1;
		if (r->by_industry) {
			/* rows 12-15: the limit of the main industry's row */
			ok = 0;
			for (int i = 0; ind >= 0 && i < d->nrows; i++)
				if (d->rows[i].industries >> ind & 1) {
					emax = d->rows[i].employees_max;
					v.info.limit_row = i;
					ok = 1;
					break;
				}
		}
		by_emp = ok ? le(f, z->f_employees, hj_frac_int(emax)) : tv_unknown(z->f_industry);
		v.sme = tv_or(by_cap, by_emp);
	}
	/* 小規模 */
	if (!(z->small_forms & lbit)) {
		v.small = tv_const(0);
	} else if (ind < 0) {
		v.small = tv_unknown(z->f_industry);
	} else {
		v.small = tv_const(0);
		for (int i = 0; i < z->nsmall; i++)
			if (z->small[i].industries >> ind & 1) {
				v.info.small_row = i;
				v.small = le(f, z->f_employees, hj_frac_int(z->small[i].employees_max));
				break;
			}
	}
	/* a 小規模 firm is an SME even if its SME row is undecided (the
	 * employee limits of the small table are always the lower ones) */
	v.sme = tv_or(v.sme, v.small);
	/* 中堅: not an SME, a listed legal form, capital below the limit */
	if (!(z->mid_forms & lbit)) {
		v.mid = tv_const(0);
	} else {
		hj_value cap = f->vals[z->f_capital];
		tv below = cap.known ? tv_const(hj_frac_cmp(cap.u.q, hj_frac_int(z->mid_capital_below)) < 0)
				     : tv_unknown(z->f_capital);
		v.mid = tv_and(tv_not(v.sme), below);
	}
	return v;
}

/* Agreement of two candidate answers: the same known truth, or unknown
 * with the facts of both plus the enum fact that was tried. */
static tv agree(tv a, tv b, int tried)
{
	if (a.t == b.t && a.t != HJ_UNKNOWN)
		return a;
	tv r;
	r.t = HJ_UNKNOWN;
	r.m = a.m;
	hj_factset_union(&r.m, &b.m);
	hj_factset_add(&r.m, tried);
	return r;
}

static void store(hj_facts *f, int der, tv x)
{
	f->derived[der] = x.t == HJ_UNKNOWN ? hj_value_unknown() : hj_value_bool(x.t == HJ_TRUE);
	f->derived_missing[der] = x.m;
}

/* capital or employees <= limit, both known */
static int le_known(hj_value v, int64_t limit)
{
	return v.u.q.den == 1 ? v.u.q.num <= limit : hj_frac_cmp(v.u.q, hj_frac_int(limit)) <= 0;
}

/*
 * The usual case without the three-valued machinery: one legal form and
 * one industry (given, or the only value of their enum), capital and
 * employees given. The same rows are read in the same order as
 * classify_as, so the answers are the same; every answer is known, so no
 * fact is missing. Returns 0, having changed nothing, where only the
 * general path can answer (a legal form left open, a by_industry row
 * without the industry's row).
 */
static int classify_known(hj_facts *f)
{
	const hj_rulebook *rb = f->rb;
	const hj_sizes *z = &rb->sizes;
	if (!z->loaded)
		return 0;
	hj_value lfv = f->vals[z->f_legal_form], indv = f->vals[z->f_industry];
	hj_value cap = f->vals[z->f_capital], emp = f->vals[z->f_employees];
	if (!cap.known || !emp.known)
		return 0;
	if (!lfv.known && (rb->enums[z->e_legal_form].n != 1 || f->alias_of[z->f_legal_form]))
		return 0;
	if (!indv.known && (rb->enums[z->e_industry].n != 1 || f->alias_of[z->f_industry]))
		return 0;
	int lf = lfv.known ? lfv.u.sym : 0, ind = indv.known ? indv.u.sym : 0;
	const hj_size_def *d = &z->defs[f->cur_size];
	uint64_t lbit = (uint64_t)1 << lf;
	hj_class_info info = { -1, -1, -1 };
	int sme = 0, small = 0, mid = 0;
	int row = -1;
	for (int i = 0; i < d->nrows; i++) {
		const hj_sme_row *r = &d->rows[i];
		if ((r->legal_forms & lbit) && (!r->industries || (r->industries >> ind & 1))) {
			row = i;
			break;
		}
	}
	if (row < 0 && (d->open_forms & lbit))
		return 0;
	if (row >= 0) {
		const hj_sme_row *r = &d->rows[row];
		info.sme_row = row;
		int64_t emax = r->employees_max;
		if (r->by_industry) {
			int found = 0;
			for (int i = 0; i < d->nrows; i++)
				if (d->rows[i].industries >> ind & 1) {
					emax = d->rows[i].employees_max;
					info.limit_row = i;
					found = 1;
					break;
				}
			if (!found)
				return 0;
		}
		sme = (r->has_capital && lf != z->sole_proprietor && le_known(cap, r->capital_max)) ||
		      le_known(emp, emax);
	}
	if (z->small_forms & lbit)
		for (int i = 0; i < z->nsmall; i++)
			if (z->small[i].industries >> ind & 1) {
				info.small_row = i;
				small = le_known(emp, z->small[i].employees_max);
				break;
			}
	sme = sme || small;
	if (z->mid_forms & lbit)
		mid = !sme && hj_frac_cmp(cap.u.q, hj_frac_int(z->mid_capital_below)) < 0;
	f->class_done = 1;
	f->cinfo = info;
	if (!lfv.known || !indv.known)
		f->cinfo.sme_row = f->cinfo.small_row = f->cinfo.limit_row = -1;
	f->derived[HJ_DER_SMALL] = hj_value_bool(small);
	f->derived[HJ_DER_SME] = hj_value_bool(sme);
	f->derived[HJ_DER_MIDSIZE] = hj_value_bool(mid);
	f->derived[HJ_DER_LARGE] = hj_value_bool(!sme && !mid);
	hj_value c = hj_value_unknown();
	c.known = 1;
	c.u.sym = small ? 0 : sme ? 1 : mid ? 2 : 3;
	f->derived[HJ_DER_SIZE_CLASS] = c;
	for (int i = HJ_DER_SIZE_CLASS; i <= HJ_DER_LARGE; i++)
		hj_factset_clear(&f->derived_missing[i]);
	return 1;
}

/*
 * When the legal form or the industry is missing, try every value it
 * could take: if all candidates agree (a company with 3 employees is
 * 小規模 in every industry), that is the answer; otherwise the answer is
 * unknown and asks for the missing enum fact.
 */
static void classify_general(hj_facts *f);

void hj_classify(hj_facts *f)
{
	if (f->class_done || classify_known(f))
		return;
	classify_general(f);
}

/* kept out of line: its locals make hj_classify's frame costly */
__attribute__((noinline)) static void classify_general(hj_facts *f)
{
	const hj_rulebook *rb = f->rb;
	const hj_sizes *z = &rb->sizes;
	f->class_done = 1;
	if (!z->loaded) {
		/* a rulebook without size tables: no size facts (a rule cannot
		 * name them, the loader refuses it) */
		memset(f->derived, 0, sizeof f->derived);
		f->cinfo.sme_row = f->cinfo.small_row = f->cinfo.limit_row = -1;
		return;
	}
	hj_value lfv = f->vals[z->f_legal_form];
	hj_value indv = f->vals[z->f_industry];
	int nlf = rb->enums[z->e_legal_form].n, nind = rb->enums[z->e_industry].n;
	int lf0 = lfv.known ? lfv.u.sym : 0, lf1 = lfv.known ? lfv.u.sym + 1 : nlf;
	int in0 = indv.known ? indv.u.sym : 0, in1 = indv.known ? indv.u.sym + 1 : nind;
	int skip_ind = 0;
	if (lfv.known && !indv.known) {
		/* a legal form no row of the definition (nor the small table)
		 * names does not depend on the industry: try one */
		const hj_size_def *d = &z->defs[f->cur_size];
		uint64_t lbit = (uint64_t)1 << lfv.u.sym, rows = 0;
		for (int i = 0; i < d->nrows; i++)
			rows |= d->rows[i].legal_forms;
		if (!((rows | z->small_forms) & lbit))
			in1 = in0 + 1, skip_ind = 1;
	}
	verdicts acc;
	memset(&acc, 0, sizeof acc);
	int first = 1;
	/* an alias with candidates (飲食業: 小売業 or サービス業) tries only those */
	const hj_alias *lal = lfv.known ? NULL : f->alias_of[z->f_legal_form];
	const hj_alias *ial = indv.known || skip_ind ? NULL : f->alias_of[z->f_industry];
	for (int lf = lf0; lf < lf1; lf++)
		for (int ind = in0; ind < in1; ind++) {
			if ((lal && !(lal->cands >> lf & 1)) || (ial && !(ial->cands >> ind & 1)))
				continue;
			verdicts v = classify_as(f, lf, ind);
			if (first) {
				acc = v;
				first = 0;
				continue;
			}
			int tried = !lfv.known ? z->f_legal_form : z->f_industry;
			acc.small = agree(acc.small, v.small, tried);
			acc.sme = agree(acc.sme, v.sme, tried);
			acc.mid = agree(acc.mid, v.mid, tried);
			if (!indv.known && !lfv.known && (acc.small.t == HJ_UNKNOWN || acc.sme.t == HJ_UNKNOWN)) {
				hj_factset_add(&acc.small.m, z->f_industry);
				hj_factset_add(&acc.sme.m, z->f_industry);
			}
		}
	/* the table rows named in explanations only make sense when known */
	f->cinfo = acc.info;
	if (!lfv.known || !indv.known)
		f->cinfo.sme_row = f->cinfo.small_row = f->cinfo.limit_row = -1;
	tv small = acc.small, sme = acc.sme, mid = acc.mid;
	tv large = tv_and(tv_not(sme), tv_not(mid));
	store(f, HJ_DER_SMALL, small);
	store(f, HJ_DER_SME, sme);
	store(f, HJ_DER_MIDSIZE, mid);
	store(f, HJ_DER_LARGE, large);
	/* size_class: the first of small, sme, midsize, large that is true */
	hj_value c = hj_value_unknown();
	hj_factset m;
	hj_factset_clear(&m);
	if (small.t == HJ_TRUE)
		c.known = 1, c.u.sym = 0;
	else if (small.t == HJ_FALSE && sme.t == HJ_TRUE)
		c.known = 1, c.u.sym = 1;
	else if (sme.t == HJ_FALSE && mid.t == HJ_TRUE)
		c.known = 1, c.u.sym = 2;
	else if (large.t == HJ_TRUE)
		c.known = 1, c.u.sym = 3;
	else {
		hj_factset_union(&m, &small.m);
		hj_factset_union(&m, &sme.m);
		hj_factset_union(&m, &mid.m);
	}
	f->derived[HJ_DER_SIZE_CLASS] = c;
	f->derived_missing[HJ_DER_SIZE_CLASS] = m;
}

void hj_facts_use_size(hj_facts *f, int def)
{
	if (def == f->cur_size)
		return;
	struct hj_size_cache *c = &f->size_cache[f->cur_size];
	c->done = f->class_done;
	if (c->done) {
		memcpy(c->derived, f->derived, sizeof c->derived);
		memcpy(c->derived_missing, f->derived_missing, sizeof c->derived_missing);
		c->cinfo = f->cinfo;
	}
	c = &f->size_cache[def];
	f->class_done = c->done;
	if (c->done) {
		memcpy(f->derived, c->derived, sizeof c->derived);
		memcpy(f->derived_missing, c->derived_missing, sizeof c->derived_missing);
		f->cinfo = c->cinfo;
	}
	f->cur_size = def;
	/* the definitions that read the size facts (rb->sized_defs) are
	 * computed again; the others do not change */
	for (int i = 0; i < f->rb->nsized_defs; i++)
		f->def_done[f->rb->sized_defs[i]] = 0;
}

/* A symbol's value for the expression runtime (facts-int.h). */
void hj_facts_rt_get(void *ud, int kind, int id, hj_value *out, hj_factset *missing)
{
	hj_facts *f = ud;
	const hj_rulebook *rb = f->rb;
	if (kind == HJ_SYM_FACT) {
		const hj_fact *ft = &rb->facts[id];
		if (ft->how == HJ_FACT_COMPUTED) {
			*out = hj_compute(f, id, missing);
			return;
		}
		if (ft->how == HJ_FACT_DERIVED && ft->derived == HJ_DER_SUBSIDY) {
			*out = f->cur_subsidy; /* unknown: the amount's own facts are listed */
			return;
		}
		if (ft->how == HJ_FACT_DERIVED) {
			hj_classify(f);
			*out = f->derived[ft->derived];
			if (!out->known)
				hj_factset_union(missing, &f->derived_missing[ft->derived]);
			return;
		}
		*out = f->vals[id];
		if (!out->known) {
			if (ft->has_default)
				*out = ft->def;
			else
				hj_factset_add(missing, id);
		}
		return;
	}
	/* a definition: evaluate once per applicant */
	if (!f->def_done[id]) {
		hj_expr_rt rt;
		hj_facts_runtime(f, &rt);
		hj_factset_clear(&f->def_missing[id]);
		f->def_vals[id] = hj_expr_eval(rb->defs[id].expr, &rt, &f->def_missing[id]);
		f->def_done[id] = 1;
	}
	*out = f->def_vals[id];
	if (!out->known)
		hj_factset_union(missing, &f->def_missing[id]);
}
