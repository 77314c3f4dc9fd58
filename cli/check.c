/*
 * check.c - 'hojo check' and 'hojo explain': one applicant, every frame
 * ranked, or one frame explained line by line.
 */
#include <stdio.h>
#include <string.h>
#include "hojo.h"

#define MAX_RESULTS 256

static void yen(hj_yen v, char *buf, size_t size)
{
	hj_yen_format_short(v, buf, size);
}

static const char *program_short(const hj_frame *fr)
{
	return hj_program_short(hj_edition_program(hj_frame_edition(fr)));
}

static void header(hj_rulebook *rb, hj_facts *f, const opts *o, const hj_result *r, int n)
{
	const char *name = hj_facts_name(f)[0] ? hj_facts_name(f) : "（名前なし）";
	int cls = n > 0 ? r[0].size_class : -1;
	printf("%s — %s\n", name, hj_size_class_name(rb, cls));
	char d[16] = "";
	if (o->sel.has_date)
		hj_date_format(o->sel.date, d, sizeof d);
	printf("規則集 %s %s（%.12s）  申請日: %s\n\n", hj_rulebook_name(rb), hj_rulebook_version(rb),
	       hj_rulebook_hash(rb), o->sel.has_date ? d : "指定なし（全ての版）");
}

/* The one-line reason under each frame. */
static void reason_lines(hj_rulebook *rb, hj_facts *f, const hj_result *r, int all)
{
	char line[1400], a[64], b[64], c[64];
	if (r->verdict == HJ_ELIGIBLE) {
		char q[32];
		hj_frac_format(r->rate, q, sizeof q);
		yen(r->cap, a, sizeof a);
		yen(r->expenses, b, sizeof b);
		hj_yen_format(r->subsidy, c, sizeof c);
		snprintf(line, sizeof line, "補助率 %s・上限 %s・経費 %s → %s", q, a, b, c);
		cli_wrap(stdout, line, 10, 80);
		if (r->raised != HJ_TRUE)
			return;
	}
	hj_reasons *rs;
	if (hj_explain(rb, f, r, &rs))
		return;
	if (r->verdict == HJ_ELIGIBLE) {
		/* the raised cap is shown: so are the obligations it brings */
		for (int i = 0; i < hj_reasons_count(rs); i++)
			if (!strcmp(hj_reasons_get(rs, i)->kind, "cap_raise"))
				cli_wrap(stdout, hj_reasons_get(rs, i)->text, 10, 80);
		hj_reasons_free(rs);
		return;
	}
	int shown = 0;
	for (int i = 0; i < hj_reasons_count(rs); i++) {
		const hj_reason *x = hj_reasons_get(rs, i);
		int show = 0;
		if (r->verdict == HJ_INELIGIBLE)
			show = (!strcmp(x->kind, "condition") && x->result == HJ_FALSE) ||
			       (!strcmp(x->kind, "lower_limit") && x->result == HJ_FALSE) ||
			       (!strcmp(x->kind, "requirement") && x->result == HJ_FALSE);
		else
			show = !strcmp(x->kind, "missing") ||
			       (!strcmp(x->kind, "requirement") && x->result == HJ_UNKNOWN) ||
			       (!strcmp(x->kind, "condition") && x->result == HJ_UNKNOWN && all);
		if (!show || (!all && shown >= 3))
			continue;
		if (x->source[0])
			snprintf(line, sizeof line, "%s %s（%s）", x->result == HJ_FALSE ? "×" : "?", x->text,
				 x->source);
		else
			snprintf(line, sizeof line, "%s %s", x->result == HJ_FALSE ? "×" : "?", x->text);
		cli_wrap(stdout, line, 10, 80);
		shown++;
	}
	hj_reasons_free(rs);
}

/* With a plan or expense lines in the input: one line each per frame
 * (a failed or unknown plan requirement is among the reasons above). */
static void extra_lines(hj_rulebook *rb, hj_facts *f, const hj_result *r)
{
	char line[1000], a[64];
	hj_error err;
	if (hj_facts_plan(f) && r->nreqs && r->plan_verdict == HJ_ELIGIBLE)
		cli_wrap(stdout, "計画: ✓ 要件をすべて満たす", 10, 80);
	if (hj_facts_nlines(f)) {
		static hj_expense_result x;
		if (hj_expense_check(rb, f, r->frame, &x, &err) == HJ_OK) {
			int refused = 0;
			for (int i = 0; i < x.nlines; i++)
				refused += !x.lines[i].accepted;
			hj_yen_format_short(x.eligible_total, a, sizeof a);
			snprintf(line, sizeof line, "経費: 対象 %s、対象外 %d行", a, refused);
			cli_wrap(stdout, line, 10, 80);
		}
	}
}

int cmd_check(opts *o, hj_rulebook *rb)
{
	int rc;
	hj_facts *f = NULL;
	if ((rc = cli_load_input(o, rb, o->args[0], &f)))
		goto out;
	static hj_result res[MAX_RESULTS];
	int n;
	hj_check(rb, f, &o->sel, res, MAX_RESULTS, &n);
	if (o->json) {
		rc = cli_string_out(hj_results_json(rb, f, &o->sel, res, n, o->pretty));
		goto out;
	}
	header(rb, f, o, res, n);
	if (n == 0)
		printf("この日付・条件で受付中の枠はありません。\n");
	else
		printf("順位 判定    補助額       補助金・版・枠\n");
	for (int i = 0; i < n; i++) {
		const hj_result *r = &res[i];
		char rank[16], amt[64], name[512];
		snprintf(rank, sizeof rank, "%d", i + 1);
		if (r->subsidy_known && r->verdict == HJ_ELIGIBLE)
			hj_yen_format_short(r->subsidy, amt, sizeof amt);
		else
			snprintf(amt, sizeof amt, "—");
		snprintf(name, sizeof name, "%s %s %s [%s]", program_short(r->frame),
			 hj_edition_short(hj_frame_edition(r->frame)), hj_frame_name(r->frame),
			 hj_frame_id(r->frame));
		cli_rpad(stdout, rank, 3);
		fputs("  ", stdout);
		cli_pad(stdout, hj_verdict_name_ja(r->verdict), 7);
		cli_rpad(stdout, amt, 11);
		fputs("  ", stdout);
		/* the name wraps under itself so that lines stay within 80 columns */
		{
			char tmp[600];
			snprintf(tmp, sizeof tmp, "%s", name);
			cli_wrap_from(stdout, tmp, 25, 80);
		}
		reason_lines(rb, f, r, o->all);
		extra_lines(rb, f, r);
	}
	if (n)
		printf("\n詳しい理由: hojo explain <枠id> %s\n", o->args[0]);
out:
	hj_facts_free(f);
	return rc;
}

static const char *mark(hj_truth t)
{
	return t == HJ_TRUE ? "✓" : t == HJ_FALSE ? "×" : "?";
}

int cmd_explain(opts *o, hj_rulebook *rb)
{
	int rc = EXIT_DONE;
	hj_facts *f = NULL;
	const hj_frame *fr;
	if ((rc = cli_find_frame(rb, o->args[0], &fr)))
		goto out;
	if ((rc = cli_load_input(o, rb, o->args[1], &f)))
		goto out;
	hj_result r;
	hj_error err;
	int from_lines = hj_facts_nlines(f) > 0;
	if (from_lines) {
		/* explain the amounts computed from the frame's accepted lines */
		static hj_expense_result x;
		if (hj_expense_apply(rb, f, fr, &x, &err)) {
			rc = cli_fail(&err);
			goto out;
		}
		r = x.result;
		r.verdict = x.verdict;
	} else
		hj_evaluate(rb, f, fr, &r);
	if (o->json) {
		rc = cli_string_out(hj_results_json(rb, f, &o->sel, &r, 1, o->pretty));
		goto out;
	}
	const hj_edition *ed = hj_frame_edition(fr);
	char a[32] = "", b[32] = "", line[1600];
	hj_date d;
	if (hj_frame_from(fr, &d))
		hj_date_format(d, a, sizeof a);
	if (hj_frame_to(fr, &d))
		hj_date_format(d, b, sizeof b);
	printf("%s %s [%s]\n", hj_program_short(hj_edition_program(ed)), hj_frame_name(fr), hj_frame_id(fr));
	snprintf(line, sizeof line, "版: %s（%s） 受付: %s〜%s", hj_edition_name(ed), hj_edition_source(ed), a,
		 b);
	cli_wrap(stdout, line, 0, 80);
	if (o->sel.has_date && !hj_frame_in_force(fr, o->sel.date)) {
		char dd[16];
		hj_date_format(o->sel.date, dd, sizeof dd);
		printf("注意: %s はこの枠の受付期間外です\n", dd);
	}
	printf("判定: %s", hj_verdict_name_ja(r.verdict));
	if (r.subsidy_known && r.verdict == HJ_ELIGIBLE) {
		char s1[64], s2[64];
		hj_yen_format_short(r.subsidy, s1, sizeof s1);
		hj_yen_format(r.subsidy, s2, sizeof s2);
		printf("  補助額 %s（%s）", s1, s2);
	}
	printf("\n");
	if (from_lines)
		printf("経費: expense_lines のうちこの枠で対象の行の合計で計算（hojo expenses で行ごとに確認）\n");
	putchar('\n');
	hj_reasons *rs;
	if (hj_explain(rb, f, &r, &rs)) {
		rc = EXIT_INTERNAL;
		goto out;
	}
	for (int i = 0; i < hj_reasons_count(rs); i++) {
		const hj_reason *x = hj_reasons_get(rs, i);
		snprintf(line, sizeof line, "%s %s", mark(x->result), x->text);
		cli_wrap(stdout, line, 0, 80);
		if (x->values[0]) {
			snprintf(line, sizeof line, "値: %s", x->values);
			cli_wrap(stdout, line, 4, 80);
		}
		if (x->note[0]) {
			snprintf(line, sizeof line, "注: %s", x->note);
			cli_wrap(stdout, line, 4, 80);
		}
		if (x->source[0]) {
			snprintf(line, sizeof line, "出典: %s", x->source);
			cli_wrap(stdout, line, 4, 80);
		}
	}
	hj_reasons_free(rs);
out:
	hj_facts_free(f);
	return rc;
}
