/*
 * check.c - 'hojo check' and 'hojo explain': one applicant, every frame
 * ranked, or one frame explained line by line.
 */
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "hojo.h"

#define MAX_RESULTS 256

static void yen(hj_yen v, char *buf, size_t size)
{
	hj_yen_format_short(v, buf, size);
}

/* The one style for a computed amount: 万円, with the exact yen in
 * brackets when the 万円 form is not already exact ("750万円（7,500,000円）"). */
static void yen_exact(hj_yen v, char *buf, size_t size)
{
	char a[64], b[64];
	hj_yen_format_short(v, a, sizeof a);
	hj_yen_format(v, b, sizeof b);
	if (strcmp(a, b))
		snprintf(buf, size, "%s（%s）", a, b);
	else
		snprintf(buf, size, "%s", a);
}

static const char *program_short(const hj_frame *fr)
{
	return hj_program_short(hj_edition_program(hj_frame_edition(fr)));
}

static void header(hj_rulebook *rb, hj_facts *f, const opts *o, const hj_result *r, int n)
{
	const char *name = hj_facts_name(f)[0] ? hj_facts_name(f) : "（名前なし）";
	int cls = n > 0 ? r[0].size_class : -1;
	if (hj_rulebook_has_sizes(rb))
		printf("%s — %s\n", name, hj_size_class_name(rb, cls));
	else
		printf("%s\n", name); /* a rulebook without size tables */
	char d[16] = "";
	if (o->sel.has_date)
		hj_date_format(o->sel.date, d, sizeof d);
	char line[600];
	snprintf(line, sizeof line, "規則集 %s %s（%.12s）  申請日: %s", hj_rulebook_name(rb), hj_rulebook_version(rb),
		 hj_rulebook_hash(rb), o->sel.has_date ? d : "指定なし（全ての版）");
	cli_wrap(stdout, line, 0, 80);
}

/* The one-line reason under each frame. */
static void reason_lines(hj_rulebook *rb, hj_facts *f, const hj_result *r, int all)
{
	char line[1400], a[64], b[64], c[64];
	if (r->verdict == HJ_ELIGIBLE) {
		char q[400];
		hj_frac_format(r->rate, q, sizeof q);
		if (!r->rate_known) {
			/* decided all the same: the rate as a range, and what
			 * would fix it */
			char lo[32], hi[32];
			hj_frac_format(r->rate_min, lo, sizeof lo);
			hj_frac_format(r->rate_max, hi, sizeof hi);
			int o = snprintf(q, sizeof q, "%s〜%s（", lo, hi);
			for (int i = 0; i < r->nrate_facts && o < (int)sizeof q; i++)
				o += snprintf(q + o, sizeof q - o, "%s%s", i ? "・" : "", hj_fact_label(rb, r->rate_facts[i]));
			if (o < (int)sizeof q)
				snprintf(q + o, sizeof q - o, "%sで決まる）", r->nrate_facts ? "" : "特例");
		}
		yen(r->cap, a, sizeof a);
		yen(r->expenses, b, sizeof b);
		yen_exact(r->subsidy, c, sizeof c);
		/* an amount that is not min(cap, expenses x rate) says why, so
		 * that the line is not read as that product */
		hj_frac x;
		int tiered = r->rate_known && !hj_frac_mul(hj_frac_int(r->expenses), r->rate, &x) &&
			     hj_frac_floor(x) != r->uncapped;
		int parts = 0;
		for (int i = 0; i < r->nparts && i < HJ_RESULT_MAX_PARTS; i++)
			parts |= r->part_subsidy[i] > 0;
		snprintf(line, sizeof line, "補助率 %s・上限 %s・経費 %s → %s%s", q, a, b, c,
			 tiered && parts ? "（段階的な補助率と加算分を含む。計算は hojo explain）"
			 : tiered        ? "（段階的な補助率による。計算は hojo explain）"
			 : parts         ? "（加算分を含む。計算は hojo explain）"
					 : "");
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
			int refused = 0, pending = 0;
			for (int i = 0; i < x.nlines; i++) {
				refused += !x.lines[i].accepted && !x.lines[i].undetermined;
				pending += x.lines[i].undetermined;
			}
			hj_yen_format_short(x.eligible_total, a, sizeof a);
			int o2 = snprintf(line, sizeof line, "経費: 対象 %s、対象外 %d行", a, refused);
			if (pending)
				snprintf(line + o2, sizeof line - (size_t)o2, "、要確認 %d行", pending);
			cli_wrap(stdout, line, 10, 80);
		}
	}
}

/* Where the rulebook has no edition of a program open on the date, or an
 * edition whose rules are of another call than the date's: say so. */
static void coverage_notes(hj_rulebook *rb, const opts *o)
{
	char line[4000], d[16], a[16], b[16];
	size_t used = 0;
	hj_coverage cv[64];
	int n = hj_coverage_of(rb, &o->sel, cv, 64);
	hj_date_format(o->sel.date, d, sizeof d);
	line[0] = '\0';
	for (int i = 0; i < n; i++) {
		const hj_coverage *c = &cv[i];
		const hj_program *pr = c->program;
		if (c->on) {
			const char *t, *src, *note;
			char w[1200];
			if (hj_edition_covers(c->on, &t, &src, &note)) {
				snprintf(w, sizeof w,
					 "注意（要確認）: %s %s（%s）の規則は %s のものです（%s）。%s が %s に当たるかは"
					 "確かめられず、後の公募回の規則は規則集になく、判定はこの版の規則によります。",
					 hj_program_short(pr), hj_edition_short(c->on), hj_edition_name(c->on), t, src, d, t);
				cli_wrap(stdout, w, 0, 80);
			}
			continue;
		}
		if (c->before)
			hj_date_format(c->bto, a, sizeof a);
		if (c->after)
			hj_date_format(c->afrom, b, sizeof b);
		if (c->before && c->after)
			used += (size_t)snprintf(line + used, sizeof line - used, "%s%s（%s は %s まで、%s は %s から）",
						 used ? "、" : "", hj_program_short(pr), hj_edition_short(c->before), a,
						 hj_edition_short(c->after), b);
		else if (c->before)
			used += (size_t)snprintf(line + used, sizeof line - used, "%s%s（%s は %s まで）", used ? "、" : "",
						 hj_program_short(pr), hj_edition_short(c->before), a);
		else
			used += (size_t)snprintf(line + used, sizeof line - used, "%s%s（%s は %s から）", used ? "、" : "",
						 hj_program_short(pr), hj_edition_short(c->after), b);
		if (used >= sizeof line)
			used = sizeof line - 1;
	}
	if (used) {
		char w[4400];
		snprintf(w, sizeof w,
			 "注意（要確認）: 次の制度は %s に受付中の版が規則集にありません。その日の公募回の有無・条件・"
			 "金額は確かめられません（下の受付期間外の枠は参考）: %s。",
			 d, line);
		cli_wrap(stdout, w, 0, 80);
	}
}

/* The amount column and the frame's name, as in the ranked list. */
static void row(const hj_result *r, const char *rank)
{
	char amt[64], name[600];
	if (r->subsidy_known && r->verdict == HJ_ELIGIBLE)
		hj_yen_format_short(r->subsidy, amt, sizeof amt);
	else
		snprintf(amt, sizeof amt, "—");
	snprintf(name, sizeof name, "%s %s %s [%s]", program_short(r->frame),
		 hj_edition_short(hj_frame_edition(r->frame)), hj_frame_name(r->frame), hj_frame_id(r->frame));
	cli_rpad(stdout, rank, 3);
	fputs("  ", stdout);
	cli_pad(stdout, hj_verdict_name_ja(r->verdict), 7);
	cli_rpad(stdout, amt, 11);
	fputs("  ", stdout);
	/* the name wraps under itself so that lines stay within 80 columns */
	cli_wrap_from(stdout, name, 25, 80);
}

/* A frame not open on the date: 受付前 (opens on …) or 受付終了 (closed on …). */
static void not_open_row(const hj_result *r, hj_date date)
{
	char d[16] = "", line[200];
	hj_date x;
	row(r, "-");
	if (hj_frame_from(r->frame, &x) && date < x) {
		hj_date_format(x, d, sizeof d);
		snprintf(line, sizeof line, "受付前（%s から）", d);
	} else {
		if (hj_frame_to(r->frame, &x))
			hj_date_format(x, d, sizeof d);
		snprintf(line, sizeof line, "受付終了（%s まで）", d);
	}
	cli_wrap(stdout, line, 10, 80);
}

int cmd_check(opts *o, hj_rulebook *rb)
{
	int rc;
	hj_facts *f = NULL;
	if ((rc = cli_load_input(o, rb, o->args[0], &f)))
		goto out;
	static hj_result res[MAX_RESULTS], rest[MAX_RESULTS];
	int n, nopen;
	if (hj_check_ranked(rb, f, &o->sel, res, rest, MAX_RESULTS, &n, &nopen)) {
		rc = EXIT_INTERNAL;
		goto out;
	}
	if (o->json) {
		rc = cli_string_out(hj_check_document(rb, f, &o->sel, res, nopen, n, o->pretty));
		goto out;
	}
	header(rb, f, o, res, n);
	if (o->sel.has_date)
		coverage_notes(rb, o);
	else
		cli_wrap(stdout,
			 "申請日の指定がありません（--date か入力の date:）。受付期間によらず全ての版の枠を、新しい版から順に"
			 "示します。",
			 0, 80);
	putchar('\n');
	if (nopen == 0)
		printf("この日付・条件で受付中の枠はありません。\n");
	else
		printf("順位 判定    補助額       補助金・版・枠\n");
	for (int i = 0; i < n; i++) {
		const hj_result *r = &res[i];
		if (i == nopen) {
			char d[16];
			hj_date_format(o->sel.date, d, sizeof d);
			char line[200];
			snprintf(line, sizeof line, "%s に受付していない枠（判定と補助額はその枠の規則による参考）", d);
			putchar('\n');
			cli_wrap(stdout, line, 0, 80);
			printf("     判定    補助額       補助金・版・枠\n");
		}
		if (i >= nopen) {
			not_open_row(r, o->sel.date);
			continue;
		}
		char rank[16];
		snprintf(rank, sizeof rank, "%d", i + 1);
		row(r, rank);
		reason_lines(rb, f, r, o->all);
		extra_lines(rb, f, r);
	}
	if (n) {
		char line[600];
		snprintf(line, sizeof line, "詳しい理由: hojo explain <枠id> %s", o->args[0]);
		putchar('\n');
		cli_wrap(stdout, line, 0, 80);
	}
out:
	hj_facts_free(f);
	return rc;
}

static const char *mark(hj_truth t)
{
	return t == HJ_TRUE ? "✓" : t == HJ_FALSE ? "×" : "?";
}

/* A line about an amount (rate, cap, subsidy, ...), not a condition. */
static int amount_kind(const char *kind)
{
	static const char *const kinds[] = { "rate", "cap", "cap_raise", "cap_bonus", "tier", "base", "part",
					     "total_cap", "slots", "subsidy", "lower_limit", "step", NULL };
	for (int i = 0; kinds[i]; i++)
		if (!strcmp(kind, kinds[i]))
			return 1;
	return 0;
}

/* Each document the explanation cites, once, by name (rules/sources.yaml). */
static void documents_cited(hj_rulebook *rb, const hj_reasons *rs)
{
	const hj_document *seen[64];
	int n = 0;
	char line[1200], first[128] = "", any[128] = "";
	for (int i = 0; i < hj_reasons_count(rs); i++) {
		const char *p = hj_reasons_get(rs, i)->source;
		while (*p) {
			const char *e = strstr(p, ", ");
			size_t len = e ? (size_t)(e - p) : strlen(p);
			char cite[128];
			snprintf(cite, sizeof cite, "%.*s", (int)len, p);
			const hj_document *d = hj_rulebook_cited_document(rb, cite);
			if (d && !first[0] && !strncmp(cite, "seed ", 5))
				snprintf(first, sizeof first, "%s", cite); /* the example below */
			if (d && !any[0])
				snprintf(any, sizeof any, "%s", cite);
			int dup = !d;
			for (int k = 0; k < n && !dup; k++)
				dup = seen[k] == d;
			if (!dup && n < 64)
				seen[n++] = d;
			p += len;
			if (*p)
				p += 2;
		}
	}
	if (!n)
		return;
	putchar('\n');
	/* how to see the lines, with a citation of this explanation */
	snprintf(line, sizeof line, "出典の資料（該当行は hojo source \"%s\" のように表示）", first[0] ? first : any);
	cli_wrap(stdout, line, 0, 80);
	for (int k = 0; k < n; k++) {
		snprintf(line, sizeof line, "%s: %s — %s、%s", seen[k]->cite, seen[k]->title, seen[k]->issuer,
			 seen[k]->date);
		cli_wrap(stdout, line, 2, 80);
	}
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
		rc = cli_string_out(hj_explain_document(rb, f, &o->sel, &r, o->pretty));
		goto out;
	}
	const hj_edition *ed = hj_frame_edition(fr);
	char a[32] = "", b[32] = "", line[1600];
	hj_date d;
	if (hj_frame_from(fr, &d))
		hj_date_format(d, a, sizeof a);
	if (hj_frame_to(fr, &d))
		hj_date_format(d, b, sizeof b);
	snprintf(line, sizeof line, "%s %s %s [%s]", hj_program_short(hj_edition_program(ed)), hj_edition_short(ed),
		 hj_frame_name(fr), hj_frame_id(fr));
	cli_wrap(stdout, line, 0, 80);
	snprintf(line, sizeof line, "版: %s（%s） 受付: %s〜%s", hj_edition_name(ed), hj_edition_source(ed), a,
		 b);
	cli_wrap(stdout, line, 0, 80);
	if (o->sel.has_date && !hj_frame_in_force(fr, o->sel.date)) {
		char dd[16];
		hj_date_format(o->sel.date, dd, sizeof dd);
		printf("注意: %s はこの枠の受付期間外です\n", dd);
	}
	const char *ct, *cs, *cn;
	if (o->sel.has_date && hj_edition_uncovered(ed, o->sel.date) && hj_edition_covers(ed, &ct, &cs, &cn)) {
		char dd[16];
		hj_date_format(o->sel.date, dd, sizeof dd);
		snprintf(line, sizeof line,
			 "注意（要確認）: この版の規則は %s のものです（%s）。%s が %s に当たるかは確かめられず、後の公募回の"
			 "規則は規則集になく、判定はこの版の規則によります。",
			 ct, cs, dd, ct);
		cli_wrap(stdout, line, 0, 80);
	}
	size_t lo = (size_t)snprintf(line, sizeof line, "判定: %s", hj_verdict_name_ja(r.verdict));
	if (r.subsidy_known && r.verdict == HJ_ELIGIBLE) {
		char s1[160];
		yen_exact(r.subsidy, s1, sizeof s1);
		snprintf(line + lo, sizeof line - lo, "  補助額 %s", s1);
	}
	cli_wrap(stdout, line, 0, 80);
	if (r.verdict == HJ_INELIGIBLE)
		cli_wrap(stdout, "（対象外のため、・の付いた補助率・上限・補助額は参考です）", 0, 80);
	if (from_lines)
		cli_wrap(stdout, "経費: expense_lines のうちこの枠で対象の行の合計で計算（hojo expenses で行ごとに確認）", 0, 80);
	putchar('\n');
	hj_reasons *rs;
	if (hj_explain(rb, f, &r, &rs)) {
		rc = EXIT_INTERNAL;
		goto out;
	}
	for (int i = 0; i < hj_reasons_count(rs); i++) {
		const hj_reason *x = hj_reasons_get(rs, i);
		/* a frame judged 対象外 has no amount to tick: its amounts are
		 * shown for reference (・) */
		const char *m = r.verdict == HJ_INELIGIBLE && x->result == HJ_TRUE && amount_kind(x->kind) ? "・"
														 : mark(x->result);
		snprintf(line, sizeof line, "%s %s", m, x->text);
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
	documents_cited(rb, rs);
	hj_reasons_free(rs);
out:
	hj_facts_free(f);
	return rc;
}
