/*
 * lib/grants/common.c - small helpers shared by the office modules of
 * lib/grants/ (declared in grants-int.h): JSON documents handed to the
 * caller, JST times in and out, request bodies with only known keys and
 * typed fields, who the actor is (signed in, staff), an audit event, and
 * the SHA-256 hex of bytes. Error messages are Japanese, as the user
 * reads them.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <nettle/sha2.h>
#include "hojo/alloc.h"
#include "hojo/grants/applications.h"
#include "hojo/grants/audit.h"
#include "grants-int.h"
#include "store/applications.h"

#define NOMEM(err) hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません")
#define JST_US (9LL * 3600 * 1000000)

/* Lowercase hex SHA-256 of 'len' bytes (include/hojo/grants/applications.h). */
void hj_sha256_hex(const void *data, size_t len, char out[65])
{
	struct sha256_ctx c;
	uint8_t d[SHA256_DIGEST_SIZE];
	sha256_init(&c);
	sha256_update(&c, len, data);
	sha256_digest(&c, sizeof d, d);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* Compact JSON text (hj_malloc'd). */
char *gg_dump(const json_t *j, size_t flags)
{
	char *s = json_dumps(j, flags | JSON_COMPACT);
	char *o = s ? hj_strdup(s) : NULL;
	free(s);
	return o;
}

/* Hand a document to the caller (takes the reference). */
hj_status gg_give(json_t *j, char **json, hj_error *err)
{
	*json = j ? gg_dump(j, JSON_PRESERVE_ORDER) : NULL;
	json_decref(j);
	return *json ? HJ_OK : NOMEM(err);
}

/* Staff or admin. */
int gg_is_staff(const hj_actor *who)
{
	return who && (who->roles & (HJ_ROLE_STAFF | HJ_ROLE_ADMIN));
}

/* Signed in, else HJ_ERR_AUTH. */
hj_status gg_need_account(const hj_actor *who, hj_error *err)
{
	if (!who || !who->account)
		return hj_error_set(err, HJ_ERR_AUTH, NULL, 0, 0, NULL, "サインインしてください");
	return HJ_OK;
}

/* Signed in as staff or admin, else HJ_ERR_AUTH or HJ_ERR_DENIED. */
hj_status gg_need_staff(const hj_actor *who, hj_error *err)
{
	hj_status s = gg_need_account(who, err);
	if (!s && !gg_is_staff(who))
		s = hj_error_set(err, HJ_ERR_DENIED, NULL, 0, 0, NULL, "事務局の権限が必要です");
	return s;
}

/* One "ok" event of the audit log in the caller's transaction; 'detail'
 * (may be NULL; the reference is taken) is stored as sorted JSON. */
hj_status gg_audit(hj_tx *tx, const hj_actor *who, const char *action, const char *type, int64_t id,
		   int64_t company, const char *before, const char *after, json_t *detail, hj_error *err)
{
	char *d = detail ? gg_dump(detail, JSON_SORT_KEYS) : NULL;
	hj_audit_event ev = { action, type, id, company, before, after, "ok", d };
	hj_status s = hj_audit_add(tx, who, &ev, err);
	hj_free(d);
	json_decref(detail);
	return s;
}

/* "2026-12-01T09:00:00+09:00" */
void gg_iso_jst(int64_t us, char out[32])
{
	time_t t = (time_t)((us + JST_US) / 1000000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S+09:00", &tm);
}

/* ISO 8601 "YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|±HH:MM]"; without an
 * offset the time is JST. 0, or -1 when it does not read. */
int gg_parse_time(const char *s, int64_t *us)
{
	int y, mo, d, h = 0, mi = 0, se = 0, n = 0;
	if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return -1;
	const char *p = s + n;
	if (*p == 'T' || *p == ' ') {
		int k = 0;
		if (sscanf(p + 1, "%2d:%2d%n", &h, &mi, &k) != 2 || k != 5)
			return -1;
		p += 1 + k;
		if (*p == ':') {
			if (sscanf(p + 1, "%2d%n", &se, &k) != 1 || k != 2)
				return -1;
			p += 3;
			if (*p == '.')
				for (p++; isdigit((unsigned char)*p); p++)
					;
		}
	}
	int64_t off = JST_US;
	if (*p == 'Z') {
		off = 0;
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om, k = 0;
		if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &k) != 2 || k != 5 || oh > 14 || om > 59)
			return -1;
		off = ((int64_t)oh * 3600 + om * 60) * 1000000 * (*p == '-' ? -1 : 1);
		p += 1 + k;
	}
	if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
		return -1;
	struct tm tm = { 0 };
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	time_t t = timegm(&tm);
	struct tm back;
	gmtime_r(&t, &back);
	if (back.tm_mday != d || back.tm_mon != mo - 1)
		return -1; /* 2026-02-30 */
	*us = (int64_t)t * 1000000 - off;
	return 0;
}

/* Every key "x_us" of a document becomes "x" with the JST time (null
 * stays null). */
void gg_times_to_iso(json_t *j)
{
	if (json_is_array(j)) {
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v)
			gg_times_to_iso(v);
		return;
	}
	if (!json_is_object(j))
		return;
	const char *k;
	json_t *v;
	void *tmp;
	json_t *add = json_object();
	json_object_foreach_safe(j, tmp, k, v)
	{
		size_t n = strlen(k);
		if (n > 3 && !strcmp(k + n - 3, "_us") && (json_is_integer(v) || json_is_null(v))) {
			char key[128];
			snprintf(key, sizeof key, "%.*s", (int)(n - 3), k);
			if (json_is_integer(v) && json_integer_value(v)) {
				char t[32];
				gg_iso_jst(json_integer_value(v), t);
				json_object_set_new(add, key, json_string(t));
			} else
				json_object_set_new(add, key, json_null());
			json_object_del(j, k);
		} else
			gg_times_to_iso(v);
	}
	json_object_update(j, add);
	json_decref(add);
}

/* Parse a request body: one JSON object with only the keys 'allowed'
 * ("a,b,c"). */
hj_status gg_parse_body(const char *body, size_t len, const char *allowed, json_t **out, hj_error *err)
{
	json_error_t je;
	*out = NULL;
	json_t *j = body && len ? json_loadb(body, len, 0, &je) : json_object();
	if (!j)
		return hj_error_set(err, HJ_ERR_INPUT, NULL, je.line, je.column, NULL, "JSON として読めません: %s", je.text);
	if (!json_is_object(j)) {
		json_decref(j);
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, NULL, "本文は JSON のオブジェクト {…} で送ってください");
	}
	const char *k;
	json_t *v;
	json_object_foreach(j, k, v)
	{
		size_t n = strlen(k);
		int ok = 0;
		for (const char *p = allowed; *p && !ok;) {
			size_t m = strcspn(p, ",");
			ok = m == n && !strncmp(p, k, n);
			p += m + (p[m] ? 1 : 0);
		}
		if (!ok) {
			hj_status s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, k, "未知の項目 '%s'（使えるのは %s）", k,
						   allowed);
			json_decref(j);
			return s;
		}
	}
	*out = j;
	return HJ_OK;
}

hj_status gg_want_string(json_t *o, const char *key, int required, size_t max, const char **out, hj_error *err)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, key, "'%s' がありません", key);
		return HJ_OK;
	}
	if (!json_is_string(v))
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, key, "'%s' は文字列で書いてください", key);
	const char *s = json_string_value(v);
	if (required && !*s)
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, key, "'%s' が空です", key);
	if (strlen(s) > max || strlen(s) != json_string_length(v))
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, key, "'%s' が長すぎるか NUL を含みます（%zu バイトまで）",
				    key, max);
	*out = s;
	return HJ_OK;
}

hj_status gg_want_int(json_t *o, const char *key, int required, int64_t min, int64_t *out, int *given,
		      hj_error *err)
{
	json_t *v = json_object_get(o, key);
	if (given)
		*given = 0;
	if (!v || json_is_null(v)) {
		if (required)
			return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, key, "'%s' がありません", key);
		return HJ_OK;
	}
	if (!json_is_integer(v) || json_integer_value(v) < min)
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, key, "'%s' は %lld 以上の整数で書いてください", key,
				    (long long)min);
	*out = json_integer_value(v);
	if (given)
		*given = 1;
	return HJ_OK;
}

hj_status gg_want_time(json_t *o, const char *key, int required, int64_t *out, int *given, hj_error *err)
{
	const char *s;
	hj_status st = gg_want_string(o, key, required, 64, &s, err);
	if (given)
		*given = s != NULL;
	if (st || !s)
		return st;
	if (gg_parse_time(s, out))
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, key,
				    "'%s' は日時（例 2026-12-01T09:00:00+09:00、時差がなければ日本時間）で書いてください: '%s'",
				    key, s);
	return HJ_OK;
}

/* Remove the value at a dotted path ("a.b", "lines[2].x", as hj_error
 * fields name them) from 'root'. 0 when removed, -1 when no such value. */
int gg_remove_path(json_t *root, const char *path)
{
	char buf[512];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf; *p; p++)
		if (*p == '[' || *p == ']')
			*p = '.';
	/* split into segments, dropping empty ones ("a..2" from "a[2].") */
	char *seg[32];
	int n = 0;
	for (char *t = strtok(buf, "."); t && n < 32; t = strtok(NULL, "."))
		seg[n++] = t;
	json_t *cur = root;
	for (int i = 0; i < n; i++) {
		int last = i == n - 1;
		if (json_is_object(cur)) {
			if (last)
				return json_object_del(cur, seg[i]) ? -1 : 0;
			cur = json_object_get(cur, seg[i]);
		} else if (json_is_array(cur)) {
			char *e;
			long k = strtol(seg[i], &e, 10);
			if (*e || k < 0 || (size_t)k >= json_array_size(cur))
				return -1;
			if (last)
				return json_array_remove(cur, (size_t)k) ? -1 : 0;
			cur = json_array_get(cur, (size_t)k);
		} else
			return -1;
		if (!cur)
			return -1;
	}
	return -1;
}

/* See grants-int.h. */
FILE *gg_spool_open(const char *path, int excl, char *tmp, size_t tmpsize, hj_error *err)
{
	snprintf(tmp, tmpsize, "%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | (excl ? O_EXCL : O_TRUNC) | O_CLOEXEC, 0600);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		hj_error_set(err, HJ_ERR_IO, NULL, 0, 0, NULL, "%s に書けません: %s", tmp, strerror(e));
	}
	return f;
}

/* See grants-int.h. */
hj_status gg_spool_commit(FILE *f, const char *tmp, const char *path, hj_error *err)
{
	int bad = ferror(f);
	bad |= fflush(f) != 0;
	bad |= fsync(fileno(f)) != 0;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path)) {
		int e = errno;
		unlink(tmp);
		return hj_error_set(err, HJ_ERR_IO, NULL, 0, 0, NULL, "%s に書けません: %s", path, strerror(e));
	}
	return HJ_OK;
}

/* See grants-int.h. */
hj_status gg_attachment_check(const char *name, size_t len, const char *kind, const char **ctype, hj_error *err)
{
	if (!hj_attachment_name_ok(name, name ? strlen(name) : 0))
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "file",
				    "ファイル名に使えない文字があるか長すぎます（/ \\ .. 制御文字は不可、255バイトまで）");
	if (len > HJ_ATTACHMENT_MAX)
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "file", "ファイルは %u バイトまでです", HJ_ATTACHMENT_MAX);
	if (kind && (strlen(kind) > 64 || !hj_attachment_name_ok(kind, strlen(kind))))
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "kind", "kind は64バイトまでの名前です");
	if (strlen(*ctype) > 127 || strpbrk(*ctype, "\r\n"))
		*ctype = "application/octet-stream";
	return HJ_OK;
}

/* See grants-int.h. */
hj_status gg_call_get(hj_tx *tx, int64_t id, json_t **call, hj_error *err)
{
	*call = NULL;
	hj_status s = sti_call_get(tx, id, call, err);
	if (!s && !*call)
		s = hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "公募回 %lld はありません", (long long)id);
	return s;
}
