/*
 * expenses.c - 'hojo expenses FILE': the input's expense lines against
 * every frame in force (or --frame ID): accepted totals by category,
 * refused lines with the reason and source, the frame's expense rules,
 * and the subsidy computed on the accepted totals.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "hojo.h"

static json_t *truth_json(hj_truth t)
{
	return t == HJ_TRUE ? json_true() : t == HJ_FALSE ? json_false() : json_null();
}

json_t *cli_expense_json(hj_facts *f, const hj_expense_result *x)
{
	json_t *cats = json_array(), *refused = json_array(), *rules = json_array();
	for (int c = 0; c < x->ncats; c++)
		if (x->cats[c].nlines)
			json_array_append_new(cats, json_pack("{s:s,s:s,s:I,s:i}", "category", x->cats[c].id, "name",
							      x->cats[c].name, "total_yen", (json_int_t)x->cats[c].total,
							      "lines", x->cats[c].nlines));
	for (int i = 0; i < x->nlines; i++) {
		const hj_expense_line *l = hj_facts_line(f, i);
		if (x->lines[i].accepted)
			continue;
		json_array_append_new(refused, json_pack("{s:i,s:s,s:s,s:I,s:s,s:s}", "line", l->line, "name", l->name,
							 "category", l->category, "amount_yen", (json_int_t)l->amount,
							 "reason", x->lines[i].reason, "source", x->lines[i].source));
	}
	for (int r = 0; r < x->nrules; r++)
		json_array_append_new(rules, json_pack("{s:s,s:s,s:o,s:s}", "id", x->rules[r].id, "text", x->rules[r].text,
						       "result", truth_json(x->rules[r].ok), "source", x->rules[r].source));
	return json_pack("{s:s,s:I,s:I,s:o,s:o,s:o,s:o}", "verdict", hj_verdict_name(x->verdict), "eligible_total_yen",
			 (json_int_t)x->eligible_total, "refused_total_yen", (json_int_t)x->refused_total, "subsidy_yen",
			 x->verdict == HJ_ELIGIBLE ? json_integer(x->result.subsidy) : json_null(), "categories", cats,
			 "refused", refused, "rules", rules);
}

static void print_frame(const hj_rulebook *rb, hj_facts *f, const hj_expense_result *x)
{
	(void)rb;
	const hj_frame *fr = x->frame;
	char line[1200], a[64], b[64];
	snprintf(line, sizeof line, "■ %s %s %s [%s] 判定: %s", hj_program_short(hj_edition_program(hj_frame_edition(fr))),
		 hj_edition_short(hj_frame_edition(fr)), hj_frame_name(fr), hj_frame_id(fr), hj_verdict_name_ja(x->verdict));
	if (x->verdict == HJ_ELIGIBLE) {
		size_t o = strlen(line);
		hj_yen_format_short(x->result.subsidy, a, sizeof a);
		snprintf(line + o, sizeof line - o, " 補助額 %s", a);
	}
	cli_wrap(stdout, line, 0, 80);
	hj_yen_format_short(x->eligible_total, a, sizeof a);
	printf("  対象の経費 %s\n", a);
	for (int c = 0; c < x->ncats; c++) {
		if (!x->cats[c].nlines)
			continue;
		hj_yen_format_short(x->cats[c].total, a, sizeof a);
		snprintf(line, sizeof line, "    %s", x->cats[c].name);
		cli_pad(stdout, line, 40);
		cli_rpad(stdout, a, 14);
		printf("（%d行）\n", x->cats[c].nlines);
	}
	if (x->refused_total) {
		hj_yen_format_short(x->refused_total, a, sizeof a);
		printf("  対象外の行（合計 %s）\n", a);
		for (int i = 0; i < x->nlines; i++) {
			if (x->lines[i].accepted)
				continue;
			const hj_expense_line *l = hj_facts_line(f, i);
			hj_yen_format_short(l->unit_price, a, sizeof a);
			hj_yen_format_short(l->amount, b, sizeof b);
			snprintf(line, sizeof line, "× %s %s×%lld = %s: %s（%s）", l->name, a, (long long)l->quantity, b,
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

int cmd_expenses(opts *o)
{
	if (o->nargs != 1) {
		fprintf(stderr, "hojo: 入力エラー: 使い方: hojo expenses FILE [--frame ID] [--json]\n");
		return EXIT_INPUT;
	}
	hj_rulebook *rb;
	int rc = cli_load_rules(o, &rb);
	if (rc)
		return rc;
	hj_facts *f = NULL;
	hj_error err;
	json_t *arr = NULL;
	hj_expense_result *x = calloc(1, sizeof *x);
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
	if (o->frame && !(only = hj_rulebook_find_frame(rb, o->frame))) {
		fprintf(stderr, "hojo: 入力エラー: 未知の枠 '%s'\n", o->frame);
		rc = EXIT_INPUT;
		goto out;
	}
	if (o->json)
		arr = json_array();
	for (int i = 0; i < hj_rulebook_nframes(rb); i++) {
		const hj_frame *fr = hj_rulebook_frame(rb, i);
		if (only ? fr != only : !hj_frame_selected(fr, &o->sel))
			continue;
		if (hj_expense_check(rb, f, fr, x, &err)) {
			rc = cli_fail(&err);
			goto out;
		}
		if (arr) {
			json_t *j = cli_expense_json(f, x);
			json_object_set_new(j, "frame", json_string(hj_frame_id(fr)));
			json_array_append_new(arr, j);
		} else
			print_frame(rb, f, x);
	}
	if (arr) {
		rc = cli_json_out(json_pack("{s:s,s:s,s:o}", "hojo", HJ_VERSION, "rulebook_hash", hj_rulebook_hash(rb),
					    "results", arr),
				  o->pretty);
		arr = NULL;
	}
out:
	json_decref(arr);
	free(x);
	hj_facts_free(f);
	hj_rulebook_free(rb);
	return rc;
}
