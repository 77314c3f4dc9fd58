/*
 * document.c - the JSON documents of hojo check, explain, rules and facts
 * (docs/json.md), shared by the command (cli/) and the HTTP service
 * (server/). Moved here from cli/check.c and cli/rules.c unchanged in
 * output (the CLI golden tests prove it).
 */
#include <string.h>
#include <stdlib.h>
#include <jansson.h>
#include "hojo/hojo.h"
#include "report-int.h"
#include "jsonout.h"
#include "hojo/document.h"
#include "rulebook-int.h"

int hj_coverage_of(const hj_rulebook *rb, const hj_selection *sel, hj_coverage *cv, int max)
{
	int n = 0;
	hj_date x;
	for (int p = 0; p < hj_rulebook_nprograms(rb) && n < max; p++) {
		const hj_program *pr = hj_rulebook_program(rb, p);
		if (sel->program && strcmp(sel->program, hj_program_id(pr)))
			continue;
		hj_coverage c = { pr, NULL, NULL, NULL, 0, 0, 0 };
		for (int e = 0; e < hj_program_neditions(pr); e++) {
			const hj_edition *ed = hj_program_edition(pr, e);
			if (sel->edition && strcmp(sel->edition, hj_edition_id(ed)))
				continue;
			if (hj_edition_from(ed, &x) && sel->date < x) {
				if (!c.after || x < c.afrom)
					c.after = ed, c.afrom = x;
			} else if (hj_edition_to(ed, &x) && sel->date > x) {
				if (!c.before || x > c.bto)
					c.before = ed, c.bto = x;
			} else
				c.on = ed;
		}
		c.other_call = c.on && hj_edition_uncovered(c.on, sel->date);
		if (c.other_call || (!c.on && (c.before || c.after)))
			cv[n++] = c;
	}
	return n;
}

/* Frames not open on the date: those opening later first (soonest
 * first), then those closed (latest first); else the order of hj_check. */
static hj_date open_from(const hj_result *r)
{
	hj_date d = 0;
	hj_frame_from(r->frame, &d);
	return d;
}

static hj_date open_to(const hj_result *r)
{
	hj_date d = 0;
	hj_frame_to(r->frame, &d);
	return d;
}

static int cmp_not_open(const hj_result *a, const hj_result *b, hj_date date)
{
	int la = open_from(a) > date, lb = open_from(b) > date;
	if (la != lb)
		return la ? -1 : 1;
	if (la && open_from(a) != open_from(b))
		return open_from(a) < open_from(b) ? -1 : 1;
	if (!la && open_to(a) != open_to(b))
		return open_to(a) > open_to(b) ? -1 : 1;
	return 0;
}

/* Without a date: the newest edition first, each edition's frames best
 * first (the order of hj_check). */
static hj_date edition_from(const hj_result *r)
{
	hj_date d = 0;
	hj_edition_from(hj_frame_edition(r->frame), &d);
	return d;
}

static int cmp_edition(const hj_result *a, const hj_result *b, hj_date date)
{
	(void)date;
	hj_date da = edition_from(a), db = edition_from(b);
	if (da != db)
		return da > db ? -1 : 1;
	return strcmp(hj_edition_id(hj_frame_edition(a->frame)), hj_edition_id(hj_frame_edition(b->frame)));
}

/* Sort keeping the order hj_check gave among equal keys. */
static void stable_sort(hj_result *r, int n, int (*cmp)(const hj_result *, const hj_result *, hj_date), hj_date date)
{
	hj_result tmp;
	/* insertion sort keeps equal keys in order; n is small (frames) */
	for (int i = 1; i < n; i++) {
		tmp = r[i];
		int j = i - 1;
		while (j >= 0 && cmp(&r[j], &tmp, date) > 0) {
			r[j + 1] = r[j];
			j--;
		}
		r[j + 1] = tmp;
	}
}

hj_status hj_check_ranked(const hj_rulebook *rb, hj_facts *f, const hj_selection *sel, hj_result *res,
			  hj_result *rest, int max, int *np, int *nopenp)
{
	int n, m, nopen;
	hj_status st = hj_check(rb, f, sel, res, max, &n);
	if (st)
		return st;
	nopen = n;
	if (sel->has_date) {
		/* frames not open on the date follow, with their amounts */
		hj_selection all = *sel;
		all.has_date = 0;
		if ((st = hj_check(rb, f, &all, rest, max, &m)))
			return st;
		for (int i = 0; i < m && n < max; i++)
			if (!hj_frame_in_force(rest[i].frame, sel->date))
				res[n++] = rest[i];
		stable_sort(res + nopen, n - nopen, cmp_not_open, sel->date);
	} else
		stable_sort(res, n, cmp_edition, 0);
	*np = n;
	*nopenp = nopen;
	return HJ_OK;
}

/* The same for JSON: one warning per program. */
static json_t *coverage_json(const hj_rulebook *rb, const hj_selection *sel)
{
	json_t *arr = json_array();
	if (!sel->has_date)
		return arr;
	hj_coverage cv[64];
	int n = hj_coverage_of(rb, sel, cv, 64);
	char a[16], b[16];
	for (int i = 0; i < n; i++) {
		const hj_coverage *c = &cv[i];
		json_t *w = json_pack("{s:s,s:s}", "program", hj_program_id(c->program), "kind",
				      c->on ? "rules_of_other_call" : "no_edition_open");
		if (c->on) {
			const char *t, *src, *note;
			hj_edition_covers(c->on, &t, &src, &note);
			json_object_set_new(w, "edition", json_string(hj_edition_id(c->on)));
			json_object_set_new(w, "call", json_string(t));
			json_object_set_new(w, "source", json_string(src));
		} else {
			if (c->before)
				hj_date_format(c->bto, a, sizeof a);
			if (c->after)
				hj_date_format(c->afrom, b, sizeof b);
			json_object_set_new(w, "edition_before", c->before ? json_string(hj_edition_id(c->before)) : json_null());
			json_object_set_new(w, "closed_on", c->before ? json_string(a) : json_null());
			json_object_set_new(w, "edition_after", c->after ? json_string(hj_edition_id(c->after)) : json_null());
			json_object_set_new(w, "opens_on", c->after ? json_string(b) : json_null());
		}
		json_array_append_new(arr, w);
	}
	return arr;
}

static json_t *document_json(const hj_document *d)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s}", "title", d->title, "issuer", d->issuer, "date", d->date, "address",
			 d->address, "file", d->file);
}

/* Add each citation of 'src' ("seed 002:34, facts §1a") to 'docs', keyed
 * by the document it names. */
static void cite_documents(const hj_rulebook *rb, const char *src, json_t *docs)
{
	const char *p = src;
	while (p && *p) {
		const char *e = strstr(p, ", ");
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char cite[128];
		snprintf(cite, sizeof cite, "%.*s", (int)len, p);
		const hj_document *d = hj_rulebook_cited_document(rb, cite);
		if (d && !json_object_get(docs, d->cite))
			json_object_set_new(docs, d->cite, document_json(d));
		p += len;
		if (*p)
			p += 2;
	}
}

/* 'documents': every document the results cite, by its citation prefix
 * ("seed 002", "facts §1a"), from rules/sources.yaml (issue 7 point 16). */
static void add_documents(const hj_rulebook *rb, json_t *root)
{
	json_t *docs = json_object(), *results = json_object_get(root, "results"), *r;
	size_t i, k;
	json_array_foreach(results, i, r)
	{
		json_t *x;
		json_array_foreach(json_object_get(r, "reasons"), k, x)
			cite_documents(rb, json_string_value(json_object_get(x, "source")), docs);
	}
	json_object_set_new(root, "documents", docs);
}

/* The JSON of docs/json.md: 'results' holds the frames open on the date
 * (all frames without one); 'not_open' the others, with their verdicts
 * and amounts (issue 7 point 14). */
char *hj_check_document(const hj_rulebook *rb, hj_facts *f, const hj_selection *sel, const hj_result *res, int nopen,
			int n, int pretty)
{
	json_t *root = hj_results_tree(rb, f, sel, res, nopen);
	if (!root)
		return NULL;
	json_t *arr = json_array();
	for (int i = nopen; i < n; i++) {
		const hj_result *r = &res[i];
		char a[16] = "", b[16] = "";
		hj_date x;
		int before = hj_frame_from(r->frame, &x) && sel->date < x;
		if (hj_frame_from(r->frame, &x))
			hj_date_format(x, a, sizeof a);
		if (hj_frame_to(r->frame, &x))
			hj_date_format(x, b, sizeof b);
		json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:o}", "program",
				      hj_program_id(hj_edition_program(hj_frame_edition(r->frame))), "edition",
				      hj_edition_id(hj_frame_edition(r->frame)), "frame", hj_frame_id(r->frame), "frame_name",
				      hj_frame_name(r->frame), "status", before ? "not_yet_open" : "closed", "open_from",
				      a[0] ? json_string(a) : json_null(), "open_to", b[0] ? json_string(b) : json_null(),
				      "verdict", hj_verdict_name(r->verdict), "subsidy_yen",
				      r->verdict == HJ_ELIGIBLE && r->subsidy_known ? json_integer(r->subsidy) : json_null());
		json_array_append_new(arr, j);
	}
	json_object_set_new(root, "not_open", arr);
	json_object_set_new(root, "coverage", coverage_json(rb, sel));
	add_documents(rb, root);
	return hj_json_string(root, pretty);
}

char *hj_explain_document(const hj_rulebook *rb, hj_facts *f, const hj_selection *sel, const hj_result *r, int pretty)
{
	json_t *root = hj_results_tree(rb, f, sel, r, 1);
	if (!root)
		return NULL;
	add_documents(rb, root);
	return hj_json_string(root, pretty);
}

static json_t *size_json(const hj_rulebook *rb, const hj_edition *ed)
{
	hj_size_info z;
	if (!hj_rulebook_has_sizes(rb))
		return json_null(); /* a rulebook without size tables */
	hj_edition_size(rb, ed, &z);
	return json_pack("{s:s,s:s,s:i,s:b,s:s,s:s,s:s,s:s}", "definition", z.id, "label", z.label, "rows", z.nrows,
			 "other_legal_forms_undetermined", z.open, "source", z.source, "note", z.note,
			 "definition_source", z.def_source, "definition_note", z.def_note);
}

static json_t *kinds_json(const hj_rulebook *rb, const int *ks, int n, int open)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++) {
		const hj_excluded *e = &rb->excluded[ks[i]];
		const char *why = open && e->undetermined_reason ? e->undetermined_reason : e->reason;
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s}", "id", e->id, "name", e->name, "reason",
						   why ? why : "", "source", e->source ? e->source : ""));
	}
	return a;
}

/* A frame's expense rules (docs/json.md): the categories its lines may
 * take, the kinds it refuses and those it leaves open (要確認). */
static json_t *frame_expenses_json(const hj_rulebook *rb, const hj_frame *fr)
{
	json_t *cats = json_array();
	for (int i = 0; i < fr->ncats; i++) {
		const hj_category *c = &fr->cats[i];
		json_t *jc = json_pack("{s:s,s:s}", "id", c->id, "name", c->name);
		json_object_set_new(jc, "min_unit_price_yen",
				    c->min_unit_price ? json_integer(c->min_unit_price) : json_null());
		json_object_set_new(jc, "below_unit_price_yen", c->has_below ? json_integer(c->below_unit_price) : json_null());
		json_array_append_new(cats, jc);
	}
	const char *list = !fr->has_cats ? "unknown" : fr->cats_partial ? "partial" : "complete";
	return json_pack("{s:s,s:s,s:s,s:o,s:o,s:o}", "list", list, "source",
			 fr->has_cats && fr->cats_source ? fr->cats_source : "", "note", fr->cats_note ? fr->cats_note : "",
			 "categories", cats, "excluded", kinds_json(rb, fr->xcl, fr->nxcl, 0), "undetermined",
			 kinds_json(rb, fr->xund, fr->nxund, 1));
}

char *hj_rules_document(const hj_rulebook *rb, const hj_selection *sel, const hj_frame *only, int pretty)
{
	const char *program = sel ? sel->program : NULL;
	json_t *root = json_object();
	json_object_set_new(root, "rulebook", json_pack("{s:s,s:s,s:s}", "name", hj_rulebook_name(rb), "version",
							  hj_rulebook_version(rb), "hash", hj_rulebook_hash(rb)));
	json_t *progs = json_array();
	for (int p = 0; p < hj_rulebook_nprograms(rb); p++) {
		const hj_program *pr = hj_rulebook_program(rb, p);
		if (program && strcmp(program, hj_program_id(pr)))
			continue;
		if (only && hj_edition_program(hj_frame_edition(only)) != pr)
			continue;
		json_t *jp = json_pack("{s:s,s:s,s:s}", "id", hj_program_id(pr), "name", hj_program_name(pr), "short",
				       hj_program_short(pr));
		json_t *eds = json_array();
		for (int e = 0; e < hj_program_neditions(pr); e++) {
			const hj_edition *ed = hj_program_edition(pr, e);
			if (only && hj_frame_edition(only) != ed)
				continue;
			char a[16] = "", b[16] = "";
			hj_date d;
			if (hj_edition_from(ed, &d))
				hj_date_format(d, a, sizeof a);
			if (hj_edition_to(ed, &d))
				hj_date_format(d, b, sizeof b);
			json_t *je = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", hj_edition_id(ed), "name",
					       hj_edition_name(ed), "budget", hj_edition_budget(ed), "source",
					       hj_edition_source(ed), "from", a, "to", b, "period_source",
					       hj_edition_period_source(ed));
			json_object_set_new(je, "short", json_string(hj_edition_short(ed)));
			json_object_set_new(je, "size", size_json(rb, ed));
			json_t *frs = json_array();
			for (int i = 0; i < hj_edition_nframes(ed); i++) {
				const hj_frame *fr = hj_edition_frame(ed, i);
				if (only && fr != only)
					continue;
				json_t *items = json_array();
				for (int k = 0; k < hj_frame_nitems(fr); k++) {
					const hj_item *it = hj_frame_item(fr, k);
					json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "kind", it->kind,
									       "id", it->id, "text", it->text, "value",
									       it->value, "source", it->source, "note",
									       it->note));
				}
				json_array_append_new(frs, json_pack("{s:s,s:s,s:s,s:o,s:o}", "id", hj_frame_id(fr), "name",
								     hj_frame_name(fr), "source", hj_frame_source(fr),
								     "items", items, "expenses", frame_expenses_json(rb, fr)));
			}
			json_object_set_new(je, "frames", frs);
			json_array_append_new(eds, je);
		}
		json_object_set_new(jp, "editions", eds);
		json_array_append_new(progs, jp);
	}
	json_object_set_new(root, "programs", progs);
	/* who confirms which fact (rules/parties.yaml), for the whole rulebook */
	if (!only && hj_rulebook_nparties(rb)) {
		json_t *parties = json_array();
		for (int i = 0; i < hj_rulebook_nparties(rb); i++) {
			const hj_party_kind *k = hj_rulebook_party(rb, i);
			json_t *facts = json_array();
			for (int f = 0; f < k->nfacts; f++) {
				json_t *pg = json_array();
				for (int g = 0; g < k->facts[f].nprograms; g++)
					json_array_append_new(pg, json_string(k->facts[f].programs[g]));
				json_array_append_new(facts, json_pack("{s:s,s:s,s:s,s:o,s:s}", "fact", k->facts[f].fact, "input",
								       hj_fact_input(rb, k->facts[f].fact_index), "from",
								       k->facts[f].from_name, "programs", pg, "source",
								       k->facts[f].source));
			}
			json_array_append_new(parties, json_pack("{s:s,s:s,s:s,s:s,s:o}", "kind", k->kind, "name", k->name,
								 "role", k->role, "source", k->source, "confirms", facts));
		}
		json_object_set_new(root, "parties", parties);
	}
	return hj_json_string(root, pretty);
}

/* 1 when some fact read from the input takes values of enum 'e'. */
static int enum_in_input(const hj_rulebook *rb, int e)
{
	for (int i = 0; i < hj_rulebook_nfacts(rb); i++)
		if (hj_fact_enum(rb, i) == e && strcmp(hj_fact_type_name(rb, i), "derived"))
			return 1;
	return 0;
}

static json_t *enums_json(const hj_rulebook *rb)
{
	json_t *arr = json_array();
	for (int e = 0; e < hj_rulebook_nenums(rb); e++) {
		if (!enum_in_input(rb, e))
			continue;
		json_t *vals = json_array(), *amb = json_array();
		for (int v = 0; v < hj_enum_nvalues(rb, e); v++) {
			json_t *al = json_array();
			for (int a = 0; a < hj_enum_naliases(rb, e); a++) {
				hj_alias_info x;
				hj_enum_alias(rb, e, a, &x);
				for (int k = 0; x.value == v && k < x.nnames; k++)
					json_array_append_new(al, json_string(x.names[k]));
			}
			json_array_append_new(vals, json_pack("{s:s,s:s,s:o}", "id", hj_enum_value_id(rb, e, v), "label",
							      hj_enum_value_label(rb, e, v), "aliases", al));
		}
		for (int a = 0; a < hj_enum_naliases(rb, e); a++) {
			hj_alias_info x;
			hj_enum_alias(rb, e, a, &x);
			if (x.value >= 0)
				continue;
			json_t *names = json_array(), *cands = json_array();
			for (int k = 0; k < x.nnames; k++)
				json_array_append_new(names, json_string(x.names[k]));
			for (int v = 0; v < hj_enum_nvalues(rb, e) && v < 64; v++)
				if (x.candidates >> v & 1)
					json_array_append_new(cands, json_string(hj_enum_value_id(rb, e, v)));
			json_array_append_new(amb, json_pack("{s:o,s:o,s:s,s:s}", "names", names, "candidates", cands,
							     "source", x.source, "note", x.note));
		}
		json_array_append_new(arr, json_pack("{s:s,s:o,s:o}", "enum", hj_enum_name(rb, e), "values", vals,
						     "ambiguous", amb));
	}
	return arr;
}

#define ID_LABEL "記録の識別子（batch・diff の出力の各行に付きます）"

char *hj_facts_document(const hj_rulebook *rb, int pretty)
{
	int n = hj_rulebook_nfacts(rb);
	json_t *arr = json_array();
	json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s}", "input", "date", "name", "date", "type", "date",
					     "label", "申請日 YYYY-MM-DD（入力の最上位）"));
	json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s}", "input", "applicant.name", "name", "name", "type",
					     "text", "label", "申請者の名前（表示用）"));
	json_array_append_new(arr,
			      json_pack("{s:s,s:s,s:s,s:s}", "input", "id", "name", "id", "type", "text", "label", ID_LABEL));
	for (int i = 0; i < n; i++) {
		const char *t = hj_fact_type_name(rb, i);
		if (!strcmp(t, "derived") || !strcmp(hj_fact_input(rb, i), "date"))
			continue;
		json_t *jf = json_pack("{s:s,s:s,s:s,s:s}", "input", hj_fact_input(rb, i), "name", hj_fact_name(rb, i),
				       "type", t, "label", hj_fact_label(rb, i));
		if (hj_fact_enum(rb, i) >= 0)
			json_object_set_new(jf, "enum", json_string(hj_enum_name(rb, hj_fact_enum(rb, i))));
		json_array_append_new(arr, jf);
	}
	json_t *cols = json_array();
	for (int i = 0; i < hj_rulebook_ncolumns(rb); i++) {
		const char *c, *t;
		hj_rulebook_column(rb, i, &c, &t);
		json_array_append_new(cols, json_pack("{s:s,s:s}", "column", c, "fact", t));
	}
	json_t *root = json_pack("{s:s,s:s,s:o,s:o,s:o}", "hojo", HJ_VERSION, "rulebook_hash", hj_rulebook_hash(rb), "facts",
				 arr, "enums", enums_json(rb), "columns", cols);
	return hj_json_string(root, pretty);
}

char *hj_cited_document_json(const hj_rulebook *rb, const char *citation, int pretty)
{
	const hj_document *d = hj_rulebook_cited_document(rb, citation);
	if (!d)
		return NULL;
	json_t *j = document_json(d);
	json_object_set_new(j, "cite", json_string(d->cite));
	return hj_json_string(j, pretty);
}

/* ---- hojo group --json ---- */

static json_t *yen_json(int known, hj_yen v)
{
	return known ? json_integer((json_int_t)v) : json_null();
}

static json_t *truth_json(hj_truth t)
{
	return t == HJ_TRUE ? json_true() : t == HJ_FALSE ? json_false() : json_null();
}

static json_t *group_result_json(const hj_rulebook *rb, const hj_group_member *ms, const hj_group_result *g)
{
	json_t *o = json_object();
	const hj_frame *fr = g->frame;
	json_object_set_new(o, "program", json_string(hj_program_id(hj_edition_program(hj_frame_edition(fr)))));
	json_object_set_new(o, "edition", json_string(hj_edition_id(hj_frame_edition(fr))));
	json_object_set_new(o, "frame", json_string(hj_frame_id(fr)));
	json_object_set_new(o, "frame_name", json_string(hj_frame_name(fr)));
	json_object_set_new(o, "verdict", json_string(hj_verdict_name(g->verdict)));
	json_object_set_new(o, "max_total_yen", yen_json(g->max_known, g->max_total));
	json_object_set_new(o, "pool_yen", json_integer(g->pool));
	json_object_set_new(o, "allocated_yen", yen_json(g->has_allocation, g->allocated));
	json_t *mem = json_array();
	for (int i = 0; i < g->nmembers; i++) {
		const hj_member_result *m = &g->members[i];
		json_t *x = json_object();
		char q[32];
		json_object_set_new(x, "name", json_string(ms[i].name));
		json_object_set_new(x, "classification", hj_size_class_id(rb, m->result.size_class)
								   ? json_string(hj_size_class_id(rb, m->result.size_class))
								   : json_null());
		json_object_set_new(x, "verdict", json_string(hj_verdict_name(m->result.verdict)));
		json_object_set_new(x, "receives_nothing", truth_json(m->nothing));
		if (m->result.rate_known) {
			hj_frac_format(m->result.rate, q, sizeof q);
			json_object_set_new(x, "rate", json_string(q));
		} else
			json_object_set_new(x, "rate", json_null());
		json_object_set_new(x, "cap_yen", yen_json(m->result.cap_known, m->result.cap));
		json_object_set_new(x, "own_max_yen", yen_json(m->max_known, m->own_max));
		json_object_set_new(x, "rate_limit_yen", yen_json(m->max_known, m->rate_limit));
		json_object_set_new(x, "allocation_yen", yen_json(ms[i].has_allocation, ms[i].allocation));
		json_object_set_new(x, "allocation_ok", g->has_allocation ? truth_json(m->allocation_ok) : json_null());
		json_array_append_new(mem, x);
	}
	json_object_set_new(o, "members", mem);
	json_t *checks = json_array();
	for (int i = 0; i < g->nchecks; i++) {
		const hj_group_check *c = &g->checks[i];
		json_t *x = json_pack("{s:s,s:s,s:o,s:s,s:s}", "kind", c->kind, "id", c->id, "result",
				      truth_json(c->result), "text", c->text, "source", c->source);
		if (c->note[0])
			json_object_set_new(x, "note", json_string(c->note));
		json_array_append_new(checks, x);
	}
	json_object_set_new(o, "checks", checks);
	json_t *miss = json_array();
	for (int i = 0; i < g->nmissing; i++)
		json_array_append_new(miss, json_pack("{s:s,s:s,s:s}", "member", ms[g->missing_member[i]].name, "fact",
						      hj_fact_name(rb, g->missing_fact[i]), "label",
						      hj_fact_label(rb, g->missing_fact[i])));
	json_object_set_new(o, "missing_facts", miss);
	return o;
}

/* hojo group --json: every group frame selected (or 'only'). */
hj_status hj_group_document(const hj_rulebook *rb, const hj_group_input *gi, const hj_selection *sel,
			    const hj_frame *only, int pretty, char **out, hj_error *err)
{
	*out = NULL;
	hj_error_clear(err);
	int n = hj_group_input_count(gi);
	const hj_group_member *ms = hj_group_input_members(gi);
	hj_member_result *mres = hj_calloc(HJ_GROUP_MAX_MEMBERS, sizeof *mres);
	json_t *arr = json_array();
	if (!mres || !arr) {
		hj_free(mres);
		json_decref(arr);
		return hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません");
	}
	for (int i = 0; i < hj_rulebook_nframes(rb); i++) {
		const hj_frame *fr = hj_rulebook_frame(rb, i);
		if (!hj_frame_is_group(fr) || (only && fr != only) || (!only && !hj_frame_selected(fr, sel)))
			continue;
		hj_group_result g;
		if (hj_group_evaluate(rb, fr, ms, n, mres, &g)) {
			int k = g.overflow > 0 && g.overflow <= n ? g.overflow - 1 : 0;
			char field[32];
			snprintf(field, sizeof field, "members[%d]", k);
			hj_free(mres);
			json_decref(arr);
			return hj_error_set(err, HJ_ERR_RANGE, NULL, ms[k].line, 0, field,
					    "%s: 構成員の金額の合計が計算できる範囲（9,223,372,036,854,775,807円）を超えます。"
					    "金額を確かめてください",
					    hj_frame_id(fr));
		}
		json_array_append_new(arr, group_result_json(rb, ms, &g));
	}
	hj_free(mres);
	json_t *root = json_object();
	char d[16];
	json_object_set_new(root, "hojo", json_string(HJ_VERSION));
	json_object_set_new(root, "rulebook", json_pack("{s:s,s:s}", "version", hj_rulebook_version(rb), "hash",
							  hj_rulebook_hash(rb)));
	if (sel->has_date) {
		hj_date_format(sel->date, d, sizeof d);
		json_object_set_new(root, "as_of", json_string(d));
	} else
		json_object_set_new(root, "as_of", json_null());
	json_object_set_new(root, "group", json_string(hj_group_input_name(gi)));
	json_object_set_new(root, "results", arr);
	*out = hj_json_string(root, pretty);
	return *out ? HJ_OK : hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません");
}

/* ---- hojo batch --summary --json ---- */

/* "ものづくり補助金 R5補正 省力化（オーダーメイド）枠": the name a reader knows */
static void frame_label(const hj_frame *fr, char *buf, size_t n)
{
	const hj_edition *ed = hj_frame_edition(fr);
	snprintf(buf, n, "%s %s %s", hj_program_short(hj_edition_program(ed)), hj_edition_short(ed), hj_frame_name(fr));
}

static json_t *tally_json(const hj_group_tally *g)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "applicants", (json_int_t)g->applicants, "eligible",
			 (json_int_t)g->eligible, "undetermined", (json_int_t)g->undetermined, "ineligible",
			 (json_int_t)g->ineligible, "none_in_force", (json_int_t)g->none_in_force,
			 "best_total_yen", (json_int_t)g->best_total);
}

char *hj_summary_document(const hj_rulebook *rb, const hj_summary *s, int pretty)
{
	int nf = hj_rulebook_nframes(rb);
	char label[512];
	json_t *j = json_object();
	json_object_set_new(j, "rulebook_hash", json_string(hj_rulebook_hash(rb)));
	json_object_set_new(j, "records", json_integer(s->records));
	json_object_set_new(j, "errors", json_integer(s->errors));
	json_object_set_new(j, "undated", json_integer(s->undated));
	json_object_set_new(j, "applicants", tally_json(&s->all));
	json_t *arr = json_array();
	for (int i = 0; i < nf; i++) {
		const hj_tally *t = &s->frames[i];
		if (!t->count[0] && !t->count[1] && !t->count[2])
			continue;
		const hj_frame *fr = hj_rulebook_frame(rb, i);
		frame_label(fr, label, sizeof label);
		json_array_append_new(arr, json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I}", "frame", hj_frame_id(fr),
						     "frame_name", label, "eligible", (json_int_t)t->count[HJ_ELIGIBLE],
						     "undetermined", (json_int_t)t->count[HJ_UNDETERMINED], "ineligible",
						     (json_int_t)t->count[HJ_INELIGIBLE], "subsidy_total_yen",
						     (json_int_t)t->subsidy, "best_for", (json_int_t)t->best,
						     "best_subsidy_total_yen", (json_int_t)t->best_subsidy));
	}
	json_object_set_new(j, "frames", arr);
	json_t *ind = json_array(), *siz = json_array();
	for (int i = 0; i <= s->nindustries && hj_rulebook_has_sizes(rb); i++) {
		json_t *g = tally_json(&s->industry[i]);
		json_object_set_new(g, "industry", i < s->nindustries ? json_string(hj_industry_id(rb, i)) : json_null());
		json_array_append_new(ind, g);
	}
	for (int i = 0; i <= s->nsizes && hj_rulebook_has_sizes(rb); i++) {
		json_t *g = tally_json(&s->size[i]);
		json_object_set_new(g, "size_class", i < s->nsizes ? json_string(hj_size_class_id(rb, i)) : json_null());
		json_array_append_new(siz, g);
	}
	json_object_set_new(j, "by_industry", ind);
	json_object_set_new(j, "by_size_class", siz);
	return hj_json_string(j, pretty);
}
