/*
 * group.c - consortia and joint applications (see hojo/group.h).
 *
 * Each member is first evaluated alone on the frame, exactly as 'hojo
 * check' would. The group's rules from the rulebook then decide:
 *
 *   members       the number of members is within min..max;
 *   nothing       members for whom 'receives_nothing.when' holds get 0 and
 *                 need not be eligible themselves (a large lead company);
 *   member        every other member is eligible on its own;
 *   max_total     sum of own maxima, plus the pool (per_member x members)
 *                 to the extent members' rates allow amounts above their
 *                 own caps, at most the total cap;
 *   allocation    a proposed allocation (when every member has one): each
 *                 within the member's rate limit, the amounts above own
 *                 caps within the pool, nothing for 'nothing' members, the
 *                 sum within the total cap;
 *   rules         share_of_members / share_of_subsidy (at least a fraction
 *                 of the members, or of the subsidy, where 'where' holds)
 *                 and not_highest (no member where 'where' holds has the
 *                 highest amount), each only when 'applies' holds for some
 *                 member. Amounts are the allocation when given, else each
 *                 member's own maximum.
 *
 * Everything is three-valued as in eval.c; a check that depends on an
 * unknown fact is unknown and the result lists which member lacks what.
 */
#include <stdio.h>
#include <string.h>
#include "hojo/alloc.h"
#include "hojo/group.h"
#include "facts-int.h"
#include "yaml.h"

int hj_frame_is_group(const hj_frame *f)
{
	return f->group.present;
}

static hj_truth member_bool(hj_facts *f, const hj_expr *e, hj_factset *m)
{
	hj_expr_rt rt;
	hj_facts_runtime(f, &rt);
	hj_value v = hj_expr_eval(e, &rt, m);
	return !v.known ? HJ_UNKNOWN : v.u.b ? HJ_TRUE : HJ_FALSE;
}

static hj_group_check *add_check(hj_group_result *g, const char *kind, const char *id, hj_truth t,
				 const char *source, const char *note)
{
	if (g->nchecks >= HJ_GROUP_MAX_CHECKS)
		return NULL;
	hj_group_check *c = &g->checks[g->nchecks++];
	c->kind = kind;
	c->id = id;
	c->result = t;
	c->text[0] = '\0';
	c->source = source ? source : "";
	c->note = note ? note : "";
	return c;
}

static void add_missing(hj_group_result *g, int member, const hj_factset *m)
{
	for (int i = 0; i < HJ_MAX_FACTS && g->nmissing < 64; i++) {
		if (!hj_factset_has(m, i))
			continue;
		int dup = 0;
		for (int k = 0; k < g->nmissing; k++)
			dup |= g->missing_member[k] == member && g->missing_fact[k] == i;
		if (!dup) {
			g->missing_member[g->nmissing] = member;
			g->missing_fact[g->nmissing++] = i;
		}
	}
}

static void add_result_missing(hj_group_result *g, int member, const hj_result *r)
{
	for (int i = 0; i < r->nmissing && g->nmissing < 64; i++) {
		hj_factset m;
		hj_factset_clear(&m);
		hj_factset_add(&m, r->missing[i]);
		add_missing(g, member, &m);
	}
}

/* The whole application's cap: "1,030万円（1,000万円 + 専門家… 30万円、
 *共同申請全体で1回）"; a bonus no member is known to qualify for is
 * named with 該当なし or 要確認. */
static void total_cap_text(const hj_frame *fr, const hj_truth *any, hj_yen shared_lo, char *buf, size_t size)
{
	const hj_group *gr = &fr->group;
	char t[64], add[64];
	hj_yen_format_short(gr->total_cap + shared_lo, t, sizeof t);
	size_t o = (size_t)snprintf(buf, size, "%s", t);
	for (int k = 0; k < gr->nshared_bonuses && o < size; k++) {
		const hj_bonus *bo = &fr->cap.bonuses[gr->shared_bonus[k]];
		hj_yen_format_short(k ? 0 : gr->total_cap, t, sizeof t);
		hj_yen_format_short(bo->yen, add, sizeof add);
		if (any[k] == HJ_TRUE)
			o += (size_t)snprintf(buf + o, size - o, "（%s + %s: %s、共同申請全体で1回）", t, add, bo->text);
		else
			o += (size_t)snprintf(buf + o, size - o, "（%s: %s）", bo->text,
					      any[k] == HJ_FALSE ? "該当する構成員なし" : "要確認");
	}
}

/* Combine check results into a verdict. */
static void fold(hj_truth t, int *any_false, int *any_unknown)
{
	if (t == HJ_FALSE)
		*any_false = 1;
	else if (t == HJ_UNKNOWN)
		*any_unknown = 1;
}

hj_status hj_group_evaluate(const hj_rulebook *rb, const hj_frame *frame, const hj_group_member *members, int n,
			    hj_member_result *mres, hj_group_result *out)
{
	const hj_group *gr = &frame->group;
	memset(out, 0, sizeof *out);
	out->frame = frame;
	out->nmembers = n;
	out->members = mres;
	int any_false = 0, any_unknown = 0;
	char a[64], b[300];
	hj_group_check *c;
	/* checked sums: the first member whose amount overflows one */
	int ovf = 0;
#define ADD(dst, v, who) ((void)(hj_yen_add((dst), (v), &(dst)) && !ovf && (ovf = (who) + 1)))

	/* the number of members */
	if (gr->min_members || gr->max_members) {
		int ok = (!gr->min_members || n >= gr->min_members) && (!gr->max_members || n <= gr->max_members);
		c = add_check(out, "members", "members", ok ? HJ_TRUE : HJ_FALSE, gr->members_source, "");
		if (c) {
			if (gr->max_members)
				snprintf(c->text, sizeof c->text, "構成員は%d〜%d者（%d者）", gr->min_members ? gr->min_members : 1,
					 gr->max_members, n);
			else
				snprintf(c->text, sizeof c->text, "構成員は%d者以上（%d者）", gr->min_members, n);
		}
		fold(ok ? HJ_TRUE : HJ_FALSE, &any_false, &any_unknown);
	}

	/* each member alone */
	int amounts_known = 1;
	hj_yen own_sum = 0, above_caps = 0;
	for (int i = 0; i < n; i++) {
		hj_member_result *m = &mres[i];
		memset(m, 0, sizeof *m);
		hj_evaluate(rb, members[i].facts, frame, &m->result);
		m->nothing = HJ_FALSE;
		if (gr->nothing_when) {
			hj_factset ms;
			hj_factset_clear(&ms);
			m->nothing = member_bool(members[i].facts, gr->nothing_when, &ms);
			if (m->nothing == HJ_UNKNOWN)
				add_missing(out, i, &ms);
		}
		hj_truth ok;
		if (m->nothing == HJ_TRUE) {
			ok = HJ_TRUE;
			m->max_known = 1;
			m->own_max = m->rate_limit = 0;
		} else {
			ok = m->result.verdict == HJ_ELIGIBLE ? HJ_TRUE
			     : m->result.verdict == HJ_INELIGIBLE ? HJ_FALSE
								 : HJ_UNKNOWN;
			if (m->nothing == HJ_UNKNOWN && ok == HJ_FALSE)
				ok = HJ_UNKNOWN;
			if (m->result.subsidy_known && m->nothing == HJ_FALSE) {
				m->max_known = 1;
				m->own_max = m->result.subsidy;
				m->rate_limit = m->result.uncapped > m->result.subsidy ? m->result.uncapped : m->result.subsidy;
			}
			if (ok == HJ_UNKNOWN)
				add_result_missing(out, i, &m->result);
		}
		if (!m->max_known)
			amounts_known = 0;
		else {
			ADD(own_sum, m->own_max, i);
			ADD(above_caps, m->rate_limit - m->own_max, i); /* 0 <= own_max <= rate_limit */
		}
		c = add_check(out, "member", "member", ok, frame->source, "");
		if (c) {
			const char *nm = members[i].name && members[i].name[0] ? members[i].name : "構成員";
			if (m->nothing == HJ_TRUE)
				snprintf(c->text, sizeof c->text, "%s: %s（補助対象外として参加）", nm, gr->nothing_text);
			else
				snprintf(c->text, sizeof c->text, "%s: この枠の対象%s", nm,
					 ok == HJ_TRUE ? "" : ok == HJ_FALSE ? "外" : "か要確認");
		}
		fold(ok, &any_false, &any_unknown);
	}

	/* cap bonuses granted once for the whole application (専門家: +30万円
	 * for the joint application as a whole): the group gets each one
	 * when some member qualifies, and what members' own caps gained from
	 * it counts at most once */
	hj_yen shared_lo = 0, shared_hi = 0, shared_gain = 0;
	hj_truth shared_any[HJ_MAX_BONUSES];
	for (int k = 0; k < gr->nshared_bonuses; k++) {
		const hj_bonus *bo = &frame->cap.bonuses[gr->shared_bonus[k]];
		hj_truth any = HJ_FALSE;
		for (int i = 0; i < n; i++) {
			hj_truth t = (hj_truth)mres[i].result.bonus[gr->shared_bonus[k]];
			if (mres[i].nothing == HJ_TRUE)
				continue;
			if (t == HJ_TRUE)
				any = HJ_TRUE;
			else if (t == HJ_UNKNOWN && any == HJ_FALSE)
				any = HJ_UNKNOWN;
		}
		shared_any[k] = any;
		if (any == HJ_TRUE)
			ADD(shared_lo, bo->yen, 0);
		if (any != HJ_FALSE)
			ADD(shared_hi, bo->yen, 0);
	}
	for (int i = 0; gr->nshared_bonuses && i < n; i++) {
		const hj_result *r = &mres[i].result;
		if (!mres[i].max_known || mres[i].nothing == HJ_TRUE || !r->cap_known)
			continue;
		hj_yen gained = 0;
		for (int k = 0; k < gr->nshared_bonuses; k++)
			if (r->bonus[gr->shared_bonus[k]] == HJ_TRUE)
				ADD(gained, frame->cap.bonuses[gr->shared_bonus[k]].yen, i);
		hj_yen main = r->uncapped < r->cap ? r->uncapped : r->cap;
		hj_yen without = r->uncapped < r->cap - gained ? r->uncapped : r->cap - gained;
		ADD(shared_gain, main - without, i); /* both within [cap - gained, cap] */
	}
	out->shared_bonus = shared_lo;

	/* the most the group can receive */
	if (hj_yen_mul(gr->pool_per_member, n, &out->pool) && !ovf)
		ovf = n;
	if (amounts_known) {
		hj_yen extra = above_caps < out->pool ? above_caps : out->pool, best[2];
		for (int w = 0; w < 2; w++) {
			hj_yen shared = w ? shared_hi : shared_lo, limit = gr->total_cap;
			best[w] = own_sum - shared_gain; /* shared_gain is part of own_sum */
			ADD(best[w], shared_gain < shared ? shared_gain : shared, n - 1);
			ADD(best[w], extra, n - 1);
			ADD(limit, shared, 0);
			if (gr->has_total_cap && best[w] > limit)
				best[w] = limit;
		}
		if (best[0] == best[1]) {
			out->max_total = best[0];
			out->max_known = 1;
		} else {
			/* whether some member qualifies for the shared bonus decides it */
			for (int i = 0; i < n; i++)
				for (int k = 0; k < gr->nshared_bonuses; k++) {
					int bi = gr->shared_bonus[k];
					if (mres[i].result.bonus[bi] == HJ_UNKNOWN && mres[i].nothing != HJ_TRUE) {
						hj_factset ms;
						hj_factset_clear(&ms);
						member_bool(members[i].facts, frame->cap.bonuses[bi].when, &ms);
						add_missing(out, i, &ms);
					}
				}
			any_unknown = 1;
		}
	}
	if (gr->pool_per_member) {
		c = add_check(out, "pool", "pool", HJ_TRUE, gr->pool_source, "");
		if (c) {
			hj_yen_format_short(gr->pool_per_member, a, sizeof a);
			hj_yen_format_short(out->pool, b, sizeof b);
			snprintf(c->text, sizeof c->text, "%s × %d者 = %s を連携体内で配分できる", a, n, b);
		}
	}

	/* a proposed allocation */
	int all_alloc = n > 0;
	for (int i = 0; i < n; i++)
		all_alloc &= members[i].has_allocation;
	if (all_alloc) {
		out->has_allocation = 1;
		hj_yen excess = 0;
		hj_truth t = HJ_TRUE;
		for (int i = 0; i < n; i++) {
			hj_member_result *m = &mres[i];
			hj_yen al = members[i].allocation;
			ADD(out->allocated, al, i);
			if (m->nothing == HJ_TRUE)
				m->allocation_ok = al == 0 ? HJ_TRUE : HJ_FALSE;
			else if (!m->max_known)
				m->allocation_ok = HJ_UNKNOWN;
			else if (al > m->rate_limit)
				m->allocation_ok = HJ_FALSE;
			else {
				m->allocation_ok = HJ_TRUE;
				if (al > m->own_max)
					ADD(excess, al - m->own_max, i);
			}
			if (m->allocation_ok == HJ_FALSE)
				t = HJ_FALSE;
			else if (m->allocation_ok == HJ_UNKNOWN && t == HJ_TRUE)
				t = HJ_UNKNOWN;
		}
		c = add_check(out, "allocation", "members", t, frame->source, "");
		if (c)
			snprintf(c->text, sizeof c->text, "各構成員への配分が、その者の補助率で計算した額以内%s",
				 gr->nothing_when ? "（補助対象外の者は0円）" : "");
		fold(t, &any_false, &any_unknown);
		if (t != HJ_FALSE) {
			hj_truth tp = excess <= out->pool ? HJ_TRUE : HJ_FALSE;
			if (t == HJ_UNKNOWN && tp == HJ_TRUE)
				tp = HJ_UNKNOWN;
			c = add_check(out, "allocation", "pool", tp, gr->pool_per_member ? gr->pool_source : frame->source, "");
			if (c) {
				hj_yen_format_short(excess, a, sizeof a);
				hj_yen_format_short(out->pool, b, sizeof b);
				snprintf(c->text, sizeof c->text, "各者の上限を超えて配分した額 %s が配分できる上乗せ %s 以内", a,
					 b);
			}
			fold(tp, &any_false, &any_unknown);
		}
		if (gr->has_total_cap) {
			hj_yen lim_lo = gr->total_cap, lim_hi = gr->total_cap;
			ADD(lim_lo, shared_lo, 0);
			ADD(lim_hi, shared_hi, 0);
			hj_truth tc = out->allocated <= lim_lo   ? HJ_TRUE
				      : out->allocated <= lim_hi ? HJ_UNKNOWN
								 : HJ_FALSE;
			c = add_check(out, "total_cap", "total_cap", tc, gr->total_cap_source, "");
			if (c) {
				hj_yen_format_short(out->allocated, a, sizeof a);
				total_cap_text(frame, shared_any, shared_lo, b, sizeof b);
				snprintf(c->text, sizeof c->text, "配分の合計 %s が共同申請全体の上限 %s 以内", a, b);
			}
			fold(tc, &any_false, &any_unknown);
		}
	} else if (gr->has_total_cap) {
		c = add_check(out, "total_cap", "total_cap", HJ_TRUE, gr->total_cap_source, "");
		if (c) {
			total_cap_text(frame, shared_any, shared_lo, b, sizeof b);
			snprintf(c->text, sizeof c->text, "共同申請全体の補助上限額 %s", b);
		}
	}

	/* share rules */
	for (int k = 0; k < gr->nrules; k++) {
		const hj_group_rule *r = &gr->rules[k];
		hj_truth applies = r->applies ? HJ_FALSE : HJ_TRUE;
		hj_factset mapp[HJ_GROUP_MAX_MEMBERS];
		for (int i = 0; r->applies && i < n; i++) {
			hj_factset_clear(&mapp[i]);
			hj_truth t = member_bool(members[i].facts, r->applies, &mapp[i]);
			if (t == HJ_TRUE)
				applies = HJ_TRUE;
			else if (t == HJ_UNKNOWN && applies == HJ_FALSE)
				applies = HJ_UNKNOWN;
		}
		hj_truth res = HJ_TRUE;
		char detail[200] = "";
		if (applies == HJ_FALSE) {
			snprintf(detail, sizeof detail, "（該当する構成員がいないため適用なし）");
		} else {
			int lo = 0, hi = 0;
			hj_yen amt_lo = 0, amt_hi = 0, total = 0;
			int amounts_ok = 1;
			hj_truth where[HJ_GROUP_MAX_MEMBERS];
			for (int i = 0; i < n; i++) {
				hj_factset m;
				hj_factset_clear(&m);
				where[i] = member_bool(members[i].facts, r->where, &m);
				if (where[i] == HJ_UNKNOWN)
					add_missing(out, i, &m);
				lo += where[i] == HJ_TRUE;
				hi += where[i] != HJ_FALSE;
				hj_yen amt = members[i].has_allocation && all_alloc ? members[i].allocation : mres[i].own_max;
				if (!(all_alloc || mres[i].max_known))
					amounts_ok = 0;
				ADD(total, amt, i);
				if (where[i] == HJ_TRUE)
					ADD(amt_lo, amt, i);
				if (where[i] != HJ_FALSE)
					ADD(amt_hi, amt, i);
			}
			hj_frac q = r->at_least;
			if (r->check == HJ_SHARE_MEMBERS) {
				/* lo/n >= q  <=>  lo * den >= q.num * n */
				int pass_lo = (long long)lo * q.den >= (long long)q.num * n;
				int pass_hi = (long long)hi * q.den >= (long long)q.num * n;
				res = pass_lo ? HJ_TRUE : pass_hi ? HJ_UNKNOWN : HJ_FALSE;
				char qq[16];
				hj_frac_format(q, qq, sizeof qq);
				snprintf(detail, sizeof detail, "（%d者のうち%d者、%s以上が必要）", n, lo, qq);
			} else if (r->check == HJ_SHARE_SUBSIDY) {
				if (!amounts_ok)
					res = HJ_UNKNOWN;
				else if (total == 0)
					res = HJ_TRUE;
				else {
					int pass_lo = (__int128)amt_lo * q.den >= (__int128)q.num * total;
					int pass_hi = (__int128)amt_hi * q.den >= (__int128)q.num * total;
					res = pass_lo ? HJ_TRUE : pass_hi ? HJ_UNKNOWN : HJ_FALSE;
				}
				char qq[16];
				hj_frac_format(q, qq, sizeof qq);
				hj_yen_format_short(amt_lo, a, sizeof a);
				hj_yen_format_short(total, b, sizeof b);
				snprintf(detail, sizeof detail, "（合計 %s のうち %s、%s以上が必要）", b, a, qq);
			} else { /* not_highest */
				if (!amounts_ok)
					res = HJ_UNKNOWN;
				for (int i = 0; i < n && res != HJ_UNKNOWN; i++) {
					if (where[i] == HJ_FALSE)
						continue;
					hj_yen mine = all_alloc ? members[i].allocation : mres[i].own_max;
					hj_yen best_other = -1;
					for (int j = 0; j < n; j++) {
						hj_yen other = all_alloc ? members[j].allocation : mres[j].own_max;
						if (j != i && other > best_other)
							best_other = other;
					}
					if (mine >= best_other) {
						res = where[i] == HJ_TRUE ? HJ_FALSE : HJ_UNKNOWN;
						if (res == HJ_FALSE)
							break;
					}
				}
			}
			if (applies == HJ_UNKNOWN && res == HJ_FALSE)
				res = HJ_UNKNOWN;
			if (applies == HJ_UNKNOWN)
				for (int i = 0; i < n; i++)
					add_missing(out, i, &mapp[i]);
		}
		c = add_check(out, "rule", r->id, res, r->source, r->note);
		if (c)
			snprintf(c->text, sizeof c->text, "%s%s", r->text, detail);
		fold(res, &any_false, &any_unknown);
	}

	out->verdict = any_false ? HJ_INELIGIBLE : any_unknown ? HJ_UNDETERMINED : HJ_ELIGIBLE;
	if (out->verdict == HJ_ELIGIBLE && !out->max_known)
		out->verdict = HJ_UNDETERMINED;
	if (out->verdict != HJ_UNDETERMINED)
		out->nmissing = 0;
#undef ADD
	out->overflow = ovf;
	return ovf ? HJ_ERR_RANGE : HJ_OK;
}

/* ------------------------------------------------------------------ */
/* Group input                                                         */

struct hj_group_input {
	const hj_rulebook *rb;
	char name[256];
	int has_date;
	hj_date date;
	int n;
	hj_group_member members[HJ_GROUP_MAX_MEMBERS];
	char names[HJ_GROUP_MAX_MEMBERS][128];
	hj_facts *facts[HJ_GROUP_MAX_MEMBERS];
};

void hj_group_input_free(hj_group_input *g)
{
	if (!g)
		return;
	for (int i = 0; i < g->n; i++)
		hj_facts_free(g->facts[i]);
	hj_free(g);
}

int hj_group_input_count(const hj_group_input *g) { return g->n; }
const hj_group_member *hj_group_input_members(const hj_group_input *g) { return g->members; }
const char *hj_group_input_name(const hj_group_input *g) { return g->name; }

int hj_group_input_date(const hj_group_input *g, hj_date *out)
{
	if (g->has_date)
		*out = g->date;
	return g->has_date;
}

static hj_status bad(hj_error *err, const char *file, struct fy_node *n, const char *field, const char *msg)
{
	return hj_error_set(err, HJ_ERR_INPUT, file, hj_yaml_line(n), hj_yaml_col(n), field, "%s", msg);
}

hj_status hj_group_input_load_text(const hj_rulebook *rb, const char *text, size_t len, const char *name,
				   hj_group_input **out, hj_error *err)
{
	*out = NULL;
	hj_error_clear(err);
	const char *file = name ? name : "";
	struct fy_document *doc = hj_yaml_parse(text, len, file, 0, HJ_ERR_INPUT, err);
	if (!doc)
		return err ? err->status : HJ_ERR_INPUT; /* HJ_ERR_NOMEM when out of memory */
	hj_status st = HJ_OK;
	hj_group_input *g = hj_calloc(1, sizeof *g);
	struct fy_node *root = fy_document_root(doc), *members = NULL;
	if (!g) {
		st = hj_error_set(err, HJ_ERR_NOMEM, file, 0, 0, NULL, "メモリが足りません");
		goto out;
	}
	g->rb = rb;
	if (!root || !fy_node_is_mapping(root)) {
		st = bad(err, file, root, NULL, "連携体の入力は date, name, members のマッピングです");
		goto out;
	}
	void *it = NULL;
	struct fy_node_pair *p;
	while ((p = fy_node_mapping_iterate(root, &it))) {
		struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
		size_t vl;
		const char *vs = hj_yaml_scalar(v, &vl);
		if (hj_yaml_is(k, "name")) {
			snprintf(g->name, sizeof g->name, "%.*s", (int)(vs ? vl : 0), vs ? vs : "");
		} else if (hj_yaml_is(k, "date")) {
			hj_error e;
			if (!vs || hj_date_parse(vs, vl, &g->date, &e)) {
				st = bad(err, file, v, "date", "申請日は YYYY-MM-DD で書いてください");
				goto out;
			}
			g->has_date = 1;
		} else if (hj_yaml_is(k, "members")) {
			members = v;
		} else {
			st = bad(err, file, k, NULL, "未知の項目です（date, name, members）");
			goto out;
		}
	}
	if (!members || !fy_node_is_sequence(members) || fy_node_sequence_item_count(members) < 1) {
		st = bad(err, file, members ? members : root, "members", "members（構成員のリスト）が必要です");
		goto out;
	}
	if (fy_node_sequence_item_count(members) > HJ_GROUP_MAX_MEMBERS) {
		st = bad(err, file, members, "members", "構成員が多すぎます");
		goto out;
	}
	it = NULL;
	struct fy_node *mn;
	static const char *const skip[] = { "name", "allocation", NULL };
	while ((mn = fy_node_sequence_iterate(members, &it))) {
		int i = g->n;
		char field[64];
		snprintf(field, sizeof field, "members[%d]", i);
		if (!fy_node_is_mapping(mn)) {
			st = bad(err, file, mn, field, "構成員は name, allocation, applicant, project のマッピングです");
			goto out;
		}
		if (hj_facts_new(rb, &g->facts[i])) {
			st = hj_error_set(err, HJ_ERR_NOMEM, file, 0, 0, NULL, "メモリが足りません");
			goto out;
		}
		g->n++;
		hj_facts *f = g->facts[i];
		g->members[i].facts = f;
		g->members[i].name = g->names[i];
		g->members[i].line = hj_yaml_line(mn);
		struct fy_node *nn = fy_node_mapping_lookup_by_string(mn, "name", FY_NT);
		struct fy_node *an = fy_node_mapping_lookup_by_string(mn, "allocation", FY_NT);
		size_t l;
		const char *s = hj_yaml_scalar(nn, &l);
		snprintf(g->names[i], sizeof g->names[i], "%.*s", (int)(s ? l : 0), s ? s : "");
		if (an) {
			hj_error e;
			s = hj_yaml_scalar(an, &l);
			if (!s || hj_yen_parse(s, l, &g->members[i].allocation, &e)) {
				snprintf(field, sizeof field, "members[%d].allocation", i);
				st = hj_error_set(err, HJ_ERR_INPUT, file, hj_yaml_line(an), hj_yaml_col(an), field, "%s",
						  s ? e.message : "配分額は金額で書いてください");
				goto out;
			}
			g->members[i].has_allocation = 1;
		}
		if ((st = hj_facts_load_node(f, mn, file, 0, skip, err)))
			goto out;
		if (g->has_date) {
			f->has_date = 1;
			f->date = g->date;
			if (rb->f_date >= 0) {
				f->vals[rb->f_date].known = 1;
				f->vals[rb->f_date].u.date = g->date;
			}
		}
		if (!g->names[i][0])
			snprintf(g->names[i], sizeof g->names[i], "%s", f->name[0] ? f->name : "構成員");
	}
out:
	fy_document_destroy(doc);
	if (st) {
		hj_group_input_free(g);
		return st;
	}
	*out = g;
	return HJ_OK;
}

hj_status hj_group_input_load(const hj_rulebook *rb, const char *path, hj_group_input **out, hj_error *err)
{
	size_t len;
	hj_error_clear(err);
	char *text = hj_read_file(path, &len, err, HJ_ERR_INPUT);
	if (!text)
		return err->status;
	hj_status st = hj_group_input_load_text(rb, text, len, path, out, err);
	hj_free(text);
	return st;
}
