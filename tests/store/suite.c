/*
 * tests/store/suite.c - the store test suite (docs/store.md), the same on
 * both backends; tests/store/run runs it once on SQLite and once on a
 * throwaway PostgreSQL (tools/pg-cluster). The databases come from the
 * environment:
 *   HOJO_TEST_DB     the store under test (its own tables t_* are made here)
 *   HOJO_TEST_DB2    a fresh store of the same backend (concurrent
 *                    migration, then the source of the backup test)
 *   HOJO_TEST_OTHER  a fresh store of the other backend (the schema version
 *                    compared, then the backup restored into it)
 *   HOJO_TEST_DB3, HOJO_TEST_OTHER2  one more fresh store of each (the
 *                    round trip of a store filled through the office's API)
 * Built under ASan/UBSan with build/libhojo-asan.a.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "hojo/alloc.h"
#include "hojo/store.h"
#include "hojo/grants/audit.h"
#include "hojo/grants/applications.h"
#include "hojo/rulebook.h"
#include <jansson.h>
#include "store/driver.h"
#include "store/store-int.h"

static const char *db, *db2, *other, *db3, *other2;
static char tmpdir[64];

static hj_store *open_db(const char *url, int pool)
{
	hj_store *st = NULL;
	hj_error err;
	hj_status s = hj_store_open(url, pool, &st, &err);
	if (s)
		fail_msg("hj_store_open(%s): %s", url, err.message);
	return st;
}

/* Run one statement in its own write transaction. */
static void exec1(hj_store *st, const char *sql)
{
	hj_tx *tx;
	hj_error err;
	assert_int_equal(hj_store_begin(st, 1, &tx, &err), HJ_OK);
	if (st_exec(tx, sql, NULL, 0, NULL, &err))
		fail_msg("%s: %s", sql, err.message);
	assert_int_equal(hj_tx_commit(tx, &err), HJ_OK);
}

static int64_t scalar(hj_store *st, const char *sql)
{
	hj_tx *tx;
	st_rows *r;
	hj_error err;
	assert_int_equal(hj_store_begin(st, 0, &tx, &err), HJ_OK);
	if (st_query(tx, sql, NULL, 0, &r, &err))
		fail_msg("%s: %s", sql, err.message);
	int64_t v = st_rows_int(r, 0, 0);
	st_rows_free(r);
	hj_tx_rollback(tx);
	return v;
}

/* ---- migrations ---- */

static void migrations_applied_once(void **state)
{
	(void)state;
	hj_store *st = open_db(db, 2);
	int last = st_migrations[st_nmigrations - 1].version;
	assert_int_equal(hj_store_schema_version(st), last);
	assert_int_equal(scalar(st, "SELECT COUNT(*) FROM schema_migrations"), st_nmigrations);
	/* each recorded with its file's SHA-256 */
	hj_tx *tx;
	st_rows *r;
	hj_error err;
	assert_int_equal(hj_store_begin(st, 0, &tx, &err), HJ_OK);
	assert_int_equal(st_query(tx, "SELECT version, name, sha256, applied_at FROM schema_migrations ORDER BY version",
				  NULL, 0, &r, &err),
			 HJ_OK);
	assert_int_equal(st_rows_count(r), st_nmigrations);
	for (int i = 0; i < st_nmigrations; i++) {
		char hex[65];
		st_sha256_hex(st_migrations[i].sql, st_migrations[i].len, hex);
		assert_int_equal(st_rows_int(r, i, 0), st_migrations[i].version);
		assert_string_equal(st_rows_text(r, i, 1), st_migrations[i].name);
		assert_string_equal(st_rows_text(r, i, 2), hex);
	}
	int64_t applied = st_rows_int(r, 0, 3);
	st_rows_free(r);
	hj_tx_rollback(tx);
	hj_store_close(st);

	/* opening again applies nothing */
	st = open_db(db, 1);
	assert_int_equal(scalar(st, "SELECT COUNT(*) FROM schema_migrations"), st_nmigrations);
	assert_true(scalar(st, "SELECT applied_at FROM schema_migrations WHERE version = 1") == applied);

	/* a migration changed after it was applied: the store refuses to open */
	exec1(st, "UPDATE schema_migrations SET sha256 = 'changed' WHERE version = 1");
	hj_store *st2 = (hj_store *)1;
	assert_int_equal(hj_store_open(db, 1, &st2, &err), HJ_ERR_IO);
	assert_null(st2);
	assert_string_equal(err.field, "schema_migrations");
	assert_non_null(strstr(err.message, "001-audit.sql"));
	char sql[200], hex[65];
	st_sha256_hex(st_migrations[0].sql, st_migrations[0].len, hex);
	snprintf(sql, sizeof sql, "UPDATE schema_migrations SET sha256 = '%s' WHERE version = 1", hex);
	exec1(st, sql);
	/* a database migrated by a newer hojo: refused too */
	exec1(st, "INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (9999, 'future', 'x', 0)");
	assert_int_equal(hj_store_open(db, 1, &st2, &err), HJ_ERR_IO);
	assert_non_null(strstr(err.message, "9999"));
	exec1(st, "DELETE FROM schema_migrations WHERE version = 9999");
	hj_store_close(st);
	st = open_db(db, 1);
	hj_store_close(st);
}

typedef struct open_arg {
	const char *url;
	hj_status s;
	hj_error err;
	hj_store *st;
} open_arg;

static void *open_thread(void *p)
{
	open_arg *a = p;
	a->s = hj_store_open(a->url, 1, &a->st, &a->err);
	return NULL;
}

/* Two servers starting at once on one fresh database: both open, the
 * migrations are applied once. */
static void concurrent_migration(void **state)
{
	(void)state;
	open_arg a[3] = { { .url = db2 }, { .url = db2 }, { .url = db2 } };
	pthread_t t[3];
	for (int i = 0; i < 3; i++)
		assert_int_equal(pthread_create(&t[i], NULL, open_thread, &a[i]), 0);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 3; i++) {
		if (a[i].s)
			fail_msg("open %d: %s", i, a[i].err.message);
		assert_int_equal(hj_store_schema_version(a[i].st), st_migrations[st_nmigrations - 1].version);
	}
	assert_int_equal(scalar(a[0].st, "SELECT COUNT(*) FROM schema_migrations"), st_nmigrations);
	assert_int_equal(scalar(a[0].st, "SELECT COUNT(*) FROM audit_events"), 0);
	for (int i = 0; i < 3; i++)
		hj_store_close(a[i].st);
}

static void same_schema_version_on_both(void **state)
{
	(void)state;
	hj_store *a = open_db(db, 1), *b = open_db(other, 1);
	assert_string_not_equal(hj_store_kind(a), hj_store_kind(b));
	assert_int_equal(hj_store_schema_version(a), hj_store_schema_version(b));
	assert_int_equal(scalar(a, "SELECT MAX(version) FROM schema_migrations"),
			 scalar(b, "SELECT MAX(version) FROM schema_migrations"));
	hj_store_close(a);
	hj_store_close(b);
}

/* ---- values ---- */

static const char *blob_type(hj_store *st)
{
	return !strcmp(hj_store_kind(st), "postgres") ? "BYTEA" : "BLOB";
}

static void types_round_trip(void **state)
{
	(void)state;
	hj_store *st = open_db(db, 2);
	char sql[200];
	exec1(st, "DROP TABLE IF EXISTS t_types");
	snprintf(sql, sizeof sql, "CREATE TABLE t_types (k BIGINT PRIMARY KEY, n BIGINT, s TEXT, b %s)", blob_type(st));
	exec1(st, sql);
	unsigned char all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i; /* NUL bytes at 0, and every byte value */
	static const char utf8[] = "補助金の申請 🎌 \"引用\" 'single' ? $1 \\ 改行\n終わり";
	const int64_t ns[] = { INT64_MIN, INT64_MAX, 0, -1 };
	hj_tx *tx;
	hj_error err;
	assert_int_equal(hj_store_begin(st, 1, &tx, &err), HJ_OK);
	for (int i = 0; i < 4; i++) {
		st_val p[4] = { st_int(i), st_int(ns[i]), st_text(utf8), st_blob(all, i == 3 ? 0 : sizeof all) };
		if (i == 2)
			p[2] = st_null(), p[3] = st_null();
		assert_int_equal(st_exec(tx, "INSERT INTO t_types (k, n, s, b) VALUES (?, ?, ?, ?)", p, 4, NULL, &err),
				 HJ_OK);
	}
	assert_int_equal(hj_tx_commit(tx, &err), HJ_OK);
	hj_store_close(st);

	/* read back through a new connection */
	st = open_db(db, 1);
	st_rows *r;
	assert_int_equal(hj_store_begin(st, 0, &tx, &err), HJ_OK);
	assert_int_equal(st_query(tx, "SELECT k, n, s, b FROM t_types ORDER BY k", NULL, 0, &r, &err), HJ_OK);
	assert_int_equal(st_rows_count(r), 4);
	assert_true(st_rows_int(r, 0, 1) == INT64_MIN);
	assert_true(st_rows_int(r, 1, 1) == INT64_MAX);
	assert_true(st_rows_int(r, 2, 1) == 0);
	assert_true(st_rows_int(r, 3, 1) == -1);
	assert_string_equal(st_rows_text(r, 1, 1), "9223372036854775807");
	assert_string_equal(st_rows_text(r, 0, 2), utf8);
	size_t len = 1;
	const unsigned char *b = st_rows_blob(r, 0, 3, &len);
	assert_int_equal(len, 256);
	assert_memory_equal(b, all, 256);
	assert_true(st_rows_isnull(r, 2, 2));
	assert_true(st_rows_isnull(r, 2, 3));
	assert_false(st_rows_isnull(r, 3, 3)); /* an empty blob is not NULL */
	assert_non_null(st_rows_blob(r, 3, 3, &len));
	assert_int_equal(len, 0);
	st_rows_free(r);
	/* a parameter in a WHERE clause, and a blob compared */
	st_val k = st_blob(all, sizeof all);
	assert_int_equal(st_query1(tx, "SELECT k FROM t_types WHERE b = ? AND n < 0", &k, 1, &r, &err), HJ_OK);
	assert_non_null(r);
	assert_int_equal(st_rows_int(r, 0, 0), 0);
	st_rows_free(r);
	/* more than one row for st_query1: an internal error */
	assert_int_equal(st_query1(tx, "SELECT k FROM t_types", NULL, 0, &r, &err), HJ_ERR_INTERNAL);
	hj_tx_rollback(tx);
	exec1(st, "DROP TABLE t_types");
	hj_store_close(st);
}

static void unique_and_foreign_key(void **state)
{
	(void)state;
	hj_store *st = open_db(db, 2);
	char sql[200];
	exec1(st, "DROP TABLE IF EXISTS t_child");
	exec1(st, "DROP TABLE IF EXISTS t_parent");
	snprintf(sql, sizeof sql, "CREATE TABLE t_parent (id %s, name TEXT NOT NULL UNIQUE)",
		 !strcmp(hj_store_kind(st), "postgres") ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT");
	exec1(st, sql);
	exec1(st, "CREATE TABLE t_child (id BIGINT PRIMARY KEY, parent BIGINT NOT NULL REFERENCES t_parent (id))");
	hj_tx *tx;
	hj_error err;
	st_rows *r;
	st_val name = st_text("一");
	assert_int_equal(hj_store_begin(st, 1, &tx, &err), HJ_OK);
	assert_int_equal(st_query1(tx, "INSERT INTO t_parent (name) VALUES (?) RETURNING id", &name, 1, &r, &err), HJ_OK);
	assert_int_equal(st_rows_int(r, 0, 0), 1);
	st_rows_free(r);
	assert_int_equal(st_exec(tx, "INSERT INTO t_child (id, parent) VALUES (10, 1)", NULL, 0, NULL, &err), HJ_OK);
	assert_int_equal(hj_tx_commit(tx, &err), HJ_OK);

	/* the same name again */
	assert_int_equal(hj_store_begin(st, 1, &tx, &err), HJ_OK);
	assert_int_equal(st_exec(tx, "INSERT INTO t_parent (name) VALUES (?)", &name, 1, NULL, &err), HJ_ERR_CONFLICT);
	assert_string_equal(err.field, "unique");
	/* the transaction is spoiled: further statements and the commit report it */
	assert_int_equal(st_exec(tx, "INSERT INTO t_parent (name) VALUES ('二')", NULL, 0, NULL, &err), HJ_ERR_CONFLICT);
	assert_int_equal(hj_tx_commit(tx, &err), HJ_ERR_CONFLICT);
	assert_string_equal(err.field, "unique");
	/* the same primary key */
	assert_int_equal(hj_store_begin(st, 1, &tx, &err), HJ_OK);
	assert_int_equal(st_exec(tx, "INSERT INTO t_child (id, parent) VALUES (10, 1)", NULL, 0, NULL, &err),
			 HJ_ERR_CONFLICT);
	assert_string_equal(err.field, "unique");
	hj_tx_rollback(tx);
	/* a child of no parent */
	assert_int_equal(hj_store_begin(st, 1, &tx, &err), HJ_OK);
	assert_int_equal(st_exec(tx, "INSERT INTO t_child (id, parent) VALUES (11, 99)", NULL, 0, NULL, &err),
			 HJ_ERR_CONFLICT);
	assert_string_equal(err.field, "foreign_key");
	hj_tx_rollback(tx);
	/* a parent that still has a child */
	assert_int_equal(hj_store_begin(st, 1, &tx, &err), HJ_OK);
	assert_int_equal(st_exec(tx, "DELETE FROM t_parent WHERE id = 1", NULL, 0, NULL, &err), HJ_ERR_CONFLICT);
	assert_string_equal(err.field, "foreign_key");
	hj_tx_rollback(tx);
	assert_int_equal(scalar(st, "SELECT COUNT(*) FROM t_parent"), 1);
	assert_int_equal(scalar(st, "SELECT COUNT(*) FROM t_child"), 1);
	exec1(st, "DROP TABLE t_child");
	exec1(st, "DROP TABLE t_parent");
	hj_store_close(st);
}

static hj_status insert_then_fail(hj_tx *tx, void *ctx, hj_error *err)
{
	(void)ctx;
	hj_status s = st_exec(tx, "INSERT INTO t_rb (n) VALUES (1), (2), (3)", NULL, 0, NULL, err);
	if (s)
		return s;
	return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "n", "わざと失敗");
}

static void rollback_leaves_nothing(void **state)
{
	(void)state;
	hj_store *st = open_db(db, 2);
	exec1(st, "DROP TABLE IF EXISTS t_rb");
	exec1(st, "CREATE TABLE t_rb (n BIGINT NOT NULL)");
	hj_tx *tx;
	hj_error err;
	int64_t changes = 0;
	assert_int_equal(hj_store_begin(st, 1, &tx, &err), HJ_OK);
	assert_int_equal(st_exec(tx, "INSERT INTO t_rb (n) VALUES (1), (2), (3)", NULL, 0, &changes, &err), HJ_OK);
	assert_int_equal(changes, 3);
	hj_tx_rollback(tx);
	assert_int_equal(scalar(st, "SELECT COUNT(*) FROM t_rb"), 0);
	/* a function that fails: rolled back, its status and error returned */
	assert_int_equal(hj_store_run(st, 1, insert_then_fail, NULL, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "n");
	assert_int_equal(scalar(st, "SELECT COUNT(*) FROM t_rb"), 0);
	/* a read transaction cannot write */
	assert_int_equal(hj_store_begin(st, 0, &tx, &err), HJ_OK);
	assert_int_equal(st_exec(tx, "INSERT INTO t_rb (n) VALUES (1)", NULL, 0, NULL, &err), HJ_ERR_INTERNAL);
	hj_tx_rollback(tx);
	assert_int_equal(scalar(st, "SELECT COUNT(*) FROM t_rb"), 0);
	exec1(st, "DROP TABLE t_rb");
	hj_store_close(st);
}

/* ---- concurrency ---- */

typedef struct counter_arg {
	hj_store *st;
	int n;
	atomic_int calls;
	hj_status s;
	hj_error err;
} counter_arg;

/* read, then write what was read plus one: two at once conflict */
static hj_status increment(hj_tx *tx, void *ctx, hj_error *err)
{
	counter_arg *a = ctx;
	atomic_fetch_add(&a->calls, 1);
	st_rows *r;
	hj_status s = st_query1(tx, "SELECT n FROM t_counter WHERE id = 1", NULL, 0, &r, err);
	if (s)
		return s;
	int64_t n = st_rows_int(r, 0, 0);
	st_rows_free(r);
	st_val p = st_int(n + 1);
	return st_exec(tx, "UPDATE t_counter SET n = ? WHERE id = 1", &p, 1, NULL, err);
}

static void *counter_thread(void *p)
{
	counter_arg *a = p;
	for (int i = 0; i < a->n && !a->s; i++)
		a->s = hj_store_run(a->st, 1, increment, a, &a->err);
	return NULL;
}

static int flaky_left;
static hj_status flaky(hj_tx *tx, void *ctx, hj_error *err)
{
	(void)tx;
	(*(int *)ctx)++;
	if (flaky_left-- > 0)
		return hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "retry", "衝突");
	return HJ_OK;
}

static hj_status dup_conflict(hj_tx *tx, void *ctx, hj_error *err)
{
	(void)tx;
	(*(int *)ctx)++;
	return hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "unique", "重複");
}

static void run_retries_conflicts(void **state)
{
	(void)state;
	hj_store *st = open_db(db, 4);
	hj_error err;
	/* a conflict "retry" runs the function again; a duplicate does not */
	int calls = 0;
	flaky_left = 2;
	assert_int_equal(hj_store_run(st, 1, flaky, &calls, &err), HJ_OK);
	assert_int_equal(calls, 3);
	calls = 0;
	assert_int_equal(hj_store_run(st, 1, dup_conflict, &calls, &err), HJ_ERR_CONFLICT);
	assert_int_equal(calls, 1);
	assert_string_equal(err.field, "unique");
	/* bounded: a conflict that never ends gives up */
	calls = 0;
	flaky_left = 1000;
	assert_int_equal(hj_store_run(st, 1, flaky, &calls, &err), HJ_ERR_CONFLICT);
	assert_true(calls > 3 && calls < 50);

	/* two threads incrementing one counter N times each end at 2N */
	exec1(st, "DROP TABLE IF EXISTS t_counter");
	exec1(st, "CREATE TABLE t_counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)");
	exec1(st, "INSERT INTO t_counter (id, n) VALUES (1, 0)");
	enum { N = 150 };
	counter_arg a[2] = { { .st = st, .n = N }, { .st = st, .n = N } };
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, counter_thread, &a[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 2; i++)
		if (a[i].s)
			fail_msg("thread %d: %s", i, a[i].err.message);
	assert_int_equal(scalar(st, "SELECT n FROM t_counter WHERE id = 1"), 2 * N);
	print_message("counter: %d increments took %d runs of the function\n", 2 * N,
		      atomic_load(&a[0].calls) + atomic_load(&a[1].calls));
	exec1(st, "DROP TABLE t_counter");
	hj_store_close(st);
}

typedef struct waiter_arg {
	hj_store *st;
	atomic_int got;
	hj_status s;
} waiter_arg;

static void *waiter(void *p)
{
	waiter_arg *w = p;
	hj_tx *tx;
	hj_error err;
	w->s = hj_store_begin(w->st, 0, &tx, &err);
	if (!w->s) {
		atomic_store(&w->got, 1);
		hj_tx_rollback(tx);
	}
	return NULL;
}

static void pool_exhaustion_waits(void **state)
{
	(void)state;
	hj_store *st = open_db(db, 1);
	hj_tx *tx;
	hj_error err;
	assert_int_equal(hj_store_begin(st, 1, &tx, &err), HJ_OK);
	waiter_arg w = { .st = st };
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, waiter, &w), 0);
	usleep(300000);
	assert_int_equal(atomic_load(&w.got), 0); /* still waiting for the one connection */
	assert_int_equal(hj_tx_commit(tx, &err), HJ_OK);
	pthread_join(t, NULL);
	assert_int_equal(w.s, HJ_OK);
	assert_int_equal(atomic_load(&w.got), 1);
	hj_store_close(st);
}

/* PostgreSQL: a connection the server dropped is connected again at the
 * next begin. */
static void reconnect_after_broken_connection(void **state)
{
	(void)state;
	hj_store *st = open_db(db, 1);
	if (strcmp(hj_store_kind(st), "postgres")) {
		hj_store_close(st);
		skip();
	}
	hj_store *killer = open_db(db, 1);
	hj_tx *tx;
	hj_error err;
	st_rows *r;
	assert_int_equal(hj_store_begin(st, 0, &tx, &err), HJ_OK);
	assert_int_equal(st_query1(tx, "SELECT pg_backend_pid()", NULL, 0, &r, &err), HJ_OK);
	st_val pid = st_int(st_rows_int(r, 0, 0));
	st_rows_free(r);
	hj_tx_rollback(tx);
	assert_int_equal(hj_store_begin(killer, 0, &tx, &err), HJ_OK);
	assert_int_equal(st_query1(tx, "SELECT pg_terminate_backend(CAST(? AS INTEGER))", &pid, 1, &r, &err), HJ_OK);
	assert_int_equal(st_rows_int(r, 0, 0), 1);
	st_rows_free(r);
	hj_tx_rollback(tx);
	usleep(100000);
	/* the next begin notices, connects again, and works */
	assert_int_equal(hj_store_begin(st, 0, &tx, &err), HJ_OK);
	assert_int_equal(st_query1(tx, "SELECT pg_backend_pid()", NULL, 0, &r, &err), HJ_OK);
	assert_true(st_rows_int(r, 0, 0) != pid.i);
	st_rows_free(r);
	hj_tx_rollback(tx);
	/* a transaction whose connection breaks midway fails with HJ_ERR_IO and
	 * the one after works */
	assert_int_equal(hj_store_begin(st, 1, &tx, &err), HJ_OK);
	assert_int_equal(st_query1(tx, "SELECT pg_backend_pid()", NULL, 0, &r, &err), HJ_OK);
	pid = st_int(st_rows_int(r, 0, 0));
	st_rows_free(r);
	hj_tx *k;
	assert_int_equal(hj_store_begin(killer, 0, &k, &err), HJ_OK);
	assert_int_equal(st_query1(k, "SELECT pg_terminate_backend(CAST(? AS INTEGER))", &pid, 1, &r, &err), HJ_OK);
	st_rows_free(r);
	hj_tx_rollback(k);
	usleep(100000);
	assert_int_equal(st_query(tx, "SELECT 1", NULL, 0, &r, &err), HJ_ERR_IO);
	assert_int_equal(hj_tx_commit(tx, &err), HJ_ERR_IO);
	assert_int_equal(scalar(st, "SELECT 41 + 1"), 42);
	hj_store_close(killer);
	hj_store_close(st);
}

/* ---- kill -9 ---- */

static void crash_child(int fd)
{
	hj_store *st;
	hj_error err;
	if (hj_store_open(db, 1, &st, &err))
		_exit(3);
	for (;;) {
		hj_tx *tx;
		st_rows *r;
		if (hj_store_begin(st, 1, &tx, &err))
			_exit(4);
		st_val p = st_text("acknowledged after commit");
		if (st_query1(tx, "INSERT INTO t_crash (v) VALUES (?) RETURNING id", &p, 1, &r, &err))
			_exit(5);
		long long id = st_rows_int(r, 0, 0);
		st_rows_free(r);
		if (hj_tx_commit(tx, &err))
			_exit(6);
		/* only now is the row acknowledged */
		char line[32];
		int n = snprintf(line, sizeof line, "%lld\n", id);
		if (write(fd, line, (size_t)n) != n)
			_exit(7);
	}
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static void crash_kill9(void **state)
{
	(void)state;
	hj_store *st = open_db(db, 1);
	char sql[200];
	exec1(st, "DROP TABLE IF EXISTS t_crash");
	snprintf(sql, sizeof sql, "CREATE TABLE t_crash (id %s, v TEXT NOT NULL)",
		 !strcmp(hj_store_kind(st), "postgres") ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT");
	exec1(st, sql);
	hj_store_close(st);
	size_t cap = 1 << 16, nacked = 0;
	int64_t *acked = malloc(cap * sizeof *acked);
	assert_non_null(acked);
	for (int round = 0; round < 5; round++) {
		int fds[2];
		assert_int_equal(pipe(fds), 0);
		fflush(NULL);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(fds[0]);
			crash_child(fds[1]);
		}
		close(fds[1]);
		unsigned rnd = 0;
		if (getrandom(&rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
			rnd = (unsigned)time(NULL);
		/* wait for the first acknowledgement, then kill at a random moment */
		char buf[4096], part[32] = "";
		size_t plen = 0;
		struct timespec t0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		long kill_after_ms = -1;
		int killed = 0;
		for (;;) {
			struct timespec now;
			clock_gettime(CLOCK_MONOTONIC, &now);
			long ms = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
			if (!killed && (ms > 20000 || (kill_after_ms >= 0 && ms >= kill_after_ms))) {
				kill(pid, SIGKILL);
				killed = 1;
			}
			struct pollfd pf = { fds[0], POLLIN, 0 };
			if (poll(&pf, 1, killed ? 1000 : 5) < 0 && errno != EINTR)
				break;
			if (!(pf.revents & (POLLIN | POLLHUP)))
				continue;
			ssize_t n = read(fds[0], buf, sizeof buf);
			if (n <= 0)
				break; /* the child is gone and the pipe drained */
			for (ssize_t i = 0; i < n; i++) {
				if (buf[i] != '\n') {
					if (plen < sizeof part - 1)
						part[plen++] = buf[i];
					continue;
				}
				part[plen] = '\0';
				plen = 0;
				if (nacked == cap) {
					cap *= 2;
					acked = realloc(acked, cap * sizeof *acked);
					assert_non_null(acked);
				}
				acked[nacked++] = strtoll(part, NULL, 10);
				if (kill_after_ms < 0)
					kill_after_ms = ms + 20 + (long)(rnd % 300);
			}
		}
		close(fds[0]);
		int status = 0;
		waitpid(pid, &status, 0);
		assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		/* the store opens cleanly after each kill, with every acknowledged row */
		st = open_db(db, 1);
		hj_tx *tx;
		st_rows *r;
		hj_error err;
		assert_int_equal(hj_store_begin(st, 0, &tx, &err), HJ_OK);
		assert_int_equal(st_query(tx, "SELECT id FROM t_crash ORDER BY id", NULL, 0, &r, &err), HJ_OK);
		int n = st_rows_count(r);
		int64_t *have = malloc(((size_t)n + 1) * sizeof *have);
		assert_non_null(have);
		for (int i = 0; i < n; i++)
			have[i] = st_rows_int(r, i, 0);
		st_rows_free(r);
		hj_tx_rollback(tx);
		for (size_t i = 0; i < nacked; i++)
			if (!bsearch(&acked[i], have, (size_t)n, sizeof *have, cmp64))
				fail_msg("round %d: acknowledged id %lld is missing", round, (long long)acked[i]);
		/* at most the one in flight in each round was committed without
		 * acknowledgement */
		assert_true((size_t)n >= nacked && (size_t)n <= nacked + (size_t)round + 1);
		free(have);
		hj_store_close(st);
	}
	assert_true(nacked >= 5);
	print_message("kill -9: 5 rounds, %zu acknowledged rows all present\n", nacked);
	free(acked);
	st = open_db(db, 1);
	exec1(st, "DROP TABLE t_crash");
	hj_store_close(st);
}

/* ---- backup and restore ---- */

typedef struct writer_arg {
	hj_store *st;
	atomic_int stop;
	int pairs;
	hj_status s;
	hj_error err;
} writer_arg;

static hj_status add_pair(hj_tx *tx, void *ctx, hj_error *err)
{
	writer_arg *w = ctx;
	char detail[64];
	snprintf(detail, sizeof detail, "{\"pair\":%d}", w->pairs);
	hj_actor who = { .account = 1 };
	snprintf(who.email, sizeof who.email, "書き手@example.jp");
	hj_audit_event ev = { .action = "test.pair", .object_type = "pair", .object_id = w->pairs + 1, .detail = detail };
	hj_status s = hj_audit_add(tx, &who, &ev, err);
	if (!s)
		s = hj_audit_add(tx, &who, &ev, err);
	return s;
}

static void *writer_thread(void *p)
{
	writer_arg *w = p;
	while (!atomic_load(&w->stop) && !w->s) {
		w->s = hj_store_run(w->st, 1, add_pair, w, &w->err);
		if (!w->s)
			w->pairs++;
	}
	return NULL;
}

/* Every row of audit_events as text, one string per row, ordered by id,
 * the first 'limit' rows. */
static char **audit_rows(hj_store *st, int64_t max_id, int *n)
{
	hj_tx *tx;
	st_rows *r;
	hj_error err;
	assert_int_equal(hj_store_begin(st, 0, &tx, &err), HJ_OK);
	st_val p = st_int(max_id);
	assert_int_equal(st_query(tx, "SELECT * FROM audit_events WHERE id <= ? ORDER BY id", &p, 1, &r, &err), HJ_OK);
	*n = st_rows_count(r);
	char **out = calloc((size_t)*n + 1, sizeof *out);
	for (int i = 0; i < *n; i++) {
		size_t len = 0;
		char *s = NULL;
		FILE *m = open_memstream(&s, &len);
		for (int c = 0; c < r->ncols; c++)
			fprintf(m, "%s|", st_rows_isnull(r, i, c) ? "NULL" : st_rows_text(r, i, c));
		fclose(m);
		out[i] = s;
	}
	st_rows_free(r);
	hj_tx_rollback(tx);
	return out;
}

static void backup_restore_other_backend(void **state)
{
	(void)state;
	hj_store *src = open_db(db2, 4);
	hj_error err;
	/* more rows than one page of the backup (500) */
	hj_tx *pre;
	hj_actor someone = { .account = 2 };
	assert_int_equal(hj_store_begin(src, 1, &pre, &err), HJ_OK);
	for (int i = 0; i < 1200; i++) {
		hj_audit_event ev = { .action = "test.prefill", .object_type = "row", .object_id = i, .company = i % 7 };
		assert_int_equal(hj_audit_add(pre, &someone, &ev, &err), HJ_OK);
	}
	assert_int_equal(hj_tx_commit(pre, &err), HJ_OK);
	writer_arg w = { .st = src };
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, writer_thread, &w), 0);
	while (atomic_load(&w.stop) == 0 && w.pairs < 20 && !w.s)
		usleep(2000);
	char path[128];
	snprintf(path, sizeof path, "%s/backup.jsonl", tmpdir);
	hj_status bs = hj_store_backup(src, path, &err);
	int pairs_at_backup_end = w.pairs;
	usleep(50000);
	atomic_store(&w.stop, 1);
	pthread_join(t, NULL);
	if (w.s)
		fail_msg("writer: %s", w.err.message);
	if (bs)
		fail_msg("backup: %s", err.message);
	assert_true(w.pairs > pairs_at_backup_end || w.pairs >= 20);
	/* an existing file is not overwritten */
	assert_int_equal(hj_store_backup(src, path, &err), HJ_ERR_IO);

	/* restore into the other backend */
	hj_store *dst = open_db(other, 2);
	if (hj_store_restore(dst, path, &err))
		fail_msg("restore: %s", err.message);
	int64_t n = scalar(dst, "SELECT COUNT(*) FROM audit_events");
	int64_t max = scalar(dst, "SELECT MAX(id) FROM audit_events");
	/* one snapshot: whole pairs only, ids 1..n with no gap */
	assert_true(n >= 1240);
	assert_int_equal(n % 2, 0);
	assert_int_equal(max, n);
	assert_true(n < scalar(src, "SELECT COUNT(*) FROM audit_events"));
	int na, nb;
	char **a = audit_rows(src, max, &na), **b = audit_rows(dst, max, &nb);
	assert_int_equal(na, nb);
	assert_int_equal(na, n);
	for (int i = 0; i < na; i++) {
		assert_string_equal(a[i], b[i]);
		free(a[i]);
		free(b[i]);
	}
	free(a);
	free(b);
	/* the restored store goes on numbering after the largest id */
	hj_tx *tx;
	hj_actor who = { 0 };
	hj_audit_event ev = { .action = "test.after_restore" };
	assert_int_equal(hj_store_begin(dst, 1, &tx, &err), HJ_OK);
	assert_int_equal(hj_audit_add(tx, &who, &ev, &err), HJ_OK);
	assert_int_equal(hj_tx_commit(tx, &err), HJ_OK);
	assert_int_equal(scalar(dst, "SELECT MAX(id) FROM audit_events"), max + 1);
	/* a store with data refuses a restore */
	assert_int_equal(hj_store_restore(dst, path, &err), HJ_ERR_CONFLICT);
	assert_string_equal(err.field, "not_empty");
	assert_int_equal(scalar(dst, "SELECT COUNT(*) FROM audit_events"), n + 1);
	hj_store_close(dst);
	hj_store_close(src);

	/* a damaged backup, a wrong version: refused before anything is written */
	char fresh[160];
	snprintf(fresh, sizeof fresh, "sqlite:%s/fresh.db", tmpdir);
	dst = open_db(fresh, 1);
	char cmd[512], bad[160];
	snprintf(bad, sizeof bad, "%s/bad.jsonl", tmpdir);
	/* one character of a row changed */
	snprintf(cmd, sizeof cmd, "sed '3s/test.prefill/test.prefilm/' '%s' > '%s'", path, bad);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(hj_store_restore(dst, bad, &err), HJ_ERR_INPUT);
	assert_non_null(strstr(err.message, "SHA-256"));
	/* cut short */
	snprintf(cmd, sizeof cmd, "head -n 5 '%s' > '%s'", path, bad);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(hj_store_restore(dst, bad, &err), HJ_ERR_INPUT);
	/* another schema version */
	snprintf(cmd, sizeof cmd, "sed '1s/\"schema_version\":[0-9]*/\"schema_version\":999/' '%s' > '%s'", path, bad);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(hj_store_restore(dst, bad, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "schema_version");
	assert_int_equal(scalar(dst, "SELECT COUNT(*) FROM audit_events"), 0);
	hj_store_close(dst);
}

/* The lines of a backup between its header and its trailer (the rows). */
static char *backup_body(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *out = NULL, *line = NULL;
	size_t olen = 0, cap = 0;
	FILE *m = open_memstream(&out, &olen);
	int n = 0;
	char *prev = NULL;
	while (getline(&line, &cap, f) > 0) {
		if (n++ > 1)
			fputs(prev, m);
		free(prev);
		prev = strdup(line);
	}
	free(prev);
	free(line);
	fclose(f);
	fclose(m);
	return out;
}

/* an applicant eligible for mono-r5-shoryokuka (as in tests/unit/test_intake.c) */
static const char *SAMPLE =
	"{\"date\": \"2024-03-15\", \"applicant\": {\"name\": \"株式会社サンプル精機\", \"legal_form\": \"company\", "
	"\"industry\": \"manufacturing\", \"capital\": \"1,000万円\", \"employees\": 25, \"prefecture\": \"埼玉県\", "
	"\"revitalization\": false, \"certifications\": {\"keiei_kakushin\": {\"applied\": \"2023-06-01\", "
	"\"productivity_3pct\": true}}}, \"project\": {\"expenses\": \"1,500万円\", \"capex\": true, \"support_agency\": "
	"true, \"expert\": false, \"labor_saving\": true, \"high_value\": true, \"dx_gx\": false, \"global\": false, "
	"\"low_contact\": false, \"large_wage_raise\": false, \"it\": {\"registered_tool\": false}}}";

static void account_row(hj_store *st, hj_actor *a, int64_t id, const char *email, unsigned roles)
{
	memset(a, 0, sizeof *a);
	a->account = id;
	a->roles = roles;
	snprintf(a->email, sizeof a->email, "%s", email);
	snprintf(a->via, sizeof a->via, "test");
	hj_tx *tx;
	hj_error err;
	assert_int_equal(hj_store_begin(st, 1, &tx, &err), HJ_OK);
	st_val p[] = { st_int(id), st_text(email), st_int(roles) };
	if (st_exec(tx, "INSERT INTO accounts (id, email, name, password_hash, roles, created_at) VALUES (?, ?, 'テスト', 'x', ?, 0)",
		    p, 3, NULL, &err))
		fail_msg("account: %s", err.message);
	assert_int_equal(hj_tx_commit(tx, &err), HJ_OK);
}

static int64_t json_id(char *s, const char *obj)
{
	assert_non_null(s);
	json_t *j = json_loads(s, 0, NULL);
	hj_free(s);
	assert_non_null(j);
	int64_t id = (int64_t)json_integer_value(json_object_get(json_object_get(j, obj), "id"));
	json_decref(j);
	return id;
}

/* A store filled through the office's API (accounts, a call, a company,
 * an application with an attachment of binary bytes, submitted with a
 * receipt): backed up, restored into a fresh store of the other backend
 * and backed up again, the rows of both backups are the same, and the
 * receipt still verifies against the restored bytes. */
static void full_store_round_trip(void **state)
{
	(void)state;
	hj_rulebook *rb;
	hj_error err;
	if (hj_rulebook_load("rules", &rb, &err))
		fail_msg("rules: %s", err.message);
	hj_store *src = open_db(db3, 2);
	hj_actor owner, staff;
	account_row(src, &owner, 1, "owner@example.jp", HJ_ROLE_APPLICANT);
	account_row(src, &staff, 2, "staff@example.jp", HJ_ROLE_STAFF);
	hj_clock_set(1709254800000000LL); /* 2024-03-01T10:00+09:00: the call is open */
	char *out = NULL, body[4096];
	const char *cb = "{\"edition\":\"mono-r5\",\"opens_at\":\"2024-01-10T10:00:00+09:00\","
			 "\"closes_at\":\"2024-03-27T17:00\",\"grace_seconds\":60}";
	if (hj_call_create(src, rb, &staff, cb, strlen(cb), &out, &err))
		fail_msg("call: %s", err.message);
	int64_t call = json_id(out, "call");
	const char *co = "{\"name\":\"株式会社サンプル精機\",\"corporate_number\":\"1234567890123\"}";
	if (hj_company_create(src, &owner, co, strlen(co), &out, &err))
		fail_msg("company: %s", err.message);
	int64_t company = json_id(out, "company");
	snprintf(body, sizeof body,
		 "{\"company\":%lld,\"call\":%lld,\"frames\":[\"mono-r5-shoryokuka\"],\"data\":%s}",
		 (long long)company, (long long)call, SAMPLE);
	int64_t v = 0;
	if (hj_app_create(src, rb, &owner, body, strlen(body), &out, &v, &err))
		fail_msg("application: %s", err.message);
	int64_t app = json_id(out, "application");
	unsigned char bytes[3000];
	for (size_t i = 0; i < sizeof bytes; i++)
		bytes[i] = (unsigned char)(i * 7);
	if (hj_attachment_add(src, &owner, app, "見積書.pdf", "quote", "application/pdf", bytes, sizeof bytes, NULL, &out,
			      &err))
		fail_msg("attachment: %s", err.message);
	hj_free(out);
	int replayed = 0;
	if (hj_app_submit(src, rb, &owner, app, "{}", 2, "k1", 0, &out, &replayed, &err))
		fail_msg("submit: %s", err.message);
	json_t *r = json_loads(out, 0, NULL);
	hj_free(out);
	char number[128];
	snprintf(number, sizeof number, "%s",
		 json_string_value(json_object_get(json_object_get(r, "receipt"), "number")));
	json_decref(r);
	assert_true(number[0]);

	char a[160], b[160];
	snprintf(a, sizeof a, "%s/full-a.jsonl", tmpdir);
	snprintf(b, sizeof b, "%s/full-b.jsonl", tmpdir);
	if (hj_store_backup(src, a, &err))
		fail_msg("backup: %s", err.message);
	hj_store *dst = open_db(other2, 2);
	if (hj_store_restore(dst, a, &err))
		fail_msg("restore: %s", err.message);
	if (hj_store_backup(dst, b, &err))
		fail_msg("backup of the restored store: %s", err.message);
	char *ra = backup_body(a), *rb2 = backup_body(b);
	/* every table of the schema was there, and the same rows in both */
	assert_non_null(strstr(ra, "{\"table\":\"applications\""));
	assert_non_null(strstr(ra, "{\"table\":\"attachments\""));
	assert_non_null(strstr(ra, "{\"base64\":"));
	assert_string_equal(ra, rb2);
	free(ra);
	free(rb2);
	/* the receipt verifies against the restored bytes */
	if (hj_receipt_verify(dst, &owner, number, &out, &err))
		fail_msg("verify: %s", err.message);
	r = json_loads(out, 0, NULL);
	hj_free(out);
	assert_true(json_is_true(json_object_get(r, "ok")));
	json_decref(r);
	hj_clock_set(0);
	hj_store_close(dst);
	hj_store_close(src);
	hj_rulebook_free(rb);
}

int main(void)
{
	db = getenv("HOJO_TEST_DB");
	db2 = getenv("HOJO_TEST_DB2");
	other = getenv("HOJO_TEST_OTHER");
	db3 = getenv("HOJO_TEST_DB3");
	other2 = getenv("HOJO_TEST_OTHER2");
	if (!db || !db2 || !other || !db3 || !other2) {
		fprintf(stderr, "suite: HOJO_TEST_DB, _DB2, _DB3, _OTHER and _OTHER2 must be set (tests/store/run)\n");
		return 2;
	}
	snprintf(tmpdir, sizeof tmpdir, "/tmp/hojo-store-suite-XXXXXX");
	if (!mkdtemp(tmpdir))
		return 2;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(migrations_applied_once),
		cmocka_unit_test(concurrent_migration),
		cmocka_unit_test(same_schema_version_on_both),
		cmocka_unit_test(types_round_trip),
		cmocka_unit_test(unique_and_foreign_key),
		cmocka_unit_test(rollback_leaves_nothing),
		cmocka_unit_test(run_retries_conflicts),
		cmocka_unit_test(pool_exhaustion_waits),
		cmocka_unit_test(reconnect_after_broken_connection),
		cmocka_unit_test(crash_kill9),
		cmocka_unit_test(backup_restore_other_backend),
		cmocka_unit_test(full_store_round_trip),
	};
	int rc = cmocka_run_group_tests_name(getenv("HOJO_TEST_NAME") ? getenv("HOJO_TEST_NAME") : "store", tests, NULL,
					     NULL);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		rc = rc ? rc : 1;
	return rc;
}
