/*
 * fixtures.h - test fixtures shared by the unit tests of the store and
 * the office (test_accounts.c, test_intake.c, test_parties.c): a fresh
 * store per test, on SQLite in a temporary directory or, with
 * HOJO_TEST_PG=CONNINFO, on that PostgreSQL database emptied first
 * (tests/store/run does, on its throwaway cluster); accounts inserted
 * directly; the store closed and its directory removed.
 *
 * Header-only (each test_*.c is one binary); include after unit.h.
 * Ownership: the store opened is the caller's until fx_store_close.
 */
#ifndef HJ_UNIT_FIXTURES_H
#define HJ_UNIT_FIXTURES_H
#include <stdio.h>
#include <stdlib.h>
#include "hojo/store.h"
#include "hojo/grants.h"
#include "hojo/grants/audit.h"
#include "store/driver.h"

/* A new directory /tmp/hojo-test-<name>-XXXXXX in 'dir' (64 bytes) and
 * the store's URL in 'url': "sqlite:<dir>/hojo.db", or the PostgreSQL
 * database of HOJO_TEST_PG after dropping and recreating its public
 * schema; the store opened (pool of 2, migrated) in *st. 0, or -1. */
static inline int fx_store_open(const char *name, char *dir, char *url, size_t urlsize, hj_store **st)
{
	snprintf(dir, 64, "/tmp/hojo-test-%s-XXXXXX", name);
	if (!mkdtemp(dir))
		return -1;
	snprintf(url, urlsize, "sqlite:%s/hojo.db", dir);
	hj_error err;
	const char *pg = getenv("HOJO_TEST_PG");
	if (pg && *pg) {
		/* an empty database: drop what the last test left, migrate again */
		snprintf(url, urlsize, "postgres:%s", pg);
		hj_tx *tx;
		if (hj_store_open(url, 2, st, &err) || hj_store_begin(*st, 1, &tx, &err) ||
		    st_exec(tx, "DROP SCHEMA public CASCADE", NULL, 0, NULL, &err) ||
		    st_exec(tx, "CREATE SCHEMA public", NULL, 0, NULL, &err) || hj_tx_commit(tx, &err))
			return -1;
		hj_store_close(*st);
	}
	return hj_store_open(url, 2, st, &err) ? -1 : 0;
}

/* The clock set free again, the store closed and 'dir' removed. 0, or -1. */
static inline int fx_store_close(hj_store *st, const char *dir)
{
	hj_clock_set(0);
	hj_store_close(st);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Account 'id' inserted in 'st' (name テスト, with 'roles') and *a the
 * actor of it, asking from 127.0.0.1 via "test". */
static inline void fx_account(hj_store *st, hj_actor *a, int64_t id, const char *email, unsigned roles)
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

#endif
