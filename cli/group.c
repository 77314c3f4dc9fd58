/*
 * group.c - 'hojo group FILE': a consortium or joint application checked
 * against every group frame in force (or --frame ID): each member alone,
 * then the group's rules and a proposed allocation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hojo.h"

static const char *mark(hj_truth t)
{
	return t == HJ_TRUE ? "✓" : t == HJ_FALSE ? "×" : "?";
}

static void group_text(const hj_rulebook *rb, const hj_group_member *ms, const hj_group_result *g)
{
	const hj_frame *fr = g->frame;
	char line[1200], a[64], b[64], c[64];
	snprintf(line, sizeof line, "■ %s %s %s [%s]", hj_program_short(hj_edition_program(hj_frame_edition(fr))),
		 hj_edition_short(hj_frame_edition(fr)), hj_frame_name(fr), hj_frame_id(fr));
	cli_wrap(stdout, line, 0, 80);
	size_t o = (size_t)snprintf(line, sizeof line, "判定: %s", hj_verdict_name_ja(g->verdict));
	if (g->max_known) {
		hj_yen_format_short(g->max_total, a, sizeof a);
		snprintf(line + o, sizeof line - o, "  連携体の補助額の上限 %s", a);
	}
	cli_wrap(stdout, line, 2, 80);
	/* the member table: the name column as wide as the longest name; one
	 * block per member when the table is wider than the terminal */
	int nw = 17;
	for (int i = 0; i < g->nmembers; i++)
		if (2 + cli_width(ms[i].name) + 1 > nw)
			nw = 2 + cli_width(ms[i].name) + 1;
	int table = nw + 8 + 10 + 12 + 11 + (g->has_allocation ? 2 : 0) <= cli_columns(80);
	if (table) {
		cli_pad(stdout, "  構成員", nw);
		cli_pad(stdout, "判定", 8);
		cli_rpad(stdout, "上限", 10);
		cli_rpad(stdout, "この者の額", 12);
		cli_rpad(stdout, "配分案", 11);
		putchar('\n');
	}
	for (int i = 0; i < g->nmembers; i++) {
		const hj_member_result *m = &g->members[i];
		char nm[160];
		const char *v = m->nothing == HJ_TRUE ? "対象外" : hj_verdict_name_ja(m->result.verdict);
		snprintf(nm, sizeof nm, "  %s", ms[i].name);
		if (table) {
			cli_pad(stdout, nm, nw);
			cli_pad(stdout, v, 8);
		}
		if (m->nothing == HJ_TRUE)
			snprintf(a, sizeof a, "—");
		else if (m->result.cap_known)
			hj_yen_format_short(m->result.cap, a, sizeof a);
		else
			snprintf(a, sizeof a, "要確認");
		if (m->max_known)
			hj_yen_format_short(m->own_max, b, sizeof b);
		else
			snprintf(b, sizeof b, "要確認");
		if (ms[i].has_allocation)
			hj_yen_format_short(ms[i].allocation, c, sizeof c);
		else
			snprintf(c, sizeof c, "—");
		if (!table) {
			printf("%s\n", nm);
			snprintf(line, sizeof line, "判定 %s、上限 %s、この者の額 %s、配分案 %s%s%s", v, a, b, c,
				 g->has_allocation ? " " : "", g->has_allocation ? mark(m->allocation_ok) : "");
			cli_wrap(stdout, line, 6, 80);
			continue;
		}
		cli_rpad(stdout, a, 10);
		cli_rpad(stdout, b, 12);
		cli_rpad(stdout, c, 11);
		if (g->has_allocation)
			printf(" %s", mark(m->allocation_ok));
		putchar('\n');
	}
	for (int i = 0; i < g->nchecks; i++) {
		const hj_group_check *k = &g->checks[i];
		snprintf(line, sizeof line, "%s %s（%s）", mark(k->result), k->text, k->source);
		cli_wrap(stdout, line, 2, 80);
	}
	for (int i = 0; i < g->nmissing; i++) {
		snprintf(line, sizeof line, "? 未入力: %s の %s（%s）", ms[g->missing_member[i]].name,
			 hj_fact_label(rb, g->missing_fact[i]), hj_fact_input(rb, g->missing_fact[i]));
		cli_wrap(stdout, line, 2, 80);
	}
	putchar('\n');
}

int cmd_group(opts *o, hj_rulebook *rb)
{
	int rc = EXIT_DONE;
	hj_group_input *gi = NULL;
	hj_error err;
	if (hj_group_input_load(rb, o->args[0], &gi, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (!o->date_given && hj_group_input_date(gi, &o->sel.date))
		o->sel.has_date = 1;
	const hj_frame *only = NULL;
	if (o->frame) {
		only = hj_rulebook_find_frame(rb, o->frame);
		if (!only || !hj_frame_is_group(only)) {
			fprintf(stderr, "hojo: 入力エラー: '%s' は連携体・共同申請の枠ではありません（hojo rules で確認）\n",
				o->frame);
			rc = EXIT_INPUT;
			goto out;
		}
	}
	if (o->json) {
		char *s = NULL;
		hj_status st = hj_group_document(rb, gi, &o->sel, only, o->pretty, &s, &err);
		if (st == HJ_ERR_RANGE) {
			fprintf(stderr, "hojo: 入力エラー: %s:%d: %s: %s\n", o->args[0], err.line, err.field, err.message);
			rc = EXIT_INPUT;
		} else
			rc = st ? EXIT_INTERNAL : cli_string_out(s);
		goto out;
	}
	int n = hj_group_input_count(gi);
	const hj_group_member *ms = hj_group_input_members(gi);
	static hj_member_result mres[HJ_GROUP_MAX_MEMBERS];
	printf("%s — %d者\n\n", hj_group_input_name(gi)[0] ? hj_group_input_name(gi) : "（名前なし）", n);
	int shown = 0;
	for (int i = 0; i < hj_rulebook_nframes(rb); i++) {
		const hj_frame *fr = hj_rulebook_frame(rb, i);
		if (!hj_frame_is_group(fr) || (only && fr != only) || (!only && !hj_frame_selected(fr, &o->sel)))
			continue;
		hj_group_result g;
		if (hj_group_evaluate(rb, fr, ms, n, mres, &g)) {
			int k = g.overflow > 0 && g.overflow <= n ? g.overflow - 1 : 0;
			fprintf(stderr, "hojo: 入力エラー: %s:%d: members[%d]: %s: 構成員の金額の合計が計算できる範囲"
					"（9,223,372,036,854,775,807円）を超えます。金額を確かめてください\n",
				o->args[0], ms[k].line, k, hj_frame_id(fr));
			rc = EXIT_INPUT;
			goto out;
		}
		group_text(rb, ms, &g);
		shown++;
	}
	if (!shown)
		printf("この日付・条件で受付中の連携体・共同申請の枠はありません。\n");
out:
	hj_group_input_free(gi);
	return rc;
}
