/*
 * select.c - 'hojo select': the analyst's question over a CSV of
 * applications with scores (docs/cli.md "hojo select"). With these
 * budgets and slots, which applications are adopted in each frame, at
 * which cut score, for what total, and what is left; with --sweep, how
 * that changes with one frame's budget; with --expect, whether the result
 * is the one a test case computed by hand (tests/selection/).
 *
 * The ranking and adoption are the library's (hj_selection_run); this
 * file reads the CSV and the options, and prints. Scores are read as
 * exact fractions ("72.5" is 145/2), never through a double.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hojo.h"
#include "hojo/alloc.h"
#include "hojo/review.h"

#define SEL_MAX_FRAMES 64
#define SEL_MAX_COLS 40
#define SEL_MAX_TB 8

typedef struct sel_opts {
	const char *file;
	const char *expect;
	const char *tiebreak;
	int json;
	const char *sweep;       /* FRAME=FROM:TO:STEP */
	const char *edition;     /* --edition: re-review rules from the rulebook */
	const char *rules;       /* --rules DIR */
} sel_opts;

typedef struct sel_in {
	hj_sel_frame frames[SEL_MAX_FRAMES];
	char *frame_ids[SEL_MAX_FRAMES];
	int nframes;
	hj_sel_app *apps;
	int64_t napps, cap;
	char *crit_ids[HJ_SEL_MAX_CRIT];
	int ncrit;
	hj_tiebreak_rule tb[SEL_MAX_TB];
	int ntb;
	const char *rr_source[SEL_MAX_FRAMES]; /* frame's re-review from the rulebook: its source */
} sel_in;

static int in_error(const char *file, long line, const char *field, const char *msg)
{
	if (line > 0)
		fprintf(stderr, "hojo: 入力エラー: %s:%ld: %s: %s\n", file, line, field, msg);
	else
		fprintf(stderr, "hojo: 入力エラー: %s: %s: %s\n", file, field, msg);
	return EXIT_INPUT;
}

static int frame_index(sel_in *in, const char *id, size_t len, int add)
{
	for (int f = 0; f < in->nframes; f++)
		if (strlen(in->frame_ids[f]) == len && !memcmp(in->frame_ids[f], id, len))
			return f;
	if (!add || in->nframes >= SEL_MAX_FRAMES || !len)
		return -1;
	char *s = hj_malloc(len + 1);
	if (!s)
		return -1;
	memcpy(s, id, len);
	s[len] = '\0';
	int f = in->nframes++;
	in->frame_ids[f] = s;
	memset(&in->frames[f], 0, sizeof in->frames[f]);
	in->frames[f].id = s;
	in->frames[f].rereview_to = -1;
	in->frames[f].rereview_bonus_id = "";
	return f;
}

/* Split one CSV line in place (double quotes allowed around a field;
 * "" inside quotes is a quote). Returns the number of fields. */
static int csv_split(char *line, char **out, int max)
{
	int n = 0;
	char *p = line;
	for (;;) {
		if (n >= max)
			return max + 1;
		char *w = p;
		out[n++] = w;
		if (*p == '"') {
			p++;
			for (;;) {
				if (!*p)
					break;
				if (*p == '"' && p[1] == '"') {
					*w++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else
					*w++ = *p++;
			}
			while (*p && *p != ',')
				p++;
		} else {
			while (*p && *p != ',')
				*w++ = *p++;
		}
		int more = *p == ',';
		*w = '\0';
		if (!more)
			break;
		p++;
	}
	return n;
}

static void trim(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\r' || s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
	size_t k = 0;
	while (s[k] == ' ')
		k++;
	if (k)
		memmove(s, s + k, n - k + 1);
}

static int parse_i64(const char *s, int64_t *out)
{
	if (!*s)
		return -1;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

static int parse_yen(const char *s, hj_yen *out, char *msg, size_t n)
{
	hj_error e;
	hj_error_clear(&e);
	if (hj_yen_parse(s, strlen(s), out, &e)) {
		snprintf(msg, n, "%s", e.message);
		return -1;
	}
	if (*out < 0) {
		snprintf(msg, n, "金額は 0 以上です（%s）", s);
		return -1;
	}
	return 0;
}

/* An exact score: "72.5", "145/2", "80". */
static int parse_score(const char *s, hj_frac *out, char *msg, size_t n)
{
	hj_error e;
	hj_error_clear(&e);
	if (!*s) {
		snprintf(msg, n, "値がありません");
		return -1;
	}
	if (hj_frac_parse(s, strlen(s), out, &e)) {
		snprintf(msg, n, "点数は 72.5 や 145/2 の形です（%s）: %s", s, e.message);
		return -1;
	}
	if (strchr(s, '%')) {
		snprintf(msg, n, "点数に %% は使えません（%s）", s);
		return -1;
	}
	return 0;
}

/* "2021-03-01", "2021-03-01T10:20:30" (or a space), or microseconds. */
static int parse_when(const char *s, int64_t *us)
{
	if (!*s) {
		*us = 0;
		return 0;
	}
	if (!parse_i64(s, us))
		return 0;
	hj_date d;
	hj_error e;
	if (strlen(s) < 10 || hj_date_parse(s, 10, &d, &e))
		return -1;
	int hh = 0, mm = 0, ss = 0;
	if (s[10]) {
		char tail;
		if ((s[10] != 'T' && s[10] != ' ') || sscanf(s + 11, "%2d:%2d:%2d%c", &hh, &mm, &ss, &tail) < 2 || hh > 23 ||
		    mm > 59 || ss > 60)
			return -1;
	}
	*us = (((int64_t)d * 86400) + hh * 3600 + mm * 60 + ss) * 1000000;
	return 0;
}

static const char *const col_names[] = { "id", "frame", "request", "score", "bonus", "submitted_at",
					 "rerequest", "excluded", "reframe" };

enum { COL_ID, COL_FRAME, COL_REQUEST, COL_SCORE, COL_BONUS, COL_SUBMITTED, COL_REREQUEST, COL_EXCLUDED, COL_REFRAME,
       COL_CRIT, COL_UNKNOWN };

static int read_csv(const char *file, sel_in *in)
{
	FILE *fp = fopen(file, "r");
	if (!fp) {
		fprintf(stderr, "hojo: 入力エラー: %s: 読めません: %s\n", file, strerror(errno));
		return EXIT_INPUT;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	long ln = 0;
	int kind[SEL_MAX_COLS], crit_of[SEL_MAX_COLS], ncols = 0, rc = 0;
	char *cols[SEL_MAX_COLS + 1];
	char msg[400], field[120];
	while ((got = getline(&line, &cap, fp)) >= 0) {
		ln++;
		trim(line);
		if (!line[0] || line[0] == '#')
			continue;
		int n = csv_split(line, cols, SEL_MAX_COLS);
		if (n > SEL_MAX_COLS) {
			rc = in_error(file, ln, "columns", "列が多すぎます");
			goto done;
		}
		for (int k = 0; k < n; k++)
			trim(cols[k]);
		if (!ncols) { /* the header */
			const char *const *names = col_names;
			int seen[COL_UNKNOWN] = { 0 };
			for (int k = 0; k < n; k++) {
				kind[k] = COL_UNKNOWN;
				for (int x = 0; x < (int)(sizeof col_names / sizeof *col_names); x++)
					if (!strcmp(cols[k], names[x]))
						kind[k] = x;
				if (kind[k] == COL_UNKNOWN && !strncmp(cols[k], "crit_", 5) && cols[k][5]) {
					if (in->ncrit >= HJ_SEL_MAX_CRIT) {
						rc = in_error(file, ln, cols[k], "crit_ 列は 16 個までです");
						goto done;
					}
					kind[k] = COL_CRIT;
					crit_of[k] = in->ncrit;
					in->crit_ids[in->ncrit] = hj_malloc(strlen(cols[k] + 5) + 1);
					if (!in->crit_ids[in->ncrit]) {
						rc = cli_nomem();
						goto done;
					}
					strcpy(in->crit_ids[in->ncrit++], cols[k] + 5);
				}
				if (kind[k] == COL_UNKNOWN) {
					snprintf(msg, sizeof msg,
						 "未知の列 '%s'（使える列: id, frame, request, score, bonus, submitted_at, rerequest, excluded, reframe, crit_名前）",
						 cols[k]);
					rc = in_error(file, ln, cols[k], msg);
					goto done;
				}
				if (kind[k] != COL_CRIT && seen[kind[k]]++) {
					rc = in_error(file, ln, cols[k], "列が二度あります");
					goto done;
				}
			}
			for (int x = COL_ID; x <= COL_SCORE; x++)
				if (!seen[x]) {
					snprintf(field, sizeof field, "%s", names[x]);
					rc = in_error(file, ln, field, "必要な列がありません（id, frame, request, score）");
					goto done;
				}
			ncols = n;
			continue;
		}
		if (n != ncols) {
			snprintf(msg, sizeof msg, "列の数が見出しと違います（%d 列、見出しは %d 列）", n, ncols);
			rc = in_error(file, ln, "columns", msg);
			goto done;
		}
		if (in->napps == in->cap) {
			int64_t nc = in->cap ? in->cap * 2 : 1024;
			hj_sel_app *na = hj_realloc(in->apps, (size_t)nc * sizeof *na);
			if (!na) {
				rc = cli_nomem();
				goto done;
			}
			in->apps = na;
			in->cap = nc;
		}
		hj_sel_app *a = &in->apps[in->napps];
		memset(a, 0, sizeof *a);
		a->rerequest = -1;
		a->eligible = 1;
		a->score = hj_frac_int(0);
		a->ncrit = in->ncrit;
		for (int c = 0; c < in->ncrit; c++)
			a->crit[c] = hj_frac_int(0);
		for (int k = 0; k < n; k++) {
			const char *v = cols[k];
			msg[0] = '\0';
			int bad = 0;
			switch (kind[k]) {
			case COL_ID:
				bad = parse_i64(v, &a->id);
				if (bad)
					snprintf(msg, sizeof msg, "整数の id が必要です（'%s'）", v);
				break;
			case COL_FRAME:
				a->frame = frame_index(in, v, strlen(v), 1);
				bad = a->frame < 0;
				if (bad)
					snprintf(msg, sizeof msg, "枠の id が必要です（枠は %d 個まで）", SEL_MAX_FRAMES);
				break;
			case COL_REQUEST:
				bad = parse_yen(v, &a->request, msg, sizeof msg);
				break;
			case COL_SCORE:
				bad = parse_score(v, &a->score, msg, sizeof msg);
				break;
			case COL_BONUS:
				if (*v && (parse_i64(v, &a->bonus) || a->bonus < 0)) {
					bad = 1;
					snprintf(msg, sizeof msg, "加点は 0 以上の整数です（'%s'）", v);
				}
				break;
			case COL_SUBMITTED:
				if (parse_when(v, &a->submitted_us)) {
					bad = 1;
					snprintf(msg, sizeof msg, "日時は 2021-03-01T10:00:00 の形です（'%s'）", v);
				}
				break;
			case COL_REREQUEST:
				if (*v)
					bad = parse_yen(v, &a->rerequest, msg, sizeof msg);
				break;
			case COL_EXCLUDED:
				if (!strcmp(v, "1") || !strcmp(v, "true"))
					a->eligible = 0;
				else if (*v && strcmp(v, "0") && strcmp(v, "false")) {
					bad = 1;
					snprintf(msg, sizeof msg, "1 / 0 か true / false です（'%s'）", v);
				}
				break;
			case COL_REFRAME:
				if (*v) {
					int f = frame_index(in, v, strlen(v), 1);
					bad = f < 0;
					a->reframe = f + 1;
					if (bad)
						snprintf(msg, sizeof msg, "枠の id が必要です");
				}
				break;
			case COL_CRIT:
				if (*v)
					bad = parse_score(v, &a->crit[crit_of[k]], msg, sizeof msg);
				break;
			}
			if (bad) {
				snprintf(field, sizeof field, "%s%s", kind[k] == COL_CRIT ? "crit_" : "",
					 kind[k] == COL_CRIT ? in->crit_ids[crit_of[k]] : col_names[kind[k]]);
				rc = in_error(file, ln, field, msg);
				goto done;
			}
		}
		in->napps++;
	}
	if (!ncols)
		rc = in_error(file, 0, "header", "見出しの行（id,frame,request,score,…）がありません");
done:
	free(line);
	fclose(fp);
	return rc;
}

/* FRAME=VALUE */
static int split_eq(const char *opt, const char *v, char *frame, size_t n, const char **value)
{
	const char *eq = strchr(v, '=');
	if (!eq || eq == v || !eq[1] || (size_t)(eq - v) >= n) {
		fprintf(stderr, "hojo: 入力エラー: %s は 枠=値 です: '%s'\n", opt, v);
		return -1;
	}
	memcpy(frame, v, (size_t)(eq - v));
	frame[eq - v] = '\0';
	*value = eq + 1;
	return 0;
}

/* The options that set frames (applied after the CSV is read, so that
 * a frame named only here, a re-review target, is added). */
typedef struct frame_opt {
	const char *opt, *val;
} frame_opt;

static int apply_frame_opt(sel_in *in, const frame_opt *fo)
{
	char frame[200], msg[300];
	const char *v;
	if (split_eq(fo->opt, fo->val, frame, sizeof frame, &v))
		return EXIT_INPUT;
	int f = frame_index(in, frame, strlen(frame), 1);
	if (f < 0)
		return in_error(fo->opt, 0, frame, "枠が多すぎます");
	hj_sel_frame *fr = &in->frames[f];
	if (!strcmp(fo->opt, "--budget")) {
		if (parse_yen(v, &fr->budget, msg, sizeof msg))
			return in_error("--budget", 0, frame, msg);
	} else if (!strcmp(fo->opt, "--slots")) {
		if (parse_i64(v, &fr->slots) || fr->slots < 0)
			return in_error("--slots", 0, frame, "件数は 0 以上の整数です（0: 上限なし）");
	} else { /* --rereview FROM=TO[,bonus=N][,priority] */
		char to[200];
		const char *comma = strchr(v, ',');
		size_t tl = comma ? (size_t)(comma - v) : strlen(v);
		if (!tl || tl >= sizeof to)
			return in_error("--rereview", 0, frame, "再審査先の枠が必要です（FROM=TO[,bonus=点][,priority]）");
		memcpy(to, v, tl);
		to[tl] = '\0';
		int t = frame_index(in, to, tl, 1);
		if (t < 0 || t == f)
			return in_error("--rereview", 0, frame, "再審査先の枠が正しくありません");
		fr = &in->frames[f]; /* (frames is an array in 'in': still valid) */
		fr->rereview_to = t; /* replaces what --edition gave */
		fr->rereview_bonus = 0;
		fr->rereview_bonus_id = "";
		fr->rereview_priority = 0;
		in->rr_source[f] = NULL;
		while (comma) {
			const char *item = comma + 1;
			comma = strchr(item, ',');
			size_t il = comma ? (size_t)(comma - item) : strlen(item);
			if (il == 8 && !memcmp(item, "priority", 8))
				fr->rereview_priority = 1;
			else if (il > 6 && !memcmp(item, "bonus=", 6)) {
				char num[32];
				if (il - 6 >= sizeof num)
					return in_error("--rereview", 0, frame, "加点が長すぎます");
				memcpy(num, item + 6, il - 6);
				num[il - 6] = '\0';
				if (parse_i64(num, &fr->rereview_bonus) || fr->rereview_bonus < 0)
					return in_error("--rereview", 0, frame, "bonus= は 0 以上の整数です");
				fr->rereview_bonus_id = "bonus";
			} else
				return in_error("--rereview", 0, frame, "FROM=TO に続けられるのは ,bonus=点 と ,priority です");
		}
	}
	return 0;
}

/* --edition ID: each frame's re-review (target, carried bonus points,
 * priority) from the edition's 'review:' (docs/rulebook.md); a frame with
 * several targets gets the first as its default (the others through the
 * CSV's 'reframe'). --rereview options applied after it override it. */
static int apply_edition(sel_in *in, const hj_rulebook *rb, const char *id)
{
	const hj_edition *e = NULL;
	for (int p = 0; p < hj_rulebook_nprograms(rb) && !e; p++) {
		const hj_program *pg = hj_rulebook_program(rb, p);
		for (int k = 0; k < hj_program_neditions(pg); k++)
			if (!strcmp(hj_edition_id(hj_program_edition(pg, k)), id))
				e = hj_program_edition(pg, k);
	}
	if (!e)
		return in_error("--edition", 0, id, "規則集にない版です（hojo rules で一覧）");
	if (!hj_edition_nrereviews(e))
		return in_error("--edition", 0, id, "この版の review に再審査（rereview）がありません");
	for (int i = 0; i < hj_edition_nrereviews(e); i++) {
		const hj_rereview *rr = hj_edition_rereview(e, i);
		const char *from = hj_frame_id(rr->from), *to = hj_frame_id(rr->to);
		int f = frame_index(in, from, strlen(from), 1), t = frame_index(in, to, strlen(to), 1);
		if (f < 0 || t < 0)
			return in_error("--edition", 0, id, "枠が多すぎます");
		if (in->frames[f].rereview_to >= 0)
			continue; /* the first target is the default */
		in->frames[f].rereview_to = t;
		in->frames[f].rereview_priority = rr->priority;
		int b = rr->bonus[0] ? hj_edition_find_bonus_rule(e, rr->bonus) : -1;
		if (b >= 0) {
			in->frames[f].rereview_bonus_id = hj_edition_bonus_rule(e, b)->id;
			in->frames[f].rereview_bonus = hj_edition_bonus_rule(e, b)->points;
		}
		in->rr_source[f] = rr->source;
	}
	return 0;
}

static void yen_text(hj_yen v, char *buf, size_t n) { hj_yen_format(v, buf, n); }

static void score_text(int has, hj_frac s, char *buf, size_t n)
{
	if (!has)
		snprintf(buf, n, "-");
	else
		hj_score_text(s, 2, buf, n);
}

static const char *outcome_name(hj_sel_outcome o)
{
	switch (o) {
	case HJ_SEL_ADOPTED: return "adopted";
	case HJ_SEL_ADOPTED_REREVIEW: return "adopted_rereview";
	case HJ_SEL_REJECTED: return "rejected";
	default: return "excluded";
	}
}

static void print_text(const sel_in *in, const hj_sel_result *r)
{
	int64_t adopted = 0;
	hj_yen total = 0;
	int over = 0;
	for (int f = 0; f < r->ncuts; f++) {
		adopted += r->cuts[f].adopted;
		over |= hj_yen_add(total, r->cuts[f].used, &total) != HJ_OK;
	}
	char a[64], b[64], c[64], d[64];
	if (over)
		snprintf(a, sizeof a, "（桁あふれ）");
	else
		yen_text(total, a, sizeof a);
	printf("選抜: 申請 %lld 件、枠 %d、採択 %lld 件、採択額の合計 %s\n", (long long)in->napps, in->nframes,
	       (long long)adopted, a);
	printf("入力のハッシュ: %s\n", r->inputs_hash);
	for (int f = 0; f < r->ncuts; f++) {
		const hj_sel_cut *cut = &r->cuts[f];
		printf("\n■ 枠 %s\n", in->frame_ids[f]);
		printf("  順位付け %lld 件、採択 %lld 件\n", (long long)cut->ranked, (long long)cut->adopted);
		score_text(cut->has_last, cut->last_adopted, a, sizeof a);
		score_text(cut->has_first, cut->first_rejected, b, sizeof b);
		printf("  最終採択の点数 %s、最初の不採択の点数 %s\n", a, b);
		yen_text(cut->used, a, sizeof a);
		if (cut->budget) {
			yen_text(cut->budget, b, sizeof b);
			yen_text(cut->left, c, sizeof c);
			printf("  採択額の合計 %s（予算 %s、残り %s）\n", a, b, c);
		} else
			printf("  採択額の合計 %s（予算の上限なし）\n", a);
		if (cut->slots)
			printf("  採択枠 %lld 件\n", (long long)cut->slots);
		else
			printf("  採択枠の上限なし\n");
		const char *why = !strcmp(cut->stopped_by, "budget")  ? "予算の上限"
				  : !strcmp(cut->stopped_by, "slots") ? "採択枠の件数"
								      : "なし（全件採択）";
		printf("  打ち切りの理由: %s\n", why);
		for (int g = 0; g < in->nframes; g++) {
			int64_t moved = 0;
			for (int64_t i = 0; i < r->ndecisions; i++)
				moved += r->decisions[i].moved && in->apps[i].frame == f && r->decisions[i].frame == g;
			if (!moved)
				continue;
			snprintf(d, sizeof d, "%lld", (long long)moved);
			char pts[64] = "";
			if (in->frames[f].rereview_bonus)
				snprintf(pts, sizeof pts, "（加点 %lld 点）", (long long)in->frames[f].rereview_bonus);
			printf("  不採択のうち %s 件を枠 %s で再審査%s%s%s%s%s\n", d, in->frame_ids[g], pts,
			       in->frames[f].rereview_priority ? "（同点なら優先）" : "", in->rr_source[f] ? "（出典 " : "",
			       in->rr_source[f] ? in->rr_source[f] : "", in->rr_source[f] ? "）" : "");
		}
	}
}

/* A JSON string (ids come from the CSV). */
static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void print_json(const sel_in *in, const hj_sel_result *r)
{
	char a[64], b[64];
	printf("{\"inputs_hash\":\"%s\",\"frames\":[", r->inputs_hash);
	for (int f = 0; f < r->ncuts; f++) {
		const hj_sel_cut *cut = &r->cuts[f];
		printf("%s{\"frame\":", f ? "," : "");
		json_str(in->frame_ids[f]);
		printf(",\"ranked\":%lld,\"adopted\":%lld,\"budget\":%lld,\"used\":%lld,\"left\":%lld,"
		       "\"slots\":%lld,\"stopped_by\":\"%s\"",
		       (long long)cut->ranked, (long long)cut->adopted,
		       (long long)cut->budget, (long long)cut->used, (long long)cut->left, (long long)cut->slots,
		       cut->stopped_by);
		if (cut->has_last) {
			hj_frac_format(cut->last_adopted, a, sizeof a);
			hj_score_text(cut->last_adopted, 2, b, sizeof b);
			printf(",\"last_adopted\":{\"exact\":\"%s\",\"text\":\"%s\"}", a, b);
		} else
			printf(",\"last_adopted\":null");
		if (cut->has_first) {
			hj_frac_format(cut->first_rejected, a, sizeof a);
			hj_score_text(cut->first_rejected, 2, b, sizeof b);
			printf(",\"first_rejected\":{\"exact\":\"%s\",\"text\":\"%s\"}}", a, b);
		} else
			printf(",\"first_rejected\":null}");
	}
	printf("],\"decisions\":[");
	for (int64_t i = 0; i < r->ndecisions; i++) {
		const hj_sel_decision *d = &r->decisions[i];
		hj_frac_format(d->score, a, sizeof a);
		printf("%s{\"id\":%lld,\"outcome\":\"%s\",\"frame\":", i ? "," : "", (long long)d->id, outcome_name(d->outcome));
		json_str(in->frame_ids[d->frame]);
		printf(",\"moved\":%s,\"rank\":%lld,\"amount\":%lld,"
		       "\"score\":\"%s\",\"reason\":\"%s\"}",
		       d->moved ? "true" : "false", (long long)d->rank, (long long)d->amount, a, d->reason);
	}
	printf("]}\n");
}

/* --expect FILE: the result a case computed by hand (tests/selection/). */
static int check_expect(const char *file, const sel_in *in, const hj_sel_result *r)
{
	FILE *fp = fopen(file, "r");
	if (!fp) {
		fprintf(stderr, "hojo: 入力エラー: %s: 読めません: %s\n", file, strerror(errno));
		return EXIT_INPUT;
	}
	char *line = NULL;
	size_t cap = 0;
	long ln = 0;
	int bad = 0, rc = 0;
	char *listed = hj_calloc((size_t)(r->ndecisions ? r->ndecisions : 1), 1);
	if (!listed) {
		fclose(fp);
		return cli_nomem();
	}
	while (getline(&line, &cap, fp) >= 0) {
		ln++;
		trim(line);
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		trim(line);
		if (!line[0])
			continue;
		char *save = NULL, *w = strtok_r(line, " \t", &save);
		if (!strcmp(w, "adopted") || !strcmp(w, "adopted_rereview") || !strcmp(w, "rejected") ||
		    !strcmp(w, "excluded")) {
			const char *want = w;
			char *t;
			while ((t = strtok_r(NULL, " \t", &save))) {
				int64_t id, yen = -1;
				char *eq = strchr(t, '=');
				if (eq) {
					*eq = '\0';
					if (parse_i64(eq + 1, &yen)) {
						rc = in_error(file, ln, t, "金額は ID=円 の形です");
						goto done;
					}
				}
				if (parse_i64(t, &id)) {
					rc = in_error(file, ln, want, "申請 id が必要です");
					goto done;
				}
				int64_t i = 0;
				while (i < r->ndecisions && r->decisions[i].id != id)
					i++;
				if (i == r->ndecisions) {
					rc = in_error(file, ln, t, "その id の申請が入力にありません");
					goto done;
				}
				listed[i] = 1;
				const char *got = outcome_name(r->decisions[i].outcome);
				if (strcmp(got, want)) {
					fprintf(stderr, "%s:%ld: 申請 %lld: 期待 %s、結果 %s（%s）\n", file, ln, (long long)id, want,
						got, r->decisions[i].reason);
					bad++;
				}
				if (yen >= 0 && r->decisions[i].amount != yen) {
					fprintf(stderr, "%s:%ld: 申請 %lld: 採択額 期待 %lld、結果 %lld\n", file, ln, (long long)id,
						(long long)yen, (long long)r->decisions[i].amount);
					bad++;
				}
			}
		} else if (!strcmp(w, "cut")) {
			char *fid = strtok_r(NULL, " \t", &save);
			int f = fid ? frame_index((sel_in *)in, fid, strlen(fid), 0) : -1;
			if (f < 0) {
				rc = in_error(file, ln, "cut", "枠の id が必要です");
				goto done;
			}
			const hj_sel_cut *cut = &r->cuts[f];
			char *t;
			while ((t = strtok_r(NULL, " \t", &save))) {
				char *eq = strchr(t, '=');
				if (!eq) {
					rc = in_error(file, ln, t, "鍵=値 の形です");
					goto done;
				}
				*eq = '\0';
				const char *v = eq + 1;
				char got[96];
				if (!strcmp(t, "adopted"))
					snprintf(got, sizeof got, "%lld", (long long)cut->adopted);
				else if (!strcmp(t, "ranked"))
					snprintf(got, sizeof got, "%lld", (long long)cut->ranked);
				else if (!strcmp(t, "used"))
					snprintf(got, sizeof got, "%lld", (long long)cut->used);
				else if (!strcmp(t, "left"))
					snprintf(got, sizeof got, "%lld", (long long)cut->left);
				else if (!strcmp(t, "stopped"))
					snprintf(got, sizeof got, "%s", cut->stopped_by);
				else if (!strcmp(t, "last") || !strcmp(t, "first")) {
					int has = t[0] == 'l' ? cut->has_last : cut->has_first;
					hj_frac s = t[0] == 'l' ? cut->last_adopted : cut->first_rejected, w2;
					char m[300];
					if (!strcmp(v, "-"))
						snprintf(got, sizeof got, "%s", has ? "present" : "-");
					else if (parse_score(v, &w2, m, sizeof m)) {
						rc = in_error(file, ln, t, m);
						goto done;
					} else {
						/* exact comparison: print the expected text back when equal */
						if (has && hj_score_cmp(s, w2) == 0)
							snprintf(got, sizeof got, "%s", v);
						else if (has)
							hj_frac_format(s, got, sizeof got);
						else
							snprintf(got, sizeof got, "-");
					}
				} else {
					rc = in_error(file, ln, t, "鍵は adopted, ranked, used, left, stopped, last, first です");
					goto done;
				}
				if (strcmp(got, v)) {
					fprintf(stderr, "%s:%ld: 枠 %s の %s: 期待 %s、結果 %s\n", file, ln, fid, t, v, got);
					bad++;
				}
			}
		} else {
			rc = in_error(file, ln, w, "行は adopted / adopted_rereview / rejected / excluded / cut で始まります");
			goto done;
		}
	}
	for (int64_t i = 0; i < r->ndecisions; i++)
		if (!listed[i]) {
			fprintf(stderr, "%s: 申請 %lld（結果 %s）が期待に書かれていません\n", file,
				(long long)r->decisions[i].id, outcome_name(r->decisions[i].outcome));
			bad++;
		}
	if (bad) {
		fprintf(stderr, "%s: %d 点が期待と違います\n", file, bad);
		rc = EXIT_FAILED;
	} else
		printf("期待どおり: %s\n", file);
done:
	free(line);
	hj_free(listed);
	fclose(fp);
	return rc;
}

/* Print 's' right-aligned in 'width' terminal columns (a Japanese
 * character takes two), after a space unless it is the first. */
static void cell(const char *s, int width, int first)
{
	int w = 0;
	if (!first)
		putchar(' ');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x80)
			w++;
		else if (*p >= 0xe0)
			w += 2;
		else if (*p >= 0xc0)
			w++;
	for (; w < width; w++)
		putchar(' ');
	fputs(s, stdout);
}

/* --sweep FRAME=FROM:TO:STEP: the selection once per budget. */
static int run_sweep(sel_in *in, const char *spec)
{
	char frame[200], msg[300];
	const char *v;
	if (split_eq("--sweep", spec, frame, sizeof frame, &v))
		return EXIT_INPUT;
	int f = frame_index(in, frame, strlen(frame), 0);
	if (f < 0)
		return in_error("--sweep", 0, frame, "入力にない枠です");
	char parts[3][64];
	hj_yen val[3];
	const char *p = v;
	for (int k = 0; k < 3; k++) {
		const char *c = k < 2 ? strchr(p, ':') : p + strlen(p);
		if (!c || (size_t)(c - p) >= sizeof parts[k] || c == p)
			return in_error("--sweep", 0, frame, "FROM:TO:STEP（金額）の形です");
		memcpy(parts[k], p, (size_t)(c - p));
		parts[k][c - p] = '\0';
		if (parse_yen(parts[k], &val[k], msg, sizeof msg))
			return in_error("--sweep", 0, frame, msg);
		p = c + 1;
	}
	if (val[2] <= 0 || val[1] < val[0] || (val[1] - val[0]) / val[2] >= 1000)
		return in_error("--sweep", 0, frame, "STEP は正、FROM ≤ TO、行は 1000 まで");
	printf("予算の変化: 枠 %s\n", frame);
	const char *head[6] = { "予算", "採択件数", "最終採択点", "採択額の合計", "残り", "打切り" };
	const int wid[6] = { 18, 8, 10, 18, 18, 8 };
	for (int k = 0; k < 6; k++)
		cell(head[k], wid[k], k == 0);
	putchar('\n');
	for (hj_yen b = val[0]; b <= val[1]; b += val[2]) {
		in->frames[f].budget = b;
		hj_sel_result r;
		hj_error err;
		hj_error_clear(&err);
		hj_status st = hj_selection_run(in->frames, in->nframes, in->apps, in->napps, in->tb, in->ntb, &r, &err);
		if (st)
			return cli_fail(&err);
		const hj_sel_cut *cut = &r.cuts[f];
		char a[64], c[64], d[64], e[64];
		yen_text(b, a, sizeof a);
		score_text(cut->has_last, cut->last_adopted, c, sizeof c);
		yen_text(cut->used, d, sizeof d);
		yen_text(cut->left, e, sizeof e);
		char cnt[32];
		snprintf(cnt, sizeof cnt, "%lld", (long long)cut->adopted);
		const char *row[6] = { a, cnt, c, d, e, cut->stopped_by };
		for (int k = 0; k < 6; k++)
			cell(row[k], wid[k], k == 0);
		putchar('\n');
		hj_sel_result_free(&r);
		if (b > INT64_MAX - val[2])
			break;
	}
	return EXIT_DONE;
}

static const char select_usage[] =
	"使い方: hojo select FILE.csv [--budget 枠=円]... [--slots 枠=件]... [--tiebreak 鍵,...]\n"
	"                    [--rereview 元の枠=先の枠[,bonus=点][,priority]]... [--json]\n"
	"                    [--sweep 枠=開始:終了:刻み] [--expect 期待ファイル]\n"
	"                    [--edition 版 [--rules DIR]]（再審査の行き先・加点・優先を規則集から）\n"
	"CSV の列: id, frame, request, score（加点込みの合計、72.5 など）, bonus, submitted_at,\n"
	"          rerequest（再審査先での補助額）, excluded, reframe, crit_名前（docs/cli.md）\n"
	"タイブレークの鍵: bonus_desc, request_asc, request_desc, submitted_asc, criterion_desc:名前\n";

/*
 * Entry point (called by main before the global options are read: the
 * options of select are its own). argv[ci] is "select".
 */
int cmd_select(int argc, char **argv, int ci)
{
	sel_opts so;
	memset(&so, 0, sizeof so);
	frame_opt fos[3 * SEL_MAX_FRAMES];
	int nfo = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (i == ci)
			continue;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(select_usage, stdout);
			return EXIT_DONE;
		}
		if (!strcmp(a, "--json")) {
			so.json = 1;
			continue;
		}
		if (!strcmp(a, "--budget") || !strcmp(a, "--slots") || !strcmp(a, "--rereview") ||
		    !strcmp(a, "--tiebreak") || !strcmp(a, "--sweep") || !strcmp(a, "--expect") ||
		    !strcmp(a, "--edition") || !strcmp(a, "--rules")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "hojo: 入力エラー: %s には値が必要です\n\n%s", a, select_usage);
				return EXIT_INPUT;
			}
			const char *v = argv[++i];
			if (!strcmp(a, "--tiebreak"))
				so.tiebreak = v;
			else if (!strcmp(a, "--sweep"))
				so.sweep = v;
			else if (!strcmp(a, "--expect"))
				so.expect = v;
			else if (!strcmp(a, "--edition"))
				so.edition = v;
			else if (!strcmp(a, "--rules"))
				so.rules = v;
			else {
				if (nfo >= (int)(sizeof fos / sizeof *fos)) {
					fprintf(stderr, "hojo: 入力エラー: 枠のオプションが多すぎます\n");
					return EXIT_INPUT;
				}
				fos[nfo].opt = a;
				fos[nfo++].val = v;
			}
			continue;
		}
		if (a[0] == '-' && a[1]) {
			fprintf(stderr, "hojo: 入力エラー: 未知のオプション '%s'\n\n%s", a, select_usage);
			return EXIT_INPUT;
		}
		if (so.file) {
			fprintf(stderr, "hojo: 入力エラー: CSV ファイルは一つです\n\n%s", select_usage);
			return EXIT_INPUT;
		}
		so.file = a;
	}
	if (!so.file) {
		fprintf(stderr, "hojo: 入力エラー: CSV ファイルが必要です\n\n%s", select_usage);
		return EXIT_INPUT;
	}
	sel_in *in = hj_calloc(1, sizeof *in);
	if (!in)
		return cli_nomem();
	int rc = read_csv(so.file, in);
	hj_rulebook *rb = NULL;
	if (!rc && so.edition) {
		opts o;
		memset(&o, 0, sizeof o);
		o.rules = so.rules;
		rc = cli_load_rules(&o, &rb);
		if (!rc)
			rc = apply_edition(in, rb, so.edition);
	} else if (!rc && so.rules)
		rc = in_error("--rules", 0, so.rules, "--rules は --edition と使います");
	for (int k = 0; !rc && k < nfo; k++)
		rc = apply_frame_opt(in, &fos[k]);
	if (!rc && in->nframes == 0)
		rc = in_error(so.file, 0, "frame", "申請がありません");
	if (!rc && so.tiebreak) {
		hj_error err;
		hj_error_clear(&err);
		if (hj_tiebreak_parse(so.tiebreak, (const char *const *)in->crit_ids, in->ncrit, in->tb, SEL_MAX_TB,
				      &in->ntb, &err))
			rc = in_error("--tiebreak", 0, err.field, err.message);
	}
	if (!rc && so.sweep)
		rc = run_sweep(in, so.sweep);
	else if (!rc) {
		hj_sel_result r;
		hj_error err;
		hj_error_clear(&err);
		hj_status st = hj_selection_run(in->frames, in->nframes, in->apps, in->napps, in->tb, in->ntb, &r, &err);
		if (st) {
			rc = st == HJ_ERR_INPUT ? in_error(so.file, 0, err.field, err.message) : cli_fail(&err);
		} else {
			if (so.expect)
				rc = check_expect(so.expect, in, &r);
			else if (so.json)
				print_json(in, &r);
			else
				print_text(in, &r);
			hj_sel_result_free(&r);
		}
	}
	for (int f = 0; f < in->nframes; f++)
		hj_free(in->frame_ids[f]);
	for (int c = 0; c < in->ncrit; c++)
		hj_free(in->crit_ids[c]);
	hj_free(in->apps);
	hj_free(in);
	hj_rulebook_free(rb);
	return rc;
}
