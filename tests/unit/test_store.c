/*
 * test_store.c - the store on SQLite (lib/store/, docs/store.md): open and
 * migrate a temporary file, reopen it without migrating again, values
 * through the driver, conflicts, rollback, and the audit log of
 * migration 001 (hj_audit_add, hj_audit_list). The full suite on both
 * backends is tests/store/.
 */
#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "hojo/alloc.h"
#include "hojo/store.h"
#include "hojo/grants/audit.h"
#include "store/driver.h"

static char dir[64];
static char url[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/hojo-test-store-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	/* a directory that does not exist yet: opening creates it */
	snprintf(url, sizeof url, "sqlite:%s/sub/dir/hojo.db", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int64_t count(hj_store *st, const char *sql)
{
	hj_tx *tx;
	st_rows *r;
	hj_error err;
	assert_int_equal(hj_store_begin(st, 0, &tx, &err), HJ_OK);
	assert_int_equal(st_query(tx, sql, NULL, 0, &r, &err), HJ_OK);
	int64_t n = st_rows_int(r, 0, 0);
	st_rows_free(r);
	hj_tx_rollback(tx);
	return n;
}

static void open_migrates_once(void **state)
{
	(void)state;
	hj_store *st;
	hj_error err;
	assert_int_equal(hj_store_open(url, 2, &st, &err), HJ_OK);
	assert_string_equal(hj_store_kind(st), "sqlite");
	int last = st_migrations[st_nmigrations - 1].version;
	assert_true(last >= 1);
	assert_int_equal(hj_store_schema_version(st), last);
	assert_int_equal(count(st, "SELECT COUNT(*) FROM schema_migrations"), st_nmigrations);
	hj_store_close(st);
	/* the second open finds every migration recorded */
	assert_int_equal(hj_store_open(url, 1, &st, &err), HJ_OK);
	assert_int_equal(hj_store_schema_version(st), last);
	assert_int_equal(count(st, "SELECT COUNT(*) FROM schema_migrations"), st_nmigrations);
	assert_int_equal(count(st, "SELECT COUNT(*) FROM schema_migrations WHERE version = 1 AND name = 'audit'"), 1);
	hj_store_close(st);
}

static void bad_url(void **state)
{
	(void)state;
	hj_store *st = (hj_store *)1;
	hj_error err;
	assert_int_equal(hj_store_open("mysql:x", 1, &st, &err), HJ_ERR_INPUT);
	assert_null(st);
	assert_string_equal(err.field, "db");
	assert_int_equal(hj_store_open("sqlite:", 1, &st, &err), HJ_ERR_INPUT);
	/* a file that cannot be created */
	assert_int_equal(hj_store_open("sqlite:/proc/nonexistent/x.db", 1, &st, &err), HJ_ERR_IO);
}

static void values_conflicts_rollback(void **state)
{
	(void)state;
	hj_store *st;
	hj_error err;
	hj_tx *tx;
	st_rows *r;
	assert_int_equal(hj_store_open(url, 2, &st, &err), HJ_OK);
	assert_int_equal(hj_store_begin(st, 1, &tx, &err), HJ_OK);
	assert_int_equal(st_exec(tx, "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, k TEXT UNIQUE, n BIGINT, b BLOB)",
				 NULL, 0, NULL, &err),
			 HJ_OK);
	static const unsigned char blob[5] = { 'a', 0, 'b', 0, 0xff };
	st_val p[3] = { st_text("鍵"), st_int(INT64_MIN), st_blob(blob, sizeof blob) };
	assert_int_equal(st_query1(tx, "INSERT INTO t (k, n, b) VALUES (?, ?, ?) RETURNING id", p, 3, &r, &err), HJ_OK);
	assert_int_equal(st_rows_int(r, 0, 0), 1);
	st_rows_free(r);
	assert_int_equal(hj_tx_commit(tx, &err), HJ_OK);

	assert_int_equal(hj_store_begin(st, 0, &tx, &err), HJ_OK);
	assert_int_equal(st_query1(tx, "SELECT k, n, b, NULL FROM t WHERE id = ?", (st_val[]){ st_int(1) }, 1, &r, &err),
			 HJ_OK);
	assert_string_equal(st_rows_text(r, 0, 0), "鍵");
	assert_true(st_rows_int(r, 0, 1) == INT64_MIN);
	size_t len;
	const unsigned char *b = st_rows_blob(r, 0, 2, &len);
	assert_int_equal(len, 5);
	assert_memory_equal(b, blob, 5);
	assert_true(st_rows_isnull(r, 0, 3));
	st_rows_free(r);
	/* nothing found: NULL */
	assert_int_equal(st_query1(tx, "SELECT k FROM t WHERE id = 99", NULL, 0, &r, &err), HJ_OK);
	assert_null(r);
	/* a read transaction does not write */
	assert_int_equal(st_exec(tx, "DELETE FROM t", NULL, 0, NULL, &err), HJ_ERR_INTERNAL);
	hj_tx_rollback(tx);

	/* a duplicate: CONFLICT "unique"; the transaction then refuses to commit */
	assert_int_equal(hj_store_begin(st, 1, &tx, &err), HJ_OK);
	assert_int_equal(st_exec(tx, "INSERT INTO t (k, n) VALUES ('x', 1)", NULL, 0, NULL, &err), HJ_OK);
	assert_int_equal(st_exec(tx, "INSERT INTO t (k, n) VALUES (?, 2)", p, 1, NULL, &err), HJ_ERR_CONFLICT);
	assert_string_equal(err.field, "unique");
	assert_int_equal(hj_tx_commit(tx, &err), HJ_ERR_CONFLICT);
	assert_int_equal(count(st, "SELECT COUNT(*) FROM t"), 1); /* 'x' rolled back too */

	/* rollback leaves nothing */
	int64_t changes = -1;
	assert_int_equal(hj_store_begin(st, 1, &tx, &err), HJ_OK);
	assert_int_equal(st_exec(tx, "UPDATE t SET n = 7", NULL, 0, &changes, &err), HJ_OK);
	assert_int_equal(changes, 1);
	hj_tx_rollback(tx);
	assert_true(count(st, "SELECT n FROM t") == INT64_MIN);
	hj_store_close(st);
}

static void audit_log(void **state)
{
	(void)state;
	hj_store *st;
	hj_error err;
	hj_tx *tx;
	assert_int_equal(hj_store_open(url, 2, &st, &err), HJ_OK);
	hj_clock_set(1700000000000000LL);
	hj_actor who = { .account = 7, .roles = 0 };
	snprintf(who.email, sizeof who.email, "a@example.jp");
	snprintf(who.via, sizeof who.via, "cli");
	hj_audit_event ev = { .action = "application.submit", .object_type = "application", .object_id = 42,
			      .detail = "{\"n\":1}" };
	assert_int_equal(hj_store_begin(st, 1, &tx, &err), HJ_OK);
	assert_int_equal(hj_audit_add(tx, &who, &ev, &err), HJ_OK);
	assert_int_equal(hj_tx_commit(tx, &err), HJ_OK);
	/* one rolled back: not there */
	assert_int_equal(hj_store_begin(st, 1, &tx, &err), HJ_OK);
	assert_int_equal(hj_audit_add(tx, &who, &ev, &err), HJ_OK);
	hj_tx_rollback(tx);
	hj_audit_event ref = { .action = "application.submit", .object_type = "application", .object_id = 42,
			       .outcome = "refused" };
	assert_int_equal(hj_audit_refused(st, &who, &ref, &err), HJ_OK);
	char *json = NULL;
	assert_int_equal(hj_audit_list(st, "application", 42, NULL, 1, 10, &json, &err), HJ_OK);
	/* newest first: the refusal (id 2), then the submit (id 1) */
	assert_non_null(strstr(json, "\"total\":2"));
	const char *a = strstr(json, "\"outcome\":\"refused\"");
	const char *b = strstr(json, "\"outcome\":\"ok\"");
	assert_non_null(a);
	assert_non_null(b);
	assert_true(a < b);
	assert_non_null(strstr(json, "\"at_us\":1700000000000000"));
	assert_non_null(strstr(json, "\"detail\":{\"n\":1}"));
	hj_free(json);
	assert_int_equal(hj_audit_list(st, "application", 43, NULL, 1, 10, &json, &err), HJ_OK);
	assert_non_null(strstr(json, "\"total\":0"));
	hj_free(json);
	hj_clock_set(0);
	hj_store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open_migrates_once),
		cmocka_unit_test(bad_url),
		cmocka_unit_test(values_conflicts_rollback),
		cmocka_unit_test(audit_log),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
