/*
 * test_accounts.c - people and roles (lib/grants/accounts.c) on a
 * temporary SQLite store: the argon2id hash round trip, wrong passwords,
 * the throttling boundary (the 5th failure and the 6th attempt, the end
 * of the window), session idle and absolute timeouts, the reset token
 * (once only, its hour), roles and the first administrator, and the
 * audit events they write. The clock is fixed with hj_clock_set.
 * With HOJO_TEST_PG=CONNINFO the same tests run on that PostgreSQL
 * database instead (emptied before each test; tools/pg-cluster).
 */
#include "unit.h"
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <nettle/sha2.h>
#include "hojo/alloc.h"
#include "hojo/store.h"
#include "hojo/grants/accounts.h"
#include "hojo/grants/audit.h"
#include "store/driver.h"

#define US 1000000LL
#define MIN (60 * US)
#define T0 1764000000000000LL /* 2025-11-24T16:00:00Z */

static char dir[64], url[512], mail[128];
static hj_store *st;
static hj_auth_config cfg;
static hj_actor web = { 0, 0, "", "192.0.2.1", "http" };

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/hojo-test-accounts-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(url, sizeof url, "sqlite:%s/hojo.db", dir);
	snprintf(mail, sizeof mail, "%s/mail", dir);
	hj_error err;
	const char *pg = getenv("HOJO_TEST_PG");
	if (pg && *pg) {
		/* an empty database: drop what the last test left, migrate again */
		snprintf(url, sizeof url, "postgres:%s", pg);
		hj_tx *tx;
		if (hj_store_open(url, 2, &st, &err) || hj_store_begin(st, 1, &tx, &err) ||
		    st_exec(tx, "DROP SCHEMA public CASCADE", NULL, 0, NULL, &err) ||
		    st_exec(tx, "CREATE SCHEMA public", NULL, 0, NULL, &err) || hj_tx_commit(tx, &err))
			return -1;
		hj_store_close(st);
	}
	if (hj_store_open(url, 2, &st, &err))
		return -1;
	hj_auth_defaults(&cfg);
	cfg.argon2_t = 1; /* cheap hashes: the tests sign in many times */
	cfg.argon2_m_kib = 64;
	hj_clock_set(T0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	hj_clock_set(0);
	hj_store_close(st);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int64_t count(const char *sql, const char *arg)
{
	hj_tx *tx;
	st_rows *r;
	hj_error err;
	st_val p[1] = { st_text(arg) };
	assert_int_equal(hj_store_begin(st, 0, &tx, &err), HJ_OK);
	assert_int_equal(st_query(tx, sql, p, arg ? 1 : 0, &r, &err), HJ_OK);
	int64_t n = st_rows_int(r, 0, 0);
	st_rows_free(r);
	hj_tx_rollback(tx);
	return n;
}

static void signup(const char *email, hj_session *s)
{
	hj_error err;
	assert_int_equal(hj_account_signup(st, &cfg, &web, email, "correct horse battery", "山田 太郎", s, &err), HJ_OK);
}

static void hash_round_trip(void **state)
{
	(void)state;
	hj_session s, s2;
	hj_error err;
	hj_auth_config def;
	hj_auth_defaults(&def); /* the production parameters once */
	assert_int_equal(hj_account_signup(st, &def, &web, "Taro@Example.JP", "correct horse battery", "山田 太郎", &s, &err),
			 HJ_OK);
	assert_string_equal(s.account.email, "taro@example.jp");
	assert_int_equal(s.account.roles, HJ_ROLE_APPLICANT);
	assert_int_equal(strlen(s.token), 43);
	assert_int_equal(strlen(s.csrf), 43);
	assert_string_not_equal(s.token, s.csrf);
	assert_int_equal(s.expires_at, T0 + 12 * 3600 * US);
	/* the stored hash is argon2id with the documented parameters */
	assert_int_equal(count("SELECT COUNT(*) FROM accounts WHERE password_hash LIKE "
			       "'$argon2id$v=19$m=19456,t=2,p=1$%'",
			       NULL),
			 1);
	/* only the SHA-256 of the token is stored */
	struct sha256_ctx c;
	uint8_t d[32];
	char hex[65];
	sha256_init(&c);
	sha256_update(&c, strlen(s.token), (const uint8_t *)s.token);
	sha256_digest(&c, 32, d);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	assert_int_equal(count("SELECT COUNT(*) FROM sessions WHERE token_sha256 = ?", hex), 1);
	assert_int_equal(count("SELECT COUNT(*) FROM sessions WHERE token_sha256 = ?", s.token), 0);
	/* sign in, the e-mail in any case */
	int wait = -1;
	assert_int_equal(hj_account_signin(st, &cfg, &web, "TARO@example.jp", "correct horse battery", &s2, &wait, &err),
			 HJ_OK);
	assert_int_equal(wait, 0);
	assert_int_equal(s2.account.id, s.account.id);
	assert_string_not_equal(s2.token, s.token);
	/* the session gives the actor */
	hj_session f;
	assert_int_equal(hj_session_lookup(st, &cfg, s2.token, &f, &err), HJ_OK);
	hj_actor a;
	hj_session_actor(&f, &web, &a);
	assert_int_equal(a.account, s.account.id);
	assert_int_equal(a.roles, HJ_ROLE_APPLICANT);
	assert_string_equal(a.email, "taro@example.jp");
	assert_string_equal(a.ip, "192.0.2.1");
	char *json;
	assert_int_equal(hj_session_json(&f, &json, &err), HJ_OK);
	char want[512];
	/* the csrf of a session found is that of its sign-in (s2), not s */
	snprintf(want, sizeof want,
		 "{\"account\":{\"id\":%lld,\"email\":\"taro@example.jp\",\"name\":\"山田 太郎\",\"roles\":[\"applicant\"]},"
		 "\"csrf\":\"%s\"}",
		 (long long)s.account.id, s2.csrf);
	assert_string_equal(json, want);
	hj_free(json);
	/* sign out ends that session only */
	assert_int_equal(hj_session_end(st, &a, s2.token, &err), HJ_OK);
	assert_int_equal(hj_session_lookup(st, &cfg, s2.token, &f, &err), HJ_ERR_AUTH);
	assert_int_equal(hj_session_lookup(st, &cfg, s.token, &f, &err), HJ_OK);
	assert_int_equal(hj_session_lookup(st, &cfg, "not-a-token", &f, &err), HJ_ERR_AUTH);
}

static void wrong_password_and_input(void **state)
{
	(void)state;
	hj_session s;
	hj_error err;
	signup("hanako@example.jp", &s);
	int wait = -1;
	assert_int_equal(hj_account_signin(st, &cfg, &web, "hanako@example.jp", "correct horse batterY", &s, &wait, &err),
			 HJ_ERR_AUTH);
	assert_string_equal(err.message, "メールアドレスかパスワードが違います");
	assert_int_equal(wait, 0);
	/* an unknown e-mail: the same answer */
	assert_int_equal(hj_account_signin(st, &cfg, &web, "nobody@example.jp", "correct horse battery", &s, &wait, &err),
			 HJ_ERR_AUTH);
	assert_string_equal(err.message, "メールアドレスかパスワードが違います");
	/* sign-up input */
	assert_int_equal(hj_account_signup(st, &cfg, &web, "HANAKO@example.jp", "0123456789", "花子", &s, &err),
			 HJ_ERR_CONFLICT);
	assert_string_equal(err.field, "email");
	assert_non_null(strstr(err.message, "登録済み"));
	assert_int_equal(hj_account_signup(st, &cfg, &web, "a@example.jp", "012345678", "花子", &s, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "password");
	assert_string_equal(err.message, "パスワードは 10 文字以上にしてください");
	/* characters, not bytes: nine kana are 27 bytes and too short, ten pass */
	assert_int_equal(hj_account_signup(st, &cfg, &web, "a@example.jp", "あいうえおかきくけ", "花子", &s, &err),
			 HJ_ERR_INPUT);
	assert_int_equal(hj_account_signup(st, &cfg, &web, "a@example.jp", "あいうえおかきくけこ", "花子", &s, &err),
			 HJ_OK);
	const char *bad[] = { "", "no-at.example.jp", "@example.jp", "a@localhost", "a@b@example.jp", "a b@example.jp",
			      "a@.example.jp", "a@example..jp" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(hj_account_signup(st, &cfg, &web, bad[i], "0123456789", "花子", &s, &err), HJ_ERR_INPUT);
		assert_string_equal(err.field, "email");
	}
	assert_int_equal(hj_account_signup(st, &cfg, &web, "b@example.jp", "0123456789", "  ", &s, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "name");
	assert_int_equal(count("SELECT COUNT(*) FROM accounts", NULL), 2);
	/* the failures are in the audit log, refused */
	assert_int_equal(count("SELECT COUNT(*) FROM audit_events WHERE action = 'account.signin' AND outcome = "
			       "'refused' AND actor_email = ? AND detail LIKE '%wrong_password%'",
			       "hanako@example.jp"),
			 1);
	assert_int_equal(count("SELECT COUNT(*) FROM audit_events WHERE action = 'account.signin' AND outcome = "
			       "'refused' AND actor_email = ? AND detail LIKE '%unknown_email%'",
			       "nobody@example.jp"),
			 1);
	assert_int_equal(count("SELECT COUNT(*) FROM audit_events WHERE action = 'account.signup' AND outcome = ?",
			       "refused"),
			 1);
}

static void throttle_boundary(void **state)
{
	(void)state;
	hj_session s;
	hj_error err;
	int wait;
	signup("jiro@example.jp", &s);
	const char *pw = "correct horse battery";
	/* five failures, one a second from T0 */
	for (int i = 0; i < 5; i++) {
		hj_clock_set(T0 + i * US);
		assert_int_equal(hj_account_signin(st, &cfg, &web, "jiro@example.jp", "wrong password", &s, &wait, &err),
				 HJ_ERR_AUTH);
		assert_int_equal(wait, 0);
	}
	/* the 6th attempt, even with the right password, waits until the
	 * first failure (T0) leaves the 15-minute window: T0+900 s - (T0+5 s) */
	hj_clock_set(T0 + 5 * US);
	assert_int_equal(hj_account_signin(st, &cfg, &web, "jiro@example.jp", pw, &s, &wait, &err), HJ_ERR_LIMIT);
	assert_int_equal(wait, 895);
	assert_non_null(strstr(err.message, "895 秒後"));
	/* a throttled attempt is not counted: one second before the end */
	hj_clock_set(T0 + 899 * US);
	assert_int_equal(hj_account_signin(st, &cfg, &web, "jiro@example.jp", pw, &s, &wait, &err), HJ_ERR_LIMIT);
	assert_int_equal(wait, 1);
	/* at T0+900 s the first failure is out: four remain, it is tried */
	hj_clock_set(T0 + 900 * US);
	assert_int_equal(hj_account_signin(st, &cfg, &web, "jiro@example.jp", pw, &s, &wait, &err), HJ_OK);
	assert_int_equal(wait, 0);
	/* a success starts the count again: four failures then one more... */
	for (int i = 1; i <= 4; i++) {
		hj_clock_set(T0 + (900 + i) * US);
		assert_int_equal(hj_account_signin(st, &cfg, &web, "jiro@example.jp", "wrong password", &s, &wait, &err),
				 HJ_ERR_AUTH);
	}
	hj_clock_set(T0 + 905 * US);
	assert_int_equal(hj_account_signin(st, &cfg, &web, "jiro@example.jp", pw, &s, &wait, &err), HJ_OK);
	assert_int_equal(count("SELECT COUNT(*) FROM audit_events WHERE action = 'account.signin' AND detail LIKE "
			       "'%throttled%' AND actor_email = ?",
			       "jiro@example.jp"),
			 2);
	/* by address: 20 failures from one address over many e-mails */
	hj_actor other = { 0, 0, "", "198.51.100.7", "http" };
	for (int i = 0; i < 20; i++) {
		char em[64];
		snprintf(em, sizeof em, "guess%d@example.jp", i);
		hj_clock_set(T0 + (1000 + i) * US);
		assert_int_equal(hj_account_signin(st, &cfg, &other, em, "wrong password", &s, &wait, &err), HJ_ERR_AUTH);
	}
	hj_clock_set(T0 + 1020 * US);
	assert_int_equal(hj_account_signin(st, &cfg, &other, "jiro@example.jp", pw, &s, &wait, &err), HJ_ERR_LIMIT);
	assert_int_equal(wait, 880); /* T0+1000+900 - (T0+1020) */
	/* another address is not throttled */
	assert_int_equal(hj_account_signin(st, &cfg, &web, "jiro@example.jp", pw, &s, &wait, &err), HJ_OK);
	hj_clock_set(T0);
}

typedef struct attempt {
	pthread_t t;
	hj_status st;
} attempt;

static void *attempt_run(void *arg)
{
	attempt *a = arg;
	hj_session s;
	hj_error err;
	int wait;
	a->st = hj_account_signin(st, &cfg, &web, "rokuro@example.jp", "wrong password", &s, &wait, &err);
	return NULL;
}

/* Eight wrong attempts at once: the limit is checked again where each
 * outcome is recorded, so exactly five are failures and three are
 * refused, however they interleave. */
static void throttle_parallel(void **state)
{
	(void)state;
	hj_session s;
	signup("rokuro@example.jp", &s);
	attempt a[8];
	for (int i = 0; i < 8; i++)
		assert_int_equal(pthread_create(&a[i].t, NULL, attempt_run, &a[i]), 0);
	int auth = 0, limit = 0;
	for (int i = 0; i < 8; i++) {
		pthread_join(a[i].t, NULL);
		auth += a[i].st == HJ_ERR_AUTH;
		limit += a[i].st == HJ_ERR_LIMIT;
	}
	assert_int_equal(auth, 5);
	assert_int_equal(limit, 3);
	assert_int_equal(count("SELECT COUNT(*) FROM login_attempts WHERE email = ? AND ok = 0", "rokuro@example.jp"), 5);
}

static void session_expiry(void **state)
{
	(void)state;
	hj_session s, f;
	hj_error err;
	signup("saburo@example.jp", &s);
	/* idle: used at T0+29 min (last seen then), still good 30 min later,
	 * gone 1 µs after that */
	hj_clock_set(T0 + 29 * MIN);
	assert_int_equal(hj_session_lookup(st, &cfg, s.token, &f, &err), HJ_OK);
	hj_clock_set(T0 + 59 * MIN);
	assert_int_equal(hj_session_lookup(st, &cfg, s.token, &f, &err), HJ_OK);
	hj_clock_set(T0 + 89 * MIN + 1);
	assert_int_equal(hj_session_lookup(st, &cfg, s.token, &f, &err), HJ_ERR_AUTH);
	assert_non_null(strstr(err.message, "有効期限"));
	assert_int_equal(hj_session_lookup(st, &cfg, s.token, &f, &err), HJ_ERR_AUTH);
	assert_string_equal(err.message, "サインインしてください"); /* deleted */
	/* absolute: used every 20 minutes, it still ends 12 h after sign-in */
	hj_clock_set(T0);
	int wait;
	assert_int_equal(hj_account_signin(st, &cfg, &web, "saburo@example.jp", "correct horse battery", &s, &wait, &err),
			 HJ_OK);
	for (int64_t t = 20 * MIN; t < 12 * 60 * MIN; t += 20 * MIN) {
		hj_clock_set(T0 + t);
		assert_int_equal(hj_session_lookup(st, &cfg, s.token, &f, &err), HJ_OK);
	}
	hj_clock_set(T0 + 12 * 60 * MIN - 1);
	assert_int_equal(hj_session_lookup(st, &cfg, s.token, &f, &err), HJ_OK);
	hj_clock_set(T0 + 12 * 60 * MIN);
	assert_int_equal(hj_session_lookup(st, &cfg, s.token, &f, &err), HJ_ERR_AUTH);
	/* configurable: a 5-minute idle timeout */
	hj_auth_config shortcfg = cfg;
	shortcfg.idle_s = 300;
	hj_clock_set(T0);
	assert_int_equal(hj_account_signin(st, &shortcfg, &web, "saburo@example.jp", "correct horse battery", &s, &wait,
					   &err),
			 HJ_OK);
	hj_clock_set(T0 + 5 * MIN);
	assert_int_equal(hj_session_lookup(st, &shortcfg, s.token, &f, &err), HJ_OK);
	hj_clock_set(T0 + 10 * MIN + 1);
	assert_int_equal(hj_session_lookup(st, &shortcfg, s.token, &f, &err), HJ_ERR_AUTH);
	hj_clock_set(T0);
}

/* The token of the only mail in the spool (and remove the mail). */
static int mail_token(char *token, char *text, size_t size)
{
	DIR *d = opendir(mail);
	if (!d)
		return 0;
	struct dirent *e;
	int n = 0;
	char path[512];
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(path, sizeof path, "%s/%s", mail, e->d_name);
			n++;
		}
	closedir(d);
	if (n != 1)
		return n;
	FILE *f = fopen(path, "r");
	size_t k = fread(text, 1, size - 1, f);
	text[k] = '\0';
	fclose(f);
	unlink(path);
	const char *p = strstr(text, "#reset=");
	if (!p)
		return -1;
	snprintf(token, 44, "%s", p + 7);
	return 1;
}

static void reset_once_and_expiry(void **state)
{
	(void)state;
	hj_session s, f;
	hj_error err;
	char path[1200], token[64], token2[64], text[4096];
	signup("shiro@example.jp", &s);
	/* an unknown e-mail: no mail, no error */
	assert_int_equal(hj_reset_request(st, &cfg, &web, "ghost@example.jp", mail, "http://127.0.0.1:8080", path,
					  sizeof path, &err),
			 HJ_OK);
	assert_string_equal(path, "");
	assert_int_equal(mail_token(token, text, sizeof text), 0);
	assert_int_equal(hj_reset_request(st, &cfg, &web, "Shiro@example.jp", mail, "http://127.0.0.1:8080/", path,
					  sizeof path, &err),
			 HJ_OK);
	assert_true(strncmp(path, mail, strlen(mail)) == 0);
	assert_int_equal(mail_token(token, text, sizeof text), 1);
	assert_int_equal(strlen(token), 43);
	assert_non_null(strstr(text, "To: shiro@example.jp\n"));
	assert_non_null(strstr(text, "山田 太郎 様"));
	assert_non_null(strstr(text, "\nhttp://127.0.0.1:8080/#reset="));
	assert_non_null(strstr(text, "60 分以内"));
	/* a weak password does not use the token */
	assert_int_equal(hj_reset_confirm(st, &cfg, &web, token, "short", &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "password");
	hj_clock_set(T0 + 59 * MIN);
	assert_int_equal(hj_reset_confirm(st, &cfg, &web, token, "a new password!", &err), HJ_OK);
	/* the sessions of the account ended; the new password signs in */
	assert_int_equal(hj_session_lookup(st, &cfg, s.token, &f, &err), HJ_ERR_AUTH);
	int wait;
	assert_int_equal(hj_account_signin(st, &cfg, &web, "shiro@example.jp", "correct horse battery", &f, &wait, &err),
			 HJ_ERR_AUTH);
	assert_int_equal(hj_account_signin(st, &cfg, &web, "shiro@example.jp", "a new password!", &f, &wait, &err),
			 HJ_OK);
	/* once only */
	assert_int_equal(hj_reset_confirm(st, &cfg, &web, token, "another password", &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "token");
	/* one hour: at its end it does not work... */
	hj_clock_set(T0 + 120 * MIN);
	assert_int_equal(hj_reset_request(st, &cfg, &web, "shiro@example.jp", mail, "http://h", path, sizeof path, &err),
			 HJ_OK);
	assert_int_equal(mail_token(token, text, sizeof text), 1);
	hj_clock_set(T0 + 180 * MIN);
	assert_int_equal(hj_reset_confirm(st, &cfg, &web, token, "another password", &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "token");
	/* ... 1 µs before, it does; one mail a minute at most per account */
	hj_clock_set(T0 + 240 * MIN);
	assert_int_equal(hj_reset_request(st, &cfg, &web, "shiro@example.jp", mail, "http://h", path, sizeof path, &err),
			 HJ_OK);
	assert_int_equal(mail_token(token, text, sizeof text), 1);
	hj_clock_set(T0 + 240 * MIN + 59 * US);
	assert_int_equal(hj_reset_request(st, &cfg, &web, "shiro@example.jp", mail, "http://h", path, sizeof path, &err),
			 HJ_OK);
	assert_string_equal(path, "");
	assert_int_equal(mail_token(token2, text, sizeof text), 0);
	hj_clock_set(T0 + 241 * MIN);
	assert_int_equal(hj_reset_request(st, &cfg, &web, "shiro@example.jp", mail, "http://h", path, sizeof path, &err),
			 HJ_OK);
	assert_int_equal(mail_token(token2, text, sizeof text), 1);
	assert_string_not_equal(token, token2);
	hj_clock_set(T0 + 300 * MIN - 1);
	assert_int_equal(hj_reset_confirm(st, &cfg, &web, token, "another password", &err), HJ_OK);
	/* which voided the other open token */
	assert_int_equal(hj_reset_confirm(st, &cfg, &web, token2, "a fourth password", &err), HJ_ERR_INPUT);
	assert_int_equal(count("SELECT COUNT(*) FROM audit_events WHERE action = ? AND outcome = 'ok'",
			       "account.password_reset"),
			 2);
	assert_int_equal(count("SELECT COUNT(*) FROM audit_events WHERE action = ? AND outcome = 'refused'",
			       "account.password_reset"),
			 3);
	assert_int_equal(count("SELECT COUNT(*) FROM audit_events WHERE action = 'account.reset_request' AND detail "
			       "LIKE ?",
			       "%too_soon%"),
			 1);
	hj_clock_set(T0);
}

static void roles_and_admin(void **state)
{
	(void)state;
	hj_session s;
	hj_error err;
	hj_account a;
	int created = -1;
	signup("goro@example.jp", &s);
	hj_actor cli = { 0, 0, "", "", "cli" };
	assert_int_equal(hj_account_create_admin(st, &cfg, &cli, "Admin@example.jp", NULL, "admin password 1", &a,
						 &created, &err),
			 HJ_OK);
	assert_int_equal(created, 1);
	assert_int_equal(a.roles, HJ_ROLE_ADMIN);
	assert_string_equal(a.name, "管理者");
	int64_t admin_id = a.id;
	/* again: nothing new */
	assert_int_equal(hj_account_create_admin(st, &cfg, &cli, "admin@example.jp", NULL, "admin password 1", &a,
						 &created, &err),
			 HJ_OK);
	assert_int_equal(created, 0);
	assert_int_equal(a.id, admin_id);
	/* an applicant is not an administrator */
	hj_actor app;
	hj_session_actor(&s, &web, &app);
	assert_int_equal(hj_account_set_roles(st, &app, s.account.id, HJ_ROLE_STAFF, NULL, &err), HJ_ERR_DENIED);
	char *json = NULL;
	assert_int_equal(hj_account_list(st, &app, 1, 50, &json, &err), HJ_ERR_DENIED);
	assert_null(json);
	hj_session as;
	int wait;
	assert_int_equal(hj_account_signin(st, &cfg, &web, "admin@example.jp", "admin password 1", &as, &wait, &err),
			 HJ_OK);
	hj_actor adm;
	hj_session_actor(&as, &web, &adm);
	assert_int_equal(hj_account_set_roles(st, &adm, s.account.id, HJ_ROLE_APPLICANT | HJ_ROLE_STAFF, &a, &err), HJ_OK);
	assert_int_equal(a.roles, HJ_ROLE_APPLICANT | HJ_ROLE_STAFF);
	/* the session sees the new roles at once */
	hj_session f;
	assert_int_equal(hj_session_lookup(st, &cfg, s.token, &f, &err), HJ_OK);
	assert_int_equal(f.account.roles, HJ_ROLE_APPLICANT | HJ_ROLE_STAFF);
	assert_int_equal(hj_account_set_roles(st, &adm, 9999, HJ_ROLE_STAFF, NULL, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_account_set_roles(st, &adm, s.account.id, 0, NULL, &err), HJ_ERR_INPUT);
	assert_int_equal(hj_account_set_roles(st, &adm, s.account.id, 1u << 9, NULL, &err), HJ_ERR_INPUT);
	/* the last administrator keeps the role */
	assert_int_equal(hj_account_set_roles(st, &adm, admin_id, HJ_ROLE_STAFF, NULL, &err), HJ_ERR_CONFLICT);
	/* promoting an existing account keeps its password */
	assert_int_equal(hj_account_create_admin(st, &cfg, &cli, "goro@example.jp", NULL, "ignored password", &a,
						 &created, &err),
			 HJ_OK);
	assert_int_equal(created, 0);
	assert_int_equal(a.roles, HJ_ROLE_APPLICANT | HJ_ROLE_STAFF | HJ_ROLE_ADMIN);
	assert_int_equal(hj_account_signin(st, &cfg, &web, "goro@example.jp", "correct horse battery", &f, &wait, &err),
			 HJ_OK);
	/* now there are two: the first may step down */
	assert_int_equal(hj_account_set_roles(st, &adm, admin_id, HJ_ROLE_STAFF, NULL, &err), HJ_OK);
	assert_int_equal(hj_account_list(st, &adm, 1, 2, &json, &err), HJ_OK);
	assert_non_null(strstr(json, "\"page\":1,\"per_page\":2,\"total\":2"));
	assert_non_null(strstr(json, "\"email\":\"goro@example.jp\",\"name\":\"山田 太郎\",\"roles\":[\"applicant\","
				     "\"staff\",\"admin\"],\"disabled\":false"));
	hj_free(json);
	assert_int_equal(count("SELECT COUNT(*) FROM audit_events WHERE action = ?", "account.roles"), 3);
	assert_int_equal(count("SELECT COUNT(*) FROM audit_events WHERE action = ? AND via = 'cli'",
			       "account.create_admin"),
			 1);
	assert_int_equal(hj_role_parse("reviewer"), HJ_ROLE_REVIEWER);
	assert_int_equal(hj_role_parse("root"), 0);
	assert_string_equal(hj_role_name(HJ_ROLE_VENDOR), "vendor");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(hash_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(wrong_password_and_input, setup, teardown),
		cmocka_unit_test_setup_teardown(throttle_boundary, setup, teardown),
		cmocka_unit_test_setup_teardown(throttle_parallel, setup, teardown),
		cmocka_unit_test_setup_teardown(session_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(reset_once_and_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(roles_and_admin, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
