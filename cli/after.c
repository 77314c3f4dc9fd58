/*
 * after.c - after adoption from the command line (hojo/after.h;
 * docs/cli.md):
 *   hojo settle APP.json CLAIM.json [--frame F] [--json]   確定額
 *   hojo report APP.json REPORT.json --frame F [--json]    a yearly report against the plan
 *   hojo outcomes --edition E COHORT.json [--csv|--json]   成果目標 over a cohort
 * The documents are JSON (docs/after.md). Errors name the file and field
 * (exit 1, as every input error of hojo).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "hojo.h"
#include "hojo/after.h"

#define MAX_DOC (64 << 20)

/* Read a whole file; EXIT_* on failure (printed). */
static int slurp(const char *path, char **out, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		fprintf(stderr, "hojo: 入力エラー: %s: ファイルを開けません\n", path);
		return EXIT_INPUT;
	}
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap + 1);
	while (buf) {
		size_t r = fread(buf + n, 1, cap - n, fp);
		n += r;
		if (n < cap)
			break;
		if (cap >= MAX_DOC) {
			fclose(fp);
			free(buf);
			fprintf(stderr, "hojo: 入力エラー: %s: 大きすぎます（64MiB まで）\n", path);
			return EXIT_INPUT;
		}
		cap *= 2;
		char *nb = realloc(buf, cap + 1);
		if (!nb)
			free(buf);
		buf = nb;
	}
	int bad = ferror(fp);
	fclose(fp);
	if (!buf)
		return cli_nomem();
	if (bad) {
		free(buf);
		fprintf(stderr, "hojo: 入力エラー: %s: 読めません\n", path);
		return EXIT_INPUT;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return EXIT_DONE;
}

/* Report a library error with the document's path in place of its role
 * ("claim", "application", …). */
static int fail_in(hj_error *err, const char *const *roles, const char *const *paths, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(err->file, roles[i]) || (!err->file[0] && i == n - 1)) {
			snprintf(err->file, sizeof err->file, "%s", paths[i]);
			break;
		}
	return cli_fail(err);
}

/* The engine's answer 's' (taken): printed as it is with --json (*j
 * stays NULL; the exit code is returned), else parsed into *j for the
 * text (0; out of memory is its exit code). */
static int take_answer(const opts *o, char *s, json_t **j)
{
	*j = NULL;
	if (o->json)
		return cli_string_out(s);
	*j = s ? json_loads(s, 0, NULL) : NULL;
	hj_free(s);
	return *j ? 0 : cli_nomem();
}

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static void yen(json_t *o, const char *k, char *buf, size_t size)
{
	json_t *v = json_object_get(o, k);
	if (json_is_integer(v))
		hj_yen_format(json_integer_value(v), buf, size);
	else
		snprintf(buf, size, "—");
}

/* hojo settle APP.json CLAIM.json */
int cmd_settle(opts *o, hj_rulebook *rb)
{
	char *app = NULL, *claim = NULL, *res = NULL;
	size_t al, cl;
	int rc;
	if ((rc = slurp(o->args[0], &app, &al)) || (rc = slurp(o->args[1], &claim, &cl)))
		goto out;
	const char *fid = o->frame;
	json_t *cj = json_loads(claim, 0, NULL);
	char fbuf[128] = "";
	if (!fid && cj && json_is_string(json_object_get(cj, "frame"))) {
		snprintf(fbuf, sizeof fbuf, "%s", json_string_value(json_object_get(cj, "frame")));
		fid = fbuf;
	}
	json_decref(cj);
	if (!fid) {
		fprintf(stderr, "hojo: 入力エラー: %s: frame: 枠を --frame か請求の \"frame\" で指定してください\n",
			o->args[1]);
		rc = EXIT_INPUT;
		goto out;
	}
	const hj_frame *f;
	if ((rc = cli_find_frame(rb, fid, &f)))
		goto out;
	hj_error err;
	if (hj_settle_json(rb, f, app, al, claim, cl, &res, &err)) {
		const char *roles[] = { "application", "claim" };
		rc = fail_in(&err, roles, (const char *const *)o->args, 2);
		goto out;
	}
	json_t *j;
	rc = take_answer(o, res, &j);
	res = NULL;
	if (!j)
		goto out;
	char a[64], b[64], line[1400];
	printf("■ 確定額の計算 [%s]\n", jstr(j, "frame"));
	yen(j, "granted", a, sizeof a);
	cli_kv(stdout, "  交付決定額", a, 40);
	printf("  事業実施期間 %s 〜 %s\n", jstr(j, "granted_on"), jstr(j, "period_end"));
	json_t *lines = json_object_get(j, "lines");
	size_t i;
	json_t *l;
	printf("  経費の行\n");
	json_array_foreach(lines, i, l) {
		yen(l, "amount", a, sizeof a);
		yen(l, "counted", b, sizeof b);
		const char *mark = json_is_true(json_object_get(l, "ok")) ? (json_integer_value(json_object_get(l, "counted")) ? "○" : "×") : "×";
		snprintf(line, sizeof line, "%s %zu. %s %s 請求 %s → 計上 %s%s%s%s%s%s%s", mark, i + 1, jstr(l, "category_name"),
			 jstr(l, "description"), a, b, *jstr(l, "reason") ? "（" : "", jstr(l, "reason"),
			 *jstr(l, "source") ? "、" : "", jstr(l, "source"), *jstr(l, "reason") ? "）" : "",
			 *jstr(l, "staff_reason") ? "" : "");
		cli_wrap(stdout, line, 4, 80);
		if (*jstr(l, "staff_reason")) {
			snprintf(line, sizeof line, "検査: %s（%s）", jstr(l, "decision"), jstr(l, "staff_reason"));
			cli_wrap(stdout, line, 8, 80);
		}
	}
	printf("  計算\n");
	json_array_foreach(json_object_get(j, "explanation"), i, l) {
		snprintf(line, sizeof line, "%s: %s%s%s%s", jstr(l, "text"), jstr(l, "values"), *jstr(l, "source") ? "（" : "",
			 jstr(l, "source"), *jstr(l, "source") ? "）" : "");
		cli_wrap(stdout, line, 4, 80);
	}
	json_array_foreach(json_object_get(j, "warnings"), i, l) {
		snprintf(line, sizeof line, "注意: %s", json_string_value(l));
		cli_wrap(stdout, line, 2, 80);
	}
	yen(j, "settled", a, sizeof a);
	cli_kv(stdout, "  確定額", a, 40);
	json_decref(j);
	rc = EXIT_DONE;
out:
	hj_free(res);
	free(app);
	free(claim);
	return rc;
}

/* hojo report APP.json REPORT.json --frame F */
int cmd_report(opts *o, hj_rulebook *rb)
{
	char *app = NULL, *rep = NULL, *res = NULL, *plan = NULL;
	size_t al, rl;
	int rc;
	if ((rc = slurp(o->args[0], &app, &al)) || (rc = slurp(o->args[1], &rep, &rl)))
		goto out;
	if (!o->frame) {
		fprintf(stderr, "hojo: 入力エラー: --frame: 計画の要件を確かめる枠を指定してください\n");
		rc = EXIT_INPUT;
		goto out;
	}
	const hj_frame *f;
	if ((rc = cli_find_frame(rb, o->frame, &f)))
		goto out;
	json_error_t je;
	json_t *aj = json_loads(app, JSON_REJECT_DUPLICATES, &je);
	json_t *pj = aj ? json_object_get(aj, "plan") : NULL;
	if (!json_is_object(pj)) {
		fprintf(stderr, "hojo: 入力エラー: %s: plan: 申請（JSON）に承認された計画 \"plan\" がありません\n", o->args[0]);
		json_decref(aj);
		rc = EXIT_INPUT;
		goto out;
	}
	json_decref(aj);
	hj_error err;
	/* the whole application: its facts say which requirements apply */
	if (hj_report_compare_json(rb, f, app, al, rep, rl, &res, &err)) {
		const char *roles[] = { "plan", "report" };
		rc = fail_in(&err, roles, (const char *const *)o->args, 2);
		goto out;
	}
	json_t *j;
	rc = take_answer(o, res, &j);
	res = NULL;
	if (!j)
		goto out;
	char a[64], b[64], c[64], line[1400];
	printf("■ %lld年後の報告（決算期末 %s）と計画 [%s]\n", (long long)json_integer_value(json_object_get(j, "year")),
	       jstr(j, "fiscal_year_end"), jstr(j, "frame"));
	size_t i;
	json_t *l;
	json_array_foreach(json_object_get(j, "vs_plan"), i, l) {
		yen(l, "plan", a, sizeof a);
		yen(l, "actual", b, sizeof b);
		yen(l, "diff", c, sizeof c);
		snprintf(line, sizeof line, "%s: 計画 %s、実績 %s（差 %s）", jstr(l, "name"), a, b, c);
		cli_wrap(stdout, line, 2, 80);
	}
	printf("  要件\n");
	json_array_foreach(json_object_get(j, "requirements"), i, l) {
		const char *s = jstr(l, "status");
		snprintf(line, sizeof line, "%s %s: %s（%s）", !strcmp(s, "met") ? "○ 達成" : !strcmp(s, "not_met") ? "× 未達" : "… 判定前",
			 jstr(l, "text"), jstr(l, "detail"), jstr(l, "source"));
		cli_wrap(stdout, line, 4, 80);
	}
	json_t *cons = json_object_get(j, "consequences");
	if (json_is_object(cons)) {
		snprintf(line, sizeof line, "未達の帰結: 規則にありません（%s）", jstr(cons, "note"));
		cli_wrap(stdout, line, 2, 80);
	}
	json_decref(j);
	rc = EXIT_DONE;
out:
	hj_free(res);
	free(plan);
	free(app);
	free(rep);
	return rc;
}

/* hojo outcomes --edition E COHORT.json */
int cmd_outcomes(opts *o, hj_rulebook *rb)
{
	char *in = NULL, *res = NULL;
	size_t len;
	int rc;
	if (!o->edition) {
		fprintf(stderr, "hojo: 入力エラー: --edition: 版を指定してください（例: mono-r2）\n");
		return EXIT_INPUT;
	}
	const hj_edition *e = NULL;
	for (int p = 0; p < hj_rulebook_nprograms(rb); p++)
		for (int k = 0; k < hj_program_neditions(hj_rulebook_program(rb, p)); k++)
			if (!strcmp(hj_edition_id(hj_program_edition(hj_rulebook_program(rb, p), k)), o->edition))
				e = hj_program_edition(hj_rulebook_program(rb, p), k);
	if (!e) {
		fprintf(stderr, "hojo: 入力エラー: --edition: 未知の版 '%s'\n", o->edition);
		return EXIT_INPUT;
	}
	if ((rc = slurp(o->args[0], &in, &len)))
		return rc;
	hj_error err;
	if (hj_outcomes_json(rb, e, in, len, &res, &err)) {
		const char *roles[] = { "cohort" };
		rc = fail_in(&err, roles, (const char *const *)o->args, 1);
		goto out;
	}
	json_t *j;
	rc = take_answer(o, res, &j);
	res = NULL;
	if (!j)
		goto out;
	size_t i;
	json_t *l;
	if (o->csv) {
		printf("id,目標,目標値,実績,達成,対象者数,年限,出典\n");
		json_array_foreach(json_object_get(j, "outcomes"), i, l) {
			json_t *t = json_object_get(l, "target"), *met = json_object_get(l, "met");
			const char *tv = jstr(t, "at_least");
			if (!*tv)
				tv = jstr(t, "above");
			if (!*tv)
				tv = jstr(t, "annual");
			if (!*tv)
				tv = jstr(t, "total");
			char n[32], h[32];
			snprintf(n, sizeof n, "%lld", (long long)json_integer_value(json_object_get(l, "n")));
			snprintf(h, sizeof h, "%lld", (long long)json_integer_value(json_object_get(l, "horizon_years")));
			cli_csv_cell(jstr(l, "id"));
			putchar(',');
			cli_csv_cell(jstr(l, "text"));
			putchar(',');
			cli_csv_cell(tv);
			putchar(',');
			cli_csv_cell(jstr(l, "value_text"));
			putchar(',');
			cli_csv_cell(json_is_null(met) || !met ? "" : json_is_true(met) ? "達成" : "未達");
			putchar(',');
			cli_csv_cell(n);
			putchar(',');
			cli_csv_cell(json_is_integer(json_object_get(l, "horizon_years")) ? h : "");
			putchar(',');
			cli_csv_cell(jstr(l, "source"));
			putchar('\n');
		}
	} else {
		char line[1400];
		printf("■ 成果目標 [%s]（補助事業者 %lld 者）\n", jstr(j, "edition"),
		       (long long)json_integer_value(json_object_get(j, "grantees")));
		json_array_foreach(json_object_get(j, "outcomes"), i, l) {
			json_t *met = json_object_get(l, "met");
			snprintf(line, sizeof line, "%s %s: %s（%lld 者の報告による、%s）",
				 json_is_true(met) ? "○" : json_is_false(met) ? "×" : "…", jstr(l, "text"),
				 json_is_null(json_object_get(l, "value")) ? "まだ測れません" : jstr(l, "value_text"),
				 (long long)json_integer_value(json_object_get(l, "n")), jstr(l, "source"));
			cli_wrap(stdout, line, 2, 80);
		}
	}
	json_decref(j);
	rc = EXIT_DONE;
out:
	hj_free(res);
	free(in);
	return rc;
}
