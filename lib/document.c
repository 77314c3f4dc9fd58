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
#include "hojo/document.h"

/* A JSON value as a string of the library's allocator (hj_free). */
static char *dump(json_t *root, int pretty)
{
	size_t flags = JSON_PRESERVE_ORDER | (pretty ? JSON_INDENT(2) : JSON_COMPACT);
	char *s = root ? json_dumps(root, flags) : NULL;
	json_decref(root);
	if (!s)
		return NULL;
	char *out = hj_strdup(s);
	free(s);
	return out;
}

/* Re-read a JSON string made by the library to add keys to it. */
static json_t *parse_owned(char *s)
{
	if (!s)
		return NULL;
	json_t *root = json_loads(s, 0, NULL);
	hj_free(s);
	return root;
}

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
	json_t *root = parse_owned(hj_results_json(rb, f, sel, res, nopen, 0));
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
	return dump(root, pretty);
}

char *hj_explain_document(const hj_rulebook *rb, hj_facts *f, const hj_selection *sel, const hj_result *r, int pretty)
{
	json_t *root = parse_owned(hj_results_json(rb, f, sel, r, 1, 0));
	if (!root)
		return NULL;
	add_documents(rb, root);
	return dump(root, pretty);
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
				json_array_append_new(frs, json_pack("{s:s,s:s,s:s,s:o}", "id", hj_frame_id(fr), "name",
								     hj_frame_name(fr), "source", hj_frame_source(fr),
								     "items", items));
			}
			json_object_set_new(je, "frames", frs);
			json_array_append_new(eds, je);
		}
		json_object_set_new(jp, "editions", eds);
		json_array_append_new(progs, jp);
	}
	json_object_set_new(root, "programs", progs);
	return dump(root, pretty);
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
	return dump(root, pretty);
}

char *hj_cited_document_json(const hj_rulebook *rb, const char *citation, int pretty)
{
	const hj_document *d = hj_rulebook_cited_document(rb, citation);
	if (!d)
		return NULL;
	json_t *j = document_json(d);
	json_object_set_new(j, "cite", json_string(d->cite));
	return dump(j, pretty);
}
