/*
 * test_authz.c - regression tests of the authorization bugs the matrix
 * (tests/authz/matrix) found in lib/grants/applications.c, on SQLite:
 * - staff saw a draft that its owner withdrew before ever submitting it
 *   (the check was "state is not draft" instead of "was submitted"):
 *   in the application itself, in the staff's list, in a call's
 *   submissions and in the application's parties;
 * - accounts without the role applicant (staff, reviewer, supporter,
 *   vendor, admin) could register companies and make applications;
 * and of the bad input tests/http/hostile found: application data nested
 * 100 deep was saved, and an Idempotency-Key with control characters was
 * stored.
 */
#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <jansson.h>
#include "hojo/alloc.h"
#include "hojo/rulebook.h"
#include "hojo/store.h"
#include "hojo/grants/applications.h"
#include "hojo/grants/audit.h"
#include "hojo/grants/parties.h"
#include "store/driver.h"
#include "fixtures.h"

static char dir[64];
static hj_store *st;
static hj_rulebook *rb;
static hj_actor owner, staff, reviewer, vendor, admin;

/* 2024-03-01T10:00:00+09:00, inside the call below */
#define T_NOW 1709254800000000LL

static const char *SAMPLE =
	"{\"date\": \"2024-03-15\", \"applicant\": {\"name\": \"株式会社サンプル精機\", \"legal_form\": \"company\", "
	"\"industry\": \"manufacturing\", \"capital\": \"1,000万円\", \"employees\": 25, \"prefecture\": \"埼玉県\", "
	"\"revitalization\": false, \"certifications\": {\"keiei_kakushin\": {\"applied\": \"2023-06-01\", "
	"\"productivity_3pct\": true}}}, \"project\": {\"expenses\": \"1,500万円\", \"capex\": true, \"support_agency\": "
	"true, \"expert\": false, \"labor_saving\": true, \"high_value\": true, \"dx_gx\": false, \"global\": false, "
	"\"low_contact\": false, \"large_wage_raise\": false, \"it\": {\"registered_tool\": false}}}";

static int setup(void **state)
{
	(void)state;
	char url[128];
	hj_error err;
	if (fx_store_open("authz", dir, url, sizeof url, &st) || hj_rulebook_load("rules", &rb, &err))
		return -1;
	fx_account(st, &owner, 1, "owner@example.jp", HJ_ROLE_APPLICANT);
	fx_account(st, &staff, 2, "staff@example.jp", HJ_ROLE_STAFF);
	fx_account(st, &reviewer, 3, "reviewer@example.jp", HJ_ROLE_REVIEWER);
	fx_account(st, &vendor, 4, "vendor@example.jp", HJ_ROLE_VENDOR | HJ_ROLE_SUPPORTER);
	fx_account(st, &admin, 5, "admin@example.jp", HJ_ROLE_ADMIN);
	hj_clock_set(T_NOW);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	hj_rulebook_free(rb);
	return fx_store_close(st, dir);
}

static json_int_t num_of(char *s, const char *k1, const char *k2)
{
	assert_non_null(s);
	json_t *j = json_loads(s, 0, NULL);
	hj_free(s);
	assert_non_null(j);
	json_t *v = json_object_get(j, k1);
	if (k2)
		v = json_object_get(v, k2);
	json_int_t n = json_integer_value(v);
	json_decref(j);
	return n;
}

static int64_t call_id, company_id;

static int64_t new_app(void)
{
	char body[4096], *out;
	hj_error err;
	int64_t v;
	snprintf(body, sizeof body, "{\"company\":%lld,\"call\":%lld,\"frames\":[\"mono-r5-shoryokuka\"],\"data\":%s}",
		 (long long)company_id, (long long)call_id, SAMPLE);
	assert_int_equal(hj_app_create(st, rb, &owner, body, strlen(body), &out, &v, &err), HJ_OK);
	return num_of(out, "application", "id");
}

static void only_applicants_apply(void **state)
{
	(void)state;
	char *out;
	hj_error err;
	const char *cb = "{\"edition\":\"mono-r5\",\"opens_at\":\"2024-02-01T10:00:00+09:00\","
			 "\"closes_at\":\"2024-03-27T17:00:00+09:00\"}";
	assert_int_equal(hj_call_create(st, rb, &staff, cb, strlen(cb), &out, &err), HJ_OK);
	call_id = num_of(out, "call", "id");
	const char *co = "{\"name\":\"株式会社サンプル精機\"}";
	const hj_actor *others[] = { &staff, &reviewer, &vendor, &admin };
	for (size_t i = 0; i < 4; i++) {
		out = NULL;
		assert_int_equal(hj_company_create(st, others[i], co, strlen(co), &out, &err), HJ_ERR_DENIED);
		assert_null(out);
	}
	assert_int_equal(hj_company_create(st, &owner, co, strlen(co), &out, &err), HJ_OK);
	company_id = num_of(out, "company", "id");
	assert_true(company_id > 0);
	/* only the owner's company exists: nothing was stored for the others */
	hj_tx *tx;
	st_rows *r = NULL;
	assert_int_equal(hj_store_begin(st, 0, &tx, &err), HJ_OK);
	assert_int_equal(st_query(tx, "SELECT COUNT(*) FROM companies", NULL, 0, &r, &err), HJ_OK);
	assert_int_equal(st_rows_int(r, 0, 0), 1);
	st_rows_free(r);
	hj_tx_rollback(tx);
	/* a non-applicant cannot make an application, not even for a company it owns */
	char body[4096];
	int64_t v;
	snprintf(body, sizeof body, "{\"company\":%lld,\"call\":%lld,\"frames\":[\"mono-r5-shoryokuka\"],\"data\":{}}",
		 (long long)company_id, (long long)call_id);
	hj_actor demoted = owner;
	demoted.roles = HJ_ROLE_STAFF;
	assert_int_equal(hj_app_create(st, rb, &demoted, body, strlen(body), &out, &v, &err), HJ_ERR_DENIED);
	assert_int_equal(hj_app_create(st, rb, &staff, body, strlen(body), &out, &v, &err), HJ_ERR_DENIED);
}

static void staff_do_not_see_withdrawn_drafts(void **state)
{
	(void)state;
	char *out;
	hj_error err;
	int64_t v;
	int replayed;
	int64_t wd = new_app(), sub = new_app();
	/* one withdrawn before any submit, one submitted then withdrawn */
	assert_int_equal(hj_app_withdraw(st, rb, &owner, wd, &out, &err), HJ_OK);
	hj_free(out);
	assert_int_equal(hj_app_submit(st, rb, &owner, sub, "{}", 2, "k-1", 0, &out, &replayed, &err), HJ_OK);
	hj_free(out);
	assert_int_equal(hj_app_withdraw(st, rb, &owner, sub, &out, &err), HJ_OK);
	hj_free(out);

	/* the withdrawn draft never reached the office: 404 for staff and admin */
	assert_int_equal(hj_app_get(st, rb, &staff, wd, &out, &v, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_app_get(st, rb, &admin, wd, &out, &v, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_app_versions(st, &staff, wd, &out, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_attachment_list(st, &staff, wd, &out, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_app_sendback(st, rb, &staff, wd, "{\"comment\":\"x\"}", 15, &out, &err), HJ_ERR_NOT_FOUND);
	/* the same for the parties of the application (lib/grants/parties.c
	 * had its own copy of the check) */
	assert_int_equal(hj_party_of_app(st, rb, &staff, wd, &out, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_party_of_app(st, rb, &staff, sub, &out, &err), HJ_OK);
	hj_free(out);
	/* the one that was submitted stays visible after its withdrawal */
	assert_int_equal(hj_app_get(st, rb, &staff, sub, &out, &v, &err), HJ_OK);
	hj_free(out);
	/* the owner sees both */
	assert_int_equal(hj_app_get(st, rb, &owner, wd, &out, &v, &err), HJ_OK);
	hj_free(out);
	/* the staff's list and the call's submissions: only the submitted one */
	assert_int_equal(hj_app_list(st, &staff, NULL, 1, 50, &out, &err), HJ_OK);
	assert_int_equal(num_of(out, "total", NULL), 1);
	assert_int_equal(hj_app_list(st, &staff, "withdrawn", 1, 50, &out, &err), HJ_OK);
	assert_int_equal(num_of(out, "total", NULL), 1);
	assert_int_equal(hj_call_submissions(st, &staff, call_id, NULL, NULL, NULL, 1, 50, &out, &err), HJ_OK);
	assert_int_equal(num_of(out, "total", NULL), 1);
	/* the owner lists both of its applications */
	assert_int_equal(hj_app_list(st, &owner, NULL, 1, 50, &out, &err), HJ_OK);
	assert_int_equal(num_of(out, "total", NULL), 2);
	/* a reviewer sees nothing */
	assert_int_equal(hj_app_get(st, rb, &reviewer, sub, &out, &v, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_app_list(st, &reviewer, NULL, 1, 50, &out, &err), HJ_OK);
	assert_int_equal(num_of(out, "total", NULL), 0);
}

static void bad_input_changes_nothing(void **state)
{
	(void)state;
	char *out = NULL, body[8192];
	hj_error err;
	int64_t v;
	int replayed;
	int64_t app = new_app();
	/* data 33 deep is refused naming data; 32 deep is kept */
	for (int depth = 32; depth <= 33; depth++) {
		size_t n = (size_t)snprintf(body, sizeof body, "{\"data\":");
		for (int i = 0; i < depth; i++)
			n += (size_t)snprintf(body + n, sizeof body - n, "{\"a\":");
		n += (size_t)snprintf(body + n, sizeof body - n, "1");
		for (int i = 0; i <= depth; i++)
			n += (size_t)snprintf(body + n, sizeof body - n, "}");
		hj_status s = hj_app_save(st, rb, &owner, app, depth == 32 ? 1 : 2, body, n, &out, &v, &err);
		if (depth == 33) {
			assert_int_equal(s, HJ_ERR_INPUT);
			assert_string_equal(err.field, "data");
		} else {
			assert_int_equal(s, HJ_OK);
			assert_int_equal(v, 2);
		}
		hj_free(out);
		out = NULL;
	}
	/* the refused save left the version where it was */
	assert_int_equal(hj_app_get(st, rb, &owner, app, &out, &v, &err), HJ_OK);
	hj_free(out);
	assert_int_equal(v, 2);
	/* an Idempotency-Key of control characters or over 200 bytes */
	char big[202];
	memset(big, 'k', 201);
	big[201] = '\0';
	const char *keys[] = { "a\x01b", "\x7f", "キー", "", big };
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(hj_app_submit(st, rb, &owner, app, "{}", 2, keys[i], 0, &out, &replayed, &err), HJ_ERR_INPUT);
		assert_string_equal(err.field, "Idempotency-Key");
	}
	/* still a draft at version 2: nothing was submitted */
	assert_int_equal(hj_app_get(st, rb, &owner, app, &out, &v, &err), HJ_OK);
	assert_non_null(strstr(out, "\"state\":\"draft\""));
	hj_free(out);
	assert_int_equal(v, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(only_applicants_apply),
		cmocka_unit_test(staff_do_not_see_withdrawn_drafts),
		cmocka_unit_test(bad_input_changes_nothing),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
