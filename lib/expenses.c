/*
 * expenses.c - expense lines against a frame (see hojo/expenses.h).
 *
 * The frame is evaluated by the ordinary evaluator: for the duration of
 * the check, each fact the frame's categories add up to ('expenses',
 * or for example 'jizokuka.infection_expenses') is set to the total of
 * the accepted lines of those categories, then restored, so the amounts
 * come from exactly the same rules as a single total would.
 */
#include <stdio.h>
#include <string.h>
#include "hojo/alloc.h"
#include "hojo/expenses.h"
#include "facts-int.h"
#include "yaml.h"

int hj_facts_nlines(const hj_facts *f) { return f->nelines; }
const hj_expense_line *hj_facts_line(const hj_facts *f, int i) { return &f->elines[i]; }

static int cat_is(const char *id, const char *name, const char *c, size_t cl)
{
	return (strlen(id) == cl && !memcmp(id, c, cl)) || (name && strlen(name) == cl && !memcmp(name, c, cl));
}

/* Whether the rulebook knows category 'c' (a frame lists it, by id or
 * name, or it is a kind of excluded_expenses). */
static int known_category(const hj_rulebook *rb, const char *c, size_t cl)
{
	for (int x = 0; x < rb->nexcluded; x++)
		if (cat_is(rb->excluded[x].id, rb->excluded[x].name, c, cl))
			return 1;
	for (int i = 0; i < rb->nframes; i++)
		for (int k = 0; k < rb->frames[i]->ncats; k++)
			if (cat_is(rb->frames[i]->cats[k].id, rb->frames[i]->cats[k].name, c, cl))
				return 1;
	return 0;
}

/* Append id to the list in buf unless it is there already. */
static void add_id(char *buf, size_t size, const char *id)
{
	size_t n = strlen(buf), il = strlen(id);
	for (const char *p = buf; (p = strstr(p, id)); p += il)
		if ((p == buf || p[-1] == ' ') && (p[il] == ',' || p[il] == '\0'))
			return;
	snprintf(buf + n, size - n, "%s%s", n ? ", " : "", id);
}

/* The ids of every category the rulebook knows, for an error message. */
static void valid_categories(const hj_rulebook *rb, char *buf, size_t size)
{
	buf[0] = '\0';
	for (int i = 0; i < rb->nframes; i++)
		for (int k = 0; k < rb->frames[i]->ncats; k++)
			add_id(buf, size, rb->frames[i]->cats[k].id);
	for (int x = 0; x < rb->nexcluded; x++)
		add_id(buf, size, rb->excluded[x].id);
}

/* Read 'expense_lines:' of an input. */
hj_status hj_lines_parse_node(hj_facts *f, struct fy_node *n, const char *file, int line0, hj_error *err)
{
	static const char *const keys[] = { "name", "category", "unit_price", "quantity", NULL };
	if (!n || !fy_node_is_sequence(n))
		return hj_error_set(err, HJ_ERR_INPUT, file, hj_yaml_line(n) + line0, hj_yaml_col(n), "expense_lines",
				    "expense_lines は経費の行のリストです（name, category, unit_price, quantity）");
	if (fy_node_sequence_item_count(n) > HJ_MAX_LINES)
		return hj_error_set(err, HJ_ERR_INPUT, file, hj_yaml_line(n) + line0, 0, "expense_lines",
				    "経費の行は%d行までです", HJ_MAX_LINES);
	if (!f->elines && !(f->elines = hj_calloc(HJ_MAX_LINES, sizeof *f->elines)))
		return hj_error_set(err, HJ_ERR_NOMEM, file, 0, 0, NULL, "メモリが足りません");
	f->nelines = 0;
	hj_yen total = 0; /* every total check() forms is at most this */
	void *it = NULL;
	struct fy_node *ln;
	while ((ln = fy_node_sequence_iterate(n, &it))) {
		hj_expense_line *l = &f->elines[f->nelines];
		char field[64];
		snprintf(field, sizeof field, "expense_lines[%d]", f->nelines);
		memset(l, 0, sizeof *l);
		l->line = hj_yaml_line(ln) + line0;
		l->quantity = 1;
		if (!fy_node_is_mapping(ln))
			return hj_error_set(err, HJ_ERR_INPUT, file, l->line, 0, field,
					    "経費の行は name, category, unit_price, quantity のマッピングです");
		int has_price = 0, has_cat = 0;
		void *it2 = NULL;
		struct fy_node_pair *p;
		while ((p = fy_node_mapping_iterate(ln, &it2))) {
			size_t kl, vl;
			const char *k = hj_yaml_scalar(fy_node_pair_key(p), &kl);
			struct fy_node *vn = fy_node_pair_value(p);
			const char *v = hj_yaml_scalar(vn, &vl);
			char f2[120];
			snprintf(f2, sizeof f2, "%s.%.*s", field, (int)(k ? kl : 0), k ? k : "");
			int ki = hj_str_index(keys, k, kl);
			if (ki < 0)
				return hj_error_set(err, HJ_ERR_INPUT, file, hj_yaml_line(fy_node_pair_key(p)) + line0,
						    hj_yaml_col(fy_node_pair_key(p)), f2,
						    "未知の項目です（name, category, unit_price, quantity）");
			if (!v)
				return hj_error_set(err, HJ_ERR_INPUT, file, hj_yaml_line(vn) + line0, hj_yaml_col(vn), f2,
						    "値が必要です");
			if (ki == 0)
				snprintf(l->name, sizeof l->name, "%.*s", (int)vl, v);
			else if (ki == 1) {
				if (!known_category(f->rb, v, vl)) {
					char ids[900];
					valid_categories(f->rb, ids, sizeof ids);
					return hj_error_set(err, HJ_ERR_INPUT, file, hj_yaml_line(vn) + line0, hj_yaml_col(vn), f2,
							    "経費の区分 '%.*s' は規則集にありません。使える区分: %s", (int)vl, v, ids);
				}
				snprintf(l->category, sizeof l->category, "%.*s", (int)vl, v);
				has_cat = 1;
			} else if (ki == 2) {
				hj_error e;
				if (hj_yen_parse(v, vl, &l->unit_price, &e))
					return hj_error_set(err, HJ_ERR_INPUT, file, hj_yaml_line(vn) + line0, hj_yaml_col(vn), f2,
							    "%s", e.message);
				has_price = 1;
			} else {
				int64_t q = 0;
				size_t i = 0;
				for (; i < vl && i < 9 && v[i] >= '0' && v[i] <= '9'; i++)
					q = q * 10 + (v[i] - '0');
				if (i == 0 || i != vl || q < 1)
					return hj_error_set(err, HJ_ERR_INPUT, file, hj_yaml_line(vn) + line0, hj_yaml_col(vn), f2,
							    "数量は1以上の整数で書きます");
				l->quantity = q;
			}
		}
		if (!has_cat || !has_price)
			return hj_error_set(err, HJ_ERR_INPUT, file, l->line, 0, field, "category と unit_price が必要です");
		if (hj_yen_mul(l->unit_price, l->quantity, &l->amount))
			return hj_error_set(err, HJ_ERR_INPUT, file, l->line, 0, field, "金額が大きすぎます");
		if (l->amount < 0 || hj_yen_add(total, l->amount, &total))
			return hj_error_set(err, HJ_ERR_INPUT, file, l->line, 0, field,
					    "経費の行の金額の合計が大きすぎます（9,223,372,036,854,775,807円まで）");
		f->nelines++;
	}
	return HJ_OK;
}

static hj_status check(const hj_rulebook *rb, hj_facts *f, const hj_frame *fr, hj_expense_result *out,
		       hj_error *err, int keep);

hj_status hj_expense_check(const hj_rulebook *rb, hj_facts *f, const hj_frame *fr, hj_expense_result *out,
			   hj_error *err)
{
	return check(rb, f, fr, out, err, 0);
}

hj_status hj_expense_apply(const hj_rulebook *rb, hj_facts *f, const hj_frame *fr, hj_expense_result *out,
			   hj_error *err)
{
	return check(rb, f, fr, out, err, 1);
}

static hj_status check(const hj_rulebook *rb, hj_facts *f, const hj_frame *fr, hj_expense_result *out,
		       hj_error *err, int keep)
{
	memset(out, 0, sizeof *out);
	out->frame = fr;
	if (!f->nelines)
		return hj_error_set(err, HJ_ERR_INPUT, f->file, 0, 0, "expense_lines", "入力に expense_lines（経費の行）がありません");
	/* the facts this frame's categories add up to */
	int targets[HJ_MAX_LINE_CATS + 1], ntargets = 0;
	hj_yen sums[HJ_MAX_LINE_CATS + 1];
	for (int c = 0; c < fr->ncats && c < HJ_MAX_LINE_CATS; c++) {
		for (int k = 0; k < fr->cats[c].nfacts; k++) {
			int dup = 0;
			for (int t = 0; t < ntargets; t++)
				dup |= targets[t] == fr->cats[c].facts[k];
			if (!dup && ntargets < HJ_MAX_LINE_CATS) {
				sums[ntargets] = 0;
				targets[ntargets++] = fr->cats[c].facts[k];
			}
		}
		out->cats[out->ncats].id = fr->cats[c].id;
		out->cats[out->ncats++].name = fr->cats[c].name;
	}
	int have_expenses = 0;
	for (int t = 0; t < ntargets; t++)
		have_expenses |= targets[t] == rb->f_expenses;
	if (!have_expenses) { /* unknown when a line is undetermined */
		targets[ntargets] = rb->f_expenses;
		sums[ntargets++] = 0;
	}
	out->nlines = f->nelines;
	int npending = 0;
	hj_status ost = HJ_OK; /* overflow of a total (checked adds) */
#define ADD(dst, v) (ost |= hj_yen_add((dst), (v), &(dst)))
	for (int i = 0; i < f->nelines; i++) {
		const hj_expense_line *l = &f->elines[i];
		hj_line_result *lr = &out->lines[i];
		int cat = -1;
		for (int c = 0; c < fr->ncats && cat < 0; c++) {
			const hj_category *fc = &fr->cats[c];
			if ((!strcmp(fc->id, l->category) || !strcmp(fc->name, l->category)) &&
			    l->unit_price >= fc->min_unit_price && (!fc->has_below || l->unit_price < fc->below_unit_price))
				cat = c;
		}
		const hj_excluded *ex = NULL;
		for (int x = 0; cat < 0 && !ex && x < fr->nxcl; x++) {
			const hj_excluded *e = &rb->excluded[fr->xcl[x]];
			if (cat_is(e->id, e->name, l->category, strlen(l->category)))
				ex = e;
		}
		const hj_excluded *und = NULL;
		for (int x = 0; cat < 0 && !ex && !und && x < fr->nxund; x++) {
			const hj_excluded *e = &rb->excluded[fr->xund[x]];
			if (cat_is(e->id, e->name, l->category, strlen(l->category)))
				und = e;
		}
		if (cat >= 0) {
			lr->accepted = 1;
			lr->category_name = fr->cats[cat].name;
			lr->reason = "";
			lr->source = fr->cats_source;
			for (int t = 0; t < ntargets; t++)
				for (int k = 0; k < fr->cats[cat].nfacts; k++)
					if (targets[t] == fr->cats[cat].facts[k])
						ADD(sums[t], l->amount);
			ADD(out->cats[cat].total, l->amount);
			out->cats[cat].nlines++;
			ADD(out->eligible_total, l->amount);
		} else if (ex) {
			lr->category_name = ex->name;
			lr->reason = ex->reason;
			lr->source = ex->source;
			ADD(out->refused_total, l->amount);
		} else if (und) {
			lr->undetermined = 1;
			lr->category_name = und->name;
			lr->reason = und->undetermined_reason ? und->undetermined_reason
							      : "この枠での扱いは資料にありません。公募要領で確かめてください";
			lr->source = und->source;
			ADD(out->pending_total, l->amount);
			npending++;
		} else if (!fr->has_cats || fr->cats_partial) {
			/* the sources do not say whether this frame covers the kind */
			lr->undetermined = 1;
			lr->category_name = l->category;
			lr->reason = !fr->has_cats
					     ? "この枠の補助対象経費の区分は資料にないため、この行が対象か判定できません。"
					       "公募要領で確かめてください（対象の合計が分かれば expense_lines を使わず "
					       "project.expenses に入力できます）"
					     : "資料はこの枠の補助対象経費の区分を一部しか挙げておらず、この区分の扱いは"
					       "判定できません。公募要領で確かめてください";
			lr->source = fr->has_cats ? fr->cats_source : fr->source;
			ADD(out->pending_total, l->amount);
			npending++;
		} else {
			lr->category_name = l->category;
			lr->reason = "この枠の補助対象経費の区分ではありません";
			lr->source = fr->cats_source;
			ADD(out->refused_total, l->amount);
		}
	}
#undef ADD
	if (ost)
		return hj_error_set(err, HJ_ERR_INPUT, f->file, f->elines[0].line, 0, "expense_lines",
				    "経費の行の金額の合計が大きすぎます");
	/* expense rules */
	for (int r = 0; r < fr->nxrules && out->nrules < HJ_MAX_EXPENSE_RULES; r++) {
		const hj_expense_rule *x = &fr->xrules[r];
		hj_expense_rule_result *rr = &out->rules[out->nrules++];
		rr->id = x->id;
		rr->text = x->text;
		rr->source = x->source;
		rr->ok = HJ_FALSE;
		for (int i = 0; i < f->nelines; i++)
			if (out->lines[i].accepted && !strcmp(f->elines[i].category, x->category) &&
			    f->elines[i].unit_price >= x->min_unit_price)
				rr->ok = HJ_TRUE;
	}
	/* evaluate on the accepted totals, then put the facts back */
	hj_value saved[HJ_MAX_LINE_CATS + 1];
	for (int t = 0; t < ntargets; t++) {
		saved[t] = f->vals[targets[t]];
		f->vals[targets[t]] = npending ? hj_value_unknown() : hj_value_frac(hj_frac_int(sums[t]));
	}
	hj_facts_invalidate(f);
	hj_status st = hj_evaluate(rb, f, fr, &out->result);
	for (int t = 0; !keep && t < ntargets; t++)
		f->vals[targets[t]] = saved[t];
	hj_facts_invalidate(f);
	out->verdict = out->result.verdict;
	for (int r = 0; r < out->nrules; r++)
		if (out->rules[r].ok == HJ_FALSE)
			out->verdict = HJ_INELIGIBLE;
	if (st)
		return hj_error_set(err, st, f->file, 0, 0, NULL, "金額の計算で桁あふれしました");
	return HJ_OK;
}
