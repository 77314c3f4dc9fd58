/*
 * lib/store/pg.c - the PostgreSQL backend of the store (store-int.h,
 * docs/store.md), over libpq: one PGconn per pool slot. A write
 * transaction is BEGIN ISOLATION LEVEL SERIALIZABLE (two concurrent
 * transactions that could not have run one after the other fail with
 * SQLSTATE 40001, which the store reports as HJ_ERR_CONFLICT "retry" and
 * hj_store_run runs again); a read one is REPEATABLE READ READ ONLY (one
 * snapshot). The migration runner's is READ COMMITTED under
 * pg_advisory_xact_lock, so that a second server starting at the same
 * time waits, then sees the first one's migrations as applied.
 *
 * SQL comes with '?' parameters, rewritten here to $1, $2 ... (outside
 * quoted literals). Integers are sent as int8 text, text as text of
 * unknown type (PostgreSQL infers it), blobs in binary as bytea; results
 * come back as text: int2/int4/int8/bool become integers (parsed with
 * range checks), bytea is unescaped into a blob, the rest is text.
 *
 * Errors: 40001 / 40P01 -> HJ_ERR_CONFLICT "retry", 23505 -> "unique",
 * 23503 -> "foreign_key"; a lost connection -> HJ_ERR_IO (store.c
 * connects again at the next begin). synchronous_commit is left on.
 * Server notices are dropped: the library never prints.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>
#include "hojo/alloc.h"
#include "store-int.h"

#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define MIGRATE_LOCK "4242100101" /* the advisory lock key of the migration runner */

/* libpq's message on one line, without its trailing newline. */
static void one_line(char *m, size_t size, const char *msg)
{
	size_t n = 0;
	for (const char *p = msg && *msg ? msg : "不明なエラー"; *p && n + 1 < size; p++) {
		if (*p == '\n' || *p == '\t' || *p == '\r') {
			if (n && m[n - 1] != ' ')
				m[n++] = ' ';
		} else
			m[n++] = *p;
	}
	while (n && m[n - 1] == ' ')
		n--;
	m[n] = '\0';
}

static void pg_quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Map a failed result (or a failure without one) to a status. */
static hj_status pg_error(PGconn *c, PGresult *res, hj_error *err)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(c);
	char m[600];
	one_line(m, sizeof m, msg);
	if (state && (!strcmp(state, "40001") || !strcmp(state, "40P01")))
		return hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "retry",
				    "同時に行われた変更と衝突しました。やり直してください（%s）", m);
	if (state && !strcmp(state, "23505"))
		return hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "unique", "同じ値がすでに登録されています（%s）", m);
	if (state && !strcmp(state, "23503"))
		return hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "foreign_key", "参照先がないか、参照されています（%s）", m);
	if (PQstatus(c) != CONNECTION_OK || (state && (!strncmp(state, "08", 2) || !strncmp(state, "57P", 3))))
		return hj_error_set(err, HJ_ERR_IO, NULL, 0, 0, NULL, "データベース（PostgreSQL）に接続できません: %s", m);
	if (state && !strcmp(state, "53200"))
		return hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "データベースのメモリが足りません: %s", m);
	return hj_error_set(err, HJ_ERR_INTERNAL, NULL, 0, 0, NULL, "データベース（PostgreSQL）のエラーです: %s", m);
}

static hj_status pg_connect(const char *target, void **conn, hj_error *err)
{
	*conn = NULL;
	PGconn *c = PQconnectdb(target);
	if (!c)
		return hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません");
	if (PQstatus(c) != CONNECTION_OK) {
		char m[600];
		one_line(m, sizeof m, PQerrorMessage(c));
		PQfinish(c);
		return hj_error_set(err, HJ_ERR_IO, NULL, 0, 0, NULL, "データベース（PostgreSQL）に接続できません: %s", m);
	}
	PQsetNoticeProcessor(c, pg_quiet, NULL);
	PGresult *r = PQexec(c, "SET client_encoding = 'UTF8'; SET synchronous_commit = on; SET TIME ZONE 'UTC'");
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		pg_error(c, r, err);
		PQclear(r);
		PQfinish(c);
		if (err)
			err->status = HJ_ERR_IO;
		return HJ_ERR_IO;
	}
	PQclear(r);
	*conn = c;
	return HJ_OK;
}

static void pg_disconnect(void *conn)
{
	PQfinish(conn);
}

static hj_status pg_simple(PGconn *c, const char *sql, hj_error *err)
{
	PGresult *r = PQexec(c, sql);
	ExecStatusType t = PQresultStatus(r);
	hj_status s = t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK ? HJ_OK : pg_error(c, r, err);
	PQclear(r);
	return s;
}

static void pg_rollback(void *conn)
{
	PGconn *c = conn;
	if (PQstatus(c) == CONNECTION_OK && PQtransactionStatus(c) != PQTRANS_IDLE)
		PQclear(PQexec(c, "ROLLBACK"));
}

static hj_status pg_begin(void *conn, st_mode mode, hj_error *err)
{
	PGconn *c = conn;
	if (PQstatus(c) != CONNECTION_OK)
		return hj_error_set(err, HJ_ERR_IO, NULL, 0, 0, NULL, "データベース（PostgreSQL）への接続が切れています");
	if (PQtransactionStatus(c) != PQTRANS_IDLE)
		pg_rollback(c);
	const char *sql = mode == ST_READ    ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
			  : mode == ST_WRITE ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
					     : "BEGIN ISOLATION LEVEL READ COMMITTED";
	hj_status s = pg_simple(c, sql, err);
	if (s)
		return s;
	if (mode == ST_MIGRATE && (s = pg_simple(c, "SELECT pg_advisory_xact_lock(" MIGRATE_LOCK ")", err)))
		pg_rollback(c);
	return s;
}

static hj_status pg_commit(void *conn, hj_error *err)
{
	PGconn *c = conn;
	PGresult *r = PQexec(c, "COMMIT");
	hj_status s;
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		s = pg_error(c, r, err);
	else if (strcmp(PQcmdStatus(r), "COMMIT"))
		/* the transaction had failed: PostgreSQL rolled it back */
		s = hj_error_set(err, HJ_ERR_INTERNAL, NULL, 0, 0, NULL, "トランザクションは取り消されました");
	else
		s = HJ_OK;
	PQclear(r);
	if (s)
		pg_rollback(c);
	return s;
}

/* 'sql' with each '?' outside quotes as $1, $2 ...; hj_free'd. *count gets
 * the number of parameters. */
static char *rewrite(const char *sql, int *count)
{
	size_t len = strlen(sql), n = 0;
	char *o = hj_malloc(len * 4 + 1);
	if (!o)
		return NULL;
	int k = 0;
	char quote = 0;
	for (const char *p = sql; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			o[n++] = *p;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
			o[n++] = *p;
		} else if (*p == '?') {
			n += (size_t)sprintf(o + n, "$%d", ++k);
		} else
			o[n++] = *p;
	}
	o[n] = '\0';
	*count = k;
	return o;
}

typedef struct pg_params {
	const char **values;
	int *lengths, *formats;
	Oid *types;
	char (*ints)[24];
} pg_params;

static void params_free(pg_params *pp)
{
	hj_free(pp->values);
	hj_free(pp->lengths);
	hj_free(pp->formats);
	hj_free(pp->types);
	hj_free(pp->ints);
}

static int params_make(pg_params *pp, const st_val *p, int n)
{
	size_t k = (size_t)(n ? n : 1);
	pp->values = hj_calloc(k, sizeof *pp->values);
	pp->lengths = hj_calloc(k, sizeof *pp->lengths);
	pp->formats = hj_calloc(k, sizeof *pp->formats);
	pp->types = hj_calloc(k, sizeof *pp->types);
	pp->ints = hj_calloc(k, sizeof *pp->ints);
	if (!pp->values || !pp->lengths || !pp->formats || !pp->types || !pp->ints)
		return -1;
	for (int i = 0; i < n; i++) {
		switch (p[i].type) {
		case ST_NULL: break;
		case ST_INT:
			snprintf(pp->ints[i], sizeof pp->ints[i], "%lld", (long long)p[i].i);
			pp->values[i] = pp->ints[i];
			pp->types[i] = OID_INT8;
			break;
		case ST_TEXT: pp->values[i] = p[i].p; break;
		case ST_BLOB:
			pp->values[i] = p[i].p;
			pp->lengths[i] = (int)p[i].len;
			pp->formats[i] = 1;
			pp->types[i] = OID_BYTEA;
			break;
		}
	}
	return 0;
}

/* Run a statement; *res gets its result (PQclear'd by the caller) when it succeeded. */
static hj_status pg_run(PGconn *c, const char *sql, const st_val *p, int n, PGresult **res, hj_error *err)
{
	*res = NULL;
	int count;
	char *q = rewrite(sql, &count);
	if (!q)
		return hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません");
	if (count != n) {
		hj_free(q);
		return hj_error_set(err, HJ_ERR_INTERNAL, NULL, 0, 0, NULL, "SQL の引数の数が違います（%d 個渡しました）: %s", n,
				    sql);
	}
	pg_params pp = { 0 };
	if (params_make(&pp, p, n)) {
		params_free(&pp);
		hj_free(q);
		return hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません");
	}
	PGresult *r = PQexecParams(c, q, n, pp.types, pp.values, pp.lengths, pp.formats, 0);
	params_free(&pp);
	hj_free(q);
	ExecStatusType t = PQresultStatus(r);
	if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK && t != PGRES_EMPTY_QUERY) {
		hj_status s = pg_error(c, r, err);
		PQclear(r);
		return s;
	}
	*res = r;
	return HJ_OK;
}

static hj_status pg_exec(void *conn, const char *sql, const st_val *p, int n, int64_t *changes, hj_error *err)
{
	PGresult *r;
	hj_status s = pg_run(conn, sql, p, n, &r, err);
	if (s)
		return s;
	if (changes) {
		const char *t = PQcmdTuples(r);
		*changes = t && *t ? strtoll(t, NULL, 10) : 0;
	}
	PQclear(r);
	return HJ_OK;
}

static int parse_int(const char *s, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return -1;
	*out = v;
	return 0;
}

static hj_status pg_query(void *conn, const char *sql, const st_val *p, int n, st_rows **out, hj_error *err)
{
	*out = NULL;
	PGresult *res;
	hj_status s = pg_run(conn, sql, p, n, &res, err);
	if (s)
		return s;
	int nc = PQnfields(res), nr = PQntuples(res);
	st_rows *r = st_rows_new(nc);
	if (!r)
		goto nomem;
	for (int c = 0; c < nc; c++)
		if (st_rows_name(r, c, PQfname(res, c)))
			goto nomem;
	for (int i = 0; i < nr; i++) {
		st_cell *row = st_rows_push(r);
		if (!row)
			goto nomem;
		for (int c = 0; c < nc; c++) {
			if (PQgetisnull(res, i, c))
				continue;
			const char *v = PQgetvalue(res, i, c);
			Oid t = PQftype(res, c);
			if (t == OID_INT8 || t == OID_INT4 || t == OID_INT2) {
				row[c].type = ST_INT;
				if (parse_int(v, &row[c].i)) {
					st_rows_free(r);
					PQclear(res);
					return hj_error_set(err, HJ_ERR_INTERNAL, NULL, 0, 0, NULL,
							    "データベースの整数を読めません: '%s'", v);
				}
			} else if (t == OID_BOOL) {
				row[c].type = ST_INT;
				row[c].i = v[0] == 't';
			} else if (t == OID_BYTEA) {
				size_t len;
				unsigned char *b = PQunescapeBytea((const unsigned char *)v, &len);
				if (!b)
					goto nomem;
				int bad = st_cell_set(&row[c], ST_BLOB, b, len);
				PQfreemem(b);
				if (bad)
					goto nomem;
			} else if (st_cell_set(&row[c], ST_TEXT, v, (size_t)PQgetlength(res, i, c)))
				goto nomem;
		}
	}
	PQclear(res);
	*out = r;
	return HJ_OK;
nomem:
	st_rows_free(r);
	PQclear(res);
	return hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません");
}

const st_backend st_pg_backend = {
	.kind = "postgres",
	.id_type = "BIGSERIAL PRIMARY KEY",
	.blob_type = "BYTEA",
	.tables_sql = "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
		      "WHERE c.relkind = 'r' AND n.nspname = current_schema() ORDER BY c.oid",
	.connect = pg_connect,
	.disconnect = pg_disconnect,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.exec = pg_exec,
	.query = pg_query,
};
