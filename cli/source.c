/*
 * source.c - 'hojo source CITATION': the document a citation names
 * (rules/sources.yaml) and, when the seed and facts texts are at hand,
 * the cited lines with a little context.
 *
 * The texts are looked for in $HOJO_SEEDS (and $HOJO_FACTS, the facts
 * file), else in ../shared beside the repository the rulebook is in
 * (<rules>/../../shared), else beside the binary's repository; this is
 * where tools/check-sources finds them too. When the variable is set, no
 * other place is tried.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <unistd.h>
#include "hojo.h"

#define CONTEXT 2   /* non-blank lines shown before and after */

/* The directory holding 'file' ("seeds" or "facts"), or "" when none. */
static void shared_dir(const hj_rulebook *rb, const char *what, char *out, size_t size)
{
	const char *env = getenv(!strcmp(what, "seeds") ? "HOJO_SEEDS" : "HOJO_FACTS");
	out[0] = '\0';
	if (env && *env) {
		snprintf(out, size, "%s", env);
		if (strcmp(what, "seeds")) {
			/* HOJO_FACTS names the facts file: its directory */
			char *slash = strrchr(out, '/');
			if (slash)
				*slash = '\0';
			else
				snprintf(out, size, ".");
		}
		return;
	}
	char cand[PATH_MAX];
	snprintf(cand, sizeof cand, "%s/../../shared/%s", hj_rulebook_dir(rb), what);
	if (access(cand, R_OK) == 0) {
		snprintf(out, size, "%s", cand);
		return;
	}
	char rel[64];
	snprintf(rel, sizeof rel, "../../shared/%s", what);
	if (cli_beside_binary(rel, cand, sizeof cand))
		snprintf(out, size, "%s", cand);
}

static int blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

/* Read the file's lines (up to 'max'); returns the count, -1 if it cannot be read. */
static int read_lines(const char *path, char ***lines)
{
	FILE *fp = fopen(path, "r");
	if (!fp)
		return -1;
	int n = 0, cap = 0;
	char **v = NULL, buf[8192];
	while (fgets(buf, sizeof buf, fp)) {
		size_t len = strlen(buf);
		while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
			buf[--len] = '\0';
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			char **nv = realloc(v, (size_t)cap * sizeof *nv);
			if (!nv)
				break;
			v = nv;
		}
		v[n] = strdup(buf);
		if (!v[n])
			break;
		n++;
	}
	fclose(fp);
	*lines = v;
	return n;
}

static void free_lines(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void show_line(char **v, int i, int cited)
{
	printf("  %s%5d | %s\n", cited ? ">" : " ", i + 1, v[i]);
}

/* Lines a..b (1-based) with CONTEXT non-blank lines around them. */
static void show_range(char **v, int n, int a, int b)
{
	int from = a - 1, k = 0;
	while (from > 0 && k < CONTEXT)
		if (!blank(v[--from]))
			k++;
	int to = b - 1;
	k = 0;
	while (to < n - 1 && k < CONTEXT)
		if (!blank(v[++to]))
			k++;
	for (int i = from; i <= to; i++)
		if (!blank(v[i]) || (i >= a - 1 && i <= b - 1))
			show_line(v, i, i >= a - 1 && i <= b - 1);
}

/* A facts section: its heading line and the lines up to the next heading of
 * the same or a higher level (at most 40). */
static int show_section(char **v, int n, const char *sec)
{
	size_t sl = strlen(sec);
	for (int i = 0; i < n; i++) {
		const char *p = v[i];
		int level = 0;
		while (*p == '#')
			p++, level++;
		if (!level || *p != ' ' || strncmp(p + 1, sec, sl) || (p[1 + sl] != '.' && p[1 + sl] != ' '))
			continue;
		show_line(v, i, 1);
		int shown = 0;
		for (int j = i + 1; j < n && shown < 40; j++) {
			const char *q = v[j];
			int l2 = 0;
			while (*q == '#')
				q++, l2++;
			if (l2 && l2 <= level && *q == ' ')
				break;
			if (blank(v[j]))
				continue;
			show_line(v, j, 1);
			shown++;
		}
		return 1;
	}
	return 0;
}

static int one(const hj_rulebook *rb, const char *cite)
{
	const hj_document *d = hj_rulebook_cited_document(rb, cite);
	if (!d) {
		fprintf(stderr, "hojo: 入力エラー: 出典 '%s' の資料は規則集（rules/sources.yaml）にありません\n", cite);
		return EXIT_INPUT;
	}
	int seed = !strncmp(cite, "seed ", 5);
	/* another rulebook's own document: its file beside the rulebook */
	int own = !seed && strncmp(cite, "facts ", 6);
	const char *loc = cite + strlen(d->cite);
	int a = 0, b = 0;
	if (seed || (own && *loc == ':')) {
		char *end;
		const char *p = *loc == ':' ? loc : NULL;
		a = b = p ? (int)strtol(p + 1, &end, 10) : 0;
		if (p && *end == '-')
			b = (int)strtol(end + 1, &end, 10);
		if (!p || *end || a < 1 || b < a) {
			fprintf(stderr, "hojo: 入力エラー: 出典 '%s' の形が違います（例: seed 002:34、seed 003:74-86、facts §1a）\n",
				cite);
			return EXIT_INPUT;
		}
	}
	char line[2400];
	snprintf(line, sizeof line, "%s — %s", cite, d->title);
	cli_wrap(stdout, line, 0, 80);
	snprintf(line, sizeof line, "発行: %s", d->issuer);
	cli_wrap(stdout, line, 2, 80);
	snprintf(line, sizeof line, "日付: %s", d->date);
	cli_wrap(stdout, line, 2, 80);
	if (d->address[0]) {
		snprintf(line, sizeof line, "アドレス: %s", d->address);
		cli_wrap(stdout, line, 2, 80);
	}
	if (d->note[0]) {
		snprintf(line, sizeof line, "注: %s", d->note);
		cli_wrap(stdout, line, 2, 80);
	}
	char dir[PATH_MAX], path[PATH_MAX + 300], real[PATH_MAX];
	if (own && !d->file[0]) {
		cli_wrap(stdout, "（この資料の本文のファイルは sources.yaml に書かれていません）", 2, 80);
		return EXIT_DONE;
	}
	if (own)
		snprintf(dir, sizeof dir, "%s", hj_rulebook_dir(rb));
	else
		shared_dir(rb, seed ? "seeds" : "facts", dir, sizeof dir);
	if (dir[0] && realpath(dir, real))
		snprintf(dir, sizeof dir, "%s", real);
	snprintf(path, sizeof path, "%s/%s", dir, d->file);
	char **v = NULL;
	int n = dir[0] ? read_lines(path, &v) : -1;
	if (n < 0) {
		snprintf(line, sizeof line,
			 own ? "（資料の本文 %s が規則集のディレクトリに見つかりません）%.0s"
			     : "（資料の本文 %s が見つかりません。%s で置き場所を指定すると該当行を表示します）",
			 d->file, seed ? "HOJO_SEEDS" : "HOJO_FACTS");
		cli_wrap(stdout, line, 2, 80);
		return EXIT_DONE;
	}
	int rc = EXIT_DONE;
	snprintf(line, sizeof line, "ファイル: %s", path);
	cli_wrap(stdout, line, 2, 80);
	putchar('\n');
	if (seed || (own && a > 0)) {
		if (b > n) {
			fprintf(stderr, "hojo: 入力エラー: %s は %d 行しかありません\n", path, n);
			rc = EXIT_INPUT;
		} else
			show_range(v, n, a, b);
	} else if (!strncmp(cite, "facts §", strlen("facts §"))) {
		if (!show_section(v, n, cite + strlen("facts §"))) {
			fprintf(stderr, "hojo: 入力エラー: %s に節 %s がありません\n", path, cite + strlen("facts "));
			rc = EXIT_INPUT;
		}
	} else {
		/* a data file: its first lines */
		for (int i = 0; i < n && i < 3; i++)
			show_line(v, i, 0);
		if (n > 3)
			printf("  （ほか %d 行）\n", n - 3);
	}
	free_lines(v, n);
	return rc;
}

int cmd_source(opts *o, hj_rulebook *rb)
{
	/* one argument may hold several citations joined by ", "; a citation
	 * typed without quotes (hojo source seed 002:34) comes as two
	 * arguments, "seed" and "002:34", and is put back together */
	int rc = EXIT_DONE;
	char joined[512];
	for (int i = 0; i < o->nargs; i++) {
		const char *p = o->args[i];
		if ((!strcmp(p, "seed") || !strcmp(p, "facts")) && i + 1 < o->nargs) {
			snprintf(joined, sizeof joined, "%s %s", p, o->args[i + 1]);
			p = joined;
			i++;
		}
		int first = i == 0 || (p == joined && i == 1);
		while (*p) {
			const char *e = strstr(p, ", ");
			size_t len = e ? (size_t)(e - p) : strlen(p);
			char cite[256];
			snprintf(cite, sizeof cite, "%.*s", (int)len, p);
			if (rc == EXIT_DONE && !first)
				putchar('\n');
			first = 0;
			int r = one(rb, cite);
			if (r)
				rc = r;
			p += len;
			if (*p)
				p += 2;
		}
	}
	return rc;
}
