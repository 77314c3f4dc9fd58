/*
 * hojo/store.h - the store: everything hojo keeps (accounts, calls,
 * applications, attachments, receipts, the audit log) behind one
 * interface with two backends, SQLite (the embedded default) and
 * PostgreSQL (several servers on one database). docs/store.md.
 *
 * A store is opened from a URL ("sqlite:PATH" or "postgres:CONNINFO");
 * opening applies the versioned schema migrations of lib/store/migrations/
 * (the same for both backends) before anything else runs. All reads and
 * writes happen inside a transaction; a transaction that returned HJ_OK
 * from hj_tx_commit is durable (SQLite: WAL with synchronous=FULL;
 * PostgreSQL: fsync and synchronous_commit on), so an answer given after
 * the commit survives kill -9 or a power cut.
 *
 * Thread safety: one hj_store is shared by every thread; it keeps a pool
 * of connections, and each transaction holds one connection until it
 * ends. A transaction belongs to the thread that began it.
 *
 * Ownership: hj_store_open returns a store freed by hj_store_close
 * (NULL is a no-op); a transaction is ended by exactly one of
 * hj_tx_commit or hj_tx_rollback, which free it. Strings passed in are
 * borrowed for the call.
 */
#ifndef HOJO_STORE_H
#define HOJO_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "hojo/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hj_store hj_store;
typedef struct hj_tx hj_tx;

/* Open (creating the SQLite file and its directory when missing) and
 * migrate. 'pool' is the number of connections (>= 1). Errors:
 * HJ_ERR_INPUT for a URL of an unknown form, HJ_ERR_IO when the database
 * cannot be reached or migrated (the message says why). */
hj_status hj_store_open(const char *url, int pool, hj_store **out, hj_error *err);
void hj_store_close(hj_store *st);

/* "sqlite" or "postgres". */
const char *hj_store_kind(const hj_store *st);

/* The schema version after migration (the number of the last migration). */
int hj_store_schema_version(const hj_store *st);

/* Begin a transaction. A write transaction takes the write lock at once
 * (SQLite BEGIN IMMEDIATE; PostgreSQL SERIALIZABLE), a read one sees one
 * consistent snapshot. Waits for a free connection. */
hj_status hj_store_begin(hj_store *st, int write, hj_tx **out, hj_error *err);

/* Commit and free the transaction. HJ_ERR_CONFLICT when the database
 * refused it for a concurrent change (PostgreSQL serialization failure,
 * SQLite busy): nothing was written and the whole transaction may be run
 * again. On any failure the transaction is rolled back and freed. */
hj_status hj_tx_commit(hj_tx *tx, hj_error *err);

/* Roll back and free. NULL is a no-op. */
void hj_tx_rollback(hj_tx *tx);

/* Run fn in a transaction and commit it, running it again (up to a few
 * times, with a short random pause) when it or the commit ends in
 * HJ_ERR_CONFLICT. fn returns HJ_OK to commit, anything else to roll
 * back; that status (and its err) is returned. fn may run more than
 * once, so it must not have effects outside the transaction before it
 * returns. */
typedef hj_status (*hj_tx_fn)(hj_tx *tx, void *ctx, hj_error *err);
hj_status hj_store_run(hj_store *st, int write, hj_tx_fn fn, void *ctx, hj_error *err);

/* A consistent copy of the whole store, taken while it serves, written
 * to 'path' (created; an existing file is an error). The format is
 * hojo's own (docs/store.md) and the same for both backends, so a backup
 * of one restores into the other. */
hj_status hj_store_backup(hj_store *st, const char *path, hj_error *err);

/* Load a backup into a store whose tables are empty (a fresh store);
 * a store with data refuses it. All or nothing. */
hj_status hj_store_restore(hj_store *st, const char *path, hj_error *err);

#ifdef __cplusplus
}
#endif
#endif
