/*
 * lib/store/sqlite.c - the SQLite backend of the store (store-int.h,
 * docs/store.md): one sqlite3 connection per pool slot on one file, in
 * WAL mode with synchronous=FULL (a commit that returned is on disk),
 * foreign keys on, and a busy timeout. A write transaction is BEGIN
 * IMMEDIATE (it takes the database's single write lock at once, so two
 * writers never deadlock mid-transaction); a read one is a deferred BEGIN,
 * which in WAL mode reads one snapshot without blocking the writer.
 *
 * Errors: SQLITE_BUSY / SQLITE_LOCKED -> HJ_ERR_CONFLICT "retry",
 * a unique or primary key violation -> HJ_ERR_CONFLICT "unique", a foreign
 * key violation -> HJ_ERR_CONFLICT "foreign_key"; I/O errors -> HJ_ERR_IO.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sqlite3.h>
#include "hojo/alloc.h"
#include "store-int.h"

#define BUSY_TIMEOUT_MS 5000

static hj_status sq_error(sqlite3 *db, int rc, hj_error *err)
{
	const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
	switch (rc) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "unique", "同じ値がすでに登録されています（%s）", msg);
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "foreign_key", "参照先がないか、参照されています（%s）",
				    msg);
	default:
		break;
	}
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "retry", "データベースが使用中です。やり直してください（%s）",
				    msg);
	case SQLITE_NOMEM:
		return hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません");
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_FULL:
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
	case SQLITE_READONLY:
	case SQLITE_PERM:
		return hj_error_set(err, HJ_ERR_IO, NULL, 0, 0, NULL, "データベース（SQLite）のエラーです: %s", msg);
	default:
		return hj_error_set(err, HJ_ERR_INTERNAL, NULL, 0, 0, NULL, "データベース（SQLite）のエラーです: %s", msg);
	}
}

/* mkdir -p of the directory part of 'path'. */
static int make_parent(const char *path)
{
	char buf[4096];
	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
		return -1;
	char *slash = strrchr(buf, '/');
	if (!slash || slash == buf)
		return 0;
	*slash = '\0';
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0777) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, 0777) && errno != EEXIST)
		return -1;
	return 0;
}

static hj_status sq_run(sqlite3 *db, const char *sql, hj_error *err)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? HJ_OK : sq_error(db, sqlite3_extended_errcode(db), err);
}

static hj_status sq_connect(const char *path, void **conn, hj_error *err)
{
	*conn = NULL;
	if (make_parent(path))
		return hj_error_set(err, HJ_ERR_IO, path, 0, 0, NULL, "データベースのディレクトリを作れません: %s",
				    strerror(errno));
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		hj_error_set(err, HJ_ERR_IO, path, 0, 0, NULL, "データベースを開けません: %s",
			     db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return HJ_ERR_IO;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	hj_status s;
	/* switching a new file to WAL takes a lock the busy handler does not
	 * wait for: another process doing the same makes it SQLITE_BUSY at
	 * once, so wait here */
	for (int i = 0; (s = sq_run(db, "PRAGMA journal_mode=WAL", err)) == HJ_ERR_CONFLICT && i < 250; i++)
		sqlite3_sleep(20);
	if (s || (s = sq_run(db, "PRAGMA synchronous=FULL", err)) || (s = sq_run(db, "PRAGMA foreign_keys=ON", err))) {
		if (s != HJ_ERR_CONFLICT)
			s = HJ_ERR_IO;
		if (err)
			err->status = s;
		sqlite3_close(db);
		return s;
	}
	*conn = db;
	return HJ_OK;
}

static void sq_disconnect(void *conn)
{
	sqlite3_close(conn);
}

static hj_status sq_begin(void *conn, st_mode mode, hj_error *err)
{
	return sq_run(conn, mode == ST_READ ? "BEGIN" : "BEGIN IMMEDIATE", err);
}

static void sq_rollback(void *conn)
{
	if (!sqlite3_get_autocommit(conn))
		sqlite3_exec(conn, "ROLLBACK", NULL, NULL, NULL);
}

static hj_status sq_commit(void *conn, hj_error *err)
{
	hj_status s = sq_run(conn, "COMMIT", err);
	if (s)
		sq_rollback(conn);
	return s;
}

static hj_status sq_prepare(sqlite3 *db, const char *sql, const st_val *p, int n, sqlite3_stmt **out, hj_error *err)
{
	*out = NULL;
	sqlite3_stmt *stmt;
	int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return sq_error(db, sqlite3_extended_errcode(db), err);
	if (!stmt) /* only blanks or comments */
		return HJ_OK;
	if (sqlite3_bind_parameter_count(stmt) != n) {
		sqlite3_finalize(stmt);
		return hj_error_set(err, HJ_ERR_INTERNAL, NULL, 0, 0, NULL, "SQL の引数の数が違います（%d 個渡しました）: %s", n,
				    sql);
	}
	for (int i = 0; i < n; i++) {
		switch (p[i].type) {
		case ST_NULL: rc = sqlite3_bind_null(stmt, i + 1); break;
		case ST_INT: rc = sqlite3_bind_int64(stmt, i + 1, p[i].i); break;
		case ST_TEXT: rc = sqlite3_bind_text(stmt, i + 1, p[i].p, (int)p[i].len, SQLITE_STATIC); break;
		case ST_BLOB: rc = sqlite3_bind_blob64(stmt, i + 1, p[i].p, p[i].len, SQLITE_STATIC); break;
		}
		if (rc != SQLITE_OK) {
			sqlite3_finalize(stmt);
			return sq_error(db, rc, err);
		}
	}
	*out = stmt;
	return HJ_OK;
}

static hj_status sq_exec(void *conn, const char *sql, const st_val *p, int n, int64_t *changes, hj_error *err)
{
	sqlite3 *db = conn;
	sqlite3_stmt *stmt;
	hj_status s = sq_prepare(db, sql, p, n, &stmt, err);
	if (s || !stmt)
		return s;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE) {
		s = sq_error(db, sqlite3_extended_errcode(db), err);
		sqlite3_finalize(stmt);
		return s;
	}
	sqlite3_finalize(stmt);
	if (changes)
		*changes = sqlite3_changes64(db);
	return HJ_OK;
}

static hj_status sq_query(void *conn, const char *sql, const st_val *p, int n, st_rows **out, hj_error *err)
{
	sqlite3 *db = conn;
	sqlite3_stmt *stmt;
	*out = NULL;
	hj_status s = sq_prepare(db, sql, p, n, &stmt, err);
	if (s)
		return s;
	int nc = stmt ? sqlite3_column_count(stmt) : 0;
	st_rows *r = st_rows_new(nc);
	if (!r)
		goto nomem;
	for (int c = 0; c < nc; c++)
		if (st_rows_name(r, c, sqlite3_column_name(stmt, c)))
			goto nomem;
	int rc = SQLITE_DONE;
	while (stmt && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		st_cell *row = st_rows_push(r);
		if (!row)
			goto nomem;
		for (int c = 0; c < nc; c++) {
			int t = sqlite3_column_type(stmt, c), bad = 0;
			if (t == SQLITE_INTEGER) {
				row[c].type = ST_INT;
				row[c].i = sqlite3_column_int64(stmt, c);
			} else if (t == SQLITE_FLOAT) {
				char b[64];
				int k = snprintf(b, sizeof b, "%.17g", sqlite3_column_double(stmt, c));
				bad = st_cell_set(&row[c], ST_TEXT, b, (size_t)k);
			} else if (t == SQLITE_TEXT) {
				const unsigned char *x = sqlite3_column_text(stmt, c);
				bad = st_cell_set(&row[c], ST_TEXT, x, (size_t)sqlite3_column_bytes(stmt, c));
			} else if (t == SQLITE_BLOB) {
				const void *x = sqlite3_column_blob(stmt, c);
				bad = st_cell_set(&row[c], ST_BLOB, x, (size_t)sqlite3_column_bytes(stmt, c));
			}
			if (bad)
				goto nomem;
		}
	}
	if (rc != SQLITE_DONE) {
		s = sq_error(db, sqlite3_extended_errcode(db), err);
		sqlite3_finalize(stmt);
		st_rows_free(r);
		return s;
	}
	sqlite3_finalize(stmt);
	*out = r;
	return HJ_OK;
nomem:
	sqlite3_finalize(stmt);
	st_rows_free(r);
	return hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません");
}

const st_backend st_sqlite_backend = {
	.kind = "sqlite",
	.id_type = "INTEGER PRIMARY KEY AUTOINCREMENT",
	.blob_type = "BLOB",
	.tables_sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
	.connect = sq_connect,
	.disconnect = sq_disconnect,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.exec = sq_exec,
	.query = sq_query,
};
