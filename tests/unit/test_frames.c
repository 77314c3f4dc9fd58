/*
 * test_frames.c - every frame of rules/ evaluated for one applicant after
 * another gives what each frame gives on its own.
 *
 * The evaluator keeps the value of a condition written alike in several
 * frames ('sme', 'small', 'advisor', ...) for the applicant, per SME
 * definition when it reads the size facts (lib/eval.c, shared
 * conditions). The reference here evaluates each frame with facts loaded
 * afresh, so nothing another frame computed can be reused; the frames
 * are then evaluated in rulebook order and in reverse order with one
 * facts object per applicant (hj_evaluate and hj_evaluate_verdict), and
 * every answer must be the same: verdict, reasons, conditions, rate,
 * cap, bonuses, amounts and the missing facts. Applicants are drawn
 * (splitmix64) over every input fact: unknown, every enum value and
 * alias, small, large and 14-digit amounts, booleans. Run from the
 * repository root.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "hojo/hojo.h"
#include "facts-int.h"
#include "expr.h"

static hj_rulebook *rb;

static int setup(void **state)
{
	(void)state;
	return unit_load_rules("rules", &rb);
}

static int teardown(void **state)
{
	(void)state;
	hj_rulebook_free(rb);
	return 0;
}

static uint64_t seed;
static void *failing_a; /* freed before a failure jumps out */

static uint64_t next(void)
{
	uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* One applicant: a cell text per fact ("" unknown). */
typedef struct applicant {
	char cell[HJ_MAX_FACTS][160];
} applicant;

static void draw(applicant *a)
{
	static const char *const yen[] = { "0", "1", "50万円", "100万円", "300万円", "1,000万円", "3,000万円",
					   "5,000万円", "1億円", "3億円", "10億円", "99999999999999" };
	for (int i = 0; i < rb->nfacts && i < HJ_MAX_FACTS; i++) {
		const hj_fact *ft = &rb->facts[i];
		a->cell[i][0] = '\0';
		if (ft->how != HJ_FACT_INPUT || next() % 5 == 0)
			continue; /* unknown */
		uint64_t r = next();
		switch (ft->type.ty) {
		case HJ_TY_BOOL:
			snprintf(a->cell[i], sizeof a->cell[i], "%s", r % 2 ? "true" : "false");
			break;
		case HJ_TY_ENUM: {
			const hj_enum *e = &rb->enums[ft->type.enum_id];
			int k = (int)(r % (uint64_t)(e->n + e->naliases));
			const char *s = k < e->n ? (r >> 20) % 2 ? e->ids[k] : e->labels[k] : e->aliases[k - e->n].names[0];
			snprintf(a->cell[i], sizeof a->cell[i], "%s", s);
			break;
		}
		case HJ_TY_YEN:
			snprintf(a->cell[i], sizeof a->cell[i], "%s", yen[r % (sizeof yen / sizeof *yen)]);
			break;
		case HJ_TY_NUM:
			snprintf(a->cell[i], sizeof a->cell[i], "%d", (int)(r % 3 ? r % 60 : r % 1200));
			break;
		default:
			break; /* dates, sets and series stay unknown */
		}
	}
}

static void load(hj_facts *f, const applicant *a)
{
	hj_facts_reset(f);
	for (int i = 0; i < rb->nfacts && i < HJ_MAX_FACTS; i++) {
		if (!a->cell[i][0])
			continue;
		hj_error err;
		hj_status st = hj_facts_set_text(f, i, a->cell[i], strlen(a->cell[i]), &err);
		if (st)
			fail_msg("%s = %s: %s", rb->facts[i].name, a->cell[i], err.message);
	}
}

/* The two results are the same answer (every field an explanation reads). */
static void same(const hj_result *x, const hj_result *y, const char *what)
{
	const hj_frame *fr = x->frame;
	int ok = x->frame == y->frame && x->verdict == y->verdict && x->decided_by == y->decided_by &&
		 x->size_class == y->size_class && x->nconds == y->nconds && x->rate_known == y->rate_known &&
		 !hj_frac_cmp(x->rate, y->rate) && x->rate_rule == y->rate_rule &&
		 !hj_frac_cmp(x->rate_min, y->rate_min) && !hj_frac_cmp(x->rate_max, y->rate_max) &&
		 x->nrate_facts == y->nrate_facts && x->cap_known == y->cap_known && x->cap == y->cap &&
		 x->cap_base == y->cap_base && x->band == y->band && x->raised == y->raised &&
		 x->expenses_known == y->expenses_known && x->expenses == y->expenses &&
		 x->subsidy_known == y->subsidy_known && x->subsidy == y->subsidy && x->uncapped == y->uncapped &&
		 x->shortfall == y->shortfall && x->main_subsidy == y->main_subsidy &&
		 x->expenses_needed_known == y->expenses_needed_known && x->expenses_needed == y->expenses_needed &&
		 x->nmissing == y->nmissing && x->nparts == y->nparts;
	for (int i = 0; ok && i < x->nconds; i++)
		ok = x->cond[i] == y->cond[i];
	for (int i = 1; ok && i < fr->nrates; i++)
		ok = x->rate_cond[i] == y->rate_cond[i];
	for (int i = 0; ok && i < fr->cap.nbonuses; i++)
		ok = x->bonus[i] == y->bonus[i];
	for (int i = 0; ok && i < x->nrate_facts; i++)
		ok = x->rate_facts[i] == y->rate_facts[i];
	for (int i = 0; ok && i < x->nmissing; i++)
		ok = x->missing[i] == y->missing[i];
	for (int i = 0; ok && i < x->nparts; i++)
		ok = x->part_state[i] == y->part_state[i] && x->part_subsidy[i] == y->part_subsidy[i];
	if (!ok) {
		free(failing_a);
		fail_msg("%s: frame %s differs (verdict %d/%d, subsidy %lld/%lld, missing %d/%d)", what,
			 fr->id, x->verdict, y->verdict, (long long)x->subsidy, (long long)y->subsidy, x->nmissing,
			 y->nmissing);
	}
}

static void test_frames_alike_alone_and_together(void **state)
{
	(void)state;
	hj_facts *alone, *fwd, *back, *verd;
	assert_int_equal(hj_facts_new(rb, &alone), HJ_OK);
	assert_int_equal(hj_facts_new(rb, &fwd), HJ_OK);
	assert_int_equal(hj_facts_new(rb, &back), HJ_OK);
	assert_int_equal(hj_facts_new(rb, &verd), HJ_OK);
	int n = hj_rulebook_nframes(rb);
	hj_result *ref = calloc((size_t)n, sizeof *ref);
	assert_non_null(ref);
	applicant *a = calloc(1, sizeof *a);
	assert_non_null(a);
	failing_a = a;
	/* the conditions written alike really are shared, some per SME
	 * definition (rules/ has three) */
	int nsized = 0;
	for (int i = 0; i < rb->nshared; i++)
		nsized += rb->shared_sized[i];
	assert_true(rb->nshared >= 10);
	assert_true(nsized >= 2 && nsized < rb->nshared);
	seed = 20261130;
	long verdicts[3] = { 0, 0, 0 };
	for (int k = 0; k < 3000; k++) {
		draw(a);
		for (int i = 0; i < n; i++) {
			load(alone, a);
			memset(&ref[i], 0, sizeof ref[i]); /* parts unset stay equal */
			hj_status st = hj_evaluate(rb, alone, hj_rulebook_frame(rb, i), &ref[i]);
			assert_true(st == HJ_OK || st == HJ_ERR_RANGE);
			verdicts[ref[i].verdict]++;
		}
		/* each condition, rate exception and bonus as the expression
		 * interpreter evaluates it on its own (no cache, no shortcut) */
		for (int i = 0; i < n; i++) {
			const hj_frame *fr = hj_rulebook_frame(rb, i);
			load(alone, a);
			hj_facts_use_size(alone, fr->edition->size_def);
			hj_expr_rt rt;
			hj_facts_runtime(alone, &rt);
			hj_factset want;
			hj_factset_clear(&want);
			int unknown = 0;
			for (int c = 0; c < fr->nconds; c++) {
				if (fr->conds[c].late)
					continue;
				hj_factset m;
				hj_factset_clear(&m);
				hj_value v = hj_expr_eval(fr->conds[c].when, &rt, &m);
				assert_int_equal(ref[i].cond[c], !v.known ? HJ_UNKNOWN : v.u.b ? HJ_TRUE : HJ_FALSE);
				if (!v.known) {
					unknown = 1;
					hj_factset_union(&want, &m);
				}
			}
			for (int c = 1; c < fr->nrates && !ref[i].rate_known; c++) {
				hj_value v = hj_expr_eval(fr->rates[c].when, &rt, NULL);
				if (ref[i].rate_cond[c] != HJ_UNKNOWN || !v.known) /* after a winner: not evaluated */
					assert_int_equal(ref[i].rate_cond[c], !v.known ? HJ_UNKNOWN : v.u.b ? HJ_TRUE : HJ_FALSE);
			}
			for (int c = 0; c < fr->cap.nbonuses; c++) {
				hj_value v = hj_expr_eval(fr->cap.bonuses[c].when, &rt, NULL);
				assert_int_equal(ref[i].bonus[c], !v.known ? HJ_UNKNOWN : v.u.b ? HJ_TRUE : HJ_FALSE);
			}
			/* an undetermined condition asks for the facts behind it */
			if (unknown && ref[i].verdict == HJ_UNDETERMINED && ref[i].decided_by == HJ_BY_CONDITION &&
			    ref[i].nmissing < 64)
				for (int id = 0; id < HJ_MAX_FACTS; id++) {
					if (!hj_factset_has(&want, id))
						continue;
					int found = 0;
					for (int j = 0; j < ref[i].nmissing; j++)
						found |= ref[i].missing[j] == id;
					if (!found)
						fail_msg("frame %s: %s not asked for", fr->id, rb->facts[id].name);
				}
		}
		load(fwd, a);
		for (int i = 0; i < n; i++) {
			hj_result r;
			memset(&r, 0, sizeof r);
			hj_evaluate(rb, fwd, hj_rulebook_frame(rb, i), &r);
			same(&ref[i], &r, "in rulebook order");
		}
		load(back, a);
		for (int i = n - 1; i >= 0; i--) {
			hj_result r;
			memset(&r, 0, sizeof r);
			hj_evaluate(rb, back, hj_rulebook_frame(rb, i), &r);
			same(&ref[i], &r, "in reverse order");
		}
		load(verd, a);
		for (int i = 0; i < n; i++) {
			hj_result r;
			hj_evaluate_verdict(rb, verd, hj_rulebook_frame(rb, i), &r);
			assert_int_equal(r.verdict, ref[i].verdict);
			if (r.verdict == HJ_ELIGIBLE) {
				assert_int_equal(r.subsidy, ref[i].subsidy);
				assert_int_equal(r.cap_known, ref[i].cap_known);
				assert_int_equal(r.cap, ref[i].cap);
			}
		}
	}
	/* the draw reaches every verdict */
	assert_true(verdicts[HJ_ELIGIBLE] > 0 && verdicts[HJ_UNDETERMINED] > 0 && verdicts[HJ_INELIGIBLE] > 0);
	free(a);
	free(ref);
	hj_facts_free(alone);
	hj_facts_free(fwd);
	hj_facts_free(back);
	hj_facts_free(verd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frames_alike_alone_and_together),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
