/*
 * batch.c - 'hojo batch FILE': many applicants, streaming.
 *
 * Each record (CSV row or JSON line) is read into one reused hj_facts
 * and every selected frame is evaluated; memory does not grow with the
 * file. Without --summary, one JSON line per applicant is written; with
 * --summary, the totals at the end: per applicant (each once, on its
 * best frame) and per frame; with --summary --csv, the per-applicant
 * totals by industry and size class as CSV; with --format csv, one CSV
 * row per applicant and frame (the 'best' column marks its best frame),
 * each carrying the record's id. A bad
 * record is reported on stderr with its line and skipped; the exit code
 * is then 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "hojo.h"

#define MAX_FRAMES 256

static void print_error(void *ud, const hj_error *err)
{
	long *shown = ud;
	if ((*shown)++ >= 1000)
		return;
	char buf[1200];
	hj_error_format(err, buf, sizeof buf);
	fprintf(stderr, "hojo: %s: %s\n", hj_status_name(err->status), buf);
}

/* "ものづくり補助金 R5補正 省力化（オーダーメイド）枠": the name a reader knows */
static void frame_label(const hj_frame *fr, char *buf, size_t n)
{
	const hj_edition *ed = hj_frame_edition(fr);
	snprintf(buf, n, "%s %s %s", hj_program_short(hj_edition_program(ed)), hj_edition_short(ed), hj_frame_name(fr));
}

static void csv_row(const char *kind, const char *id, const char *label, const hj_group_tally *g)
{
	printf("%s,", kind);
	cli_csv_cell(id);
	putchar(',');
	cli_csv_cell(label);
	printf(",%ld,%ld,%ld,%ld,%ld,%lld\n", g->applicants, g->eligible, g->undetermined, g->ineligible,
	       g->none_in_force, g->best_total);
}

/* --summary --csv: each applicant once, overall, by industry, by size class. */
static void summary_csv(hj_rulebook *rb, const hj_summary *s)
{
	printf("breakdown,id,label,applicants,eligible,undetermined,ineligible,none_in_force,best_total_yen\n");
	csv_row("all", "", "全体", &s->all);
	if (!hj_rulebook_has_sizes(rb))
		return; /* no industry or size tables in this rulebook */
	for (int i = 0; i <= s->nindustries; i++)
		csv_row("industry", i < s->nindustries ? hj_industry_id(rb, i) : "",
			i < s->nindustries ? hj_industry_name(rb, i) : "業種の入力なし", &s->industry[i]);
	for (int i = 0; i <= s->nsizes; i++)
		csv_row("size_class", i < s->nsizes ? hj_size_class_id(rb, i) : "",
			i < s->nsizes ? hj_size_class_name(rb, i) : "規模区分が要確認", &s->size[i]);
}

static void summary_text(hj_rulebook *rb, const hj_summary *s)
{
	int nf = hj_rulebook_nframes(rb);
	char y[64], n[32], label[512];
	snprintf(label, sizeof label, "申請者 %ld 件（エラー %ld 件）  規則集 %.12s", s->records, s->errors,
		 hj_rulebook_hash(rb));
	cli_wrap(stdout, label, 0, 80);
	putchar('\n');
	printf("申請者ごと（1件を1回だけ数えます）\n");
	const char *what[4] = { "  いずれかの枠で対象", "  対象の枠はなく、要確認の枠がある", "  どの枠も対象外",
				"  申請日に受付中の枠がない" };
	long cnt[4] = { s->all.eligible, s->all.undetermined, s->all.ineligible, s->all.none_in_force };
	for (int k = 0; k < 4; k++) {
		if (k == 3 && !cnt[k])
			break; /* shown only when it happens */
		snprintf(y, sizeof y, "%ld 件", cnt[k]);
		cli_kv(stdout, what[k], y, 64);
	}
	hj_yen_format_short(s->all.best_total, y, sizeof y);
	cli_kv(stdout, "  各申請者が最善の枠を選んだ補助額合計", y, 64);
	if (s->undated) {
		/* without a date every edition counts, closed ones included */
		snprintf(label, sizeof label,
			 "注意（要確認）: 申請日のない申請者 %ld 件は、規則集の全ての版（受付終了・受付前の版を含む）の枠で判定"
			 "しています。date 列か --date で申請日を与えると、その日に受付中の枠だけで判定します。",
			 s->undated);
		cli_wrap(stdout, label, 2, 80);
	}
	cli_wrap(stdout, "最善の枠: 補助額が最大の枠。同額なら上限額が高い枠、それも同じなら\nhojo rules で先に並ぶ枠（hojo check の1位と同じ）。", 2, 80);
	putchar('\n');

	/* the tables when they fit the terminal, else one block per frame */
	static const char best_head[] = "枠                                   件数              補助額合計";
	static const char frame_head[] = "枠                          対象    要確認    対象外  補助額合計（対象）";
	int cols = cli_columns(80), best_fits = cli_width(best_head) <= cols, frame_fits = cli_width(frame_head) <= cols;
	char line[600];
	printf("最善の枠ごと\n");
	if (!s->all.eligible)
		printf("  （どの申請者も対象の枠がありません）\n");
	else if (best_fits)
		printf("%s\n", best_head);
	for (int i = 0; i < nf; i++) {
		const hj_tally *t = &s->frames[i];
		if (!t->best)
			continue;
		const hj_frame *fr = hj_rulebook_frame(rb, i);
		snprintf(n, sizeof n, "%ld", t->best);
		hj_yen_format_short(t->best_subsidy, y, sizeof y);
		frame_label(fr, label, sizeof label);
		if (!best_fits) {
			printf("%s\n", hj_frame_id(fr));
			cli_wrap(stdout, label, 4, 80);
			snprintf(line, sizeof line, "件数%s・補助額合計%s", n, y);
			cli_wrap(stdout, line, 4, 80);
			continue;
		}
		cli_pad(stdout, hj_frame_id(fr), 30);
		cli_rpad(stdout, n, 10);
		cli_rpad(stdout, y, 24);
		putchar('\n');
		cli_wrap(stdout, label, 4, 80);
	}

	putchar('\n');
	cli_wrap(stdout, "枠ごと（複数の枠で対象の申請者は枠ごとに数えるため、補助額合計を\n足し合わせると重複します）", 0, 80);
	int shown = 0;
	for (int i = 0; i < nf && !shown; i++)
		shown = s->frames[i].count[0] || s->frames[i].count[1] || s->frames[i].count[2];
	if (shown && frame_fits)
		printf("%s\n", frame_head);
	else if (!shown)
		printf("  （どの申請者にも、申請日に受付中の枠がありません）\n");
	for (int i = 0; i < nf; i++) {
		const hj_tally *t = &s->frames[i];
		char c[3][32];
		if (!t->count[0] && !t->count[1] && !t->count[2])
			continue; /* not in force for any record */
		for (int k = 0; k < 3; k++)
			snprintf(c[k], sizeof c[k], "%ld", t->count[2 - k]);
		hj_yen_format_short(t->subsidy, y, sizeof y);
		const hj_frame *fr = hj_rulebook_frame(rb, i);
		frame_label(fr, label, sizeof label);
		if (!frame_fits) {
			printf("%s\n", hj_frame_id(fr));
			cli_wrap(stdout, label, 4, 80);
			snprintf(line, sizeof line, "対象%s・要確認%s・対象外%s・補助額合計（対象）%s", c[0], c[1], c[2], y);
			cli_wrap(stdout, line, 4, 80);
			continue;
		}
		cli_pad(stdout, hj_frame_id(fr), 26);
		cli_rpad(stdout, c[0], 8);
		cli_rpad(stdout, c[1], 10);
		cli_rpad(stdout, c[2], 10);
		cli_rpad(stdout, y, 20);
		putchar('\n');
		cli_wrap(stdout, label, 4, 80);
	}
}

/* --summary: hj_summarize, then text, JSON or the CSV breakdowns. */
static int summary(opts *o, hj_rulebook *rb, hj_format fmt)
{
	hj_summary s;
	if (hj_summary_init(rb, &s))
		return cli_nomem();
	long shown = 0;
	hj_error err;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	const char *env = getenv("HOJO_THREADS");
	if (env && atoi(env) > 0)
		cpus = atoi(env);
	hj_selection sel = o->sel;
	hj_status st = hj_summarize(rb, o->args[0], fmt, &sel, cpus > 0 ? (int)cpus : 1, &s, print_error, &shown,
				    &err);
	if (st) {
		hj_summary_free(&s);
		return cli_fail(&err);
	}
	if (o->csv)
		summary_csv(rb, &s);
	else if (o->json)
		cli_string_out(hj_summary_document(rb, &s, o->pretty));
	else
		summary_text(rb, &s);
	int rc = s.errors ? EXIT_INPUT : EXIT_DONE;
	hj_summary_free(&s);
	return rc;
}

/* --input-format: csv, jsonl, or by the file's extension */
int cli_input_format(const opts *o, hj_format *fmt)
{
	*fmt = HJ_FMT_AUTO;
	if (!o->input_format)
		return EXIT_DONE;
	if (!strcmp(o->input_format, "csv"))
		*fmt = HJ_FMT_CSV;
	else if (!strcmp(o->input_format, "jsonl"))
		*fmt = HJ_FMT_JSONL;
	else {
		fprintf(stderr, "hojo: 入力エラー: --input-format は csv か jsonl です\n");
		return EXIT_INPUT;
	}
	return EXIT_DONE;
}

/* The CSV column map of --column and --ignore-extra-columns. */
void cli_columns_opt(const opts *o, hj_columns *c)
{
	c->map = o->columns;
	c->nmap = o->ncolumns;
	c->ignore_extra = o->ignore_extra;
}

/* --format csv: one row per applicant and frame. */
static void result_csv(hj_rulebook *rb, const hj_reader *rd, const hj_facts *f, const hj_result *res, int n)
{
	char q[32];
	for (int i = 0; i < (n ? n : 1); i++) {
		const hj_result *r = n ? &res[i] : NULL;
		printf("%ld,", hj_reader_line(rd));
		cli_csv_cell(hj_facts_id(f));
		putchar(',');
		cli_csv_cell(hj_facts_name(f));
		if (!r) {
			/* no selected frame in force on its date */
			printf(",,none_in_force,,,,0,\n");
			continue;
		}
		printf(",%s,%s,", hj_frame_id(r->frame), hj_verdict_name(r->verdict));
		if (r->rate_known) {
			hj_frac_format(r->rate, q, sizeof q);
			fputs(q, stdout);
		}
		putchar(',');
		if (r->cap_known)
			printf("%lld", (long long)r->cap);
		putchar(',');
		if (r->verdict == HJ_ELIGIBLE)
			printf("%lld", (long long)r->subsidy);
		/* sorted as hojo check ranks: the first, if eligible, is the best */
		printf(",%d,", i == 0 && r->verdict == HJ_ELIGIBLE);
		for (int k = 0; k < r->nmissing; k++)
			printf("%s%s", k ? " " : "", hj_fact_name(rb, r->missing[k]));
		putchar('\n');
	}
}

int cmd_batch(opts *o, hj_rulebook *rb)
{
	hj_format fmt;
	int rc = cli_input_format(o, &fmt);
	if (rc)
		return rc;
	int out_csv = 0;
	if (o->format && !strcmp(o->format, "csv"))
		out_csv = 1;
	else if (o->format && strcmp(o->format, "jsonl")) {
		fprintf(stderr, "hojo: 入力エラー: batch の --format は jsonl（既定）か csv です（入力形式は --input-format）\n");
		return EXIT_INPUT;
	}
	if (o->csv && !o->summary) {
		fprintf(stderr, "hojo: 入力エラー: batch の --csv は --summary と使います\n");
		return EXIT_INPUT;
	}
	if (out_csv && o->summary) {
		fprintf(stderr, "hojo: 入力エラー: --format csv は申請者ごとの出力です（集計の CSV は --summary --csv）\n");
		return EXIT_INPUT;
	}
	hj_columns cols;
	cli_columns_opt(o, &cols);
	o->sel.columns = &cols;
	if (o->summary) {
		return summary(o, rb, fmt);
	}
	FILE *in = strcmp(o->args[0], "-") ? fopen(o->args[0], "r") : stdin;
	hj_facts *f = NULL;
	hj_reader *rd = NULL;
	hj_error err;
	if (!in) {
		fprintf(stderr, "hojo: 入力エラー: %s: ファイルを開けません\n", o->args[0]);
		rc = EXIT_INPUT;
		goto out;
	}
	if (hj_facts_new(rb, &f)) {
		rc = cli_nomem();
		goto out;
	}
	if (hj_reader_open(rb, in, o->args[0], fmt, &rd, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (hj_reader_set_columns(rd, &cols, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (out_csv)
		printf("line,id,name,frame,verdict,rate,cap_yen,subsidy_yen,best,missing_facts\n");
	/* frames to evaluate; with a per-record date the selection is redone per record */
	const hj_frame *frames[MAX_FRAMES];
	int nframes = 0;
	for (int i = 0; i < hj_rulebook_nframes(rb) && nframes < MAX_FRAMES; i++) {
		hj_selection s = o->sel;
		if (!o->date_given)
			s.has_date = 0;
		if (hj_frame_selected(hj_rulebook_frame(rb, i), &s))
			frames[nframes++] = hj_rulebook_frame(rb, i);
	}
	long records = 0, bad = 0;
	static hj_result res[MAX_FRAMES];
	for (;;) {
		int eof;
		hj_status st = hj_reader_next(rd, f, &eof, &err);
		if (eof && !st)
			break;
		if (st) {
			char buf[1200];
			hj_error_format(&err, buf, sizeof buf);
			fprintf(stderr, "hojo: %s: %s\n", hj_status_name(st), buf);
			bad++;
			if (st == HJ_ERR_IO || st == HJ_ERR_NOMEM || bad > 1000) {
				rc = st == HJ_ERR_INPUT ? EXIT_INPUT : EXIT_INTERNAL;
				if (bad > 1000)
					fprintf(stderr, "hojo: エラーが多すぎるため中止します\n");
				goto out;
			}
			if (eof)
				break;
			continue;
		}
		records++;
		hj_date d;
		int use_date = o->date_given ? 1 : hj_facts_date(f, &d);
		if (o->date_given)
			d = o->sel.date;
		int n = 0;
		for (int i = 0; i < nframes; i++) {
			if (use_date && !hj_frame_in_force(frames[i], d))
				continue;
			hj_evaluate(rb, f, frames[i], &res[n]);
			n++;
		}
		if (out_csv) {
			hj_results_sort(res, n);
			result_csv(rb, rd, f, res, n);
		} else {
			hj_results_sort(res, n);
			json_t *j = json_object();
			json_object_set_new(j, "line", json_integer(hj_reader_line(rd)));
			json_object_set_new(j, "id", hj_facts_id(f)[0] ? json_string(hj_facts_id(f)) : json_null());
			json_object_set_new(j, "name", json_string(hj_facts_name(f)));
			json_object_set_new(j, "classification",
					    n && hj_size_class_id(rb, res[0].size_class)
						    ? json_string(hj_size_class_id(rb, res[0].size_class))
						    : json_null());
			json_t *arr = json_array();
			for (int i = 0; i < n; i++) {
				const hj_result *r = &res[i];
				char q[32];
				json_t *x = json_object();
				json_object_set_new(x, "frame", json_string(hj_frame_id(r->frame)));
				json_object_set_new(x, "verdict", json_string(hj_verdict_name(r->verdict)));
				if (r->rate_known) {
					hj_frac_format(r->rate, q, sizeof q);
					json_object_set_new(x, "rate", json_string(q));
				} else
					json_object_set_new(x, "rate", json_null());
				json_object_set_new(x, "cap_yen", r->cap_known ? json_integer(r->cap) : json_null());
				json_object_set_new(x, "subsidy_yen",
						    r->verdict == HJ_ELIGIBLE ? json_integer(r->subsidy) : json_null());
				json_t *m = json_array();
				for (int k = 0; k < r->nmissing; k++)
					json_array_append_new(m, json_string(hj_fact_name(rb, r->missing[k])));
				json_object_set_new(x, "missing_facts", m);
				if (r->raised == HJ_TRUE && hj_frame_nraised_reqs(r->frame)) {
					/* the raised cap is in cap_yen: so are the obligations it brings */
					json_t *rq = json_array();
					for (int k = 0; k < hj_frame_nraised_reqs(r->frame); k++)
						json_array_append_new(
							rq, json_string(hj_frame_req_id(r->frame, hj_frame_raised_req(r->frame, k))));
					json_object_set_new(x, "raised_requirements", rq);
				}
				if (r->nreqs) {
					/* with a plan: its verdict, the requirements failed and unknown */
					json_t *fl = json_array(), *un = json_array();
					for (int k = 0; k < r->nreqs; k++)
						if (r->req[k] != HJ_TRUE)
							json_array_append_new(r->req[k] == HJ_FALSE ? fl : un,
									      json_string(hj_frame_req_id(r->frame, k)));
					json_object_set_new(x, "plan", json_pack("{s:s,s:o,s:o}", "verdict",
										 hj_verdict_name((hj_verdict)r->plan_verdict),
										 "failed", fl, "undetermined", un));
				}
				json_array_append_new(arr, x);
			}
			json_object_set_new(j, "results", arr);
			/* sorted as hojo check ranks: the first, if eligible, is the best frame */
			json_object_set_new(j, "best_frame",
					    n && res[0].verdict == HJ_ELIGIBLE ? json_string(hj_frame_id(res[0].frame))
									    : json_null());
			cli_json_out(j, 0);
		}
	}
	if (bad && !rc)
		rc = EXIT_INPUT;
out:
	hj_reader_free(rd);
	hj_facts_free(f);
	if (in && in != stdin)
		fclose(in);
	return rc;
}
