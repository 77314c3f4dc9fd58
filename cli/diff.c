/*
 * diff.c - 'hojo diff FILE --rules A --rules B': a reform, applicant by
 * applicant and frame by frame.
 *
 * The applicants (CSV or JSON Lines, as for batch) are read twice in step,
 * once by each rulebook's reader (the two may declare different facts and
 * column maps), and every frame present in either rulebook (by id, after
 * --program/--edition) is evaluated under each. A frame's amount is its
 * subsidy when 対象, 0 when 対象外, not open on the record's date, or
 * absent from that rulebook; 要確認 on either side leaves the pair
 * uncompared (counted apart, never in the yen totals). Totals per frame
 * and overall: gainers, losers, unchanged, 要確認, the totals under A and
 * B and the change, in exact yen (checked additions). Output: text in
 * Japanese (totals, then the pairs that change), --json (every pair that
 * changes or is 要確認, then the totals), --format csv (every pair).
 * Memory does not grow with the file: one hj_facts per rulebook, results
 * in fixed arrays.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "hojo.h"

#define MAX_DIFF_FRAMES 512
#define TEXT_ROWS 50 /* pairs listed in the text output */

enum { V_NONE = 3, V_ABSENT = 4 }; /* beside hj_verdict: not open / no such frame */
enum { R_GAIN, R_LOSS, R_SAME, R_UND };

typedef struct side {
	hj_rulebook *rb;
	FILE *in;
	hj_reader *rd;
	hj_facts *f;
} side;

typedef struct pair_total {
	long n[4];            /* by R_* */
	hj_yen a, b;          /* compared pairs only */
} pair_total;

typedef struct dframe {
	const char *id;
	const hj_frame *fr[2]; /* under A, under B; NULL when absent */
	pair_total t;
} dframe;

static const char *vname(int v)
{
	return v == V_NONE ? "not_in_force" : v == V_ABSENT ? "absent" : hj_verdict_name((hj_verdict)v);
}

static const char *vname_ja(int v)
{
	return v == V_NONE ? "受付外" : v == V_ABSENT ? "枠なし" : hj_verdict_name_ja((hj_verdict)v);
}

static const char *const result_name[4] = { "gain", "loss", "same", "undetermined" };

/* "+100,000円" / "-50,000円" / "0円" */
static void signed_yen(hj_yen v, char *buf, size_t n)
{
	char y[64];
	if (v < 0 && v != INT64_MIN) {
		hj_yen_format(-v, y, sizeof y);
		snprintf(buf, n, "-%s", y);
	} else {
		hj_yen_format(v, y, sizeof y);
		snprintf(buf, n, "%s%s", v > 0 ? "+" : "", y);
	}
}

static int overflow(void)
{
	fprintf(stderr, "hojo: 入力エラー: 補助額の合計が大きすぎます（64ビットの円を超えます）\n");
	return EXIT_INPUT;
}

static int add_total(pair_total *t, int res, hj_yen a, hj_yen b)
{
	t->n[res]++;
	if (res == R_UND)
		return 0;
	return hj_yen_add(t->a, a, &t->a) || hj_yen_add(t->b, b, &t->b);
}

static json_t *total_json(const pair_total *t)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "gainers", (json_int_t)t->n[R_GAIN], "losers",
			 (json_int_t)t->n[R_LOSS], "unchanged", (json_int_t)t->n[R_SAME], "undetermined",
			 (json_int_t)t->n[R_UND], "total_a_yen", (json_int_t)t->a, "total_b_yen", (json_int_t)t->b,
			 "change_yen", (json_int_t)(t->b - t->a));
}

static void total_text(int indent, const pair_total *t)
{
	char a[64], b[64], c[64], line[300];
	hj_yen_format(t->a, a, sizeof a);
	hj_yen_format(t->b, b, sizeof b);
	signed_yen(t->b - t->a, c, sizeof c);
	snprintf(line, sizeof line, "増える %ld 件・減る %ld 件・変わらない %ld 件・要確認 %ld 件", t->n[R_GAIN],
		 t->n[R_LOSS], t->n[R_SAME], t->n[R_UND]);
	cli_wrap(stdout, line, indent, 80);
	snprintf(line, sizeof line, "A %s → B %s（%s）", a, b, c);
	cli_wrap(stdout, line, indent, 80);
}

static void frame_label(const hj_frame *fr, char *buf, size_t n)
{
	const hj_edition *ed = hj_frame_edition(fr);
	snprintf(buf, n, "%s %s %s", hj_program_short(hj_edition_program(ed)), hj_edition_short(ed), hj_frame_name(fr));
}

static int open_side(opts *o, const char *dir, side *s, hj_format fmt, const hj_columns *cols)
{
	hj_error err;
	opts one = *o;
	one.rules = dir;
	int rc = cli_load_rules(&one, &s->rb);
	if (rc)
		return rc;
	s->in = fopen(o->args[0], "r");
	if (!s->in) {
		fprintf(stderr, "hojo: 入力エラー: %s: ファイルを開けません\n", o->args[0]);
		return EXIT_INPUT;
	}
	if (hj_facts_new(s->rb, &s->f) || hj_reader_open(s->rb, s->in, o->args[0], fmt, &s->rd, &err))
		return EXIT_INTERNAL;
	if (hj_reader_set_columns(s->rd, cols, &err))
		return cli_fail(&err);
	return EXIT_DONE;
}

static void close_side(side *s)
{
	hj_reader_free(s->rd);
	hj_facts_free(s->f);
	if (s->in)
		fclose(s->in);
	hj_rulebook_free(s->rb);
}

int cmd_diff(opts *o, hj_rulebook *unused)
{
	(void)unused;
	if (!o->rules || !o->rules2) {
		fprintf(stderr, "hojo: 入力エラー: diff には規則集が二つ必要です（--rules A --rules B）\n");
		return EXIT_INPUT;
	}
	if (!strcmp(o->args[0], "-")) {
		fprintf(stderr, "hojo: 入力エラー: diff は入力を二度読むため、標準入力ではなくファイルを指定します\n");
		return EXIT_INPUT;
	}
	int csv = 0;
	if (o->format && !strcmp(o->format, "csv"))
		csv = 1;
	else if (o->format && strcmp(o->format, "text")) {
		fprintf(stderr, "hojo: 入力エラー: diff の --format は text（既定）か csv です（JSON は --json）\n");
		return EXIT_INPUT;
	}
	if (csv && o->json) {
		fprintf(stderr, "hojo: 入力エラー: --format csv と --json は同時に使えません\n");
		return EXIT_INPUT;
	}
	hj_format fmt;
	int rc = cli_input_format(o, &fmt);
	if (rc)
		return rc;
	hj_columns cols;
	cli_columns_opt(o, &cols);
	side s[2];
	memset(s, 0, sizeof s);
	static dframe fr[MAX_DIFF_FRAMES];
	int nf = 0;
	long records = 0, bad = 0, shown = 0;
	pair_total all, appl; /* pairs; applicants on their best frames */
	memset(&all, 0, sizeof all);
	memset(&appl, 0, sizeof appl);
	if ((rc = open_side(o, o->rules, &s[0], fmt, &cols)) || (rc = open_side(o, o->rules2, &s[1], fmt, &cols)))
		goto out;

	/* the frames of A in its order, then those only in B */
	hj_selection sel = o->sel;
	sel.has_date = 0;
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < hj_rulebook_nframes(s[k].rb); i++) {
			const hj_frame *f = hj_rulebook_frame(s[k].rb, i);
			if (!hj_frame_selected(f, &sel))
				continue;
			int j = 0;
			while (j < nf && strcmp(fr[j].id, hj_frame_id(f)))
				j++;
			if (j == nf) {
				if (nf == MAX_DIFF_FRAMES) {
					fprintf(stderr, "hojo: 規則集エラー: 枠が多すぎます（%d まで）\n", MAX_DIFF_FRAMES);
					rc = EXIT_RULEBOOK;
					goto out;
				}
				memset(&fr[nf], 0, sizeof fr[nf]);
				fr[nf].id = hj_frame_id(f);
				nf++;
			}
			fr[j].fr[k] = f;
		}
	if (!nf) {
		fprintf(stderr, "hojo: 入力エラー: 比べる枠がありません（--program / --edition を確かめてください）\n");
		rc = EXIT_INPUT;
		goto out;
	}

	if (csv)
		printf("line,id,name,frame,verdict_a,subsidy_a_yen,verdict_b,subsidy_b_yen,change_yen,result\n");
	else if (o->json) {
		/* streamed: the rulebooks, every pair that is not unchanged, then the totals */
		json_t *h = json_pack("{s:{s:s,s:s,s:s},s:{s:s,s:s,s:s}}", "rulebook_a", "name", hj_rulebook_name(s[0].rb),
				      "version", hj_rulebook_version(s[0].rb), "hash", hj_rulebook_hash(s[0].rb),
				      "rulebook_b", "name", hj_rulebook_name(s[1].rb), "version",
				      hj_rulebook_version(s[1].rb), "hash", hj_rulebook_hash(s[1].rb));
		char *t = h ? json_dumps(h, JSON_COMPACT) : NULL;
		json_decref(h);
		if (!t) {
			rc = EXIT_INTERNAL;
			goto out;
		}
		t[strlen(t) - 1] = '\0'; /* without its closing brace */
		printf("%s,\"changes\":[", t);
		free(t);
	} else {
		char line[600];
		cli_wrap(stdout, "改正の比較（補助額。対象外・受付外・枠なしは 0円、要確認は比べません）", 0, 80);
		snprintf(line, sizeof line, "A: %s %s（%.12s）", hj_rulebook_name(s[0].rb), hj_rulebook_version(s[0].rb),
			 hj_rulebook_hash(s[0].rb));
		cli_wrap(stdout, line, 0, 80);
		snprintf(line, sizeof line, "B: %s %s（%.12s）", hj_rulebook_name(s[1].rb), hj_rulebook_version(s[1].rb),
			 hj_rulebook_hash(s[1].rb));
		cli_wrap(stdout, line, 0, 80);
		printf("\n増減のある申請者・枠（%d 件まで）\n", TEXT_ROWS);
	}
	int first_json = 1;
	for (;;) {
		int eof[2];
		hj_error err[2];
		hj_status st[2];
		for (int k = 0; k < 2; k++)
			st[k] = hj_reader_next(s[k].rd, s[k].f, &eof[k], &err[k]);
		if (eof[0] || eof[1])
			break;
		if (st[0] || st[1]) {
			/* the record is reported once (by the first rulebook that refuses it) and skipped */
			hj_status e = st[0] ? st[0] : st[1];
			cli_fail(st[0] ? &err[0] : &err[1]);
			bad++;
			if (e == HJ_ERR_IO || e == HJ_ERR_NOMEM || bad > 1000) {
				rc = cli_exit_code(e);
				if (bad > 1000) {
					fprintf(stderr, "hojo: エラーが多すぎるため中止します\n");
					rc = EXIT_INPUT;
				}
				goto out;
			}
			continue;
		}
		records++;
		hj_yen best[2] = { 0, 0 }; /* the applicant's best frame under each (batch --summary's rule) */
		for (int j = 0; j < nf; j++) {
			int v[2];
			hj_yen y[2] = { 0, 0 };
			for (int k = 0; k < 2; k++) {
				const hj_frame *f = fr[j].fr[k];
				hj_date d;
				int use_date = o->date_given ? (d = o->sel.date, 1) : hj_facts_date(s[k].f, &d);
				if (!f) {
					v[k] = V_ABSENT;
					continue;
				}
				if (use_date && !hj_frame_in_force(f, d)) {
					v[k] = V_NONE;
					continue;
				}
				hj_result r;
				hj_evaluate(s[k].rb, s[k].f, f, &r);
				v[k] = (int)r.verdict;
				if (r.verdict == HJ_ELIGIBLE)
					y[k] = r.subsidy;
				if (r.verdict == HJ_ELIGIBLE && y[k] > best[k])
					best[k] = y[k];
			}
			int res = v[0] == HJ_UNDETERMINED || v[1] == HJ_UNDETERMINED ? R_UND
				  : y[1] > y[0]					 ? R_GAIN
				  : y[1] < y[0]					 ? R_LOSS
										 : R_SAME;
			if (v[0] == V_ABSENT && v[1] == V_ABSENT)
				continue;
			if (add_total(&fr[j].t, res, y[0], y[1]) || add_total(&all, res, y[0], y[1])) {
				rc = overflow();
				goto out;
			}
			const char *id = hj_facts_id(s[0].f), *name = hj_facts_name(s[0].f);
			long line = hj_reader_line(s[0].rd);
			if (csv) {
				printf("%ld,", line);
				cli_csv_cell(id);
				putchar(',');
				cli_csv_cell(name);
				printf(",%s,%s,", fr[j].id, vname(v[0]));
				if (v[0] != HJ_UNDETERMINED)
					printf("%lld", (long long)y[0]);
				printf(",%s,", vname(v[1]));
				if (v[1] != HJ_UNDETERMINED)
					printf("%lld", (long long)y[1]);
				putchar(',');
				if (res != R_UND)
					printf("%lld", (long long)(y[1] - y[0]));
				printf(",%s\n", result_name[res]);
			} else if (o->json) {
				if (res == R_SAME)
					continue;
				json_t *x = json_pack("{s:I,s:o,s:s,s:s,s:{s:s,s:o},s:{s:s,s:o},s:o,s:s}", "line",
						      (json_int_t)line, "id", id[0] ? json_string(id) : json_null(), "name",
						      name, "frame", fr[j].id, "a", "verdict", vname(v[0]), "subsidy_yen",
						      v[0] == HJ_UNDETERMINED ? json_null() : json_integer(y[0]), "b",
						      "verdict", vname(v[1]), "subsidy_yen",
						      v[1] == HJ_UNDETERMINED ? json_null() : json_integer(y[1]), "change_yen",
						      res == R_UND ? json_null() : json_integer(y[1] - y[0]), "result",
						      result_name[res]);
				char *t = x ? json_dumps(x, JSON_COMPACT) : NULL;
				json_decref(x);
				if (!t) {
					rc = EXIT_INTERNAL;
					goto out;
				}
				printf("%s%s", first_json ? "" : ",", t);
				first_json = 0;
				free(t);
			} else if (res != R_SAME && shown++ < TEXT_ROWS) {
				char a[64], b[64], c[80], who[300];
				if (v[0] == HJ_ELIGIBLE)
					hj_yen_format(y[0], a, sizeof a);
				else
					snprintf(a, sizeof a, "%s", vname_ja(v[0]));
				if (v[1] == HJ_ELIGIBLE)
					hj_yen_format(y[1], b, sizeof b);
				else
					snprintf(b, sizeof b, "%s", vname_ja(v[1]));
				if (res == R_UND)
					snprintf(c, sizeof c, "比べられません");
				else
					signed_yen(y[1] - y[0], c, sizeof c);
				snprintf(who, sizeof who, "%ld行%s%s%s%s", line, id[0] ? " " : "", id, name[0] ? " " : "",
					 name);
				char line2[600];
				snprintf(line2, sizeof line2, "%s %s: %s → %s（%s）", who, fr[j].id, a, b, c);
				cli_wrap(stdout, line2, 2, 80);
			}
		}
		if (add_total(&appl, best[1] > best[0] ? R_GAIN : best[1] < best[0] ? R_LOSS : R_SAME, best[0], best[1])) {
			rc = overflow();
			goto out;
		}
	}
	if (csv) {
		/* nothing more: the totals are sums of the rows */
	} else if (o->json) {
		json_t *frames = json_array();
		for (int j = 0; j < nf; j++) {
			json_t *t = total_json(&fr[j].t);
			json_object_set_new(t, "frame", json_string(fr[j].id));
			json_array_append_new(frames, t);
		}
		json_t *ja = total_json(&appl);
		json_object_del(ja, "undetermined");
		json_t *tail = json_pack("{s:I,s:I,s:o,s:o,s:o}", "records", (json_int_t)records, "errors",
					 (json_int_t)bad, "frames", frames, "totals", total_json(&all), "applicants", ja);
		char *t = tail ? json_dumps(tail, JSON_COMPACT) : NULL;
		json_decref(tail);
		if (!t) {
			rc = EXIT_INTERNAL;
			goto out;
		}
		/* the rest of the object: its opening brace dropped */
		printf("],%s\n", t + 1);
		free(t);
	} else {
		char label[600];
		if (!shown)
			printf("  （ありません）\n");
		else if (shown > TEXT_ROWS)
			printf("  ほか %ld 件（すべては --format csv / --json）\n", shown - TEXT_ROWS);
		printf("\n申請者 %ld 件（エラー %ld 件）\n\n枠ごと\n", records, bad);
		for (int j = 0; j < nf; j++) {
			frame_label(fr[j].fr[0] ? fr[j].fr[0] : fr[j].fr[1], label, sizeof label);
			char line2[800];
			snprintf(line2, sizeof line2, "%s %s%s", fr[j].id, label,
				 !fr[j].fr[0] ? "（B のみ）" : !fr[j].fr[1] ? "（A のみ）" : "");
			cli_wrap(stdout, line2, 0, 80);
			total_text(2, &fr[j].t);
		}
		printf("\n全体（申請者と枠の組ごと）\n");
		total_text(2, &all);
		char a[64], b[64], c[64], line2[400];
		hj_yen_format(appl.a, a, sizeof a);
		hj_yen_format(appl.b, b, sizeof b);
		signed_yen(appl.b - appl.a, c, sizeof c);
		putchar('\n');
		cli_wrap(stdout, "申請者ごと（各申請者が最善の枠を選んだ補助額。batch --summary と同じ最善の枠）", 0, 80);
		snprintf(line2, sizeof line2, "増える %ld 件・減る %ld 件・変わらない %ld 件", appl.n[R_GAIN], appl.n[R_LOSS],
			 appl.n[R_SAME]);
		cli_wrap(stdout, line2, 2, 80);
		snprintf(line2, sizeof line2, "A %s → B %s（%s）", a, b, c);
		cli_wrap(stdout, line2, 2, 80);
	}
	if (!rc && bad)
		rc = EXIT_INPUT;
out:
	close_side(&s[0]);
	close_side(&s[1]);
	return rc;
}
