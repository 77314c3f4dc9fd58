/*
 * expenses.c - 'hojo expenses FILE': the input's expense lines against
 * every frame in force (or --frame ID): accepted totals by category,
 * refused and undetermined (要確認) lines with the reason and source, the
 * frame's expense rules,
 * and the subsidy computed on the accepted totals.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hojo.h"

static void print_frame(hj_facts *f, const hj_expense_result *x)
{
	const hj_frame *fr = x->frame;
	char line[1200], a[64], b[64];
	snprintf(line, sizeof line, "■ %s %s %s [%s]", hj_program_short(hj_edition_program(hj_frame_edition(fr))),
		 hj_edition_short(hj_frame_edition(fr)), hj_frame_name(fr), hj_frame_id(fr));
	cli_wrap(stdout, line, 0, 80);
	/* the verdict on a line of its own, never split from its label */
	snprintf(line, sizeof line, "判定: %s", hj_verdict_name_ja(x->verdict));
	if (x->verdict == HJ_ELIGIBLE) {
		size_t o = strlen(line);
		hj_yen_format_short(x->result.subsidy, a, sizeof a);
		snprintf(line + o, sizeof line - o, "  補助額 %s", a);
	}
	cli_wrap(stdout, line, 2, 80);
	hj_yen_format_short(x->eligible_total, a, sizeof a);
	printf("  対象の経費 %s\n", a);
	/* category, amount, lines: the first column as wide as the longest
	 * category; the amount under the category when the terminal is
	 * narrower than that */
	int nw = 40;
	for (int c = 0; c < x->ncats; c++)
		if (x->cats[c].nlines && 4 + cli_width(x->cats[c].name) + 1 > nw)
			nw = 4 + cli_width(x->cats[c].name) + 1;
	for (int c = 0; c < x->ncats; c++) {
		if (!x->cats[c].nlines)
			continue;
		hj_yen_format_short(x->cats[c].total, a, sizeof a);
		snprintf(line, sizeof line, "    %s", x->cats[c].name);
		snprintf(b, sizeof b, "（%d行）", x->cats[c].nlines);
		if (nw + 14 + cli_width(b) <= cli_columns(80)) {
			cli_pad(stdout, line, nw);
			cli_rpad(stdout, a, 14);
			printf("%s\n", b);
		} else {
			cli_wrap(stdout, x->cats[c].name, 4, 80);
			printf("        %s%s\n", a, b);
		}
	}
	if (x->refused_total) {
		hj_yen_format_short(x->refused_total, a, sizeof a);
		printf("  対象外の行（合計 %s）\n", a);
		for (int i = 0; i < x->nlines; i++) {
			if (x->lines[i].accepted || x->lines[i].undetermined)
				continue;
			const hj_expense_line *l = hj_facts_line(f, i);
			hj_yen_format_short(l->unit_price, a, sizeof a);
			hj_yen_format_short(l->amount, b, sizeof b);
			snprintf(line, sizeof line, "× %s %s×%lld = %s: %s（%s）", l->name, a, (long long)l->quantity, b,
				 x->lines[i].reason, x->lines[i].source);
			cli_wrap(stdout, line, 4, 80);
		}
	}
	if (x->pending_total || x->result.verdict == HJ_UNDETERMINED) {
		int head = 0;
		for (int i = 0; i < x->nlines; i++) {
			if (!x->lines[i].undetermined)
				continue;
			if (!head++) {
				hj_yen_format_short(x->pending_total, a, sizeof a);
				printf("  要確認の行（合計 %s）\n", a);
			}
			const hj_expense_line *l = hj_facts_line(f, i);
			hj_yen_format_short(l->unit_price, a, sizeof a);
			hj_yen_format_short(l->amount, b, sizeof b);
			snprintf(line, sizeof line, "? %s %s×%lld = %s: %s（%s）", l->name, a, (long long)l->quantity, b,
				 x->lines[i].reason, x->lines[i].source);
			cli_wrap(stdout, line, 4, 80);
		}
	}
	for (int r = 0; r < x->nrules; r++) {
		snprintf(line, sizeof line, "%s %s（%s）", x->rules[r].ok == HJ_TRUE ? "✓" : "×", x->rules[r].text,
			 x->rules[r].source);
		cli_wrap(stdout, line, 2, 80);
	}
	putchar('\n');
}

int cmd_expenses(opts *o, hj_rulebook *rb)
{
	int rc = EXIT_DONE;
	hj_facts *f = NULL;
	hj_error err;
	int n = 0;
	hj_expense_result *x = calloc((size_t)hj_rulebook_nframes(rb), sizeof *x);
	if (!x) {
		rc = EXIT_INTERNAL;
		goto out;
	}
	if ((rc = cli_load_input(o, rb, o->args[0], &f)))
		goto out;
	if (!hj_facts_nlines(f)) {
		fprintf(stderr, "hojo: 入力エラー: %s: expense_lines（経費の行）がありません（docs/cli.md）\n", o->args[0]);
		rc = EXIT_INPUT;
		goto out;
	}
	const hj_frame *only = NULL;
	if (o->frame && (rc = cli_find_frame(rb, o->frame, &only)))
		goto out;
	for (int i = 0; i < hj_rulebook_nframes(rb); i++) {
		const hj_frame *fr = hj_rulebook_frame(rb, i);
		if (only ? fr != only : !hj_frame_selected(fr, &o->sel))
			continue;
		if (hj_expense_check(rb, f, fr, &x[n], &err)) {
			rc = cli_fail(&err);
			goto out;
		}
		if (!o->json)
			print_frame(f, &x[n]);
		n++;
	}
	if (o->json)
		rc = cli_string_out(hj_expenses_json(rb, f, x, n, o->pretty));
out:
	free(x);
	hj_facts_free(f);
	return rc;
}
