/*
 * lib/store/backup.c - hj_store_backup and hj_store_restore
 * (include/hojo/store.h, docs/store.md "Backup").
 *
 * A backup is JSON Lines, the same for both backends:
 *   {"format":"hojo-backup","version":1,"kind":"sqlite","schema_version":3,"created":<us>}
 *   {"table":"audit_events","columns":["id","at",...]}
 *   {"r":[1,1700000000000000,null,"text",{"base64":"AAE="}]}     one per row
 *   ...                                                           next table
 *   {"end":true,"tables":T,"rows":N,"sha256":"<hex>"}
 * The SHA-256 covers every byte before the trailer line. Tables come from
 * the database's catalog (so tables added by later migrations are in
 * without changes here), except schema_migrations, in the order their
 * CREATE TABLE appears in the migrations (a table is created after those
 * it refers to, so that order is safe for foreign keys); tables no
 * migration creates follow in the catalog's order. Rows are read in one
 * read transaction (one snapshot: SQLite WAL read / PostgreSQL REPEATABLE
 * READ), in pages ordered by every column.
 *
 * Restore checks the whole file (format, trailer, hash, row count) before
 * it writes, then loads every row in one write transaction into a store
 * whose tables are all empty and whose schema version is the backup's;
 * on PostgreSQL it then moves each serial sequence past the largest id.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include <nettle/base64.h>
#include <nettle/sha2.h>
#include "hojo/alloc.h"
#include "hojo/grants/audit.h"
#include "store-int.h"

#define PAGE 500                 /* rows read at once ... */
#define PAGE_BYTES (8 << 20)     /* ... fewer when they are larger than this */

static hj_status nomem(hj_error *err)
{
	return hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません");
}

/* ---- the tables, in a foreign-key-safe order ---- */

typedef struct table_list {
	char **names;
	int n;
} table_list;

static void tables_free(table_list *t)
{
	for (int i = 0; i < t->n; i++)
		hj_free(t->names[i]);
	hj_free(t->names);
	t->names = NULL;
	t->n = 0;
}

/* The position of the first "CREATE TABLE [IF NOT EXISTS] name" of the
 * migrations; a large number when none creates it. */
static long created_at(const char *name)
{
	long pos = 0;
	size_t nl = strlen(name);
	for (int m = 0; m < st_nmigrations; m++) {
		const char *s = st_migrations[m].sql;
		for (const char *p = s; (p = strstr(p, "CREATE TABLE")); p++) {
			const char *q = p + 12;
			while (*q == ' ' || *q == '\t' || *q == '\n')
				q++;
			if (!strncmp(q, "IF NOT EXISTS", 13)) {
				q += 13;
				while (*q == ' ' || *q == '\t' || *q == '\n')
					q++;
			}
			if (*q == '"')
				q++;
			if (!strncmp(q, name, nl) && (q[nl] == ' ' || q[nl] == '(' || q[nl] == '"' || q[nl] == '\n' ||
						     q[nl] == '\t'))
				return pos + (p - s);
		}
		pos += (long)st_migrations[m].len + 1;
	}
	return 1L << 40;
}

static hj_status list_tables(hj_tx *tx, table_list *out, hj_error *err)
{
	out->names = NULL;
	out->n = 0;
	st_rows *r;
	hj_status s = st_query(tx, st_tx_backend(tx)->tables_sql, NULL, 0, &r, err);
	if (s)
		return s;
	int n = st_rows_count(r);
	out->names = hj_calloc((size_t)(n ? n : 1), sizeof *out->names);
	long *key = hj_calloc((size_t)(n ? n : 1), sizeof *key);
	if (!out->names || !key) {
		hj_free(key);
		st_rows_free(r);
		return nomem(err);
	}
	for (int i = 0; i < n; i++) {
		const char *name = st_rows_text(r, i, 0);
		if (!name || !strcmp(name, "schema_migrations"))
			continue;
		if (strchr(name, '"')) {
			hj_free(key);
			st_rows_free(r);
			return hj_error_set(err, HJ_ERR_INTERNAL, NULL, 0, 0, NULL, "扱えない表の名前です: %s", name);
		}
		/* catalog order breaks ties: stable insertion */
		long k = created_at(name) + i;
		int j = out->n;
		while (j > 0 && key[j - 1] > k) {
			key[j] = key[j - 1];
			out->names[j] = out->names[j - 1];
			j--;
		}
		key[j] = k;
		out->names[j] = hj_strdup(name);
		out->n++;
		if (!out->names[j]) {
			hj_free(key);
			st_rows_free(r);
			return nomem(err);
		}
	}
	hj_free(key);
	st_rows_free(r);
	return HJ_OK;
}

/* ---- backup ---- */

typedef struct writer {
	FILE *f;
	struct sha256_ctx sha;
	int64_t rows;
	int tables;
	int failed;
} writer;

static void put_line(writer *w, const char *s)
{
	size_t n = strlen(s);
	sha256_update(&w->sha, n, (const uint8_t *)s);
	sha256_update(&w->sha, 1, (const uint8_t *)"\n");
	if (fwrite(s, 1, n, w->f) != n || fputc('\n', w->f) == EOF)
		w->failed = 1;
}

static json_t *b64(const char *key, const void *p, size_t len)
{
	char *o = malloc(BASE64_ENCODE_RAW_LENGTH(len) + 1);
	if (!o)
		return NULL;
	base64_encode_raw(o, len, p);
	o[BASE64_ENCODE_RAW_LENGTH(len)] = '\0';
	json_t *v = json_pack("{s:s}", key, o);
	free(o);
	return v;
}

static json_t *cell_json(const st_rows *r, int row, int col)
{
	const st_cell *c = &r->cells[(size_t)row * (size_t)r->ncols + (size_t)col];
	switch (c->type) {
	case ST_NULL: return json_null();
	case ST_INT: return json_integer((json_int_t)c->i);
	case ST_TEXT: {
		json_t *v = json_stringn(c->p, c->len);
		return v ? v : b64("text_base64", c->p, c->len); /* not UTF-8 */
	}
	case ST_BLOB: return b64("base64", c->p, c->len);
	}
	return NULL;
}

static int emit(writer *w, json_t *v)
{
	char *s = v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(v);
	if (!s)
		return -1;
	put_line(w, s);
	free(s);
	return 0;
}

static hj_status dump_table(hj_tx *tx, writer *w, const char *table, hj_error *err)
{
	char sql[512];
	st_rows *r;
	snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" LIMIT 0", table);
	hj_status s = st_query(tx, sql, NULL, 0, &r, err);
	if (s)
		return s;
	int nc = r->ncols;
	json_t *cols = json_array();
	for (int c = 0; c < nc; c++)
		json_array_append_new(cols, json_string(r->names[c]));
	st_rows_free(r);
	if (emit(w, json_pack("{s:s,s:o}", "table", table, "columns", cols)))
		return nomem(err);
	w->tables++;
	/* ORDER BY every column: a total order, so pages never overlap */
	char order[256] = "";
	for (int c = 1; c <= nc && strlen(order) < sizeof order - 8; c++)
		snprintf(order + strlen(order), sizeof order - strlen(order), "%s%d", c > 1 ? ", " : "", c);
	snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY %s LIMIT ? OFFSET ?", table, order);
	int64_t page = PAGE;
	for (int64_t off = 0;;) {
		st_val p[2] = { st_int(page), st_int(off) };
		if ((s = st_query(tx, sql, p, 2, &r, err)))
			return s;
		size_t bytes = 0;
		for (size_t i = 0; i < (size_t)r->nrows * (size_t)nc; i++)
			bytes += r->cells[i].len;
		for (int i = 0; i < r->nrows; i++) {
			json_t *row = json_array();
			for (int c = 0; c < nc; c++)
				json_array_append_new(row, cell_json(r, i, c));
			if (emit(w, json_pack("{s:o}", "r", row))) {
				st_rows_free(r);
				return nomem(err);
			}
			w->rows++;
		}
		int n = r->nrows;
		st_rows_free(r);
		if (w->failed)
			return hj_error_set(err, HJ_ERR_IO, NULL, 0, 0, NULL, "バックアップを書き込めません: %s",
					    strerror(errno));
		if (n < page)
			break;
		off += n;
		/* large rows (attachments): keep a page near PAGE_BYTES */
		if (bytes > PAGE_BYTES) {
			page = page * PAGE_BYTES / (int64_t)bytes;
			if (page < 1)
				page = 1;
		}
	}
	return HJ_OK;
}

hj_status hj_store_backup(hj_store *st, const char *path, hj_error *err)
{
	FILE *f = fopen(path, "wx");
	if (!f)
		return hj_error_set(err, HJ_ERR_IO, path, 0, 0, NULL, "バックアップのファイルを作れません（%s）",
				    errno == EEXIST ? "すでにあります" : strerror(errno));
	writer w = { .f = f };
	sha256_init(&w.sha);
	hj_tx *tx;
	table_list tl = { 0 };
	hj_status s = hj_store_begin(st, 0, &tx, err);
	if (s)
		goto out;
	if ((s = list_tables(tx, &tl, err)))
		goto rollback;
	if (emit(&w, json_pack("{s:s,s:i,s:s,s:i,s:I}", "format", "hojo-backup", "version", 1, "kind",
			       hj_store_kind(st), "schema_version", hj_store_schema_version(st), "created",
			       (json_int_t)hj_now_us()))) {
		s = nomem(err);
		goto rollback;
	}
	for (int i = 0; i < tl.n; i++)
		if ((s = dump_table(tx, &w, tl.names[i], err)))
			goto rollback;
	hj_tx_rollback(tx);
	tx = NULL;
	uint8_t d[SHA256_DIGEST_SIZE];
	char hex[65];
	sha256_digest(&w.sha, sizeof d, d);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	char trailer[200];
	snprintf(trailer, sizeof trailer, "{\"end\":true,\"tables\":%d,\"rows\":%lld,\"sha256\":\"%s\"}", w.tables,
		 (long long)w.rows, hex);
	if (fputs(trailer, f) == EOF || fputc('\n', f) == EOF || fflush(f) || fsync(fileno(f)))
		w.failed = 1;
	if (w.failed)
		s = hj_error_set(err, HJ_ERR_IO, path, 0, 0, NULL, "バックアップを書き込めません: %s", strerror(errno));
	goto out;
rollback:
	hj_tx_rollback(tx);
out:
	tables_free(&tl);
	if (fclose(f) && !s)
		s = hj_error_set(err, HJ_ERR_IO, path, 0, 0, NULL, "バックアップを書き込めません: %s", strerror(errno));
	if (s)
		unlink(path);
	return s;
}

/* ---- restore ---- */

static hj_status bad(hj_error *err, const char *path, int line, const char *what)
{
	return hj_error_set(err, HJ_ERR_INPUT, path, line, 0, NULL, "hojo のバックアップとして読めません: %s", what);
}

/* Read the next line (without its newline) into *buf; -1 at the end. */
static ssize_t next_line(FILE *f, char **buf, size_t *cap)
{
	ssize_t n = getline(buf, cap, f);
	if (n > 0 && (*buf)[n - 1] == '\n')
		(*buf)[--n] = '\0';
	return n;
}

/* Pass 1: the header, the trailer and the hash. */
static hj_status check_file(FILE *f, const char *path, hj_store *st, hj_error *err)
{
	char *buf = NULL;
	size_t cap = 0;
	struct sha256_ctx sha;
	sha256_init(&sha);
	ssize_t n;
	int line = 0;
	int64_t rows = 0;
	int tables = 0;
	char *last = NULL;
	hj_status s = HJ_OK;
	while ((n = next_line(f, &buf, &cap)) >= 0) {
		line++;
		if (last) {
			/* the previous line was not the last: it is hashed */
			sha256_update(&sha, strlen(last), (const uint8_t *)last);
			sha256_update(&sha, 1, (const uint8_t *)"\n");
			if (!strncmp(last, "{\"r\":", 5))
				rows++;
			else if (!strncmp(last, "{\"table\":", 9))
				tables++;
			hj_free(last);
		}
		last = hj_strdup(buf);
		if (!last) {
			s = nomem(err);
			goto out;
		}
		if (line == 1) {
			json_error_t je;
			json_t *h = json_loads(buf, 0, &je);
			const char *format = NULL;
			int version = 0, schema = -1;
			if (!h || json_unpack(h, "{s:s,s:i,s:i}", "format", &format, "version", &version, "schema_version",
					      &schema) ||
			    strcmp(format, "hojo-backup")) {
				json_decref(h);
				s = bad(err, path, 1, "先頭行が hojo-backup の見出しではありません");
				goto out;
			}
			json_decref(h);
			if (version != 1) {
				s = bad(err, path, 1, "形式の版が違います（対応しているのは 1）");
				goto out;
			}
			if (schema != hj_store_schema_version(st)) {
				s = hj_error_set(err, HJ_ERR_INPUT, path, 1, 0, "schema_version",
						 "バックアップのスキーマ版 %d がデータベースの版 %d と違います", schema,
						 hj_store_schema_version(st));
				goto out;
			}
		}
	}
	if (!last || line < 2) {
		s = bad(err, path, line, "最後の行（件数とハッシュ）がありません");
		goto out;
	}
	json_t *t = json_loads(last, 0, NULL);
	int end = 0, ttables = -1;
	json_int_t trows = -1;
	const char *hash = NULL;
	if (!t || json_unpack(t, "{s:b,s:i,s:I,s:s}", "end", &end, "tables", &ttables, "rows", &trows, "sha256", &hash) ||
	    !end) {
		json_decref(t);
		s = bad(err, path, line, "最後の行（件数とハッシュ）がありません。途中で切れています");
		goto out;
	}
	uint8_t d[SHA256_DIGEST_SIZE];
	char hex[65];
	sha256_digest(&sha, sizeof d, d);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	if (strcmp(hex, hash))
		s = bad(err, path, line, "SHA-256 が合いません。ファイルが壊れているか書き換えられています");
	else if (trows != rows || ttables != tables)
		s = bad(err, path, line, "行数が最後の行の記録と合いません");
	json_decref(t);
out:
	hj_free(last);
	free(buf);
	return s;
}

static hj_status ensure_empty(hj_tx *tx, const table_list *tl, hj_error *err)
{
	for (int i = 0; i < tl->n; i++) {
		char sql[300];
		st_rows *r;
		snprintf(sql, sizeof sql, "SELECT 1 FROM \"%s\" LIMIT 1", tl->names[i]);
		hj_status s = st_query(tx, sql, NULL, 0, &r, err);
		if (s)
			return s;
		int n = st_rows_count(r);
		st_rows_free(r);
		if (n)
			return hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "not_empty",
					    "データの入っているデータベースには戻せません（表 %s に行があります）。空のデータベースを指定してください",
					    tl->names[i]);
	}
	return HJ_OK;
}

static int decode_b64(const char *s, char **out, size_t *len)
{
	size_t n = strlen(s);
	*out = malloc(BASE64_DECODE_LENGTH(n) + 1);
	if (!*out)
		return -1;
	struct base64_decode_ctx c;
	base64_decode_init(&c);
	size_t dl = BASE64_DECODE_LENGTH(n) + 1;
	if (!base64_decode_update(&c, &dl, (uint8_t *)*out, n, s) || !base64_decode_final(&c)) {
		free(*out);
		*out = NULL;
		return -1;
	}
	*len = dl;
	return 0;
}

typedef struct restore_ctx {
	FILE *f;
	const char *path;
} restore_ctx;

/* Insert one row given as a JSON array into 'table' ('cols' columns). */
static hj_status insert_row(hj_tx *tx, const char *sql, json_t *row, int ncols, const char *path, int line,
			    hj_error *err)
{
	if (!json_is_array(row) || (int)json_array_size(row) != ncols)
		return bad(err, path, line, "行の列の数が見出しと違います");
	st_val *p = hj_calloc((size_t)(ncols ? ncols : 1), sizeof *p);
	char **bufs = hj_calloc((size_t)(ncols ? ncols : 1), sizeof *bufs);
	hj_status s = HJ_OK;
	if (!p || !bufs) {
		s = nomem(err);
		goto out;
	}
	for (int c = 0; c < ncols; c++) {
		json_t *v = json_array_get(row, (size_t)c);
		const char *b;
		size_t len;
		if (json_is_null(v))
			p[c] = st_null();
		else if (json_is_integer(v))
			p[c] = st_int((int64_t)json_integer_value(v));
		else if (json_is_string(v))
			p[c] = st_text(json_string_value(v));
		else if (json_is_object(v) && ((b = json_string_value(json_object_get(v, "base64"))) ||
					       (b = json_string_value(json_object_get(v, "text_base64"))))) {
			if (decode_b64(b, &bufs[c], &len)) {
				s = bad(err, path, line, "base64 を読めません");
				goto out;
			}
			if (json_object_get(v, "base64"))
				p[c] = st_blob(bufs[c], len);
			else {
				bufs[c][len] = '\0';
				p[c] = st_text(bufs[c]);
				p[c].len = len;
			}
		} else {
			s = bad(err, path, line, "値の形が違います");
			goto out;
		}
	}
	s = st_exec(tx, sql, p, ncols, NULL, err);
out:
	if (bufs)
		for (int c = 0; c < ncols; c++)
			free(bufs[c]);
	hj_free(bufs);
	hj_free(p);
	return s;
}

static int has_table(const table_list *tl, const char *name)
{
	for (int i = 0; i < tl->n; i++)
		if (!strcmp(tl->names[i], name))
			return 1;
	return 0;
}

/* PostgreSQL: move each serial sequence past the largest value loaded. */
static hj_status reset_sequences(hj_tx *tx, const table_list *tl, hj_error *err)
{
	for (int i = 0; i < tl->n; i++) {
		st_rows *r;
		st_val p = st_text(tl->names[i]);
		hj_status s = st_query(tx,
				       "SELECT column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) "
				       "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?",
				       &p, 1, &r, err);
		if (s)
			return s;
		for (int k = 0; k < st_rows_count(r) && !s; k++) {
			if (st_rows_isnull(r, k, 1))
				continue;
			char sql[600];
			snprintf(sql, sizeof sql, "SELECT setval(?, COALESCE((SELECT MAX(\"%s\") FROM \"%s\"), 0) + 1, false)",
				 st_rows_text(r, k, 0), tl->names[i]);
			st_val q = st_text(st_rows_text(r, k, 1));
			st_rows *o = NULL;
			s = st_query(tx, sql, &q, 1, &o, err);
			st_rows_free(o);
		}
		st_rows_free(r);
		if (s)
			return s;
	}
	return HJ_OK;
}

static hj_status restore_tx(hj_tx *tx, void *ctx, hj_error *err)
{
	restore_ctx *c = ctx;
	table_list tl = { 0 };
	char *buf = NULL, *sql = NULL;
	size_t cap = 0;
	int line = 0, ncols = -1;
	hj_status s;
	int pg = !strcmp(st_tx_backend(tx)->kind, "postgres");
	rewind(c->f);
	if ((s = list_tables(tx, &tl, err)) || (s = ensure_empty(tx, &tl, err)))
		goto out;
	if (!pg && (s = st_exec(tx, "PRAGMA defer_foreign_keys = ON", NULL, 0, NULL, err)))
		goto out;
	ssize_t n;
	while ((n = next_line(c->f, &buf, &cap)) >= 0) {
		line++;
		if (line == 1)
			continue;
		json_t *v = json_loads(buf, 0, NULL);
		if (!v) {
			s = bad(err, c->path, line, "JSON として読めない行があります");
			goto out;
		}
		json_t *t = json_object_get(v, "table"), *row = json_object_get(v, "r");
		if (json_is_string(t)) {
			const char *name = json_string_value(t);
			json_t *cols = json_object_get(v, "columns");
			if (!has_table(&tl, name) || strchr(name, '"')) {
				s = hj_error_set(err, HJ_ERR_INPUT, c->path, line, 0, NULL,
						 "バックアップの表 %s がデータベースにありません", name);
				json_decref(v);
				goto out;
			}
			ncols = (int)json_array_size(cols);
			size_t len = 64 + strlen(name);
			for (int k = 0; k < ncols; k++)
				{
				const char *cn = json_string_value(json_array_get(cols, (size_t)k));
				len += (cn ? strlen(cn) : 0) + 8;
			}
			hj_free(sql);
			sql = hj_malloc(len);
			if (!sql) {
				json_decref(v);
				s = nomem(err);
				goto out;
			}
			int w = sprintf(sql, "INSERT INTO \"%s\" (", name);
			for (int k = 0; k < ncols; k++) {
				const char *col = json_string_value(json_array_get(cols, (size_t)k));
				if (!col || strchr(col, '"')) {
					json_decref(v);
					s = bad(err, c->path, line, "列の名前を読めません");
					goto out;
				}
				w += sprintf(sql + w, "%s\"%s\"", k ? ", " : "", col);
			}
			w += sprintf(sql + w, ") VALUES (");
			for (int k = 0; k < ncols; k++)
				w += sprintf(sql + w, "%s?", k ? ", " : "");
			sprintf(sql + w, ")");
		} else if (row) {
			if (!sql) {
				json_decref(v);
				s = bad(err, c->path, line, "表の見出しより前に行があります");
				goto out;
			}
			s = insert_row(tx, sql, row, ncols, c->path, line, err);
		}
		json_decref(v);
		if (s)
			goto out;
	}
	if (pg)
		s = reset_sequences(tx, &tl, err);
out:
	hj_free(sql);
	free(buf);
	tables_free(&tl);
	return s;
}

hj_status hj_store_restore(hj_store *st, const char *path, hj_error *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return hj_error_set(err, HJ_ERR_IO, path, 0, 0, NULL, "バックアップのファイルを開けません: %s", strerror(errno));
	hj_status s = check_file(f, path, st, err);
	if (!s) {
		restore_ctx c = { f, path };
		s = hj_store_run(st, 1, restore_tx, &c, err);
	}
	fclose(f);
	return s;
}
