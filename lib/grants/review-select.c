/*
 * lib/grants/review-select.c - the secretariat's review as office logic,
 * second half (include/hojo/grants/review.h, docs/review.md): the scores
 * of a call's applications, the ranking per frame, the selection (dry
 * run and commit) and the notices.
 *
 * How an application enters the selection (the inputs):
 *  - its frame: the first of the frames it chose, in the call's order;
 *  - its requested subsidy: the engine's amount for that frame on its
 *    data (with the facts its parties confirmed); an application the
 *    engine does not find 対象 with a known amount is excluded, with the
 *    reason;
 *  - its score: the mean of its submitted reviews' weighted totals
 *    (hj_aggregate_scores, exact) plus the points of the 加点 staff
 *    confirmed; one without a submitted review is excluded;
 *  - re-review: when the rulebook sends the rejected of its frame to
 *    another frame of the call, the engine's amount there (-1 when it is
 *    not 対象 there) and the carried bonus's points of the call.
 * The engine's part (the two amounts, the verdicts, the re-review target)
 * is the costly one (about 140 µs an application: its JSON read into
 * facts, the parties' overlay, two evaluations), so it is kept per
 * application (migration 008, review_eval_cache) under the key of what
 * it depends on: the application's version and submission time, the
 * rulebook's hash, the frame, and the stamp of its parties' invitations
 * and tools as of the read (gp_parties_stamp; expiry included). A read
 * of the call takes every application with its kept row in one query;
 * a row whose key does not match is not used: that application is
 * computed again in the same read, and its new row is written after it
 * (in the same transaction for a commit, in a write transaction of its
 * own after a read-only one). Cold or warm, the inputs are the same.
 * hj_selection_run (lib/review.c) ranks and adopts. A commit stores the
 * result with the rulebook hash, the hash of the scores used and the
 * hash of the inputs, in one transaction; a call has one committed
 * selection, and committing again gives it back (replayed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "hojo/alloc.h"
#include "hojo/eval.h"
#include "hojo/grants/applications.h"
#include "hojo/grants/audit.h"
#include "hojo/grants/review.h"
#include "store/applications.h"
#include "store/parties.h"
#include "store/review.h"
#include "grants-int.h"
#include "review-int.h"

#define NOMEM(err) hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません")
#define FEEDBACK_MAX_ITEMS 20
#define COMMENT_MAX 4000

/* One application as the selection sees it. */
typedef struct sel_in {
	int64_t id;
	const char *company_name;
	json_t *frames;        /* borrowed from the apps list */
	int frame;             /* into the call's frames, -1: none */
	hj_yen request, rerequest;
	hj_aggregate agg;
	int64_t bonus;         /* confirmed 加点 points */
	int64_t submitted_us;
	int eligible;
	char why[256];
	/* the engine's part and its key (migration 008) */
	int64_t version;
	char stamp[65];        /* the parties' stamp at this read */
	const char *verdict;   /* in its frame ("" not evaluated) */
	const char *target;    /* the re-review frame for its facts ("" none) */
	hj_yen tamount;        /* the amount there, -1 not 対象 there */
	const char *reverdict;
	int fresh;             /* computed by this read: to be kept */
} sel_in;

/* Everything one computation of a call's selection gathered. */
typedef struct sel_state {
	json_t *call, *apps, *reviews, *bonus;
	json_t *invs, *tools;          /* the parties' invitations and chosen tools, by application */
	grv_settings set;
	int nframes;
	hj_sel_frame frames[32];
	const hj_frame *rframes[32];   /* the rulebook's frames (NULL: unknown) */
	sel_in *in;
	hj_sel_app *sa;
	int64_t n;
	hj_tiebreak_rule tb[16];
	int ntb;
	char scores_sha[65];
	json_t *scores_doc;            /* what scores_sha is the hash of */
	int64_t kept, computed;        /* the engine's results read back / computed */
	int64_t now;
} sel_state;

static void state_clear(sel_state *S)
{
	json_decref(S->call);
	json_decref(S->apps);
	json_decref(S->reviews);
	json_decref(S->bonus);
	json_decref(S->invs);
	json_decref(S->tools);
	json_decref(S->scores_doc);
	grv_settings_clear(&S->set);
	hj_free(S->in);
	hj_free(S->sa);
	memset(S, 0, sizeof *S);
}

static int frame_index(const sel_state *S, const char *id)
{
	for (int i = 0; id && i < S->nframes; i++)
		if (!strcmp(S->frames[i].id, id))
			return i;
	return -1;
}

/* The engine's amount for the facts in frame 'fr': the subsidy when
 * 対象 with a known amount, else -1 (and 'why' says why); *verdict the
 * verdict's name ("" when not evaluated). */
static hj_yen amount_in(const hj_rulebook *rb, hj_facts *f, const hj_frame *fr, char why[256], const char **verdict)
{
	hj_result r;
	*verdict = "";
	if (!fr) {
		snprintf(why, 256, "枠が今の規則集にありません");
		return -1;
	}
	if (hj_evaluate(rb, f, fr, &r)) {
		snprintf(why, 256, "枠 '%s' の計算ができません（桁あふれ）", hj_frame_id(fr));
		return -1;
	}
	*verdict = hj_verdict_name(r.verdict);
	if (r.verdict != HJ_ELIGIBLE) {
		snprintf(why, 256, "枠 '%s' の判定が%sです", hj_frame_id(fr), hj_verdict_name_ja(r.verdict));
		return -1;
	}
	if (!r.subsidy_known) {
		snprintf(why, 256, "枠 '%s' の補助額が決まりません", hj_frame_id(fr));
		return -1;
	}
	return r.subsidy;
}

/* The engine's part for one application whose kept row does not match:
 * its facts (data, submission date, the parties' overlay), the amount in
 * its frame, the re-review target for those facts and the amount there. */
static hj_status evaluate_one(hj_tx *tx, const hj_rulebook *rb, const sel_state *S, sel_in *in, json_t *a,
			      const char *program, json_t *invs, json_t *tools, hj_error *err)
{
	const char *data = json_string_value(json_object_get(a, "data"));
	char *own = NULL;
	hj_status s;
	if (!data) {
		/* the query leaves data out where a row is kept; this one's
		 * parties or frame changed since */
		if ((s = srw_app_data(tx, in->id, &own, err)))
			return s;
		data = own;
	}
	hj_facts *facts = NULL;
	s = grv_facts_with(tx, rb, in->id, program, data, in->submitted_us, invs, tools, &facts, in->why, err);
	hj_free(own);
	if (s || !facts)
		return s;
	const hj_frame *fr = S->rframes[in->frame];
	in->request = amount_in(rb, facts, fr, in->why, &in->verdict);
	/* the re-review target for these facts (a frame may have several, told apart by 'when') */
	const hj_rereview *t = fr ? hj_review_target(rb, facts, fr) : NULL;
	if (t && t->to) {
		char why2[256];
		in->target = hj_frame_id(t->to);
		in->tamount = amount_in(rb, facts, t->to, why2, &in->reverdict);
	}
	hj_facts_free(facts);
	return HJ_OK;
}

/* Keep the results this read computed (migration 008). */
static hj_status keep_rows(hj_tx *tx, const hj_rulebook *rb, const sel_state *S, hj_error *err)
{
	if (!S->computed)
		return HJ_OK;
	srw_eval *e = hj_malloc(sizeof *e * (size_t)S->computed);
	if (!e)
		return NOMEM(err);
	int64_t m = 0;
	for (int64_t i = 0; i < S->n && m < S->computed; i++) {
		const sel_in *in = &S->in[i];
		if (!in->fresh)
			continue;
		e[m++] = (srw_eval){ .application = in->id,
				     .version = in->version,
				     .submitted_at = in->submitted_us,
				     .rulebook_sha256 = hj_rulebook_hash(rb),
				     .parties = in->stamp,
				     .frame = S->frames[in->frame].id,
				     .request = in->request,
				     .verdict = in->verdict,
				     .why = in->request < 0 ? in->why : "",
				     .target = in->target,
				     .rerequest = in->tamount,
				     .reverdict = in->reverdict,
				     .computed_at = S->now };
	}
	hj_status s = srw_eval_put(tx, e, m, err);
	hj_free(e);
	return s;
}

typedef struct kctx {
	const hj_rulebook *rb;
	const sel_state *S;
} kctx;

static hj_status keep_tx(hj_tx *tx, void *vk, hj_error *err)
{
	kctx *k = vk;
	return keep_rows(tx, k->rb, k->S, err);
}

/* After a read-only transaction that computed some applications again:
 * keep their results in a write transaction of its own. The answer does
 * not wait on it: when it fails (a concurrent writer, a full disk) the
 * rows stay unmatched and the next read computes them again, which is
 * all a kept row is for, so the failure is not the caller's. */
static void keep_after_read(hj_store *st, const hj_rulebook *rb, const sel_state *S)
{
	if (!S->computed)
		return;
	kctx k = { rb, S };
	hj_error e;
	(void)hj_store_run(st, 1, keep_tx, &k, &e);
}

/* Gather and compute the inputs of a call's selection (not run). */
static hj_status gather(hj_tx *tx, const hj_rulebook *rb, int64_t callid, sel_state *S, hj_error *err)
{
	memset(S, 0, sizeof *S);
	hj_status s = grv_settings_load(tx, rb, callid, &S->call, &S->set, err);
	if (s)
		return s;
	if ((s = srw_call_apps_eval(tx, callid, hj_rulebook_hash(rb), &S->apps, err)) || (s = srw_call_scores(tx, callid, &S->reviews, err)) ||
	    (s = srw_bonus_list(tx, callid, &S->bonus, err)) || (s = spt_inv_of_call(tx, callid, &S->invs, err)) ||
	    (s = spt_tools_of_call(tx, callid, &S->tools, err)))
		return s;
	/* the frames of the call, in its order, with their re-review targets */
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(S->call, "frames"), i, f)
	{
		if (S->nframes >= 32)
			break;
		hj_sel_frame *sf = &S->frames[S->nframes];
		sf->id = json_string_value(json_object_get(f, "frame"));
		sf->budget = json_integer_value(json_object_get(f, "budget"));
		sf->slots = json_integer_value(json_object_get(f, "slots"));
		sf->rereview_to = -1;
		sf->rereview_bonus_id = "";
		S->rframes[S->nframes++] = hj_rulebook_find_frame(rb, sf->id);
	}
	for (int k = 0; k < S->nframes; k++) {
		const hj_rereview *rr = S->rframes[k] ? hj_frame_rereview(S->rframes[k]) : NULL;
		int to = rr ? frame_index(S, hj_frame_id(rr->to)) : -1;
		if (to < 0)
			continue;
		S->frames[k].rereview_to = to;
		S->frames[k].rereview_priority = rr->priority;
		if (rr->bonus && *rr->bonus) {
			int b = grv_bonus_index(&S->set, rr->bonus);
			S->frames[k].rereview_bonus_id = rr->bonus;
			S->frames[k].rereview_bonus = b >= 0 ? S->set.points[b] : 0;
		}
	}
	const char *ids[HJ_SEL_MAX_CRIT];
	for (int k = 0; k < S->set.ncrit; k++)
		ids[k] = S->set.crit[k]->id;
	if ((s = hj_tiebreak_parse(S->set.tiebreak, ids, S->set.ncrit, S->tb, 16, &S->ntb, err)))
		return s;

	S->n = (int64_t)json_array_size(S->apps);
	S->in = hj_calloc((size_t)S->n + 1, sizeof *S->in);
	S->sa = hj_calloc((size_t)S->n + 1, sizeof *S->sa);
	S->scores_doc = json_array();
	int64_t *mat = hj_malloc(sizeof(int64_t) * HJ_SEL_MAX_CRIT * 64);
	if (!S->in || !S->sa || !S->scores_doc || !mat) {
		hj_free(mat);
		return NOMEM(err);
	}
	const char *program = json_string_value(json_object_get(S->call, "program"));
	S->now = hj_now_us();
	size_t rv = 0, nrv = json_array_size(S->reviews), bi = 0, nbi = json_array_size(S->bonus);
	size_t ii = 0, nii = json_array_size(S->invs), ti = 0, nti = json_array_size(S->tools);
	json_t *a;
	json_array_foreach(S->apps, i, a)
	{
		sel_in *in = &S->in[i];
		hj_sel_app *sa = &S->sa[i];
		in->id = sa->id = json_integer_value(json_object_get(a, "id"));
		in->company_name = json_string_value(json_object_get(a, "company_name"));
		in->frames = json_object_get(a, "frames");
		in->submitted_us = sa->submitted_us = json_integer_value(json_object_get(a, "submitted_at_us"));
		in->frame = -1;
		for (int k = 0; k < S->nframes && in->frame < 0; k++) {
			size_t j;
			json_t *fj;
			json_array_foreach(in->frames, j, fj)
				if (!strcmp(json_string_value(fj), S->frames[k].id))
					in->frame = k;
		}
		/* its submitted reviews (both lists are ordered by application) */
		json_t *revdoc = json_array();
		int nr = 0;
		while (rv < nrv && json_integer_value(json_object_get(json_array_get(S->reviews, rv), "application")) < in->id)
			rv++;
		for (; rv < nrv && json_integer_value(json_object_get(json_array_get(S->reviews, rv), "application")) == in->id;
		     rv++) {
			json_t *r = json_array_get(S->reviews, rv), *sc = json_object_get(r, "scores");
			if (nr >= 64)
				continue;
			for (int c = 0; c < S->set.ncrit; c++)
				mat[nr * S->set.ncrit + c] = json_integer_value(json_object_get(sc, S->set.crit[c]->id));
			nr++;
			json_array_append_new(revdoc, json_pack("{s:O,s:O}", "assignment", json_object_get(r, "assignment"),
								"scores", sc));
		}
		/* its confirmed 加点 */
		json_t *bdoc = json_array();
		while (bi < nbi && json_integer_value(json_object_get(json_array_get(S->bonus, bi), "application")) < in->id)
			bi++;
		for (; bi < nbi && json_integer_value(json_object_get(json_array_get(S->bonus, bi), "application")) == in->id;
		     bi++) {
			json_t *d = json_array_get(S->bonus, bi);
			int k = grv_bonus_index(&S->set, json_string_value(json_object_get(d, "bonus")));
			if (k < 0 || strcmp(json_string_value(json_object_get(d, "decision")), "confirmed"))
				continue;
			in->bonus += S->set.points[k];
			json_array_append_new(bdoc, json_pack("{s:s,s:I}", "bonus", S->set.bonus[k]->id, "points",
							      (json_int_t)S->set.points[k]));
		}
		sa->bonus = in->bonus;
		json_array_append_new(S->scores_doc, json_pack("{s:I,s:o,s:o}", "application", (json_int_t)in->id, "reviews",
							       revdoc, "bonus", bdoc));
		in->agg.nreviews = 0;
		if (nr && S->set.ncrit &&
		    (s = hj_aggregate_scores(mat, nr, S->set.ncrit, S->set.weight, S->set.disagreement, &in->agg, err)))
			break;
		/* the engine's amounts: read back when the kept row's key
		 * matches, else computed now (and kept after the read) */
		in->request = in->rerequest = in->tamount = sa->request = -1;
		sa->rerequest = -1;
		sa->frame = in->frame < 0 ? 0 : in->frame;
		in->version = json_integer_value(json_object_get(a, "version"));
		in->verdict = in->target = in->reverdict = "";
		/* its parties' invitations and tools (both lists are ordered by application) */
		json_t *my_invs = json_array(), *my_tools = json_array();
		while (ii < nii && json_integer_value(json_object_get(json_array_get(S->invs, ii), "application")) < in->id)
			ii++;
		for (; ii < nii && json_integer_value(json_object_get(json_array_get(S->invs, ii), "application")) == in->id; ii++)
			json_array_append(my_invs, json_array_get(S->invs, ii));
		while (ti < nti && json_integer_value(json_object_get(json_array_get(S->tools, ti), "application")) < in->id)
			ti++;
		for (; ti < nti && json_integer_value(json_object_get(json_array_get(S->tools, ti), "application")) == in->id;
		     ti++)
			json_array_append(my_tools, json_array_get(S->tools, ti));
		if (!my_invs || !my_tools)
			s = NOMEM(err);
		const char *kframe = json_string_value(json_object_get(a, "ev_frame"));
		const char *kparties = json_string_value(json_object_get(a, "ev_parties"));
		if (!s && in->frame >= 0)
			gp_parties_stamp(my_invs, my_tools, S->now, in->stamp);
		if (s)
			;
		else if (in->frame < 0)
			snprintf(in->why, sizeof in->why, "公募回の枠を選んでいません");
		else if (kframe && kparties && !strcmp(kframe, S->frames[in->frame].id) && !strcmp(kparties, in->stamp)) {
			in->request = json_integer_value(json_object_get(a, "ev_request"));
			in->verdict = json_string_value(json_object_get(a, "ev_verdict"));
			in->target = json_string_value(json_object_get(a, "ev_target"));
			in->tamount = json_integer_value(json_object_get(a, "ev_rerequest"));
			in->reverdict = json_string_value(json_object_get(a, "ev_reverdict"));
			snprintf(in->why, sizeof in->why, "%s", json_string_value(json_object_get(a, "ev_why")));
			S->kept++;
		} else {
			s = evaluate_one(tx, rb, S, in, a, program, my_invs, my_tools, err);
			in->fresh = 1;
			S->computed++;
		}
		json_decref(my_invs);
		json_decref(my_tools);
		if (s)
			break;
		/* the re-review frame, when the call has the frame's target */
		if (in->frame >= 0 && S->frames[in->frame].rereview_to >= 0 && in->target && in->target[0]) {
			int to = frame_index(S, in->target);
			if (to >= 0) {
				in->rerequest = in->tamount;
				sa->reframe = to == S->frames[in->frame].rereview_to ? 0 : to + 1;
			}
		}
		in->eligible = in->frame >= 0 && in->request >= 0;
		if (in->eligible && !nr) {
			in->eligible = 0;
			snprintf(in->why, sizeof in->why, "提出された審査がありません");
		}
		sa->eligible = in->eligible;
		sa->request = in->request < 0 ? 0 : in->request;
		sa->rerequest = in->rerequest;
		if (in->eligible) {
			if ((s = hj_frac_add(in->agg.total_mean, hj_frac_int(in->bonus), &sa->score))) {
				hj_error_set(err, HJ_ERR_RANGE, NULL, 0, 0, NULL, "申請 %lld の点数が大きすぎます", (long long)in->id);
				break;
			}
			sa->ncrit = S->set.ncrit;
			for (int c = 0; c < S->set.ncrit; c++)
				sa->crit[c] = in->agg.mean[c];
		} else
			sa->score = hj_frac_int(0);
	}
	hj_free(mat);
	if (!s) {
		char *t = gg_dump(S->scores_doc, JSON_SORT_KEYS);
		if (!t)
			return NOMEM(err);
		hj_sha256_hex(t, strlen(t), S->scores_sha);
		hj_free(t);
	}
	return s;
}

static const char *outcome_name(hj_sel_outcome o)
{
	return o == HJ_SEL_ADOPTED || o == HJ_SEL_ADOPTED_REREVIEW ? "adopted" : o == HJ_SEL_REJECTED ? "rejected" : "excluded";
}

static const char *outcome_ja(hj_sel_outcome o)
{
	return o == HJ_SEL_ADOPTED ? "採択" : o == HJ_SEL_ADOPTED_REREVIEW ? "採択（再審査）" : o == HJ_SEL_REJECTED ? "不採択" : "対象外";
}

static json_t *frame_name(const hj_rulebook *rb, const char *id)
{
	const hj_frame *fr = id ? hj_rulebook_find_frame(rb, id) : NULL;
	return fr ? json_string(hj_frame_name(fr)) : json_null();
}

/* The document of a selection result. */
static json_t *result_doc(const hj_rulebook *rb, const sel_state *S, const hj_sel_result *R, int dry_run)
{
	json_t *frames = json_array(), *dec = json_array();
	for (int k = 0; k < R->ncuts; k++) {
		const hj_sel_cut *c = &R->cuts[k];
		const hj_sel_frame *f = &S->frames[c->frame];
		json_array_append_new(
			frames, json_pack("{s:s,s:o,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o,s:o,s:s,s:o}", "frame", f->id, "name",
					  frame_name(rb, f->id), "budget", (json_int_t)c->budget, "slots", (json_int_t)c->slots,
					  "ranked", (json_int_t)c->ranked, "adopted", (json_int_t)c->adopted, "used",
					  (json_int_t)c->used, "left", (json_int_t)c->left, "rereview_to",
					  (json_int_t)f->rereview_to, "last_adopted",
					  c->has_last ? grv_score_json(c->last_adopted) : json_null(), "first_rejected",
					  c->has_first ? grv_score_json(c->first_rejected) : json_null(), "stopped_by",
					  c->stopped_by ? c->stopped_by : "none", "rereview_frame",
					  f->rereview_to >= 0 ? json_string(S->frames[f->rereview_to].id) : json_null()));
	}
	for (int64_t i = 0; i < R->ndecisions; i++) {
		const hj_sel_decision *d = &R->decisions[i];
		const sel_in *in = &S->in[i];
		const char *fid = in->frame >= 0 ? S->frames[d->outcome == HJ_SEL_EXCLUDED ? in->frame : d->frame].id : "";
		json_array_append_new(
			dec, json_pack("{s:I,s:s?,s:s,s:s,s:s,s:s,s:b,s:I,s:I,s:o,s:o,s:o,s:I,s:I,s:s}", "application",
				       (json_int_t)d->id, "company_name", in->company_name, "outcome", outcome_name(d->outcome),
				       "outcome_ja", outcome_ja(d->outcome), "frame", fid, "applied_frame",
				       in->frame >= 0 ? S->frames[in->frame].id : "", "moved", d->moved, "rank",
				       (json_int_t)d->rank, "amount", (json_int_t)d->amount, "request",
				       in->request >= 0 ? json_integer(in->request) : json_null(), "rerequest",
				       in->rerequest >= 0 ? json_integer(in->rerequest) : json_null(), "score",
				       d->outcome == HJ_SEL_EXCLUDED ? json_null() : grv_score_json(d->score), "bonus",
				       (json_int_t)in->bonus, "reviews", (json_int_t)in->agg.nreviews, "reason",
				       d->outcome == HJ_SEL_EXCLUDED && in->why[0] ? in->why : d->reason ? d->reason : ""));
	}
	return json_pack("{s:n,s:I,s:b,s:s,s:s,s:s,s:s,s:o,s:o}", "selection", "call", (json_int_t)S->set.call, "dry_run",
			 dry_run, "tiebreak", S->set.tiebreak, "rulebook_sha256", hj_rulebook_hash(rb), "scores_sha256",
			 S->scores_sha, "inputs_sha256", R->inputs_hash, "frames", frames, "decisions", dec);
}

/* Gather, run, and give the result document (*out) and, when wanted,
 * the raw result (*R, the caller frees) and state (*S, cleared by the
 * caller). */
static hj_status compute(hj_tx *tx, const hj_rulebook *rb, int64_t call, int dry_run, sel_state *S, hj_sel_result *R,
			 json_t **out, hj_error *err)
{
	memset(R, 0, sizeof *R);
	*out = NULL;
	hj_status s = gather(tx, rb, call, S, err);
	if (!s)
		s = hj_selection_run(S->frames, S->nframes, S->sa, S->n, S->tb, S->ntb, R, err);
	if (!s && !(*out = result_doc(rb, S, R, dry_run)))
		s = NOMEM(err);
	return s;
}

/* ---- scores ---- */

typedef struct sctx {
	const hj_rulebook *rb;
	const hj_actor *who;
	int64_t id;
	int dry_run, replayed;
	json_t *body, *out;
	int64_t page, per_page; /* scores: per_page 0 is every application */
	int disagree_only;      /* scores: only those flagged */
	sel_state S;            /* the last gather (kept after a read: keep_after_read) */
} sctx;

static hj_status scores_tx(hj_tx *tx, void *vc, hj_error *err)
{
	sctx *c = vc;
	sel_state *S_ = &c->S;
	state_clear(S_); /* a run before this one */
	hj_status s = gather(tx, c->rb, c->id, S_, err);
#define S (*S_)
	json_t *list = json_array();
	/* the page asked for among the applications kept (all, or the flagged) */
	int64_t total = 0, flagged = 0, from = c->per_page ? (c->page - 1) * c->per_page : 0;
	for (int64_t i = 0; !s && i < S.n; i++) {
		const sel_in *in = &S.in[i];
		if (in->agg.disagree)
			flagged++;
		if (c->disagree_only && !in->agg.disagree)
			continue;
		int64_t at = total++;
		if (c->per_page && (at < from || at >= from + c->per_page))
			continue;
		json_t *crit = json_array();
		for (int k = 0; in->agg.nreviews && k < S.set.ncrit; k++)
			json_array_append_new(crit, json_pack("{s:s,s:o,s:o,s:I}", "criterion", S.set.crit[k]->id, "mean",
							      grv_score_json(in->agg.mean[k]), "median",
							      grv_score_json(in->agg.median[k]), "spread",
							      (json_int_t)in->agg.spread[k]));
		json_array_append_new(
			list,
			json_pack("{s:I,s:s?,s:O,s:I,s:o,s:o,s:o,s:I,s:b,s:I,s:o}", "application", (json_int_t)in->id,
				  "company_name", in->company_name, "frames", in->frames, "reviews",
				  (json_int_t)in->agg.nreviews, "criteria", crit, "total_mean",
				  in->agg.nreviews ? grv_score_json(in->agg.total_mean) : json_null(), "total_median",
				  in->agg.nreviews ? grv_score_json(in->agg.total_median) : json_null(), "total_spread",
				  (json_int_t)in->agg.total_spread, "disagree", in->agg.disagree, "bonus", (json_int_t)in->bonus,
				  "score", in->agg.nreviews ? grv_score_json(S.sa[i].score) : json_null()));
	}
	if (!s) {
		c->out = json_pack("{s:I,s:I,s:s,s:I,s:I,s:I,s:I,s:O}", "call", (json_int_t)c->id, "disagreement",
				   (json_int_t)S.set.disagreement, "scores_sha256", S.scores_sha, "total", (json_int_t)total,
				   "disagreeing", (json_int_t)flagged, "page", (json_int_t)(c->per_page ? c->page : 1),
				   "per_page", (json_int_t)(c->per_page ? c->per_page : total), "applications", list);
		if (!c->out)
			s = NOMEM(err);
	}
	json_decref(list);
	return s;
#undef S
}

hj_status hj_call_scores(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t call, char **json,
			 hj_error *err)
{
	return hj_call_scores_page(st, rb, who, call, 1, 0, 0, json, err);
}

/* hj_call_scores one page at a time: a call of 100,000 applications
 * answers some 140 MB at once, more than a page can hold (bench/review-web.js). */
hj_status hj_call_scores_page(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t call, int64_t page,
			      int64_t per_page, int disagree_only, char **json, hj_error *err)
{
	sctx c = { .rb = rb, .who = who, .id = call, .page = page < 1 ? 1 : page, .per_page = per_page < 0 ? 0 : per_page,
		   .disagree_only = disagree_only };
	hj_status s = gg_need_staff(who, err);
	if (!s)
		s = hj_store_run(st, 0, scores_tx, &c, err);
	if (!s)
		keep_after_read(st, rb, &c.S);
	state_clear(&c.S);
	return grv_settle(s, c.out, json, err);
}

/* ---- ranking ---- */

static int rank_cmp(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "rank"));
	json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "rank"));
	return x < y ? -1 : x > y;
}

static hj_status ranking_tx(hj_tx *tx, void *vc, hj_error *err)
{
	sctx *c = vc;
	hj_sel_result R;
	json_t *doc = NULL;
	state_clear(&c->S); /* a run before this one */
	hj_status s = compute(tx, c->rb, c->id, 1, &c->S, &R, &doc, err);
	if (!s) {
		json_t *frames = json_object_get(doc, "frames"), *dec = json_object_get(doc, "decisions");
		json_t *excluded = json_array();
		size_t n = json_array_size(dec), i;
		json_t **v = hj_malloc((n + 1) * sizeof *v), *f, *d;
		json_array_foreach(frames, i, f)
		{
			size_t m = 0, j;
			json_array_foreach(dec, j, d)
				if (strcmp(json_string_value(json_object_get(d, "outcome")), "excluded") &&
				    !strcmp(json_string_value(json_object_get(d, "frame")),
					    json_string_value(json_object_get(f, "frame"))))
					v[m++] = d;
			qsort(v, m, sizeof *v, rank_cmp);
			json_t *r = json_array();
			for (j = 0; j < m; j++)
				json_array_append(r, v[j]);
			json_object_set_new(f, "ranking", r);
		}
		json_array_foreach(dec, i, d)
			if (!strcmp(json_string_value(json_object_get(d, "outcome")), "excluded"))
				json_array_append(excluded, d);
		hj_free(v);
		c->out = json_pack("{s:I,s:O,s:O,s:O,s:O,s:o}", "call", (json_int_t)c->id, "rulebook_sha256",
				   json_object_get(doc, "rulebook_sha256"), "scores_sha256", json_object_get(doc, "scores_sha256"),
				   "inputs_sha256", json_object_get(doc, "inputs_sha256"), "frames", frames, "excluded",
				   excluded);
		if (!c->out)
			s = NOMEM(err);
	}
	json_decref(doc);
	hj_sel_result_free(&R);
	return s;
}

hj_status hj_call_ranking(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t call, char **json,
			  hj_error *err)
{
	sctx c = { .rb = rb, .who = who, .id = call };
	hj_status s = gg_need_staff(who, err);
	if (!s)
		s = hj_store_run(st, 0, ranking_tx, &c, err);
	if (!s)
		keep_after_read(st, rb, &c.S);
	state_clear(&c.S);
	return grv_settle(s, c.out, json, err);
}

/* ---- selections ---- */

/* A stored selection as a document: its result with id and commit. */
static json_t *stored_doc(json_t *row)
{
	json_t *doc = json_deep_copy(json_object_get(row, "result"));
	if (!doc)
		return NULL;
	json_object_set(doc, "selection", json_object_get(row, "id"));
	json_object_set_new(doc, "dry_run", json_false());
	json_object_set(doc, "committed_by", json_object_get(row, "committed_by"));
	char t[32];
	gg_iso_jst(json_integer_value(json_object_get(row, "committed_at_us")), t);
	json_object_set_new(doc, "committed_at", json_string(t));
	return doc;
}

static hj_status selection_tx(hj_tx *tx, void *vc, hj_error *err)
{
	sctx *c = vc;
	json_t *prev = NULL;
	hj_status s;
	if (!c->dry_run) {
		if ((s = srw_selection_get(tx, 0, c->id, &prev, err)))
			return s;
		if (prev) {
			c->replayed = 1;
			c->out = stored_doc(prev);
			json_decref(prev);
			return c->out ? HJ_OK : NOMEM(err);
		}
	}
	sel_state *S_ = &c->S;
	hj_sel_result R;
	json_t *doc = NULL;
	state_clear(S_); /* a run before this one */
	s = compute(tx, c->rb, c->id, c->dry_run, S_, &R, &doc, err);
#define S (*S_)
	/* a commit keeps what it computed in its own transaction */
	if (!s && !c->dry_run)
		s = keep_rows(tx, c->rb, S_, err);
	if (!s && !c->dry_run) {
		json_t *inputs = json_pack("{s:I,s:s,s:O,s:s}", "call", (json_int_t)c->id, "tiebreak", S.set.tiebreak, "scores",
					   S.scores_doc, "inputs_sha256", R.inputs_hash);
		json_object_del(doc, "selection");
		json_object_del(doc, "dry_run");
		char *it = inputs ? gg_dump(inputs, JSON_SORT_KEYS) : NULL, *rt = gg_dump(doc, JSON_PRESERVE_ORDER);
		int64_t id = 0, now = hj_now_us();
		if (!it || !rt)
			s = NOMEM(err);
		else
			s = srw_selection_insert(tx, c->id, hj_rulebook_hash(c->rb), S.scores_sha, R.inputs_hash, it, rt,
						 c->who->account, now, &id, err);
		for (int64_t i = 0; !s && i < R.ndecisions; i++) {
			const hj_sel_decision *d = &R.decisions[i];
			const sel_in *in = &S.in[i];
			char sc[48] = "";
			if (d->outcome != HJ_SEL_EXCLUDED)
				grv_frac_text(d->score, sc);
			const char *fid = in->frame < 0 ? "" : S.frames[d->outcome == HJ_SEL_EXCLUDED ? in->frame : d->frame].id;
			s = srw_result_insert(tx, d->id, id, outcome_name(d->outcome), fid, d->moved, d->amount, d->rank, sc,
					      d->outcome == HJ_SEL_EXCLUDED && in->why[0] ? in->why : d->reason, err);
		}
		int64_t adopted = 0;
		for (int64_t i = 0; i < R.ndecisions; i++)
			adopted += R.decisions[i].outcome == HJ_SEL_ADOPTED || R.decisions[i].outcome == HJ_SEL_ADOPTED_REREVIEW;
		if (!s)
			s = gg_audit(tx, c->who, "review.selection.commit", "selection", id, 0, S.scores_sha, R.inputs_hash,
				     json_pack("{s:I,s:I,s:I,s:s}", "call", (json_int_t)c->id, "applications",
					       (json_int_t)R.ndecisions, "adopted", (json_int_t)adopted, "rulebook",
					       hj_rulebook_hash(c->rb)),
				     err);
		hj_free(it);
		hj_free(rt);
		json_decref(inputs);
		json_decref(doc);
		doc = NULL;
		if (!s && !(s = srw_selection_get(tx, id, 0, &prev, err))) {
			c->out = stored_doc(prev);
			json_decref(prev);
			if (!c->out)
				s = NOMEM(err);
		}
	} else if (!s) {
		c->out = doc;
		doc = NULL;
	}
	json_decref(doc);
	hj_sel_result_free(&R);
	return s;
#undef S
}

hj_status hj_selection_create(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t call, int dry_run,
			      char **json, int *replayed, hj_error *err)
{
	sctx c = { .rb = rb, .who = who, .id = call, .dry_run = dry_run };
	hj_status s = gg_need_staff(who, err);
	if (!s && !dry_run && !(who->roles & HJ_ROLE_ADMIN))
		s = hj_error_set(err, HJ_ERR_DENIED, NULL, 0, 0, NULL, "選定の確定は管理者（admin）だけができます（事務局は dry_run=1 で試算できます）");
	if (!s)
		s = hj_store_run(st, !dry_run, selection_tx, &c, err);
	if (!s && dry_run)
		keep_after_read(st, rb, &c.S);
	state_clear(&c.S);
	if (replayed)
		*replayed = s ? 0 : c.replayed;
	return grv_settle(s, c.out, json, err);
}

static hj_status selection_list_tx(hj_tx *tx, void *vc, hj_error *err)
{
	sctx *c = vc;
	json_t *call = NULL, *row = NULL;
	hj_status s = gg_call_get(tx, c->id, &call, err);
	if (!s)
		s = srw_selection_get(tx, 0, c->id, &row, err);
	if (!s) {
		json_t *items = json_array();
		if (row)
			json_array_append_new(items, json_pack("{s:O,s:O,s:O,s:O,s:O,s:O}", "id", json_object_get(row, "id"),
							       "rulebook_sha256", json_object_get(row, "rulebook_sha256"),
							       "scores_sha256", json_object_get(row, "scores_sha256"),
							       "inputs_sha256", json_object_get(row, "inputs_sha256"),
							       "committed_by", json_object_get(row, "committed_by"),
							       "committed_at_us", json_object_get(row, "committed_at_us")));
		gg_times_to_iso(items);
		c->out = json_pack("{s:I,s:o}", "call", (json_int_t)c->id, "selections", items);
		if (!c->out)
			s = NOMEM(err);
	}
	json_decref(row);
	json_decref(call);
	return s;
}

hj_status hj_selection_list(hj_store *st, const hj_actor *who, int64_t call, char **json, hj_error *err)
{
	sctx c = { .who = who, .id = call };
	hj_status s = gg_need_staff(who, err);
	if (!s)
		s = hj_store_run(st, 0, selection_list_tx, &c, err);
	return grv_settle(s, c.out, json, err);
}

static hj_status selection_get_tx(hj_tx *tx, void *vc, hj_error *err)
{
	sctx *c = vc;
	json_t *row = NULL;
	hj_status s = srw_selection_get(tx, c->id, 0, &row, err);
	if (!s && !row)
		s = hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "選定 %lld はありません", (long long)c->id);
	if (!s && !(c->out = stored_doc(row)))
		s = NOMEM(err);
	json_decref(row);
	return s;
}

hj_status hj_selection_get(hj_store *st, const hj_actor *who, int64_t id, char **json, hj_error *err)
{
	sctx c = { .who = who, .id = id };
	hj_status s = gg_need_staff(who, err);
	if (!s)
		s = hj_store_run(st, 0, selection_get_tx, &c, err);
	return grv_settle(s, c.out, json, err);
}

/* ---- notices ---- */

/* The released texts for one application from the body's items:
 * a string, or {assignment, criterion?} naming a comment of one of its
 * submitted reviews (no criterion: the overall comment). */
static hj_status feedback_items(json_t *items, const char *field, int64_t app, json_t *reviews, json_t *out,
				hj_error *err)
{
	if (!json_is_array(items) || json_array_size(items) > FEEDBACK_MAX_ITEMS)
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, field, "'%s' は%d件までの配列で書いてください", field,
				    FEEDBACK_MAX_ITEMS);
	size_t i;
	json_t *x;
	json_array_foreach(items, i, x)
	{
		char f[128];
		snprintf(f, sizeof f, "%s[%zu]", field, i);
		if (json_is_string(x)) {
			if (!json_string_length(x) || json_string_length(x) > COMMENT_MAX ||
			    strlen(json_string_value(x)) != json_string_length(x))
				return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, f, "'%s' は1〜%dバイトの文章です", f, COMMENT_MAX);
			json_array_append(out, x);
			continue;
		}
		json_t *as = json_object_get(x, "assignment"), *cr = json_object_get(x, "criterion");
		if (!json_is_object(x) || !json_is_integer(as) || (cr && !json_is_string(cr)) ||
		    json_object_size(x) != 1u + (cr != NULL))
			return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, f,
					    "'%s' は文章か {assignment, criterion?} で書いてください", f);
		json_t *text = NULL;
		size_t j;
		json_t *r;
		json_array_foreach(reviews, j, r)
			if (json_integer_value(json_object_get(r, "application")) == app &&
			    json_integer_value(json_object_get(r, "assignment")) == json_integer_value(as))
				text = cr ? json_object_get(json_object_get(r, "comments"), json_string_value(cr))
					  : json_object_get(r, "overall");
		if (!json_is_string(text) || !json_string_length(text))
			return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, f, "この申請の提出済みの審査にその講評はありません");
		json_array_append(out, text);
	}
	return HJ_OK;
}

static hj_status release_tx(hj_tx *tx, void *vc, hj_error *err)
{
	sctx *c = vc;
	json_t *row = NULL, *results = NULL, *reviews = NULL, *call = NULL, *list = json_array();
	grv_settings set;
	memset(&set, 0, sizeof set);
	hj_status s = srw_selection_get(tx, c->id, 0, &row, err);
	if (!s && !row)
		s = hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "選定 %lld はありません", (long long)c->id);
	int64_t callid = row ? json_integer_value(json_object_get(row, "call")) : 0;
	if (!s && !(s = srw_results(tx, c->id, &results, err)) && !(s = srw_call_reviews(tx, callid, &reviews, err)))
		s = grv_settings_load(tx, c->rb, callid, &call, &set, err);
	json_t *fb = json_object_get(c->body, "feedback");
	/* every key names a rejected application of the selection */
	const char *k;
	json_t *v;
	json_object_foreach(s ? NULL : fb, k, v)
	{
		char field[96];
		snprintf(field, sizeof field, "feedback.%.60s", k);
		char *e;
		long long app = strtoll(k, &e, 10);
		json_t *res = NULL;
		size_t i;
		json_t *r;
		json_array_foreach(results, i, r)
			if (!*e && json_integer_value(json_object_get(r, "application")) == app)
				res = r;
		if (!res) {
			s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, field, "申請 '%.60s' はこの選定にありません", k);
			break;
		}
		if (!strcmp(json_string_value(json_object_get(res, "outcome")), "adopted")) {
			s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, field, "講評を付けられるのは不採択の申請だけです");
			break;
		}
		json_t *tmp = json_array();
		s = feedback_items(v, field, app, reviews, tmp, err);
		json_decref(tmp);
		if (s)
			break;
	}
	int64_t released = 0, already = 0, now = hj_now_us();
	size_t i;
	json_t *r;
	json_array_foreach(s ? NULL : results, i, r)
	{
		int64_t app = json_integer_value(json_object_get(r, "application"));
		int adopted = !strcmp(json_string_value(json_object_get(r, "outcome")), "adopted");
		char key[32];
		snprintf(key, sizeof key, "%lld", (long long)app);
		json_t *items = json_array(), *given = json_object_get(fb, key);
		if (given)
			s = feedback_items(given, "feedback", app, reviews, items, err);
		else if (!adopted && set.feedback_release) {
			/* the call releases every comment of the submitted reviews */
			size_t j;
			json_t *rv;
			json_array_foreach(reviews, j, rv)
			{
				if (json_integer_value(json_object_get(rv, "application")) != app)
					continue;
				for (int cix = 0; cix < set.ncrit; cix++) {
					json_t *t = json_object_get(json_object_get(rv, "comments"), set.crit[cix]->id);
					if (json_is_string(t) && json_string_length(t))
						json_array_append(items, t);
				}
				if (json_is_string(json_object_get(rv, "overall")) &&
				    json_string_length(json_object_get(rv, "overall")))
					json_array_append(items, json_object_get(rv, "overall"));
			}
		}
		char *ft = s ? NULL : gg_dump(items, 0);
		int changed = 0;
		if (!s && !ft)
			s = NOMEM(err);
		if (!s)
			s = srw_notice_insert(tx, app, c->id, adopted ? "adopted" : "rejected",
					      json_string_value(json_object_get(r, "frame")),
					      adopted ? json_integer_value(json_object_get(r, "amount")) : 0, ft, c->who->account, now,
					      &changed, err);
		hj_free(ft);
		json_decref(items);
		if (!s && changed)
			s = gg_audit(tx, c->who, "review.notice", "application", app, 0, NULL, NULL,
				     json_pack("{s:I,s:s}", "selection", (json_int_t)c->id, "outcome",
					       adopted ? "adopted" : "rejected"),
				     err);
		if (s)
			break;
		released += changed;
		already += !changed;
		if (changed)
			json_array_append_new(list, json_pack("{s:I,s:s,s:O,s:I}", "application", (json_int_t)app, "outcome",
							      adopted ? "adopted" : "rejected", "frame", json_object_get(r, "frame"),
							      "amount", (json_int_t)(adopted ? json_integer_value(json_object_get(r, "amount")) : 0)));
	}
	if (!s) {
		c->out = json_pack("{s:I,s:I,s:I,s:O}", "selection", (json_int_t)c->id, "released", (json_int_t)released,
				   "already", (json_int_t)already, "notices", list);
		if (!c->out)
			s = NOMEM(err);
	}
	json_decref(list);
	json_decref(row);
	json_decref(results);
	json_decref(reviews);
	json_decref(call);
	grv_settings_clear(&set);
	return s;
}

/* Staff release the notices of a committed selection. */
hj_status hj_notices_release(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t selection,
				const char *body, size_t len, char **json, hj_error *err)
{
	sctx c = { .rb = rb, .who = who, .id = selection };
	hj_status s = gg_need_staff(who, err);
	if (!s)
		s = gg_parse_body(body, len, "feedback", &c.body, err);
	json_t *fb = json_object_get(c.body, "feedback");
	if (!s && fb && !json_is_null(fb) && !json_is_object(fb))
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "feedback", "'feedback' は {申請id: [講評]} で書いてください");
	const char *k;
	json_t *v;
	json_object_foreach(s || !json_is_object(fb) ? NULL : fb, k, v)
		if (!json_is_array(v) || json_array_size(v) > FEEDBACK_MAX_ITEMS) {
			s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, NULL, "'feedback.%.60s' は%d件までの配列で書いてください", k,
					 FEEDBACK_MAX_ITEMS);
			snprintf(err->field, sizeof err->field, "feedback.%.60s", k);
			break;
		}
	if (!s)
		s = hj_store_run(st, 1, release_tx, &c, err);
	json_decref(c.body);
	return grv_settle(s, c.out, json, err);
}

/* A notice as the applicant reads it. */
static json_t *notice_doc(const hj_rulebook *rb, json_t *n)
{
	const char *o = json_string_value(json_object_get(n, "outcome"));
	json_object_set_new(n, "outcome_ja", json_string(!strcmp(o, "adopted") ? "採択" : "不採択"));
	json_object_set_new(n, "frame_name", frame_name(rb, json_string_value(json_object_get(n, "frame"))));
	char y[64];
	hj_yen_format(json_integer_value(json_object_get(n, "amount")), y, sizeof y);
	json_object_set_new(n, "amount_text", json_string(y));
	gg_times_to_iso(n);
	return n;
}

static hj_status notice_get_tx(hj_tx *tx, void *vc, hj_error *err)
{
	sctx *c = vc;
	sti_app a;
	int found;
	hj_status s = sti_app_get(tx, c->id, &a, &found, err);
	if (s)
		return s;
	int see = found && gg_is_staff(c->who);
	if (found && !see) {
		sti_member m;
		if (!(s = sti_membership(tx, a.company, a.id, c->who->account, hj_now_us(), &m, err)))
			see = m.role[0] != '\0';
	}
	json_t *n = NULL;
	if (!s && see)
		s = srw_notice_get(tx, a.id, &n, err);
	if (!s && !n)
		s = hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "申請 %lld の通知はありません", (long long)c->id);
	if (!s)
		c->out = notice_doc(c->rb, n);
	else
		json_decref(n);
	sti_app_clear(&a);
	return s;
}

/* The notice of one application, for its members and staff. */
hj_status hj_notice_get(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t app, char **json,
			   hj_error *err)
{
	sctx c = { .rb = rb, .who = who, .id = app };
	hj_status s = gg_need_account(who, err);
	if (!s)
		s = hj_store_run(st, 0, notice_get_tx, &c, err);
	return grv_settle(s, c.out, json, err);
}

static hj_status notice_list_tx(hj_tx *tx, void *vc, hj_error *err)
{
	sctx *c = vc;
	json_t *list = NULL;
	hj_status s = srw_notice_list(tx, c->who->account, hj_now_us(), &list, err);
	if (!s) {
		size_t i;
		json_t *n;
		json_array_foreach(list, i, n)
			notice_doc(c->rb, n);
		c->out = json_pack("{s:o}", "notices", list);
		if (!c->out)
			s = NOMEM(err);
	}
	return s;
}

/* The notices of the applications the actor is a member of. */
hj_status hj_notice_list(hj_store *st, const hj_rulebook *rb, const hj_actor *who, char **json, hj_error *err)
{
	sctx c = { .rb = rb, .who = who };
	hj_status s = gg_need_account(who, err);
	if (!s)
		s = hj_store_run(st, 0, notice_list_tx, &c, err);
	return grv_settle(s, c.out, json, err);
}
