/*
 * admin.c - 'hojo admin SUBCOMMAND': operating the store (docs/cli.md,
 * docs/store.md). The subcommands are rows of the table below; each gets
 * the options and an open store (--db URL, default sqlite:var/hojo.db,
 * migrated on opening). Add a row (and a line of docs/cli.md) for a new
 * one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "hojo.h"
#include "hojo/store.h"
#include "hojo/grants/accounts.h"
#include "demo.h"

#define DEFAULT_DB "sqlite:var/hojo.db"

typedef struct admin_cmd {
	const char *name;
	int (*run)(opts *o, hj_store *st); /* o->args[0] is the subcommand */
	int min_args, max_args;            /* after the subcommand */
	int need_db;                       /* 1: --db must be given */
	const char *usage;
} admin_cmd;

/* Exit code of a store failure: what the user can fix is 1 (input). */
static int admin_fail(const char *sub, const hj_error *err)
{
	char buf[1600];
	hj_error_format(err, buf, sizeof buf);
	fprintf(stderr, "hojo admin %s: %s: %s\n", sub, hj_status_name(err->status), buf);
	switch (err->status) {
	case HJ_ERR_INPUT:
	case HJ_ERR_RANGE:
	case HJ_ERR_CONFLICT:
	case HJ_ERR_NOT_FOUND:
	case HJ_ERR_DENIED:
	case HJ_ERR_AUTH: return EXIT_INPUT;
	default: return EXIT_INTERNAL;
	}
}

static int admin_backup(opts *o, hj_store *st)
{
	hj_error err;
	if (hj_store_backup(st, o->args[1], &err))
		return admin_fail("backup", &err);
	fprintf(stderr, "hojo admin backup: %s のバックアップを %s に書きました（スキーマ版 %d）\n", hj_store_kind(st),
		o->args[1], hj_store_schema_version(st));
	return EXIT_DONE;
}

static int admin_restore(opts *o, hj_store *st)
{
	hj_error err;
	if (hj_store_restore(st, o->args[1], &err))
		return admin_fail("restore", &err);
	fprintf(stderr, "hojo admin restore: %s を %s に戻しました\n", o->args[1], hj_store_kind(st));
	return EXIT_DONE;
}

static int admin_migrate(opts *o, hj_store *st)
{
	(void)o;
	/* opening migrated it */
	printf("%d\n", hj_store_schema_version(st));
	fprintf(stderr, "hojo admin migrate: %s のスキーマ版は %d です（マイグレーションは適用済み）\n", hj_store_kind(st),
		hj_store_schema_version(st));
	return EXIT_DONE;
}

/* The password of create-admin: $HOJO_ADMIN_PASSWORD, else the first
 * line of standard input (asked for without echo on a terminal). */
static int read_password(char *buf, size_t size)
{
	const char *env = getenv("HOJO_ADMIN_PASSWORD");
	if (env) {
		snprintf(buf, size, "%s", env);
		return 0;
	}
	int tty = isatty(STDIN_FILENO);
	struct termios old, quiet;
	if (tty && !tcgetattr(STDIN_FILENO, &old)) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
		fprintf(stderr, "パスワード（10文字以上）: ");
	} else
		tty = 0;
	char *ok = fgets(buf, (int)size, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (!ok)
		return -1;
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

static int admin_create_admin(opts *o, hj_store *st)
{
	char pw[HJ_PASSWORD_MAX + 2];
	if (read_password(pw, sizeof pw)) {
		fprintf(stderr, "hojo admin create-admin: 入力エラー: パスワードを標準入力か HOJO_ADMIN_PASSWORD で渡してください\n");
		return EXIT_INPUT;
	}
	hj_actor who;
	memset(&who, 0, sizeof who);
	snprintf(who.via, sizeof who.via, "cli");
	hj_account a;
	int created = 0;
	hj_error err;
	hj_status s = hj_account_create_admin(st, NULL, &who, o->args[1], o->name, pw, &a, &created, &err);
	memset(pw, 0, sizeof pw);
	if (s)
		return admin_fail("create-admin", &err);
	printf("%lld\n", (long long)a.id);
	if (created)
		fprintf(stderr, "hojo admin create-admin: 管理者 %s（%s、アカウント %lld）を作りました\n", a.email, a.name,
			(long long)a.id);
	else
		fprintf(stderr,
			"hojo admin create-admin: 既にあるアカウント %s（%lld）を管理者にしました（パスワードは変わりません）\n",
			a.email, (long long)a.id);
	return EXIT_DONE;
}

static const admin_cmd admin_cmds[] = {
	{ "backup", admin_backup, 1, 1, 0, "admin backup FILE [--db URL]" },
	{ "restore", admin_restore, 1, 1, 1, "admin restore FILE --db URL" },
	{ "migrate", admin_migrate, 0, 0, 0, "admin migrate [--db URL]" },
	{ "create-admin", admin_create_admin, 1, 1, 0, "admin create-admin EMAIL [--name NAME] [--db URL]" },
	{ "demo", admin_demo, 0, 0, 0, "admin demo [--db URL] [--rules DIR]" },
	{ NULL, NULL, 0, 0, 0, NULL }
};

static int admin_usage(void)
{
	fprintf(stderr, "hojo: 入力エラー: 使い方:\n");
	for (const admin_cmd *a = admin_cmds; a->name; a++)
		fprintf(stderr, "  hojo %s\n", a->usage);
	return EXIT_INPUT;
}

int cmd_admin(opts *o, hj_rulebook *rb)
{
	(void)rb;
	if (o->nargs < 1)
		return admin_usage();
	const admin_cmd *a = admin_cmds;
	while (a->name && strcmp(a->name, o->args[0]))
		a++;
	if (!a->name) {
		fprintf(stderr, "hojo: 入力エラー: 未知の admin コマンド '%s'\n", o->args[0]);
		return admin_usage();
	}
	if (o->nargs - 1 < a->min_args || o->nargs - 1 > a->max_args || (a->need_db && !o->db)) {
		fprintf(stderr, "hojo: 入力エラー: 使い方: hojo %s\n", a->usage);
		return EXIT_INPUT;
	}
	hj_store *st;
	hj_error err;
	if (hj_store_open(o->db ? o->db : DEFAULT_DB, 2, &st, &err))
		return admin_fail(a->name, &err);
	int rc = a->run(o, st);
	hj_store_close(st);
	return rc;
}
