/*
 * lib/review-rules.c - loading an edition's 'review:' (rulebook-load.h):
 * the 審査項目 (criteria) reviewers score, the scale they score on, the
 * 加点項目 (bonus rules over the applicant's facts, each with the
 * evidence document that proves it) and the re-review rules (a rejected
 * application of one frame is reviewed again in another). The schema is
 * in docs/rulebook.md ("review: 審査項目・加点・再審査"); the structures
 * live in review-int.h and are read through hojo/review.h (lib/review.c).
 *
 * Every key is checked (unknown keys fail), every item carries a checked
 * 'source', ids are unique within the edition, frames named by a
 * re-review rule must be frames of this edition, and a bonus's evidence
 * must be one of the edition's 'documents:'.
 */
#include <libfyaml.h>
#include <string.h>
#include "rulebook-load.h"
#include "review-int.h"
#include "yaml.h"

/* An integer in [lo, hi] at key 'key' of 'map' (required). */
static hj_status int_key(ld *L, struct fy_node *map, const char *key, const char *field, int64_t lo, int64_t hi,
			 int64_t *out)
{
	struct fy_node *n = rbl_get(map, key);
	if (!n)
		return rbl_fail(L, map, field, "'%s' が必要です", key);
	hj_status st = rbl_int(L, n, field, out);
	if (st)
		return st;
	if (*out < lo || *out > hi)
		return rbl_fail(L, n, field, "%lld から %lld までの整数にしてください（%lld）", (long long)lo,
				(long long)hi, (long long)*out);
	return HJ_OK;
}

/* 'true' / 'false' at key 'key' (absent: 0). */
static hj_status bool_key(ld *L, struct fy_node *map, const char *key, const char *field, int *out)
{
	struct fy_node *n = rbl_get(map, key);
	*out = 0;
	if (!n)
		return HJ_OK;
	size_t len;
	const char *s = hj_yaml_scalar(n, &len);
	if (s && len == 4 && !memcmp(s, "true", 4))
		*out = 1;
	else if (!(s && len == 5 && !memcmp(s, "false", 5)))
		return rbl_fail(L, n, field, "true か false にしてください");
	return HJ_OK;
}

static const char *or_empty(const char *s) { return s ? s : ""; }

/* The frame of edition 'ed' with id 'id', or NULL. */
static const hj_frame *edition_frame(const hj_edition *ed, const char *id)
{
	for (int i = 0; i < ed->nframes; i++)
		if (!strcmp(ed->frames[i]->id, id))
			return ed->frames[i];
	return NULL;
}

static hj_status load_scale(ld *L, hj_review_rules *rv, struct fy_node *n)
{
	static const char *const keys[] = { "min", "max", "source", "note", NULL };
	char *source, *note;
	hj_status st;
	if ((st = rbl_check_keys(L, n, "review.scale", keys)) ||
	    (st = int_key(L, n, "min", "review.scale.min", 0, 1000, &rv->scale.min)) ||
	    (st = int_key(L, n, "max", "review.scale.max", 1, 1000, &rv->scale.max)) ||
	    (st = rbl_source(L, n, "review.scale", &source)) || (st = rbl_str(L, n, "note", "review.scale", 0, &note)))
		return st;
	if (rv->scale.max <= rv->scale.min)
		return rbl_fail(L, rbl_get(n, "max"), "review.scale.max", "max は min より大きくしてください");
	rv->scale.source = source;
	rv->scale.note = or_empty(note);
	rv->has_scale = 1;
	return HJ_OK;
}

static hj_status load_criteria(ld *L, hj_review_rules *rv, struct fy_node *n)
{
	static const char *const keys[] = { "id", "group", "text", "weight", "source", "note", NULL };
	if (!fy_node_is_sequence(n) || !fy_node_sequence_item_count(n))
		return rbl_fail(L, n, "review.criteria", "審査項目（id, group, text, weight, source）のリストが必要です");
	int count = fy_node_sequence_item_count(n);
	if (count > HJ_REVIEW_MAX_CRIT)
		return rbl_fail(L, n, "review.criteria", "審査項目は %d 個までです", HJ_REVIEW_MAX_CRIT);
	rv->crit = rbl_alloc(L, (size_t)count * sizeof *rv->crit);
	if (!rv->crit)
		return rbl_nomem(L);
	void *it = NULL;
	struct fy_node *c;
	while ((c = fy_node_sequence_iterate(n, &it))) {
		hj_criterion *x = &rv->crit[rv->ncrit];
		char *id, *group, *text, *source, *note;
		hj_status st;
		if ((st = rbl_check_keys(L, c, "review.criteria", keys)) ||
		    (st = rbl_str(L, c, "id", "review.criteria.id", 1, &id)) ||
		    (st = rbl_str(L, c, "group", "review.criteria.group", 0, &group)) ||
		    (st = rbl_str(L, c, "text", "review.criteria.text", 1, &text)) ||
		    (st = int_key(L, c, "weight", "review.criteria.weight", 0, 1000, &x->weight)) ||
		    (st = rbl_source(L, c, "review.criteria", &source)) ||
		    (st = rbl_str(L, c, "note", "review.criteria.note", 0, &note)))
			return st;
		for (int k = 0; k < rv->ncrit; k++)
			if (!strcmp(rv->crit[k].id, id))
				return rbl_fail(L, rbl_get(c, "id"), "review.criteria.id", "審査項目 '%s' が二度あります", id);
		x->id = id;
		x->group = or_empty(group);
		x->text = text;
		x->source = source;
		x->note = or_empty(note);
		rv->ncrit++;
	}
	return HJ_OK;
}

static hj_status load_bonuses(ld *L, const hj_edition *ed, hj_review_rules *rv, struct fy_node *n)
{
	static const char *const keys[] = { "id", "name", "group", "points", "when", "evidence", "text", "source",
					    "note", NULL };
	if (!fy_node_is_sequence(n))
		return rbl_fail(L, n, "review.bonuses", "加点項目（id, name, points, when, source）のリストが必要です");
	int count = fy_node_sequence_item_count(n);
	rv->bonus = rbl_alloc(L, (size_t)(count ? count : 1) * sizeof *rv->bonus);
	if (!rv->bonus)
		return rbl_nomem(L);
	void *it = NULL;
	struct fy_node *b;
	while ((b = fy_node_sequence_iterate(n, &it))) {
		hj_review_bonus *x = &rv->bonus[rv->nbonus];
		memset(x, 0, sizeof *x);
		char *id, *name, *group, *evidence, *text, *source, *note;
		hj_status st;
		if ((st = rbl_check_keys(L, b, "review.bonuses", keys)) ||
		    (st = rbl_str(L, b, "id", "review.bonuses.id", 1, &id)) ||
		    (st = rbl_str(L, b, "name", "review.bonuses.name", 1, &name)) ||
		    (st = rbl_str(L, b, "group", "review.bonuses.group", 0, &group)) ||
		    (st = int_key(L, b, "points", "review.bonuses.points", 0, 1000, &x->pub.points)) ||
		    (st = rbl_str(L, b, "evidence", "review.bonuses.evidence", 0, &evidence)) ||
		    (st = rbl_str(L, b, "text", "review.bonuses.text", 1, &text)) ||
		    (st = rbl_source(L, b, "review.bonuses", &source)) ||
		    (st = rbl_str(L, b, "note", "review.bonuses.note", 0, &note)))
			return st;
		for (int k = 0; k < rv->nbonus; k++)
			if (!strcmp(rv->bonus[k].pub.id, id))
				return rbl_fail(L, rbl_get(b, "id"), "review.bonuses.id", "加点項目 '%s' が二度あります", id);
		if (!rbl_get(b, "when"))
			return rbl_fail(L, b, "review.bonuses.when", "加点の条件 'when'（事実の式）が必要です");
		if ((st = rbl_compile(L, rbl_get(b, "when"), "review.bonuses.when", HJ_TY_BOOL, &x->when)))
			return st;
		if (evidence) {
			int found = 0;
			for (int k = 0; k < ed->ndocs; k++)
				found |= !strcmp(ed->docs[k].id, evidence);
			if (!found)
				return rbl_fail(L, rbl_get(b, "evidence"), "review.bonuses.evidence",
						"証拠書類 '%s' が版の documents にありません", evidence);
		}
		x->pub.id = id;
		x->pub.name = name;
		x->pub.group = or_empty(group);
		x->pub.evidence = or_empty(evidence);
		x->pub.text = text;
		x->pub.source = source;
		x->pub.note = or_empty(note);
		rv->nbonus++;
	}
	return HJ_OK;
}

static hj_status load_rereviews(ld *L, const hj_edition *ed, hj_review_rules *rv, struct fy_node *n)
{
	static const char *const keys[] = { "from", "to", "when", "bonus", "priority", "source", "note", NULL };
	if (!fy_node_is_sequence(n))
		return rbl_fail(L, n, "review.rereview", "再審査（from, to, bonus, priority, source）のリストが必要です");
	int count = fy_node_sequence_item_count(n);
	rv->rr = rbl_alloc(L, (size_t)(count ? count : 1) * sizeof *rv->rr);
	if (!rv->rr)
		return rbl_nomem(L);
	void *it = NULL;
	struct fy_node *r;
	while ((r = fy_node_sequence_iterate(n, &it))) {
		hj_review_rr *x = &rv->rr[rv->nrr];
		memset(x, 0, sizeof *x);
		char *from, *to, *bonus, *source, *note;
		hj_status st;
		if ((st = rbl_check_keys(L, r, "review.rereview", keys)) ||
		    (st = rbl_str(L, r, "from", "review.rereview.from", 1, &from)) ||
		    (st = rbl_str(L, r, "to", "review.rereview.to", 1, &to)) ||
		    (st = rbl_str(L, r, "bonus", "review.rereview.bonus", 0, &bonus)) ||
		    (st = bool_key(L, r, "priority", "review.rereview.priority", &x->pub.priority)) ||
		    (st = rbl_source(L, r, "review.rereview", &source)) ||
		    (st = rbl_str(L, r, "note", "review.rereview.note", 0, &note)))
			return st;
		x->pub.from = edition_frame(ed, from);
		if (!x->pub.from)
			return rbl_fail(L, rbl_get(r, "from"), "review.rereview.from", "枠 '%s' はこの版の枠ではありません",
					from);
		x->pub.to = edition_frame(ed, to);
		if (!x->pub.to)
			return rbl_fail(L, rbl_get(r, "to"), "review.rereview.to", "枠 '%s' はこの版の枠ではありません", to);
		if (x->pub.to == x->pub.from)
			return rbl_fail(L, rbl_get(r, "to"), "review.rereview.to", "同じ枠で再審査はできません（'%s'）", to);
		if (bonus) {
			int found = 0;
			for (int k = 0; k < rv->nbonus; k++)
				found |= !strcmp(rv->bonus[k].pub.id, bonus);
			if (!found)
				return rbl_fail(L, rbl_get(r, "bonus"), "review.rereview.bonus",
						"加点項目 '%s' が review.bonuses にありません", bonus);
		}
		if (rbl_get(r, "when") &&
		    (st = rbl_compile(L, rbl_get(r, "when"), "review.rereview.when", HJ_TY_BOOL, &x->when)))
			return st;
		/* a frame sends its rejected applications to one target, or
		 * to several told apart by 'when' */
		for (int k = 0; k < rv->nrr; k++)
			if (rv->rr[k].pub.from == x->pub.from && (!rv->rr[k].when || !x->when))
				return rbl_fail(L, rbl_get(r, "from"), "review.rereview.from",
						"枠 '%s' の再審査先が二つあります（複数なら各々に when が必要）", from);
		x->pub.bonus = or_empty(bonus);
		x->pub.source = source;
		x->pub.note = or_empty(note);
		x->pub.when = x->when ? hj_expr_text(x->when) : "";
		rv->nrr++;
	}
	return HJ_OK;
}

/* See rulebook-load.h. */
hj_status rbl_load_review(ld *L, hj_edition *ed, struct fy_node *n)
{
	static const char *const keys[] = { "scale", "criteria", "bonuses", "rereview", "note", "source", NULL };
	hj_status st;
	if ((st = rbl_check_keys(L, n, "edition.review", keys)))
		return st;
	hj_review_rules *rv = rbl_alloc(L, sizeof *rv);
	if (!rv)
		return rbl_nomem(L);
	memset(rv, 0, sizeof *rv);
	char *note = NULL, *source = NULL;
	if ((st = rbl_str(L, n, "note", "review.note", 0, &note)))
		return st;
	if (rbl_get(n, "source") && (st = rbl_source(L, n, "review", &source)))
		return st;
	rv->note = or_empty(note);
	rv->source = or_empty(source);
	/* criteria come with their scale; an edition whose sources name only
	 * 加点 or re-review has neither (the call sets them) */
	if (!rbl_get(n, "scale") != !rbl_get(n, "criteria"))
		return rbl_fail(L, n, rbl_get(n, "scale") ? "review.criteria" : "review.scale",
				"審査項目 'criteria' と採点の尺度 'scale'（min, max, source）は両方書くか、両方省きます");
	if (rbl_get(n, "scale") && (st = load_scale(L, rv, rbl_get(n, "scale"))))
		return st;
	if (rbl_get(n, "criteria") && (st = load_criteria(L, rv, rbl_get(n, "criteria"))))
		return st;
	if (!rv->ncrit && !rbl_get(n, "bonuses") && !rbl_get(n, "rereview"))
		return rbl_fail(L, n, "edition.review", "review には criteria・bonuses・rereview のどれかが必要です");
	if (rbl_get(n, "bonuses") && (st = load_bonuses(L, ed, rv, rbl_get(n, "bonuses"))))
		return st;
	if (rbl_get(n, "rereview") && (st = load_rereviews(L, ed, rv, rbl_get(n, "rereview"))))
		return st;
	ed->review = rv;
	return HJ_OK;
}
