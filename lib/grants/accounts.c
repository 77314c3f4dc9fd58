/*
 * lib/grants/accounts.c - people and roles (include/hojo/grants/accounts.h):
 * the rules of accounts, sessions, throttling and password reset over
 * the SQL of lib/store/accounts.c.
 *
 * Secrets. A password is kept only as an argon2id encoded hash (salt of
 * 16 random bytes, 32-byte tag, parameters from hj_auth_config and
 * written into the encoded string, so a change of parameters still
 * verifies old hashes). argon2id_verify compares in constant time. A
 * sign-in for an unknown e-mail still computes one hash of the same cost,
 * so that the answer's time does not tell which e-mails exist. Session
 * and reset tokens are 32 bytes of getrandom(2) in base64url (43
 * characters); only their SHA-256 (hex) is stored, so a copy of the
 * database does not sign anybody in. The CSRF token of a session is
 * random as well and stored as it is (it is not a credential alone).
 *
 * Throttling. Failed sign-ins are recorded per e-mail and per address.
 * An attempt is refused, without looking at the password, when the
 * e-mail has max_email_failures failures within the window since its
 * last success, or the address max_ip_failures within the window; the
 * wait is until the oldest of those failures leaves the window. The
 * check is made again in the transaction that records the outcome, so
 * parallel attempts cannot go past the limit.
 *
 * Argon2 is slow on purpose: it runs outside any transaction, so the
 * write lock is never held while hashing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <argon2.h>
#include <jansson.h>
#include <nettle/base64.h>
#include <unistr.h>
#include "hojo/alloc.h"
#include "hojo/grants/accounts.h"
#include "hojo/grants/applications.h"
#include "hojo/grants/audit.h"
#include "grants-int.h"
#include "jsonout.h"
#include "store/accounts.h"

#define US 1000000LL
#define TOUCH_EVERY_US (60 * US) /* last_seen is written at most this often */
#define RESET_EVERY_US (60 * US) /* at most one reset mail per account this often */
#define ALL_ROLES                                                                                          \
	(HJ_ROLE_APPLICANT | HJ_ROLE_STAFF | HJ_ROLE_REVIEWER | HJ_ROLE_ADMIN | HJ_ROLE_SUPPORTER | HJ_ROLE_VENDOR)
#define SIGNIN_FAILED "メールアドレスかパスワードが違います"

void hj_auth_defaults(hj_auth_config *c)
{
	memset(c, 0, sizeof *c);
	c->idle_s = 30 * 60;
	c->absolute_s = 12 * 3600;
	c->argon2_t = 2;
	c->argon2_m_kib = 19456;
	c->argon2_p = 1;
	c->max_email_failures = 5;
	c->max_ip_failures = 20;
	c->window_s = 15 * 60;
	c->reset_valid_s = 3600;
}

static const hj_auth_config *config(const hj_auth_config *cfg, hj_auth_config *buf)
{
	if (cfg)
		return cfg;
	hj_auth_defaults(buf);
	return buf;
}

/* ---- roles ---- */

static const struct {
	unsigned bit;
	const char *name;
} role_names[] = {
	{ HJ_ROLE_APPLICANT, "applicant" }, { HJ_ROLE_STAFF, "staff" },         { HJ_ROLE_REVIEWER, "reviewer" },
	{ HJ_ROLE_ADMIN, "admin" },         { HJ_ROLE_SUPPORTER, "supporter" }, { HJ_ROLE_VENDOR, "vendor" },
};
#define NROLES ((int)(sizeof role_names / sizeof *role_names))

unsigned hj_role_parse(const char *name)
{
	for (int i = 0; name && i < NROLES; i++)
		if (!strcmp(name, role_names[i].name))
			return role_names[i].bit;
	return 0;
}

const char *hj_role_name(unsigned bit)
{
	for (int i = 0; i < NROLES; i++)
		if (role_names[i].bit == bit)
			return role_names[i].name;
	return NULL;
}

static json_t *roles_json(unsigned roles)
{
	json_t *a = json_array();
	for (int i = 0; i < NROLES; i++)
		if (roles & role_names[i].bit)
			json_array_append_new(a, json_string(role_names[i].name));
	return a;
}

/* ---- tokens, hashes ---- */

static hj_status nomem(hj_error *err)
{
	return hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません");
}

static hj_status random_bytes(uint8_t *p, size_t n, hj_error *err)
{
	size_t got = 0;
	while (got < n) {
		ssize_t k = getrandom(p + got, n - got, 0);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return hj_error_set(err, HJ_ERR_INTERNAL, NULL, 0, 0, NULL, "乱数を得られません: %s",
					    strerror(errno));
		}
		got += (size_t)k;
	}
	return HJ_OK;
}

/* 32 random bytes as base64url without padding (43 characters). */
static hj_status new_token(char out[64], hj_error *err)
{
	uint8_t raw[32];
	hj_status s = random_bytes(raw, sizeof raw, err);
	if (s)
		return s;
	struct base64_encode_ctx ctx;
	char enc[BASE64_ENCODE_LENGTH(32) + BASE64_ENCODE_FINAL_LENGTH + 1];
	base64url_encode_init(&ctx);
	size_t n = base64_encode_update(&ctx, enc, sizeof raw, raw);
	n += base64_encode_final(&ctx, enc + n);
	while (n && enc[n - 1] == '=')
		n--;
	memcpy(out, enc, n);
	out[n] = '\0';
	return HJ_OK;
}

/* A token as a client sends it: base64url, 43 characters. */
static int token_ok(const char *t)
{
	if (!t || strlen(t) != 43)
		return 0;
	for (const char *p = t; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		      *p == '_'))
			return 0;
	return 1;
}

static hj_status hash_password(const hj_auth_config *c, const char *pw, char *out, size_t size, hj_error *err)
{
	uint8_t salt[16];
	hj_status s = random_bytes(salt, sizeof salt, err);
	if (s)
		return s;
	int r = argon2id_hash_encoded(c->argon2_t, c->argon2_m_kib, c->argon2_p, pw, strlen(pw), salt, sizeof salt, 32,
				      out, size);
	if (r != ARGON2_OK)
		return hj_error_set(err, HJ_ERR_INTERNAL, NULL, 0, 0, NULL, "パスワードを処理できません: %s",
				    argon2_error_message(r));
	return HJ_OK;
}

/* The same work as a verification, for an e-mail without an account. */
static void hash_dummy(const hj_auth_config *c, const char *pw)
{
	static const uint8_t salt[16] = "hojo-no-account";
	uint8_t tag[32];
	argon2id_hash_raw(c->argon2_t, c->argon2_m_kib, c->argon2_p, pw, strlen(pw), salt, sizeof salt, tag, sizeof tag);
}

/* ---- what a user types ---- */

/* Lower-case the e-mail into 'out' and check its form: one '@', a local
 * part of printable ASCII, a domain with a dot. */
static hj_status email_norm(const char *in, char out[256], hj_error *err)
{
	size_t n = in ? strlen(in) : 0;
	const char *why = NULL;
	if (n == 0)
		why = "メールアドレスを入力してください";
	else if (n > 254)
		why = "メールアドレスが長すぎます（254文字まで）";
	if (!why) {
		const char *at = strchr(in, '@');
		for (size_t i = 0; i < n; i++) {
			unsigned char ch = (unsigned char)in[i];
			if (ch <= ' ' || ch >= 0x7f || strchr("\"(),:;<>[\\]", ch)) {
				why = "メールアドレスに使えない文字があります";
				break;
			}
			out[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
		}
		out[n] = '\0';
		if (!why) {
			const char *dom = at ? at + 1 : NULL;
			if (!at || at == in || strchr(dom, '@') || at - in > 64 || !strchr(dom, '.') || *dom == '.' ||
			    dom[strlen(dom) - 1] == '.' || strstr(dom, ".."))
				why = "メールアドレスの形が正しくありません（例 name@example.jp）";
		}
	}
	if (why) {
		out[0] = '\0';
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "email", "%s", why);
	}
	return HJ_OK;
}

static hj_status password_ok(const char *pw, hj_error *err)
{
	size_t n = pw ? strlen(pw) : 0;
	if (n > HJ_PASSWORD_MAX)
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "password", "パスワードが長すぎます（%d バイトまで）",
				    HJ_PASSWORD_MAX);
	if (n && u8_check((const uint8_t *)pw, n))
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "password", "パスワードが UTF-8 ではありません");
	if (!n || u8_mbsnlen((const uint8_t *)pw, n) < HJ_PASSWORD_MIN)
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "password", "パスワードは %d 文字以上にしてください",
				    HJ_PASSWORD_MIN);
	return HJ_OK;
}

static hj_status name_ok(const char *name, hj_error *err)
{
	size_t n = name ? strlen(name) : 0;
	size_t blank = name ? strspn(name, " \t") : 0;
	if (n == 0 || blank == n)
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "name", "氏名を入力してください");
	if (n > 200)
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "name", "氏名が長すぎます（200 バイトまで）");
	if (u8_check((const uint8_t *)name, n))
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "name", "氏名が UTF-8 ではありません");
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < ' ' || name[i] == 0x7f)
			return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "name", "氏名に制御文字があります");
	return HJ_OK;
}

/* ---- audit ---- */

/* The e-mail (normalised into em), password and name of a new account
 * checked, and the password hashed into hash[size]. */
static hj_status new_credentials(const hj_auth_config *c, const char *email, const char *password, const char *name,
				 char em[256], char *hash, size_t size, hj_error *err)
{
	hj_status s = email_norm(email, em, err);
	if (!s)
		s = password_ok(password, err);
	if (!s)
		s = name_ok(name, err);
	if (!s)
		s = hash_password(c, password, hash, size, err);
	return s;
}

/* The actor of an event about 'email'/'account' when nobody is signed
 * in yet (sign-in, sign-up, reset): who it claims to be, from where. */
static hj_actor claimant(const hj_actor *who, int64_t account, const char *email)
{
	hj_actor a;
	memset(&a, 0, sizeof a);
	if (who)
		a = *who;
	if (!a.account) {
		a.account = account;
		snprintf(a.email, sizeof a.email, "%s", email ? email : "");
	}
	return a;
}

static hj_status audit(hj_tx *tx, const hj_actor *who, const char *action, int64_t id, const char *outcome,
		       const char *detail, hj_error *err)
{
	hj_audit_event ev = { action, "account", id, 0, NULL, NULL, outcome, detail };
	return hj_audit_add(tx, who, &ev, err);
}

/* A refusal in a transaction of its own; a failure to record it is not
 * the caller's error (the refusal is), so it is dropped. */
static void audit_refused(hj_store *st, const hj_actor *who, const char *action, int64_t id, const char *reason)
{
	char detail[128];
	snprintf(detail, sizeof detail, "{\"reason\":\"%s\"}", reason);
	hj_audit_event ev = { action, "account", id, 0, NULL, NULL, "refused", detail };
	hj_error e;
	hj_audit_refused(st, who, &ev, &e);
}

/* ---- sessions ---- */

static hj_status session_new(hj_tx *tx, const hj_auth_config *c, const hj_account *a, hj_session *out, hj_error *err)
{
	memset(out, 0, sizeof *out);
	hj_status s = new_token(out->token, err);
	if (!s)
		s = new_token(out->csrf, err);
	if (s)
		return s;
	char h[65];
	hj_sha256_hex(out->token, strlen(out->token), h);
	out->created_at = hj_now_us();
	out->expires_at = out->created_at + c->absolute_s * US;
	out->account = *a;
	return st_sess_insert(tx, h, a->id, out->csrf, out->created_at, out->expires_at, err);
}

/* ---- sign-up ---- */

typedef struct signup_ctx {
	const hj_auth_config *c;
	const hj_actor *who;
	const char *email, *name, *hash;
	hj_session *out;
} signup_ctx;

static hj_status signup_tx(hj_tx *tx, void *ctx, hj_error *err)
{
	signup_ctx *x = ctx;
	hj_account a;
	memset(&a, 0, sizeof a);
	snprintf(a.email, sizeof a.email, "%s", x->email);
	snprintf(a.name, sizeof a.name, "%s", x->name);
	a.roles = HJ_ROLE_APPLICANT;
	a.created_at = hj_now_us();
	hj_status s = st_acc_insert(tx, a.email, a.name, x->hash, a.roles, a.created_at, &a.id, err);
	if (s == HJ_ERR_CONFLICT && err && !strcmp(err->field, "unique"))
		return hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "email",
				    "このメールアドレスは登録済みです（サインインするか、パスワードを再設定してください）");
	if (!s)
		s = session_new(tx, x->c, &a, x->out, err);
	hj_actor me = claimant(x->who, a.id, a.email);
	if (!s)
		s = audit(tx, &me, "account.signup", a.id, "ok", NULL, err);
	return s;
}

hj_status hj_account_signup(hj_store *st, const hj_auth_config *cfg, const hj_actor *who, const char *email,
			    const char *password, const char *name, hj_session *out, hj_error *err)
{
	hj_auth_config buf;
	const hj_auth_config *c = config(cfg, &buf);
	char em[256], hash[256];
	hj_status s = new_credentials(c, email, password, name, em, hash, sizeof hash, err);
	if (s)
		return s;
	signup_ctx x = { c, who, em, name, hash, out };
	s = hj_store_run(st, 1, signup_tx, &x, err);
	if (s == HJ_ERR_CONFLICT && err && !strcmp(err->field, "email")) {
		hj_actor me = claimant(who, 0, em);
		audit_refused(st, &me, "account.signup", 0, "email_taken");
	}
	return s;
}

/* ---- sign-in ---- */

/* 0 when an attempt of 'email' from 'ip' may be tried now; else the
 * seconds to wait (>= 1). */
static hj_status throttled(hj_tx *tx, const hj_auth_config *c, const char *email, const char *ip, int *wait,
			   hj_error *err)
{
	int64_t now = hj_now_us(), since = now - c->window_s * US, at, until = 0;
	int found;
	*wait = 0;
	hj_status s = st_attempt_nth_failure(tx, 0, email, since, c->max_email_failures, &at, &found, err);
	if (s)
		return s;
	if (found)
		until = at + c->window_s * US;
	if (ip && *ip) {
		if ((s = st_attempt_nth_failure(tx, 1, ip, since, c->max_ip_failures, &at, &found, err)))
			return s;
		if (found && at + c->window_s * US > until)
			until = at + c->window_s * US;
	}
	if (until > now)
		*wait = (int)((until - now + US - 1) / US);
	return HJ_OK;
}

typedef struct signin_ctx {
	const hj_auth_config *c;
	const hj_actor *who;
	const char *email;
	int phase;        /* 0: look up; 1: record the outcome */
	int ok;           /* phase 1: the password matched */
	const char *reason;
	st_acc_row row;
	int found, wait;
	hj_session *out;
} signin_ctx;

static hj_status signin_tx(hj_tx *tx, void *ctx, hj_error *err)
{
	signin_ctx *x = ctx;
	const char *ip = x->who && x->who->ip[0] ? x->who->ip : "";
	hj_status s = throttled(tx, x->c, x->email, ip, &x->wait, err);
	if (s || x->wait)
		return s;
	if (x->phase == 0)
		return st_acc_by_email(tx, x->email, &x->row, &x->found, err);
	int64_t now = hj_now_us();
	if ((s = st_attempt_add(tx, x->email, ip, x->ok, now, now - x->c->window_s * US, err)))
		return s;
	hj_actor me = claimant(x->who, x->found ? x->row.a.id : 0, x->email);
	if (!x->ok) {
		char detail[128];
		snprintf(detail, sizeof detail, "{\"reason\":\"%s\"}", x->reason);
		return audit(tx, &me, "account.signin", x->found ? x->row.a.id : 0, "refused", detail, err);
	}
	if ((s = session_new(tx, x->c, &x->row.a, x->out, err)))
		return s;
	return audit(tx, &me, "account.signin", x->row.a.id, "ok", NULL, err);
}

hj_status hj_account_signin(hj_store *st, const hj_auth_config *cfg, const hj_actor *who, const char *email,
			    const char *password, hj_session *out, int *retry_after, hj_error *err)
{
	hj_auth_config buf;
	const hj_auth_config *c = config(cfg, &buf);
	char em[256];
	if (retry_after)
		*retry_after = 0;
	if (!password)
		password = "";
	if (email_norm(email, em, NULL)) {
		/* not an e-mail: it cannot have an account, and it is no
		 * one's to throttle; same answer as a wrong password */
		hj_actor me = claimant(who, 0, "");
		audit_refused(st, &me, "account.signin", 0, "malformed_email");
		return hj_error_set(err, HJ_ERR_AUTH, NULL, 0, 0, NULL, SIGNIN_FAILED);
	}
	signin_ctx x;
	memset(&x, 0, sizeof x);
	x.c = c;
	x.who = who;
	x.email = em;
	x.out = out;
	hj_status s = hj_store_run(st, 0, signin_tx, &x, err);
	if (s)
		return s;
	if (!x.wait) {
		if (!x.found) {
			hash_dummy(c, password);
			x.reason = "unknown_email";
		} else if (argon2id_verify(x.row.hash, password, strlen(password)) != ARGON2_OK)
			x.reason = "wrong_password";
		else if (x.row.a.disabled)
			x.reason = "disabled";
		else
			x.ok = 1;
		x.phase = 1;
		s = hj_store_run(st, 1, signin_tx, &x, err);
		if (s)
			return s;
	}
	if (x.wait) {
		hj_actor me = claimant(who, x.found ? x.row.a.id : 0, em);
		audit_refused(st, &me, "account.signin", x.found ? x.row.a.id : 0, "throttled");
		if (retry_after)
			*retry_after = x.wait;
		return hj_error_set(err, HJ_ERR_LIMIT, NULL, 0, 0, NULL,
				    "サインインの失敗が続いたため、しばらく受け付けません。%d 秒後にやり直してください",
				    x.wait);
	}
	if (!x.ok)
		return hj_error_set(err, HJ_ERR_AUTH, NULL, 0, 0, NULL, SIGNIN_FAILED);
	return HJ_OK;
}

/* ---- session lookup and sign-out ---- */

typedef struct lookup_ctx {
	const char *hash;
	st_sess_row row;
	int found;
	int op; /* 0: read; 1: touch; 2: delete */
} lookup_ctx;

static hj_status lookup_tx(hj_tx *tx, void *ctx, hj_error *err)
{
	lookup_ctx *x = ctx;
	int64_t now = hj_now_us();
	if (x->op == 1)
		return st_sess_touch(tx, x->hash, now, now - TOUCH_EVERY_US, err);
	if (x->op == 2)
		return st_sess_delete(tx, x->hash, NULL, err);
	return st_sess_get(tx, x->hash, &x->row, &x->found, err);
}

hj_status hj_session_lookup(hj_store *st, const hj_auth_config *cfg, const char *token, hj_session *out,
			    hj_error *err)
{
	hj_auth_config buf;
	const hj_auth_config *c = config(cfg, &buf);
	memset(out, 0, sizeof *out);
	if (!token_ok(token))
		return hj_error_set(err, HJ_ERR_AUTH, NULL, 0, 0, NULL, "サインインしてください");
	char h[65];
	hj_sha256_hex(token, strlen(token), h);
	lookup_ctx x;
	memset(&x, 0, sizeof x);
	x.hash = h;
	hj_status s = hj_store_run(st, 0, lookup_tx, &x, err);
	if (s)
		return s;
	if (!x.found)
		return hj_error_set(err, HJ_ERR_AUTH, NULL, 0, 0, NULL, "サインインしてください");
	int64_t now = hj_now_us();
	if (now >= x.row.expires_at || now - x.row.last_seen > c->idle_s * US) {
		x.op = 2;
		hj_store_run(st, 1, lookup_tx, &x, err);
		return hj_error_set(err, HJ_ERR_AUTH, NULL, 0, 0, NULL,
				    "セッションの有効期限が切れました。もう一度サインインしてください");
	}
	if (x.row.a.disabled)
		return hj_error_set(err, HJ_ERR_AUTH, NULL, 0, 0, NULL, "このアカウントは使えません");
	if (now - x.row.last_seen > TOUCH_EVERY_US) {
		x.op = 1;
		if ((s = hj_store_run(st, 1, lookup_tx, &x, err)))
			return s;
	}
	snprintf(out->token, sizeof out->token, "%s", token);
	snprintf(out->csrf, sizeof out->csrf, "%s", x.row.csrf);
	out->created_at = x.row.created_at;
	out->expires_at = x.row.expires_at;
	out->account = x.row.a;
	return HJ_OK;
}

void hj_session_actor(const hj_session *s, const hj_actor *base, hj_actor *out)
{
	hj_actor a;
	memset(&a, 0, sizeof a);
	if (base) {
		snprintf(a.ip, sizeof a.ip, "%s", base->ip);
		snprintf(a.via, sizeof a.via, "%s", base->via);
	}
	a.account = s->account.id;
	a.roles = s->account.roles;
	snprintf(a.email, sizeof a.email, "%s", s->account.email);
	*out = a;
}

typedef struct end_ctx {
	const hj_actor *who;
	const char *hash;
} end_ctx;

static hj_status end_tx(hj_tx *tx, void *ctx, hj_error *err)
{
	end_ctx *x = ctx;
	int64_t n = 0;
	hj_status s = st_sess_delete(tx, x->hash, &n, err);
	if (!s && n)
		s = audit(tx, x->who, "account.signout", x->who ? x->who->account : 0, "ok", NULL, err);
	return s;
}

hj_status hj_session_end(hj_store *st, const hj_actor *who, const char *token, hj_error *err)
{
	if (!token_ok(token))
		return HJ_OK;
	char h[65];
	hj_sha256_hex(token, strlen(token), h);
	end_ctx x = { who, h };
	return hj_store_run(st, 1, end_tx, &x, err);
}

/* ---- JSON ---- */

static json_t *account_obj(const hj_account *a, int full)
{
	json_t *o = json_pack("{s:I,s:s,s:s,s:o}", "id", (json_int_t)a->id, "email", a->email, "name", a->name,
			      "roles", roles_json(a->roles));
	if (o && full) {
		json_object_set_new(o, "disabled", json_boolean(a->disabled));
		json_object_set_new(o, "created_at_us", json_integer(a->created_at));
	}
	return o;
}

static hj_status emit(json_t *root, char **json, hj_error *err)
{
	*json = hj_json_string(root, 0);
	return *json ? HJ_OK : nomem(err);
}

hj_status hj_session_json(const hj_session *s, char **json, hj_error *err)
{
	return emit(json_pack("{s:o,s:s}", "account", account_obj(&s->account, 0), "csrf", s->csrf), json, err);
}

hj_status hj_account_json(const hj_account *a, char **json, hj_error *err)
{
	return emit(json_pack("{s:o}", "account", account_obj(a, 0)), json, err);
}

/* ---- password reset ---- */

typedef struct reset_ctx {
	const hj_auth_config *c;
	const hj_actor *who;
	const char *email, *hash, *pwhash;
	st_acc_row row;
	int found;
	int too_soon;       /* request: a mail went out less than a minute ago */
	int64_t account;
	const char *reason; /* confirm: why the token was refused */
} reset_ctx;

static hj_status reset_req_tx(hj_tx *tx, void *ctx, hj_error *err)
{
	reset_ctx *x = ctx;
	hj_status s = st_acc_by_email(tx, x->email, &x->row, &x->found, err);
	if (s || !x->found || x->row.a.disabled)
		return s;
	int64_t now = hj_now_us(), recent;
	if ((s = st_reset_count_since(tx, x->row.a.id, now - RESET_EVERY_US, &recent, err)))
		return s;
	x->too_soon = recent > 0;
	if (x->too_soon)
		return HJ_OK;
	if ((s = st_reset_insert(tx, x->hash, x->row.a.id, now, now + x->c->reset_valid_s * US, err)))
		return s;
	hj_actor me = claimant(x->who, x->row.a.id, x->email);
	return audit(tx, &me, "account.reset_request", x->row.a.id, "ok", NULL, err);
}

static void rfc2822_date(int64_t us, char *buf, size_t size)
{
	time_t t = (time_t)(us / US);
	struct tm tm;
	gmtime_r(&t, &tm);
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	snprintf(buf, size, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
		 tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* "=?UTF-8?B?…?=" (RFC 2047) of a short UTF-8 text. */
static void mime_word(const char *s, char *buf, size_t size)
{
	struct base64_encode_ctx ctx;
	char enc[512];
	size_t n = strlen(s);
	if (BASE64_ENCODE_LENGTH(n) + BASE64_ENCODE_FINAL_LENGTH >= sizeof enc)
		n = 0;
	base64_encode_init(&ctx);
	size_t k = base64_encode_update(&ctx, enc, n, (const uint8_t *)s);
	k += base64_encode_final(&ctx, enc + k);
	enc[k] = '\0';
	snprintf(buf, size, "=?UTF-8?B?%s?=", enc);
}

static hj_status mkdir_p(const char *dir, hj_error *err)
{
	char p[1024];
	snprintf(p, sizeof p, "%s", dir);
	for (char *q = p + 1;; q++) {
		int end = *q == '\0';
		if (*q == '/' || end) {
			*q = '\0';
			if (mkdir(p, 0700) && errno != EEXIST)
				return hj_error_set(err, HJ_ERR_IO, NULL, 0, 0, NULL, "%s を作れません: %s", p,
						    strerror(errno));
			if (end)
				break;
			*q = '/';
		}
	}
	return HJ_OK;
}

/* Write the mail of a reset link to 'dir' (a file of its own, written
 * whole under a temporary name and then renamed, readable by the owner
 * only). */
static hj_status write_mail(const hj_auth_config *c, const char *dir, const hj_account *a, const char *link_base,
			    const char *token, char *path, size_t size, hj_error *err)
{
	hj_status s = mkdir_p(dir, err);
	if (s)
		return s;
	int64_t now = hj_now_us();
	char tmp[1100], date[64], subject[256];
	uint8_t r[4];
	if ((s = random_bytes(r, sizeof r, err)))
		return s;
	snprintf(path, size, "%s/%lld-%lld-%02x%02x%02x%02x.eml", dir, (long long)now, (long long)a->id, r[0], r[1],
		 r[2], r[3]);
	rfc2822_date(now, date, sizeof date);
	mime_word("【hojo】パスワードの再設定", subject, sizeof subject);
	size_t lb = link_base ? strlen(link_base) : 0;
	while (lb && link_base[lb - 1] == '/')
		lb--;
	FILE *f = gg_spool_open(path, 1, tmp, sizeof tmp, err);
	if (!f)
		return err->status;
	fprintf(f,
		"From: hojo <no-reply@hojo.invalid>\n"
		"To: %s\n"
		"Subject: %s\n"
		"Date: %s\n"
		"MIME-Version: 1.0\n"
		"Content-Type: text/plain; charset=utf-8\n"
		"Content-Transfer-Encoding: 8bit\n"
		"\n"
		"%s 様\n"
		"\n"
		"パスワードの再設定の申し込みを受け付けました。\n"
		"次のリンクを開いて、新しいパスワードを設定してください。\n"
		"\n"
		"%.*s/#reset=%s\n"
		"\n"
		"このリンクは一度だけ、%lld 分以内に使えます。\n"
		"パスワードを設定すると、ほかの端末のサインインはすべて終わります。\n"
		"お申し込みに心当たりがない場合は、このメールを破棄してください（パスワードは変わりません）。\n"
		"\n"
		"-- \nhojo 補助金の申請窓口\n",
		a->email, subject, date, a->name, (int)lb, link_base ? link_base : "", token,
		(long long)(c->reset_valid_s / 60));
	return gg_spool_commit(f, tmp, path, err);
}

static hj_status reset_void_tx(hj_tx *tx, void *ctx, hj_error *err)
{
	reset_ctx *x = ctx;
	return st_reset_use_all(tx, x->row.a.id, hj_now_us(), err);
}

hj_status hj_reset_request(hj_store *st, const hj_auth_config *cfg, const hj_actor *who, const char *email,
			   const char *mail_dir, const char *link_base, char *mail_file, size_t size, hj_error *err)
{
	hj_auth_config buf;
	const hj_auth_config *c = config(cfg, &buf);
	char em[256], token[64], h[65], path[1100] = "";
	if (mail_file && size)
		mail_file[0] = '\0';
	if (email_norm(email, em, NULL))
		return HJ_OK; /* no account can have it */
	hj_status s = new_token(token, err);
	if (s)
		return s;
	hj_sha256_hex(token, strlen(token), h);
	reset_ctx x;
	memset(&x, 0, sizeof x);
	x.c = c;
	x.who = who;
	x.email = em;
	x.hash = h;
	if ((s = hj_store_run(st, 1, reset_req_tx, &x, err)))
		return s;
	if (!x.found || x.row.a.disabled || x.too_soon) {
		hj_actor me = claimant(who, x.found ? x.row.a.id : 0, em);
		audit_refused(st, &me, "account.reset_request", x.found ? x.row.a.id : 0,
			      !x.found ? "unknown_email" : x.row.a.disabled ? "disabled" : "too_soon");
		return HJ_OK;
	}
	if ((s = write_mail(c, mail_dir ? mail_dir : "var/mail", &x.row.a, link_base, token, path, sizeof path, err))) {
		hj_error e2;
		hj_store_run(st, 1, reset_void_tx, &x, &e2); /* a link nobody got must not work */
		return s;
	}
	if (mail_file && size)
		snprintf(mail_file, size, "%s", path);
	return HJ_OK;
}

static hj_status reset_confirm_tx(hj_tx *tx, void *ctx, hj_error *err)
{
	reset_ctx *x = ctx;
	int64_t exp, used;
	int found;
	x->reason = NULL;
	hj_status s = st_reset_get(tx, x->hash, &x->account, &exp, &used, &found, err);
	if (s)
		return s;
	int64_t now = hj_now_us();
	x->reason = !found ? "unknown_token" : used ? "used_token" : now >= exp ? "expired_token" : NULL;
	if (!x->reason) {
		if ((s = st_acc_by_id(tx, x->account, &x->row, &found, err)))
			return s;
		if (!found || x->row.a.disabled)
			x->reason = "disabled";
	}
	if (x->reason)
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "token",
				    "パスワード再設定のリンクが無効か期限切れです。もう一度申し込んでください");
	if ((s = st_acc_set_password(tx, x->account, x->pwhash, err)) || (s = st_reset_use_all(tx, x->account, now, err)) ||
	    (s = st_sess_delete_account(tx, x->account, err)))
		return s;
	hj_actor me = claimant(x->who, x->account, x->row.a.email);
	return audit(tx, &me, "account.password_reset", x->account, "ok", NULL, err);
}

hj_status hj_reset_confirm(hj_store *st, const hj_auth_config *cfg, const hj_actor *who, const char *token,
			   const char *password, hj_error *err)
{
	hj_auth_config buf;
	const hj_auth_config *c = config(cfg, &buf);
	if (!token_ok(token))
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "token",
				    "パスワード再設定のリンクが無効か期限切れです。もう一度申し込んでください");
	char h[65], pwhash[256];
	hj_status s = password_ok(password, err);
	if (!s)
		s = hash_password(c, password, pwhash, sizeof pwhash, err);
	if (s)
		return s;
	hj_sha256_hex(token, strlen(token), h);
	reset_ctx x;
	memset(&x, 0, sizeof x);
	x.c = c;
	x.who = who;
	x.hash = h;
	x.pwhash = pwhash;
	s = hj_store_run(st, 1, reset_confirm_tx, &x, err);
	if (s == HJ_ERR_INPUT && x.reason) {
		hj_actor me = claimant(who, x.account, "");
		audit_refused(st, &me, "account.password_reset", x.account, x.reason);
	}
	return s;
}

/* ---- administration ---- */

static hj_status admin_only(const hj_actor *who, hj_error *err)
{
	if (!who || !(who->roles & HJ_ROLE_ADMIN))
		return hj_error_set(err, HJ_ERR_DENIED, NULL, 0, 0, NULL, "管理者だけができる操作です");
	return HJ_OK;
}

typedef struct list_ctx {
	int page, per_page;
	char **json;
} list_ctx;

static hj_status list_tx(hj_tx *tx, void *ctx, hj_error *err)
{
	list_ctx *x = ctx;
	hj_account *rows;
	int n;
	int64_t total;
	hj_status s = st_acc_list(tx, x->per_page, (x->page - 1) * x->per_page, &rows, &n, &total, err);
	if (s)
		return s;
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, account_obj(&rows[i], 1));
	hj_free(rows);
	hj_free(*x->json);
	return emit(json_pack("{s:o,s:i,s:i,s:I}", "accounts", a, "page", x->page, "per_page", x->per_page, "total",
			      (json_int_t)total),
		    x->json, err);
}

hj_status hj_account_list(hj_store *st, const hj_actor *who, int page, int per_page, char **json, hj_error *err)
{
	*json = NULL;
	hj_status s = admin_only(who, err);
	if (s)
		return s;
	if (page < 1)
		page = 1;
	if (per_page < 1 || per_page > 200)
		per_page = 50;
	list_ctx x = { page, per_page, json };
	return hj_store_run(st, 0, list_tx, &x, err);
}

typedef struct roles_ctx {
	const hj_actor *who;
	int64_t id;
	unsigned roles;
	hj_account *out;
} roles_ctx;

static hj_status roles_tx(hj_tx *tx, void *ctx, hj_error *err)
{
	roles_ctx *x = ctx;
	st_acc_row r;
	int found;
	hj_status s = st_acc_by_id(tx, x->id, &r, &found, err);
	if (s)
		return s;
	if (!found)
		return hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "アカウント %lld はありません",
				    (long long)x->id);
	if ((r.a.roles & HJ_ROLE_ADMIN) && !(x->roles & HJ_ROLE_ADMIN) && !r.a.disabled) {
		int64_t admins;
		if ((s = st_acc_count_role(tx, HJ_ROLE_ADMIN, &admins, err)))
			return s;
		if (admins <= 1)
			return hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "roles",
					    "最後の管理者から管理者の役割を外すことはできません");
	}
	if ((s = st_acc_set_roles(tx, x->id, x->roles, err)))
		return s;
	json_t *d = json_pack("{s:o,s:o}", "before", roles_json(r.a.roles), "after", roles_json(x->roles));
	char *detail = hj_json_string(d, 0);
	if (!detail)
		return nomem(err);
	s = audit(tx, x->who, "account.roles", x->id, "ok", detail, err);
	hj_free(detail);
	r.a.roles = x->roles;
	if (x->out)
		*x->out = r.a;
	return s;
}

hj_status hj_account_set_roles(hj_store *st, const hj_actor *who, int64_t id, unsigned roles, hj_account *out,
			       hj_error *err)
{
	hj_status s = admin_only(who, err);
	if (s)
		return s;
	if (!roles || (roles & ~(unsigned)ALL_ROLES))
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "roles", "役割を一つ以上、既知の名前で指定してください");
	roles_ctx x = { who, id, roles, out };
	return hj_store_run(st, 1, roles_tx, &x, err);
}

typedef struct admin_ctx {
	const hj_actor *who;
	const char *email, *name, *hash;
	hj_account *out;
	int created;
} admin_ctx;

static hj_status admin_tx(hj_tx *tx, void *ctx, hj_error *err)
{
	admin_ctx *x = ctx;
	st_acc_row r;
	int found;
	x->created = 0;
	hj_status s = st_acc_by_email(tx, x->email, &r, &found, err);
	if (s)
		return s;
	if (found && (r.a.roles & HJ_ROLE_ADMIN)) {
		/* already an administrator: nothing changes */
	} else if (found) {
		unsigned before = r.a.roles;
		r.a.roles |= HJ_ROLE_ADMIN;
		if ((s = st_acc_set_roles(tx, r.a.id, r.a.roles, err)))
			return s;
		json_t *d = json_pack("{s:o,s:o}", "before", roles_json(before), "after", roles_json(r.a.roles));
		char *detail = hj_json_string(d, 0);
		if (!detail)
			return nomem(err);
		s = audit(tx, x->who, "account.roles", r.a.id, "ok", detail, err);
		hj_free(detail);
	} else {
		memset(&r, 0, sizeof r);
		snprintf(r.a.email, sizeof r.a.email, "%s", x->email);
		snprintf(r.a.name, sizeof r.a.name, "%s", x->name);
		r.a.roles = HJ_ROLE_ADMIN;
		r.a.created_at = hj_now_us();
		if ((s = st_acc_insert(tx, r.a.email, r.a.name, x->hash, r.a.roles, r.a.created_at, &r.a.id, err)))
			return s;
		s = audit(tx, x->who, "account.create_admin", r.a.id, "ok", NULL, err);
		x->created = 1;
	}
	if (!s && x->out)
		*x->out = r.a;
	return s;
}

hj_status hj_account_create_admin(hj_store *st, const hj_auth_config *cfg, const hj_actor *who, const char *email,
				  const char *name, const char *password, hj_account *out, int *created,
				  hj_error *err)
{
	hj_auth_config buf;
	const hj_auth_config *c = config(cfg, &buf);
	char em[256], hash[256];
	if (!name || !*name)
		name = "管理者";
	hj_status s = new_credentials(c, email, password, name, em, hash, sizeof hash, err);
	if (s)
		return s;
	admin_ctx x = { who, em, name, hash, out, 0 };
	s = hj_store_run(st, 1, admin_tx, &x, err);
	if (created)
		*created = x.created;
	return s;
}
