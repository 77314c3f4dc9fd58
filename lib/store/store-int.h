/*
 * lib/store/store-int.h - internal to lib/store/: what the core
 * (store.c: URL dispatch, pool, transactions, migrations; backup.c) needs
 * from a backend (sqlite.c, pg.c), and the result table both fill in.
 *
 * A backend connection ('void *conn') is used by one thread at a time:
 * the pool in store.c hands each transaction one connection.
 *
 * Ownership: a st_rows built here is freed by st_rows_free; its cells'
 * text and blob buffers and its column names belong to it.
 */
#ifndef HOJO_STORE_INT_H
#define HOJO_STORE_INT_H

#include "driver.h"

/* How a transaction begins. */
typedef enum st_mode {
	ST_READ,   /* one consistent snapshot, read only */
	ST_WRITE,  /* takes the write lock / SERIALIZABLE */
	ST_MIGRATE /* the migration runner's: write, each statement sees the latest
		      committed data, and no other migrator runs at the same time */
} st_mode;

typedef struct st_cell {
	st_type type;
	int64_t i;
	char *p;    /* text or blob, NUL-terminated either way */
	size_t len;
} st_cell;

struct st_rows {
	int nrows, ncols, cap;
	char **names; /* ncols column names */
	st_cell *cells;
};

/* A new empty table of 'ncols' columns (names set by st_rows_name). */
st_rows *st_rows_new(int ncols);
/* Set column 'col''s name (copied). */
int st_rows_name(st_rows *r, int col, const char *name);
/* Append a row of NULL cells; returns its first cell, NULL when out of memory. */
st_cell *st_rows_push(st_rows *r);
/* Fill a cell with a copy of text / blob; 0, or -1 when out of memory. */
int st_cell_set(st_cell *c, st_type type, const void *p, size_t len);

typedef struct st_backend {
	const char *kind;      /* "sqlite" / "postgres" */
	const char *id_type;   /* what {id} becomes in a migration */
	const char *blob_type; /* what {blob} becomes */
	/* SELECT name of the store's tables, in creation order */
	const char *tables_sql;
	hj_status (*connect)(const char *target, void **conn, hj_error *err);
	void (*disconnect)(void *conn);
	hj_status (*begin)(void *conn, st_mode mode, hj_error *err);
	hj_status (*commit)(void *conn, hj_error *err);
	void (*rollback)(void *conn);
	hj_status (*exec)(void *conn, const char *sql, const st_val *p, int n, int64_t *changes, hj_error *err);
	hj_status (*query)(void *conn, const char *sql, const st_val *p, int n, st_rows **out, hj_error *err);
} st_backend;

extern const st_backend st_sqlite_backend;
extern const st_backend st_pg_backend;

/* The backend of a transaction's store (backup.c). */
const st_backend *st_tx_backend(hj_tx *tx);

/* Lowercase hex SHA-256 of 'len' bytes into hex[65]. */
void st_sha256_hex(const void *p, size_t len, char hex[65]);

#endif
