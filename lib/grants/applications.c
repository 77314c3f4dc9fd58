/*
 * lib/grants/applications.c - intake as office logic (include/hojo/
 * grants/applications.h, docs/intake.md): who may see, edit, submit and
 * send back an application; what the engine says about a draft; the
 * receipt and its verification; the versions and their diff.
 *
 * The rules of this file, in one place:
 *  - Visibility. A current member (owner or contributor, not revoked,
 *    not past 'until') of the application's company sees it; staff and
 *    admins see every application that is not a draft; nobody else,
 *    and to them it does not exist (HJ_ERR_NOT_FOUND).
 *  - Editing. Members edit while the state is draft or returned.
 *  - Saving never refuses valid JSON: the raw text is stored as sent;
 *    the engine reads a copy from which the fields it does not know (or
 *    cannot read) are removed one by one, and these are reported
 *    (unknown_fields, warnings of type "invalid"), never dropped.
 *  - Submitting needs the call open (opens_at <= now < closes_at +
 *    grace), a member allowed to submit (owner, or contributor with a
 *    current delegation) and a passing check: each chosen frame 対象
 *    (eligible), or 要確認 with every open item acknowledged with a
 *    reason. The state change, the frozen version, the receipt and the
 *    idempotency record are written in one transaction.
 *  - The snapshot of a version is the canonical JSON (sorted keys,
 *    compact) of {application, call, company, data, frames, version};
 *    its SHA-256 is the version's hash, the receipt's snapshot hash,
 *    and the audit log's before/after hash.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include "hojo/alloc.h"
#include "hojo/eval.h"
#include "hojo/input.h"
#include "hojo/grants/applications.h"
#include "hojo/grants/audit.h"
#include "store/applications.h"
#include "grants-int.h"

#define NOMEM(err) hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません")
#define DRAFT_COALESCE_US (10 * 60 * 1000000)  /* draft saves within 10 minutes share a version row */

/* ---- small helpers ---- */

/* The end of an operation: on success hand the document 'out' to the
 * caller as *json, on failure drop it; 's' either way (takes 'out'). */
static hj_status settle(hj_status s, json_t *out, char **json, hj_error *err)
{
	if (s) {
		json_decref(out);
		return s;
	}
	return gg_give(out, json, err);
}

/* The body of an operation: unless 's' already failed, read 'body'
 * (one JSON object with only the keys 'allowed') into *parsed and run
 * 'fn' with 'c' in a transaction (hj_store_run, 'write'); *parsed is
 * dropped after. The status of the first step that failed, or HJ_OK. */
static hj_status run_body(hj_store *st, hj_status s, const char *body, size_t len, const char *allowed,
			  json_t **parsed, int write, hj_tx_fn fn, void *c,
			  hj_error *err)
{
	if (!s)
		s = gg_parse_body(body, len, allowed, parsed, err);
	if (!s)
		s = hj_store_run(st, write, fn, c, err);
	json_decref(*parsed);
	*parsed = NULL;
	return s;
}

/* Companies and applications are made by accounts with the role
 * applicant (grants.h); staff, reviewers, supporters and vendors act
 * on others' applications, never as applicants. */
static hj_status need_applicant(const hj_actor *who, hj_error *err)
{
	hj_status s = gg_need_account(who, err);
	if (!s && !(who->roles & HJ_ROLE_APPLICANT))
		s = hj_error_set(err, HJ_ERR_DENIED, NULL, 0, 0, NULL,
				 "会社の登録と申請の作成は申請者（applicant）の役割を持つアカウントだけができます");
	return s;
}

/* ---- audit ---- */

/* A refused attempt, in a transaction of its own (its own failure is
 * not the caller's: the refusal's error stays in 'err'). */
static void audit_refused(hj_store *st, const hj_actor *who, const char *action, const char *type, int64_t id,
			  int64_t company, const hj_error *why)
{
	json_t *d = json_pack("{s:s,s:s,s:s}", "status", hj_status_name(why->status), "field", why->field, "message",
			      why->message);
	char *t = d ? gg_dump(d, JSON_SORT_KEYS) : NULL;
	json_decref(d);
	hj_audit_event ev = { action, type, id, company, NULL, NULL, "refused", t };
	hj_error e2;
	(void)hj_audit_refused(st, who, &ev, &e2);
	hj_free(t);
}

/* ---- the engine's view of a draft ---- */

static const hj_edition *find_edition(const hj_rulebook *rb, const char *id);


static void warn(json_t *w, const char *frame, const char *type, const char *item, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void warn(json_t *w, const char *frame, const char *type, const char *item, const char *fmt, ...)
{
	char msg[1200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	json_array_append_new(w, json_pack("{s:o,s:s,s:o,s:s}", "frame", frame ? json_string(frame) : json_null(),
					   "type", type, "item", item ? json_string(item) : json_null(), "message", msg));
}

/* Warnings that stop a submit whatever is acknowledged. */
static int blocking_type(const char *type)
{
	return !strcmp(type, "invalid") || !strcmp(type, "unknown_frame") || !strcmp(type, "ineligible") ||
	       !strcmp(type, "failing") || !strcmp(type, "unreadable") || !strcmp(type, "document");
}

/* What the engine says about 'data' for 'frames' of the call's
 * 'edition': warnings (what is missing, failing or unreadable) and
 * unknown_fields (kept, but not known to this rulebook). 'date_us' is
 * the date the engine uses when the data gives none. */
static hj_status check_data(const hj_rulebook *rb, const char *data, json_t *frames, const char *edition,
			    int64_t date_us, json_t *attachments, json_t **warnings, json_t **unknown, hj_tx *tx,
			    int64_t app, const char *program, json_t **parties, hj_error *err)
{
	*warnings = json_array();
	*unknown = json_array();
	json_t *copy = json_loads(data, 0, NULL);
	if (!*warnings || !*unknown)
		goto nomem;
	if (!json_is_object(copy)) {
		json_decref(copy);
		warn(*warnings, NULL, "unreadable", NULL, "申請の内容がオブジェクトではありません");
		return HJ_OK;
	}
	if (!json_object_get(copy, "date")) {
		char d[32];
		gg_iso_jst(date_us, d);
		d[10] = '\0';
		json_object_set_new(copy, "date", json_string(d));
	}
	/* the facts the parties confirm come from their records (parties.c) */
	hj_status ps = gp_overlay(tx, rb, app, program, copy, *warnings, parties, err);
	if (ps) {
		json_decref(copy);
		json_decref(*warnings);
		json_decref(*unknown);
		*warnings = *unknown = NULL;
		return ps;
	}
	hj_facts *f = NULL;
	for (int tries = 0;; tries++) {
		hj_facts_free(f);
		f = NULL;
		if (hj_facts_new(rb, &f))
			goto nomem_copy;
		char *text = gg_dump(copy, 0);
		if (!text)
			goto nomem_copy;
		hj_error e;
		hj_status s = hj_facts_load_json(f, text, strlen(text), "application", &e);
		hj_free(text);
		if (!s)
			break;
		if (s == HJ_ERR_NOMEM)
			goto nomem_copy;
		int unknown_field = !strncmp(e.message, "未知の項目", strlen("未知の項目"));
		if (tries >= 200 || !e.field[0] || gg_remove_path(copy, e.field)) {
			warn(*warnings, NULL, "unreadable", e.field[0] ? e.field : NULL, "申請の内容を読めません: %s",
			     e.message);
			hj_facts_free(f);
			json_decref(copy);
			return HJ_OK;
		}
		if (unknown_field)
			json_array_append_new(*unknown, json_string(e.field));
		else
			warn(*warnings, NULL, "invalid", e.field, "%s", e.message);
	}
	json_decref(copy);
	size_t i;
	json_t *fj;
	json_array_foreach(frames, i, fj)
	{
		const char *fid = json_string_value(fj);
		const hj_frame *fr = fid ? hj_rulebook_find_frame(rb, fid) : NULL;
		if (!fr || strcmp(hj_edition_id(hj_frame_edition(fr)), edition)) {
			warn(*warnings, fid, "unknown_frame", fid, "枠 '%s' は今の規則集のこの公募回にありません", fid ? fid : "");
			continue;
		}
		hj_result r;
		if (hj_evaluate(rb, f, fr, &r)) {
			warn(*warnings, fid, "unreadable", NULL, "枠 '%s' の計算ができません（桁あふれ）", fid);
			continue;
		}
		if (r.verdict == HJ_ELIGIBLE)
			continue;
		if (r.verdict == HJ_INELIGIBLE) {
			hj_reasons *rs = NULL;
			int nfail = 0;
			if (!hj_explain(rb, f, &r, &rs)) {
				for (int k = 0; k < hj_reasons_count(rs); k++) {
					const hj_reason *re = hj_reasons_get(rs, k);
					if (re->result != HJ_FALSE || !strcmp(re->kind, "classification"))
						continue;
					int hv = re->values && *re->values;
					warn(*warnings, fid, "failing", re->id && *re->id ? re->id : re->kind, "%s%s%s%s",
					     re->text, hv ? "（" : "", hv ? re->values : "", hv ? "）" : "");
					nfail++;
				}
			}
			hj_reasons_free(rs);
			warn(*warnings, fid, "ineligible", fid, "枠 '%s'（%s）の判定は%sです", fid, hj_frame_name(fr),
			     hj_verdict_name_ja(r.verdict));
			(void)nfail;
			continue;
		}
		for (int k = 0; k < r.nmissing && k < 64; k++) {
			int fact = r.missing[k];
			warn(*warnings, fid, "missing", hj_fact_input(rb, fact), "「%s」（%s）が未入力です",
			     hj_fact_label(rb, fact), hj_fact_input(rb, fact));
		}
		if (!r.nmissing)
			warn(*warnings, fid, "undetermined", "verdict", "枠 '%s'（%s）の判定は要確認です", fid, hj_frame_name(fr));
	}
	/* the documents the edition requires for these facts, by attachment kind */
	const hj_edition *ed = find_edition(rb, edition);
	for (int k = 0; ed && k < hj_edition_ndocs(ed); k++) {
		if (hj_edition_doc_required(rb, f, ed, k) != HJ_TRUE)
			continue;
		const char *id, *name, *src;
		hj_edition_doc(ed, k, &id, &name, &src);
		int have = 0;
		json_t *a;
		json_array_foreach(attachments, i, a)
			have |= json_is_string(json_object_get(a, "kind")) &&
				!strcmp(json_string_value(json_object_get(a, "kind")), id);
		if (!have)
			warn(*warnings, NULL, "document", id, "「%s」を添付してください（種類 kind: %s、%s）", name, id, src);
	}
	gp_prune(*warnings);
	hj_facts_free(f);
	return HJ_OK;
nomem_copy:
	hj_facts_free(f);
nomem:
	json_decref(copy);
	json_decref(*warnings);
	json_decref(*unknown);
	*warnings = *unknown = NULL;
	return NOMEM(err);
}

/* ---- snapshots ---- */

/* The canonical snapshot text of a version and its SHA-256. */
static hj_status snapshot(int64_t app, int64_t call, int64_t company, const char *data, json_t *frames,
			  int64_t version, char **text, char sha[65], hj_error *err)
{
	json_t *d = json_loads(data, 0, NULL);
	json_t *s = json_pack("{s:I,s:I,s:I,s:o,s:O,s:I}", "application", (json_int_t)app, "call", (json_int_t)call,
			      "company", (json_int_t)company, "data", d ? d : json_null(), "frames", frames,
			      "version", (json_int_t)version);
	*text = s ? gg_dump(s, JSON_SORT_KEYS) : NULL;
	json_decref(s);
	if (!*text)
		return NOMEM(err);
	hj_sha256_hex(*text, strlen(*text), sha);
	return HJ_OK;
}

/* ---- calls ---- */

static const hj_edition *find_edition(const hj_rulebook *rb, const char *id)
{
	for (int i = 0; i < hj_rulebook_nprograms(rb); i++) {
		const hj_program *p = hj_rulebook_program(rb, i);
		for (int k = 0; k < hj_program_neditions(p); k++)
			if (!strcmp(hj_edition_id(hj_program_edition(p, k)), id))
				return hj_program_edition(p, k);
	}
	return NULL;
}

/* Is the call open at 'now'? */
static int call_open(json_t *call, int64_t now)
{
	int64_t o = json_integer_value(json_object_get(call, "opens_at_us"));
	int64_t c = json_integer_value(json_object_get(call, "closes_at_us"));
	int64_t g = json_integer_value(json_object_get(call, "grace_seconds"));
	return o <= now && now < c + g * 1000000;
}

/* The call as the API shows it: times in JST, open now, frame names. */
static json_t *call_view(const hj_rulebook *rb, json_t *call)
{
	json_object_set_new(call, "open", json_boolean(call_open(call, hj_now_us())));
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(call, "frames"), i, f)
	{
		const hj_frame *fr = hj_rulebook_find_frame(rb, json_string_value(json_object_get(f, "frame")));
		json_object_set_new(f, "name", fr ? json_string(hj_frame_name(fr)) : json_null());
	}
	gg_times_to_iso(call);
	return call;
}

/* frames [{frame, budget?, slots?}] of 'edition' into the call. */
static hj_status put_call_frames(hj_tx *tx, const hj_rulebook *rb, const hj_edition *ed, int64_t call, json_t *frames,
				 hj_error *err)
{
	if (!frames) {
		for (int i = 0; i < hj_edition_nframes(ed); i++) {
			const hj_frame *fr = hj_edition_frame(ed, i);
			int slots = hj_frame_slots(fr);
			hj_status s = sti_call_frame_put(tx, call, hj_frame_id(fr), -1, slots ? slots : -1, err);
			if (s)
				return s;
		}
		return HJ_OK;
	}
	if (!json_is_array(frames))
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "frames", "frames は [{frame, budget, slots}] で書いてください");
	size_t i;
	json_t *f;
	json_array_foreach(frames, i, f)
	{
		char field[64];
		snprintf(field, sizeof field, "frames[%zu]", i);
		const char *id = json_string_value(json_object_get(f, "frame"));
		const hj_frame *fr = id ? hj_rulebook_find_frame(rb, id) : NULL;
		if (!json_is_object(f) || !fr || hj_frame_edition(fr) != ed)
			return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, field, "'%s' はこの版（%s）の枠ではありません",
					    id ? id : "", hj_edition_id(ed));
		int64_t budget = -1, slots = hj_frame_slots(fr) ? hj_frame_slots(fr) : -1;
		json_t *b = json_object_get(f, "budget"), *sl = json_object_get(f, "slots");
		if (b && !json_is_null(b)) {
			if (!json_is_integer(b) || json_integer_value(b) < 0)
				return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, field, "budget は0以上の整数（円）で書いてください");
			budget = json_integer_value(b);
		}
		if (sl) {
			if (json_is_null(sl))
				slots = -1;
			else if (!json_is_integer(sl) || json_integer_value(sl) < 0)
				return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, field, "slots は0以上の整数（社）で書いてください");
			else
				slots = json_integer_value(sl);
		}
		hj_status s = sti_call_frame_put(tx, call, id, budget, slots, err);
		if (s)
			return s;
	}
	return HJ_OK;
}

typedef struct call_ctx {
	const hj_rulebook *rb;
	const hj_actor *who;
	json_t *body;
	int64_t id;
	json_t *out;
	const char *state, *frame, *q;
	int page, per_page;
} call_ctx;

static hj_status call_create_tx(hj_tx *tx, void *vc, hj_error *err)
{
	call_ctx *c = vc;
	const char *edition, *title;
	int64_t opens, closes, grace = 0;
	hj_status s;
	if ((s = gg_want_string(c->body, "edition", 1, 64, &edition, err)) ||
	    (s = gg_want_string(c->body, "title", 0, 200, &title, err)) ||
	    (s = gg_want_time(c->body, "opens_at", 1, &opens, NULL, err)) ||
	    (s = gg_want_time(c->body, "closes_at", 1, &closes, NULL, err)) ||
	    (s = gg_want_int(c->body, "grace_seconds", 0, 0, &grace, NULL, err)))
		return s;
	const hj_edition *ed = find_edition(c->rb, edition);
	if (!ed)
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "edition", "未知の版 '%s'（GET /api/v1/rules で一覧できます）",
				    edition);
	if (closes <= opens)
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "closes_at", "締切は受付開始より後にしてください");
	char deftitle[300];
	snprintf(deftitle, sizeof deftitle, "%s %s", hj_program_name(hj_edition_program(ed)), hj_edition_name(ed));
	int64_t now = hj_now_us();
	if ((s = sti_call_insert(tx, hj_program_id(hj_edition_program(ed)), edition, title ? title : deftitle, opens,
				 closes, grace, c->who->account, now, &c->id, err)) ||
	    (s = put_call_frames(tx, c->rb, ed, c->id, json_object_get(c->body, "frames"), err)) ||
	    (s = sti_call_get(tx, c->id, &c->out, err)))
		return s;
	return gg_audit(tx, c->who, "call.create", "call", c->id, 0, NULL, NULL, json_pack("{s:s}", "edition", edition), err);
}

hj_status hj_call_create(hj_store *st, const hj_rulebook *rb, const hj_actor *who, const char *body, size_t len,
			 char **json, hj_error *err)
{
	*json = NULL;
	call_ctx c = { rb, who, NULL, 0, NULL, NULL, NULL, NULL, 0, 0 };
	hj_status s = gg_need_staff(who, err);
	s = run_body(st, s, body, len, "edition,title,opens_at,closes_at,grace_seconds,frames", &c.body, 1, call_create_tx, &c, err);
	if (s) {
		json_decref(c.out);
		return s;
	}
	return gg_give(json_pack("{s:o}", "call", call_view(rb, c.out)), json, err);
}

static hj_status call_update_tx(hj_tx *tx, void *vc, hj_error *err)
{
	call_ctx *c = vc;
	json_t *cur;
	hj_status s = gg_call_get(tx, c->id, &cur, err);
	if (s)
		return s;
	const char *title = json_string_value(json_object_get(cur, "title"));
	int64_t opens = json_integer_value(json_object_get(cur, "opens_at_us"));
	int64_t closes = json_integer_value(json_object_get(cur, "closes_at_us"));
	int64_t grace = json_integer_value(json_object_get(cur, "grace_seconds"));
	const char *t2;
	const hj_edition *ed = find_edition(c->rb, json_string_value(json_object_get(cur, "edition")));
	if ((s = gg_want_string(c->body, "title", 0, 200, &t2, err)) ||
	    (s = gg_want_time(c->body, "opens_at", 0, &opens, NULL, err)) ||
	    (s = gg_want_time(c->body, "closes_at", 0, &closes, NULL, err)) ||
	    (s = gg_want_int(c->body, "grace_seconds", 0, 0, &grace, NULL, err)))
		goto done;
	if (closes <= opens) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "closes_at", "締切は受付開始より後にしてください");
		goto done;
	}
	if (json_object_get(c->body, "frames") && !ed) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "frames", "この公募回の版は今の規則集にありません");
		goto done;
	}
	if ((s = sti_call_update(tx, c->id, t2 ? t2 : title, opens, closes, grace, hj_now_us(), err)))
		goto done;
	if (json_object_get(c->body, "frames") &&
	    (s = put_call_frames(tx, c->rb, ed, c->id, json_object_get(c->body, "frames"), err)))
		goto done;
	if ((s = sti_call_get(tx, c->id, &c->out, err)))
		goto done;
	s = gg_audit(tx, c->who, "call.update", "call", c->id, 0, NULL, NULL, json_deep_copy(c->body), err);
done:
	json_decref(cur);
	return s;
}

hj_status hj_call_update(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t id, const char *body,
			 size_t len, char **json, hj_error *err)
{
	*json = NULL;
	call_ctx c = { rb, who, NULL, id, NULL, NULL, NULL, NULL, 0, 0 };
	hj_status s = gg_need_staff(who, err);
	s = run_body(st, s, body, len, "title,opens_at,closes_at,grace_seconds,frames", &c.body, 1, call_update_tx, &c, err);
	if (s) {
		json_decref(c.out);
		return s;
	}
	return gg_give(json_pack("{s:o}", "call", call_view(rb, c.out)), json, err);
}

static hj_status call_get_tx(hj_tx *tx, void *vc, hj_error *err)
{
	call_ctx *c = vc;
	json_decref(c->out);
	c->out = NULL;
	hj_status s = c->id ? sti_call_get(tx, c->id, &c->out, err) : sti_call_list(tx, &c->out, err);
	if (!s && !c->out)
		s = hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "公募回 %lld はありません", (long long)c->id);
	return s;
}

hj_status hj_call_get(hj_store *st, const hj_rulebook *rb, int64_t id, char **json, hj_error *err)
{
	*json = NULL;
	call_ctx c = { rb, NULL, NULL, id, NULL, NULL, NULL, NULL, 0, 0 };
	hj_status s = hj_store_run(st, 0, call_get_tx, &c, err);
	if (s)
		return s;
	return gg_give(json_pack("{s:o}", "call", call_view(rb, c.out)), json, err);
}

hj_status hj_call_list(hj_store *st, const hj_rulebook *rb, char **json, hj_error *err)
{
	*json = NULL;
	call_ctx c = { rb, NULL, NULL, 0, NULL, NULL, NULL, NULL, 0, 0 };
	hj_status s = hj_store_run(st, 0, call_get_tx, &c, err);
	if (s)
		return s;
	size_t i;
	json_t *v;
	json_array_foreach(c.out, i, v)
		call_view(rb, v);
	return gg_give(json_pack("{s:o}", "calls", c.out), json, err);
}

static void page_fix(int *page, int *per_page)
{
	if (*page < 1)
		*page = 1;
	if (*per_page < 1 || *per_page > 200)
		*per_page = 50;
}

static hj_status submissions_tx(hj_tx *tx, void *vc, hj_error *err)
{
	call_ctx *c = vc;
	json_t *call;
	hj_status s = gg_call_get(tx, c->id, &call, err);
	if (s)
		return s;
	json_decref(call);
	int64_t total = 0;
	json_t *items = NULL;
	json_decref(c->out);
	c->out = NULL;
	if ((s = sti_call_submissions(tx, c->id, c->state, c->frame, c->q, c->page, c->per_page, &items, &total, err)))
		return s;
	gg_times_to_iso(items);
	c->out = json_pack("{s:o,s:i,s:i,s:I}", "applications", items, "page", c->page, "per_page", c->per_page,
			   "total", (json_int_t)total);
	return c->out ? HJ_OK : NOMEM(err);
}

hj_status hj_call_submissions(hj_store *st, const hj_actor *who, int64_t call, const char *state, const char *frame,
			      const char *q, int page, int per_page, char **json, hj_error *err)
{
	*json = NULL;
	page_fix(&page, &per_page);
	call_ctx c = { NULL, who, NULL, call, NULL, state, frame, q, page, per_page };
	hj_status s = gg_need_staff(who, err);
	if (!s)
		s = hj_store_run(st, 0, submissions_tx, &c, err);
	return settle(s, c.out, json, err);
}

/* ---- companies ---- */

typedef struct company_ctx {
	const hj_actor *who;
	const char *name, *number;
	int64_t id;
	json_t *out;
} company_ctx;

static hj_status company_create_tx(hj_tx *tx, void *vc, hj_error *err)
{
	company_ctx *c = vc;
	int64_t now = hj_now_us();
	hj_status s;
	if ((s = sti_company_insert(tx, c->name, c->number, c->who->account, now, &c->id, err)) ||
	    (s = sti_member_insert(tx, c->id, c->who->account, 0, "owner", 1, 0, c->who->account, now, NULL, err)))
		return s;
	return gg_audit(tx, c->who, "company.create", "company", c->id, c->id, NULL, NULL, json_pack("{s:s}", "name", c->name),
			err);
}

hj_status hj_company_create(hj_store *st, const hj_actor *who, const char *body, size_t len, char **json,
			    hj_error *err)
{
	*json = NULL;
	json_t *b = NULL;
	company_ctx c = { who, NULL, NULL, 0, NULL };
	hj_status s = need_applicant(who, err);
	if (!s)
		s = gg_parse_body(body, len, "name,corporate_number", &b, err);
	if (!s && !(s = gg_want_string(b, "name", 1, 200, &c.name, err)) &&
	    !(s = gg_want_string(b, "corporate_number", 0, 13, &c.number, err))) {
		if (c.number && (strlen(c.number) != 13 || strspn(c.number, "0123456789") != 13))
			s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "corporate_number", "法人番号は13桁の数字です");
		else
			s = hj_store_run(st, 1, company_create_tx, &c, err);
	}
	if (!s)
		s = gg_give(json_pack("{s:{s:I,s:s,s:o,s:b}}", "company", "id", (json_int_t)c.id, "name", c.name,
				      "corporate_number", c.number ? json_string(c.number) : json_null(), "owner", 1),
			    json, err);
	json_decref(b);
	return s;
}

static hj_status company_list_tx(hj_tx *tx, void *vc, hj_error *err)
{
	company_ctx *c = vc;
	json_decref(c->out);
	c->out = NULL;
	return sti_company_list(tx, c->who->account, hj_now_us(), &c->out, err);
}

hj_status hj_company_list(hj_store *st, const hj_actor *who, char **json, hj_error *err)
{
	*json = NULL;
	company_ctx c = { who, NULL, NULL, 0, NULL };
	hj_status s = gg_need_account(who, err);
	if (!s)
		s = hj_store_run(st, 0, company_list_tx, &c, err);
	if (s) {
		json_decref(c.out);
		return s;
	}
	return gg_give(json_pack("{s:o}", "companies", c.out), json, err);
}

/* ---- applications ---- */

/* The application 'id' as the actor may see it; NOT_FOUND otherwise. */
static hj_status see_app(hj_tx *tx, const hj_actor *who, int64_t id, sti_app *a, sti_member *m, hj_error *err)
{
	int found;
	hj_status s = sti_app_get(tx, id, a, &found, err);
	if (s)
		return s;
	memset(m, 0, sizeof *m);
	if (found && (s = sti_membership(tx, a->company, a->id, who->account, hj_now_us(), m, err)))
		return s;
	/* staff see what reached the office: an application submitted at
	 * least once (submitted, returned, or withdrawn after a submit);
	 * a draft withdrawn before any submit never reached it */
	if (found && (m->role[0] || (gg_is_staff(who) && a->submitted_at)))
		return HJ_OK;
	sti_app_clear(a);
	return hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "申請 %lld はありません", (long long)id);
}

static int editable(const sti_app *a)
{
	return !strcmp(a->state, "draft") || !strcmp(a->state, "returned");
}

static hj_status edit_app(hj_tx *tx, const hj_actor *who, int64_t id, sti_app *a, sti_member *m, hj_error *err)
{
	hj_status s = see_app(tx, who, id, a, m, err);
	if (s)
		return s;
	if (!m->role[0])
		s = hj_error_set(err, HJ_ERR_DENIED, NULL, 0, 0, NULL, "この申請を変更できるのは申請者側だけです");
	else if (!editable(a))
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "state", "状態が「%s」の申請は変更できません", a->state);
	if (s)
		sti_app_clear(a);
	return s;
}

static const char *state_ja(const char *s)
{
	return !strcmp(s, "draft")	? "下書き"
	       : !strcmp(s, "submitted") ? "提出済み"
	       : !strcmp(s, "returned")	 ? "差戻し"
	       : !strcmp(s, "withdrawn") ? "取下げ"
					 : s;
}

/* The engine's date for an application without a date: today (JST),
 * kept inside the call's period. */
static int64_t check_date(json_t *call)
{
	int64_t now = hj_now_us();
	int64_t o = json_integer_value(json_object_get(call, "opens_at_us"));
	int64_t c = json_integer_value(json_object_get(call, "closes_at_us"));
	return now < o ? o : now > c ? c : now;
}

/* The application document of docs/api.md. */
static hj_status app_doc(hj_tx *tx, const hj_rulebook *rb, const hj_actor *who, const sti_app *a, const sti_member *m,
			 json_t **out, hj_error *err)
{
	json_t *call = NULL, *company = NULL, *sendbacks = NULL, *warnings = NULL, *unknown = NULL, *atts = NULL,
	       *receipts = NULL;
	json_t *parties = NULL;
	*out = NULL;
	hj_status s;
	if ((s = sti_call_get(tx, a->call, &call, err)) || (s = sti_company_get(tx, a->company, &company, err)) ||
	    (s = sti_sendback_list(tx, a->id, &sendbacks, err)) || (s = sti_attachment_list(tx, a->id, &atts, err)) ||
	    (s = sti_receipt_list(tx, a->id, &receipts, err)))
		goto done;
	if (!call || !company) {
		s = hj_error_set(err, HJ_ERR_INTERNAL, NULL, 0, 0, NULL, "申請の公募回か会社がありません");
		goto done;
	}
	if ((s = check_data(rb, a->data, a->frames, json_string_value(json_object_get(call, "edition")), check_date(call),
			    atts, &warnings, &unknown, tx, a->id, json_string_value(json_object_get(call, "program")),
			    &parties, err)))
		goto done;
	json_t *data = json_loads(a->data, 0, NULL);
	gg_times_to_iso(sendbacks);
	gg_times_to_iso(receipts);
	int member = m->role[0] != 0;
	json_t *app = json_pack(
		"{s:I,s:I,s:O,s:I,s:O,s:O,s:s,s:s,s:I,s:I,s:I,s:I}", "id", (json_int_t)a->id, "company",
		(json_int_t)a->company, "company_name", json_object_get(company, "name"), "call", (json_int_t)a->call,
		"call_title", json_object_get(call, "title"), "frames", a->frames, "state", a->state, "state_ja",
		state_ja(a->state), "version", (json_int_t)a->version, "created_at_us", (json_int_t)a->created_at,
		"updated_at_us", (json_int_t)a->updated_at, "submitted_at_us", (json_int_t)a->submitted_at);
	/* times in JST, then the applicant's data (never rewritten) */
	gg_times_to_iso(app);
	json_object_set_new(app, "data", data ? data : json_null());
	if (app && parties)
		json_object_set(app, "parties", parties);
	*out = json_pack("{s:o,s:o,s:o,s:o,s:o,s:{s:b,s:b,s:b,s:b},s:{s:o,s:s,s:b}}", "application", app, "warnings",
			 warnings, "unknown_fields", unknown, "sendbacks", sendbacks, "receipts", receipts, "permissions", "edit",
			 member && editable(a), "submit", member && m->can_submit && editable(a), "invite",
			 !strcmp(m->role, "owner"), "send_back", gg_is_staff(who) && !strcmp(a->state, "submitted"),
			 "rulebook", "checked_with", a->rulebook[0] ? json_string(a->rulebook) : json_null(), "current",
			 hj_rulebook_hash(rb), "changed", a->rulebook[0] && strcmp(a->rulebook, hj_rulebook_hash(rb)));
	warnings = unknown = sendbacks = receipts = NULL;
	if (!*out)
		s = NOMEM(err);
done:
	json_decref(atts);
	json_decref(receipts);
	json_decref(call);
	json_decref(company);
	json_decref(sendbacks);
	json_decref(warnings);
	json_decref(unknown);
	json_decref(parties);
	return s;
}

/* frames: a non-empty array of distinct frame ids of the call's edition. */
static hj_status check_frames(const hj_rulebook *rb, json_t *frames, json_t *call, hj_error *err)
{
	const char *edition = json_string_value(json_object_get(call, "edition"));
	if (!json_is_array(frames) || !json_array_size(frames) || json_array_size(frames) > 16)
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "frames", "frames に枠を1つ以上（16まで）挙げてください");
	size_t i, k;
	json_t *f;
	json_array_foreach(frames, i, f)
	{
		const char *id = json_string_value(f);
		const hj_frame *fr = id ? hj_rulebook_find_frame(rb, id) : NULL;
		if (!fr || strcmp(hj_edition_id(hj_frame_edition(fr)), edition))
			return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "frames", "'%s' はこの公募回（%s）の枠ではありません",
					    id ? id : "?", edition);
		int inc = 0;
		json_t *g;
		json_array_foreach(json_object_get(call, "frames"), k, g)
			inc |= !strcmp(json_string_value(json_object_get(g, "frame")), id);
		if (!inc)
			return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "frames", "枠 '%s' はこの公募回で募集していません", id);
		for (k = 0; k < i; k++)
			if (!strcmp(json_string_value(json_array_get(frames, k)), id))
				return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "frames", "枠 '%s' が2回あります", id);
	}
	return HJ_OK;
}

#define MAX_DATA (256 * 1024)
#define MAX_DATA_DEPTH 32 /* as the engine's routes (server/routes.c MAX_DEPTH) */

/* 1 when 'j' nests no more than MAX_DATA_DEPTH objects and arrays (depth:
 * that of 'j', from 1; an applicant's input
 * is a few levels deep; a deeper one is an attack on whatever reads it). */
static int depth_ok(const json_t *j, int depth)
{
	if (!json_is_object(j) && !json_is_array(j))
		return 1;
	if (depth > MAX_DATA_DEPTH)
		return 0;
	const char *k;
	json_t *v;
	size_t i;
	if (json_is_object(j)) {
		json_object_foreach((json_t *)j, k, v)
			if (!depth_ok(v, depth + 1))
				return 0;
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			if (!depth_ok(v, depth + 1))
				return 0;
	}
	return 1;
}

static hj_status want_data(json_t *b, int required, char **text, hj_error *err)
{
	json_t *d = json_object_get(b, "data");
	*text = NULL;
	if (!d) {
		if (required)
			*text = hj_strdup("{}");
		return required && !*text ? NOMEM(err) : HJ_OK;
	}
	if (!json_is_object(d))
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "data", "data は申請者の入力（オブジェクト {…}）で書いてください");
	if (!depth_ok(d, 1))
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "data", "data の入れ子が深すぎます（%d段まで）", MAX_DATA_DEPTH);
	*text = gg_dump(d, JSON_PRESERVE_ORDER);
	if (!*text)
		return NOMEM(err);
	if (strlen(*text) > MAX_DATA) {
		hj_free(*text);
		*text = NULL;
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "data", "data が大きすぎます（%d バイトまで）", MAX_DATA);
	}
	return HJ_OK;
}

typedef struct app_ctx {
	const hj_rulebook *rb;
	const hj_actor *who;
	json_t *body;
	int64_t id, if_match, version, company, n, n2;
	int dry_run, replayed;
	const char *idem_key;
	char req_sha[65];
	json_t *out;
	const char *state;
	int page, per_page;
} app_ctx;

static hj_status app_create_tx(hj_tx *tx, void *vc, hj_error *err)
{
	app_ctx *c = vc;
	json_t *call = NULL;
	char *data = NULL, *snap = NULL;
	int64_t company, callid;
	hj_status s;
	if ((s = gg_want_int(c->body, "company", 1, 1, &company, NULL, err)) ||
	    (s = gg_want_int(c->body, "call", 1, 1, &callid, NULL, err)) || (s = want_data(c->body, 1, &data, err)))
		goto done;
	sti_member m;
	if ((s = sti_membership(tx, company, 0, c->who->account, hj_now_us(), &m, err)))
		goto done;
	if (strcmp(m.role, "owner")) {
		s = hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, "company", "会社 %lld はありません（申請を作れるのは会社の代表者です）",
				 (long long)company);
		goto done;
	}
	if ((s = sti_call_get(tx, callid, &call, err)))
		goto done;
	if (!call) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "call", "公募回 %lld はありません", (long long)callid);
		goto done;
	}
	json_t *frames = json_object_get(c->body, "frames");
	if ((s = check_frames(c->rb, frames, call, err)))
		goto done;
	int64_t now = hj_now_us();
	char sha[65];
	if ((s = sti_app_insert(tx, company, callid, data, hj_rulebook_hash(c->rb), c->who->account, now, &c->id, err)) ||
	    (s = sti_app_frames_put(tx, c->id, frames, err)) ||
	    (s = snapshot(c->id, callid, company, data, frames, 1, &snap, sha, err)))
		goto done;
	char *ftext = gg_dump(frames, 0);
	s = ftext ? sti_version_put(tx, c->id, 1, "draft", ftext, data, sha, c->who->account, now, 0, err) : NOMEM(err);
	hj_free(ftext);
	if (s || (s = gg_audit(tx, c->who, "application.create", "application", c->id, company, NULL, sha,
			       json_pack("{s:I,s:O}", "call", (json_int_t)callid, "frames", frames), err)))
		goto done;
	sti_app a;
	int found;
	if ((s = sti_app_get(tx, c->id, &a, &found, err)))
		goto done;
	json_decref(c->out);
	s = app_doc(tx, c->rb, c->who, &a, &m, &c->out, err);
	c->version = a.version;
	sti_app_clear(&a);
done:
	json_decref(call);
	hj_free(data);
	hj_free(snap);
	return s;
}

hj_status hj_app_create(hj_store *st, const hj_rulebook *rb, const hj_actor *who, const char *body, size_t len,
			char **json, int64_t *version, hj_error *err)
{
	*json = NULL;
	app_ctx c = { .rb = rb, .who = who };
	hj_status s = need_applicant(who, err);
	s = run_body(st, s, body, len, "company,call,frames,data", &c.body, 1, app_create_tx, &c, err);
	if (s) {
		json_decref(c.out);
		return s;
	}
	if (version)
		*version = c.version;
	return gg_give(c.out, json, err);
}

static hj_status app_list_tx(hj_tx *tx, void *vc, hj_error *err)
{
	app_ctx *c = vc;
	json_t *items = NULL;
	int64_t total = 0;
	hj_status s = sti_app_list(tx, c->who->account, gg_is_staff(c->who), c->state, hj_now_us(), c->page, c->per_page,
				   &items, &total, err);
	if (s)
		return s;
	gg_times_to_iso(items);
	json_decref(c->out);
	c->out = json_pack("{s:o,s:i,s:i,s:I}", "applications", items, "page", c->page, "per_page", c->per_page, "total",
			   (json_int_t)total);
	return c->out ? HJ_OK : NOMEM(err);
}

hj_status hj_app_list(hj_store *st, const hj_actor *who, const char *state, int page, int per_page, char **json,
		      hj_error *err)
{
	*json = NULL;
	page_fix(&page, &per_page);
	app_ctx c = { .who = who, .state = state, .page = page, .per_page = per_page };
	hj_status s = gg_need_account(who, err);
	if (!s && state && strcmp(state, "draft") && strcmp(state, "submitted") && strcmp(state, "returned") &&
	    strcmp(state, "withdrawn"))
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "state", "state は draft, submitted, returned, withdrawn のどれかです");
	if (!s)
		s = hj_store_run(st, 0, app_list_tx, &c, err);
	return settle(s, c.out, json, err);
}

static hj_status app_get_tx(hj_tx *tx, void *vc, hj_error *err)
{
	app_ctx *c = vc;
	sti_app a;
	sti_member m;
	hj_status s = see_app(tx, c->who, c->id, &a, &m, err);
	if (s)
		return s;
	json_decref(c->out);
	c->out = NULL;
	s = app_doc(tx, c->rb, c->who, &a, &m, &c->out, err);
	c->version = a.version;
	sti_app_clear(&a);
	return s;
}

hj_status hj_app_get(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t id, char **json,
		     int64_t *version, hj_error *err)
{
	*json = NULL;
	app_ctx c = { .rb = rb, .who = who, .id = id };
	hj_status s = gg_need_account(who, err);
	if (!s)
		s = hj_store_run(st, 0, app_get_tx, &c, err);
	if (s) {
		json_decref(c.out);
		return s;
	}
	if (version)
		*version = c.version;
	return gg_give(c.out, json, err);
}

static hj_status app_save_tx(hj_tx *tx, void *vc, hj_error *err)
{
	app_ctx *c = vc;
	sti_app a;
	sti_member m;
	char *data = NULL, *snap = NULL, *ftext = NULL;
	json_t *call = NULL;
	hj_status s = edit_app(tx, c->who, c->id, &a, &m, err);
	if (s)
		return s;
	c->company = a.company;
	if (a.version != c->if_match) {
		/* stale: the answer carries the current application */
		json_decref(c->out);
		c->out = NULL;
		hj_error e2;
		if (!app_doc(tx, c->rb, c->who, &a, &m, &c->out, &e2))
			c->version = a.version;
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "If-Match",
				 "この申請は別の保存で更新されています（あなたの版 %lld、今の版 %lld）。最新の内容を読み直してください",
				 (long long)c->if_match, (long long)a.version);
		goto done;
	}
	if ((s = want_data(c->body, 0, &data, err)) || (s = sti_call_get(tx, a.call, &call, err)))
		goto done;
	json_t *frames = json_object_get(c->body, "frames");
	if (frames) {
		if ((s = check_frames(c->rb, frames, call, err)))
			goto done;
		json_decref(a.frames);
		a.frames = json_incref(frames);
	}
	char before[65], sha[65];
	hj_free(snap);
	if ((s = snapshot(a.id, a.call, a.company, a.data, a.frames, a.version, &snap, before, err)))
		goto done;
	if (data) {
		hj_free(a.data);
		a.data = data;
		data = NULL;
	}
	int64_t now = hj_now_us(), v = a.version + 1;
	int changed;
	hj_free(snap);
	snap = NULL;
	if ((s = snapshot(a.id, a.call, a.company, a.data, a.frames, v, &snap, sha, err)) ||
	    (s = sti_app_update(tx, a.id, a.version, v, a.state, a.data, hj_rulebook_hash(c->rb), now, 0, &changed, err)))
		goto done;
	if (!changed) {
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "retry", "同時に保存されました");
		goto done;
	}
	if (frames && (s = sti_app_frames_put(tx, a.id, frames, err)))
		goto done;
	if (!(ftext = gg_dump(a.frames, 0))) {
		s = NOMEM(err);
		goto done;
	}
	/* a save is a draft version, also while the application is returned */
	if ((s = sti_version_put(tx, a.id, v, "draft", ftext, a.data, sha, c->who->account, now, DRAFT_COALESCE_US, err)) ||
	    (s = gg_audit(tx, c->who, "application.save", "application", a.id, a.company, before, sha,
			  json_pack("{s:I}", "version", (json_int_t)v), err)))
		goto done;
	a.version = v;
	snprintf(a.rulebook, sizeof a.rulebook, "%s", hj_rulebook_hash(c->rb));
	json_decref(c->out);
	c->out = NULL;
	s = app_doc(tx, c->rb, c->who, &a, &m, &c->out, err);
	c->version = v;
done:
	sti_app_clear(&a);
	json_decref(call);
	hj_free(data);
	hj_free(snap);
	hj_free(ftext);
	return s;
}

hj_status hj_app_save(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t id, int64_t if_match,
		      const char *body, size_t len, char **json, int64_t *version, hj_error *err)
{
	*json = NULL;
	app_ctx c = { .rb = rb, .who = who, .id = id, .if_match = if_match };
	hj_status s = gg_need_account(who, err);
	s = run_body(st, s, body, len, "data,frames", &c.body, 1, app_save_tx, &c, err);
	if (s == HJ_ERR_CONFLICT && c.out && !strcmp(err->field, "If-Match")) {
		/* the current application goes with the conflict */
		hj_error keep = *err;
		if (version)
			*version = c.version;
		gg_give(c.out, json, err);
		*err = keep;
		return s;
	}
	if (s) {
		json_decref(c.out);
		return s;
	}
	if (version)
		*version = c.version;
	return gg_give(c.out, json, err);
}

/* The submit's errors: blocking warnings, and open items of 要確認
 * frames that the body does not acknowledge with a reason. */
static json_t *submit_errors(json_t *warnings, json_t *acks)
{
	json_t *errors = json_array();
	size_t i, k;
	json_t *w, *a;
	json_array_foreach(warnings, i, w)
	{
		const char *type = json_string_value(json_object_get(w, "type"));
		if (!strcmp(type, "missing") || !strcmp(type, "undetermined")) {
			const char *fr = json_string_value(json_object_get(w, "frame"));
			const char *item = json_string_value(json_object_get(w, "item"));
			int acked = 0;
			json_array_foreach(acks, k, a)
			{
				const char *af = json_string_value(json_object_get(a, "frame"));
				const char *ai = json_string_value(json_object_get(a, "item"));
				const char *ar = json_string_value(json_object_get(a, "reason"));
				acked |= af && ai && ar && *ar && fr && item && !strcmp(af, fr) && !strcmp(ai, item);
			}
			if (!acked)
				json_array_append(errors, w);
		} else if (blocking_type(type))
			json_array_append(errors, w);
	}
	return errors;
}

static hj_status app_submit_tx(hj_tx *tx, void *vc, hj_error *err)
{
	app_ctx *c = vc;
	sti_app a;
	sti_member m;
	json_t *call = NULL, *warnings = NULL, *unknown = NULL, *errors = NULL, *atts = NULL, *manifest = NULL;
	char *snap = NULL, *ftext = NULL, *mtext = NULL, *resp = NULL, *prev_hash = NULL, *prev_resp = NULL;
	hj_status s;
	c->replayed = 0;
	if (c->idem_key && !c->dry_run) {
		if ((s = sti_idem_get(tx, c->who->account, c->idem_key, &prev_hash, &prev_resp, err)))
			return s;
		if (prev_resp) {
			if (strcmp(prev_hash, c->req_sha))
				s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "Idempotency-Key",
						 "この Idempotency-Key は別の内容の提出に使われています");
			else {
				json_decref(c->out);
				c->out = json_loads(prev_resp, 0, NULL);
				c->replayed = 1;
				s = c->out ? HJ_OK : NOMEM(err);
			}
			hj_free(prev_hash);
			hj_free(prev_resp);
			return s;
		}
	}
	if ((s = see_app(tx, c->who, c->id, &a, &m, err)))
		return s;
	c->company = a.company;
	if (!m.role[0] || !m.can_submit) {
		s = hj_error_set(err, HJ_ERR_DENIED, NULL, 0, 0, NULL,
				 m.role[0] ? "提出するには代表者からの提出の委任が必要です" : "この申請を提出できるのは申請者側だけです");
		goto done;
	}
	if (!editable(&a)) {
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "state", "状態が「%s」の申請は提出できません", state_ja(a.state));
		goto done;
	}
	if ((s = sti_call_get(tx, a.call, &call, err)))
		goto done;
	int64_t now = hj_now_us();
	if (!call_open(call, now)) {
		char o[32], cl[32];
		int64_t g = json_integer_value(json_object_get(call, "grace_seconds"));
		gg_iso_jst(json_integer_value(json_object_get(call, "opens_at_us")), o);
		gg_iso_jst(json_integer_value(json_object_get(call, "closes_at_us")) + g * 1000000, cl);
		if (now < json_integer_value(json_object_get(call, "opens_at_us")))
			s = hj_error_set(err, HJ_ERR_CLOSED, NULL, 0, 0, "call", "この公募回の受付は %s からです", o);
		else
			s = hj_error_set(err, HJ_ERR_CLOSED, NULL, 0, 0, "call", "この公募回の受付は %s に締め切りました", cl);
		goto done;
	}
	if ((s = sti_attachment_list(tx, a.id, &atts, err)) ||
	    (s = check_data(c->rb, a.data, a.frames, json_string_value(json_object_get(call, "edition")),
			    check_date(call), atts, &warnings, &unknown, tx, a.id,
			    json_string_value(json_object_get(call, "program")), NULL, err)))
		goto done;
	errors = submit_errors(warnings, json_object_get(c->body, "acknowledge"));
	if (c->dry_run) {
		json_decref(c->out);
		c->out = json_pack("{s:b,s:b,s:O,s:O,s:O}", "dry_run", 1, "ok", json_array_size(errors) == 0, "errors", errors,
				   "warnings", warnings, "unknown_fields", unknown);
		s = c->out ? HJ_OK : NOMEM(err);
		goto done;
	}
	if (json_array_size(errors)) {
		json_t *e0 = json_array_get(errors, 0);
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "check", "提出できません（%zu 件）: %s",
				 json_array_size(errors), json_string_value(json_object_get(e0, "message")));
		json_decref(c->out);
		c->out = json_pack("{s:O}", "check_errors", errors);
		goto done;
	}
	/* freeze: the version, the attachments' manifest, the receipt */
	int64_t v = a.version + 1;
	char before[65], sha[65];
	if ((s = snapshot(a.id, a.call, a.company, a.data, a.frames, a.version, &snap, before, err)))
		goto done;
	hj_free(snap);
	snap = NULL;
	if ((s = snapshot(a.id, a.call, a.company, a.data, a.frames, v, &snap, sha, err)))
		goto done;
	manifest = json_array();
	size_t i;
	json_t *at;
	json_array_foreach(atts, i, at)
		json_array_append_new(manifest, json_pack("{s:O,s:O,s:O,s:O,s:O}", "id", json_object_get(at, "id"), "name",
							  json_object_get(at, "name"), "kind", json_object_get(at, "kind"),
							  "sha256", json_object_get(at, "sha256"), "size",
							  json_object_get(at, "size")));
	int64_t seq;
	int changed;
	if ((s = sti_call_next_receipt(tx, a.call, &seq, err)))
		goto done;
	char number[64], when[32];
	snprintf(number, sizeof number, "R-%lld-%06lld", (long long)a.call, (long long)seq);
	gg_iso_jst(now, when);
	if (!(ftext = gg_dump(a.frames, 0)) || !(mtext = gg_dump(manifest, 0))) {
		s = NOMEM(err);
		goto done;
	}
	if ((s = sti_app_update(tx, a.id, a.version, v, "submitted", NULL, hj_rulebook_hash(c->rb), now, now, &changed,
				err)))
		goto done;
	if (!changed) {
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "retry", "同時に更新されました");
		goto done;
	}
	if ((s = sti_version_put(tx, a.id, v, "submitted", ftext, a.data, sha, c->who->account, now, 0, err)) ||
	    (s = sti_receipt_insert(tx, number, a.id, v, now, sha, mtext, c->who->account, err)))
		goto done;
	json_decref(c->out);
	c->out = json_pack("{s:{s:s,s:I,s:I,s:s,s:s,s:O},s:{s:I,s:s,s:I},s:O}", "receipt", "number", number,
			   "application", (json_int_t)a.id, "version", (json_int_t)v, "submitted_at", when,
			   "snapshot_sha256", sha, "attachments", manifest, "application", "id", (json_int_t)a.id, "state",
			   "submitted", "version", (json_int_t)v, "acknowledged",
			   json_object_get(c->body, "acknowledge") ? json_object_get(c->body, "acknowledge") : json_null());
	if (!c->out || !(resp = gg_dump(c->out, JSON_PRESERVE_ORDER))) {
		s = NOMEM(err);
		goto done;
	}
	if (c->idem_key && (s = sti_idem_put(tx, c->who->account, c->idem_key, c->req_sha, resp, now, err)))
		goto done;
	c->version = v;
	s = gg_audit(tx, c->who, "application.submit", "application", a.id, a.company, before, sha,
		     json_pack("{s:s,s:I,s:O}", "receipt", number, "version", (json_int_t)v, "acknowledged",
			       json_object_get(c->body, "acknowledge") ? json_object_get(c->body, "acknowledge") : json_null()),
		     err);
done:
	sti_app_clear(&a);
	json_decref(call);
	json_decref(warnings);
	json_decref(unknown);
	json_decref(errors);
	json_decref(atts);
	json_decref(manifest);
	hj_free(snap);
	hj_free(ftext);
	hj_free(mtext);
	hj_free(resp);
	return s;
}

static hj_status check_acks(json_t *acks, hj_error *err)
{
	if (!acks)
		return HJ_OK;
	if (!json_is_array(acks))
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "acknowledge", "acknowledge は [{frame, item, reason}] で書いてください");
	size_t i;
	json_t *a;
	json_array_foreach(acks, i, a)
	{
		const char *r = json_string_value(json_object_get(a, "reason"));
		if (!json_is_object(a) || !json_is_string(json_object_get(a, "frame")) ||
		    !json_is_string(json_object_get(a, "item")) || !r || !*r || strlen(r) > 2000) {
			char f[64];
			snprintf(f, sizeof f, "acknowledge[%zu]", i);
			return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, f,
					    "確認事項には frame, item と理由（reason、2000バイトまで）を書いてください");
		}
	}
	return HJ_OK;
}

/* 1 when every byte of an Idempotency-Key is printable ASCII (a control
 * character or a byte of another encoding is refused, not stored). */
static int idem_key_ok(const char *k)
{
	for (; *k; k++)
		if (*k < 0x20 || *k > 0x7e)
			return 0;
	return 1;
}

hj_status hj_app_submit(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t id, const char *body,
			size_t len, const char *idem_key, int dry_run, char **json, int *replayed, hj_error *err)
{
	*json = NULL;
	if (replayed)
		*replayed = 0;
	app_ctx c = { .rb = rb, .who = who, .id = id, .dry_run = dry_run, .idem_key = idem_key };
	hj_status s = gg_need_account(who, err);
	if (!s)
		s = gg_parse_body(body, len, "acknowledge", &c.body, err);
	if (!s)
		s = check_acks(json_object_get(c.body, "acknowledge"), err);
	if (!s && idem_key && (!*idem_key || strlen(idem_key) > 200 || !idem_key_ok(idem_key)))
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "Idempotency-Key",
				 "Idempotency-Key は1〜200バイトの印字可能な ASCII 文字です");
	if (!s) {
		/* the request's fingerprint: the application and the canonical body */
		char *b = gg_dump(c.body, JSON_SORT_KEYS);
		char *t = hj_malloc((b ? strlen(b) : 0) + 32);
		if (b && t) {
			snprintf(t, strlen(b) + 32, "%lld\n%s", (long long)id, b);
			hj_sha256_hex(t, strlen(t), c.req_sha);
		} else
			s = NOMEM(err);
		hj_free(b);
		hj_free(t);
	}
	if (!s)
		s = hj_store_run(st, 1, app_submit_tx, &c, err);
	json_decref(c.body);
	if (s) {
		if (s != HJ_ERR_NOMEM && !dry_run && who && who->account)
			audit_refused(st, who, "application.submit", "application", id, c.company, err);
		if (s == HJ_ERR_INPUT && c.out) {
			hj_error keep = *err;
			gg_give(c.out, json, err);
			*err = keep;
			return s;
		}
		json_decref(c.out);
		return s;
	}
	if (replayed)
		*replayed = c.replayed;
	return gg_give(c.out, json, err);
}

/* withdraw (the owner) and send back (staff): a state change with its
 * frozen version. */
static hj_status app_state_tx(hj_tx *tx, void *vc, hj_error *err)
{
	app_ctx *c = vc;
	sti_app a;
	sti_member m;
	char *snap = NULL, *ftext = NULL;
	int sendback = c->state && !strcmp(c->state, "returned");
	hj_status s = see_app(tx, c->who, c->id, &a, &m, err);
	if (s)
		return s;
	c->company = a.company;
	const char *comment = NULL;
	if (sendback) {
		if (!gg_is_staff(c->who))
			s = hj_error_set(err, HJ_ERR_DENIED, NULL, 0, 0, NULL, "差戻しは事務局の権限です");
		else if (strcmp(a.state, "submitted"))
			s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "state", "差し戻せるのは提出済みの申請だけです（今: %s）",
					 state_ja(a.state));
		else
			s = gg_want_string(c->body, "comment", 1, 4000, &comment, err);
	} else {
		if (strcmp(m.role, "owner"))
			s = hj_error_set(err, HJ_ERR_DENIED, NULL, 0, 0, NULL, "取り下げられるのは代表者だけです");
		else if (!strcmp(a.state, "withdrawn"))
			s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "state", "この申請は取下げ済みです");
	}
	if (s)
		goto done;
	int64_t v = a.version + 1, now = hj_now_us();
	char before[65], sha[65];
	int changed;
	if ((s = snapshot(a.id, a.call, a.company, a.data, a.frames, a.version, &snap, before, err)))
		goto done;
	hj_free(snap);
	snap = NULL;
	if ((s = snapshot(a.id, a.call, a.company, a.data, a.frames, v, &snap, sha, err)) ||
	    (s = sti_app_update(tx, a.id, a.version, v, c->state, NULL, NULL, now, 0, &changed, err)))
		goto done;
	if (!changed) {
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "retry", "同時に更新されました");
		goto done;
	}
	if (!(ftext = gg_dump(a.frames, 0))) {
		s = NOMEM(err);
		goto done;
	}
	if ((s = sti_version_put(tx, a.id, v, c->state, ftext, a.data, sha, c->who->account, now, 0, err)))
		goto done;
	if (sendback && (s = sti_sendback_insert(tx, a.id, a.version, comment, c->who->account, now, err)))
		goto done;
	if ((s = gg_audit(tx, c->who, sendback ? "application.sendback" : "application.withdraw", "application", a.id,
			  a.company, before, sha,
			  sendback ? json_pack("{s:s,s:I}", "comment", comment, "version", (json_int_t)v)
				   : json_pack("{s:I}", "version", (json_int_t)v),
			  err)))
		goto done;
	snprintf(a.state, sizeof a.state, "%s", c->state);
	a.version = v;
	json_decref(c->out);
	c->out = NULL;
	s = app_doc(tx, c->rb, c->who, &a, &m, &c->out, err);
done:
	sti_app_clear(&a);
	hj_free(snap);
	hj_free(ftext);
	return s;
}

hj_status hj_app_withdraw(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t id, char **json,
			  hj_error *err)
{
	*json = NULL;
	app_ctx c = { .rb = rb, .who = who, .id = id, .state = "withdrawn" };
	hj_status s = gg_need_account(who, err);
	if (!s)
		s = hj_store_run(st, 1, app_state_tx, &c, err);
	return settle(s, c.out, json, err);
}

hj_status hj_app_sendback(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t id, const char *body,
			  size_t len, char **json, hj_error *err)
{
	*json = NULL;
	app_ctx c = { .rb = rb, .who = who, .id = id, .state = "returned" };
	hj_status s = gg_need_staff(who, err);
	s = run_body(st, s, body, len, "comment", &c.body, 1, app_state_tx, &c, err);
	return settle(s, c.out, json, err);
}

/* ---- versions and diff ---- */

static hj_status versions_tx(hj_tx *tx, void *vc, hj_error *err)
{
	app_ctx *c = vc;
	sti_app a;
	sti_member m;
	hj_status s = see_app(tx, c->who, c->id, &a, &m, err);
	if (s)
		return s;
	json_decref(c->out);
	c->out = NULL;
	if (!c->n && !c->n2) {
		json_t *list;
		if (!(s = sti_version_list(tx, a.id, &list, err))) {
			gg_times_to_iso(list);
			c->out = json_pack("{s:I,s:o}", "application", (json_int_t)a.id, "versions", list);
			s = c->out ? HJ_OK : NOMEM(err);
		}
		sti_app_clear(&a);
		return s;
	}
	json_t *v1 = NULL, *v2 = NULL;
	if ((s = sti_version_get(tx, a.id, c->n, &v1, err)) ||
	    (c->n2 && (s = sti_version_get(tx, a.id, c->n2, &v2, err))))
		goto done;
	if (!v1 || (c->n2 && !v2)) {
		s = hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "版 %lld はありません（版の一覧: …/versions）",
				 (long long)(!v1 ? c->n : c->n2));
		goto done;
	}
	/* times in JST first (the applicant's data is never rewritten), then
	 * the data as a value, not text */
	gg_times_to_iso(v1);
	gg_times_to_iso(v2);
	json_t *d1 = json_loads(json_string_value(json_object_get(v1, "data")), 0, NULL);
	json_object_set_new(v1, "data", d1 ? d1 : json_null());
	if (v2) {
		json_t *d2 = json_loads(json_string_value(json_object_get(v2, "data")), 0, NULL);
		json_object_set_new(v2, "data", d2 ? d2 : json_null());
	}
	c->out = json_pack("{s:I,s:O}", "application", (json_int_t)a.id, "version", v1);
	if (v2) {
		json_decref(c->out);
		c->out = json_pack("{s:O,s:O}", "from", v1, "to", v2);
	}
	s = c->out ? HJ_OK : NOMEM(err);
done:
	json_decref(v1);
	json_decref(v2);
	sti_app_clear(&a);
	return s;
}

hj_status hj_app_versions(hj_store *st, const hj_actor *who, int64_t id, char **json, hj_error *err)
{
	*json = NULL;
	app_ctx c = { .who = who, .id = id };
	hj_status s = gg_need_account(who, err);
	if (!s)
		s = hj_store_run(st, 0, versions_tx, &c, err);
	return settle(s, c.out, json, err);
}

hj_status hj_app_version(hj_store *st, const hj_actor *who, int64_t id, int64_t n, char **json, hj_error *err)
{
	*json = NULL;
	app_ctx c = { .who = who, .id = id, .n = n };
	hj_status s = gg_need_account(who, err);
	if (!s && n < 1)
		s = hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "版 %lld はありません", (long long)n);
	if (!s)
		s = hj_store_run(st, 0, versions_tx, &c, err);
	return settle(s, c.out, json, err);
}

/* Every leaf of 'j' under 'path' into 'out' (path → value); empty
 * objects and arrays are leaves too. */
static void flatten(json_t *j, const char *path, json_t *out)
{
	char sub[1024];
	if (json_is_object(j) && json_object_size(j)) {
		const char *k;
		json_t *v;
		json_object_foreach(j, k, v)
		{
			snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", k);
			flatten(v, sub, out);
		}
	} else if (json_is_array(j) && json_array_size(j)) {
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v)
		{
			snprintf(sub, sizeof sub, "%s[%zu]", path, i);
			flatten(v, sub, out);
		}
	} else
		json_object_set(out, path, j);
}

/* The diff of two values: paths added, removed and changed. */
static json_t *json_diff(json_t *a, json_t *b)
{
	json_t *fa = json_object(), *fb = json_object();
	flatten(a, "", fa);
	flatten(b, "", fb);
	json_t *added = json_array(), *removed = json_array(), *changed = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(fa, k, v)
	{
		json_t *w = json_object_get(fb, k);
		if (!w)
			json_array_append_new(removed, json_pack("{s:s,s:O}", "path", k, "value", v));
		else if (!json_equal(v, w))
			json_array_append_new(changed, json_pack("{s:s,s:O,s:O}", "path", k, "before", v, "after", w));
	}
	json_object_foreach(fb, k, v)
		if (!json_object_get(fa, k))
			json_array_append_new(added, json_pack("{s:s,s:O}", "path", k, "value", v));
	json_decref(fa);
	json_decref(fb);
	return json_pack("{s:o,s:o,s:o}", "added", added, "removed", removed, "changed", changed);
}

hj_status hj_app_diff(hj_store *st, const hj_actor *who, int64_t id, int64_t from, int64_t to, char **json,
		      hj_error *err)
{
	*json = NULL;
	app_ctx c = { .who = who, .id = id, .n = from, .n2 = to };
	hj_status s = gg_need_account(who, err);
	if (!s && (from < 1 || to < 1))
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, from < 1 ? "from" : "to", "from と to に版の番号を書いてください");
	if (!s)
		s = hj_store_run(st, 0, versions_tx, &c, err);
	if (s) {
		json_decref(c.out);
		return s;
	}
	json_t *v1 = json_object_get(c.out, "from"), *v2 = json_object_get(c.out, "to");
	json_t *s1 = json_pack("{s:O,s:O}", "frames", json_object_get(v1, "frames"), "data", json_object_get(v1, "data"));
	json_t *s2 = json_pack("{s:O,s:O}", "frames", json_object_get(v2, "frames"), "data", json_object_get(v2, "data"));
	json_t *d = json_diff(s1, s2);
	json_decref(s1);
	json_decref(s2);
	json_t *doc = json_pack("{s:I,s:I,s:I,s:O,s:O,s:O,s:O,s:O}", "application", (json_int_t)id, "from", (json_int_t)from,
				"to", (json_int_t)to, "from_sha256", json_object_get(v1, "sha256"), "to_sha256",
				json_object_get(v2, "sha256"), "added", json_object_get(d, "added"), "removed",
				json_object_get(d, "removed"), "changed", json_object_get(d, "changed"));
	json_decref(d);
	json_decref(c.out);
	return gg_give(doc, json, err);
}

/* ---- collaborators ---- */

typedef struct collab_ctx {
	const hj_actor *who;
	int64_t app, member, company;
	json_t *body, *out;
	int64_t made; /* the member row an invitation made */
} collab_ctx;

static hj_status collab_tx(hj_tx *tx, void *vc, hj_error *err)
{
	collab_ctx *c = vc;
	sti_app a;
	sti_member m;
	hj_status s = see_app(tx, c->who, c->app, &a, &m, err);
	if (s)
		return s;
	c->company = a.company;
	int64_t now = hj_now_us();
	if (c->body || c->member) {
		if (strcmp(m.role, "owner")) {
			s = hj_error_set(err, HJ_ERR_DENIED, NULL, 0, 0, NULL, "協力者を招待・解除できるのは代表者だけです");
			goto done;
		}
	}
	if (c->body && c->member) {
		/* the delegation of an existing contributor */
		int64_t until = 0;
		int given, changed;
		json_t *cs = json_object_get(c->body, "can_submit");
		if (!json_is_boolean(cs)) {
			s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "can_submit", "can_submit（true か false）がありません");
			goto done;
		}
		if ((s = gg_want_time(c->body, "until", 0, &until, &given, err)))
			goto done;
		if (given && until <= now) {
			s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "until", "期限は今より後にしてください");
			goto done;
		}
		if ((s = sti_member_delegate(tx, c->member, a.id, json_is_true(cs), until, &changed, err)))
			goto done;
		if (!changed) {
			s = hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "協力者 %lld はいません", (long long)c->member);
			goto done;
		}
		if ((s = gg_audit(tx, c->who, "application.collaborator.delegate", "application", a.id, a.company, NULL, NULL,
				  json_pack("{s:I,s:b,s:o}", "member", (json_int_t)c->member, "can_submit", json_is_true(cs),
					    "until", given ? json_integer(until) : json_null()),
				  err)))
			goto done;
	} else if (c->body) {
		const char *email;
		int64_t until = 0, account = 0;
		int given;
		json_t *cs = json_object_get(c->body, "can_submit");
		if ((s = gg_want_string(c->body, "email", 1, 254, &email, err)) ||
		    (s = gg_want_time(c->body, "until", 0, &until, &given, err)))
			goto done;
		if (cs && !json_is_boolean(cs)) {
			s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "can_submit", "can_submit は true か false です");
			goto done;
		}
		if (given && until <= now) {
			s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "until", "期限は今より後にしてください");
			goto done;
		}
		if ((s = sti_account_by_email(tx, email, &account, err)))
			goto done;
		if (!account) {
			s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "email", "このメールアドレスのアカウントはありません: %s", email);
			goto done;
		}
		if (account == c->who->account) {
			s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "email", "自分自身は招待できません");
			goto done;
		}
		if ((s = sti_member_insert(tx, a.company, account, a.id, "contributor", json_is_true(cs), until,
					   c->who->account, now, &c->made, err)) ||
		    (s = gg_audit(tx, c->who, "application.collaborator.invite", "application", a.id, a.company, NULL, NULL,
				  json_pack("{s:I,s:s,s:b,s:o}", "account", (json_int_t)account, "email", email, "can_submit",
					    json_is_true(cs), "until", given ? json_integer(until) : json_null()),
				  err)))
			goto done;
	} else if (c->member) {
		int changed;
		if ((s = sti_member_revoke(tx, c->member, a.id, now, &changed, err)))
			goto done;
		if (!changed) {
			s = hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "協力者 %lld はいません", (long long)c->member);
			goto done;
		}
		s = gg_audit(tx, c->who, "application.collaborator.revoke", "application", a.id, a.company, NULL, NULL,
			     json_pack("{s:I}", "member", (json_int_t)c->member), err);
		goto done;
	}
	json_t *list;
	if ((s = sti_collaborators(tx, a.company, a.id, now, &list, err)))
		goto done;
	gg_times_to_iso(list);
	json_decref(c->out);
	c->out = json_pack("{s:I,s:o}", "application", (json_int_t)a.id, "collaborators", list);
	if (!c->out)
		s = NOMEM(err);
done:
	sti_app_clear(&a);
	return s;
}

hj_status hj_collab_invite(hj_store *st, const hj_actor *who, int64_t app, const char *body, size_t len,
			   char **json, hj_error *err)
{
	*json = NULL;
	collab_ctx c = { who, app, 0, 0, NULL, NULL, 0 };
	hj_status s = gg_need_account(who, err);
	s = run_body(st, s, body, len, "email,can_submit,until", &c.body, 1, collab_tx, &c, err);
	if (s) {
		json_decref(c.out);
		return s;
	}
	json_object_set_new(c.out, "member", json_integer(c.made));
	return gg_give(c.out, json, err);
}

hj_status hj_collab_list(hj_store *st, const hj_actor *who, int64_t app, char **json, hj_error *err)
{
	*json = NULL;
	collab_ctx c = { who, app, 0, 0, NULL, NULL, 0 };
	hj_status s = gg_need_account(who, err);
	if (!s)
		s = hj_store_run(st, 0, collab_tx, &c, err);
	return settle(s, c.out, json, err);
}

hj_status hj_collab_delegate(hj_store *st, const hj_actor *who, int64_t app, int64_t member, const char *body,
			     size_t len, char **json, hj_error *err)
{
	*json = NULL;
	collab_ctx c = { who, app, member, 0, NULL, NULL, 0 };
	hj_status s = gg_need_account(who, err);
	if (!s && member < 1)
		s = hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "協力者 %lld はいません", (long long)member);
	s = run_body(st, s, body, len, "can_submit,until", &c.body, 1, collab_tx, &c, err);
	return settle(s, c.out, json, err);
}

hj_status hj_collab_revoke(hj_store *st, const hj_actor *who, int64_t app, int64_t member, hj_error *err)
{
	collab_ctx c = { who, app, member, 0, NULL, NULL, 0 };
	hj_status s = gg_need_account(who, err);
	if (!s && member < 1)
		s = hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "協力者 %lld はいません", (long long)member);
	if (!s)
		s = hj_store_run(st, 1, collab_tx, &c, err);
	json_decref(c.out);
	return s;
}

/* ---- attachments ---- */

void hj_attachment_file_clear(hj_attachment_file *f)
{
	if (!f)
		return;
	hj_free(f->data);
	memset(f, 0, sizeof *f);
}

int hj_attachment_name_ok(const char *name, size_t len)
{
	if (!name || !len || len > 255 || memchr(name, '\0', len) || !strcmp(name, ".") || strstr(name, ".."))
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)name[i];
		if (ch < 0x20 || ch == 0x7f || ch == '/' || ch == '\\')
			return 0;
	}
	/* valid UTF-8: jansson checks it when the name becomes a string */
	json_t *s = json_stringn(name, len);
	int ok = s != NULL;
	json_decref(s);
	return ok;
}

typedef struct att_ctx {
	const hj_actor *who;
	int64_t app, id;
	const char *name, *kind, *ctype, *sha;
	const void *data;
	size_t len;
	json_t *out;
	hj_attachment_file *file;
	int del;
	int64_t company;
} att_ctx;

static hj_status att_add_tx(hj_tx *tx, void *vc, hj_error *err)
{
	att_ctx *c = vc;
	sti_app a;
	sti_member m;
	hj_status s = edit_app(tx, c->who, c->app, &a, &m, err);
	if (s)
		return s;
	c->company = a.company;
	if ((s = sti_attachment_insert(tx, a.id, c->name, c->kind, c->ctype, c->data, c->len, c->sha, c->who->account,
				       hj_now_us(), &c->id, err)) ||
	    (s = gg_audit(tx, c->who, "attachment.add", "application", a.id, a.company, NULL, c->sha,
			  json_pack("{s:I,s:s,s:I}", "attachment", (json_int_t)c->id, "name", c->name, "size",
				    (json_int_t)c->len),
			  err))) {
		sti_app_clear(&a);
		return s;
	}
	sti_app_clear(&a);
	json_decref(c->out);
	c->out = json_pack("{s:{s:I,s:I,s:s,s:o,s:s,s:I,s:s}}", "attachment", "id", (json_int_t)c->id, "application",
			   (json_int_t)c->app, "name", c->name, "kind", c->kind ? json_string(c->kind) : json_null(),
			   "content_type", c->ctype, "size", (json_int_t)c->len, "sha256", c->sha);
	return c->out ? HJ_OK : NOMEM(err);
}

hj_status hj_attachment_add(hj_store *st, const hj_actor *who, int64_t app, const char *name, const char *kind,
			    const char *content_type, const void *data, size_t len, const char *sha256, char **json,
			    hj_error *err)
{
	*json = NULL;
	char sha[65];
	if (sha256 && strlen(sha256) == 64)
		snprintf(sha, sizeof sha, "%s", sha256);
	else
		hj_sha256_hex(data ? data : "", len, sha);
	att_ctx c = { .who = who, .app = app, .name = name, .kind = kind && *kind ? kind : NULL,
		      .ctype = content_type && *content_type ? content_type : "application/octet-stream",
		      .sha = sha, .data = data, .len = len };
	hj_status s = gg_need_account(who, err);
	if (!s)
		s = gg_attachment_check(name, len, c.kind, &c.ctype, err);
	if (!s)
		s = hj_store_run(st, 1, att_add_tx, &c, err);
	return settle(s, c.out, json, err);
}

static hj_status att_list_tx(hj_tx *tx, void *vc, hj_error *err)
{
	att_ctx *c = vc;
	sti_app a;
	sti_member m;
	hj_status s = see_app(tx, c->who, c->app, &a, &m, err);
	if (s)
		return s;
	sti_app_clear(&a);
	json_t *list;
	if ((s = sti_attachment_list(tx, c->app, &list, err)))
		return s;
	gg_times_to_iso(list);
	json_decref(c->out);
	c->out = json_pack("{s:I,s:o}", "application", (json_int_t)c->app, "attachments", list);
	return c->out ? HJ_OK : NOMEM(err);
}

hj_status hj_attachment_list(hj_store *st, const hj_actor *who, int64_t app, char **json, hj_error *err)
{
	*json = NULL;
	att_ctx c = { .who = who, .app = app };
	hj_status s = gg_need_account(who, err);
	if (!s)
		s = hj_store_run(st, 0, att_list_tx, &c, err);
	return settle(s, c.out, json, err);
}

static hj_status att_one_tx(hj_tx *tx, void *vc, hj_error *err)
{
	att_ctx *c = vc;
	json_t *rec = NULL;
	void *data = NULL;
	size_t len = 0;
	hj_status s = sti_attachment_get(tx, c->id, &rec, c->file ? &data : NULL, &len, err);
	if (s)
		return s;
	if (!rec || json_is_true(json_object_get(rec, "deleted"))) {
		s = hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "添付 %lld はありません", (long long)c->id);
		goto done;
	}
	sti_app a;
	sti_member m;
	int64_t app = json_integer_value(json_object_get(rec, "application"));
	if ((s = c->del ? edit_app(tx, c->who, app, &a, &m, err) : see_app(tx, c->who, app, &a, &m, err))) {
		if (s == HJ_ERR_NOT_FOUND)
			hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "添付 %lld はありません", (long long)c->id);
		goto done;
	}
	c->company = a.company;
	sti_app_clear(&a);
	if (c->del) {
		if ((s = sti_attachment_delete(tx, c->id, hj_now_us(), err)))
			goto done;
		s = gg_audit(tx, c->who, "attachment.delete", "application", app, c->company,
			     json_string_value(json_object_get(rec, "sha256")), NULL,
			     json_pack("{s:I}", "attachment", (json_int_t)c->id), err);
		goto done;
	}
	if (c->file) {
		hj_attachment_file_clear(c->file);
		snprintf(c->file->name, sizeof c->file->name, "%s", json_string_value(json_object_get(rec, "name")));
		snprintf(c->file->content_type, sizeof c->file->content_type, "%s",
			 json_string_value(json_object_get(rec, "content_type")));
		c->file->data = data;
		c->file->len = len;
		data = NULL;
	}
done:
	hj_free(data);
	json_decref(rec);
	return s;
}

hj_status hj_attachment_get(hj_store *st, const hj_actor *who, int64_t id, hj_attachment_file *out, hj_error *err)
{
	memset(out, 0, sizeof *out);
	att_ctx c = { .who = who, .id = id, .file = out };
	hj_status s = gg_need_account(who, err);
	if (!s)
		s = hj_store_run(st, 0, att_one_tx, &c, err);
	if (s)
		hj_attachment_file_clear(out);
	return s;
}

hj_status hj_attachment_delete(hj_store *st, const hj_actor *who, int64_t id, hj_error *err)
{
	att_ctx c = { .who = who, .id = id, .del = 1 };
	hj_status s = gg_need_account(who, err);
	if (!s)
		s = hj_store_run(st, 1, att_one_tx, &c, err);
	return s;
}

/* ---- receipts ---- */

typedef struct receipt_ctx {
	const hj_actor *who;
	const char *number;
	int verify;
	json_t *out;
} receipt_ctx;

static hj_status receipt_tx(hj_tx *tx, void *vc, hj_error *err)
{
	receipt_ctx *c = vc;
	json_t *r = NULL, *ver = NULL;
	sti_app a;
	sti_member m;
	hj_status s = sti_receipt_get(tx, c->number, &r, err);
	if (s)
		return s;
	if (!r)
		return hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "受付番号 %s はありません", c->number);
	int64_t app = json_integer_value(json_object_get(r, "application"));
	if ((s = see_app(tx, c->who, app, &a, &m, err))) {
		json_decref(r);
		return hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "受付番号 %s はありません", c->number);
	}
	/* the manifest's own key is "attachments" */
	json_object_set(r, "attachments", json_object_get(r, "manifest"));
	json_object_del(r, "manifest");
	json_decref(c->out);
	c->out = NULL;
	if (!c->verify) {
		gg_times_to_iso(r);
		c->out = json_pack("{s:o}", "receipt", r);
		sti_app_clear(&a);
		return c->out ? HJ_OK : NOMEM(err);
	}
	int64_t n = json_integer_value(json_object_get(r, "version"));
	json_t *items = json_array();
	int all = 1;
	char *snap = NULL;
	if ((s = sti_version_get(tx, app, n, &ver, err)))
		goto done;
	char sha[65] = "";
	if (ver && !(s = snapshot(app, a.call, a.company, json_string_value(json_object_get(ver, "data")),
				  json_object_get(ver, "frames"), n, &snap, sha, err))) {
	} else if (s)
		goto done;
	const char *want = json_string_value(json_object_get(r, "snapshot_sha256"));
	int ok = ver && !strcmp(sha, want);
	all &= ok;
	json_array_append_new(items, json_pack("{s:s,s:s,s:o,s:b}", "item", "snapshot", "expected", want, "actual",
					       ver ? json_string(sha) : json_null(), "match", ok));
	size_t i;
	json_t *at;
	json_array_foreach(json_object_get(r, "attachments"), i, at)
	{
		json_t *rec = NULL;
		void *data = NULL;
		size_t len = 0;
		int64_t id = json_integer_value(json_object_get(at, "id"));
		if ((s = sti_attachment_get(tx, id, &rec, &data, &len, err)))
			goto done;
		char h[65] = "";
		if (rec)
			hj_sha256_hex(data, len, h);
		const char *w = json_string_value(json_object_get(at, "sha256"));
		int okk = rec && !strcmp(h, w) && json_integer_value(json_object_get(at, "size")) == (json_int_t)len;
		all &= okk;
		char item[300];
		snprintf(item, sizeof item, "attachment %lld %s", (long long)id, json_string_value(json_object_get(at, "name")));
		json_array_append_new(items, json_pack("{s:s,s:I,s:s,s:o,s:b}", "item", item, "attachment", (json_int_t)id,
						       "expected", w, "actual", rec ? json_string(h) : json_null(), "match",
						       okk));
		hj_free(data);
		json_decref(rec);
	}
	gg_times_to_iso(r);
	c->out = json_pack("{s:O,s:b,s:O}", "receipt", r, "ok", all, "items", items);
	s = c->out ? HJ_OK : NOMEM(err);
done:
	hj_free(snap);
	json_decref(items);
	json_decref(ver);
	json_decref(r);
	sti_app_clear(&a);
	return s;
}

hj_status hj_receipt_get(hj_store *st, const hj_actor *who, const char *number, char **json, hj_error *err)
{
	*json = NULL;
	receipt_ctx c = { who, number, 0, NULL };
	hj_status s = gg_need_account(who, err);
	if (!s)
		s = hj_store_run(st, 0, receipt_tx, &c, err);
	return settle(s, c.out, json, err);
}

hj_status hj_receipt_verify(hj_store *st, const hj_actor *who, const char *number, char **json, hj_error *err)
{
	*json = NULL;
	receipt_ctx c = { who, number, 1, NULL };
	hj_status s = gg_need_account(who, err);
	if (!s)
		s = hj_store_run(st, 0, receipt_tx, &c, err);
	return settle(s, c.out, json, err);
}

/* ---- audit for staff ---- */

hj_status hj_audit_view(hj_store *st, const hj_actor *who, int64_t application, const char *action, int page,
			int per_page, char **json, hj_error *err)
{
	*json = NULL;
	hj_status s = gg_need_staff(who, err);
	if (s)
		return s;
	char *raw = NULL;
	if ((s = hj_audit_list(st, application ? "application" : NULL, application, action, page, per_page, &raw, err)))
		return s;
	json_t *j = json_loads(raw, 0, NULL);
	hj_free(raw);
	if (!j)
		return NOMEM(err);
	/* at_us → at (JST) */
	gg_times_to_iso(json_object_get(j, "events"));
	return gg_give(j, json, err);
}
