/*
 * lib/store/store.c - the core of the store (include/hojo/store.h,
 * docs/store.md): the URL picks a backend ("sqlite:PATH" -> sqlite.c,
 * "postgres:CONNINFO" -> pg.c); a pool of connections shared by every
 * thread (a mutex and a condition variable; a transaction holds one
 * connection until it ends); transactions and hj_store_run's bounded retry
 * with jitter; the result tables (st_rows); and the migration runner.
 *
 * Migrations: lib/store/migrations/NNN-name.sql, embedded in version
 * order. The runner keeps schema_migrations(version, name, sha256,
 * applied_at). Each migration runs in a transaction of its own that first
 * takes the migration lock (PostgreSQL: pg_advisory_xact_lock, so two
 * servers starting on one database do not both migrate; SQLite: BEGIN
 * IMMEDIATE, the database's write lock), then looks the version up: not
 * there, it is applied and recorded; there with another SHA-256, the file
 * was changed after it was applied and the store refuses to open.
 *
 * A failed statement poisons its transaction on both backends (PostgreSQL
 * aborts it anyway): hj_tx_commit then rolls back and reports the first
 * failure, so code behaves the same on both.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>
#include <nettle/sha2.h>
#include "hojo/alloc.h"
#include "hojo/grants/audit.h"
#include "store-int.h"

#define POOL_WAIT_S 30 /* a transaction waits this long for a connection */
#define RUN_TRIES 25   /* hj_store_run: attempts on HJ_ERR_CONFLICT */

struct hj_tx {
	hj_store *st;
	int slot;
	st_mode mode;
	int failed;    /* a statement failed: commit refuses */
	hj_error first; /* that failure */
};

typedef struct st_slot {
	void *conn; /* NULL until first used (or after it broke) */
	int busy;
	hj_tx tx;
} st_slot;

struct hj_store {
	const st_backend *be;
	char *target; /* the URL without its scheme */
	int pool;
	st_slot *slots;
	pthread_mutex_t lock;
	pthread_cond_t freed;
	int schema_version;
};

/* ---- values and result tables ---- */

st_val st_text(const char *s)
{
	st_val v = { s ? ST_TEXT : ST_NULL, 0, s, s ? strlen(s) : 0 };
	return v;
}

st_val st_blob(const void *p, size_t len)
{
	st_val v = { ST_BLOB, 0, p ? p : "", len };
	return v;
}

st_rows *st_rows_new(int ncols)
{
	st_rows *r = hj_calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->ncols = ncols;
	r->names = hj_calloc((size_t)(ncols ? ncols : 1), sizeof *r->names);
	if (!r->names) {
		hj_free(r);
		return NULL;
	}
	return r;
}

int st_rows_name(st_rows *r, int col, const char *name)
{
	hj_free(r->names[col]);
	r->names[col] = hj_strdup(name ? name : "");
	return r->names[col] ? 0 : -1;
}

st_cell *st_rows_push(st_rows *r)
{
	if (r->nrows == r->cap) {
		int cap = r->cap ? r->cap * 2 : 16;
		st_cell *c = hj_realloc(r->cells, (size_t)cap * (size_t)(r->ncols ? r->ncols : 1) * sizeof *c);
		if (!c)
			return NULL;
		r->cells = c;
		r->cap = cap;
	}
	st_cell *row = r->cells + (size_t)r->nrows * (size_t)r->ncols;
	memset(row, 0, (size_t)r->ncols * sizeof *row);
	r->nrows++;
	return row;
}

int st_cell_set(st_cell *c, st_type type, const void *p, size_t len)
{
	c->type = type;
	c->p = hj_malloc(len + 1);
	if (!c->p)
		return -1;
	if (len)
		memcpy(c->p, p, len);
	c->p[len] = '\0';
	c->len = len;
	return 0;
}

static const st_cell *cell_at(const st_rows *r, int row, int col)
{
	if (!r || row < 0 || row >= r->nrows || col < 0 || col >= r->ncols)
		return NULL;
	return &r->cells[(size_t)row * (size_t)r->ncols + (size_t)col];
}

int st_rows_count(const st_rows *r)
{
	return r ? r->nrows : 0;
}

int st_rows_isnull(const st_rows *r, int row, int col)
{
	const st_cell *c = cell_at(r, row, col);
	return !c || c->type == ST_NULL;
}

int64_t st_rows_int(const st_rows *r, int row, int col)
{
	const st_cell *c = cell_at(r, row, col);
	if (!c)
		return 0;
	if (c->type == ST_INT)
		return c->i;
	if (c->type == ST_TEXT)
		return strtoll(c->p, NULL, 10);
	return 0;
}

const char *st_rows_text(const st_rows *r, int row, int col)
{
	const st_cell *c = cell_at(r, row, col);
	if (!c || c->type == ST_NULL)
		return NULL;
	if (c->type == ST_INT) {
		/* an integer read as text: render it once into the cell */
		st_cell *w = (st_cell *)c;
		if (!w->p) {
			char b[32];
			int n = snprintf(b, sizeof b, "%lld", (long long)c->i);
			w->p = hj_strndup(b, (size_t)n);
			w->len = w->p ? (size_t)n : 0;
		}
		return w->p;
	}
	return c->p;
}

const void *st_rows_blob(const st_rows *r, int row, int col, size_t *len)
{
	const st_cell *c = cell_at(r, row, col);
	if (!c || c->type == ST_NULL || c->type == ST_INT) {
		if (len)
			*len = 0;
		return NULL;
	}
	if (len)
		*len = c->len;
	return c->p;
}

void st_rows_free(st_rows *r)
{
	if (!r)
		return;
	size_t n = (size_t)r->nrows * (size_t)r->ncols;
	for (size_t i = 0; i < n; i++)
		hj_free(r->cells[i].p);
	for (int i = 0; i < r->ncols; i++)
		hj_free(r->names[i]);
	hj_free(r->names);
	hj_free(r->cells);
	hj_free(r);
}

void st_sha256_hex(const void *p, size_t len, char hex[65])
{
	struct sha256_ctx c;
	uint8_t d[SHA256_DIGEST_SIZE];
	sha256_init(&c);
	sha256_update(&c, len, p);
	sha256_digest(&c, sizeof d, d);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

/* ---- the pool and transactions ---- */

static hj_status slot_take(hj_store *st, int *slot, hj_error *err)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += POOL_WAIT_S;
	pthread_mutex_lock(&st->lock);
	for (;;) {
		for (int i = 0; i < st->pool; i++)
			if (!st->slots[i].busy) {
				st->slots[i].busy = 1;
				pthread_mutex_unlock(&st->lock);
				*slot = i;
				return HJ_OK;
			}
		if (pthread_cond_timedwait(&st->freed, &st->lock, &until) == ETIMEDOUT) {
			pthread_mutex_unlock(&st->lock);
			return hj_error_set(err, HJ_ERR_LIMIT, NULL, 0, 0, NULL,
					    "データベースへの接続がすべて使用中です（%d 秒待ちました）", POOL_WAIT_S);
		}
	}
}

static void slot_give(hj_store *st, int slot)
{
	pthread_mutex_lock(&st->lock);
	st->slots[slot].busy = 0;
	pthread_cond_signal(&st->freed);
	pthread_mutex_unlock(&st->lock);
}

static hj_status begin_mode(hj_store *st, st_mode mode, hj_tx **out, hj_error *err)
{
	*out = NULL;
	int slot = 0;
	hj_status s = slot_take(st, &slot, err);
	if (s)
		return s;
	st_slot *sl = &st->slots[slot];
	/* a broken connection is dropped by the backend's begin (it returns
	 * HJ_ERR_IO); connect again once */
	for (int attempt = 0;; attempt++) {
		if (!sl->conn && (s = st->be->connect(st->target, &sl->conn, err))) {
			sl->conn = NULL;
			break;
		}
		if (!(s = st->be->begin(sl->conn, mode, err)))
			break;
		if (s != HJ_ERR_IO || attempt > 0)
			break;
		st->be->disconnect(sl->conn);
		sl->conn = NULL;
	}
	if (s) {
		if (s == HJ_ERR_IO && sl->conn) {
			st->be->disconnect(sl->conn);
			sl->conn = NULL;
		}
		slot_give(st, slot);
		return s;
	}
	memset(&sl->tx, 0, sizeof sl->tx);
	sl->tx.st = st;
	sl->tx.slot = slot;
	sl->tx.mode = mode;
	*out = &sl->tx;
	return HJ_OK;
}

hj_status hj_store_begin(hj_store *st, int write, hj_tx **out, hj_error *err)
{
	return begin_mode(st, write ? ST_WRITE : ST_READ, out, err);
}

static void tx_end(hj_tx *tx, hj_status s)
{
	hj_store *st = tx->st;
	st_slot *sl = &st->slots[tx->slot];
	if (s == HJ_ERR_IO && sl->conn) {
		/* the connection broke: the next begin opens a new one */
		st->be->disconnect(sl->conn);
		sl->conn = NULL;
	}
	slot_give(st, tx->slot);
}

hj_status hj_tx_commit(hj_tx *tx, hj_error *err)
{
	if (!tx)
		return hj_error_set(err, HJ_ERR_INTERNAL, NULL, 0, 0, NULL, "トランザクションがありません");
	hj_store *st = tx->st;
	void *conn = st->slots[tx->slot].conn;
	hj_status s;
	if (tx->failed) {
		st->be->rollback(conn);
		if (err)
			*err = tx->first;
		s = tx->first.status ? tx->first.status : HJ_ERR_INTERNAL;
	} else
		s = st->be->commit(conn, err);
	tx_end(tx, s);
	return s;
}

void hj_tx_rollback(hj_tx *tx)
{
	if (!tx)
		return;
	tx->st->be->rollback(tx->st->slots[tx->slot].conn);
	tx_end(tx, HJ_OK);
}

hj_store *st_tx_store(hj_tx *tx)
{
	return tx->st;
}

const st_backend *st_tx_backend(hj_tx *tx)
{
	return tx->st->be;
}

static hj_status tx_failed(hj_tx *tx, hj_status s, hj_error *err)
{
	if (!tx->failed) {
		tx->failed = 1;
		if (err)
			tx->first = *err;
		else
			tx->first.status = s;
		tx->first.status = s;
	}
	return s;
}

static hj_status tx_check(hj_tx *tx, hj_error *err)
{
	if (!tx)
		return hj_error_set(err, HJ_ERR_INTERNAL, NULL, 0, 0, NULL, "トランザクションがありません");
	if (tx->failed) {
		if (err)
			*err = tx->first;
		return tx->first.status;
	}
	return HJ_OK;
}

hj_status st_exec(hj_tx *tx, const char *sql, const st_val *params, int n, int64_t *changes, hj_error *err)
{
	hj_status s = tx_check(tx, err);
	if (s)
		return s;
	if (changes)
		*changes = 0;
	if (tx->mode == ST_READ)
		return tx_failed(tx, hj_error_set(err, HJ_ERR_INTERNAL, NULL, 0, 0, NULL,
						  "読み取り専用のトランザクションで書き込もうとしました"),
				 err);
	s = tx->st->be->exec(tx->st->slots[tx->slot].conn, sql, params, n, changes, err);
	return s ? tx_failed(tx, s, err) : HJ_OK;
}

hj_status st_query(hj_tx *tx, const char *sql, const st_val *params, int n, st_rows **out, hj_error *err)
{
	*out = NULL;
	hj_status s = tx_check(tx, err);
	if (s)
		return s;
	s = tx->st->be->query(tx->st->slots[tx->slot].conn, sql, params, n, out, err);
	return s ? tx_failed(tx, s, err) : HJ_OK;
}

hj_status st_query1(hj_tx *tx, const char *sql, const st_val *params, int n, st_rows **out, hj_error *err)
{
	hj_status s = st_query(tx, sql, params, n, out, err);
	if (s)
		return s;
	if ((*out)->nrows > 1) {
		st_rows_free(*out);
		*out = NULL;
		return tx_failed(tx, hj_error_set(err, HJ_ERR_INTERNAL, NULL, 0, 0, NULL,
						  "1 行のはずの問い合わせが複数行を返しました"),
				 err);
	}
	if ((*out)->nrows == 0) {
		st_rows_free(*out);
		*out = NULL;
	}
	return HJ_OK;
}

/* A random pause before attempt 'k' (1, 2, ...): up to 2^k ms, at most 50 ms. */
static void jitter(int k)
{
	unsigned r = 0;
	if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
		r = (unsigned)clock();
	long max_us = 1000L << (k < 7 ? k : 7);
	if (max_us > 50000)
		max_us = 50000;
	long us = 200 + (long)(r % (unsigned long)max_us);
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

hj_status hj_store_run(hj_store *st, int write, hj_tx_fn fn, void *ctx, hj_error *err)
{
	hj_error local;
	if (!err)
		err = &local;
	hj_status s = HJ_OK;
	for (int k = 0; k < RUN_TRIES; k++) {
		if (k)
			jitter(k);
		hj_error_clear(err);
		hj_tx *tx;
		if ((s = hj_store_begin(st, write, &tx, err))) {
			if (s == HJ_ERR_CONFLICT)
				continue;
			return s;
		}
		s = fn(tx, ctx, err);
		if (s) {
			hj_tx_rollback(tx);
			if (s == HJ_ERR_CONFLICT && !strcmp(err->field, "retry"))
				continue;
			return s;
		}
		s = hj_tx_commit(tx, err);
		if (s == HJ_ERR_CONFLICT && !strcmp(err->field, "retry"))
			continue;
		return s;
	}
	return s;
}

/* ---- migrations ---- */

/* 'sql' with {id} and {blob} replaced for the backend; hj_free'd. */
static char *expand(const st_backend *be, const char *sql, size_t len)
{
	size_t cap = len * 2 + 64, n = 0;
	char *o = hj_malloc(cap);
	if (!o)
		return NULL;
	for (size_t i = 0; i < len;) {
		const char *rep = NULL;
		size_t skip = 0;
		if (!strncmp(sql + i, "{id}", 4))
			rep = be->id_type, skip = 4;
		else if (!strncmp(sql + i, "{blob}", 6))
			rep = be->blob_type, skip = 6;
		size_t add = rep ? strlen(rep) : 1;
		if (n + add + 1 > cap) {
			cap = (cap + add) * 2;
			char *t = hj_realloc(o, cap);
			if (!t) {
				hj_free(o);
				return NULL;
			}
			o = t;
		}
		if (rep) {
			memcpy(o + n, rep, add);
			i += skip;
		} else
			o[n] = sql[i++];
		n += add;
	}
	o[n] = '\0';
	return o;
}

/* Does 'a'..'b' hold anything but blanks and -- comments? */
static int has_statement(const char *a, const char *b)
{
	while (a < b) {
		if (*a == '-' && a + 1 < b && a[1] == '-') {
			while (a < b && *a != '\n')
				a++;
		} else if (*a == ' ' || *a == '\t' || *a == '\n' || *a == '\r')
			a++;
		else
			return 1;
	}
	return 0;
}

/* Run the statements of an expanded migration: separated by ';' at the
 * end of a line. */
static hj_status run_script(hj_tx *tx, char *sql, hj_error *err)
{
	char *p = sql;
	while (*p) {
		char *e = p;
		for (;;) {
			e = strchr(e, ';');
			if (!e)
				break;
			const char *q = e + 1;
			while (*q == ' ' || *q == '\t' || *q == '\r')
				q++;
			if (*q == '\n' || *q == '\0')
				break;
			e++;
		}
		char *end = e ? e : p + strlen(p);
		char save = *end;
		*end = '\0';
		hj_status s = has_statement(p, end) ? st_exec(tx, p, NULL, 0, NULL, err) : HJ_OK;
		*end = save;
		if (s)
			return s;
		p = e ? e + 1 : end;
	}
	return HJ_OK;
}

static hj_status migrate_one(hj_store *st, const st_migration *m, hj_error *err)
{
	hj_tx *tx;
	hj_status s = begin_mode(st, ST_MIGRATE, &tx, err);
	if (s)
		return s;
	char hex[65];
	st_sha256_hex(m->sql, m->len, hex);
	st_rows *r = NULL;
	st_val key = st_int(m->version);
	if ((s = st_exec(tx,
			 "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
			 "name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at BIGINT NOT NULL)",
			 NULL, 0, NULL, err)))
		goto fail;
	if ((s = st_query1(tx, "SELECT sha256 FROM schema_migrations WHERE version = ?", &key, 1, &r, err)))
		goto fail;
	if (r) {
		int same = !strcmp(st_rows_text(r, 0, 0) ? st_rows_text(r, 0, 0) : "", hex);
		st_rows_free(r);
		hj_tx_rollback(tx);
		if (!same)
			return hj_error_set(err, HJ_ERR_IO, NULL, 0, 0, "schema_migrations",
					    "適用済みのマイグレーション %03d-%s.sql が適用後に書き換えられています"
					    "（SHA-256 が記録と違います）。起動できません",
					    m->version, m->name);
		return HJ_OK;
	}
	char *sql = expand(st->be, m->sql, m->len);
	if (!sql) {
		s = hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません");
		goto fail;
	}
	s = run_script(tx, sql, err);
	hj_free(sql);
	if (s)
		goto fail;
	st_val p[4] = { st_int(m->version), st_text(m->name), st_text(hex), st_int(hj_now_us()) };
	if ((s = st_exec(tx, "INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?, ?, ?, ?)", p,
			 4, NULL, err)))
		goto fail;
	return hj_tx_commit(tx, err);
fail:
	hj_tx_rollback(tx);
	return s;
}

static hj_status migrate(hj_store *st, hj_error *err)
{
	for (int i = 0; i < st_nmigrations; i++) {
		const st_migration *m = &st_migrations[i];
		if (m->version <= 0)
			continue;
		hj_status s = migrate_one(st, m, err);
		if (s) {
			if (s != HJ_ERR_IO || !strcmp(err ? err->field : "", "schema_migrations"))
				return s;
			char msg[sizeof err->message];
			snprintf(msg, sizeof msg, "%s", err->message);
			return hj_error_set(err, HJ_ERR_IO, NULL, 0, 0, NULL, "マイグレーション %03d-%s.sql を適用できません: %s",
					    m->version, m->name, msg);
		}
	}
	/* the version: the last one recorded (a database migrated by a newer
	 * hojo has versions this one does not know: refuse it) */
	hj_tx *tx;
	st_rows *r = NULL;
	hj_status s = begin_mode(st, ST_READ, &tx, err);
	if (s)
		return s;
	if (st_nmigrations == 0 || st_migrations[0].version <= 0) {
		st->schema_version = 0;
		hj_tx_rollback(tx);
		return HJ_OK;
	}
	if ((s = st_query(tx, "SELECT MAX(version) FROM schema_migrations", NULL, 0, &r, err))) {
		hj_tx_rollback(tx);
		return s;
	}
	int v = (int)st_rows_int(r, 0, 0);
	st_rows_free(r);
	hj_tx_rollback(tx);
	int known = st_migrations[st_nmigrations - 1].version;
	if (v > known)
		return hj_error_set(err, HJ_ERR_IO, NULL, 0, 0, "schema_migrations",
				    "データベースのスキーマ版 %d はこの hojo（%d まで）より新しいため使えません", v, known);
	st->schema_version = v;
	return HJ_OK;
}

/* ---- open and close ---- */

hj_status hj_store_open(const char *url, int pool, hj_store **out, hj_error *err)
{
	*out = NULL;
	const st_backend *be = NULL;
	const char *target = NULL;
	if (!url)
		url = "";
	if (!strncmp(url, "sqlite:", 7)) {
		be = &st_sqlite_backend;
		target = url + 7;
	} else if (!strncmp(url, "postgres:", 9)) {
		be = &st_pg_backend;
		target = url + 9;
	}
	if (!be || !*target)
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "db",
				    "データベースの指定は sqlite:ファイル または postgres:接続文字列 の形で書いてください: '%s'",
				    url);
	if (pool < 1)
		pool = 1;
	hj_store *st = hj_calloc(1, sizeof *st);
	if (!st)
		return hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません");
	st->be = be;
	st->pool = pool;
	st->target = hj_strdup(target);
	st->slots = hj_calloc((size_t)pool, sizeof *st->slots);
	pthread_mutex_init(&st->lock, NULL);
	pthread_cond_init(&st->freed, NULL);
	if (!st->target || !st->slots) {
		hj_store_close(st);
		return hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません");
	}
	/* the first connection proves the database is there */
	hj_status s = be->connect(st->target, &st->slots[0].conn, err);
	if (s) {
		st->slots[0].conn = NULL;
		hj_store_close(st);
		return s;
	}
	if ((s = migrate(st, err))) {
		hj_store_close(st);
		return s;
	}
	*out = st;
	return HJ_OK;
}

void hj_store_close(hj_store *st)
{
	if (!st)
		return;
	if (st->slots)
		for (int i = 0; i < st->pool; i++)
			if (st->slots[i].conn)
				st->be->disconnect(st->slots[i].conn);
	pthread_cond_destroy(&st->freed);
	pthread_mutex_destroy(&st->lock);
	hj_free(st->slots);
	hj_free(st->target);
	hj_free(st);
}

const char *hj_store_kind(const hj_store *st)
{
	return st->be->kind;
}

int hj_store_schema_version(const hj_store *st)
{
	return st->schema_version;
}
