/*
 * lib/store/driver.h - internal to lib/store/: the one SQL interface the
 * domain files of lib/store/ (accounts, applications, audit ...) use, and
 * that each backend (sqlite.c, pg.c) implements. Nothing outside
 * lib/store/ includes it: above the store nobody writes SQL.
 *
 * SQL is written once, in the subset both databases read: '?' for each
 * parameter (pg.c rewrites them to $1, $2 ...; never put '?' inside a
 * literal), BIGINT for integers, TEXT, and in migrations two words the
 * backend replaces: {id} (an auto-increment integer primary key) and
 * {blob} (binary: BLOB / BYTEA). Use INSERT ... RETURNING for new ids,
 * never last-insert-id. Times are BIGINT microseconds since the epoch,
 * UTC. Money is BIGINT yen.
 *
 * Results are read whole into memory (use LIMIT): a st_rows is a table
 * of cells, freed by st_rows_free. Cells are NULL, integer, text or blob.
 *
 * Ownership: text and blob pointers returned by st_rows_* point into the
 * st_rows and live until st_rows_free; parameters are borrowed for the
 * call.
 */
#ifndef HOJO_STORE_DRIVER_H
#define HOJO_STORE_DRIVER_H

#include <stddef.h>
#include <stdint.h>
#include "hojo/error.h"
#include "hojo/store.h"

typedef enum st_type { ST_NULL, ST_INT, ST_TEXT, ST_BLOB } st_type;

/* A parameter. Build with the helpers below. */
typedef struct st_val {
	st_type type;
	int64_t i;
	const void *p; /* text (NUL-terminated) or blob */
	size_t len;    /* blob length (text: strlen) */
} st_val;

static inline st_val st_null(void) { st_val v = { ST_NULL, 0, NULL, 0 }; return v; }
static inline st_val st_int(int64_t i) { st_val v = { ST_INT, i, NULL, 0 }; return v; }
/* NULL text is SQL NULL */
st_val st_text(const char *s);
st_val st_blob(const void *p, size_t len);

typedef struct st_rows st_rows;

/* Run a statement that returns no rows. *changes (may be NULL) gets the
 * number of rows it changed. A unique or foreign key violation is
 * HJ_ERR_CONFLICT with field "unique" / "foreign_key" (so callers can
 * tell a duplicate from a lost race); a serialization failure or busy
 * database is HJ_ERR_CONFLICT with field "retry". */
hj_status st_exec(hj_tx *tx, const char *sql, const st_val *params, int n, int64_t *changes, hj_error *err);

/* Run a query and read all its rows. */
hj_status st_query(hj_tx *tx, const char *sql, const st_val *params, int n, st_rows **out, hj_error *err);

/* The same for a query expected to give at most one row: *out is NULL
 * when nothing was found; more than one row is HJ_ERR_INTERNAL. */
hj_status st_query1(hj_tx *tx, const char *sql, const st_val *params, int n, st_rows **out, hj_error *err);

int st_rows_count(const st_rows *r);
int st_rows_isnull(const st_rows *r, int row, int col);
int64_t st_rows_int(const st_rows *r, int row, int col);          /* NULL: 0 */
const char *st_rows_text(const st_rows *r, int row, int col);     /* NULL: NULL */
const void *st_rows_blob(const st_rows *r, int row, int col, size_t *len);
void st_rows_free(st_rows *r);

/* The store a transaction belongs to. */
hj_store *st_tx_store(hj_tx *tx);

/* The schema migrations, lib/store/migrations/NNN-name.sql in version
 * order, embedded by tools/embed-migrations (build/gen/migrations.c).
 * Each file is one migration: statements separated by ';' at the end of
 * a line, in the SQL subset above; applied once, in its own transaction,
 * and recorded with its SHA-256 (a changed file that was already applied
 * refuses to start). Numbers are owned: 001 the audit log (audit.c),
 * 002 accounts and sessions, 003 calls and applications, 004 parties
 * and the tool registry, 005 the audit log's append-only triggers (a
 * statement after a line "-- only sqlite" / "-- only postgres" runs on
 * that backend alone); new
 * ones take the next free number. */
typedef struct st_migration {
	int version;
	const char *name;
	const char *sql;
	size_t len;
} st_migration;
extern const st_migration st_migrations[];
extern const int st_nmigrations;

#endif
