/*
 * admin.c - 'hojo admin SUBCOMMAND': operating the store (docs/cli.md,
 * docs/store.md). The subcommands are rows of the table below; each gets
 * the options and an open store (--db URL, default sqlite:var/hojo.db,
 * migrated on opening). Add a row (and a line of docs/cli.md) for a new
 * one.
 */
#include <stdio.h>
#include <string.h>
#include "hojo.h"
#include "hojo/store.h"

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

static const admin_cmd admin_cmds[] = {
	{ "backup", admin_backup, 1, 1, 0, "admin backup FILE [--db URL]" },
	{ "restore", admin_restore, 1, 1, 1, "admin restore FILE --db URL" },
	{ "migrate", admin_migrate, 0, 0, 0, "admin migrate [--db URL]" },
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
