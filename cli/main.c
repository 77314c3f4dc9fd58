/*
 * main.c - the hojo command: option parsing and dispatch.
 *
 *   hojo check FILE          every frame of every edition, best first
 *   hojo explain FRAME FILE  each condition, its values and its source
 *   hojo rules [FRAME]       programs, editions, frames, dates, sources
 *   hojo facts               what an input may say
 *   hojo test PATH...        the data-driven rule cases
 *   hojo batch FILE          many applicants (CSV or JSON Lines)
 *   hojo source CITATION     the cited document, and its lines if at hand
 *
 * See docs/cli.md for every option and the exit codes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <limits.h>
#include "hojo.h"

static const char usage[] =
	"使い方: hojo <コマンド> [オプション] [引数]\n"
	"\n"
	"コマンド:\n"
	"  check FILE           申請者（YAML/JSON）について全ての枠を、対象・要確認・対象外の順に、それぞれ補助額の大きい順に示す\n"
	"  explain FRAME FILE   一つの枠について、各条件・見た値・出典を示す\n"
	"  rules [FRAME]        制度・版・枠・期間・出典の一覧（FRAME を付けると詳細）\n"
	"  facts                入力に書ける項目の一覧\n"
	"  test PATH...         規則のテストケース（tests/cases）を実行する\n"
	"  batch FILE           多数の申請者（CSV / JSON Lines）を一行ずつ判定する\n"
	"  diff FILE            二つの規則集（--rules A --rules B）で申請者ごと・枠ごとの補助額を比べる\n"
	"  group FILE           連携体・共同申請（構成員のリスト）を連携体の枠で判定する\n"
	"  plan FILE            事業計画（付加価値額・給与支給総額・最低賃金など）を枠の要件で確認する\n"
	"  expenses FILE        経費の行を枠ごとに仕分け、対象の経費で補助額を計算する\n"
	"  source 出典          出典（例: \"seed 002:34\"）の資料名と、資料の本文があれば該当行を示す\n"
	"  serve                HTTP の API とページを提供する（既定 127.0.0.1:8080。docs/api.md）\n"
	"  admin 操作           データベースの管理: backup FILE / restore FILE / migrate / create-admin EMAIL\n"
	"                       （--db URL。docs/store.md）\n"
	"  select FILE.csv      採点済みの申請（CSV）を予算・採択枠の範囲で選抜し、枠ごとの採択件数・最終採択点・\n"
	"                       採択額・残りを示す（--budget 枠=円 --slots 枠=件 --tiebreak --rereview --sweep。\n"
	"                       hojo select --help、docs/cli.md）\n"
	"  version              版を表示する\n"
	"\n"
	"オプション:\n"
	"  --date YYYY-MM-DD    その日に受付中の版・枠だけを対象にする（既定: 入力の date、なければ全て）\n"
	"  --program ID         制度を絞る（例: monodukuri）\n"
	"  --edition ID         版を絞る（例: mono-r5）\n"
	"  --json               JSON で出力する（docs/json.md）\n"
	"  --pretty             JSON を字下げして出力する\n"
	"  --all                check: 満たさない・未確定の条件を全て示す（既定は各枠3つまで）\n"
	"  --frame ID           group, plan, expenses: 一つの枠だけを判定する\n"
	"  --with FILE          plan: CSV の計画に申請者の入力（YAML/JSON）を合わせる\n"
	"  --csv                plan: 計画表を CSV で出力する。batch --summary: 業種別・規模区分別の集計を CSV で出力する\n"
	"  --xlsx OUT           plan: 計画表と判定を Excel ファイルに書き出す\n"
	"  --summary            batch: 申請者ごと（最善の枠）と枠ごとの件数・補助額の合計だけを出す\n"
	"  --format jsonl|csv   batch: 出力形式（既定 jsonl）。diff: text（既定）か csv\n"
	"  --input-format csv|jsonl  batch, diff: 入力形式（既定: 拡張子で判断）\n"
	"  --column 列=事実     batch, diff: CSV の列名を事実名（または id, name, date）に対応させる（何度でも）\n"
	"  --ignore-extra-columns  batch, diff: 規則集にない CSV の列を読み飛ばす（既定はエラー）\n"
	"  --listen ADDR:PORT   serve: 待ち受けるアドレスとポート（既定 127.0.0.1:8080、ポート 0 で空きポート）\n"
	"  --web DIR            serve: ページのファイルの置き場所（既定: 同梱の web/）\n"
	"  --name NAME          admin create-admin: 管理者の氏名（既定 管理者）\n"
	"  --db URL             serve: データベース（sqlite:ファイル または postgres:接続文字列、既定 sqlite:var/hojo.db）\n"
	"  --rules DIR          別の規則集を使う（既定: $HOJO_RULES、なければ同梱の rules/）。diff は二つ\n"
	"                       オプションはコマンドの前にも後にも書けます\n"
	"\n"
	"環境変数: COLUMNS（表示の幅、既定 80）、HOJO_RULES（規則集）、HOJO_THREADS（batch --summary のスレッド数）、HOJO_SEEDS・HOJO_FACTS（hojo source が読む資料の置き場所）\n"
	"\n"
	"終了コード: 0 完了、1 入力エラー、2 規則集エラー、3 内部エラー、4 テスト失敗\n";

/* The usage to the terminal's width: a long description wraps under its
 * column, other long lines wrap at the left. */
static void print_usage(FILE *fp)
{
	const char *p = usage;
	char line[600];
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		snprintf(line, sizeof line, "%.*s", (int)n, p);
		const char *d = n > 2 && line[0] == ' ' && line[1] == ' ' && line[2] != ' ' ? strstr(line + 2, "  ") : NULL;
		if (d) {
			while (*d == ' ')
				d++;
			char head[200];
			snprintf(head, sizeof head, "%.*s", (int)(d - line), line);
			fputs(head, fp);
			cli_wrap_from(fp, d, cli_width(head), 80);
		} else if (line[0])
			cli_wrap(fp, line, 0, 80);
		else
			fputc('\n', fp);
		p += n;
		if (*p)
			p++;
	}
}

/* Each command with its number of arguments and its usage line. */
typedef struct command {
	const char *name;
	int (*run)(opts *o, hj_rulebook *rb);
	int min_args, max_args;
	const char *usage;
} command;

static const command commands[] = {
	{ "check", cmd_check, 1, 1, "check FILE [--json] [--date YYYY-MM-DD]" },
	{ "explain", cmd_explain, 2, 2, "explain FRAME FILE [--json]" },
	{ "rules", cmd_rules, 0, 1, "rules [FRAME] [--program ID] [--json]" },
	{ "facts", cmd_facts, 0, 0, "facts" },
	{ "test", cmd_test, 1, 16, "test PATH..." },
	{ "batch", cmd_batch, 1, 1,
	  "batch FILE [--summary [--json|--csv]] [--format jsonl|csv] [--input-format csv|jsonl] [--column 列=事実]... [--ignore-extra-columns]" },
	{ "diff", cmd_diff, 1, 1, "diff FILE --rules A --rules B [--json|--format csv] [--column 列=事実]..." },
	{ "group", cmd_group, 1, 1, "group FILE [--frame ID] [--date D] [--json]" },
	{ "plan", cmd_plan, 1, 1, "plan FILE [--with APPLICANT] [--frame ID] [--json|--csv|--xlsx OUT]" },
	{ "expenses", cmd_expenses, 1, 1, "expenses FILE [--frame ID] [--json]" },
	{ "source", cmd_source, 1, 16, "source \"seed 002:34\"..." },
	{ "serve", cmd_serve, 0, 0, "serve [--listen 127.0.0.1:8080] [--rules DIR] [--web DIR] [--db URL]" },
	{ "admin", cmd_admin, 1, 16, "admin backup FILE [--db URL] | admin restore FILE --db URL | admin migrate [--db URL] | "
			      "admin create-admin EMAIL [--name NAME] [--db URL]" },
	{ NULL, NULL, 0, 0, NULL }
};

int cli_exit_code(hj_status st)
{
	switch (st) {
	case HJ_OK: return EXIT_DONE;
	case HJ_ERR_INPUT:
	case HJ_ERR_RANGE: return EXIT_INPUT;
	case HJ_ERR_RULEBOOK: return EXIT_RULEBOOK;
	default: return EXIT_INTERNAL;
	}
}

int cli_nomem(void)
{
	fprintf(stderr, "hojo: %s: メモリが足りません\n", hj_status_name(HJ_ERR_NOMEM));
	return EXIT_INTERNAL;
}

int cli_fail(const hj_error *err)
{
	char buf[1600];
	hj_error_format(err, buf, sizeof buf);
	fprintf(stderr, "hojo: %s: %s\n", hj_status_name(err->status), buf);
	return cli_exit_code(err->status);
}

/* <directory of the binary>/REL in 'buf'; 1 when that path is readable. */
int cli_beside_binary(const char *rel, char *buf, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return 0;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	snprintf(buf, size, "%s/%s", exe, rel);
	return access(buf, R_OK) == 0;
}

/* The default rulebook: $HOJO_RULES, else <exe>/../rules, else ./rules. */
static const char *default_rules(void)
{
	static char path[PATH_MAX];
	const char *env = getenv("HOJO_RULES");
	if (env && *env)
		return env;
	if (cli_beside_binary("../rules/rulebook.yaml", path, sizeof path) &&
	    cli_beside_binary("../rules", path, sizeof path))
		return path;
	return "rules";
}

const char *cli_rules_dir(const opts *o)
{
	return o->rules ? o->rules : default_rules();
}

int cli_load_rules(const opts *o, hj_rulebook **rb)
{
	hj_error err;
	const char *dir = cli_rules_dir(o);
	if (hj_rulebook_load(dir, rb, &err) != HJ_OK)
		return cli_fail(&err);
	return EXIT_DONE;
}

int cli_load_input(opts *o, const hj_rulebook *rb, const char *path, hj_facts **f)
{
	hj_error err;
	if (hj_facts_new(rb, f))
		return cli_nomem();
	if (hj_facts_load_file(*f, path, &err))
		return cli_fail(&err);
	/* the application date in the input selects editions unless --date */
	if (!o->date_given && hj_facts_date(*f, &o->sel.date))
		o->sel.has_date = 1;
	return EXIT_DONE;
}

/* " もしかして 'x'？" when 'word' is near one of 'names' (n of them). */
static const char *guess(const char *word, const char *const *names, int n, char *buf, size_t size)
{
	int k = hj_suggest(word, strlen(word), names, n);
	if (k < 0)
		return "";
	snprintf(buf, size, "もしかして '%s'？", names[k]);
	return buf;
}

/* --program and --edition name a program and an edition of the rulebook
 * (of that program, when both are given); else an input error listing
 * the valid ids. */
static int check_selection(const opts *o, const hj_rulebook *rb)
{
	const char *ids[512];
	int n = 0, found = 0;
	const hj_program *prog = NULL;
	char list[4096] = "", buf[200];
	size_t at = 0;
	if (o->program) {
		for (int i = 0; i < hj_rulebook_nprograms(rb) && n < 512; i++) {
			const hj_program *p = hj_rulebook_program(rb, i);
			ids[n++] = hj_program_id(p);
			if (!strcmp(o->program, hj_program_id(p)))
				prog = p, found = 1;
		}
		if (!found) {
			for (int i = 0; i < n && at < sizeof list; i++)
				at += (size_t)snprintf(list + at, sizeof list - at, "%s%s", i ? ", " : "", ids[i]);
			const char *g = guess(o->program, ids, n, buf, sizeof buf);
			fprintf(stderr, "hojo: 入力エラー: --program: 未知の制度 '%s'（%s%s使える制度: %s）\n", o->program, g,
				*g ? " " : "", list);
			return EXIT_INPUT;
		}
	}
	if (!o->edition)
		return EXIT_DONE;
	n = 0;
	found = 0;
	for (int i = 0; i < hj_rulebook_nprograms(rb); i++) {
		const hj_program *p = hj_rulebook_program(rb, i);
		if (prog && p != prog)
			continue;
		for (int k = 0; k < hj_program_neditions(p) && n < 512; k++) {
			ids[n++] = hj_edition_id(hj_program_edition(p, k));
			found |= !strcmp(o->edition, ids[n - 1]);
		}
	}
	if (found)
		return EXIT_DONE;
	at = 0;
	for (int i = 0; i < n && at < sizeof list; i++)
		at += (size_t)snprintf(list + at, sizeof list - at, "%s%s", i ? ", " : "", ids[i]);
	const char *g = guess(o->edition, ids, n, buf, sizeof buf);
	if (prog)
		fprintf(stderr, "hojo: 入力エラー: --edition: 制度 %s に版 '%s' はありません（%s%s使える版: %s）\n",
			o->program, o->edition, g, *g ? " " : "", list);
	else
		fprintf(stderr, "hojo: 入力エラー: --edition: 未知の版 '%s'（%s%s使える版: %s）\n", o->edition, g,
			*g ? " " : "", list);
	return EXIT_INPUT;
}

int cli_find_frame(const hj_rulebook *rb, const char *id, const hj_frame **out)
{
	*out = hj_rulebook_find_frame(rb, id);
	if (*out)
		return EXIT_DONE;
	int n = hj_rulebook_nframes(rb);
	const char **ids = malloc((size_t)(n ? n : 1) * sizeof *ids);
	char buf[200] = "";
	const char *g = "";
	if (ids) {
		for (int i = 0; i < n; i++)
			ids[i] = hj_frame_id(hj_rulebook_frame(rb, i));
		g = guess(id, ids, n, buf, sizeof buf);
	}
	fprintf(stderr, "hojo: 入力エラー: 未知の枠 '%s'（%s%shojo rules で一覧できます）\n", id, g, *g ? " " : "");
	free(ids);
	return EXIT_INPUT;
}

static int need_value(int argc, char **argv, int i)
{
	if (i + 1 >= argc || !argv[i + 1][0]) {
		fprintf(stderr, "hojo: 入力エラー: %s には値が必要です\n", argv[i]);
		return 0;
	}
	return 1;
}

/* Options taking a value, and options alone (for "did you mean"). */
static const char *const value_opts[] = { "--rules", "--program", "--edition", "--date", "--format", "--frame",
					  "--with", "--xlsx", "--input-format", "--column", "--listen", "--web", "--db", "--name", NULL };
static const char *const known_opts[] = { "--json", "--pretty", "--summary", "--all", "--csv", "--rules",
					  "--program", "--edition", "--date", "--format", "--frame", "--with",
					  "--xlsx", "--help", "--input-format", "--column", "--ignore-extra-columns", "--listen", "--web", "--db", "--name" };

static int is_value_opt(const char *a)
{
	for (int k = 0; value_opts[k]; k++)
		if (!strcmp(a, value_opts[k]))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	opts o;
	memset(&o, 0, sizeof o);
	if (argc < 2) {
		print_usage(stderr);
		return EXIT_INPUT;
	}
	/* The command is the first argument that is neither an option nor an
	 * option's value: global options may come before it or after it
	 * (hojo --rules D batch FILE = hojo batch FILE --rules D). */
	int ci = 0;
	for (int i = 1; i < argc && !ci; i++) {
		if (is_value_opt(argv[i]))
			i++;
		else if (argv[i][0] != '-' || !argv[i][1])
			ci = i;
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			print_usage(stdout);
			return EXIT_DONE;
		} else if (!strcmp(argv[i], "--version")) {
			printf("hojo %s\n", HJ_VERSION);
			return EXIT_DONE;
		}
	}
	const char *cmd = ci ? argv[ci] : "";
	if (!strcmp(cmd, "help")) {
		print_usage(stdout);
		return EXIT_DONE;
	}
	if (!strcmp(cmd, "version")) {
		printf("hojo %s\n", HJ_VERSION);
		return EXIT_DONE;
	}
	if (!strcmp(cmd, "select")) /* its own options (budgets, slots), no rulebook */
		return cmd_select(argc, argv, ci);
	const command *c = commands;
	while (c->name && strcmp(c->name, cmd))
		c++;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (i == ci)
			continue;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			/* hojo CMD --help: the command's usage, then every option */
			if (c->name)
				printf("使い方: hojo %s\n\n", c->usage);
			print_usage(stdout);
			return EXIT_DONE;
		}
		if (!strcmp(a, "--json"))
			o.json = 1;
		else if (!strcmp(a, "--pretty"))
			o.json = o.pretty = 1;
		else if (!strcmp(a, "--summary"))
			o.summary = 1;
		else if (!strcmp(a, "--all"))
			o.all = 1;
		else if (!strcmp(a, "--csv"))
			o.csv = 1;
		else if (!strcmp(a, "--ignore-extra-columns"))
			o.ignore_extra = 1;
		else if (is_value_opt(a)) {
			if (!need_value(argc, argv, i))
				return EXIT_INPUT;
			const char *v = argv[++i];
			if (!strcmp(a, "--rules")) {
				/* twice only for hojo diff (rulebooks A and B) */
				if (o.rules && o.rules2) {
					fprintf(stderr, "hojo: 入力エラー: --rules は二つまでです（hojo diff）\n");
					return EXIT_INPUT;
				}
				if (o.rules)
					o.rules2 = v;
				else
					o.rules = v;
			} else if (!strcmp(a, "--program"))
				o.program = v;
			else if (!strcmp(a, "--edition"))
				o.edition = v;
			else if (!strcmp(a, "--format"))
				o.format = v;
			else if (!strcmp(a, "--input-format"))
				o.input_format = v;
			else if (!strcmp(a, "--column")) {
				const char *eq = strchr(v, '=');
				if (!eq || eq == v || !eq[1]) {
					fprintf(stderr, "hojo: 入力エラー: --column は 列名=事実名 です（例: --column 従業員数=employees）: '%s'\n", v);
					return EXIT_INPUT;
				}
				if (o.ncolumns >= (int)(sizeof o.columns / sizeof *o.columns)) {
					fprintf(stderr, "hojo: 入力エラー: --column が多すぎます\n");
					return EXIT_INPUT;
				}
				o.columns[o.ncolumns++] = v;
			} else if (!strcmp(a, "--frame"))
				o.frame = v;
			else if (!strcmp(a, "--with"))
				o.with = v;
			else if (!strcmp(a, "--xlsx"))
				o.xlsx = v;
			else if (!strcmp(a, "--listen"))
				o.listen = v;
			else if (!strcmp(a, "--web"))
				o.web = v;
			else if (!strcmp(a, "--db"))
				o.db = v;
			else if (!strcmp(a, "--name"))
				o.name = v;
			else {
				hj_error err;
				if (hj_date_parse(v, strlen(v), &o.sel.date, &err)) {
					fprintf(stderr, "hojo: 入力エラー: --date: %s\n", err.message);
					return EXIT_INPUT;
				}
				o.sel.has_date = 1;
				o.date_given = 1;
			}
		} else if (a[0] == '-' && a[1]) {
			char buf[120];
			const char *g = guess(a, known_opts, (int)(sizeof known_opts / sizeof *known_opts), buf, sizeof buf);
			fprintf(stderr, "hojo: 入力エラー: 未知のオプション '%s'（%s%shojo help を参照）\n", a, g,
				*g ? " " : "");
			return EXIT_INPUT;
		} else {
			if (o.nargs >= 16) {
				fprintf(stderr, "hojo: 入力エラー: 引数が多すぎます\n");
				return EXIT_INPUT;
			}
			o.args[o.nargs++] = a;
		}
	}
	o.sel.program = o.program;
	o.sel.edition = o.edition;
	if (!c->name) {
		if (!ci) {
			print_usage(stderr);
			return EXIT_INPUT;
		}
		const char *names[sizeof commands / sizeof *commands + 1];
		int n = 0;
		for (const command *k = commands; k->name; k++)
			names[n++] = k->name;
		names[n++] = "version";
		char buf[120];
		const char *g = guess(cmd, names, n, buf, sizeof buf);
		fprintf(stderr, "hojo: 入力エラー: 未知のコマンド '%s'%s%s%s\n\n%s", cmd, *g ? "（" : "", g,
			*g ? "）" : "", usage);
		return EXIT_INPUT;
	}
	if (o.nargs < c->min_args || o.nargs > c->max_args) {
		fprintf(stderr, "hojo: 入力エラー: 使い方: hojo %s\n", c->usage);
		return EXIT_INPUT;
	}
	if (o.rules2 && c->run != cmd_diff) {
		fprintf(stderr, "hojo: 入力エラー: --rules を二つ書けるのは hojo diff だけです\n");
		return EXIT_INPUT;
	}
	if (c->run == cmd_diff)
		return cmd_diff(&o, NULL);
	if (c->run == cmd_admin) /* the store, not the rulebook */
		return cmd_admin(&o, NULL);
	hj_rulebook *rb;
	int rc = cli_load_rules(&o, &rb);
	if (rc)
		return rc;
	rc = check_selection(&o, rb);
	if (rc) {
		hj_rulebook_free(rb);
		return rc;
	}
	rc = c->run(&o, rb);
	hj_rulebook_free(rb);
	return rc;
}
