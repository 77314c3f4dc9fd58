/*
 * test_intake.c - intake on SQLite (lib/grants/applications.c over
 * lib/store/applications.c; docs/intake.md): calls from the rulebook's
 * editions, companies, applications saved with If-Match, warnings and
 * unknown fields, attachments and their SHA-256, submit (closed, denied,
 * idempotent, receipt), send-back and resubmit, versions and diff,
 * receipt verification (also of tampered bytes), contributors and
 * delegation, the audit log, and a rulebook change under a draft.
 * With HOJO_TEST_PG=CONNINFO the same tests run on that PostgreSQL
 * (tests/store/run does, on its throwaway cluster).
 */
#include "unit.h"
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <jansson.h>
#include "hojo/alloc.h"
#include "hojo/rulebook.h"
#include "hojo/store.h"
#include "hojo/grants/applications.h"
#include "hojo/grants/audit.h"
#include "store/driver.h"

static char dir[64];
static hj_store *st;
static hj_rulebook *rb;
static hj_actor owner, helper, stranger, staff;

/* 2024-03-01T10:00:00+09:00 and the call's close 2024-03-27T17:00:00+09:00 */
#define T_OPEN_NOW 1709254800000000LL
#define T_CLOSE 1711526400000000LL

static const char *SAMPLE =
	"{\"date\": \"2024-03-15\", \"applicant\": {\"name\": \"株式会社サンプル精機\", \"legal_form\": \"company\", "
	"\"industry\": \"manufacturing\", \"capital\": \"1,000万円\", \"employees\": 25, \"prefecture\": \"埼玉県\", "
	"\"revitalization\": false, \"certifications\": {\"keiei_kakushin\": {\"applied\": \"2023-06-01\", "
	"\"productivity_3pct\": true}}}, \"project\": {\"expenses\": \"1,500万円\", \"capex\": true, \"support_agency\": "
	"true, \"expert\": false, \"labor_saving\": true, \"high_value\": true, \"dx_gx\": false, \"global\": false, "
	"\"low_contact\": false, \"large_wage_raise\": false, \"it\": {\"registered_tool\": false}}, "
	"\"x_note\": \"kept\"}";

static void account(hj_actor *a, int64_t id, const char *email, unsigned roles)
{
	memset(a, 0, sizeof *a);
	a->account = id;
	a->roles = roles;
	snprintf(a->email, sizeof a->email, "%s", email);
	snprintf(a->ip, sizeof a->ip, "127.0.0.1");
	snprintf(a->via, sizeof a->via, "test");
	hj_tx *tx;
	hj_error err;
	assert_int_equal(hj_store_begin(st, 1, &tx, &err), HJ_OK);
	st_val p[] = { st_int(id), st_text(email), st_int(roles) };
	assert_int_equal(st_exec(tx,
				 "INSERT INTO accounts (id, email, name, password_hash, roles, created_at) "
				 "VALUES (?, ?, 'テスト', 'x', ?, 0)",
				 p, 3, NULL, &err),
			 HJ_OK);
	assert_int_equal(hj_tx_commit(tx, &err), HJ_OK);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/hojo-test-intake-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char url[1100];
	snprintf(url, sizeof url, "sqlite:%s/hojo.db", dir);
	hj_error err;
	const char *pg = getenv("HOJO_TEST_PG");
	if (pg && *pg) {
		/* an empty database: drop what the last test left, migrate again */
		snprintf(url, sizeof url, "postgres:%s", pg);
		hj_tx *tx;
		if (hj_store_open(url, 2, &st, &err) || hj_store_begin(st, 1, &tx, &err) ||
		    st_exec(tx, "DROP SCHEMA public CASCADE", NULL, 0, NULL, &err) ||
		    st_exec(tx, "CREATE SCHEMA public", NULL, 0, NULL, &err) || hj_tx_commit(tx, &err))
			return -1;
		hj_store_close(st);
	}
	if (hj_store_open(url, 2, &st, &err) || hj_rulebook_load("rules", &rb, &err))
		return -1;
	account(&owner, 1, "owner@example.jp", HJ_ROLE_APPLICANT);
	account(&helper, 2, "helper@example.jp", HJ_ROLE_APPLICANT);
	account(&stranger, 3, "stranger@example.jp", HJ_ROLE_APPLICANT);
	account(&staff, 4, "staff@example.jp", HJ_ROLE_STAFF);
	hj_clock_set(T_OPEN_NOW);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	hj_clock_set(0);
	hj_store_close(st);
	hj_rulebook_free(rb);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static json_t *parse(char *s)
{
	assert_non_null(s);
	json_t *j = json_loads(s, 0, NULL);
	hj_free(s);
	assert_non_null(j);
	return j;
}

static const char *str(json_t *j, const char *path)
{
	/* "a.b.c" through objects */
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *t = strtok(buf, "."); t && j; t = strtok(NULL, "."))
		j = json_object_get(j, t);
	return json_string_value(j);
}

static json_int_t num(json_t *j, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *t = strtok(buf, "."); t && j; t = strtok(NULL, "."))
		j = json_object_get(j, t);
	return json_integer_value(j);
}

static int64_t call_id, company_id, app_id;

static void calls_from_editions(void **state)
{
	(void)state;
	char *out;
	hj_error err;
	const char *body = "{\"edition\":\"mono-r5\",\"opens_at\":\"2024-01-10T10:00:00+09:00\","
			   "\"closes_at\":\"2024-03-27T17:00\",\"grace_seconds\":60}";
	/* an applicant may not create a call */
	assert_int_equal(hj_call_create(st, rb, &owner, body, strlen(body), &out, &err), HJ_ERR_DENIED);
	assert_int_equal(hj_call_create(st, rb, &staff, body, strlen(body), &out, &err), HJ_OK);
	json_t *j = parse(out);
	call_id = num(j, "call.id");
	assert_true(call_id > 0);
	assert_string_equal(str(j, "call.program"), "monodukuri");
	/* a time without an offset is JST; it comes back with +09:00 */
	assert_string_equal(str(j, "call.closes_at"), "2024-03-27T17:00:00+09:00");
	assert_string_equal(str(j, "call.opens_at"), "2024-01-10T10:00:00+09:00");
	assert_true(json_is_true(json_object_get(json_object_get(j, "call"), "open")));
	/* every frame of the edition: 4 in mono-r5 */
	assert_int_equal(json_array_size(json_object_get(json_object_get(j, "call"), "frames")), 4);
	json_decref(j);

	/* 卒業枠 400社 comes from the rulebook as the default slots */
	const char *b2 = "{\"edition\":\"saikochiku-r2\",\"opens_at\":\"2021-01-01\",\"closes_at\":\"2021-02-01\"}";
	assert_int_equal(hj_call_create(st, rb, &staff, b2, strlen(b2), &out, &err), HJ_OK);
	j = parse(out);
	json_t *frames = json_object_get(json_object_get(j, "call"), "frames");
	size_t i;
	json_t *f;
	int seen400 = 0, seen100 = 0;
	json_array_foreach(frames, i, f)
	{
		seen400 += json_integer_value(json_object_get(f, "slots")) == 400;
		seen100 += json_integer_value(json_object_get(f, "slots")) == 100;
	}
	assert_int_equal(seen400, 1);
	assert_int_equal(seen100, 1);
	json_decref(j);

	/* bad input: unknown edition, close before open, unknown key */
	const char *b3 = "{\"edition\":\"nope\",\"opens_at\":\"2024-01-01\",\"closes_at\":\"2024-02-01\"}";
	assert_int_equal(hj_call_create(st, rb, &staff, b3, strlen(b3), &out, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "edition");
	const char *b4 = "{\"edition\":\"mono-r5\",\"opens_at\":\"2024-02-01\",\"closes_at\":\"2024-02-01\"}";
	assert_int_equal(hj_call_create(st, rb, &staff, b4, strlen(b4), &out, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "closes_at");
	const char *b5 = "{\"edition\":\"mono-r5\",\"opens_at\":\"2024-02-30\",\"closes_at\":\"2024-03-01\"}";
	assert_int_equal(hj_call_create(st, rb, &staff, b5, strlen(b5), &out, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "opens_at");
	/* per-frame budget and slots */
	const char *b6 = "{\"frames\":[{\"frame\":\"mono-r5-global\",\"budget\":500000000,\"slots\":20}]}";
	assert_int_equal(hj_call_update(st, rb, &staff, call_id, b6, strlen(b6), &out, &err), HJ_OK);
	j = parse(out);
	frames = json_object_get(json_object_get(j, "call"), "frames");
	int found = 0;
	json_array_foreach(frames, i, f)
		if (!strcmp(json_string_value(json_object_get(f, "frame")), "mono-r5-global")) {
			assert_int_equal(json_integer_value(json_object_get(f, "budget")), 500000000);
			assert_int_equal(json_integer_value(json_object_get(f, "slots")), 20);
			found = 1;
		}
	assert_true(found);
	json_decref(j);
}

static void draft_save_and_conflict(void **state)
{
	(void)state;
	char *out, body[4096];
	hj_error err;
	const char *cb = "{\"name\":\"株式会社サンプル精機\",\"corporate_number\":\"1234567890123\"}";
	assert_int_equal(hj_company_create(st, &owner, cb, strlen(cb), &out, &err), HJ_OK);
	json_t *j = parse(out);
	company_id = num(j, "company.id");
	json_decref(j);
	/* someone who is not its owner cannot apply for it */
	snprintf(body, sizeof body, "{\"company\":%lld,\"call\":%lld,\"frames\":[\"mono-r5-shoryokuka\"],\"data\":%s}",
		 (long long)company_id, (long long)call_id, SAMPLE);
	int64_t v = 0;
	assert_int_equal(hj_app_create(st, rb, &stranger, body, strlen(body), &out, &v, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_app_create(st, rb, &owner, body, strlen(body), &out, &v, &err), HJ_OK);
	assert_int_equal(v, 1);
	j = parse(out);
	app_id = num(j, "application.id");
	assert_string_equal(str(j, "application.state"), "draft");
	/* the unknown field is kept in data and listed */
	assert_string_equal(str(j, "application.data.x_note"), "kept");
	json_t *unk = json_object_get(j, "unknown_fields");
	assert_int_equal(json_array_size(unk), 1);
	assert_string_equal(json_string_value(json_array_get(unk, 0)), "x_note");
	/* eligible: no warnings */
	assert_int_equal(json_array_size(json_object_get(j, "warnings")), 0);
	json_decref(j);

	/* a frame of another edition is refused */
	snprintf(body, sizeof body, "{\"company\":%lld,\"call\":%lld,\"frames\":[\"jizokuka-r5-tsujo\"]}",
		 (long long)company_id, (long long)call_id);
	assert_int_equal(hj_app_create(st, rb, &owner, body, strlen(body), &out, &v, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "frames");

	/* a save with a missing fact: saved, with a warning naming it */
	const char *s1 = "{\"data\":{\"date\":\"2024-03-15\",\"applicant\":{\"legal_form\":\"company\","
			 "\"industry\":\"manufacturing\",\"capital\":\"1,000万円\"}}}";
	assert_int_equal(hj_app_save(st, rb, &owner, app_id, 1, s1, strlen(s1), &out, &v, &err), HJ_OK);
	assert_int_equal(v, 2);
	j = parse(out);
	json_t *w = json_object_get(j, "warnings");
	assert_true(json_array_size(w) > 0);
	int employees = 0;
	size_t i;
	json_t *x;
	json_array_foreach(w, i, x)
		employees |= !strcmp(json_string_value(json_object_get(x, "type")), "missing") &&
			     !strcmp(json_string_value(json_object_get(x, "item")), "applicant.employees");
	assert_true(employees);
	json_decref(j);

	/* stale: 409 with the current application */
	assert_int_equal(hj_app_save(st, rb, &owner, app_id, 1, s1, strlen(s1), &out, &v, &err), HJ_ERR_CONFLICT);
	assert_string_equal(err.field, "If-Match");
	j = parse(out);
	assert_int_equal(num(j, "application.version"), 2);
	json_decref(j);

	/* a value the engine cannot read is kept and warned about */
	const char *s2 = "{\"data\":{\"applicant\":{\"employees\":\"たくさん\"}}}";
	assert_int_equal(hj_app_save(st, rb, &owner, app_id, 2, s2, strlen(s2), &out, &v, &err), HJ_OK);
	j = parse(out);
	assert_string_equal(str(j, "application.data.applicant.employees"), "たくさん");
	int invalid = 0;
	json_array_foreach(json_object_get(j, "warnings"), i, x)
		invalid |= !strcmp(json_string_value(json_object_get(x, "type")), "invalid");
	assert_true(invalid);
	json_decref(j);

	/* back to the eligible data */
	snprintf(body, sizeof body, "{\"data\":%s}", SAMPLE);
	assert_int_equal(hj_app_save(st, rb, &owner, app_id, 3, body, strlen(body), &out, &v, &err), HJ_OK);
	assert_int_equal(v, 4);
	hj_free(out);

	/* who sees it: not a stranger, not staff while it is a draft */
	assert_int_equal(hj_app_get(st, rb, &stranger, app_id, &out, &v, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_app_get(st, rb, &staff, app_id, &out, &v, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_app_save(st, rb, &stranger, app_id, 4, body, strlen(body), &out, &v, &err),
			 HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_app_list(st, &stranger, NULL, 1, 50, &out, &err), HJ_OK);
	j = parse(out);
	assert_int_equal(num(j, "total"), 0);
	json_decref(j);
	assert_int_equal(hj_app_list(st, &owner, NULL, 1, 50, &out, &err), HJ_OK);
	j = parse(out);
	assert_int_equal(num(j, "total"), 1);
	json_decref(j);
}

static char receipt1[64];

static void attachments_and_submit(void **state)
{
	(void)state;
	char *out;
	hj_error err;
	/* sha256("hello") */
	assert_int_equal(hj_attachment_add(st, &owner, app_id, "見積書.pdf", "quote", "application/pdf", "hello", 5, NULL,
					   &out, &err),
			 HJ_OK);
	json_t *j = parse(out);
	assert_string_equal(str(j, "attachment.sha256"),
			    "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
	int64_t att = num(j, "attachment.id");
	json_decref(j);
	/* names with path tricks are refused */
	const char *bad[] = { "../etc/passwd", "a/b", "a\\b", "x\001y", "..", "" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(hj_attachment_add(st, &owner, app_id, bad[i], NULL, NULL, "x", 1, NULL, &out, &err),
				 HJ_ERR_INPUT);
		assert_string_equal(err.field, "file");
	}
	char longname[300];
	memset(longname, 'a', 256);
	longname[256] = '\0';
	assert_int_equal(hj_attachment_add(st, &owner, app_id, longname, NULL, NULL, "x", 1, NULL, &out, &err),
			 HJ_ERR_INPUT);
	longname[255] = '\0';
	assert_int_equal(hj_attachment_add(st, &owner, app_id, longname, NULL, NULL, "x", 1, NULL, &out, &err), HJ_OK);
	j = parse(out);
	assert_int_equal(hj_attachment_delete(st, &owner, num(j, "attachment.id"), &err), HJ_OK);
	json_decref(j);
	/* a stranger cannot read it */
	hj_attachment_file f;
	assert_int_equal(hj_attachment_get(st, &stranger, att, &f, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_attachment_get(st, &owner, att, &f, &err), HJ_OK);
	assert_int_equal(f.len, 5);
	assert_memory_equal(f.data, "hello", 5);
	assert_string_equal(f.content_type, "application/pdf");
	hj_attachment_file_clear(&f);

	/* after the close (+ grace 60 s): 423, and the refusal is audited */
	hj_clock_set(T_CLOSE + 60 * 1000000LL);
	int replayed;
	assert_int_equal(hj_app_submit(st, rb, &owner, app_id, "{}", 2, "k1", 0, &out, &replayed, &err), HJ_ERR_CLOSED);
	assert_non_null(strstr(err.message, "2024-03-27T17:01:00+09:00"));
	assert_int_equal(hj_audit_view(st, &staff, app_id, "application.submit", 1, 50, &out, &err), HJ_OK);
	j = parse(out);
	assert_int_equal(num(j, "total"), 1);
	assert_string_equal(str(json_array_get(json_object_get(j, "events"), 0), "outcome"), "refused");
	json_decref(j);
	/* one microsecond before the grace ends it is still open: dry run */
	hj_clock_set(T_CLOSE + 60 * 1000000LL - 1);
	assert_int_equal(hj_app_submit(st, rb, &owner, app_id, "{}", 2, NULL, 1, &out, &replayed, &err), HJ_OK);
	j = parse(out);
	assert_true(json_is_true(json_object_get(j, "ok")));
	json_decref(j);
	hj_clock_set(T_OPEN_NOW);

	/* a contributor without delegation may edit but not submit */
	const char *inv = "{\"email\":\"helper@example.jp\"}";
	assert_int_equal(hj_collab_invite(st, &stranger, app_id, inv, strlen(inv), &out, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_collab_invite(st, &owner, app_id, inv, strlen(inv), &out, &err), HJ_OK);
	j = parse(out);
	int64_t member = num(j, "member");
	json_decref(j);
	assert_int_equal(hj_app_submit(st, rb, &helper, app_id, "{}", 2, "h1", 0, &out, &replayed, &err), HJ_ERR_DENIED);
	assert_int_equal(hj_collab_invite(st, &helper, app_id, inv, strlen(inv), &out, &err), HJ_ERR_DENIED);
	/* revoked: the contributor no longer sees it */
	assert_int_equal(hj_collab_revoke(st, &owner, app_id, member, &err), HJ_OK);
	int64_t v;
	assert_int_equal(hj_app_get(st, rb, &helper, app_id, &out, &v, &err), HJ_ERR_NOT_FOUND);

	/* submit: receipt, and the same key gives the same receipt */
	assert_int_equal(hj_app_submit(st, rb, &owner, app_id, "{}", 2, "k1", 0, &out, &replayed, &err), HJ_OK);
	assert_int_equal(replayed, 0);
	json_t *r1 = parse(out);
	snprintf(receipt1, sizeof receipt1, "%s", str(r1, "receipt.number"));
	char want[32];
	snprintf(want, sizeof want, "R-%lld-000001", (long long)call_id);
	assert_string_equal(receipt1, want);
	assert_string_equal(str(r1, "receipt.submitted_at"), "2024-03-01T10:00:00+09:00");
	assert_int_equal(json_array_size(json_object_get(json_object_get(r1, "receipt"), "attachments")), 1);
	assert_int_equal(hj_app_submit(st, rb, &owner, app_id, "{}", 2, "k1", 0, &out, &replayed, &err), HJ_OK);
	assert_int_equal(replayed, 1);
	json_t *r2 = parse(out);
	assert_true(json_equal(r1, r2));
	json_decref(r2);
	/* the same key with another body */
	const char *other = "{\"acknowledge\":[{\"frame\":\"mono-r5-shoryokuka\",\"item\":\"x\",\"reason\":\"y\"}]}";
	assert_int_equal(hj_app_submit(st, rb, &owner, app_id, other, strlen(other), "k1", 0, &out, &replayed, &err),
			 HJ_ERR_INPUT);
	assert_string_equal(err.field, "Idempotency-Key");
	/* a second submit (new key) of a submitted application: conflict */
	assert_int_equal(hj_app_submit(st, rb, &owner, app_id, "{}", 2, "k2", 0, &out, &replayed, &err), HJ_ERR_CONFLICT);
	/* it can no longer be saved nor its attachments deleted */
	assert_int_equal(hj_app_save(st, rb, &owner, app_id, 5, "{}", 2, &out, &v, &err), HJ_ERR_CONFLICT);
	assert_int_equal(hj_attachment_delete(st, &owner, att, &err), HJ_ERR_CONFLICT);
	json_decref(r1);

	/* staff see it now */
	assert_int_equal(hj_app_get(st, rb, &staff, app_id, &out, &v, &err), HJ_OK);
	hj_free(out);
	assert_int_equal(hj_call_submissions(st, &staff, call_id, "submitted", "mono-r5-shoryokuka", "サンプル", 1, 10,
					     &out, &err),
			 HJ_OK);
	j = parse(out);
	assert_int_equal(num(j, "total"), 1);
	assert_string_equal(str(json_array_get(json_object_get(j, "applications"), 0), "receipt"), receipt1);
	json_decref(j);
	assert_int_equal(hj_call_submissions(st, &staff, call_id, NULL, NULL, "別の会社", 1, 10, &out, &err), HJ_OK);
	j = parse(out);
	assert_int_equal(num(j, "total"), 0);
	json_decref(j);
	assert_int_equal(hj_call_submissions(st, &owner, call_id, NULL, NULL, NULL, 1, 10, &out, &err), HJ_ERR_DENIED);
}

static void sendback_resubmit_diff_verify(void **state)
{
	(void)state;
	char *out, body[4096];
	hj_error err;
	int64_t v;
	int replayed;
	assert_int_equal(hj_app_sendback(st, rb, &owner, app_id, "{\"comment\":\"x\"}", 15, &out, &err), HJ_ERR_DENIED);
	assert_int_equal(hj_app_sendback(st, rb, &staff, app_id, "{}", 2, &out, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "comment");
	const char *c = "{\"comment\":\"従業員数を確認してください\"}";
	assert_int_equal(hj_app_sendback(st, rb, &staff, app_id, c, strlen(c), &out, &err), HJ_OK);
	json_t *j = parse(out);
	assert_string_equal(str(j, "application.state"), "returned");
	v = num(j, "application.version");
	assert_int_equal(v, 6);
	assert_string_equal(str(json_array_get(json_object_get(j, "sendbacks"), 0), "comment"), "従業員数を確認してください");
	json_decref(j);
	/* the owner edits (employees 25 → 30) and resubmits */
	char *data = hj_strdup(SAMPLE);
	char *p = strstr(data, "\"employees\": 25");
	memcpy(p, "\"employees\": 30", 15);
	snprintf(body, sizeof body, "{\"data\":%s}", data);
	hj_free(data);
	assert_int_equal(hj_app_save(st, rb, &owner, app_id, 6, body, strlen(body), &out, &v, &err), HJ_OK);
	assert_int_equal(v, 7);
	hj_free(out);
	assert_int_equal(hj_app_submit(st, rb, &owner, app_id, "{}", 2, "k3", 0, &out, &replayed, &err), HJ_OK);
	j = parse(out);
	char want[32];
	snprintf(want, sizeof want, "R-%lld-000002", (long long)call_id);
	assert_string_equal(str(j, "receipt.number"), want);
	assert_int_equal(num(j, "receipt.version"), 8);
	json_decref(j);

	/* versions: the creation and the draft saves after it coalesced
	 * into one row (now 4), 5 submitted, 6 returned, 7 the edit, 8
	 * submitted */
	assert_int_equal(hj_app_versions(st, &owner, app_id, &out, &err), HJ_OK);
	j = parse(out);
	json_t *vs = json_object_get(j, "versions");
	const int64_t ns[] = { 4, 5, 6, 7, 8 };
	assert_int_equal(json_array_size(vs), 5);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(json_integer_value(json_object_get(json_array_get(vs, i), "n")), ns[i]);
	json_decref(j);
	assert_int_equal(hj_app_diff(st, &owner, app_id, 5, 8, &out, &err), HJ_OK);
	j = parse(out);
	json_t *ch = json_object_get(j, "changed");
	assert_int_equal(json_array_size(ch), 1);
	assert_string_equal(str(json_array_get(ch, 0), "path"), "data.applicant.employees");
	assert_int_equal(num(json_array_get(ch, 0), "before"), 25);
	assert_int_equal(num(json_array_get(ch, 0), "after"), 30);
	assert_int_equal(json_array_size(json_object_get(j, "added")), 0);
	json_decref(j);
	assert_int_equal(hj_app_diff(st, &owner, app_id, 4, 99, &out, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_app_diff(st, &owner, app_id, 1, 8, &out, &err), HJ_ERR_NOT_FOUND);

	/* the first receipt verifies, until a byte of its attachment changes */
	assert_int_equal(hj_receipt_get(st, &stranger, receipt1, &out, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_receipt_verify(st, &owner, receipt1, &out, &err), HJ_OK);
	j = parse(out);
	assert_true(json_is_true(json_object_get(j, "ok")));
	assert_int_equal(json_array_size(json_object_get(j, "items")), 2);
	json_decref(j);
	hj_tx *tx;
	assert_int_equal(hj_store_begin(st, 1, &tx, &err), HJ_OK);
	st_val pv[] = { st_blob("hellO", 5), st_int(app_id) };
	assert_int_equal(st_exec(tx, "UPDATE attachments SET data = ? WHERE application = ? AND deleted_at IS NULL", pv,
				 2, NULL, &err),
			 HJ_OK);
	assert_int_equal(hj_tx_commit(tx, &err), HJ_OK);
	assert_int_equal(hj_receipt_verify(st, &staff, receipt1, &out, &err), HJ_OK);
	j = parse(out);
	assert_true(json_is_false(json_object_get(j, "ok")));
	json_t *items = json_object_get(j, "items");
	assert_true(json_is_true(json_object_get(json_array_get(items, 0), "match")));
	assert_true(json_is_false(json_object_get(json_array_get(items, 1), "match")));
	json_decref(j);

	/* the audit log: every state change, newest first */
	assert_int_equal(hj_audit_view(st, &owner, app_id, NULL, 1, 50, &out, &err), HJ_ERR_DENIED);
	assert_int_equal(hj_audit_view(st, &staff, app_id, NULL, 1, 100, &out, &err), HJ_OK);
	j = parse(out);
	json_t *ev = json_object_get(j, "events");
	assert_string_equal(str(json_array_get(ev, 0), "action"), "application.submit");
	assert_string_equal(str(json_array_get(ev, 0), "outcome"), "ok");
	assert_string_equal(str(json_array_get(ev, 0), "ip"), "127.0.0.1");
	assert_int_equal(num(json_array_get(ev, 0), "company"), company_id);
	int sendback = 0;
	size_t i;
	json_t *e;
	json_array_foreach(ev, i, e)
		sendback += !strcmp(str(e, "action"), "application.sendback");
	assert_int_equal(sendback, 1);
	json_decref(j);
}

/* After a rulebook change, a draft keeps its data: facts the new rules
 * need are missing, facts they no longer know are unknown_fields. */
static void form_change(void **state)
{
	(void)state;
	char *out, body[4096];
	hj_error err;
	int64_t v;
	snprintf(body, sizeof body, "{\"company\":%lld,\"call\":%lld,\"frames\":[\"mono-r5-shoryokuka\"],\"data\":%s}",
		 (long long)company_id, (long long)call_id, SAMPLE);
	assert_int_equal(hj_app_create(st, rb, &owner, body, strlen(body), &out, &v, &err), HJ_OK);
	json_t *j = parse(out);
	int64_t id = num(j, "application.id");
	json_decref(j);
	/* a copy of the rulebook where the fact 'employees' is renamed */
	char cmd[512];
	snprintf(cmd, sizeof cmd,
		 "cp -r rules '%s/rules2' && sed -i 's/^\\( *input: \\)applicant\\.employees$/\\1applicant.staff_count/' "
		 "'%s/rules2/facts.yaml'",
		 dir, dir);
	assert_int_equal(system(cmd), 0);
	char path[128];
	snprintf(path, sizeof path, "%s/rules2", dir);
	hj_rulebook *rb2;
	assert_int_equal(hj_rulebook_load(path, &rb2, &err), HJ_OK);
	assert_string_not_equal(hj_rulebook_hash(rb2), hj_rulebook_hash(rb));
	assert_int_equal(hj_app_get(st, rb2, &owner, id, &out, &v, &err), HJ_OK);
	j = parse(out);
	/* nothing dropped */
	assert_int_equal(num(j, "application.data.applicant.employees"), 25);
	json_t *unk = json_object_get(j, "unknown_fields");
	int emp = 0, missing = 0;
	size_t i;
	json_t *x;
	json_array_foreach(unk, i, x)
		emp |= !strcmp(json_string_value(x), "applicant.employees");
	json_array_foreach(json_object_get(j, "warnings"), i, x)
		missing |= !strcmp(str(x, "type"), "missing") && !strcmp(str(x, "item"), "applicant.staff_count");
	assert_true(emp);
	assert_true(missing);
	assert_true(json_is_true(json_object_get(json_object_get(j, "rulebook"), "changed")));
	json_decref(j);
	hj_rulebook_free(rb2);

	/* the applicant's own keys are never rewritten, even those that look
	 * like the office's times ("…_us") */
	snprintf(body, sizeof body,
		 "{\"company\":%lld,\"call\":%lld,\"frames\":[\"mono-r5-shoryokuka\"],\"data\":{\"memo_us\":5}}",
		 (long long)company_id, (long long)call_id);
	assert_int_equal(hj_app_create(st, rb, &owner, body, strlen(body), &out, &v, &err), HJ_OK);
	j = parse(out);
	assert_int_equal(num(j, "application.data.memo_us"), 5);
	assert_null(json_object_get(json_object_get(json_object_get(j, "application"), "data"), "memo"));
	id = num(j, "application.id");
	json_decref(j);
	assert_int_equal(hj_app_version(st, &owner, id, 1, &out, &err), HJ_OK);
	j = parse(out);
	assert_int_equal(num(j, "version.data.memo_us"), 5);
	json_decref(j);
}

/* The documents the edition requires (rules/monodukuri/r2.yaml
 * documents:, seed 004:50-52): a draft whose applicant holds a
 * 事業継続力強化計画 is warned until the 認定書 is attached under its kind,
 * and a submit is refused meanwhile. */
static void required_documents(void **state)
{
	(void)state;
	char *out, body[4096];
	hj_error err;
	int64_t v;
	int replayed;
	/* 2021-03-01T10:00:00+09:00 */
	hj_clock_set(1614560400000000LL);
	const char *cb = "{\"edition\":\"mono-r2\",\"opens_at\":\"2021-02-01\",\"closes_at\":\"2021-04-01\"}";
	assert_int_equal(hj_call_create(st, rb, &staff, cb, strlen(cb), &out, &err), HJ_OK);
	json_t *j = parse(out);
	int64_t call = num(j, "call.id");
	json_decref(j);
	snprintf(body, sizeof body,
		 "{\"company\":%lld,\"call\":%lld,\"frames\":[\"mono-r2-tsujo\"],\"data\":{\"applicant\":"
		 "{\"certifications\":{\"jigyo_keizoku\":{\"approved\":\"2020-10-01\"}}}}}",
		 (long long)company_id, (long long)call);
	assert_int_equal(hj_app_create(st, rb, &owner, body, strlen(body), &out, &v, &err), HJ_OK);
	j = parse(out);
	int64_t id = num(j, "application.id");
	int doc = 0, other = 0;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "warnings"), i, x)
		if (!strcmp(str(x, "type"), "document")) {
			doc += !strcmp(str(x, "item"), "keizoku_certificate");
			other += !strcmp(str(x, "item"), "kakushin_approval");
		}
	assert_int_equal(doc, 1);
	assert_int_equal(other, 0); /* no 経営革新計画: its 承認書 is not asked for */
	json_decref(j);
	assert_int_equal(hj_app_submit(st, rb, &owner, id, "{}", 2, NULL, 1, &out, &replayed, &err), HJ_OK);
	j = parse(out);
	doc = 0;
	json_array_foreach(json_object_get(j, "errors"), i, x)
		doc += !strcmp(str(x, "type"), "document");
	assert_int_equal(doc, 1);
	json_decref(j);
	/* attached under another kind: still missing; under its kind: done */
	assert_int_equal(hj_attachment_add(st, &owner, id, "認定書.pdf", "other", "application/pdf", "x", 1, NULL, &out,
					   &err),
			 HJ_OK);
	hj_free(out);
	assert_int_equal(hj_app_get(st, rb, &owner, id, &out, &v, &err), HJ_OK);
	j = parse(out);
	doc = 0;
	json_array_foreach(json_object_get(j, "warnings"), i, x)
		doc += !strcmp(str(x, "type"), "document");
	assert_int_equal(doc, 1);
	json_decref(j);
	assert_int_equal(hj_attachment_add(st, &owner, id, "認定書.pdf", "keizoku_certificate", "application/pdf", "x", 1,
					   NULL, &out, &err),
			 HJ_OK);
	hj_free(out);
	assert_int_equal(hj_app_get(st, rb, &owner, id, &out, &v, &err), HJ_OK);
	j = parse(out);
	doc = 0;
	json_array_foreach(json_object_get(j, "warnings"), i, x)
		doc += !strcmp(str(x, "type"), "document");
	assert_int_equal(doc, 0);
	json_decref(j);
	hj_clock_set(T_OPEN_NOW);
}

/* Concurrent submits: eight threads with one Idempotency-Key all get the
 * same receipt and exactly one made it; eight with their own keys: one
 * receipt, the others 409. */
typedef struct racer {
	int64_t app;
	char key[32];
	hj_status st;
	int replayed;
	char number[64];
} racer;

static void *race(void *arg)
{
	racer *r = arg;
	char *out = NULL;
	hj_error err;
	r->st = hj_app_submit(st, rb, &owner, r->app, "{}", 2, r->key, 0, &out, &r->replayed, &err);
	if (!r->st) {
		json_t *j = json_loads(out, 0, NULL);
		snprintf(r->number, sizeof r->number, "%s",
			 json_string_value(json_object_get(json_object_get(j, "receipt"), "number")));
		json_decref(j);
	}
	hj_free(out);
	return NULL;
}

static int64_t new_app(void)
{
	char *out, body[4096];
	hj_error err;
	int64_t v;
	snprintf(body, sizeof body, "{\"company\":%lld,\"call\":%lld,\"frames\":[\"mono-r5-shoryokuka\"],\"data\":%s}",
		 (long long)company_id, (long long)call_id, SAMPLE);
	assert_int_equal(hj_app_create(st, rb, &owner, body, strlen(body), &out, &v, &err), HJ_OK);
	json_t *j = parse(out);
	int64_t id = num(j, "application.id");
	json_decref(j);
	return id;
}

static void concurrent_submits(void **state)
{
	(void)state;
	enum { N = 8 };
	racer r[N];
	pthread_t t[N];
	for (int round = 0; round < 2; round++) {
		int64_t id = new_app();
		for (int i = 0; i < N; i++) {
			memset(&r[i], 0, sizeof r[i]);
			r[i].app = id;
			snprintf(r[i].key, sizeof r[i].key, round == 0 ? "same" : "own-%d", i);
			assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
		}
		int okays = 0, first = 0, conflicts = 0;
		for (int i = 0; i < N; i++) {
			pthread_join(t[i], NULL);
			okays += r[i].st == HJ_OK;
			first += r[i].st == HJ_OK && !r[i].replayed;
			conflicts += r[i].st == HJ_ERR_CONFLICT;
		}
		assert_int_equal(first, 1);
		if (round == 0) {
			assert_int_equal(okays, N);
			for (int i = 1; i < N; i++)
				assert_string_equal(r[i].number, r[0].number);
		} else {
			assert_int_equal(okays, 1);
			assert_int_equal(conflicts, N - 1);
		}
		/* one receipt for the application, whatever the race */
		hj_tx *tx;
		hj_error err;
		st_rows *rows;
		st_val p[] = { st_int(id) };
		assert_int_equal(hj_store_begin(st, 0, &tx, &err), HJ_OK);
		assert_int_equal(st_query(tx, "SELECT COUNT(*) FROM receipts WHERE application = ?", p, 1, &rows, &err),
				 HJ_OK);
		assert_int_equal(st_rows_int(rows, 0, 0), 1);
		st_rows_free(rows);
		hj_tx_rollback(tx);
	}
}

/* Delegation: a contributor submits only while the owner's delegation
 * is current. */
static void delegation(void **state)
{
	(void)state;
	char *out;
	hj_error err;
	int replayed;
	int64_t id = new_app();
	const char *inv = "{\"email\":\"helper@example.jp\"}";
	assert_int_equal(hj_collab_invite(st, &owner, id, inv, strlen(inv), &out, &err), HJ_OK);
	json_t *j = parse(out);
	int64_t member = num(j, "member");
	json_decref(j);
	/* dry runs check the permission too */
	assert_int_equal(hj_app_submit(st, rb, &helper, id, "{}", 2, NULL, 1, &out, &replayed, &err), HJ_ERR_DENIED);
	const char *bad = "{\"can_submit\":true,\"until\":\"2024-02-01T00:00:00+09:00\"}";
	assert_int_equal(hj_collab_delegate(st, &owner, id, member, bad, strlen(bad), &out, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "until");
	/* until 2024-03-01T11:00+09:00, an hour after the fixed clock */
	const char *d = "{\"can_submit\":true,\"until\":\"2024-03-01T11:00:00+09:00\"}";
	assert_int_equal(hj_collab_delegate(st, &helper, id, member, d, strlen(d), &out, &err), HJ_ERR_DENIED);
	assert_int_equal(hj_collab_delegate(st, &owner, id, member + 1000, d, strlen(d), &out, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_collab_delegate(st, &owner, id, member, d, strlen(d), &out, &err), HJ_OK);
	j = parse(out);
	assert_true(json_is_true(json_object_get(json_array_get(json_object_get(j, "collaborators"), 1), "can_submit")));
	json_decref(j);
	assert_int_equal(hj_app_submit(st, rb, &helper, id, "{}", 2, NULL, 1, &out, &replayed, &err), HJ_OK);
	hj_free(out);
	/* at 'until' the membership ends: the contributor no longer sees it */
	hj_clock_set(T_OPEN_NOW + 3600 * 1000000LL);
	assert_int_equal(hj_app_submit(st, rb, &helper, id, "{}", 2, NULL, 1, &out, &replayed, &err), HJ_ERR_NOT_FOUND);
	hj_clock_set(T_OPEN_NOW);
	/* taken back */
	const char *no = "{\"can_submit\":false}";
	assert_int_equal(hj_collab_delegate(st, &owner, id, member, no, strlen(no), &out, &err), HJ_OK);
	hj_free(out);
	assert_int_equal(hj_app_submit(st, rb, &helper, id, "{}", 2, NULL, 1, &out, &replayed, &err), HJ_ERR_DENIED);
	assert_int_equal(hj_audit_view(st, &staff, id, "application.collaborator.delegate", 1, 10, &out, &err), HJ_OK);
	j = parse(out);
	assert_int_equal(num(j, "total"), 2);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(calls_from_editions),
		cmocka_unit_test(draft_save_and_conflict),
		cmocka_unit_test(attachments_and_submit),
		cmocka_unit_test(sendback_resubmit_diff_verify),
		cmocka_unit_test(form_change),
		cmocka_unit_test(required_documents),
		cmocka_unit_test(concurrent_submits),
		cmocka_unit_test(delegation),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
