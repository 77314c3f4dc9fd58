/*
 * rules.c - 'hojo rules' (what the rulebook holds) and 'hojo facts'
 * (what an input may say).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "hojo.h"

static void period(const hj_frame *fr, char *buf, size_t size)
{
	char a[16] = "", b[16] = "";
	hj_date d;
	if (hj_frame_from(fr, &d))
		hj_date_format(d, a, sizeof a);
	if (hj_frame_to(fr, &d))
		hj_date_format(d, b, sizeof b);
	snprintf(buf, size, "%s〜%s", a, b);
}

/* The loader's one-line summary of a frame (kind "summary"). */
static const char *summary(const hj_frame *fr)
{
	for (int i = 0; i < hj_frame_nitems(fr); i++)
		if (!strcmp(hj_frame_item(fr, i)->kind, "summary"))
			return hj_frame_item(fr, i)->value;
	return "";
}

/* "中小企業者の表（8行、ほかの法人形態は要確認）[company_table] 出典: facts §2b":
 * the SME definition an edition uses, with the edition's citation for it. */
static void size_line(const hj_rulebook *rb, const hj_edition *ed, char *buf, size_t n)
{
	hj_size_info z;
	hj_edition_size(rb, ed, &z);
	snprintf(buf, n, "中小企業者の定義: %s（%d行%s）[%s] 出典: %s", z.label, z.nrows,
		 z.open ? "、ほかの法人形態は要確認" : "", z.id, z.source[0] ? z.source : z.def_source);
}

static void show_size(const hj_rulebook *rb, const hj_edition *ed, int indent)
{
	char line[1600];
	hj_size_info z;
	if (!hj_rulebook_has_sizes(rb))
		return; /* a rulebook without size tables (another engine's) */
	hj_edition_size(rb, ed, &z);
	size_line(rb, ed, line, sizeof line);
	cli_wrap(stdout, line, indent, 80);
	if (z.note[0]) {
		snprintf(line, sizeof line, "注: %s", z.note);
		cli_wrap(stdout, line, indent + 4, 80);
	}
}

static int show_frame(const hj_rulebook *rb, const hj_frame *fr)
{
	char p[64];
	period(fr, p, sizeof p);
	const hj_edition *ed = hj_frame_edition(fr);
	char top[1600];
	snprintf(top, sizeof top, "%s %s %s [%s]", hj_program_short(hj_edition_program(ed)), hj_edition_short(ed),
		 hj_frame_name(fr), hj_frame_id(fr));
	cli_wrap(stdout, top, 0, 80);
	snprintf(top, sizeof top, "版: %s 受付: %s 出典: %s", hj_edition_name(ed), p, hj_frame_source(fr));
	cli_wrap(stdout, top, 0, 80);
	const char *ct, *cs, *cn;
	if (hj_edition_covers(ed, &ct, &cs, &cn)) {
		snprintf(top, sizeof top, "注意: この版の規則は %s のもの（%s）。期間内の他の公募回の規則は規則集にない", ct, cs);
		cli_wrap(stdout, top, 0, 80);
		if (cn[0]) {
			snprintf(top, sizeof top, "注: %s", cn);
			cli_wrap(stdout, top, 4, 80);
		}
	}
	show_size(rb, ed, 0);
	cli_wrap(stdout, summary(fr), 0, 80);
	putchar('\n');
	static const char *const heads[][2] = { { "eligibility", "対象となる条件" },
					       { "cap", "補助上限額" },
					       { "cap_band", "" },
					       { "cap_raise", "上限の特例" },
					       { "cap_bonus", "上限の上乗せ" },
					       { "rate", "補助率" },
					       { "rate_exception", "補助率の特例" },
					       { "tier", "段階" },
					       { "lower_limit", "補助下限額" },
					       { "period", "受付期間" },
					       { "requirement", "計画の要件（plan があれば判定に含む）" },
					       { "expense_categories", "補助対象経費" },
					       { "expense_excluded", "対象外の経費" },
					       { "expense_undetermined", "扱いが要確認の経費" },
					       { "note", "注記" },
					       { "base", "補助対象経費" },
					       { "part", "加算する部分" },
					       { "total_cap", "合計の上限" },
					       { "slots", "採択件数" },
					       { "group_members", "連携体・共同申請" },
					       { "group_pool", "連携体・共同申請" },
					       { "group_nothing", "連携体・共同申請" },
					       { "group_total_cap", "連携体・共同申請" },
					       { "group_total_cap_bonus", "共同申請全体の上乗せ" },
					       { "group_rule", "連携体・共同申請の要件" } };
	char line[2400];
	for (int i = 0; i < hj_frame_nitems(fr); i++) {
		const hj_item *it = hj_frame_item(fr, i);
		if (!strcmp(it->kind, "summary"))
			continue;
		const char *head = it->kind;
		for (size_t k = 0; k < sizeof heads / sizeof heads[0]; k++)
			if (!strcmp(heads[k][0], it->kind))
				head = heads[k][1];
		if (!strcmp(it->kind, "cap_band"))
			snprintf(line, sizeof line, "  %s", it->value);
		else if (it->value[0] && it->text[0])
			snprintf(line, sizeof line, "%s: %s — %s", head, it->text, it->value);
		else
			snprintf(line, sizeof line, "%s: %s%s", head, it->text, it->value);
		cli_wrap(stdout, line, 0, 80);
		if (it->note[0]) {
			snprintf(line, sizeof line, "注: %s", it->note);
			cli_wrap(stdout, line, 4, 80);
		}
		if (it->source[0] && strcmp(it->kind, "cap_band")) {
			snprintf(line, sizeof line, "出典: %s", it->source);
			cli_wrap(stdout, line, 4, 80);
		}
	}
	return EXIT_DONE;
}

int cmd_rules(opts *o, hj_rulebook *rb)
{
	int rc = EXIT_DONE;
	if (o->nargs == 1) {
		const hj_frame *fr;
		if ((rc = cli_find_frame(rb, o->args[0], &fr)))
			goto out;
		if (o->json)
			rc = cli_string_out(hj_rules_document(rb, &o->sel, fr, o->pretty));
		else
			rc = show_frame(rb, fr);
		goto out;
	}
	if (o->json) {
		rc = cli_string_out(hj_rules_document(rb, &o->sel, NULL, o->pretty));
		goto out;
	}
	char top[600];
	snprintf(top, sizeof top, "規則集 %s %s（%.12s）", hj_rulebook_name(rb), hj_rulebook_version(rb), hj_rulebook_hash(rb));
	cli_wrap(stdout, top, 0, 80);
	for (int p = 0; p < hj_rulebook_nprograms(rb); p++) {
		const hj_program *pr = hj_rulebook_program(rb, p);
		if (o->program && strcmp(o->program, hj_program_id(pr)))
			continue;
		char ph[600];
		snprintf(ph, sizeof ph, "■ %s（%s）[%s]", hj_program_short(pr), hj_program_name(pr), hj_program_id(pr));
		putchar('\n');
		cli_wrap(stdout, ph, 0, 80);
		for (int e = 0; e < hj_program_neditions(pr); e++) {
			const hj_edition *ed = hj_program_edition(pr, e);
			char a[16] = "", b[16] = "";
			hj_date d;
			if (hj_edition_from(ed, &d))
				hj_date_format(d, a, sizeof a);
			if (hj_edition_to(ed, &d))
				hj_date_format(d, b, sizeof b);
			char head[600];
			snprintf(head, sizeof head, "%s [%s] %s〜%s %s", hj_edition_name(ed), hj_edition_id(ed), a, b,
				 hj_edition_source(ed));
			putchar('\n');
			cli_wrap(stdout, head, 2, 80);
			const char *ct, *cs, *cn;
			if (hj_edition_covers(ed, &ct, &cs, &cn)) {
				snprintf(head, sizeof head, "注意: この版の規則は %s のもの（%s）。期間内の他の公募回の規則は規則集にない", ct,
					 cs);
				cli_wrap(stdout, head, 2, 80);
			}
			show_size(rb, ed, 2);
			for (int i = 0; i < hj_edition_nframes(ed); i++) {
				const hj_frame *fr = hj_edition_frame(ed, i);
				char fl[600];
				snprintf(fl, sizeof fl, "%s [%s]", hj_frame_name(fr), hj_frame_id(fr));
				cli_wrap(stdout, fl, 4, 80);
				cli_wrap(stdout, summary(fr), 6, 80);
			}
		}
	}
	putchar('\n');
	cli_wrap(stdout, "枠の詳細（条件・出典）: hojo rules <枠id>", 0, 80);
out:
	return rc;
}

/* 1 when some fact read from the input takes values of enum 'e'. */
static int enum_in_input(const hj_rulebook *rb, int e)
{
	for (int i = 0; i < hj_rulebook_nfacts(rb); i++)
		if (hj_fact_enum(rb, i) == e && strcmp(hj_fact_type_name(rb, i), "derived"))
			return 1;
	return 0;
}

/* "retail / service": the candidate values of an alias. */
static void candidates_text(const hj_rulebook *rb, int e, uint64_t c, char *buf, size_t size)
{
	size_t o = 0;
	buf[0] = '\0';
	for (int v = 0; v < hj_enum_nvalues(rb, e) && v < 64 && o < size; v++)
		if (c >> v & 1)
			o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? " / " : "", hj_enum_value_id(rb, e, v));
}

/* "株式会社, 有限会社": the names of the aliases standing for value v. */
static void alias_names(const hj_rulebook *rb, int e, int v, char *buf, size_t size)
{
	size_t o = 0;
	buf[0] = '\0';
	for (int a = 0; a < hj_enum_naliases(rb, e); a++) {
		hj_alias_info x;
		hj_enum_alias(rb, e, a, &x);
		if (x.value != v)
			continue;
		for (int k = 0; k < x.nnames && o < size; k++)
			o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? ", " : "", x.names[k]);
	}
}

/* Every enum an input may use: each value's id, Japanese label and the
 * other names accepted; then the names that stand for several values. */
static void enums_text(const hj_rulebook *rb)
{
	char line[4000], names[3000];
	int any = 0;
	for (int e = 0; e < hj_rulebook_nenums(rb); e++)
		any |= enum_in_input(rb, e);
	if (!any)
		return; /* a rulebook whose inputs have no enum */
	putchar('\n');
	cli_wrap(stdout, "選択肢の値（id・日本語名・別名のどれでも書けます。rules/facts.yaml）", 0, 80);
	for (int e = 0; e < hj_rulebook_nenums(rb); e++) {
		if (!enum_in_input(rb, e))
			continue;
		int idw = 0;
		for (int v = 0; v < hj_enum_nvalues(rb, e); v++)
			if (cli_width(hj_enum_value_id(rb, e, v)) > idw)
				idw = cli_width(hj_enum_value_id(rb, e, v));
		putchar('\n');
		for (int i = 0; i < hj_rulebook_nfacts(rb); i++)
			if (hj_fact_enum(rb, i) == e && strcmp(hj_fact_type_name(rb, i), "derived")) {
				snprintf(line, sizeof line, "%s — %s（%s）", hj_enum_name(rb, e), hj_fact_input(rb, i),
					 hj_fact_label(rb, i));
				cli_wrap(stdout, line, 2, 80);
			}
		for (int v = 0; v < hj_enum_nvalues(rb, e); v++) {
			alias_names(rb, e, v, names, sizeof names);
			fputs("    ", stdout);
			cli_pad(stdout, hj_enum_value_id(rb, e, v), idw + 2);
			if (names[0])
				snprintf(line, sizeof line, "%s（別名: %s）", hj_enum_value_label(rb, e, v), names);
			else
				snprintf(line, sizeof line, "%s", hj_enum_value_label(rb, e, v));
			cli_wrap_from(stdout, line, idw + 6, 80);
		}
		int head = 0;
		for (int a = 0; a < hj_enum_naliases(rb, e); a++) {
			hj_alias_info x;
			hj_enum_alias(rb, e, a, &x);
			if (x.value >= 0)
				continue;
			if (!head++)
				cli_wrap(stdout,
					 "候補が複数ある名前（候補それぞれで判定し、結果が違えば要確認。id で書けば決まります）:",
					 4, 80);
			size_t o = 0;
			names[0] = '\0';
			for (int k = 0; k < x.nnames && o < sizeof names; k++)
				o += (size_t)snprintf(names + o, sizeof names - o, "%s%s", k ? ", " : "", x.names[k]);
			char c[512];
			candidates_text(rb, e, x.candidates, c, sizeof c);
			snprintf(line, sizeof line, "%s → %s（%s）", names, c, x.source);
			cli_wrap(stdout, line, 6, 80);
		}
	}
}

/* The fields an input may have: the two the reader knows itself (date,
 * applicant.name), then every fact read from the input. */
#define ID_LABEL "記録の識別子（batch・diff の出力の各行に付きます）"

int cmd_facts(opts *o, hj_rulebook *rb)
{
	int n = hj_rulebook_nfacts(rb), pathw = 0;
	if (o->json)
		return cli_string_out(hj_facts_document(rb, o->pretty));
	for (int i = 0; i < n; i++)
		if (strcmp(hj_fact_type_name(rb, i), "derived") && cli_width(hj_fact_input(rb, i)) > pathw)
			pathw = cli_width(hj_fact_input(rb, i));
	if (pathw > 26)
		pathw = 26; /* longer paths take a line of their own */
	cli_wrap(stdout, "入力に書ける項目（YAML/JSON のパス、CSV の列名、型、意味）", 0, 80);
	putchar('\n');
	char line[1000], col2[200];
	/* one row: the path, padded; then [name, type] and the label, wrapped
	 * under the second column when the path is short enough */
	struct {
		const char *input, *name, *type, *label;
	} fixed[] = { { "date", "date", "date", "申請日 YYYY-MM-DD（入力の最上位）" },
		      { "applicant.name", "name", "text", "申請者の名前（表示用）" },
		      { "id", "id", "text", ID_LABEL } };
	for (int i = -3; i < n; i++) {
		const char *in, *nm, *t, *lb;
		if (i < 0) {
			in = fixed[i + 3].input, nm = fixed[i + 3].name, t = fixed[i + 3].type, lb = fixed[i + 3].label;
		} else {
			t = hj_fact_type_name(rb, i);
			in = hj_fact_input(rb, i);
			if (!strcmp(t, "derived") || !strcmp(in, "date"))
				continue;
			nm = hj_fact_name(rb, i), lb = hj_fact_label(rb, i);
		}
		snprintf(col2, sizeof col2, "[%s, %s]", nm, t);
		fputs("  ", stdout);
		if (cli_width(in) <= pathw) {
			cli_pad(stdout, in, pathw + 2);
			snprintf(line, sizeof line, "%s %s", col2, lb);
			cli_wrap_from(stdout, line, pathw + 4, 80);
		} else {
			puts(in);
			snprintf(line, sizeof line, "%s %s", col2, lb);
			cli_wrap(stdout, line, pathw + 4, 80);
		}
	}
	if (hj_rulebook_ncolumns(rb)) {
		/* the data set's own column names (columns:) */
		putchar('\n');
		cli_wrap(stdout, "CSV の列名の対応（規則集の columns:。--column 列=事実 で追加・上書き）", 0, 80);
		for (int i = 0; i < hj_rulebook_ncolumns(rb); i++) {
			const char *c, *t;
			hj_rulebook_column(rb, i, &c, &t);
			snprintf(line, sizeof line, "%s → %s", c, t);
			cli_wrap(stdout, line, 2, 80);
		}
	}
	enums_text(rb);
	return EXIT_DONE;
}
