/*
 * testing.c - the rule-case runner behind 'hojo test'.
 *
 * Case files (docs/testing.md):
 *
 *   base:                      # optional, applied before every input
 *     applicant: {legal_form: company, ...}
 *   cases:
 *     - name: 従業員25人の製造業の会社は一般型で経費1,500万円なら750万円
 *       date: 2019-06-01       # optional: only frames in force then
 *       program: monodukuri    # optional: 'selected' within this program
 *       input: {applicant: {...}, project: {...}}
 *       expect:
 *         classification: sme
 *         frames:
 *           mono-h30-ippan:
 *             verdict: eligible
 *             rate: 1/2           # or null for undetermined
 *             cap: 1,000万円      # or null
 *             lower_limit: 100万円
 *             subsidy: 750万円    # or null
 *             shortfall: 1円
 *             missing: [employees]
 *             expenses: 300万円   # the expense base used
 *             parts: {pc: 10万円}  # each part's amount (null: not known)
 *         selected: [frame ids]   # exactly the frames in force on 'date'
 *
 * Only the keys given are compared. The runner evaluates with the
 * library's own evaluator, so tests and production cannot drift apart.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "hojo/alloc.h"
#include "hojo/testing.h"
#include "hojo/group.h"
#include "hojo/plan.h"
#include "hojo/expenses.h"
#include "facts-int.h"
#include "yaml.h"

typedef struct run {
	const hj_rulebook *rb;
	hj_test_cb cb;
	void *ud;
	hj_test_counts *counts;
	unsigned char *covered;
	hj_error *err;
	const char *file;
	/* files and directories visited (device, inode): each is run once,
	 * and a symbolic link loop is not followed round again */
	struct stat *seen;
	int nseen, capseen;
} run;

static struct fy_node *get(struct fy_node *map, const char *key)
{
	if (!map || !fy_node_is_mapping(map))
		return NULL;
	return fy_node_mapping_lookup_by_string(map, key, FY_NT);
}

static hj_status bad(run *R, struct fy_node *n, const char *msg, const char *a)
{
	return hj_error_set(R->err, HJ_ERR_INPUT, R->file, hj_yaml_line(n), hj_yaml_col(n), NULL, msg, a);
}

/* An error quoting the scalar of node 'n' (fmt has one %.*s). */
static hj_status badk(run *R, struct fy_node *n, const char *fmt)
{
	size_t len;
	const char *k = hj_yaml_scalar(n, &len);
	return hj_error_set(R->err, HJ_ERR_INPUT, R->file, hj_yaml_line(n), hj_yaml_col(n), NULL, fmt,
			    (int)(k ? (len > 80 ? 80 : len) : 0), k ? k : "");
}

/* Reject a key of 'map' not in 'allowed', naming it and the known keys;
 * 'what' is "キー" or "期待キー". */
static hj_status check_keys(run *R, struct fy_node *map, const char *const *allowed, const char *what)
{
	struct fy_node *k = hj_yaml_unknown_key(map, allowed);
	if (!k)
		return HJ_OK;
	char list[300];
	size_t len;
	const char *t = hj_yaml_scalar(k, &len);
	hj_yaml_key_list(allowed, list, sizeof list);
	return hj_error_set(R->err, HJ_ERR_INPUT, R->file, hj_yaml_line(k), hj_yaml_col(k), NULL,
			    "未知の%s '%.*s'（%s）", what, (int)(t ? (len > 80 ? 80 : len) : 0), t ? t : "", list);
}

/* Count a case (passed when 'detail' is empty) and report it. */
static void record(run *R, struct fy_node *cn, const char *name, const char *detail)
{
	int ok = detail[0] == '\0';
	if (ok)
		R->counts->passed++;
	else
		R->counts->failed++;
	if (R->cb)
		R->cb(R->ud, R->file, hj_yaml_line(cn), name, ok, detail);
}

/* The frame named by scalar node 'n' (a frame id), or an error naming it;
 * with 'group' the frame must be a group frame. */
static hj_status frame_of(run *R, struct fy_node *n, int group, const hj_frame **out)
{
	size_t len;
	const char *k = hj_yaml_scalar(n, &len);
	char id[128];
	snprintf(id, sizeof id, "%.*s", (int)(k ? len : 0), k ? k : "");
	*out = hj_rulebook_find_frame(R->rb, id);
	if (!*out)
		return bad(R, n, "未知の枠 '%s'", id);
	if (group && !hj_frame_is_group(*out))
		return bad(R, n, "連携体の枠ではありません: '%s'", id);
	return HJ_OK;
}

static int is_null(struct fy_node *n)
{
	size_t len;
	const char *s = hj_yaml_scalar(n, &len);
	return !n || (s && fy_node_get_style(n) == FYNS_PLAIN &&
		      ((len == 4 && !memcmp(s, "null", 4)) || (len == 1 && s[0] == '~')));
}

/* Append to the detail buffer. */
static void note(char *d, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void note(char *d, size_t size, const char *fmt, ...)
{
	size_t o = strlen(d);
	if (o + 4 >= size)
		return;
	if (o)
		o += (size_t)snprintf(d + o, size - o, "; ");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d + o, size - o, fmt, ap);
	va_end(ap);
}

/* Compare an expected amount (or null) with a result field. */
static hj_status cmp_yen(run *R, struct fy_node *n, const char *what, int known, hj_yen got, char *d, size_t size)
{
	char g[64];
	if (known)
		hj_yen_format(got, g, sizeof g);
	else
		snprintf(g, sizeof g, "null");
	if (is_null(n)) {
		if (known)
			note(d, size, "%s: 期待 null、実際 %s", what, g);
		return HJ_OK;
	}
	size_t len;
	const char *s = hj_yaml_scalar(n, &len);
	hj_yen want;
	hj_error e;
	if (!s || hj_yen_parse(s, len, &want, &e))
		return bad(R, n, "%s は金額か null で書いてください", what);
	if (!known || want != got) {
		char w[64];
		hj_yen_format(want, w, sizeof w);
		note(d, size, "%s: 期待 %s、実際 %s", what, w, g);
	}
	return HJ_OK;
}

static hj_status check_frame(run *R, hj_facts *f, const hj_frame *fr, struct fy_node *exp, char *d, size_t size)
{
	static const char *const keys[] = { "verdict", "rate", "cap", "lower_limit", "subsidy", "shortfall",
					    "expenses_needed", "missing", "expenses", "parts", NULL };
	if (!fy_node_is_mapping(exp))
		return bad(R, exp, "%s の期待値はマッピングで書いてください", fr->id);
	hj_status cst = check_keys(R, exp, keys, "期待キー");
	if (cst)
		return cst;
	hj_result r;
	if (R->covered)
		R->covered[fr->index] = 1;
	hj_evaluate(R->rb, f, fr, &r);
	struct fy_node *n;
	size_t len;
	const char *s;
	if ((n = get(exp, "verdict"))) {
		s = hj_yaml_scalar(n, &len);
		const char *got = hj_verdict_name(r.verdict);
		if (!s || (strlen(got) != len || memcmp(got, s, len)))
			note(d, size, "%s verdict: 期待 %.*s、実際 %s", fr->id, (int)(s ? len : 0), s ? s : "", got);
	}
	if ((n = get(exp, "rate"))) {
		char g[32] = "null";
		if (r.rate_known)
			hj_frac_format(r.rate, g, sizeof g);
		if (is_null(n)) {
			if (r.rate_known)
				note(d, size, "%s rate: 期待 null、実際 %s", fr->id, g);
		} else {
			hj_frac want;
			hj_error e;
			s = hj_yaml_scalar(n, &len);
			if (!s || hj_frac_parse(s, len, &want, &e))
				return bad(R, n, "%s", "rate は 2/3 の形か null で書いてください");
			if (!r.rate_known || hj_frac_cmp(want, r.rate))
				note(d, size, "%s rate: 期待 %.*s、実際 %s", fr->id, (int)len, s, g);
		}
	}
	char what[160];
	hj_status st;
#define YEN_FIELD(key, known, val)                                                  \
	if ((n = get(exp, key))) {                                                  \
		snprintf(what, sizeof what, "%s %s", fr->id, key);                  \
		if ((st = cmp_yen(R, n, what, known, val, d, size)))                \
			return st;                                                  \
	}
	YEN_FIELD("cap", r.cap_known, r.cap)
	YEN_FIELD("lower_limit", r.has_lower, r.lower)
	YEN_FIELD("subsidy", r.subsidy_known, r.subsidy)
	YEN_FIELD("expenses", r.expenses_known, r.expenses)
	YEN_FIELD("shortfall", r.decided_by == HJ_BY_LOWER_LIMIT, r.shortfall)
	YEN_FIELD("expenses_needed", r.decided_by == HJ_BY_LOWER_LIMIT && r.expenses_needed_known,
		  r.expenses_needed)
#undef YEN_FIELD
	if ((n = get(exp, "parts"))) {
		if (!fy_node_is_mapping(n))
			return bad(R, n, "%s", "parts は 部分id: 金額 のマッピングです");
		void *it2 = NULL;
		struct fy_node_pair *pp;
		while ((pp = fy_node_mapping_iterate(n, &it2))) {
			const char *k = hj_yaml_scalar(fy_node_pair_key(pp), &len);
			int idx = -1;
			for (int i = 0; k && i < fr->nparts; i++)
				if (strlen(fr->parts[i].id) == len && !memcmp(fr->parts[i].id, k, len))
					idx = i;
			if (idx < 0)
				return badk(R, fy_node_pair_key(pp), "この枠に部分 '%.*s' はありません");
			snprintf(what, sizeof what, "%s parts.%s", fr->id, fr->parts[idx].id);
			int known = r.subsidy_known && r.part_state[idx] != HJ_FALSE;
			if ((st = cmp_yen(R, fy_node_pair_value(pp), what, known, r.part_subsidy[idx], d, size)))
				return st;
		}
	}
	if ((n = get(exp, "missing"))) {
		if (!fy_node_is_sequence(n))
			return bad(R, n, "%s", "missing は事実の名前のリストで書いてください");
		int want[64], nw = 0;
		void *it2 = NULL;
		struct fy_node *c;
		while ((c = fy_node_sequence_iterate(n, &it2))) {
			s = hj_yaml_scalar(c, &len);
			char nm[128];
			snprintf(nm, sizeof nm, "%.*s", (int)(s ? len : 0), s ? s : "");
			int id = hj_rb_fact_find(R->rb, nm);
			if (id < 0)
				return bad(R, c, "未知の事実 '%s'", nm);
			if (nw < 64)
				want[nw++] = id;
		}
		int same = nw == r.nmissing;
		for (int i = 0; same && i < nw; i++) {
			int found = 0;
			for (int k = 0; k < r.nmissing; k++)
				found |= r.missing[k] == want[i];
			same = found;
		}
		if (!same) {
			char g[600] = "";
			size_t o = 0;
			for (int k = 0; k < r.nmissing && o < sizeof g - 80; k++)
				o += (size_t)snprintf(g + o, sizeof g - o, "%s%s", k ? ", " : "",
						      R->rb->facts[r.missing[k]].name);
			note(d, size, "%s missing: 実際 [%s]", fr->id, g);
		}
	}
	return HJ_OK;
}

/* The scalars of a sequence, each followed by a space. */
static void seq_text(struct fy_node *seq, char *buf, size_t size)
{
	size_t o = 0, len;
	void *it = NULL;
	struct fy_node *c;
	buf[0] = '\0';
	while ((c = fy_node_sequence_iterate(seq, &it))) {
		const char *sv = hj_yaml_scalar(c, &len);
		o += (size_t)snprintf(buf + o, o < size ? size - o : 0, "%.*s ", (int)(sv ? len : 0), sv ? sv : "");
	}
}

static hj_truth truth_of(struct fy_node *n)
{
	size_t len;
	const char *s = hj_yaml_scalar(n, &len);
	if (is_null(n))
		return HJ_UNKNOWN;
	return s && len == 4 && !memcmp(s, "true", 4) ? HJ_TRUE : HJ_FALSE;
}

static const char *truth_name(hj_truth t)
{
	return t == HJ_TRUE ? "true" : t == HJ_FALSE ? "false" : "null";
}

/*
 * plans: {frame: {verdict, requirements: {id: true|false|null},
 *                  fix: {id: "the smallest change, exactly"}}}
 */
static hj_status check_plans(run *R, hj_facts *f, struct fy_node *plans, char *d, size_t size)
{
	if (!plans)
		return HJ_OK;
	void *it = NULL;
	struct fy_node_pair *p;
	while ((p = fy_node_mapping_iterate(plans, &it))) {
		const hj_frame *fr;
		hj_status st = frame_of(R, fy_node_pair_key(p), 0, &fr);
		if (st)
			return st;
		const char *id = fr->id;
		size_t len;
		if (R->covered)
			R->covered[fr->index] = 1;
		hj_plan_result pr;
		hj_error e;
		if (hj_plan_check(R->rb, f, fr, &pr, &e))
			return hj_error_set(R->err, HJ_ERR_INPUT, R->file, hj_yaml_line(p ? fy_node_pair_key(p) : NULL), 0,
					    NULL, "%s", e.message);
		struct fy_node *x = fy_node_pair_value(p), *v;
		if ((v = get(x, "verdict"))) {
			const char *sv = hj_yaml_scalar(v, &len), *got = hj_verdict_name(pr.verdict);
			if (!sv || strlen(got) != len || memcmp(got, sv, len))
				note(d, size, "%s plan verdict: 期待 %.*s、実際 %s", id, (int)(sv ? len : 0), sv ? sv : "", got);
		}
		struct fy_node *maps[2] = { get(x, "requirements"), get(x, "fix") };
		for (int m = 0; m < 2; m++) {
			if (!maps[m])
				continue;
			void *it2 = NULL;
			struct fy_node_pair *q;
			while ((q = fy_node_mapping_iterate(maps[m], &it2))) {
				const char *rk = hj_yaml_scalar(fy_node_pair_key(q), &len);
				const hj_req_result *rr = NULL;
				for (int i = 0; rk && i < pr.nreqs; i++)
					if (strlen(pr.reqs[i].id) == len && !memcmp(pr.reqs[i].id, rk, len))
						rr = &pr.reqs[i];
				if (!rr) {
					char nm[64];
					snprintf(nm, sizeof nm, "%.*s", (int)(rk ? len : 0), rk ? rk : "");
					return bad(R, fy_node_pair_key(q), "この枠に計画の要件 '%s' はありません", nm);
				}
				if (m == 0) {
					hj_truth want = truth_of(fy_node_pair_value(q));
					if (want != rr->result)
						note(d, size, "%s plan %s: 期待 %s、実際 %s（%s）", id, rr->id, truth_name(want),
						     truth_name(rr->result), rr->detail);
				} else {
					size_t fl;
					const char *fs = hj_yaml_scalar(fy_node_pair_value(q), &fl);
					if (!fs || strlen(rr->fix) != fl || memcmp(rr->fix, fs, fl))
						note(d, size, "%s plan %s fix: 期待 '%.*s'、実際 '%s'", id, rr->id, (int)(fs ? fl : 0),
						     fs ? fs : "", rr->fix);
				}
			}
		}
	}
	return HJ_OK;
}

/* expenses: {frame: {verdict, eligible_total, refused_total, pending_total,
 *                     subsidy, refused: [line names], pending: [line names],
 *                     rules: {id: true|false}}} */
static hj_status check_expenses(run *R, hj_facts *f, struct fy_node *xs, char *d, size_t size)
{
	if (!xs)
		return HJ_OK;
	hj_expense_result *x = hj_malloc(sizeof *x);
	if (!x)
		return hj_error_set(R->err, HJ_ERR_NOMEM, R->file, 0, 0, NULL, "メモリが足りません");
	hj_status st = HJ_OK;
	void *it = NULL;
	struct fy_node_pair *p;
	while ((p = fy_node_mapping_iterate(xs, &it))) {
		const hj_frame *fr;
		char what[200];
		if ((st = frame_of(R, fy_node_pair_key(p), 0, &fr)))
			break;
		const char *id = fr->id;
		size_t len;
		if (R->covered)
			R->covered[fr->index] = 1;
		hj_error e;
		if (hj_expense_check(R->rb, f, fr, x, &e)) {
			st = hj_error_set(R->err, HJ_ERR_INPUT, R->file, hj_yaml_line(fy_node_pair_key(p)), 0, NULL, "%s",
					  e.message);
			break;
		}
		struct fy_node *e2 = fy_node_pair_value(p), *v;
		if ((v = get(e2, "verdict"))) {
			const char *sv = hj_yaml_scalar(v, &len), *got = hj_verdict_name(x->verdict);
			if (!sv || strlen(got) != len || memcmp(got, sv, len))
				note(d, size, "%s expenses verdict: 期待 %.*s、実際 %s", id, (int)(sv ? len : 0), sv ? sv : "", got);
		}
		struct {
			const char *key;
			int known;
			hj_yen v;
		} ys[] = { { "eligible_total", 1, x->eligible_total },
			   { "refused_total", 1, x->refused_total },
			   { "pending_total", 1, x->pending_total },
			   { "subsidy", x->verdict == HJ_ELIGIBLE, x->result.subsidy } };
		for (size_t i = 0; i < sizeof ys / sizeof ys[0] && !st; i++)
			if ((v = get(e2, ys[i].key))) {
				snprintf(what, sizeof what, "%s expenses %s", id, ys[i].key);
				st = cmp_yen(R, v, what, ys[i].known, ys[i].v, d, size);
			}
		if (st)
			break;
		for (int pend = 0; pend < 2; pend++) {
			const char *key = pend ? "pending" : "refused";
			if (!(v = get(e2, key)))
				continue;
			char want[800], got[800] = "";
			size_t og = 0;
			seq_text(v, want, sizeof want);
			for (int i = 0; i < x->nlines; i++)
				if (!x->lines[i].accepted && x->lines[i].undetermined == pend)
					og += (size_t)snprintf(got + og, og < sizeof got ? sizeof got - og : 0, "%s ",
							       f->elines[i].name);
			if (strcmp(want, got))
				note(d, size, "%s expenses %s: 期待 [%s]、実際 [%s]", id, key, want, got);
		}
		if ((v = get(e2, "rules"))) {
			void *it2 = NULL;
			struct fy_node_pair *q;
			while ((q = fy_node_mapping_iterate(v, &it2))) {
				const char *rk = hj_yaml_scalar(fy_node_pair_key(q), &len);
				int found = 0;
				for (int i = 0; rk && i < x->nrules; i++)
					if (strlen(x->rules[i].id) == len && !memcmp(x->rules[i].id, rk, len)) {
						found = 1;
						hj_truth want = truth_of(fy_node_pair_value(q));
						if (want != x->rules[i].ok)
							note(d, size, "%s expenses rule %s: 期待 %s、実際 %s", id, x->rules[i].id,
							     truth_name(want), truth_name(x->rules[i].ok));
					}
				if (!found) {
					char nm[64];
					snprintf(nm, sizeof nm, "%.*s", (int)(rk ? len : 0), rk ? rk : "");
					st = bad(R, fy_node_pair_key(q), "この枠に経費の規則 '%s' はありません", nm);
					break;
				}
			}
		}
	}
	hj_free(x);
	return st;
}

/* Load a node (YAML) into facts through the production reader. */
static hj_status load_part(run *R, hj_facts *f, struct fy_node *n, const char *name)
{
	char *t = fy_emit_node_to_string(n, FYECF_MODE_JSON_ONELINE);
	if (!t)
		return hj_error_set(R->err, HJ_ERR_NOMEM, R->file, 0, 0, NULL, "メモリが足りません");
	hj_error e;
	hj_status st = hj_facts_load_text(f, t, strlen(t), R->file, 1, &e);
	free(t);
	if (st)
		return hj_error_set(R->err, HJ_ERR_INPUT, R->file, hj_yaml_line(n), 0, e.field, "ケース '%s' の入力: %s",
				    name, e.message);
	return HJ_OK;
}

/*
 * A group case: 'members' is a list of {name, allocation, input}; 'base'
 * applies to every member; expect.groups maps frame ids to
 *   {verdict, max_total, allocated, members: [{verdict, own_max,
 *    allocation_ok, nothing}], failing: [check ids that are false],
 *    missing: ["member name:fact"]}.
 */
static hj_status run_group_case(run *R, struct fy_node *base, struct fy_node *cn, const char *name,
				struct fy_node *exp)
{
	static const char *const mkeys[] = { "name", "allocation", "input", NULL };
	struct fy_node *ml = get(cn, "members");
	if (!fy_node_is_sequence(ml) || fy_node_sequence_item_count(ml) < 1 ||
	    fy_node_sequence_item_count(ml) > HJ_GROUP_MAX_MEMBERS)
		return bad(R, ml, "%s", "members は構成員のリストです");
	hj_group_member ms[HJ_GROUP_MAX_MEMBERS];
	hj_facts *fs[HJ_GROUP_MAX_MEMBERS];
	char names[HJ_GROUP_MAX_MEMBERS][64];
	int n = 0;
	hj_status st = HJ_OK;
	void *it = NULL;
	struct fy_node *mn;
	struct fy_node *dn = get(cn, "date");
	while ((mn = fy_node_sequence_iterate(ml, &it))) {
		if ((st = check_keys(R, mn, mkeys, "キー")))
			goto out;
		if (hj_facts_new(R->rb, &fs[n])) {
			st = hj_error_set(R->err, HJ_ERR_NOMEM, R->file, 0, 0, NULL, "メモリが足りません");
			goto out;
		}
		memset(&ms[n], 0, sizeof ms[n]);
		ms[n].facts = fs[n];
		size_t len;
		const char *nm = hj_yaml_scalar(get(mn, "name"), &len);
		snprintf(names[n], sizeof names[n], "%.*s", (int)(nm ? len : 0), nm ? nm : "");
		ms[n].name = names[n];
		n++;
		if ((base && (st = load_part(R, fs[n - 1], base, name))) ||
		    (get(mn, "input") && (st = load_part(R, fs[n - 1], get(mn, "input"), name))))
			goto out;
		if (dn) {
			char buf[64];
			const char *ds = hj_yaml_scalar(dn, &len);
			snprintf(buf, sizeof buf, "{\"date\": \"%.*s\"}", (int)(ds && len < 20 ? len : 0), ds ? ds : "");
			hj_error e;
			if (hj_facts_load_text(fs[n - 1], buf, strlen(buf), R->file, 1, &e)) {
				st = bad(R, dn, "%s", "date は YYYY-MM-DD で書いてください");
				goto out;
			}
		}
		struct fy_node *an = get(mn, "allocation");
		if (an) {
			hj_error e;
			const char *as = hj_yaml_scalar(an, &len);
			if (!as || hj_yen_parse(as, len, &ms[n - 1].allocation, &e)) {
				st = bad(R, an, "%s", "allocation は金額で書いてください");
				goto out;
			}
			ms[n - 1].has_allocation = 1;
		}
	}
	char detail[2000] = "";
	struct fy_node *groups = get(exp, "groups");
	if (!groups || !fy_node_is_mapping(groups)) {
		st = bad(R, exp, "%s", "連携体のケースには expect.groups（枠id: 期待値）が必要です");
		goto out;
	}
	it = NULL;
	struct fy_node_pair *gp;
	while ((gp = fy_node_mapping_iterate(groups, &it))) {
		const hj_frame *fr;
		if ((st = frame_of(R, fy_node_pair_key(gp), 1, &fr)))
			goto out;
		const char *id = fr->id;
		size_t len;
		if (R->covered)
			R->covered[fr->index] = 1;
		static hj_member_result mres[HJ_GROUP_MAX_MEMBERS];
		hj_group_result g;
		if (hj_group_evaluate(R->rb, fr, ms, n, mres, &g)) {
			st = hj_error_set(R->err, HJ_ERR_INPUT, R->file, hj_yaml_line(cn), hj_yaml_col(cn), NULL,
					  "%s: 構成員 %d の金額で合計が計算できる範囲を超えます", id, g.overflow);
			goto out;
		}
		struct fy_node *e = fy_node_pair_value(gp), *x;
		const char *sv;
		if ((x = get(e, "verdict"))) {
			sv = hj_yaml_scalar(x, &len);
			const char *got = hj_verdict_name(g.verdict);
			if (!sv || strlen(got) != len || memcmp(got, sv, len))
				note(detail, sizeof detail, "%s verdict: 期待 %.*s、実際 %s", id, (int)(sv ? len : 0), sv ? sv : "",
				     got);
		}
		char what[200];
		if ((x = get(e, "max_total"))) {
			snprintf(what, sizeof what, "%s max_total", id);
			if ((st = cmp_yen(R, x, what, g.max_known, g.max_total, detail, sizeof detail)))
				goto out;
		}
		if ((x = get(e, "allocated"))) {
			snprintf(what, sizeof what, "%s allocated", id);
			if ((st = cmp_yen(R, x, what, g.has_allocation, g.allocated, detail, sizeof detail)))
				goto out;
		}
		if ((x = get(e, "members"))) {
			void *it3 = NULL;
			struct fy_node *me;
			int i = 0;
			while ((me = fy_node_sequence_iterate(x, &it3)) && i < n) {
				struct fy_node *y;
				if ((y = get(me, "verdict"))) {
					sv = hj_yaml_scalar(y, &len);
					const char *got = hj_verdict_name(mres[i].result.verdict);
					if (!sv || strlen(got) != len || memcmp(got, sv, len))
						note(detail, sizeof detail, "%s %s verdict: 期待 %.*s、実際 %s", id, names[i],
						     (int)(sv ? len : 0), sv ? sv : "", got);
				}
				if ((y = get(me, "own_max"))) {
					snprintf(what, sizeof what, "%s %s own_max", id, names[i]);
					if ((st = cmp_yen(R, y, what, mres[i].max_known, mres[i].own_max, detail, sizeof detail)))
						goto out;
				}
				struct fy_node *flags[2] = { get(me, "allocation_ok"), get(me, "nothing") };
				hj_truth vals[2] = { mres[i].allocation_ok, mres[i].nothing };
				const char *fn[2] = { "allocation_ok", "nothing" };
				for (int q = 0; q < 2; q++) {
					if (!flags[q])
						continue;
					sv = hj_yaml_scalar(flags[q], &len);
					hj_truth want = is_null(flags[q]) ? HJ_UNKNOWN
							: (sv && len == 4 && !memcmp(sv, "true", 4)) ? HJ_TRUE : HJ_FALSE;
					if (want != vals[q])
						note(detail, sizeof detail, "%s %s %s: 期待 %s、実際 %s", id, names[i], fn[q],
						     want == HJ_TRUE ? "true" : want == HJ_FALSE ? "false" : "null",
						     vals[q] == HJ_TRUE ? "true" : vals[q] == HJ_FALSE ? "false" : "null");
				}
				i++;
			}
		}
		if ((x = get(e, "failing"))) {
			char want[600], got[600] = "";
			size_t og = 0;
			seq_text(x, want, sizeof want);
			for (int i = 0; i < g.nchecks; i++)
				if (g.checks[i].result == HJ_FALSE)
					og += (size_t)snprintf(got + og, og < sizeof got ? sizeof got - og : 0, "%s ", g.checks[i].id);
			if (strcmp(want, got))
				note(detail, sizeof detail, "%s failing: 期待 [%s]、実際 [%s]", id, want, got);
		}
		if ((x = get(e, "missing"))) {
			char want[600], got[600] = "";
			size_t og = 0;
			seq_text(x, want, sizeof want);
			for (int i = 0; i < g.nmissing; i++)
				og += (size_t)snprintf(got + og, og < sizeof got ? sizeof got - og : 0, "%s:%s ",
						       names[g.missing_member[i]], hj_fact_name(R->rb, g.missing_fact[i]));
			if (strcmp(want, got))
				note(detail, sizeof detail, "%s missing: 期待 [%s]、実際 [%s]", id, want, got);
		}
	}
	record(R, cn, name, detail);
out:
	for (int i = 0; i < n; i++)
		hj_facts_free(fs[i]);
	return st;
}

static hj_status run_case(run *R, struct fy_node *base, struct fy_node *cn, hj_facts *f)
{
	static const char *const keys[] = { "name", "date", "program", "input", "members", "expect", NULL };
	void *it = NULL;
	struct fy_node_pair *p;
	if (!fy_node_is_mapping(cn))
		return bad(R, cn, "%s", "ケースは name, input, expect のマッピングです");
	hj_status cst = check_keys(R, cn, keys, "キー");
	if (cst)
		return cst;
	size_t len;
	const char *nm = hj_yaml_scalar(get(cn, "name"), &len);
	if (!nm || !len)
		return bad(R, cn, "%s", "ケースに name がありません");
	char name[400];
	snprintf(name, sizeof name, "%.*s", (int)len, nm);
	struct fy_node *in = get(cn, "input"), *exp = get(cn, "expect");
	if (!exp || !fy_node_is_mapping(exp))
		return bad(R, cn, "%s", "ケースに expect がありません");
	if (get(cn, "members"))
		return run_group_case(R, base, cn, name, exp);
	hj_facts_reset(f);
	hj_status st;
	/* Apply base then input, by emitting each as text and loading it:
	 * the input reader is the one production uses. */
	struct fy_node *parts[2] = { base, in };
	for (int i = 0; i < 2; i++) {
		if (!parts[i])
			continue;
		char *t = fy_emit_node_to_string(parts[i], FYECF_MODE_JSON_ONELINE);
		if (!t)
			return hj_error_set(R->err, HJ_ERR_NOMEM, R->file, 0, 0, NULL, "メモリが足りません");
		hj_error e;
		st = hj_facts_load_text(f, t, strlen(t), R->file, 1, &e);
		free(t);
		if (st) {
			char msg[600];
			snprintf(msg, sizeof msg, "%s%s: %s", e.field, e.field[0] ? "" : "", e.message);
			return hj_error_set(R->err, HJ_ERR_INPUT, R->file, hj_yaml_line(parts[i]), 0, e.field,
					    "ケース '%s' の入力: %s", name, e.message);
		}
	}
	hj_selection sel = { 0 };
	char prog[64];
	struct fy_node *pn = get(cn, "program");
	if (pn) {
		const char *s = hj_yaml_scalar(pn, &len);
		snprintf(prog, sizeof prog, "%.*s", (int)(s ? len : 0), s ? s : "");
		int found = 0;
		for (int i = 0; i < hj_rulebook_nprograms(R->rb); i++)
			found |= !strcmp(hj_program_id(hj_rulebook_program(R->rb, i)), prog);
		if (!found)
			return bad(R, pn, "未知の制度 '%s'", prog);
		sel.program = prog;
	}
	struct fy_node *dn = get(cn, "date");
	if (dn) {
		const char *s = hj_yaml_scalar(dn, &len);
		hj_error e;
		if (!s || hj_date_parse(s, len, &sel.date, &e))
			return bad(R, dn, "%s", "date は YYYY-MM-DD で書いてください");
		sel.has_date = 1;
	}
	char detail[2000] = "";
	static const char *const ekeys[] = { "classification", "frames", "selected", "groups", "plans", "expenses", NULL };
	if ((cst = check_keys(R, exp, ekeys, "期待キー")))
		return cst;
	struct fy_node *cl = get(exp, "classification");
	if (cl) {
		hj_facts_use_size(f, 0);
		hj_classify(f);
		hj_value v = f->derived[HJ_DER_SIZE_CLASS];
		const char *got = hj_size_class_id(R->rb, v.known ? v.u.sym : -1);
		const char *s = hj_yaml_scalar(cl, &len);
		if (is_null(cl)) {
			if (got)
				note(detail, sizeof detail, "classification: 期待 null、実際 %s", got);
		} else if (!s || !got || strlen(got) != len || memcmp(got, s, len))
			note(detail, sizeof detail, "classification: 期待 %.*s、実際 %s", (int)(s ? len : 0), s ? s : "",
			     got ? got : "null");
	}
	struct fy_node *frames = get(exp, "frames");
	if (frames) {
		if (!fy_node_is_mapping(frames))
			return bad(R, frames, "%s", "frames は 枠id: 期待値 のマッピングです");
		it = NULL;
		while ((p = fy_node_mapping_iterate(frames, &it))) {
			const hj_frame *fr;
			if ((st = frame_of(R, fy_node_pair_key(p), 0, &fr)))
				return st;
			if (sel.has_date && !hj_frame_in_force(fr, sel.date))
				note(detail, sizeof detail, "%s: この日付では受付期間外", fr->id);
			if ((st = check_frame(R, f, fr, fy_node_pair_value(p), detail, sizeof detail)))
				return st;
		}
	}
	if ((st = check_plans(R, f, get(exp, "plans"), detail, sizeof detail)) ||
	    (st = check_expenses(R, f, get(exp, "expenses"), detail, sizeof detail)))
		return st;
	struct fy_node *selected = get(exp, "selected");
	if (selected) {
		if (!fy_node_is_sequence(selected))
			return bad(R, selected, "%s", "selected は枠idのリストです");
		char want[2000] = "", got[2000] = "";
		size_t ow = 0, og = 0;
		/* both lists in rulebook order */
		for (int i = 0; i < R->rb->nframes; i++) {
			const hj_frame *fr = R->rb->frames[i];
			if (hj_frame_selected(fr, &sel) && og < sizeof got - 100)
				og += (size_t)snprintf(got + og, sizeof got - og, "%s ", fr->id);
			void *it2 = NULL;
			struct fy_node *c;
			while ((c = fy_node_sequence_iterate(selected, &it2))) {
				const char *s = hj_yaml_scalar(c, &len);
				if (s && strlen(fr->id) == len && !memcmp(fr->id, s, len) && ow < sizeof want - 100)
					ow += (size_t)snprintf(want + ow, sizeof want - ow, "%s ", fr->id);
			}
		}
		void *it2 = NULL;
		struct fy_node *c;
		while ((c = fy_node_sequence_iterate(selected, &it2))) {
			const hj_frame *fr;
			if ((st = frame_of(R, c, 0, &fr)))
				return st;
		}
		if (strcmp(want, got))
			note(detail, sizeof detail, "selected: 期待 [%s]、実際 [%s]", want, got);
	}
	record(R, cn, name, detail);
	return HJ_OK;
}

static hj_status run_file(run *R, const char *path, hj_facts *f)
{
	size_t len;
	R->file = path;
	char *text = hj_read_file(path, &len, R->err, HJ_ERR_INPUT);
	if (!text)
		return R->err->status;
	/* libfyaml reads from 'text' for as long as the document lives */
	struct fy_document *doc = hj_yaml_parse(text, len, path, 0, HJ_ERR_INPUT, R->err);
	if (!doc) {
		hj_free(text);
		return R->err->status; /* HJ_ERR_NOMEM when out of memory */
	}
	hj_status st = HJ_OK;
	struct fy_node *root = fy_document_root(doc);
	struct fy_node *cases = get(root, "cases");
	static const char *const keys[] = { "base", "cases", NULL };
	void *it = NULL;
	if (!root || !fy_node_is_mapping(root) || !cases || !fy_node_is_sequence(cases)) {
		st = hj_error_set(R->err, HJ_ERR_INPUT, path, 1, 1, NULL, "テストファイルには cases のリストが必要です");
		goto out;
	}
	if ((st = check_keys(R, root, keys, "キー")))
		goto out;
	struct fy_node *c;
	while ((c = fy_node_sequence_iterate(cases, &it)))
		if ((st = run_case(R, get(root, "base"), c, f)))
			break;
out:
	fy_document_destroy(doc);
	hj_free(text);
	return st;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static hj_status run_path(run *R, const char *path, hj_facts *f, int depth)
{
	struct stat sb, lb;
	if (stat(path, &sb)) {
		int en = errno;
		if (!lstat(path, &lb) && S_ISLNK(lb.st_mode))
			return hj_error_set(R->err, HJ_ERR_INPUT, path, 0, 0, NULL, "%s",
					    en == ELOOP ? "シンボリックリンクが輪になっています"
							: "シンボリックリンクの先がありません（壊れたリンク）");
		return hj_error_set(R->err, HJ_ERR_INPUT, path, 0, 0, NULL, "テストのパスが見つかりません");
	}
	for (int i = 0; i < R->nseen; i++)
		if (R->seen[i].st_dev == sb.st_dev && R->seen[i].st_ino == sb.st_ino)
			return HJ_OK; /* already run (another link to it, or a loop) */
	if (R->nseen == R->capseen) {
		int nc = R->capseen ? R->capseen * 2 : 64;
		struct stat *ns = hj_realloc(R->seen, (size_t)nc * sizeof *ns);
		if (!ns)
			return hj_error_set(R->err, HJ_ERR_NOMEM, path, 0, 0, NULL, "メモリが足りません");
		R->seen = ns;
		R->capseen = nc;
	}
	R->seen[R->nseen++] = sb;
	if (!S_ISDIR(sb.st_mode))
		return run_file(R, path, f);
	if (depth > 8)
		return HJ_OK;
	DIR *d = opendir(path);
	if (!d)
		return hj_error_set(R->err, HJ_ERR_INPUT, path, 0, 0, NULL, "ディレクトリを開けません");
	char **names = NULL;
	int n = 0, cap = 0;
	struct dirent *e;
	hj_status st = HJ_OK;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			char **nn = hj_realloc(names, (size_t)cap * sizeof *nn);
			if (!nn) {
				st = HJ_ERR_NOMEM;
				break;
			}
			names = nn;
		}
		size_t need = strlen(path) + strlen(e->d_name) + 2;
		names[n] = hj_malloc(need);
		if (!names[n]) {
			st = HJ_ERR_NOMEM;
			break;
		}
		snprintf(names[n], need, "%s/%s", path, e->d_name);
		n++;
	}
	closedir(d);
	if (!st && n > 1)
		qsort(names, (size_t)n, sizeof *names, cmp_str);
	for (int i = 0; i < n && !st; i++) {
		struct stat s2;
		size_t l = strlen(names[i]);
		if (stat(names[i], &s2) || S_ISDIR(s2.st_mode))
			st = run_path(R, names[i], f, depth + 1); /* says what is wrong with a link */
		else if (l > 5 && !strcmp(names[i] + l - 5, ".yaml"))
			st = S_ISREG(s2.st_mode) ? run_path(R, names[i], f, depth + 1)
						 : hj_error_set(R->err, HJ_ERR_INPUT, names[i], 0, 0, NULL,
								"通常のファイルではありません（FIFO・デバイスなどは読みません）");
	}
	for (int i = 0; i < n; i++)
		hj_free(names[i]);
	hj_free(names);
	if (st == HJ_ERR_NOMEM && !R->err->message[0])
		hj_error_set(R->err, HJ_ERR_NOMEM, path, 0, 0, NULL, "メモリが足りません");
	return st;
}

hj_status hj_test_run(const hj_rulebook *rb, const char *path, hj_test_cb cb, void *ud, hj_test_counts *counts,
		      unsigned char *covered, hj_error *err)
{
	hj_error_clear(err);
	hj_facts *f;
	if (hj_facts_new(rb, &f))
		return hj_error_set(err, HJ_ERR_NOMEM, path, 0, 0, NULL, "メモリが足りません");
	run R = { rb, cb, ud, counts, covered, err, path };
	int before = counts->passed + counts->failed;
	hj_status st = run_path(&R, path, f, 0);
	if (!st && counts->passed + counts->failed == before)
		st = hj_error_set(err, HJ_ERR_INPUT, path, 0, 0, NULL,
				  "テストケースがありません（*.yaml の cases がひとつもありません）");
	hj_free(R.seen);
	if (covered) {
		counts->frames_covered = 0;
		for (int i = 0; i < rb->nframes; i++)
			counts->frames_covered += covered[i] ? 1 : 0;
	}
	hj_facts_free(f);
	return st;
}
