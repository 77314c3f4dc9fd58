/*
 * input.c - reading an applicant's facts from YAML or JSON.
 *
 * The input's shape is not hard-coded: it is the set of input paths that
 * rules/facts.yaml declares. A mapping key is accepted when it is a fact's
 * path, a presence fact's path, or a prefix of one (a container); anything
 * else is an "unknown field" error naming the file, line and path. Values
 * are parsed by the fact's type, with the same text rules as CSV cells.
 * Loading adds to what the object already holds, so a base input and a
 * case input can be applied one after the other (the test runner does).
 */
#include <stdio.h>
#include <string.h>
#include "hojo/alloc.h"
#include "facts-int.h"
#include "hojo/suggest.h"
#include "yaml.h"

hj_status hj_facts_new(const hj_rulebook *rb, hj_facts **out)
{
	*out = NULL;
	hj_facts *f = hj_calloc(1, sizeof *f);
	if (!f)
		return HJ_ERR_NOMEM;
	f->rb = rb;
	int nf = rb->nfacts ? rb->nfacts : 1, nd = rb->ndefs ? rb->ndefs : 1;
	f->vals = hj_calloc((size_t)nf, sizeof *f->vals);
	f->lines = hj_calloc((size_t)nf, sizeof *f->lines);
	f->alias_of = hj_calloc((size_t)nf, sizeof *f->alias_of);
	f->plain = hj_calloc((size_t)nf, 1);
	for (int i = 0; f->plain && i < rb->nfacts; i++)
		f->plain[i] = (rb->facts[i].how == HJ_FACT_INPUT || rb->facts[i].how == HJ_FACT_PRESENCE) &&
			      !rb->facts[i].has_default;
	f->def_done = hj_calloc((size_t)nd, 1);
	f->def_vals = hj_calloc((size_t)nd, sizeof *f->def_vals);
	f->def_missing = hj_calloc((size_t)nd, sizeof *f->def_missing);
	f->comp_done = hj_calloc((size_t)nf, 1);
	size_t nsh = (size_t)(rb->nshared ? rb->nshared : 1) * HJ_MAX_SIZE_DEFS;
	f->sh_now = 1;
	f->sh_gen = hj_calloc(nsh, sizeof *f->sh_gen);
	f->sh_val = hj_calloc(nsh, sizeof *f->sh_val);
	f->sh_missing = hj_calloc(nsh, sizeof *f->sh_missing);
	f->comp_vals = hj_calloc((size_t)nf, sizeof *f->comp_vals);
	f->comp_missing = hj_calloc((size_t)nf, sizeof *f->comp_missing);
	f->comp_detail = hj_calloc((size_t)nf, sizeof *f->comp_detail);
	int ns = rb->nseries ? rb->nseries : 1;
	f->series = hj_calloc((size_t)ns * HJ_SERIES_MONTHS, sizeof *f->series);
	f->series_known = hj_calloc((size_t)ns * HJ_SERIES_MONTHS, 1);
	if (!f->vals || !f->lines || !f->alias_of || !f->plain || !f->def_done || !f->def_vals || !f->def_missing || !f->comp_done ||
	    !f->sh_gen || !f->sh_val || !f->sh_missing || !f->comp_vals || !f->comp_missing || !f->comp_detail || !f->series || !f->series_known) {
		hj_facts_free(f);
		return HJ_ERR_NOMEM;
	}
	*out = f;
	return HJ_OK;
}

void hj_facts_free(hj_facts *f)
{
	if (!f)
		return;
	hj_free(f->vals);
	hj_free(f->lines);
	hj_free(f->alias_of);
	hj_free(f->plain);
	hj_free(f->def_done);
	hj_free(f->def_vals);
	hj_free(f->def_missing);
	hj_free(f->comp_done);
	hj_free(f->sh_gen);
	hj_free(f->sh_val);
	hj_free(f->sh_missing);
	hj_free(f->comp_vals);
	hj_free(f->comp_missing);
	hj_free(f->comp_detail);
	hj_free(f->series);
	hj_free(f->series_known);
	hj_free(f->plan);
	hj_free(f->elines);
	hj_free(f);
}

/* Drop the caches that depend on the values. */
void hj_facts_invalidate(hj_facts *f)
{
	f->class_done = 0;
	for (int i = 0; i < HJ_MAX_SIZE_DEFS; i++)
		f->size_cache[i].done = 0;
	if (f->rb->ndefs)
		memset(f->def_done, 0, (size_t)f->rb->ndefs);
	memset(f->comp_done, 0, (size_t)f->rb->nfacts);
	if (++f->sh_now == 0) { /* wrapped: every slot stale again */
		memset(f->sh_gen, 0, (size_t)(f->rb->nshared ? f->rb->nshared : 1) * HJ_MAX_SIZE_DEFS * sizeof *f->sh_gen);
		f->sh_now = 1;
	}
}

/* What hj_facts_reset and hj_facts_reset_only clear besides the facts. */
static void reset_rest(hj_facts *f)
{
	if (f->plan)
		hj_free(f->plan);
	f->plan = NULL;
	f->nelines = 0;
	hj_facts_invalidate(f);
	f->name[0] = '\0';
	f->id[0] = '\0';
	f->has_date = 0;
	f->file[0] = '\0';
}

void hj_facts_reset(hj_facts *f)
{
	/* series are cleared only when some was given (most inputs have none) */
	for (int i = 0; i < f->rb->nfacts; i++)
		if (f->rb->facts[i].type.ty == HJ_TY_SERIES && f->vals[i].known)
			memset(f->series_known + (size_t)f->rb->facts[i].series_slot * HJ_SERIES_MONTHS, 0,
			       HJ_SERIES_MONTHS);
	memset(f->vals, 0, (size_t)f->rb->nfacts * sizeof *f->vals);
	memset(f->lines, 0, (size_t)f->rb->nfacts * sizeof *f->lines);
	memset(f->alias_of, 0, (size_t)f->rb->nfacts * sizeof *f->alias_of);
	reset_rest(f);
}

/* hj_facts_reset when only the facts 'ids' can be set (a batch reader's
 * columns): the same, without clearing every fact of the rulebook. The
 * first 'nseries' of them are the series facts (whose months are cleared
 * too when known); the others are of no series type. */
void hj_facts_reset_only(hj_facts *f, const int *ids, int n, int nseries)
{
	for (int k = 0; k < nseries; k++) {
		int i = ids[k];
		if (f->vals[i].known)
			memset(f->series_known + (size_t)f->rb->facts[i].series_slot * HJ_SERIES_MONTHS, 0,
			       HJ_SERIES_MONTHS);
	}
	hj_value *vals = f->vals;
	const hj_alias **alias_of = f->alias_of;
	int *lines = f->lines;
	for (int k = 0; k < n; k++) {
		int i = ids[k];
		memset(&vals[i], 0, sizeof vals[i]);
		lines[i] = 0;
		alias_of[i] = NULL;
	}
	reset_rest(f);
}

const char *hj_facts_name(const hj_facts *f) { return f->name; }
const char *hj_facts_id(const hj_facts *f) { return f->id; }

int hj_facts_date(const hj_facts *f, hj_date *out)
{
	if (f->has_date)
		*out = f->date;
	return f->has_date;
}

int hj_facts_known(const hj_facts *f, int fact)
{
	return fact >= 0 && fact < f->rb->nfacts && f->vals[fact].known;
}

/* ------------------------------------------------------------------ */
/* Parsing one value                                                   */

static int eq(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && !memcmp(s, lit, len);
}

/* 'lit' (lower-case ASCII) in any case: yes, Yes, YES */
static int eq_ascii_ci(const char *s, size_t len, const char *lit)
{
	if (strlen(lit) != len)
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]) != lit[i])
			return 0;
	return 1;
}

static hj_status parse_num(const char *s, size_t len, int integer, hj_frac *out)
{
	/* digits, optional fraction part; non-negative; exact */
	int64_t whole = 0, frac = 0, den = 1;
	size_t i = 0;
	int digits = 0, dot = 0;
	for (; i < len; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9') {
			if (!dot) {
				if (whole > (INT64_MAX - 9) / 10)
					return HJ_ERR_RANGE;
				whole = whole * 10 + (c - '0');
			} else {
				if (den > INT64_MAX / 100)
					return HJ_ERR_RANGE;
				frac = frac * 10 + (c - '0');
				den *= 10;
			}
			digits++;
		} else if (c == '.' && !dot && digits) {
			dot = 1;
		} else {
			return HJ_ERR_INPUT;
		}
	}
	if (!digits || (dot && den == 1))
		return HJ_ERR_INPUT;
	if (integer && frac)
		return HJ_ERR_INPUT;
	if (!dot) { /* the common case: a whole number, already normalised */
		*out = hj_frac_int(whole);
		return HJ_OK;
	}
	hj_frac w = hj_frac_int(whole), q;
	if (hj_frac_make(frac, den, &q) || hj_frac_add(w, q, out))
		return HJ_ERR_RANGE;
	return HJ_OK;
}

static const char *type_hint(const hj_rulebook *rb, const hj_fact *ft, char *buf, size_t size)
{
	switch (ft->type.ty) {
	case HJ_TY_YEN: return "金額（例: 1,000万円、750万、3000000）";
	case HJ_TY_NUM: return ft->integer ? "0以上の整数" : "0以上の数";
	case HJ_TY_BOOL: return "true / false、yes / no、はい / いいえ";
	case HJ_TY_DATE: return "日付 YYYY-MM-DD";
	case HJ_TY_ENUM:
	case HJ_TY_SET: {
		const hj_enum *e = &rb->enums[ft->type.enum_id];
		size_t o = (size_t)snprintf(buf, size, "%s", ft->type.ty == HJ_TY_SET ? "次の値のリスト（日本語名でも可）: " : "次のいずれか（日本語名でも可）: ");
		for (int i = 0; i < e->n && o < size - 40; i++)
			o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "", e->ids[i]);
		return buf;
	}
	}
	return "?";
}

/* " もしかして: 'x'" when an enum value is near a known name, else "". */
static const char *enum_guess(const hj_rulebook *rb, int enum_id, const char *s, size_t len, char *buf,
			      size_t size)
{
	const char *g = hj_rb_enum_suggest(rb, enum_id, s, len);
	if (!g)
		return "";
	snprintf(buf, size, "もしかして '%s'？ ", g);
	return buf;
}

/* Parse text for fact 'id' into *v; on error fill err (without position).
 * An enum alias with several candidates leaves *v unknown and sets
 * *alias (which may be NULL when the caller has nowhere to keep it). */
static hj_status parse_value(const hj_rulebook *rb, int id, const char *s, size_t len, hj_value *v,
			     const hj_alias **alias, hj_error *err)
{
	const hj_fact *ft = &rb->facts[id];
	char hint[400], guess[200] = "";
	const char *g = "";
	hj_status st = HJ_OK;
	*v = hj_value_unknown();
	if (alias)
		*alias = NULL;
	switch (ft->type.ty) {
	case HJ_TY_YEN: {
		hj_yen y;
		hj_error e;
		e.status = HJ_OK;
		if (hj_yen_parse(s, len, &y, &e))
			return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, e.col, ft->input, "%s", e.message);
		*v = hj_value_frac(hj_frac_int(y));
		return HJ_OK;
	}
	case HJ_TY_NUM: {
		hj_frac q;
		/* the fact's unit may follow the number, as it is shown ("25人"),
		 * and its digits may be full-width (２５), as a Japanese keyboard
		 * types them; errors below quote the input as written */
		size_t ul = ft->unit ? strlen(ft->unit) : 0, nl = len;
		if (ul && nl > ul && !memcmp(s + nl - ul, ft->unit, ul))
			nl -= ul;
		char ascii[64];
		size_t an = 0, i = 0;
		while (i < nl && an < sizeof ascii) {
			const unsigned char *u = (const unsigned char *)s + i;
			if (i + 2 < nl && u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99) {
				ascii[an++] = (char)('0' + (u[2] - 0x90));
				i += 3;
			} else
				ascii[an++] = s[i++];
		}
		if (i < nl)
			an = 0; /* too long to be a count: refused below */
		st = parse_num(ascii, an, ft->integer, &q);
		if (st)
			break;
		*v = hj_value_frac(q);
		return HJ_OK;
	}
	case HJ_TY_BOOL:
		if (eq_ascii_ci(s, len, "true") || eq_ascii_ci(s, len, "yes") || eq(s, len, "はい") || eq(s, len, "1"))
			*v = hj_value_bool(1);
		else if (eq_ascii_ci(s, len, "false") || eq_ascii_ci(s, len, "no") || eq(s, len, "いいえ") ||
			 eq(s, len, "0"))
			*v = hj_value_bool(0);
		else
			st = HJ_ERR_INPUT;
		break;
	case HJ_TY_DATE: {
		hj_date d;
		hj_error e;
		e.status = HJ_OK;
		if (hj_date_parse(s, len, &d, &e))
			return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, e.col, ft->input, "%s", e.message);
		v->known = 1;
		v->u.date = d;
		return HJ_OK;
	}
	case HJ_TY_ENUM: {
		const hj_alias *al;
		int k = hj_rb_enum_input(rb, ft->type.enum_id, s, len, &al);
		if (k < 0 && al && alias) {
			*alias = al; /* several candidates: unknown, tried over them */
			return HJ_OK;
		}
		if (k < 0) {
			g = enum_guess(rb, ft->type.enum_id, s, len, guess, sizeof guess);
			st = HJ_ERR_INPUT;
			break;
		}
		v->known = 1;
		v->u.sym = k;
		return HJ_OK;
	}
	case HJ_TY_SET: {
		/* "a;b;c" (CSV form) */
		uint64_t m = 0;
		size_t i = 0;
		while (i <= len) {
			size_t j = i;
			while (j < len && s[j] != ';' && s[j] != '|')
				j++;
			size_t a = i, b = j;
			while (a < b && s[a] == ' ')
				a++;
			while (b > a && s[b - 1] == ' ')
				b--;
			if (b > a) {
				const hj_alias *al;
				int k = hj_rb_enum_input(rb, ft->type.enum_id, s + a, b - a, &al);
				if (k < 0) {
					if (!al)
						g = enum_guess(rb, ft->type.enum_id, s + a, b - a, guess, sizeof guess);
					st = HJ_ERR_INPUT;
					break;
				}
				m |= (uint64_t)1 << k;
			}
			i = j + 1;
		}
		if (st)
			break;
		v->known = 1;
		v->u.set = m;
		return HJ_OK;
	}
	}
	if (st == HJ_OK)
		return HJ_OK;
	return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, ft->input,
			    "%s として読めません: '%.*s'（%s%s）", ft->label, (int)(len > 80 ? 80 : len), s, g,
			    type_hint(rb, ft, hint, sizeof hint));
}

hj_status hj_facts_set_text(hj_facts *f, int fact, const char *s, size_t len, hj_error *err)
{
	if (fact < 0 || fact >= f->rb->nfacts)
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, NULL, "未知の項目です");
	const hj_fact *ft = &f->rb->facts[fact];
	while (len && (s[0] == ' ' || s[0] == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	hj_facts_invalidate(f);
	if (len == 0) {
		f->vals[fact] = hj_value_unknown();
		return HJ_OK;
	}
	if (ft->how == HJ_FACT_DERIVED || ft->how == HJ_FACT_COMPUTED)
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, ft->name,
				    "'%s' は hojo が計算する項目なので入力できません", ft->name);
	if (ft->type.ty == HJ_TY_SERIES)
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, ft->name,
				    "'%s'（月ごとの金額）は YAML/JSON の入力で書いてください", ft->name);
	hj_value v;
	const hj_alias *al;
	hj_status st = parse_value(f->rb, fact, s, len, &v, &al, err);
	if (st)
		return st;
	f->vals[fact] = v;
	f->alias_of[fact] = al;
	return HJ_OK;
}

/* The common cells of a batch file without the general parser: plain
 * ASCII digits (at most 15, as hj_yen_parse's and parse_num's own fast
 * paths), 0/1 for yes/no, an enum id or label. The caches were cleared by
 * hj_facts_reset, so they are not cleared again per cell. Anything else
 * goes through hj_facts_set_text, so what is accepted or refused, and the
 * value, are the same. */
hj_status hj_facts_set_cell(hj_facts *f, int fact, const char *s, size_t len, hj_error *err)
{
	const hj_fact *ft = &f->rb->facts[fact];
	if (len && ft->how == HJ_FACT_INPUT) {
		switch (ft->type.ty) {
		case HJ_TY_YEN:
		case HJ_TY_NUM:
			if (len < 15) {
				int64_t v = 0;
				size_t i = 0;
				for (; i < len && (unsigned)(s[i] - '0') < 10; i++)
					v = v * 10 + (s[i] - '0');
				if (i == len) {
					f->vals[fact] = hj_value_frac(hj_frac_int(v));
					f->alias_of[fact] = NULL;
					return HJ_OK;
				}
			}
			break;
		case HJ_TY_BOOL:
			if (len == 1 && (s[0] == '0' || s[0] == '1')) {
				f->vals[fact] = hj_value_bool(s[0] == '1');
				f->alias_of[fact] = NULL;
				return HJ_OK;
			}
			break;
		case HJ_TY_ENUM: {
			if (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r')
				break;
			int k = hj_rb_enum_value(f->rb, ft->type.enum_id, s, len);
			if (k >= 0) {
				hj_value v = hj_value_unknown();
				v.known = 1;
				v.u.sym = k;
				f->vals[fact] = v;
				f->alias_of[fact] = NULL;
				return HJ_OK;
			}
			break;
		}
		default:
			break;
		}
	}
	return hj_facts_set_text(f, fact, s, len, err);
}

/* ------------------------------------------------------------------ */
/* Walking a YAML/JSON document                                        */

typedef struct walk {
	hj_facts *f;
	hj_error *err;
	const char *file;
	int line0;
	char seen[32][160]; /* container paths seen, for presence facts */
	int nseen;
} walk;

static int path_is_prefix(const char *prefix, size_t plen, const char *path)
{
	return strlen(path) > plen && !memcmp(prefix, path, plen) && path[plen] == '.';
}

static hj_status node_err(walk *w, struct fy_node *n, const char *path, const char *fmt, const char *a)
{
	return hj_error_set(w->err, HJ_ERR_INPUT, w->file, hj_yaml_line(n) + w->line0, hj_yaml_col(n), path,
			    fmt, a);
}

static hj_status walk_map(walk *w, struct fy_node *map, const char *path);

static hj_status set_from_node(walk *w, int id, struct fy_node *vn, const char *path)
{
	hj_facts *f = w->f;
	const hj_fact *ft = &f->rb->facts[id];
	hj_value v = hj_value_unknown();
	if (!vn || (fy_node_is_scalar(vn) && fy_node_get_style(vn) == FYNS_PLAIN &&
		    (fy_node_get_scalar_length(vn) == 0 ||
		     (fy_node_get_scalar_length(vn) == 4 && !memcmp(fy_node_get_scalar0(vn), "null", 4)) ||
		     (fy_node_get_scalar_length(vn) == 1 && fy_node_get_scalar0(vn)[0] == '~')))) {
		f->vals[id] = v; /* explicitly unknown */
		f->alias_of[id] = NULL;
		return HJ_OK;
	}
	if (ft->type.ty == HJ_TY_SERIES) {
		if (!fy_node_is_mapping(vn))
			return node_err(w, vn, path, "%s は 年-月: 金額 のマッピングで書いてください（例: 2019-04: 1,000万円）",
					ft->label);
		hj_yen *vals = f->series + (size_t)ft->series_slot * HJ_SERIES_MONTHS;
		uint8_t *known = f->series_known + (size_t)ft->series_slot * HJ_SERIES_MONTHS;
		void *it = NULL;
		struct fy_node_pair *p;
		while ((p = fy_node_mapping_iterate(vn, &it))) {
			size_t kl, vl;
			const char *k = hj_yaml_scalar(fy_node_pair_key(p), &kl);
			const char *vs = hj_yaml_scalar(fy_node_pair_value(p), &vl);
			int y, m, dd;
			char kb[24];
			snprintf(kb, sizeof kb, "%.*s", (int)(k && kl < 20 ? kl : 0), k ? k : "");
			/* 2019-10 or 2019年10月 */
			int jp = k && hj_month_parse_jp(k, kl, &y, &m, &dd) == 1;
			/* YYYY-MM exactly: four digits, '-', two digits (sscanf alone
			 * took " 2019-2" and "2019-+1") */
			int iso = !jp && k && kl == 7 && k[4] == '-';
			for (size_t d = 0; iso && d < 7; d++)
				iso = d == 4 || (k[d] >= '0' && k[d] <= '9');
			if (iso)
				y = (k[0] - '0') * 1000 + (k[1] - '0') * 100 + (k[2] - '0') * 10 + (k[3] - '0'),
				m = (k[5] - '0') * 10 + (k[6] - '0');
			if (!k || (!jp && !iso) || m < 1 || m > 12 ||
			    y < HJ_SERIES_FIRST_YEAR || y >= HJ_SERIES_FIRST_YEAR + HJ_SERIES_MONTHS / 12) {
				hj_error_set(w->err, HJ_ERR_INPUT, w->file, hj_yaml_line(fy_node_pair_key(p)) + w->line0,
					     hj_yaml_col(fy_node_pair_key(p)), path,
					     "月は YYYY-MM か 2019年10月 の形（%d-01〜%d-12）で書いてください: '%s'", HJ_SERIES_FIRST_YEAR,
					     HJ_SERIES_FIRST_YEAR + HJ_SERIES_MONTHS / 12 - 1, kb);
				return HJ_ERR_INPUT;
			}
			int idx = (y - HJ_SERIES_FIRST_YEAR) * 12 + m - 1;
			struct fy_node *vnode = fy_node_pair_value(p);
			if (!vnode || (fy_node_get_style(vnode) == FYNS_PLAIN && vs &&
				       (vl == 0 || (vl == 4 && !memcmp(vs, "null", 4)) || (vl == 1 && vs[0] == '~')))) {
				known[idx] = 0; /* this month explicitly not known */
				continue;
			}
			hj_yen amount;
			hj_error e;
			e.status = HJ_OK;
			if (!vs || hj_yen_parse(vs, vl, &amount, &e)) {
				hj_error_set(w->err, HJ_ERR_INPUT, w->file, hj_yaml_line(fy_node_pair_value(p)) + w->line0,
					     hj_yaml_col(fy_node_pair_value(p)), path, "%s の %s: %s", ft->label, kb,
					     vs ? e.message : "金額が必要です");
				return HJ_ERR_INPUT;
			}
			vals[idx] = amount;
			known[idx] = 1;
		}
		v.known = 1;
		v.u.sym = ft->series_slot;
		f->vals[id] = v;
		f->lines[id] = hj_yaml_line(vn) + w->line0;
		return HJ_OK;
	}
	if (ft->type.ty == HJ_TY_SET) {
		if (!fy_node_is_sequence(vn))
			return node_err(w, vn, path, "%s はリスト（[a, b]）で書いてください", ft->label);
		uint64_t m = 0;
		void *it = NULL;
		struct fy_node *c;
		while ((c = fy_node_sequence_iterate(vn, &it))) {
			size_t len;
			const char *s = hj_yaml_scalar(c, &len);
			const hj_alias *al = NULL;
			int k = s ? hj_rb_enum_input(f->rb, ft->type.enum_id, s, len, &al) : -1;
			if (k < 0) {
				char hint[400], guess[200] = "";
				const char *g = s && !al ? enum_guess(f->rb, ft->type.enum_id, s, len, guess, sizeof guess) : "";
				hj_error_set(w->err, HJ_ERR_INPUT, w->file, hj_yaml_line(c) + w->line0,
					     hj_yaml_col(c), path, "%s の値として読めません: '%.*s'（%s%s）",
					     ft->label, (int)(s ? (len > 80 ? 80 : len) : 0), s ? s : "", g,
					     type_hint(f->rb, ft, hint, sizeof hint));
				return HJ_ERR_INPUT;
			}
			m |= (uint64_t)1 << k;
		}
		v.known = 1;
		v.u.set = m;
		f->vals[id] = v;
		f->lines[id] = hj_yaml_line(vn) + w->line0;
		return HJ_OK;
	}
	size_t len;
	const char *s = hj_yaml_scalar(vn, &len);
	if (!s)
		return node_err(w, vn, path, "%s は一つの値で書いてください", ft->label);
	const hj_alias *al;
	hj_status st = parse_value(f->rb, id, s, len, &v, &al, w->err);
	f->alias_of[id] = st ? NULL : al;
	if (st) {
		int col = w->err->col;
		w->err->line = hj_yaml_line(vn) + w->line0;
		w->err->col = hj_yaml_col(vn) + (col > 1 ? col - 1 : 0);
		snprintf(w->err->file, sizeof w->err->file, "%s", w->file);
		snprintf(w->err->field, sizeof w->err->field, "%s", path);
		return st;
	}
	f->vals[id] = v;
	f->lines[id] = hj_yaml_line(vn) + w->line0;
	return HJ_OK;
}

/* "もしかして 'x'？ " for a mistyped key: the nearest input path (or
 * path prefix) with as many parts as 'path'. */
static void key_guess(const hj_rulebook *rb, const char *path, char *out, size_t size)
{
	static const char *const builtin[] = { "date", "plan", "expense_lines", "applicant.name", "id" };
	int depth = 0;
	for (const char *p = path; *p; p++)
		depth += *p == '.';
	int n = rb->nfacts + 5;
	char (*cand)[160] = hj_calloc((size_t)n, sizeof *cand);
	const char **ptrs = hj_calloc((size_t)n, sizeof *ptrs);
	if (!cand || !ptrs) {
		hj_free(cand);
		hj_free(ptrs);
		return;
	}
	for (int i = 0; i < n; i++) {
		const char *in = i < 5 ? builtin[i] : rb->facts[i - 5].input;
		if (i >= 5 && (rb->facts[i - 5].how == HJ_FACT_DERIVED || rb->facts[i - 5].how == HJ_FACT_COMPUTED))
			continue;
		if (!in)
			continue;
		/* the first depth+1 parts */
		int d = 0;
		size_t k = 0;
		while (in[k] && !(in[k] == '.' && d++ == depth))
			k++;
		if (d < depth || k >= sizeof cand[0])
			continue;
		snprintf(cand[i], sizeof cand[0], "%.*s", (int)k, in);
		ptrs[i] = cand[i];
	}
	int best = hj_suggest(path, strlen(path), ptrs, n);
	if (best >= 0)
		snprintf(out, size, "もしかして '%s'？ ", ptrs[best]);
	hj_free(cand);
	hj_free(ptrs);
}

static hj_status walk_key(walk *w, struct fy_node *kn, struct fy_node *vn, const char *parent)
{
	const hj_rulebook *rb = w->f->rb;
	size_t klen;
	const char *k = hj_yaml_scalar(kn, &klen);
	if (!k || !klen)
		return node_err(w, kn, parent, "%s", "キーが読めません");
	char path[200];
	if (snprintf(path, sizeof path, "%s%s%.*s", parent, *parent ? "." : "", (int)klen, k) >=
	    (int)sizeof path)
		return node_err(w, kn, parent, "%s", "キーが長すぎます");
	/* built-ins */
	if (!strcmp(path, "date")) {
		size_t len;
		const char *s = hj_yaml_scalar(vn, &len);
		if (!vn || (s && fy_node_get_style(vn) == FYNS_PLAIN &&
			    (len == 0 || (len == 4 && !memcmp(s, "null", 4)) || (len == 1 && s[0] == '~')))) {
			w->f->has_date = 0; /* explicitly not known */
			if (rb->f_date >= 0)
				w->f->vals[rb->f_date] = hj_value_unknown();
			return HJ_OK;
		}
		hj_error e;
		hj_error_clear(&e);
		if (!s || hj_date_parse(s, len, &w->f->date, &e))
			return hj_error_set(w->err, HJ_ERR_INPUT, w->file, hj_yaml_line(vn) + w->line0,
					    hj_yaml_col(vn), path, "申請日は YYYY-MM-DD で書いてください");
		w->f->has_date = 1;
		if (rb->f_date >= 0) {
			w->f->vals[rb->f_date].known = 1;
			w->f->vals[rb->f_date].u.date = w->f->date;
			w->f->lines[rb->f_date] = hj_yaml_line(vn) + w->line0;
		}
		return HJ_OK;
	}
	if (!strcmp(path, "plan"))
		return hj_plan_parse_node(w->f, vn, w->file, w->line0, w->err);
	if (!strcmp(path, "expense_lines"))
		return hj_lines_parse_node(w->f, vn, w->file, w->line0, w->err);
	if (!strcmp(path, "id")) {
		/* the record's key (batch, diff): a string or a number */
		size_t len;
		const char *s = hj_yaml_scalar(vn, &len);
		if (!s || len >= sizeof w->f->id || memchr(s, '\0', len))
			return node_err(w, vn ? vn : kn, path, "%s", "id は127バイトまでの文字列か数で書いてください");
		snprintf(w->f->id, sizeof w->f->id, "%.*s", (int)len, s);
		return HJ_OK;
	}
	if (!strcmp(path, "applicant.name")) {
		size_t len;
		const char *s = hj_yaml_scalar(vn, &len);
		if (!s)
			return node_err(w, vn, path, "%s", "名前は文字列で書いてください");
		snprintf(w->f->name, sizeof w->f->name, "%.*s", (int)len, s);
		return HJ_OK;
	}
	int container = 0;
	for (int i = 0; i < rb->nfacts; i++) {
		const hj_fact *ft = &rb->facts[i];
		if (ft->how == HJ_FACT_DERIVED || ft->how == HJ_FACT_COMPUTED || !strcmp(ft->input, "date"))
			continue;
		if (!strcmp(ft->input, path)) {
			if (ft->how == HJ_FACT_PRESENCE) {
				if (vn && fy_node_is_scalar(vn)) {
					/* "keiei_kakushin: true/false" is allowed too */
					hj_value v;
					size_t len;
					const char *s = hj_yaml_scalar(vn, &len);
					if (parse_value(rb, i, s, len, &v, NULL, w->err) == HJ_OK &&
					    ft->type.ty == HJ_TY_BOOL) {
						w->f->vals[i] = v;
						w->f->lines[i] = hj_yaml_line(vn) + w->line0;
						return HJ_OK;
					}
					return node_err(w, vn, path, "%s",
							"認定・承認の内容（マッピング）か true/false を書いてください");
				}
				w->f->vals[i] = hj_value_bool(1);
				w->f->lines[i] = hj_yaml_line(kn) + w->line0;
				container = 1;
				continue;
			}
			return set_from_node(w, i, vn, path);
		}
		if (path_is_prefix(path, strlen(path), ft->input))
			container = 1;
	}
	if (!container) {
		char near[220] = "";
		key_guess(rb, path, near, sizeof near);
		return hj_error_set(w->err, HJ_ERR_INPUT, w->file, hj_yaml_line(kn) + w->line0, hj_yaml_col(kn), path,
				    "未知の項目 '%s'（%s使える項目は hojo facts で確認できます）", path, near);
	}
	if (!vn || (fy_node_is_scalar(vn) && fy_node_get_scalar_length(vn) == 0))
		vn = NULL; /* "certifications:" with nothing: an empty container */
	if (vn && !fy_node_is_mapping(vn))
		return node_err(w, vn, path, "'%s' の下は項目: 値 のマッピングで書いてください", path);
	if (w->nseen < 32)
		snprintf(w->seen[w->nseen++], sizeof w->seen[0], "%s", path);
	return vn ? walk_map(w, vn, path) : HJ_OK;
}

static hj_status walk_map(walk *w, struct fy_node *map, const char *path)
{
	void *it = NULL;
	struct fy_node_pair *p;
	while ((p = fy_node_mapping_iterate(map, &it))) {
		hj_status st = walk_key(w, fy_node_pair_key(p), fy_node_pair_value(p), path);
		if (st)
			return st;
	}
	return HJ_OK;
}

/* Walk the pairs of 'map' (skipping the keys in 'skip'), then settle
 * presence facts: false where their parent was given without them. */
hj_status hj_facts_load_node(hj_facts *f, struct fy_node *map, const char *file, int line0,
			     const char *const *skip, hj_error *err)
{
	walk w;
	memset(&w, 0, sizeof w);
	w.f = f;
	w.err = err;
	w.file = file;
	w.line0 = line0;
	hj_facts_invalidate(f);
	snprintf(f->file, sizeof f->file, "%s", file);
	void *it = NULL;
	struct fy_node_pair *p;
	while ((p = fy_node_mapping_iterate(map, &it))) {
		size_t kl;
		const char *k = hj_yaml_scalar(fy_node_pair_key(p), &kl);
		int skipped = 0;
		for (int i = 0; skip && skip[i] && k; i++)
			skipped |= strlen(skip[i]) == kl && !memcmp(skip[i], k, kl);
		if (skipped)
			continue;
		hj_status st = walk_key(&w, fy_node_pair_key(p), fy_node_pair_value(p), "");
		if (st)
			return st;
	}
	for (int i = 0; i < f->rb->nfacts; i++) {
		const hj_fact *ft = &f->rb->facts[i];
		if (ft->how != HJ_FACT_PRESENCE || f->vals[i].known)
			continue;
		for (int k = 0; k < w.nseen; k++)
			if (!strcmp(w.seen[k], ft->parent))
				f->vals[i] = hj_value_bool(0);
	}
	return HJ_OK;
}

hj_status hj_facts_load_text(hj_facts *f, const char *text, size_t len, const char *name, int line,
			     hj_error *err)
{
	return hj_facts_load_text_opts(f, text, len, name, line, -1, err);
}

hj_status hj_facts_load_json(hj_facts *f, const char *text, size_t len, const char *name, hj_error *err)
{
	return hj_facts_load_text_opts(f, text, len, name, 1, HJ_YAML_JSON, err);
}

hj_status hj_facts_load_text_opts(hj_facts *f, const char *text, size_t len, const char *name, int line,
				  int opts, hj_error *err)
{
	hj_error_clear(err);
	const char *file = name ? name : "";
	int line0 = line > 0 ? line - 1 : 0;
	struct fy_document *doc = opts < 0 ? hj_yaml_parse(text, len, file, line0, HJ_ERR_INPUT, err)
					   : hj_yaml_parse_opts(text, len, file, line0, HJ_ERR_INPUT, opts, err);
	if (!doc)
		return err ? err->status : HJ_ERR_INPUT; /* HJ_ERR_NOMEM when out of memory */
	struct fy_node *root = fy_document_root(doc);
	hj_status st;
	if (!root || !fy_node_is_mapping(root))
		st = hj_error_set(err, HJ_ERR_INPUT, file, line0 + 1, 1, NULL,
				  "入力の最上位は date, applicant, project のマッピングでなければなりません");
	else
		st = hj_facts_load_node(f, root, file, line0, NULL, err);
	fy_document_destroy(doc);
	return st;
}

hj_status hj_facts_load_file(hj_facts *f, const char *path, hj_error *err)
{
	size_t len;
	hj_error_clear(err);
	char *text = hj_read_file(path, &len, err, HJ_ERR_INPUT);
	if (!text)
		return err->status;
	hj_status st = hj_facts_load_text(f, text, len, path, 1, err);
	hj_free(text);
	return st;
}

void hj_facts_value_text(const hj_facts *f, int fact, char *buf, size_t size)
{
	const hj_rulebook *rb = f->rb;
	const hj_fact *ft = &rb->facts[fact];
	hj_value v = f->vals[fact];
	int dflt = 0;
	if (ft->how == HJ_FACT_DERIVED && ft->derived == HJ_DER_SUBSIDY) {
		v = f->cur_subsidy;
	} else if (ft->how == HJ_FACT_DERIVED) {
		hj_classify((hj_facts *)f);
		v = f->derived[ft->derived];
	} else if (ft->how == HJ_FACT_COMPUTED) {
		hj_factset m;
		hj_factset_clear(&m);
		v = hj_compute((hj_facts *)f, fact, &m);
		if (f->comp_detail[fact][0]) {
			snprintf(buf, size, "%s（%s）", !v.known ? "要確認" : v.u.b ? "はい" : "いいえ",
				 f->comp_detail[fact]);
			return;
		}
	} else if (!v.known && ft->has_default) {
		v = ft->def;
		dflt = 1;
	}
	if (!v.known && f->alias_of[fact]) {
		/* 飲食業: one of the candidates, not decided by the sources */
		const hj_alias *al = f->alias_of[fact];
		const hj_enum *e = &rb->enums[ft->type.enum_id];
		size_t o = (size_t)snprintf(buf, size, "要確認（%s: ", al->names[0]);
		int first = 1;
		for (int i = 0; i < e->n && o < size; i++)
			if (al->cands >> i & 1) {
				o += (size_t)snprintf(buf + o, size - o, "%s%s", first ? "" : " か ", e->labels[i]);
				first = 0;
			}
		if (o < size)
			snprintf(buf + o, size - o, "）");
		return;
	}
	if (!v.known) {
		/* nobody enters derived facts: they are undetermined */
		snprintf(buf, size, ft->how == HJ_FACT_DERIVED || ft->how == HJ_FACT_COMPUTED ? "要確認" : "未入力");
		return;
	}
	switch (ft->type.ty) {
	case HJ_TY_BOOL:
		snprintf(buf, size, "%s%s", v.u.b ? "はい" : "いいえ", dflt ? "（未入力のため既定）" : "");
		return;
	case HJ_TY_YEN:
		if (v.u.q.den == 1) {
			hj_yen_format_short(v.u.q.num, buf, size);
			return;
		}
		hj_frac_format(v.u.q, buf, size);
		return;
	case HJ_TY_NUM: {
		char t[64];
		hj_frac_format(v.u.q, t, sizeof t);
		snprintf(buf, size, "%s%s", t, ft->unit ? ft->unit : "");
		return;
	}
	case HJ_TY_DATE:
		hj_date_format(v.u.date, buf, size);
		return;
	case HJ_TY_ENUM:
		snprintf(buf, size, "%s", rb->enums[ft->type.enum_id].labels[v.u.sym]);
		return;
	case HJ_TY_SERIES: {
		int n = 0, first = -1, last = -1;
		const uint8_t *k = f->series_known + (size_t)ft->series_slot * HJ_SERIES_MONTHS;
		for (int i = 0; i < HJ_SERIES_MONTHS; i++)
			if (k[i]) {
				n++;
				if (first < 0)
					first = i;
				last = i;
			}
		if (!n)
			snprintf(buf, size, "なし");
		else
			snprintf(buf, size, "%dか月分（%d-%02d〜%d-%02d）", n, HJ_SERIES_FIRST_YEAR + first / 12,
				 first % 12 + 1, HJ_SERIES_FIRST_YEAR + last / 12, last % 12 + 1);
		return;
	}
	case HJ_TY_SET: {
		const hj_enum *e = &rb->enums[ft->type.enum_id];
		size_t o = 0;
		buf[0] = '\0';
		for (int i = 0; i < e->n && o + 1 < size; i++)
			if (v.u.set >> i & 1)
				o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? "、" : "", e->ids[i]);
		if (!o)
			snprintf(buf, size, "なし");
		return;
	}
	}
	snprintf(buf, size, "?");
}
