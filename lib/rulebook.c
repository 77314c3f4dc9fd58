/*
 * rulebook.c - loading the rulebook from the YAML files under rules/.
 *
 * Loading happens in passes over all files, so that a file may use what
 * another declares: (1) rulebook name and enums, (2) facts, (3) the size
 * tables (which add the derived facts size_class, small, sme, midsize,
 * large), (4) definitions, in load order, (5) programs, (6) editions and
 * their frames. Every expression is compiled here, once; any error stops
 * the load with the file, line, column and field, and frees everything
 * built so far, so a caller never sees half a rulebook.
 *
 * Unknown keys are errors everywhere: a misspelt 'soruce:' must not pass
 * silently. Every condition, cap, rate, tier, lower limit, requirement and
 * definition must carry a 'source:': a document declared under
 * 'documents:' (sources.yaml) by its cite key, then optionally ":L[-L]"
 * or " location" ("seed 002:34", "facts §1a", "law 12:3"; several joined
 * by ", ").
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <nettle/sha2.h>
#include "hojo/alloc.h"
#include "rulebook-int.h"
#include "rulebook-load.h"
#include "hojo/suggest.h"
#include "yaml.h"

/* ------------------------------------------------------------------ */
/* Arena                                                               */

void *hj_rb_alloc(hj_rulebook *rb, size_t size)
{
	if (rb->nblocks == rb->capblocks) {
		int nc = rb->capblocks ? rb->capblocks * 2 : 256;
		void **nb = hj_realloc(rb->blocks, (size_t)nc * sizeof *nb);
		if (!nb)
			return NULL;
		rb->blocks = nb;
		rb->capblocks = nc;
	}
	void *p = hj_calloc(1, size);
	if (p)
		rb->blocks[rb->nblocks++] = p;
	return p;
}

char *hj_rb_strndup(hj_rulebook *rb, const char *s, size_t len)
{
	char *p = hj_rb_alloc(rb, len + 1);
	if (p)
		memcpy(p, s, len);
	return p;
}

char *hj_rb_strdup(hj_rulebook *rb, const char *s)
{
	return hj_rb_strndup(rb, s, strlen(s));
}

void hj_rulebook_free(hj_rulebook *rb)
{
	if (!rb)
		return;
	for (int i = 0; i < rb->nexprs; i++)
		hj_expr_free(rb->exprs[i]);
	hj_free(rb->exprs);
	for (int i = 0; i < rb->nblocks; i++)
		hj_free(rb->blocks[i]);
	hj_free(rb->blocks);
	hj_free(rb);
}

/* ------------------------------------------------------------------ */
/* Loader state and error helpers                                      */


#define NOMEM(L) hj_error_set((L)->err, HJ_ERR_NOMEM, (L)->file, 0, 0, NULL, "メモリが足りません")

static hj_status fail(ld *L, struct fy_node *n, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static hj_status fail(ld *L, struct fy_node *n, const char *field, const char *fmt, ...)
{
	char msg[480];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return hj_error_set(L->err, HJ_ERR_RULEBOOK, L->file, hj_yaml_line(n), hj_yaml_col(n),
			    field, "%s", msg);
}

static struct fy_node *get(struct fy_node *map, const char *key)
{
	if (!map || !fy_node_is_mapping(map))
		return NULL;
	return fy_node_mapping_lookup_by_string(map, key, FY_NT);
}

/* Check that 'map' is a mapping whose keys are all in 'allowed' (NULL-ended). */
static hj_status check_keys(ld *L, struct fy_node *map, const char *field,
			    const char *const *allowed)
{
	if (!map || !fy_node_is_mapping(map))
		return fail(L, map, field, "マッピング（キー: 値）が必要です");
	struct fy_node *k = hj_yaml_unknown_key(map, allowed);
	if (k) {
		char list[400];
		size_t len;
		const char *t = hj_yaml_scalar(k, &len);
		hj_yaml_key_list(allowed, list, sizeof list);
		return fail(L, k, field, "未知のキー '%.*s'（使えるキー: %s）", (int)(t ? len : 0), t ? t : "",
			    list);
	}
	return HJ_OK;
}

/* A required or optional string. */
/*
 * A plain or folded YAML scalar over several lines turns each line break
 * into a space; Japanese text does not put spaces between characters, so
 * a space between two non-ASCII characters of such a scalar is dropped
 * ("IT導入補助 金" read back as "IT導入補助金"). Spaces next to ASCII
 * ("seed 001:918 は") stay.
 */
static void join_folded(struct fy_node *n, char *s)
{
	struct fy_token *t = fy_node_get_scalar_token(n);
	enum fy_node_style st = fy_node_get_style(n);
	if (!t || (st != FYNS_PLAIN && st != FYNS_FOLDED))
		return;
	const struct fy_mark *a = fy_token_start_mark(t), *b = fy_token_end_mark(t);
	if (!a || !b || a->line == b->line)
		return;
	char *w = s;
	for (char *p = s; *p; p++) {
		if (*p == ' ' && p > s && (unsigned char)p[-1] >= 0x80 && (unsigned char)p[1] >= 0x80)
			continue;
		*w++ = *p;
	}
	*w = '\0';
}

static hj_status str_field(ld *L, struct fy_node *map, const char *key, const char *field,
			   int required, char **out)
{
	struct fy_node *n = get(map, key);
	*out = NULL;
	if (!n) {
		if (required)
			return fail(L, map, field, "'%s' がありません", key);
		return HJ_OK;
	}
	size_t len;
	const char *s = hj_yaml_scalar(n, &len);
	if (!s)
		return fail(L, n, field, "'%s' は文字列でなければなりません", key);
	if (required && len == 0)
		return fail(L, n, field, "'%s' が空です", key);
	*out = hj_rb_strndup(L->rb, s, len);
	if (*out)
		join_folded(n, *out);
	return *out ? HJ_OK : NOMEM(L);
}

/* The document a citation of 'len' bytes at 's' names: the longest cite
 * key of sources.yaml that the citation starts with, followed by its end,
 * ':' (lines: "seed 002:34", "law 12:3-5") or ' ' (any other location:
 * "doc A §2"). "facts §1a" is its own key; "facts §1z" names nothing. */
static const hj_document *find_document(const hj_rulebook *rb, const char *s, size_t len)
{
	const hj_document *best = NULL;
	size_t bl = 0;
	for (int i = 0; i < rb->ndocs; i++) {
		const char *c = rb->docs[i].cite;
		size_t k = strlen(c);
		if (k > len || (best && k <= bl) || strncmp(c, s, k))
			continue;
		if (k == len || s[k] == ':' || s[k] == ' ')
			best = &rb->docs[i], bl = k;
	}
	return best;
}

const hj_document *hj_rulebook_cited_document(const hj_rulebook *rb, const char *citation)
{
	return find_document(rb, citation, strlen(citation));
}

int hj_rulebook_ndocuments(const hj_rulebook *rb) { return rb->ndocs; }
int hj_rulebook_has_sizes(const hj_rulebook *rb) { return rb->sizes.loaded; }
int hj_rulebook_ncolumns(const hj_rulebook *rb) { return rb->ncolmap; }
void hj_rulebook_column(const hj_rulebook *rb, int i, const char **column, const char **target)
{
	*column = rb->col_from[i];
	*target = rb->col_to[i];
}
const hj_document *hj_rulebook_document(const hj_rulebook *rb, int i) { return &rb->docs[i]; }
int hj_rulebook_nparties(const hj_rulebook *rb) { return rb->nparties; }
const hj_party_kind *hj_rulebook_party(const hj_rulebook *rb, int i) { return &rb->parties[i]; }

const hj_party_kind *hj_rulebook_find_party(const hj_rulebook *rb, const char *kind)
{
	for (int i = 0; kind && i < rb->nparties; i++)
		if (!strcmp(rb->parties[i].kind, kind))
			return &rb->parties[i];
	return NULL;
}

int hj_party_fact_applies(const hj_party_fact *pf, const char *program)
{
	for (int i = 0; program && i < pf->nprograms; i++)
		if (!strcmp(pf->programs[i], program))
			return 1;
	return 0;
}

/* "L" or "L-M" (1 <= L <= M): lines of a document. */
static int lines_ok(const char *p, size_t n)
{
	long a = 0, b = 0;
	size_t i = 0;
	if (i >= n || p[i] < '1' || p[i] > '9')
		return 0;
	while (i < n && p[i] >= '0' && p[i] <= '9' && a < 100000000)
		a = a * 10 + (p[i++] - '0');
	if (i == n)
		return 1;
	if (p[i++] != '-' || i >= n || p[i] < '1' || p[i] > '9')
		return 0;
	while (i < n && p[i] >= '0' && p[i] <= '9' && b < 100000000)
		b = b * 10 + (p[i++] - '0');
	return i == n && b >= a;
}

/* A source: citations joined by ", ", each a document key declared in
 * sources.yaml ('cite:'), then optionally ":L", ":L-M" or " location". */
static hj_status check_source(ld *L, struct fy_node *n, const char *field, const char *src)
{
	const char *p = src;
	for (;;) {
		const char *e = strstr(p, ", ");
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (!len || p[0] == ' ' || p[len - 1] == ' ' || memchr(p, ',', len))
			return fail(L, n, field,
				    "出典 '%s' の形が違います（sources.yaml の資料の cite に位置を続け、複数は \", \" で区切ります。"
				    "例: seed 000:21、seed 003:74-86、facts §1a）",
				    src);
		const hj_document *d = find_document(L->rb, p, len);
		if (!d)
			return fail(L, n, field,
				    "出典 '%.*s' の資料が sources.yaml（documents）にありません（出典は宣言した資料の cite "
				    "で始めます）",
				    (int)len, p);
		size_t k = strlen(d->cite);
		if (k < len && p[k] == ':' && !lines_ok(p + k + 1, len - k - 1))
			return fail(L, n, field, "出典 '%.*s' の行の形が違います（:行 か :行-行。例: seed 000:21、seed 003:74-86）",
				    (int)len, p);
		p += len;
		if (!*p)
			return HJ_OK;
		p += 2;
	}
}

static hj_status source_field(ld *L, struct fy_node *map, const char *field, char **out)
{
	hj_status st = str_field(L, map, "source", field, 1, out);
	if (st)
		return st;
	return check_source(L, get(map, "source"), field, *out);
}

/* Pass 1: the documents cited (rules/sources.yaml). */
static hj_status load_documents(ld *L, struct fy_node *n)
{
	static const char *const keys[] = { "cite", "file", "title", "issuer", "date", "address", "note", NULL };
	if (!fy_node_is_sequence(n))
		return fail(L, n, "documents", "リストが必要です");
	int count = fy_node_sequence_item_count(n);
	hj_document *nd = hj_rb_alloc(L->rb, (size_t)(L->rb->ndocs + count) * sizeof *nd);
	if (!nd)
		return NOMEM(L);
	if (L->rb->ndocs)
		memcpy(nd, L->rb->docs, (size_t)L->rb->ndocs * sizeof *nd);
	L->rb->docs = nd;
	void *it = NULL;
	struct fy_node *dn;
	while ((dn = fy_node_sequence_iterate(n, &it))) {
		char field[64];
		snprintf(field, sizeof field, "documents[%d]", L->rb->ndocs);
		hj_document *d = &L->rb->docs[L->rb->ndocs];
		char *cite, *file, *title, *issuer, *date, *address, *note;
		hj_status st = check_keys(L, dn, field, keys);
		if (st || (st = str_field(L, dn, "cite", field, 1, &cite)) ||
		    (st = str_field(L, dn, "file", field, 0, &file)) ||
		    (st = str_field(L, dn, "title", field, 1, &title)) ||
		    (st = str_field(L, dn, "issuer", field, 1, &issuer)) ||
		    (st = str_field(L, dn, "date", field, 1, &date)) ||
		    (st = str_field(L, dn, "address", field, 0, &address)) ||
		    (st = str_field(L, dn, "note", field, 0, &note)))
			return st;
		/* any key (the shipped rulebook: 'seed 002', 'facts §1a'); a
		 * citation is the key, then ':lines' or ' location' */
		size_t cl = strlen(cite);
		if (strpbrk(cite, ",:\n\t") || cite[0] == ' ' || cite[cl - 1] == ' ')
			return fail(L, get(dn, "cite"), field,
				    "cite は ',' と ':' を含まない、空白で始まらず終わらない名前です（例: seed 002、law 12）: '%s'",
				    cite);
		if (find_document(L->rb, cite, cl) && !strcmp(find_document(L->rb, cite, cl)->cite, cite))
			return fail(L, get(dn, "cite"), field, "資料 '%s' が二度定義されています", cite);
		d->cite = cite;
		d->file = file ? file : "";
		d->title = title;
		d->issuer = issuer;
		d->date = date;
		d->address = address ? address : "";
		d->note = note ? note : "";
		L->rb->ndocs++;
	}
	return HJ_OK;
}

static hj_status yen_field(ld *L, struct fy_node *n, const char *field, hj_yen *out)
{
	size_t len;
	const char *s = hj_yaml_scalar(n, &len);
	if (!s)
		return fail(L, n, field, "金額が必要です（例: 1,000万円）");
	hj_error e;
	hj_error_clear(&e);
	if (hj_yen_parse(s, len, out, &e))
		return hj_error_set(L->err, HJ_ERR_RULEBOOK, L->file, hj_yaml_line(n),
				    hj_yaml_col(n) + (e.col > 0 ? e.col - 1 : 0), field, "%s", e.message);
	return HJ_OK;
}

static hj_status frac_field(ld *L, struct fy_node *n, const char *field, hj_frac *out)
{
	size_t len;
	const char *s = hj_yaml_scalar(n, &len);
	if (!s)
		return fail(L, n, field, "分数が必要です（例: 2/3）");
	hj_error e;
	hj_error_clear(&e);
	if (hj_frac_parse(s, len, out, &e))
		return fail(L, n, field, "%s", e.message);
	return HJ_OK;
}

/* A subsidy rate: a fraction with 0 < rate <= 1 (a rate of 0, below 0
 * or above 1 makes no sense as law). */
static hj_status rate_field(ld *L, struct fy_node *n, const char *field, hj_frac *out)
{
	hj_status st = frac_field(L, n, field, out);
	if (st)
		return st;
	if (out->num <= 0 || out->num > out->den) {
		char q[32];
		hj_frac_format(*out, q, sizeof q);
		return fail(L, n, field, "補助率 %s は 0 より大きく 1 以下でなければなりません", q);
	}
	return HJ_OK;
}

static hj_status date_field(ld *L, struct fy_node *n, const char *field, hj_date *out)
{
	size_t len;
	const char *s = hj_yaml_scalar(n, &len);
	if (!s)
		return fail(L, n, field, "日付が必要です（例: 2024-03-27）");
	hj_error e;
	hj_error_clear(&e);
	if (hj_date_parse(s, len, out, &e))
		return fail(L, n, field, "%s", e.message);
	return HJ_OK;
}

static hj_status int_field(ld *L, struct fy_node *n, const char *field, int64_t *out)
{
	size_t len;
	const char *s = hj_yaml_scalar(n, &len);
	if (!s || len == 0 || len > 18)
		return fail(L, n, field, "整数が必要です");
	int64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return fail(L, n, field, "整数が必要です: '%.*s'", (int)len, s);
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return HJ_OK;
}

static hj_status bool_field(ld *L, struct fy_node *n, const char *field, int *out)
{
	size_t len;
	const char *s = hj_yaml_scalar(n, &len);
	if (s && len == 4 && !memcmp(s, "true", 4))
		*out = 1;
	else if (s && len == 5 && !memcmp(s, "false", 5))
		*out = 0;
	else
		return fail(L, n, field, "true か false が必要です");
	return HJ_OK;
}

/* ------------------------------------------------------------------ */
/* Lookups                                                             */

int hj_rb_enum_find(const hj_rulebook *rb, const char *name)
{
	for (int i = 0; i < rb->nenums; i++)
		if (!strcmp(rb->enums[i].name, name))
			return i;
	return -1;
}

int hj_rb_enum_value(const hj_rulebook *rb, int enum_id, const char *s, size_t len)
{
	if (enum_id < 0 || enum_id >= rb->nenums)
		return -1;
	const hj_enum *e = &rb->enums[enum_id];
	for (int i = 0; i < e->n; i++)
		if (strlen(e->ids[i]) == len && !memcmp(e->ids[i], s, len))
			return i;
	for (int i = 0; i < e->n; i++)
		if (strlen(e->labels[i]) == len && !memcmp(e->labels[i], s, len))
			return i;
	return -1;
}

int hj_rb_enum_input(const hj_rulebook *rb, int enum_id, const char *s, size_t len, const hj_alias **alias)
{
	*alias = NULL;
	int k = hj_rb_enum_value(rb, enum_id, s, len);
	if (k >= 0 || enum_id < 0 || enum_id >= rb->nenums)
		return k;
	const hj_enum *e = &rb->enums[enum_id];
	for (int i = 0; i < e->naliases; i++)
		for (int j = 0; j < e->aliases[i].nnames; j++)
			if (strlen(e->aliases[i].names[j]) == len && !memcmp(e->aliases[i].names[j], s, len)) {
				if (e->aliases[i].value >= 0)
					return e->aliases[i].value;
				*alias = &e->aliases[i];
				return -1;
			}
	return -1;
}

const char *hj_rb_enum_suggest(const hj_rulebook *rb, int enum_id, const char *s, size_t len)
{
	if (enum_id < 0 || enum_id >= rb->nenums)
		return NULL;
	const hj_enum *e = &rb->enums[enum_id];
	const char *best = NULL;
	int bestd = 1 << 20;
	for (int pass = 0; pass < 3; pass++) {
		int n = pass == 2 ? e->naliases : e->n;
		for (int i = 0; i < n; i++) {
			int nn = pass == 2 ? e->aliases[i].nnames : 1;
			for (int j = 0; j < nn; j++) {
				const char *c = pass == 0 ? e->ids[i] : pass == 1 ? e->labels[i] : e->aliases[i].names[j];
				if (hj_suggest(s, len, &c, 1) < 0)
					continue;
				int d = hj_edit_distance(s, len, c);
				if (d < bestd) {
					bestd = d;
					best = c;
				}
			}
		}
	}
	return best;
}

int hj_rb_fact_find(const hj_rulebook *rb, const char *name)
{
	for (int i = 0; i < rb->nfacts; i++)
		if (!strcmp(rb->facts[i].name, name))
			return i;
	return -1;
}

int hj_rb_column_target(const hj_rulebook *rb, const char *name)
{
	if (!strcmp(name, "id"))
		return HJ_COL_ID;
	if (!strcmp(name, "name"))
		return HJ_COL_NAME;
	if (!strcmp(name, "date"))
		return HJ_COL_DATE;
	int id = hj_rb_fact_find(rb, name);
	/* also the input path (applicant.capital) */
	for (int i = 0; id < 0 && i < rb->nfacts; i++)
		if (!strcmp(rb->facts[i].input, name))
			id = i;
	return id < 0 || rb->facts[id].how == HJ_FACT_DERIVED ? HJ_COL_NONE : id;
}

static int env_lookup(void *ud, const char *name, size_t len, hj_expr_sym *out)
{
	const hj_rulebook *rb = ud;
	for (int i = 0; i < rb->nfacts; i++)
		if (strlen(rb->facts[i].name) == len && !memcmp(rb->facts[i].name, name, len)) {
			out->kind = HJ_SYM_FACT;
			out->id = i;
			out->type = rb->facts[i].type;
			return 1;
		}
	for (int i = 0; i < rb->ndefs; i++)
		if (strlen(rb->defs[i].name) == len && !memcmp(rb->defs[i].name, name, len)) {
			out->kind = HJ_SYM_DEF;
			out->id = i;
			out->type = rb->defs[i].type;
			return 1;
		}
	return 0;
}

static int env_enum_index(void *ud, int enum_id, const char *s, size_t len)
{
	return hj_rb_enum_value(ud, enum_id, s, len);
}

static const char *env_enum_name(void *ud, int enum_id)
{
	const hj_rulebook *rb = ud;
	return enum_id >= 0 && enum_id < rb->nenums ? rb->enums[enum_id].name : "?";
}

/* Compile the scalar expression at 'n' and keep it in the rulebook. */
static hj_status compile(ld *L, struct fy_node *n, const char *field, hj_ty want, hj_expr **out,
			 hj_type *type_out)
{
	size_t len;
	const char *s = hj_yaml_scalar(n, &len);
	if (!s || len == 0)
		return fail(L, n, field, "式が必要です");
	hj_expr_env env = { L->rb, env_lookup, env_enum_index, env_enum_name };
	/* Quoted and folded scalars do not start at the token column; the
	 * position is exact for plain scalars, which is what rules use. */
	hj_expr_origin org = { L->file, hj_yaml_line(n), hj_yaml_col(n), field };
	struct fy_token *t = fy_node_get_scalar_token(n);
	if (t && fy_node_get_style(n) != FYNS_PLAIN && fy_node_get_style(n) != FYNS_FOLDED &&
	    fy_node_get_style(n) != FYNS_LITERAL)
		org.col++; /* skip the opening quote */
	if (fy_node_get_style(n) == FYNS_FOLDED || fy_node_get_style(n) == FYNS_LITERAL) {
		org.line++;
		org.col = 0; /* unknown indentation: report the line only */
	}
	hj_type want_t = { (uint8_t)want, -1 };
	hj_type got;
	if (L->rb->nexprs == L->rb->capexprs) {
		int nc = L->rb->capexprs ? L->rb->capexprs * 2 : 64;
		hj_expr **ne = hj_realloc(L->rb->exprs, (size_t)nc * sizeof *ne);
		if (!ne)
			return NOMEM(L);
		L->rb->exprs = ne;
		L->rb->capexprs = nc;
	}
	hj_status st = hj_expr_compile(s, len, &env, want_t, &org, out, &got, L->err);
	if (st && !L->rb->sizes.loaded) {
		/* sme, small ... exist only with the size tables: say so */
		static const char *const sized[] = { "'size_class'", "'small'", "'sme'", "'midsize'", "'large'" };
		for (int i = 0; i < 5; i++) {
			char un[40];
			snprintf(un, sizeof un, "未定義の名前 %s", sized[i]);
			size_t ml = strlen(L->err->message);
			if (strstr(L->err->message, un) && ml + 120 < sizeof L->err->message) {
				snprintf(L->err->message + ml, sizeof L->err->message - ml,
					 "（%s は規模区分の表 size_classes から決まります。この規則集にはありません）", sized[i]);
				break;
			}
		}
	}
	if (st)
		return st;
	L->rb->exprs[L->rb->nexprs++] = *out;
	if (!L->allow_subsidy && L->rb->f_subsidy >= 0) {
		hj_expr_sym syms[32];
		int k = hj_expr_symbols(*out, syms, 32);
		for (int i = 0; i < k && i < 32; i++)
			if (syms[i].kind == HJ_SYM_FACT && syms[i].id == L->rb->f_subsidy)
				return fail(L, n, field,
					    "'subsidy'（計算した補助額）は枠の対象条件（eligibility）でだけ使えます");
	}
	if (type_out)
		*type_out = got;
	return HJ_OK;
}

/* ------------------------------------------------------------------ */
/* Pass 1: rulebook header and enums                                    */

static hj_status load_header(ld *L, struct fy_node *n)
{
	static const char *const keys[] = { "name", "version", NULL };
	hj_status st = check_keys(L, n, "rulebook", keys);
	if (st)
		return st;
	if ((st = str_field(L, n, "name", "rulebook.name", 1, &L->rb->name)))
		return st;
	if ((st = str_field(L, n, "version", "rulebook.version", 1, &L->rb->version)))
		return st;
	return HJ_OK;
}

static hj_status enum_mask(ld *L, struct fy_node *n, const char *field, int enum_id, uint64_t *out);

/* aliases: other names an input may use for enum values. */
static hj_status load_aliases(ld *L, struct fy_node *n)
{
	static const char *const keys[] = { "enum", "names", "value", "candidates", "note", "source", NULL };
	hj_rulebook *rb = L->rb;
	hj_status st;
	if (!fy_node_is_sequence(n))
		return fail(L, n, "aliases", "リストが必要です");
	void *it = NULL;
	struct fy_node *an;
	int idx = 0;
	while ((an = fy_node_sequence_iterate(n, &it))) {
		char field[64];
		snprintf(field, sizeof field, "aliases[%d]", idx++);
		char *en;
		if ((st = check_keys(L, an, field, keys)) || (st = str_field(L, an, "enum", field, 1, &en)))
			return st;
		int eid = hj_rb_enum_find(rb, en);
		if (eid < 0)
			return fail(L, get(an, "enum"), field, "未定義の列挙 '%s'", en);
		hj_enum *e = &rb->enums[eid];
		hj_alias *na = hj_rb_alloc(rb, (size_t)(e->naliases + 1) * sizeof *na);
		if (!na)
			return NOMEM(L);
		if (e->naliases)
			memcpy(na, e->aliases, (size_t)e->naliases * sizeof *na);
		e->aliases = na;
		hj_alias *a = &na[e->naliases];
		a->value = -1;
		if ((st = str_field(L, an, "note", field, 0, &a->note)) || (st = source_field(L, an, field, &a->source)))
			return st;
		struct fy_node *names = get(an, "names");
		if (!names || !fy_node_is_sequence(names) || !fy_node_sequence_item_count(names))
			return fail(L, names ? names : an, field, "'names'（別名のリスト）が必要です");
		a->nnames = fy_node_sequence_item_count(names);
		a->names = hj_rb_alloc(rb, (size_t)a->nnames * sizeof *a->names);
		if (!a->names)
			return NOMEM(L);
		void *nit = NULL;
		struct fy_node *nn;
		int k = 0;
		while ((nn = fy_node_sequence_iterate(names, &nit))) {
			size_t len;
			const char *t = hj_yaml_scalar(nn, &len);
			const hj_alias *other;
			if (!t || !len)
				return fail(L, nn, field, "別名は文字列で書きます");
			if (hj_rb_enum_input(rb, eid, t, len, &other) >= 0 || other)
				return fail(L, nn, field, "'%.*s' はすでに値か別名です", (int)len, t);
			if (!(a->names[k++] = hj_rb_strndup(rb, t, len)))
				return NOMEM(L);
		}
		struct fy_node *vn = get(an, "value"), *cn = get(an, "candidates");
		if (!vn == !cn)
			return fail(L, an, field, "'value'（一つの値）か 'candidates'（候補の値）のどちらかを書きます");
		if (vn) {
			size_t len;
			const char *t = hj_yaml_scalar(vn, &len);
			if (!t || (a->value = hj_rb_enum_value(rb, eid, t, len)) < 0)
				return fail(L, vn, field, "列挙 %s に値 '%.*s' はありません", e->name, (int)(t ? len : 0),
					    t ? t : "");
		} else {
			if ((st = enum_mask(L, cn, field, eid, &a->cands)))
				return st;
			if (!a->note)
				return fail(L, an, field, "候補の別名には 'note'（決まらない理由と入力すべき値）が必要です");
		}
		e->naliases++;
	}
	return HJ_OK;
}

static hj_status load_enums(ld *L, struct fy_node *n)
{
	if (!fy_node_is_mapping(n))
		return fail(L, n, "enums", "マッピングが必要です");
	int count = fy_node_mapping_item_count(n);
	hj_enum *ne = hj_rb_alloc(L->rb, (size_t)(L->rb->nenums + count) * sizeof *ne);
	if (!ne)
		return NOMEM(L);
	if (L->rb->nenums)
		memcpy(ne, L->rb->enums, (size_t)L->rb->nenums * sizeof *ne);
	L->rb->enums = ne;
	void *it = NULL;
	struct fy_node_pair *p;
	while ((p = fy_node_mapping_iterate(n, &it))) {
		size_t len;
		const char *name = hj_yaml_scalar(fy_node_pair_key(p), &len);
		struct fy_node *vals = fy_node_pair_value(p);
		char field[160];
		snprintf(field, sizeof field, "enums.%.*s", (int)len, name ? name : "");
		if (!name || !len)
			return fail(L, fy_node_pair_key(p), "enums", "列挙の名前が必要です");
		char *nm = hj_rb_strndup(L->rb, name, len);
		if (!nm)
			return NOMEM(L);
		if (hj_rb_enum_find(L->rb, nm) >= 0)
			return fail(L, fy_node_pair_key(p), field, "列挙 '%s' が二度定義されています", nm);
		if (!vals || !fy_node_is_mapping(vals) || fy_node_mapping_item_count(vals) == 0)
			return fail(L, vals ? vals : fy_node_pair_key(p), field,
				    "値の一覧（id: 日本語名）が必要です");
		int nv = fy_node_mapping_item_count(vals);
		if (nv > HJ_MAX_ENUM)
			return fail(L, vals, field, "列挙の値は%d個までです", HJ_MAX_ENUM);
		hj_enum *e = &L->rb->enums[L->rb->nenums];
		e->name = nm;
		e->ids = hj_rb_alloc(L->rb, (size_t)nv * sizeof(char *));
		e->labels = hj_rb_alloc(L->rb, (size_t)nv * sizeof(char *));
		if (!e->ids || !e->labels)
			return NOMEM(L);
		void *it2 = NULL;
		struct fy_node_pair *q;
		while ((q = fy_node_mapping_iterate(vals, &it2))) {
			size_t kl, vl;
			const char *k = hj_yaml_scalar(fy_node_pair_key(q), &kl);
			const char *v = hj_yaml_scalar(fy_node_pair_value(q), &vl);
			if (!k || !v || !kl || !vl)
				return fail(L, fy_node_pair_key(q), field, "値は id: 日本語名 の形で書きます");
			if (hj_rb_enum_value(L->rb, L->rb->nenums, k, kl) >= 0 && e->n > 0) {
				for (int i = 0; i < e->n; i++)
					if (strlen(e->ids[i]) == kl && !memcmp(e->ids[i], k, kl))
						return fail(L, fy_node_pair_key(q), field,
							    "値 '%.*s' が重複しています", (int)kl, k);
			}
			e->ids[e->n] = hj_rb_strndup(L->rb, k, kl);
			e->labels[e->n] = hj_rb_strndup(L->rb, v, vl);
			if (!e->ids[e->n] || !e->labels[e->n])
				return NOMEM(L);
			e->n++;
		}
		L->rb->nenums++;
	}
	return HJ_OK;
}

/* ------------------------------------------------------------------ */
/* Pass 2: facts                                                       */

static hj_status parse_type(ld *L, struct fy_node *n, const char *field, hj_type *out)
{
	size_t len;
	const char *s = hj_yaml_scalar(n, &len);
	if (!s)
		return fail(L, n, field, "型が必要です（yen, num, bool, date, enum <名前>, set <名前>）");
	char buf[128];
	snprintf(buf, sizeof buf, "%.*s", (int)len, s);
	out->enum_id = -1;
	if (!strcmp(buf, "yen"))
		out->ty = HJ_TY_YEN;
	else if (!strcmp(buf, "num"))
		out->ty = HJ_TY_NUM;
	else if (!strcmp(buf, "bool"))
		out->ty = HJ_TY_BOOL;
	else if (!strcmp(buf, "date"))
		out->ty = HJ_TY_DATE;
	else if (!strcmp(buf, "series"))
		out->ty = HJ_TY_SERIES;
	else if (!strncmp(buf, "enum ", 5) || !strncmp(buf, "set ", 4)) {
		int is_set = buf[0] == 's';
		const char *en = buf + (is_set ? 4 : 5);
		int id = hj_rb_enum_find(L->rb, en);
		if (id < 0)
			return fail(L, n, field, "未定義の列挙 '%s'", en);
		out->ty = is_set ? HJ_TY_SET : HJ_TY_ENUM;
		out->enum_id = (int16_t)id;
	} else
		return fail(L, n, field, "未知の型 '%s'（yen, num, bool, date, series, enum <名前>, set <名前>）", buf);
	return HJ_OK;
}

static hj_fact *new_fact(ld *L)
{
	/* facts grow in chunks; HJ_MAX_FACTS bounds them */
	if (L->rb->nfacts >= HJ_MAX_FACTS)
		return NULL;
	if (L->rb->nfacts % 32 == 0) {
		hj_fact *nf = hj_rb_alloc(L->rb, (size_t)(L->rb->nfacts + 32) * sizeof *nf);
		if (!nf)
			return NULL;
		if (L->rb->nfacts)
			memcpy(nf, L->rb->facts, (size_t)L->rb->nfacts * sizeof *nf);
		L->rb->facts = nf;
	}
	hj_fact *f = &L->rb->facts[L->rb->nfacts++];
	memset(f, 0, sizeof *f);
	f->type.enum_id = -1;
	return f;
}

static hj_status load_facts(ld *L, struct fy_node *n)
{
	static const char *const keys[] = { "name", "input", "presence", "type", "label", "unit",
					    "integer", "default", "note", NULL };
	if (!fy_node_is_sequence(n))
		return fail(L, n, "facts", "リスト（- name: ...）が必要です");
	void *it = NULL;
	struct fy_node *fn;
	int idx = 0;
	while ((fn = fy_node_sequence_iterate(n, &it))) {
		char field[64];
		snprintf(field, sizeof field, "facts[%d]", idx++);
		hj_status st = check_keys(L, fn, field, keys);
		if (st)
			return st;
		char *name;
		if ((st = str_field(L, fn, "name", field, 1, &name)))
			return st;
		snprintf(field, sizeof field, "facts.%s", name);
		if (hj_rb_fact_find(L->rb, name) >= 0)
			return fail(L, get(fn, "name"), field, "事実 '%s' が二度定義されています", name);
		hj_fact *f = new_fact(L);
		if (!f)
			return fail(L, fn, field, "事実は%d個までです", HJ_MAX_FACTS);
		f->name = name;
		f->file = (char *)L->file;
		f->line = hj_yaml_line(fn);
		if ((st = str_field(L, fn, "label", field, 1, &f->label)))
			return st;
		if ((st = str_field(L, fn, "unit", field, 0, &f->unit)))
			return st;
		struct fy_node *pres = get(fn, "presence");
		if (pres) {
			if (get(fn, "input") || get(fn, "type"))
				return fail(L, pres, field, "presence の事実に input や type は書けません");
			if ((st = str_field(L, fn, "presence", field, 1, &f->input)))
				return st;
			char *dot = strrchr(f->input, '.');
			if (!dot)
				return fail(L, pres, field, "presence は親のあるパスでなければなりません");
			f->parent = hj_rb_strndup(L->rb, f->input, (size_t)(dot - f->input));
			if (!f->parent)
				return NOMEM(L);
			f->how = HJ_FACT_PRESENCE;
			f->type.ty = HJ_TY_BOOL;
		} else {
			if ((st = str_field(L, fn, "input", field, 1, &f->input)))
				return st;
			if (!get(fn, "type"))
				return fail(L, fn, field, "'type' がありません");
			if ((st = parse_type(L, get(fn, "type"), field, &f->type)))
				return st;
			f->how = HJ_FACT_INPUT;
			if (f->type.ty == HJ_TY_SERIES)
				f->series_slot = L->rb->nseries++;
		}
		if (get(fn, "integer")) {
			if ((st = bool_field(L, get(fn, "integer"), field, &f->integer)))
				return st;
			if (f->integer && f->type.ty != HJ_TY_NUM)
				return fail(L, get(fn, "integer"), field, "integer は num の事実にだけ書けます");
		}
		struct fy_node *d = get(fn, "default");
		if (d) {
			if (f->type.ty == HJ_TY_BOOL) {
				int b;
				if ((st = bool_field(L, d, field, &b)))
					return st;
				f->def = hj_value_bool(b);
			} else if (f->type.ty == HJ_TY_YEN) {
				hj_yen y;
				if ((st = yen_field(L, d, field, &y)))
					return st;
				f->def = hj_value_frac(hj_frac_int(y));
			} else
				return fail(L, d, field, "default は bool か yen の事実にだけ書けます");
			f->has_default = 1;
		}
	}
	return HJ_OK;
}

/* ------------------------------------------------------------------ */
/* Pass 3: size tables                                                 */

static hj_status enum_mask(ld *L, struct fy_node *n, const char *field, int enum_id, uint64_t *out)
{
	*out = 0;
	if (!n || !fy_node_is_sequence(n))
		return fail(L, n, field, "%s の値のリストが必要です", L->rb->enums[enum_id].name);
	void *it = NULL;
	struct fy_node *c;
	while ((c = fy_node_sequence_iterate(n, &it))) {
		size_t len;
		const char *s = hj_yaml_scalar(c, &len);
		int v = s ? hj_rb_enum_value(L->rb, enum_id, s, len) : -1;
		if (v < 0)
			return fail(L, c, field, "'%.*s' は %s の値ではありません", (int)(s ? len : 0),
				    s ? s : "", L->rb->enums[enum_id].name);
		*out |= (uint64_t)1 << v;
	}
	return HJ_OK;
}

static hj_status add_derived(ld *L, const char *name, const char *label, int der, hj_type t)
{
	hj_fact *f = new_fact(L);
	if (!f)
		return fail(L, NULL, "facts", "事実は%d個までです", HJ_MAX_FACTS);
	f->name = hj_rb_strdup(L->rb, name);
	f->label = hj_rb_strdup(L->rb, label);
	f->input = hj_rb_strdup(L->rb, "");
	if (!f->name || !f->label || !f->input)
		return NOMEM(L);
	f->how = HJ_FACT_DERIVED;
	f->derived = der;
	f->type = t;
	return HJ_OK;
}

/* After all facts: the pseudo-fact 'subsidy' and the application date. */
static hj_status add_builtin_facts(ld *L)
{
	hj_type ty = { HJ_TY_YEN, -1 };
	hj_status st = add_derived(L, "subsidy", "この枠で計算した補助額", HJ_DER_SUBSIDY, ty);
	if (st)
		return st;
	L->rb->f_subsidy = L->rb->nfacts - 1;
	for (int i = 0; i < L->rb->nfacts; i++)
		if (!strcmp(L->rb->facts[i].input, "date")) {
			if (L->rb->facts[i].type.ty != HJ_TY_DATE)
				return hj_error_set(L->err, HJ_ERR_RULEBOOK, L->rb->facts[i].file, L->rb->facts[i].line, 0,
						    L->rb->facts[i].name, "input: date の事実は type: date でなければなりません");
			L->rb->f_date = i;
		}
	return HJ_OK;
}

static int month_index(const char *s, size_t len)
{
	char b[16];
	int y, m;
	snprintf(b, sizeof b, "%.*s", (int)(len < 12 ? len : 0), s);
	if (len != 7 || sscanf(b, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12 || y < HJ_SERIES_FIRST_YEAR ||
	    y >= HJ_SERIES_FIRST_YEAR + HJ_SERIES_MONTHS / 12)
		return -1;
	return (y - HJ_SERIES_FIRST_YEAR) * 12 + m - 1;
}

/* columns: the CSV column names of a data set mapped to facts (or to
 * id, name, date), for 'hojo batch' and 'hojo diff' */
static hj_status load_columns(ld *L, struct fy_node *n)
{
	if (!fy_node_is_mapping(n))
		return fail(L, n, "columns", "列名: 事実名 のマッピングが必要です（例: 従業員数: employees）");
	int count = fy_node_mapping_item_count(n);
	hj_rulebook *rb = L->rb;
	char **from = hj_rb_alloc(rb, (size_t)(rb->ncolmap + count) * sizeof *from);
	char **to = hj_rb_alloc(rb, (size_t)(rb->ncolmap + count) * sizeof *to);
	if (!from || !to)
		return NOMEM(L);
	if (rb->ncolmap) {
		memcpy(from, rb->col_from, (size_t)rb->ncolmap * sizeof *from);
		memcpy(to, rb->col_to, (size_t)rb->ncolmap * sizeof *to);
	}
	rb->col_from = from;
	rb->col_to = to;
	void *it = NULL;
	struct fy_node_pair *p;
	while ((p = fy_node_mapping_iterate(n, &it))) {
		size_t kl, vl;
		const char *k = hj_yaml_scalar(fy_node_pair_key(p), &kl);
		const char *v = hj_yaml_scalar(fy_node_pair_value(p), &vl);
		char field[160];
		snprintf(field, sizeof field, "columns.%.*s", (int)(k && kl < 120 ? kl : 0), k ? k : "");
		if (!k || !kl || !v || !vl)
			return fail(L, fy_node_pair_value(p) ? fy_node_pair_value(p) : n, field,
				    "列名と事実名（または id, name, date）が必要です");
		char *ks = hj_rb_strndup(rb, k, kl), *vs = hj_rb_strndup(rb, v, vl);
		if (!ks || !vs)
			return NOMEM(L);
		if (hj_rb_column_target(rb, vs) == HJ_COL_NONE)
			return fail(L, fy_node_pair_value(p), field,
				    "'%s' は入力できる事実ではありません（事実名・入力の項目名、または id, name, date）", vs);
		for (int i = 0; i < rb->ncolmap; i++)
			if (!strcmp(rb->col_from[i], ks))
				return fail(L, fy_node_pair_key(p), field, "列 '%s' が二度定義されています", ks);
		rb->col_from[rb->ncolmap] = ks;
		rb->col_to[rb->ncolmap++] = vs;
	}
	return HJ_OK;
}

/* excluded_expenses: kinds of expense refused, with the reason, by the
 * frames that name them in expenses.excluded (rules/tables/expenses.yaml) */
static hj_status load_excluded(ld *L, struct fy_node *n)
{
	static const char *const keys[] = { "id", "name", "reason", "undetermined_reason", "source", NULL };
	if (!fy_node_is_sequence(n))
		return fail(L, n, "excluded_expenses", "リストが必要です");
	int count = fy_node_sequence_item_count(n);
	hj_excluded *nx = hj_rb_alloc(L->rb, (size_t)(L->rb->nexcluded + count + 1) * sizeof *nx);
	if (!nx)
		return NOMEM(L);
	if (L->rb->nexcluded)
		memcpy(nx, L->rb->excluded, (size_t)L->rb->nexcluded * sizeof *nx);
	L->rb->excluded = nx;
	void *it = NULL;
	struct fy_node *c;
	while ((c = fy_node_sequence_iterate(n, &it))) {
		hj_excluded *x = &L->rb->excluded[L->rb->nexcluded];
		char field[64];
		snprintf(field, sizeof field, "excluded_expenses[%d]", L->rb->nexcluded);
		hj_status st;
		if ((st = check_keys(L, c, field, keys)) || (st = str_field(L, c, "id", field, 1, &x->id)) ||
		    (st = str_field(L, c, "name", field, 1, &x->name)) ||
		    (st = str_field(L, c, "reason", field, 1, &x->reason)) ||
		    (st = str_field(L, c, "undetermined_reason", field, 0, &x->undetermined_reason)) ||
		    (st = source_field(L, c, field, &x->source)))
			return st;
		L->rb->nexcluded++;
	}
	return HJ_OK;
}

/* min_wages: the regional minimum wage table (rules/tables/min_wage.yaml) */
static hj_status load_min_wages(ld *L, struct fy_node *n)
{
	static const char *const keys[] = { "source", "note", "fiscal_years", "prefectures", NULL };
	hj_min_wages *mw = &L->rb->mw;
	hj_status st;
	if (mw->loaded)
		return fail(L, n, "min_wages", "min_wages が二度定義されています");
	if ((st = check_keys(L, n, "min_wages", keys)) || (st = source_field(L, n, "min_wages", &mw->source)) ||
	    (st = str_field(L, n, "note", "min_wages", 0, &mw->note)))
		return st;
	int pe = hj_rb_enum_find(L->rb, "prefecture");
	if (pe < 0)
		return fail(L, n, "min_wages", "列挙 prefecture が必要です");
	struct fy_node *fys = get(n, "fiscal_years");
	if (!fys || !fy_node_is_sequence(fys) || fy_node_sequence_item_count(fys) < 1 ||
	    fy_node_sequence_item_count(fys) > HJ_MW_MAX_FY)
		return fail(L, fys ? fys : n, "min_wages.fiscal_years", "年度のリスト（%d個まで）が必要です", HJ_MW_MAX_FY);
	void *it = NULL;
	struct fy_node *c;
	while ((c = fy_node_sequence_iterate(fys, &it))) {
		int64_t v;
		if ((st = int_field(L, c, "min_wages.fiscal_years", &v)))
			return st;
		if (mw->nfy && v <= mw->fy[mw->nfy - 1])
			return fail(L, c, "min_wages.fiscal_years", "年度は昇順に書きます");
		mw->fy[mw->nfy++] = (int)v;
	}
	mw->npref = L->rb->enums[pe].n;
	mw->yen = hj_rb_alloc(L->rb, (size_t)(mw->npref * mw->nfy) * sizeof *mw->yen);
	mw->eff = hj_rb_alloc(L->rb, (size_t)(mw->npref * mw->nfy) * sizeof *mw->eff);
	if (!mw->yen || !mw->eff)
		return NOMEM(L);
	for (int i = 0; i < mw->npref * mw->nfy; i++)
		mw->eff[i] = -1;
	struct fy_node *prefs = get(n, "prefectures");
	if (!prefs || !fy_node_is_mapping(prefs))
		return fail(L, n, "min_wages.prefectures", "都道府県ごとのマッピングが必要です");
	struct fy_node_pair *p;
	it = NULL;
	while ((p = fy_node_mapping_iterate(prefs, &it))) {
		size_t kl;
		const char *k = hj_yaml_scalar(fy_node_pair_key(p), &kl);
		int pi = k ? hj_rb_enum_value(L->rb, pe, k, kl) : -1;
		char field[80];
		snprintf(field, sizeof field, "min_wages.prefectures.%.*s", (int)(k ? kl : 0), k ? k : "");
		if (pi < 0)
			return fail(L, fy_node_pair_key(p), field, "都道府県ではありません");
		struct fy_node *v = fy_node_pair_value(p), *yen = get(v, "yen"), *eff = get(v, "effective");
		if (!yen || !eff || !fy_node_is_sequence(yen) || !fy_node_is_sequence(eff) ||
		    fy_node_sequence_item_count(yen) != mw->nfy || fy_node_sequence_item_count(eff) != mw->nfy)
			return fail(L, v, field, "yen と effective は年度と同じ数のリストです");
		void *i1 = NULL, *i2 = NULL;
		for (int i = 0; i < mw->nfy; i++) {
			struct fy_node *yv = fy_node_sequence_iterate(yen, &i1), *ev = fy_node_sequence_iterate(eff, &i2);
			int64_t y;
			if ((st = int_field(L, yv, field, &y)))
				return st;
			mw->yen[pi * mw->nfy + i] = y;
			size_t el;
			const char *es = hj_yaml_scalar(ev, &el);
			if (es && !(el == 4 && !memcmp(es, "null", 4)) &&
			    (st = date_field(L, ev, field, &mw->eff[pi * mw->nfy + i])))
				return st;
		}
	}
	mw->loaded = 1;
	return HJ_OK;
}

/* computed: facts computed by a named algorithm from rulebook parameters */
static hj_status load_computed(ld *L, struct fy_node *n)
{
	static const char *const keys[] = { "name", "label", "algorithm", "series", "date", "window", "pick",
					    "decline", "references", "months", "source", "note", NULL };
	static const char *const rkeys[] = { "year", "years_before", "months", NULL };
	if (!fy_node_is_sequence(n))
		return fail(L, n, "computed", "リストが必要です");
	void *it = NULL;
	struct fy_node *cn;
	while ((cn = fy_node_sequence_iterate(n, &it))) {
		char field[160];
		snprintf(field, sizeof field, "computed[%d]", L->rb->nfacts);
		hj_status st = check_keys(L, cn, field, keys);
		if (st)
			return st;
		char *name, *algo, *series, *label;
		if ((st = str_field(L, cn, "name", field, 1, &name)))
			return st;
		snprintf(field, sizeof field, "computed.%s", name);
		if (hj_rb_fact_find(L->rb, name) >= 0)
			return fail(L, get(cn, "name"), field, "名前 '%s' は既に使われています", name);
		hj_computed *c = hj_rb_alloc(L->rb, sizeof *c);
		if (!c)
			return NOMEM(L);
		if ((st = str_field(L, cn, "label", field, 1, &label)) ||
		    (st = str_field(L, cn, "algorithm", field, 1, &algo)) ||
		    (st = str_field(L, cn, "series", field, 1, &series)) ||
		    (st = str_field(L, cn, "note", field, 0, &c->note)) || (st = source_field(L, cn, field, &c->source)))
			return st;
		if (!strcmp(algo, "sales_decline"))
			c->kind = HJ_COMP_SALES_DECLINE;
		else if (!strcmp(algo, "month_decline"))
			c->kind = HJ_COMP_MONTH_DECLINE;
		else
			return fail(L, get(cn, "algorithm"), field, "未知の algorithm '%s'（sales_decline, month_decline）", algo);
		c->series = hj_rb_fact_find(L->rb, series);
		if (c->series < 0 || L->rb->facts[c->series].type.ty != HJ_TY_SERIES)
			return fail(L, get(cn, "series"), field, "'%s' は series 型の事実ではありません", series);
		if (!get(cn, "decline"))
			return fail(L, cn, field, "'decline'（例: 10%%）がありません");
		if ((st = frac_field(L, get(cn, "decline"), field, &c->decline)))
			return st;
		if (c->kind == HJ_COMP_SALES_DECLINE) {
			char *date;
			int64_t w, k;
			if ((st = str_field(L, cn, "date", field, 1, &date)))
				return st;
			c->date = hj_rb_fact_find(L->rb, date);
			if (c->date < 0 || L->rb->facts[c->date].type.ty != HJ_TY_DATE)
				return fail(L, get(cn, "date"), field, "'%s' は date 型の事実ではありません", date);
			if (!get(cn, "window") || !get(cn, "pick"))
				return fail(L, cn, field, "'window' と 'pick' が必要です");
			if ((st = int_field(L, get(cn, "window"), field, &w)) || (st = int_field(L, get(cn, "pick"), field, &k)))
				return st;
			if (w < 1 || w > 12 || k < 1 || k > w)
				return fail(L, cn, field, "window は1〜12、pick は1〜window です");
			c->window = (int)w;
			c->pick = (int)k;
		} else {
			struct fy_node *ms = get(cn, "months");
			if (!ms || !fy_node_is_sequence(ms) || fy_node_sequence_item_count(ms) < 1 ||
			    fy_node_sequence_item_count(ms) > 12)
				return fail(L, ms ? ms : cn, field, "months（YYYY-MM のリスト、12個まで）が必要です");
			void *it2 = NULL;
			struct fy_node *m;
			while ((m = fy_node_sequence_iterate(ms, &it2))) {
				size_t len;
				const char *t = hj_yaml_scalar(m, &len);
				int idx = t ? month_index(t, len) : -1;
				if (idx < 0)
					return fail(L, m, field, "月は YYYY-MM で書きます");
				c->months[c->nmonths++] = idx;
			}
		}
		struct fy_node *refs = get(cn, "references");
		if (!refs || !fy_node_is_sequence(refs) || fy_node_sequence_item_count(refs) < 1 ||
		    fy_node_sequence_item_count(refs) > 4)
			return fail(L, refs ? refs : cn, field, "references（比べる時期、1〜4個）が必要です");
		void *it2 = NULL;
		struct fy_node *rn;
		while ((rn = fy_node_sequence_iterate(refs, &it2))) {
			hj_compref *r = &c->refs[c->nrefs++];
			int64_t v;
			if ((st = check_keys(L, rn, field, rkeys)))
				return st;
			if (get(rn, "year")) {
				if ((st = int_field(L, get(rn, "year"), field, &v)))
					return st;
				r->year = (int)v;
			} else if (get(rn, "years_before")) {
				if ((st = int_field(L, get(rn, "years_before"), field, &v)))
					return st;
				r->years_before = (int)v;
			} else
				return fail(L, rn, field, "year か years_before が必要です");
			struct fy_node *ms = get(rn, "months");
			if (ms) {
				void *it3 = NULL;
				struct fy_node *m;
				if (!fy_node_is_sequence(ms))
					return fail(L, ms, field, "months は月（1〜12）のリストです");
				while ((m = fy_node_sequence_iterate(ms, &it3))) {
					if ((st = int_field(L, m, field, &v)))
						return st;
					if (v < 1 || v > 12)
						return fail(L, m, field, "月は1〜12です");
					r->months |= (uint16_t)(1u << (v - 1));
				}
			}
		}
		hj_type tb = { HJ_TY_BOOL, -1 };
		if ((st = add_derived(L, name, label, 0, tb)))
			return st;
		hj_fact *f = &L->rb->facts[L->rb->nfacts - 1];
		f->how = HJ_FACT_COMPUTED;
		f->comp = c;
		f->name = name;
	}
	return HJ_OK;
}

/* One row of an SME table (size_classes.sme.rows or a definition's own). */
static hj_status load_sme_row(ld *L, struct fy_node *r, const char *field, hj_sme_row *row)
{
	static const char *const row_keys[] = { "no", "label", "legal_forms", "industries",
						"capital_max", "employees_max", "source", NULL };
	const hj_sizes *z = &L->rb->sizes;
	hj_status st;
	if ((st = check_keys(L, r, field, row_keys)))
		return st;
	int64_t no = 0;
	if (get(r, "no") && (st = int_field(L, get(r, "no"), field, &no)))
		return st;
	row->no = (int)no;
	if ((st = str_field(L, r, "label", field, 1, &row->label)))
		return st;
	if ((st = source_field(L, r, field, &row->source)))
		return st;
	if ((st = enum_mask(L, get(r, "legal_forms"), field, z->e_legal_form, &row->legal_forms)))
		return st;
	if (get(r, "industries") &&
	    (st = enum_mask(L, get(r, "industries"), field, z->e_industry, &row->industries)))
		return st;
	if (get(r, "capital_max")) {
		row->has_capital = 1;
		if ((st = yen_field(L, get(r, "capital_max"), field, &row->capital_max)))
			return st;
	}
	struct fy_node *em = get(r, "employees_max");
	size_t len;
	const char *s = hj_yaml_scalar(em, &len);
	if (s && len == 11 && !memcmp(s, "by_industry", 11))
		row->by_industry = 1;
	else if (!em)
		return fail(L, r, field, "'employees_max' がありません");
	else if ((st = int_field(L, em, field, &row->employees_max)))
		return st;
	return HJ_OK;
}

/*
 * size_classes.definitions: the SME definition each edition names. Rows
 * are numbers of the table's rows (copied) or rows of their own; 'open'
 * lists the legal forms the definition's sources leave open. Without
 * 'definitions' the table itself is the only definition.
 */
static hj_status load_size_defs(ld *L, struct fy_node *n)
{
	static const char *const keys[] = { "id", "label", "source", "rows", "open", "note", NULL };
	static const char *const open_keys[] = { "legal_forms", "fact", "text", "source", NULL };
	hj_rulebook *rb = L->rb;
	hj_sizes *z = &rb->sizes;
	hj_status st;
	struct fy_node *defs = get(n, "definitions");
	if (!defs) {
		hj_size_def *d = &z->defs[0];
		memset(d, 0, sizeof *d);
		d->id = hj_rb_strdup(rb, "sme");
		if (!d->id)
			return NOMEM(L);
		d->label = hj_rb_strdup(rb, "中小企業者の表");
		if (!d->label)
			return NOMEM(L);
		d->source = z->sme_source;
		d->rows = z->sme;
		d->nrows = z->nsme;
		d->f_open = -1;
		z->ndefs = 1;
		return HJ_OK;
	}
	if (!fy_node_is_sequence(defs) || !fy_node_sequence_item_count(defs))
		return fail(L, defs, "size_classes.definitions", "定義のリストが必要です");
	if (fy_node_sequence_item_count(defs) > HJ_MAX_SIZE_DEFS)
		return fail(L, defs, "size_classes.definitions", "定義は%d個までです", HJ_MAX_SIZE_DEFS);
	z->explicit_defs = 1;
	void *it = NULL;
	struct fy_node *dn;
	while ((dn = fy_node_sequence_iterate(defs, &it))) {
		char field[64];
		snprintf(field, sizeof field, "size_classes.definitions[%d]", z->ndefs);
		hj_size_def *d = &z->defs[z->ndefs];
		memset(d, 0, sizeof *d);
		d->f_open = -1;
		if ((st = check_keys(L, dn, field, keys)) || (st = str_field(L, dn, "id", field, 1, &d->id)) ||
		    (st = str_field(L, dn, "label", field, 1, &d->label)) ||
		    (st = str_field(L, dn, "note", field, 0, &d->note)) || (st = source_field(L, dn, field, &d->source)))
			return st;
		for (int k = 0; k < z->ndefs; k++)
			if (!strcmp(z->defs[k].id, d->id))
				return fail(L, get(dn, "id"), field, "定義 '%s' が二度定義されています", d->id);
		struct fy_node *rows = get(dn, "rows");
		if (!rows || !fy_node_is_sequence(rows) || !fy_node_sequence_item_count(rows))
			return fail(L, dn, field, "'rows'（表の行番号か行）のリストが必要です");
		d->nrows = fy_node_sequence_item_count(rows);
		d->rows = hj_rb_alloc(rb, (size_t)d->nrows * sizeof *d->rows);
		if (!d->rows)
			return NOMEM(L);
		void *rit = NULL;
		struct fy_node *r;
		int i = 0;
		while ((r = fy_node_sequence_iterate(rows, &rit))) {
			char rf[96];
			snprintf(rf, sizeof rf, "%s.rows[%d]", field, i);
			hj_sme_row *row = &d->rows[i++];
			memset(row, 0, sizeof *row);
			if (fy_node_is_mapping(r)) {
				if ((st = load_sme_row(L, r, rf, row)))
					return st;
				continue;
			}
			int64_t no;
			if ((st = int_field(L, r, rf, &no)))
				return st;
			int found = 0;
			for (int k = 0; k < z->nsme && !found; k++)
				if (z->sme[k].no == no) {
					*row = z->sme[k];
					found = 1;
				}
			if (!found)
				return fail(L, r, rf, "表（size_classes.sme）に第%lld行がありません", (long long)no);
		}
		struct fy_node *on = get(dn, "open");
		if (on) {
			char of[96];
			snprintf(of, sizeof of, "%s.open", field);
			char *fact;
			if ((st = check_keys(L, on, of, open_keys)) ||
			    (st = enum_mask(L, get(on, "legal_forms"), of, z->e_legal_form, &d->open_forms)) ||
			    (st = str_field(L, on, "fact", of, 1, &fact)) ||
			    (st = str_field(L, on, "text", of, 1, &d->open_note)) ||
			    (st = source_field(L, on, of, &d->open_source)))
				return st;
			d->f_open = hj_rb_fact_find(rb, fact);
			if (d->f_open < 0 || rb->facts[d->f_open].type.ty != HJ_TY_BOOL ||
			    rb->facts[d->f_open].how != HJ_FACT_INPUT)
				return fail(L, get(on, "fact"), of, "'%s' は入力の真偽値の事実ではありません", fact);
		}
		z->ndefs++;
	}
	return HJ_OK;
}

static hj_status load_sizes(ld *L, struct fy_node *n)
{
	hj_rulebook *rb = L->rb;
	hj_sizes *z = &rb->sizes;
	hj_status st;
	static const char *const top[] = { "sme", "definitions", "small", "midsize", NULL };
	static const char *const sme_keys[] = { "label", "source", "rows", "note", NULL };
	static const char *const small_keys[] = { "label", "source", "legal_forms", "rows", "note", NULL };
	static const char *const srow_keys[] = { "label", "industries", "employees_max", "source", NULL };
	static const char *const mid_keys[] = { "label", "legal_forms", "capital_below", "source", "note",
						NULL };
	if (z->loaded)
		return fail(L, n, "size_classes", "size_classes が二度定義されています");
	if ((st = check_keys(L, n, "size_classes", top)))
		return st;
	z->e_legal_form = hj_rb_enum_find(rb, "legal_form");
	z->e_industry = hj_rb_enum_find(rb, "industry");
	z->e_size_class = hj_rb_enum_find(rb, "size_class");
	if (z->e_legal_form < 0 || z->e_industry < 0 || z->e_size_class < 0)
		return fail(L, n, "size_classes", "列挙 legal_form, industry, size_class が必要です");
	const char *need[] = { "small", "sme", "midsize", "large" };
	for (int i = 0; i < 4; i++)
		if (hj_rb_enum_value(rb, z->e_size_class, need[i], strlen(need[i])) != i)
			return fail(L, n, "size_classes",
				    "列挙 size_class は small, sme, midsize, large の順でなければなりません");
	z->f_legal_form = hj_rb_fact_find(rb, "legal_form");
	z->f_industry = hj_rb_fact_find(rb, "industry");
	z->f_capital = hj_rb_fact_find(rb, "capital");
	z->f_employees = hj_rb_fact_find(rb, "employees");
	if (z->f_legal_form < 0 || z->f_industry < 0 || z->f_capital < 0 || z->f_employees < 0)
		return fail(L, n, "size_classes", "事実 legal_form, industry, capital, employees が必要です");
	z->sole_proprietor = hj_rb_enum_value(rb, z->e_legal_form, "sole_proprietor", 15);

	/* 中小企業者 */
	struct fy_node *sme = get(n, "sme");
	if ((st = check_keys(L, sme, "size_classes.sme", sme_keys)))
		return st;
	if ((st = source_field(L, sme, "size_classes.sme", &z->sme_source)))
		return st;
	struct fy_node *rows = get(sme, "rows");
	if (!rows || !fy_node_is_sequence(rows) || !fy_node_sequence_item_count(rows))
		return fail(L, sme, "size_classes.sme.rows", "行のリストが必要です");
	z->nsme = fy_node_sequence_item_count(rows);
	z->sme = hj_rb_alloc(rb, (size_t)z->nsme * sizeof *z->sme);
	if (!z->sme)
		return NOMEM(L);
	void *it = NULL;
	struct fy_node *r;
	int i = 0;
	while ((r = fy_node_sequence_iterate(rows, &it))) {
		char field[64];
		snprintf(field, sizeof field, "size_classes.sme.rows[%d]", i);
		if ((st = load_sme_row(L, r, field, &z->sme[i++])))
			return st;
	}
	if ((st = load_size_defs(L, n)))
		return st;

	/* 小規模事業者 */
	struct fy_node *sm = get(n, "small");
	if ((st = check_keys(L, sm, "size_classes.small", small_keys)))
		return st;
	if ((st = source_field(L, sm, "size_classes.small", &z->small_source)))
		return st;
	if ((st = enum_mask(L, get(sm, "legal_forms"), "size_classes.small", z->e_legal_form,
			    &z->small_forms)))
		return st;
	rows = get(sm, "rows");
	if (!rows || !fy_node_is_sequence(rows) || !fy_node_sequence_item_count(rows))
		return fail(L, sm, "size_classes.small.rows", "行のリストが必要です");
	z->nsmall = fy_node_sequence_item_count(rows);
	z->small = hj_rb_alloc(rb, (size_t)z->nsmall * sizeof *z->small);
	if (!z->small)
		return NOMEM(L);
	it = NULL;
	i = 0;
	while ((r = fy_node_sequence_iterate(rows, &it))) {
		hj_small_row *row = &z->small[i];
		char field[64];
		snprintf(field, sizeof field, "size_classes.small.rows[%d]", i++);
		if ((st = check_keys(L, r, field, srow_keys)))
			return st;
		if ((st = str_field(L, r, "label", field, 1, &row->label)))
			return st;
		if ((st = source_field(L, r, field, &row->source)))
			return st;
		if ((st = enum_mask(L, get(r, "industries"), field, z->e_industry, &row->industries)))
			return st;
		if (!get(r, "employees_max"))
			return fail(L, r, field, "'employees_max' がありません");
		if ((st = int_field(L, get(r, "employees_max"), field, &row->employees_max)))
			return st;
	}

	/* 中堅企業 */
	struct fy_node *mid = get(n, "midsize");
	if ((st = check_keys(L, mid, "size_classes.midsize", mid_keys)))
		return st;
	if ((st = source_field(L, mid, "size_classes.midsize", &z->mid_source)))
		return st;
	if ((st = enum_mask(L, get(mid, "legal_forms"), "size_classes.midsize", z->e_legal_form,
			    &z->mid_forms)))
		return st;
	if (!get(mid, "capital_below"))
		return fail(L, mid, "size_classes.midsize", "'capital_below' がありません");
	if ((st = yen_field(L, get(mid, "capital_below"), "size_classes.midsize", &z->mid_capital_below)))
		return st;
	z->loaded = 1;

	hj_type te = { HJ_TY_ENUM, (int16_t)z->e_size_class };
	hj_type tb = { HJ_TY_BOOL, -1 };
	if ((st = add_derived(L, "size_class", "企業規模の区分", HJ_DER_SIZE_CLASS, te)) ||
	    (st = add_derived(L, "small", "小規模事業者に該当", HJ_DER_SMALL, tb)) ||
	    (st = add_derived(L, "sme", "中小企業者（小規模事業者を含む）に該当", HJ_DER_SME, tb)) ||
	    (st = add_derived(L, "midsize", "中堅企業に該当", HJ_DER_MIDSIZE, tb)) ||
	    (st = add_derived(L, "large", "大企業に該当", HJ_DER_LARGE, tb)))
		return st;
	rb->f_size_class = rb->nfacts - 5;
	rb->f_small = rb->nfacts - 4;
	rb->f_sme = rb->nfacts - 3;
	rb->f_midsize = rb->nfacts - 2;
	rb->f_large = rb->nfacts - 1;
	return HJ_OK;
}

/* ------------------------------------------------------------------ */
/* Pass 4: definitions                                                 */

static hj_status load_defs(ld *L, struct fy_node *n)
{
	static const char *const keys[] = { "name", "label", "expr", "source", "note", NULL };
	if (!fy_node_is_sequence(n))
		return fail(L, n, "definitions", "リストが必要です");
	int count = fy_node_sequence_item_count(n);
	hj_def *nd = hj_rb_alloc(L->rb, (size_t)(L->rb->ndefs + count) * sizeof *nd);
	if (!nd)
		return NOMEM(L);
	if (L->rb->ndefs)
		memcpy(nd, L->rb->defs, (size_t)L->rb->ndefs * sizeof *nd);
	L->rb->defs = nd;
	void *it = NULL;
	struct fy_node *dn;
	while ((dn = fy_node_sequence_iterate(n, &it))) {
		hj_def *d = &L->rb->defs[L->rb->ndefs];
		char field[160];
		snprintf(field, sizeof field, "definitions[%d]", L->rb->ndefs);
		hj_status st = check_keys(L, dn, field, keys);
		if (st)
			return st;
		if ((st = str_field(L, dn, "name", field, 1, &d->name)))
			return st;
		snprintf(field, sizeof field, "definitions.%s", d->name);
		hj_expr_sym sym;
		if (env_lookup(L->rb, d->name, strlen(d->name), &sym))
			return fail(L, get(dn, "name"), field, "名前 '%s' は既に使われています", d->name);
		if ((st = str_field(L, dn, "label", field, 1, &d->label)) ||
		    (st = str_field(L, dn, "note", field, 0, &d->note)) ||
		    (st = source_field(L, dn, field, &d->source)))
			return st;
		char ef[180];
		snprintf(ef, sizeof ef, "%s.expr", field);
		if (!get(dn, "expr"))
			return fail(L, dn, field, "'expr' がありません");
		if ((st = compile(L, get(dn, "expr"), ef, HJ_TY_NONE, &d->expr, &d->type)))
			return st;
		d->file = (char *)L->file;
		d->line = hj_yaml_line(dn);
		L->rb->ndefs++;
	}
	return HJ_OK;
}

/* ------------------------------------------------------------------ */
/* Pass 5: programs                                                    */

static hj_status load_programs(ld *L, struct fy_node *n)
{
	static const char *const keys[] = { "id", "name", "short", "source", NULL };
	if (!fy_node_is_sequence(n))
		return fail(L, n, "programs", "リストが必要です");
	int count = fy_node_sequence_item_count(n);
	hj_program *np = hj_rb_alloc(L->rb, (size_t)(L->rb->nprograms + count) * sizeof *np);
	if (!np)
		return NOMEM(L);
	if (L->rb->nprograms)
		memcpy(np, L->rb->programs, (size_t)L->rb->nprograms * sizeof *np);
	L->rb->programs = np;
	void *it = NULL;
	struct fy_node *pn;
	while ((pn = fy_node_sequence_iterate(n, &it))) {
		hj_program *p = &L->rb->programs[L->rb->nprograms];
		char field[64];
		snprintf(field, sizeof field, "programs[%d]", L->rb->nprograms);
		hj_status st = check_keys(L, pn, field, keys);
		if (st || (st = str_field(L, pn, "id", field, 1, &p->id)) ||
		    (st = str_field(L, pn, "name", field, 1, &p->name)) ||
		    (st = str_field(L, pn, "short", field, 1, &p->shortname)) ||
		    (st = source_field(L, pn, field, &p->source)))
			return st;
		for (int i = 0; i < L->rb->nprograms; i++)
			if (!strcmp(L->rb->programs[i].id, p->id))
				return fail(L, get(pn, "id"), field, "制度 '%s' が二度定義されています", p->id);
		L->rb->nprograms++;
	}
	return HJ_OK;
}

/* ------------------------------------------------------------------ */
/* Pass 6: editions and frames                                         */

static hj_status add_item(ld *L, hj_frame *f, int *cap, const char *kind, const char *id,
			  const char *text, const char *value, const char *source, const char *note)
{
	if (f->nitems == *cap) {
		int nc = *cap ? *cap * 2 : 16;
		hj_item *ni = hj_rb_alloc(L->rb, (size_t)nc * sizeof *ni);
		if (!ni)
			return NOMEM(L);
		if (f->nitems)
			memcpy(ni, f->items, (size_t)f->nitems * sizeof *ni);
		f->items = ni;
		*cap = nc;
	}
	hj_item *it = &f->items[f->nitems++];
	it->kind = kind;
	it->id = id ? id : "";
	it->text = text ? text : "";
	it->value = value ? hj_rb_strdup(L->rb, value) : "";
	it->source = source ? source : "";
	it->note = note ? note : "";
	return it->value ? HJ_OK : NOMEM(L);
}

/* parties: the kinds of party behind an application and the facts
 * their confirmations supply (rules/parties.yaml); after the programs */
static hj_status load_parties(ld *L, struct fy_node *n)
{
	static const char *const keys[] = { "kind", "name", "role", "source", "confirms", NULL };
	static const char *const fkeys[] = { "fact", "from", "programs", "source", NULL };
	static const char *const froms[] = { "confirmation", "tools", "tool_processes", "tool_linked", NULL };
	hj_rulebook *rb = L->rb;
	if (!fy_node_is_sequence(n))
		return fail(L, n, "parties", "リストが必要です");
	int count = fy_node_sequence_item_count(n);
	hj_party_kind *np = hj_rb_alloc(rb, (size_t)(rb->nparties + count + 1) * sizeof *np);
	if (!np)
		return NOMEM(L);
	if (rb->nparties)
		memcpy(np, rb->parties, (size_t)rb->nparties * sizeof *np);
	rb->parties = np;
	void *it = NULL;
	struct fy_node *c;
	while ((c = fy_node_sequence_iterate(n, &it))) {
		hj_party_kind *k = &rb->parties[rb->nparties];
		char field[64], *kind, *name, *role, *source;
		snprintf(field, sizeof field, "parties[%d]", rb->nparties);
		hj_status st;
		if ((st = check_keys(L, c, field, keys)) || (st = str_field(L, c, "kind", field, 1, &kind)) ||
		    (st = str_field(L, c, "name", field, 1, &name)) || (st = str_field(L, c, "role", field, 1, &role)) ||
		    (st = source_field(L, c, field, &source)))
			return st;
		for (int i = 0; i < rb->nparties; i++)
			if (!strcmp(rb->parties[i].kind, kind))
				return fail(L, get(c, "kind"), field, "関係者の種類 '%s' が二度定義されています", kind);
		if (strcmp(role, "supporter") && strcmp(role, "vendor"))
			return fail(L, get(c, "role"), field, "role は supporter か vendor です: '%s'", role);
		struct fy_node *cf = get(c, "confirms");
		if (!cf || !fy_node_is_sequence(cf) || !fy_node_sequence_item_count(cf))
			return fail(L, cf ? cf : c, field, "confirms（確認する事実のリスト）が必要です");
		int nf = fy_node_sequence_item_count(cf);
		hj_party_fact *facts = hj_rb_alloc(rb, (size_t)nf * sizeof *facts);
		if (!facts)
			return NOMEM(L);
		void *fit = NULL;
		struct fy_node *fn;
		int fi = 0;
		while ((fn = fy_node_sequence_iterate(cf, &fit))) {
			hj_party_fact *pf = &facts[fi];
			char ff[96], *fact, *from, *fsrc;
			snprintf(ff, sizeof ff, "%s.confirms[%d]", field, fi);
			if ((st = check_keys(L, fn, ff, fkeys)) || (st = str_field(L, fn, "fact", ff, 1, &fact)) ||
			    (st = str_field(L, fn, "from", ff, 1, &from)) || (st = source_field(L, fn, ff, &fsrc)))
				return st;
			int fx = hj_rb_fact_find(rb, fact);
			if (fx < 0)
				return fail(L, get(fn, "fact"), ff, "未知の事実 '%s'", fact);
			int fr = -1;
			for (int i = 0; froms[i]; i++)
				if (!strcmp(froms[i], from))
					fr = i;
			if (fr < 0)
				return fail(L, get(fn, "from"), ff,
					    "from は confirmation, tools, tool_processes, tool_linked のどれかです: '%s'", from);
			int want = fr == HJ_PARTY_TOOL_PROCESSES ? HJ_TY_SET : HJ_TY_BOOL;
			if (rb->facts[fx].type.ty != want)
				return fail(L, get(fn, "fact"), ff, "事実 '%s' は %s でなければなりません（from: %s）", fact,
					    want == HJ_TY_SET ? "set" : "bool", from);
			struct fy_node *pn = get(fn, "programs");
			if (!pn || !fy_node_is_sequence(pn) || !fy_node_sequence_item_count(pn))
				return fail(L, pn ? pn : fn, ff, "programs（制度の id のリスト）が必要です");
			int npg = fy_node_sequence_item_count(pn);
			const char **pg = hj_rb_alloc(rb, (size_t)npg * sizeof *pg);
			if (!pg)
				return NOMEM(L);
			void *pit = NULL;
			struct fy_node *pgn;
			int pi = 0;
			while ((pgn = fy_node_sequence_iterate(pn, &pit))) {
				size_t len;
				const char *v = hj_yaml_scalar(pgn, &len);
				char *id = v ? hj_rb_strndup(rb, v, len) : NULL;
				if (!v)
					return fail(L, pgn, ff, "制度の id は文字列です");
				if (!id)
					return NOMEM(L);
				int known = 0;
				for (int i = 0; i < rb->nprograms; i++)
					known |= !strcmp(rb->programs[i].id, id);
				if (!known)
					return fail(L, pgn, ff, "未知の制度 '%s'", id);
				pg[pi++] = id;
			}
			*pf = (hj_party_fact){ fact, fx, (hj_party_from)fr, froms[fr], pg, npg, fsrc };
			fi++;
		}
		*k = (hj_party_kind){ kind, name, role, source, facts, nf };
		rb->nparties++;
	}
	return HJ_OK;
}

static hj_status load_period(ld *L, struct fy_node *pn, const char *field, int *has_from,
			     hj_date *from, int *has_to, hj_date *to, char **source, char **note)
{
	static const char *const keys[] = { "from", "to", "source", "note", NULL };
	hj_status st = check_keys(L, pn, field, keys);
	if (st || (st = source_field(L, pn, field, source)) ||
	    (st = str_field(L, pn, "note", field, 0, note)))
		return st;
	if (get(pn, "from")) {
		if ((st = date_field(L, get(pn, "from"), field, from)))
			return st;
		*has_from = 1;
	}
	if (get(pn, "to")) {
		if ((st = date_field(L, get(pn, "to"), field, to)))
			return st;
		*has_to = 1;
	}
	if (*has_from && *has_to && *to < *from)
		return fail(L, pn, field, "期間の終わりが始まりより前です");
	return HJ_OK;
}

static hj_status load_cap(ld *L, hj_frame *f, struct fy_node *cn, const char *fieldbase, int *icap)
{
	static const char *const keys[] = { "yen", "band_by", "bands", "raised_when", "raised_text",
					    "raised_source", "raised_requirements", "bonuses", "source", "note",
					    NULL };
	static const char *const band_keys[] = { "upto", "yen", "raised", NULL };
	static const char *const bonus_keys[] = { "id", "text", "when", "yen", "source", NULL };
	char field[200];
	snprintf(field, sizeof field, "%s.cap", fieldbase);
	hj_cap *c = &f->cap;
	hj_status st = check_keys(L, cn, field, keys);
	if (st || (st = source_field(L, cn, field, &c->source)) ||
	    (st = str_field(L, cn, "note", field, 0, &c->note)))
		return st;
	char val[256];
	if (get(cn, "yen")) {
		if (get(cn, "bands"))
			return fail(L, cn, field, "yen と bands は同時に書けません");
		if ((st = yen_field(L, get(cn, "yen"), field, &c->flat)))
			return st;
		c->has_flat = 1;
		hj_yen_format_short(c->flat, val, sizeof val);
		if ((st = add_item(L, f, icap, "cap", "cap", "補助上限額", val, c->source, c->note)))
			return st;
	} else {
		struct fy_node *bands = get(cn, "bands");
		if (!bands || !get(cn, "band_by"))
			return fail(L, cn, field, "yen か、band_by と bands が必要です");
		char bf[220];
		snprintf(bf, sizeof bf, "%s.band_by", field);
		if ((st = compile(L, get(cn, "band_by"), bf, HJ_TY_NUM, &c->band_by, NULL)))
			return st;
		if (!fy_node_is_sequence(bands) || fy_node_sequence_item_count(bands) < 1 ||
		    fy_node_sequence_item_count(bands) > HJ_MAX_BANDS)
			return fail(L, bands, field, "bands は1〜%d行のリストです", HJ_MAX_BANDS);
		int has_raised = get(cn, "raised_when") != NULL;
		if (has_raised) {
			snprintf(bf, sizeof bf, "%s.raised_when", field);
			if ((st = compile(L, get(cn, "raised_when"), bf, HJ_TY_BOOL, &c->raised_when, NULL)))
				return st;
			if ((st = str_field(L, cn, "raised_text", field, 1, &c->raised_text)))
				return st;
			if ((st = str_field(L, cn, "raised_source", field, 1, &c->raised_source)))
				return st;
			if ((st = check_source(L, get(cn, "raised_source"), field, c->raised_source)))
				return st;
		}
		if ((st = add_item(L, f, icap, "cap", "cap", "補助上限額（従業員数の区分による）",
				   hj_expr_text(c->band_by), c->source, c->note)))
			return st;
		void *it = NULL;
		struct fy_node *b;
		int64_t prev = -1;
		while ((b = fy_node_sequence_iterate(bands, &it))) {
			hj_band *band = &c->bands[c->nbands];
			char bfield[240];
			snprintf(bfield, sizeof bfield, "%s.bands[%d]", field, c->nbands);
			if ((st = check_keys(L, b, bfield, band_keys)))
				return st;
			if (get(b, "upto")) {
				int64_t u;
				if ((st = int_field(L, get(b, "upto"), bfield, &u)))
					return st;
				if (u <= prev)
					return fail(L, b, bfield, "upto は行ごとに大きくなければなりません");
				prev = u;
				band->has_upto = 1;
				band->upto = hj_frac_int(u);
			} else if (fy_node_sequence_item_count(bands) != c->nbands + 1) {
				return fail(L, b, bfield, "upto のない行は最後の行だけです");
			}
			if (!get(b, "yen"))
				return fail(L, b, bfield, "'yen' がありません");
			if ((st = yen_field(L, get(b, "yen"), bfield, &band->yen)))
				return st;
			if (get(b, "raised")) {
				if (!has_raised)
					return fail(L, b, bfield, "raised には raised_when が必要です");
				if ((st = yen_field(L, get(b, "raised"), bfield, &band->raised)))
					return st;
				if (band->raised < band->yen) {
					char a0[64], r0[64];
					hj_yen_format_short(band->yen, a0, sizeof a0);
					hj_yen_format_short(band->raised, r0, sizeof r0);
					return fail(L, get(b, "raised"), bfield,
						    "引き上げ後の上限 raised（%s）が元の上限 yen（%s）より小さくなっています", r0, a0);
				}
				band->has_raised = 1;
			}
			c->nbands++;
			char a[64], r[64], label[96];
			hj_yen_format_short(band->yen, a, sizeof a);
			if (band->has_upto && c->nbands == 1)
				snprintf(label, sizeof label, "%lld人以下", (long long)prev);
			else if (band->has_upto)
				snprintf(label, sizeof label, "%lld人以下", (long long)prev);
			else
				snprintf(label, sizeof label, "それ以上");
			if (band->has_raised) {
				hj_yen_format_short(band->raised, r, sizeof r);
				snprintf(val, sizeof val, "%s: %s（%s %s）", label, a, c->raised_text, r);
			} else
				snprintf(val, sizeof val, "%s: %s", label, a);
			if ((st = add_item(L, f, icap, "cap_band", "", "", val, c->source, "")))
				return st;
		}
		if (c->bands[c->nbands - 1].has_upto)
			return fail(L, bands, field, "最後の行は upto なし（それ以上）でなければなりません");
	}
	struct fy_node *bon = get(cn, "bonuses");
	if (bon) {
		if (!fy_node_is_sequence(bon) || fy_node_sequence_item_count(bon) > HJ_MAX_BONUSES)
			return fail(L, bon, field, "bonuses は%d行までのリストです", HJ_MAX_BONUSES);
		void *it = NULL;
		struct fy_node *b;
		while ((b = fy_node_sequence_iterate(bon, &it))) {
			hj_bonus *x = &c->bonuses[c->nbonuses];
			char bfield[240];
			snprintf(bfield, sizeof bfield, "%s.bonuses[%d]", field, c->nbonuses);
			if ((st = check_keys(L, b, bfield, bonus_keys)) ||
			    (st = str_field(L, b, "id", bfield, 1, &x->id)) ||
			    (st = str_field(L, b, "text", bfield, 1, &x->text)) ||
			    (st = source_field(L, b, bfield, &x->source)))
				return st;
			if (!get(b, "yen") || !get(b, "when"))
				return fail(L, b, bfield, "'when' と 'yen' が必要です");
			if ((st = yen_field(L, get(b, "yen"), bfield, &x->yen)))
				return st;
			char wf[260];
			snprintf(wf, sizeof wf, "%s.when", bfield);
			if ((st = compile(L, get(b, "when"), wf, HJ_TY_BOOL, &x->when, NULL)))
				return st;
			c->nbonuses++;
			char a[64];
			hj_yen_format_short(x->yen, a, sizeof a);
			snprintf(val, sizeof val, "+%s（%s）", a, hj_expr_text(x->when));
			if ((st = add_item(L, f, icap, "cap_bonus", x->id, x->text, val, x->source, "")))
				return st;
		}
	}
	return HJ_OK;
}

static hj_status load_rates(ld *L, hj_frame *f, struct fy_node *rn, const char *fieldbase, int *icap)
{
	static const char *const keys[] = { "default", "exceptions", NULL };
	static const char *const dkeys[] = { "value", "source", "note", NULL };
	static const char *const ekeys[] = { "id", "text", "when", "value", "source", "note", NULL };
	char field[200];
	snprintf(field, sizeof field, "%s.rate", fieldbase);
	hj_status st = check_keys(L, rn, field, keys);
	if (st)
		return st;
	struct fy_node *d = get(rn, "default");
	char df[220];
	snprintf(df, sizeof df, "%s.default", field);
	if ((st = check_keys(L, d, df, dkeys)))
		return st;
	hj_rate_rule *r = &f->rates[0];
	r->id = "default";
	r->text = "補助率（原則）";
	if ((st = source_field(L, d, df, &r->source)) || (st = str_field(L, d, "note", df, 0, &r->note)))
		return st;
	if (!get(d, "value"))
		return fail(L, d, df, "'value' がありません");
	if ((st = rate_field(L, get(d, "value"), df, &r->value)))
		return st;
	f->nrates = 1;
	char val[300];
	hj_frac_format(r->value, val, sizeof val);
	if ((st = add_item(L, f, icap, "rate", "default", r->text, val, r->source, r->note)))
		return st;
	struct fy_node *ex = get(rn, "exceptions");
	if (ex) {
		if (!fy_node_is_sequence(ex) || fy_node_sequence_item_count(ex) >= HJ_MAX_RATES)
			return fail(L, ex, field, "exceptions は%d行までのリストです", HJ_MAX_RATES - 1);
		void *it = NULL;
		struct fy_node *e;
		while ((e = fy_node_sequence_iterate(ex, &it))) {
			r = &f->rates[f->nrates];
			char ef[240];
			snprintf(ef, sizeof ef, "%s.exceptions[%d]", field, f->nrates - 1);
			if ((st = check_keys(L, e, ef, ekeys)) || (st = str_field(L, e, "id", ef, 1, &r->id)) ||
			    (st = str_field(L, e, "text", ef, 1, &r->text)) ||
			    (st = str_field(L, e, "note", ef, 0, &r->note)) ||
			    (st = source_field(L, e, ef, &r->source)))
				return st;
			if (!get(e, "value") || !get(e, "when"))
				return fail(L, e, ef, "'when' と 'value' が必要です");
			if ((st = rate_field(L, get(e, "value"), ef, &r->value)))
				return st;
			char wf[260];
			snprintf(wf, sizeof wf, "%s.when", ef);
			if ((st = compile(L, get(e, "when"), wf, HJ_TY_BOOL, &r->when, NULL)))
				return st;
			f->nrates++;
			char q[32];
			hj_frac_format(r->value, q, sizeof q);
			snprintf(val, sizeof val, "%s（%s）", q, hj_expr_text(r->when));
			if ((st = add_item(L, f, icap, "rate_exception", r->id, r->text, val, r->source,
					   r->note)))
				return st;
		}
	}
	return HJ_OK;
}

static hj_status load_requirements(ld *L, hj_frame *f, struct fy_node *rn, const char *fieldbase,
				   int *icap)
{
	static const char *const keys[] = { "id", "text", "metric", "or_metric", "annual_growth", "growth",
					    "growth_source", "plan_years", "above_regional_min_wage", "when", "source",
					    "note", NULL };
	static const char *const metrics[] = { "value_added", "ordinary_profit", "total_wages",
					       "min_wage", "labor_productivity",
					       "value_added_per_employee", NULL };
	char field[200];
	snprintf(field, sizeof field, "%s.requirements", fieldbase);
	if (!fy_node_is_sequence(rn))
		return fail(L, rn, field, "リストが必要です");
	f->nreqs = fy_node_sequence_item_count(rn);
	f->reqs = hj_rb_alloc(L->rb, (size_t)(f->nreqs ? f->nreqs : 1) * sizeof *f->reqs);
	if (!f->reqs)
		return NOMEM(L);
	void *it = NULL;
	struct fy_node *q;
	int i = 0;
	while ((q = fy_node_sequence_iterate(rn, &it))) {
		hj_requirement *r = &f->reqs[i];
		char rf[240];
		snprintf(rf, sizeof rf, "%s[%d]", field, i++);
		hj_status st = check_keys(L, q, rf, keys);
		if (st || (st = str_field(L, q, "id", rf, 1, &r->id)) ||
		    (st = str_field(L, q, "text", rf, 1, &r->text)) ||
		    (st = str_field(L, q, "note", rf, 0, &r->note)) ||
		    (st = str_field(L, q, "metric", rf, 0, &r->metric)) ||
		    (st = source_field(L, q, rf, &r->source)))
			return st;
		if ((st = str_field(L, q, "or_metric", rf, 0, &r->or_metric)))
			return st;
		for (int pass = 0; pass < 2; pass++) {
			const char *mv = pass ? r->or_metric : r->metric;
			if (!mv)
				continue;
			int ok = 0;
			for (int k = 0; metrics[k]; k++)
				ok |= !strcmp(metrics[k], mv);
			if (!ok)
				return fail(L, get(q, pass ? "or_metric" : "metric"), rf,
					    "未知の指標 '%s'（value_added, ordinary_profit, total_wages, min_wage, "
					    "labor_productivity, value_added_per_employee）",
					    mv);
		}
		if (get(q, "annual_growth")) {
			if ((st = frac_field(L, get(q, "annual_growth"), rf, &r->growth)))
				return st;
			if (r->growth.num < 0)
				return fail(L, get(q, "annual_growth"), rf,
					    "成長率の目標 annual_growth は負にできません（減少を目標とする要件はありません）");
			r->has_growth = 1;
			/* how growth is measured is law too: said, with its source */
			char *kind = NULL;
			if ((st = str_field(L, q, "growth", rf, 1, &kind)) ||
			    (st = str_field(L, q, "growth_source", rf, 1, &r->growth_source)))
				return st;
			if (strcmp(kind, "compound") && strcmp(kind, "simple"))
				return fail(L, get(q, "growth"), rf,
					    "growth は compound（年平均成長率）か simple（基準年度比の単純平均）です");
			r->growth_compound = !strcmp(kind, "compound");
			if ((st = check_source(L, get(q, "growth_source"), rf, r->growth_source)))
				return st;
		} else if (get(q, "growth") || get(q, "growth_source")) {
			return fail(L, get(q, "growth") ? get(q, "growth") : get(q, "growth_source"), rf,
				    "growth と growth_source は annual_growth とともに書きます");
		}
		if (get(q, "above_regional_min_wage")) {
			if ((st = int_field(L, get(q, "above_regional_min_wage"), rf, &r->above_min_wage)))
				return st;
			r->has_above_min_wage = 1;
		}
		struct fy_node *py = get(q, "plan_years");
		if (py) {
			size_t len;
			const char *s = hj_yaml_scalar(py, &len);
			int a, b;
			char buf[32];
			snprintf(buf, sizeof buf, "%.*s", (int)(s ? len : 0), s ? s : "");
			if (sscanf(buf, "%d-%d", &a, &b) != 2 || a < 1 || b < a || b > 10)
				return fail(L, py, rf, "plan_years は 3-5 の形で書きます");
			r->years_min = a;
			r->years_max = b;
		}
		if (get(q, "when")) {
			char wf[260];
			snprintf(wf, sizeof wf, "%s.when", rf);
			if ((st = compile(L, get(q, "when"), wf, HJ_TY_BOOL, &r->when, NULL)))
				return st;
		}
		char val[200] = "";
		if (r->has_growth) {
			char g[32];
			hj_frac_format_percent(r->growth, g, sizeof g);
			snprintf(val, sizeof val, "%s: 年率 %s 以上（%s、%s）", r->metric ? r->metric : "", g,
				 r->growth_compound ? "年平均成長率・複利" : "基準年度比の単純平均", r->growth_source);
		} else if (r->has_above_min_wage)
			snprintf(val, sizeof val, "地域別最低賃金 + %lld円 以上", (long long)r->above_min_wage);
		else if (r->years_min)
			snprintf(val, sizeof val, "%d〜%d年", r->years_min, r->years_max);
		if ((st = add_item(L, f, icap, "requirement", r->id, r->text, val, r->source, r->note)))
			return st;
	}
	return HJ_OK;
}

/* One line for listings: cap range, bonuses, rates, tiers, lower limit. */
/* A bonus's or part's short name for the one-line summary: its text up to
 * the first "（" or "は" ("インボイス特例", "PC・タブレット等", "2年度目"). */
static int short_name(const char *text)
{
	const char *a = strstr(text, "（"), *b = strstr(text, "は");
	const char *e = a && (!b || a < b) ? a : b;
	return e && e > text ? (int)(e - text) : (int)strlen(text);
}

static hj_status add_summary(ld *L, hj_frame *f, int *icap)
{
	char out[600], a[64], b[64];
	size_t o = 0;
	const hj_cap *c = &f->cap;
#define PUT(...) (o += (size_t)snprintf(out + o, o < sizeof out ? sizeof out - o : 0, __VA_ARGS__))
	if (c->has_flat) {
		hj_yen_format_short(c->flat, a, sizeof a);
		PUT("上限%s", a);
	} else {
		hj_yen lo = c->bands[0].yen, hi = lo, top = 0;
		for (int i = 0; i < c->nbands; i++) {
			if (c->bands[i].yen < lo)
				lo = c->bands[i].yen;
			if (c->bands[i].yen > hi)
				hi = c->bands[i].yen;
			if (c->bands[i].has_raised && c->bands[i].raised > top)
				top = c->bands[i].raised;
		}
		hj_yen_format_short(lo, a, sizeof a);
		hj_yen_format_short(hi, b, sizeof b);
		if (lo == hi)
			PUT("上限%s", a);
		else
			PUT("上限%s〜%s（従業員数別）", a, b);
		if (top > hi) {
			hj_yen_format_short(top, a, sizeof a);
			PUT(" %sで最大%s", c->raised_text, a);
			if (c->nraised_reqs)
				PUT("（計画の要件が%d件加わる）", c->nraised_reqs);
		}
	}
	for (int i = 0; i < c->nbonuses; i++) {
		hj_yen_format_short(c->bonuses[i].yen, a, sizeof a);
		PUT(" 上乗せ+%s（%.*s）", a, short_name(c->bonuses[i].text), c->bonuses[i].text);
	}
	hj_frac_format(f->rates[0].value, a, sizeof a);
	PUT(" 補助率%s", a);
	int shown = 0;
	for (int i = 1; i < f->nrates; i++) {
		int dup = !hj_frac_cmp(f->rates[i].value, f->rates[0].value);
		for (int k = 1; k < i; k++)
			dup |= !hj_frac_cmp(f->rates[i].value, f->rates[k].value);
		if (dup)
			continue;
		hj_frac_format(f->rates[i].value, a, sizeof a);
		PUT("%s%s", shown++ ? "・" : "（特例", a);
	}
	if (shown)
		PUT("）");
	for (int i = 0; i < f->ntiers; i++) {
		hj_yen_format_short(f->tiers[i].above, a, sizeof a);
		hj_frac_format(f->tiers[i].rate, b, sizeof b);
		PUT(" 補助額%s超の部分は%s", a, b);
	}
	for (int i = 0; i < f->nparts; i++) {
		const hj_part *pt = &f->parts[i];
		if (pt->has_cap) {
			hj_yen_format_short(pt->cap, a, sizeof a);
			PUT(" +%.*s（上限%s）", short_name(pt->text), pt->text, a);
		} else
			PUT(" +%.*s", short_name(pt->text), pt->text);
	}
	if (f->has_total_cap) {
		hj_yen_format_short(f->total_cap, a, sizeof a);
		PUT(" 合計上限%s", a);
	}
	if (f->has_lower) {
		hj_yen_format_short(f->lower, a, sizeof a);
		PUT(" 下限%s%s", a, f->lower_exclusive ? "超" : "");
	}
	if (f->slots)
		PUT(" %d者限定", f->slots);
#undef PUT
	return add_item(L, f, icap, "summary", "summary", "概要", out, f->source, "");
}

/* group: the rules of a consortium or joint application */
static hj_status load_group(ld *L, hj_frame *f, struct fy_node *gn, const char *field, int *icap)
{
	static const char *const keys[] = { "members", "pool", "receives_nothing", "total_cap", "rules", "source",
					    NULL };
	static const char *const mkeys[] = { "min", "max", "source", NULL };
	static const char *const pkeys[] = { "per_member", "source", NULL };
	static const char *const nkeys[] = { "when", "text", "source", NULL };
	static const char *const tkeys[] = { "yen", "source", "bonuses", NULL };
	static const char *const bkeys[] = { "id", "source", NULL };
	static const char *const rkeys[] = { "id", "text", "check", "where", "applies", "at_least", "source", "note",
					     NULL };
	hj_group *g = &f->group;
	char sub[240], val[300], ef[280];
	hj_status st;
	snprintf(sub, sizeof sub, "%s.group", field);
	if ((st = check_keys(L, gn, sub, keys)) || (st = source_field(L, gn, sub, &g->source)))
		return st;
	g->present = 1;
	struct fy_node *n;
	if ((n = get(gn, "members"))) {
		int64_t v;
		if ((st = check_keys(L, n, sub, mkeys)) || (st = source_field(L, n, sub, &g->members_source)))
			return st;
		if (get(n, "min")) {
			if ((st = int_field(L, get(n, "min"), sub, &v)))
				return st;
			g->min_members = (int)v;
		}
		if (get(n, "max")) {
			if ((st = int_field(L, get(n, "max"), sub, &v)))
				return st;
			g->max_members = (int)v;
		}
		if (g->max_members)
			snprintf(val, sizeof val, "%d〜%d者", g->min_members ? g->min_members : 1, g->max_members);
		else
			snprintf(val, sizeof val, "%d者以上", g->min_members ? g->min_members : 1);
		if ((st = add_item(L, f, icap, "group_members", "members", "連携体・共同申請の構成員の数", val,
				   g->members_source, "")))
			return st;
	}
	if ((n = get(gn, "pool"))) {
		if ((st = check_keys(L, n, sub, pkeys)) || (st = source_field(L, n, sub, &g->pool_source)))
			return st;
		if (!get(n, "per_member") || (st = yen_field(L, get(n, "per_member"), sub, &g->pool_per_member)))
			return st ? st : fail(L, n, sub, "'per_member' がありません");
		hj_yen_format_short(g->pool_per_member, val, sizeof val);
		strcat(val, " × 構成員数");
		if ((st = add_item(L, f, icap, "group_pool", "pool", "連携体内で配分できる上乗せ", val, g->pool_source, "")))
			return st;
	}
	if ((n = get(gn, "receives_nothing"))) {
		if ((st = check_keys(L, n, sub, nkeys)) || (st = source_field(L, n, sub, &g->nothing_source)) ||
		    (st = str_field(L, n, "text", sub, 1, &g->nothing_text)))
			return st;
		snprintf(ef, sizeof ef, "%s.receives_nothing.when", sub);
		if (!get(n, "when") || (st = compile(L, get(n, "when"), ef, HJ_TY_BOOL, &g->nothing_when, NULL)))
			return st ? st : fail(L, n, sub, "'when' がありません");
		if ((st = add_item(L, f, icap, "group_nothing", "receives_nothing", g->nothing_text,
				   hj_expr_text(g->nothing_when), g->nothing_source, "")))
			return st;
	}
	if ((n = get(gn, "total_cap"))) {
		if ((st = check_keys(L, n, sub, tkeys)) || (st = source_field(L, n, sub, &g->total_cap_source)))
			return st;
		if (!get(n, "yen") || (st = yen_field(L, get(n, "yen"), sub, &g->total_cap)))
			return st ? st : fail(L, n, sub, "'yen' がありません");
		g->has_total_cap = 1;
		hj_yen_format_short(g->total_cap, val, sizeof val);
		if ((st = add_item(L, f, icap, "group_total_cap", "total_cap", "共同申請全体の補助上限額", val,
				   g->total_cap_source, "")))
			return st;
		struct fy_node *bn = get(n, "bonuses");
		if (bn && (!fy_node_is_sequence(bn) || fy_node_sequence_item_count(bn) > HJ_MAX_BONUSES))
			return fail(L, bn, sub, "total_cap.bonuses は%d行までのリストです", HJ_MAX_BONUSES);
		void *it = NULL;
		struct fy_node *b;
		while (bn && (b = fy_node_sequence_iterate(bn, &it))) {
			char bf[260], *id;
			snprintf(bf, sizeof bf, "%s.total_cap.bonuses[%d]", sub, g->nshared_bonuses);
			if ((st = check_keys(L, b, bf, bkeys)) || (st = str_field(L, b, "id", bf, 1, &id)) ||
			    (st = source_field(L, b, bf, &g->shared_bonus_source[g->nshared_bonuses])))
				return st;
			int k = 0;
			while (k < f->cap.nbonuses && strcmp(f->cap.bonuses[k].id, id))
				k++;
			if (k == f->cap.nbonuses)
				return fail(L, get(b, "id"), bf, "枠の cap.bonuses に id '%s' がありません", id);
			g->shared_bonus[g->nshared_bonuses++] = k;
			char a[64];
			hj_yen_format_short(f->cap.bonuses[k].yen, a, sizeof a);
			snprintf(val, sizeof val, "+%s（%s、共同申請全体で1回）", a, hj_expr_text(f->cap.bonuses[k].when));
			if ((st = add_item(L, f, icap, "group_total_cap_bonus", f->cap.bonuses[k].id, f->cap.bonuses[k].text,
					   val, g->shared_bonus_source[g->nshared_bonuses - 1], "")))
				return st;
		}
	}
	if ((n = get(gn, "rules"))) {
		if (!fy_node_is_sequence(n) || fy_node_sequence_item_count(n) > HJ_MAX_GROUP_RULES)
			return fail(L, n, sub, "rules は%d行までのリストです", HJ_MAX_GROUP_RULES);
		void *it = NULL;
		struct fy_node *rn;
		while ((rn = fy_node_sequence_iterate(n, &it))) {
			hj_group_rule *r = &g->rules[g->nrules];
			char rf[260], *check;
			snprintf(rf, sizeof rf, "%s.rules[%d]", sub, g->nrules);
			if ((st = check_keys(L, rn, rf, rkeys)) || (st = str_field(L, rn, "id", rf, 1, &r->id)) ||
			    (st = str_field(L, rn, "text", rf, 1, &r->text)) ||
			    (st = str_field(L, rn, "note", rf, 0, &r->note)) ||
			    (st = str_field(L, rn, "check", rf, 1, &check)) || (st = source_field(L, rn, rf, &r->source)))
				return st;
			if (!strcmp(check, "share_of_members"))
				r->check = HJ_SHARE_MEMBERS;
			else if (!strcmp(check, "share_of_subsidy"))
				r->check = HJ_SHARE_SUBSIDY;
			else if (!strcmp(check, "not_highest"))
				r->check = HJ_NOT_HIGHEST;
			else
				return fail(L, get(rn, "check"), rf,
					    "未知の check '%s'（share_of_members, share_of_subsidy, not_highest）", check);
			snprintf(ef, sizeof ef, "%s.where", rf);
			if (!get(rn, "where") || (st = compile(L, get(rn, "where"), ef, HJ_TY_BOOL, &r->where, NULL)))
				return st ? st : fail(L, rn, rf, "'where' がありません");
			if (get(rn, "applies")) {
				snprintf(ef, sizeof ef, "%s.applies", rf);
				if ((st = compile(L, get(rn, "applies"), ef, HJ_TY_BOOL, &r->applies, NULL)))
					return st;
			}
			if (r->check != HJ_NOT_HIGHEST) {
				if (!get(rn, "at_least") || (st = frac_field(L, get(rn, "at_least"), rf, &r->at_least)))
					return st ? st : fail(L, rn, rf, "'at_least'（例: 1/2）がありません");
			}
			g->nrules++;
			if ((st = add_item(L, f, icap, "group_rule", r->id, r->text, hj_expr_text(r->where), r->source,
					   r->note)))
				return st;
		}
	}
	return HJ_OK;
}

/* base, parts, total_cap and slots of a frame */
static hj_status load_amount_parts(ld *L, hj_frame *f, struct fy_node *fn, const char *field, int *icap)
{
	static const char *const bkeys[] = { "expr", "source", "note", NULL };
	static const char *const pkeys[] = { "id", "text", "base", "when", "cap", "cap_previous", "rate",
					     "source", "note", NULL };
	static const char *const tkeys[] = { "yen", "source", NULL };
	static const char *const skeys[] = { "count", "source", NULL };
	hj_status st;
	char sub[240], val[400];
	struct fy_node *bn = get(fn, "base");
	if (bn) {
		char *note;
		snprintf(sub, sizeof sub, "%s.base", field);
		if ((st = check_keys(L, bn, sub, bkeys)) || (st = source_field(L, bn, sub, &f->base_source)) ||
		    (st = str_field(L, bn, "note", sub, 0, &note)))
			return st;
		if (!get(bn, "expr"))
			return fail(L, bn, sub, "'expr' がありません");
		char ef[260];
		snprintf(ef, sizeof ef, "%s.expr", sub);
		if ((st = compile(L, get(bn, "expr"), ef, HJ_TY_YEN, &f->base, NULL)))
			return st;
		if ((st = add_item(L, f, icap, "base", "base", "補助対象経費の額", hj_expr_text(f->base),
				   f->base_source, note)))
			return st;
	} else if (L->rb->f_expenses < 0) {
		return fail(L, fn, field,
			    "補助額の計算元がありません: 事実 'expenses'（type: yen）を定義するか、枠に base: {expr: …} を書きます");
	}
	struct fy_node *pn = get(fn, "parts");
	if (pn) {
		if (!fy_node_is_sequence(pn) || fy_node_sequence_item_count(pn) > HJ_MAX_PARTS)
			return fail(L, pn, field, "parts は%d行までのリストです", HJ_MAX_PARTS);
		void *it = NULL;
		struct fy_node *q;
		while ((q = fy_node_sequence_iterate(pn, &it))) {
			hj_part *x = &f->parts[f->nparts];
			snprintf(sub, sizeof sub, "%s.parts[%d]", field, f->nparts);
			if ((st = check_keys(L, q, sub, pkeys)) || (st = str_field(L, q, "id", sub, 1, &x->id)) ||
			    (st = str_field(L, q, "text", sub, 1, &x->text)) ||
			    (st = str_field(L, q, "note", sub, 0, &x->note)) ||
			    (st = source_field(L, q, sub, &x->source)))
				return st;
			char ef[260];
			if (!get(q, "base"))
				return fail(L, q, sub, "'base'（経費の式）がありません");
			snprintf(ef, sizeof ef, "%s.base", sub);
			if ((st = compile(L, get(q, "base"), ef, HJ_TY_YEN, &x->base, NULL)))
				return st;
			if (get(q, "when")) {
				snprintf(ef, sizeof ef, "%s.when", sub);
				if ((st = compile(L, get(q, "when"), ef, HJ_TY_BOOL, &x->when, NULL)))
					return st;
			}
			if (get(q, "cap")) {
				if ((st = yen_field(L, get(q, "cap"), sub, &x->cap)))
					return st;
				x->has_cap = 1;
			}
			if (get(q, "cap_previous") && (st = bool_field(L, get(q, "cap_previous"), sub, &x->cap_previous)))
				return st;
			if (get(q, "rate")) {
				if ((st = rate_field(L, get(q, "rate"), sub, &x->rate)))
					return st;
				x->has_rate = 1;
			}
			f->nparts++;
			char a[64] = "", r[32] = "枠の補助率";
			if (x->has_cap)
				hj_yen_format_short(x->cap, a, sizeof a);
			if (x->has_rate)
				hj_frac_format(x->rate, r, sizeof r);
			snprintf(val, sizeof val, "経費 %s × %s%s%s%s%s", hj_expr_text(x->base), r, x->has_cap ? "、上限 " : "", a,
				 x->cap_previous ? "、前の部分の補助額まで" : "",
				 x->when ? "（条件: " : "");
			if (x->when) {
				size_t o = strlen(val);
				snprintf(val + o, sizeof val - o, "%s）", hj_expr_text(x->when));
			}
			if ((st = add_item(L, f, icap, "part", x->id, x->text, val, x->source, x->note)))
				return st;
		}
	}
	struct fy_node *tn = get(fn, "total_cap");
	if (tn) {
		snprintf(sub, sizeof sub, "%s.total_cap", field);
		if ((st = check_keys(L, tn, sub, tkeys)) || (st = source_field(L, tn, sub, &f->total_cap_source)))
			return st;
		if (!get(tn, "yen"))
			return fail(L, tn, sub, "'yen' がありません");
		if ((st = yen_field(L, get(tn, "yen"), sub, &f->total_cap)))
			return st;
		f->has_total_cap = 1;
		hj_yen_format_short(f->total_cap, val, sizeof val);
		if ((st = add_item(L, f, icap, "total_cap", "total_cap", "補助額の合計の上限", val,
				   f->total_cap_source, "")))
			return st;
	}
	struct fy_node *sn = get(fn, "slots");
	if (sn) {
		int64_t n;
		snprintf(sub, sizeof sub, "%s.slots", field);
		if ((st = check_keys(L, sn, sub, skeys)) || (st = source_field(L, sn, sub, &f->slots_source)))
			return st;
		if (!get(sn, "count") || (st = int_field(L, get(sn, "count"), sub, &n)))
			return st ? st : fail(L, sn, sub, "'count' がありません");
		if (n < 1 || n > 1000000)
			return fail(L, sn, sub, "count は1以上です");
		f->slots = (int)n;
		snprintf(val, sizeof val, "%d者", f->slots);
		if ((st = add_item(L, f, icap, "slots", "slots", "採択件数の上限（hojo の判定・補助額には使っていない）", val, f->slots_source,
				   "")))
			return st;
	}
	return HJ_OK;
}

static hj_status load_frame(ld *L, hj_edition *ed, struct fy_node *fn, int idx)
{
	static const char *const keys[] = { "id", "name", "source", "period", "eligibility", "cap",
					    "rate", "lower_limit", "tiers", "requirements", "expenses",
					    "notes", "base", "parts", "total_cap", "slots", "group", NULL };
	static const char *const ckeys[] = { "id", "text", "when", "source", "note", NULL };
	static const char *const lkeys[] = { "yen", "exclusive", "source", "note", NULL };
	static const char *const tkeys[] = { "above", "rate", "text", "source", "note", NULL };
	static const char *const xkeys[] = { "source", "note", "categories", "partial", "excluded", "undetermined",
					     "rules", NULL };
	static const char *const catkeys[] = { "id", "name", "facts", "min_unit_price", "below_unit_price", NULL };
	static const char *const xrkeys[] = { "id", "text", "category", "min_unit_price", "source", "note", NULL };
	static const char *const nkeys[] = { "text", "source", NULL };
	hj_rulebook *rb = L->rb;
	char field[160];
	snprintf(field, sizeof field, "frames[%d]", idx);
	hj_status st = check_keys(L, fn, field, keys);
	if (st)
		return st;
	hj_frame *f = hj_rb_alloc(rb, sizeof *f);
	if (!f)
		return NOMEM(L);
	int icap = 0;
	if ((st = str_field(L, fn, "id", field, 1, &f->id)))
		return st;
	snprintf(field, sizeof field, "frames.%s", f->id);
	for (int i = 0; i < rb->nframes; i++)
		if (!strcmp(rb->frames[i]->id, f->id))
			return fail(L, get(fn, "id"), field, "枠 '%s' が二度定義されています", f->id);
	if ((st = str_field(L, fn, "name", field, 1, &f->name)) ||
	    (st = source_field(L, fn, field, &f->source)))
		return st;
	f->edition = ed;
	f->has_from = ed->has_from;
	f->from = ed->from;
	f->has_to = ed->has_to;
	f->to = ed->to;
	if (get(fn, "period")) {
		char pf[200];
		snprintf(pf, sizeof pf, "%s.period", field);
		int hf = 0, ht = 0;
		hj_date fr = 0, to = 0;
		char *ps, *pnote;
		if ((st = load_period(L, get(fn, "period"), pf, &hf, &fr, &ht, &to, &ps, &pnote)))
			return st;
		if (hf) {
			if ((f->has_from && fr < f->from) || (f->has_to && fr > f->to))
				return fail(L, get(fn, "period"), pf, "枠の期間は版の期間の中でなければなりません");
			f->has_from = 1;
			f->from = fr;
		}
		if (ht) {
			if ((f->has_to && to > f->to) || (f->has_from && to < f->from))
				return fail(L, get(fn, "period"), pf, "枠の期間は版の期間の中でなければなりません");
			f->has_to = 1;
			f->to = to;
		}
		char val[64], a[16] = "", b[16] = "";
		if (f->has_from)
			hj_date_format(f->from, a, sizeof a);
		if (f->has_to)
			hj_date_format(f->to, b, sizeof b);
		snprintf(val, sizeof val, "%s〜%s", a, b);
		if ((st = add_item(L, f, &icap, "period", "period", "この枠の受付期間", val, ps, pnote)))
			return st;
	}

	/* eligibility */
	struct fy_node *el = get(fn, "eligibility");
	if (!el || !fy_node_is_sequence(el) || fy_node_sequence_item_count(el) < 1 ||
	    fy_node_sequence_item_count(el) > HJ_MAX_CONDS)
		return fail(L, el ? el : fn, field, "eligibility（1〜%d個の条件のリスト）が必要です",
			    HJ_MAX_CONDS);
	void *it = NULL;
	struct fy_node *cn;
	while ((cn = fy_node_sequence_iterate(el, &it))) {
		hj_cond *c = &f->conds[f->nconds];
		char cf[200];
		snprintf(cf, sizeof cf, "%s.eligibility[%d]", field, f->nconds);
		if ((st = check_keys(L, cn, cf, ckeys)) || (st = str_field(L, cn, "id", cf, 1, &c->id)) ||
		    (st = str_field(L, cn, "text", cf, 1, &c->text)) ||
		    (st = str_field(L, cn, "note", cf, 0, &c->note)) ||
		    (st = source_field(L, cn, cf, &c->source)))
			return st;
		if (!get(cn, "when"))
			return fail(L, cn, cf, "'when' がありません");
		char wf[220];
		snprintf(wf, sizeof wf, "%s.when", cf);
		L->allow_subsidy = 1;
		st = compile(L, get(cn, "when"), wf, HJ_TY_BOOL, &c->when, NULL);
		L->allow_subsidy = 0;
		if (st)
			return st;
		{
			hj_expr_sym syms[32];
			int k = hj_expr_symbols(c->when, syms, 32);
			for (int i = 0; i < k && i < 32; i++)
				if (syms[i].kind == HJ_SYM_FACT && syms[i].id == rb->f_subsidy)
					c->late = 1;
		}
		for (int i = 0; i < f->nconds; i++)
			if (!strcmp(f->conds[i].id, c->id))
				return fail(L, get(cn, "id"), cf, "条件 id '%s' が重複しています", c->id);
		f->nconds++;
		if ((st = add_item(L, f, &icap, "eligibility", c->id, c->text, hj_expr_text(c->when),
				   c->source, c->note)))
			return st;
	}

	if (!get(fn, "cap"))
		return fail(L, fn, field, "'cap' がありません");
	if ((st = load_cap(L, f, get(fn, "cap"), field, &icap)))
		return st;
	if (!get(fn, "rate"))
		return fail(L, fn, field, "'rate' がありません");
	if ((st = load_rates(L, f, get(fn, "rate"), field, &icap)))
		return st;

	struct fy_node *tn = get(fn, "tiers");
	if (tn) {
		if (!fy_node_is_sequence(tn) || fy_node_sequence_item_count(tn) > HJ_MAX_TIERS)
			return fail(L, tn, field, "tiers は%d行までのリストです", HJ_MAX_TIERS);
		it = NULL;
		struct fy_node *t;
		hj_yen prev = -1;
		while ((t = fy_node_sequence_iterate(tn, &it))) {
			hj_tier *x = &f->tiers[f->ntiers];
			char tf[200];
			snprintf(tf, sizeof tf, "%s.tiers[%d]", field, f->ntiers);
			if ((st = check_keys(L, t, tf, tkeys)) || (st = str_field(L, t, "text", tf, 1, &x->text)) ||
			    (st = str_field(L, t, "note", tf, 0, &x->note)) ||
			    (st = source_field(L, t, tf, &x->source)))
				return st;
			if (!get(t, "above") || !get(t, "rate"))
				return fail(L, t, tf, "'above' と 'rate' が必要です");
			if ((st = yen_field(L, get(t, "above"), tf, &x->above)) ||
			    (st = rate_field(L, get(t, "rate"), tf, &x->rate)))
				return st;
			if (x->above <= prev)
				return fail(L, t, tf, "above は行ごとに大きくなければなりません");
			prev = x->above;
			f->ntiers++;
			char a[64], q[32], val[128];
			hj_yen_format_short(x->above, a, sizeof a);
			hj_frac_format(x->rate, q, sizeof q);
			snprintf(val, sizeof val, "補助額 %s 超の部分: %s", a, q);
			if ((st = add_item(L, f, &icap, "tier", "", x->text, val, x->source, x->note)))
				return st;
		}
	}

	struct fy_node *ln = get(fn, "lower_limit");
	if (ln) {
		char lf[200];
		snprintf(lf, sizeof lf, "%s.lower_limit", field);
		if ((st = check_keys(L, ln, lf, lkeys)) || (st = source_field(L, ln, lf, &f->lower_source)) ||
		    (st = str_field(L, ln, "note", lf, 0, &f->lower_note)))
			return st;
		if (!get(ln, "yen"))
			return fail(L, ln, lf, "'yen' がありません");
		if ((st = yen_field(L, get(ln, "yen"), lf, &f->lower)))
			return st;
		if (get(ln, "exclusive") && (st = bool_field(L, get(ln, "exclusive"), lf, &f->lower_exclusive)))
			return st;
		/* a lower limit above a cap: no subsidy under that cap could reach it */
		const hj_cap *c = &f->cap;
		for (int k = 0; k < (c->has_flat ? 1 : c->nbands); k++) {
			hj_yen cap = c->has_flat ? c->flat : c->bands[k].yen;
			if (f->lower > cap || (f->lower_exclusive && f->lower == cap)) {
				char a0[64], c0[64];
				hj_yen_format_short(f->lower, a0, sizeof a0);
				hj_yen_format_short(cap, c0, sizeof c0);
				return fail(L, get(ln, "yen"), lf, "補助下限額 %s%s が補助上限額 %s%s を超えています", a0,
					    f->lower_exclusive ? "超" : "", c0,
					    c->has_flat ? "" : "（bands の行）");
			}
		}
		f->has_lower = 1;
		char val[64];
		hj_yen_format_short(f->lower, val, sizeof val);
		if (f->lower_exclusive)
			strcat(val, "超");
		if ((st = add_item(L, f, &icap, "lower_limit", "lower_limit", "補助下限額", val,
				   f->lower_source, f->lower_note)))
			return st;
	}

	if ((st = load_amount_parts(L, f, fn, field, &icap)))
		return st;
	if (get(fn, "group") && (st = load_group(L, f, get(fn, "group"), field, &icap)))
		return st;

	struct fy_node *rq = get(fn, "requirements");
	if (rq && (st = load_requirements(L, f, rq, field, &icap)))
		return st;
	/* the requirements a raised cap brings with it, by id */
	struct fy_node *rr = get(fn, "cap") ? get(get(fn, "cap"), "raised_requirements") : NULL;
	if (rr) {
		char rf[220];
		snprintf(rf, sizeof rf, "%s.cap.raised_requirements", field);
		if (!f->cap.raised_when)
			return fail(L, rr, rf, "raised_requirements には raised_when が必要です");
		if (!fy_node_is_sequence(rr) || fy_node_sequence_item_count(rr) < 1 ||
		    fy_node_sequence_item_count(rr) > 8)
			return fail(L, rr, rf, "requirements の id のリスト（1〜8個）が必要です");
		void *rit = NULL;
		struct fy_node *x;
		char val[600] = "";
		size_t o = 0;
		while ((x = fy_node_sequence_iterate(rr, &rit))) {
			size_t len;
			const char *s = hj_yaml_scalar(x, &len);
			int found = -1;
			for (int i = 0; s && i < f->nreqs; i++)
				if (strlen(f->reqs[i].id) == len && !memcmp(f->reqs[i].id, s, len))
					found = i;
			if (found < 0)
				return fail(L, x, rf, "この枠の requirements にない id '%.*s'", (int)(s ? len : 0), s ? s : "");
			f->cap.raised_reqs[f->cap.nraised_reqs++] = found;
			o += (size_t)snprintf(val + o, o < sizeof val ? sizeof val - o : 0, "%s%s", o ? "、" : "",
					      f->reqs[found].text);
		}
		char text[200];
		snprintf(text, sizeof text, "%sを選ぶと加わる要件", f->cap.raised_text);
		const char *kept = hj_rb_strdup(L->rb, text);
		if (!kept)
			return NOMEM(L);
		if ((st = add_item(L, f, &icap, "cap_raise", "raised_requirements", kept, val, f->cap.raised_source, "")))
			return st;
	}

	struct fy_node *xn = get(fn, "expenses");
	if (xn) {
		char xf[200];
		snprintf(xf, sizeof xf, "%s.expenses", field);
		if ((st = check_keys(L, xn, xf, xkeys)) || (st = source_field(L, xn, xf, &f->cats_source)))
			return st;
		struct fy_node *cats = get(xn, "categories");
		if (!cats || !fy_node_is_sequence(cats))
			return fail(L, xn, xf, "categories のリストが必要です");
		f->ncats = fy_node_sequence_item_count(cats);
		f->cats = hj_rb_alloc(rb, (size_t)(f->ncats ? f->ncats : 1) * sizeof *f->cats);
		if (!f->cats)
			return NOMEM(L);
		it = NULL;
		struct fy_node *c;
		int i = 0;
		char val[1024] = "";
		size_t o = 0;
		while ((c = fy_node_sequence_iterate(cats, &it))) {
			char cf[220];
			snprintf(cf, sizeof cf, "%s.categories[%d]", xf, i);
			if ((st = check_keys(L, c, cf, catkeys)) ||
			    (st = str_field(L, c, "id", cf, 1, &f->cats[i].id)) ||
			    (st = str_field(L, c, "name", cf, 1, &f->cats[i].name)))
				return st;
			hj_category *cat = &f->cats[i];
			struct fy_node *fl = get(c, "facts");
			if (!fl) {
				cat->facts[0] = hj_rb_fact_find(rb, "expenses");
				cat->nfacts = 1;
				if (cat->facts[0] < 0)
					return fail(L, c, cf, "事実 'expenses' がない規則集では facts: で経費の事実を書きます");
			} else {
				if (!fy_node_is_sequence(fl) || fy_node_sequence_item_count(fl) < 1 ||
				    fy_node_sequence_item_count(fl) > 3)
					return fail(L, fl, cf, "facts は yen の事実の名前のリスト（3つまで）です");
				void *it3 = NULL;
				struct fy_node *fn2;
				while ((fn2 = fy_node_sequence_iterate(fl, &it3))) {
					size_t fl2;
					const char *fs = hj_yaml_scalar(fn2, &fl2);
					char fname[128];
					snprintf(fname, sizeof fname, "%.*s", (int)(fs ? fl2 : 0), fs ? fs : "");
					int fid = hj_rb_fact_find(rb, fname);
					if (fid < 0 || rb->facts[fid].type.ty != HJ_TY_YEN || rb->facts[fid].how != HJ_FACT_INPUT)
						return fail(L, fn2, cf, "'%s' は入力できる yen の事実ではありません", fname);
					cat->facts[cat->nfacts++] = fid;
				}
			}
			if (get(c, "min_unit_price") && (st = yen_field(L, get(c, "min_unit_price"), cf, &cat->min_unit_price)))
				return st;
			if (get(c, "below_unit_price")) {
				if ((st = yen_field(L, get(c, "below_unit_price"), cf, &cat->below_unit_price)))
					return st;
				cat->has_below = 1;
			}
			if (o < sizeof val - 80)
				o += (size_t)snprintf(val + o, sizeof val - o, "%s%s", i ? "、" : "",
						      f->cats[i].name);
			i++;
		}
		f->has_cats = 1;
		if ((get(xn, "partial") && (st = bool_field(L, get(xn, "partial"), xf, &f->cats_partial))) ||
		    (st = str_field(L, xn, "note", xf, 0, &f->cats_note)))
			return st;
		if ((st = add_item(L, f, &icap, "expense_categories", "expenses", "補助対象経費", val,
				   f->cats_source,
				   f->cats_note ? f->cats_note : f->cats_partial ? "ほかの区分は資料になく要確認" : "")))
			return st;
		for (int w = 0; w < 2; w++) {
			/* excluded: kinds refused; undetermined: kinds left open (要確認) */
			const char *key = w ? "undetermined" : "excluded";
			struct fy_node *xl = get(xn, key);
			if (!xl)
				continue;
			if (!fy_node_is_sequence(xl))
				return fail(L, xl, xf, "%s は excluded_expenses の id のリストです", key);
			int nk = fy_node_sequence_item_count(xl);
			int *ks = hj_rb_alloc(rb, (size_t)(nk + 1) * sizeof *ks);
			if (!ks)
				return NOMEM(L);
			it = NULL;
			int k = 0;
			while ((c = fy_node_sequence_iterate(xl, &it))) {
				size_t il;
				const char *is = hj_yaml_scalar(c, &il);
				int found = -1;
				for (int q = 0; is && q < rb->nexcluded && found < 0; q++)
					if (strlen(rb->excluded[q].id) == il && !memcmp(rb->excluded[q].id, is, il))
						found = q;
				if (found < 0)
					return fail(L, c, xf, "'%.*s' は excluded_expenses にありません", (int)(is ? il : 0),
						    is ? is : "");
				for (int q = 0; q < f->ncats; q++)
					if (!strcmp(f->cats[q].id, rb->excluded[found].id))
						return fail(L, c, xf, "'%s' は categories にもあります", rb->excluded[found].id);
				for (int q = 0; w && q < f->nxcl; q++)
					if (f->xcl[q] == found)
						return fail(L, c, xf, "'%s' は excluded にもあります", rb->excluded[found].id);
				ks[k++] = found;
				const hj_excluded *e = &rb->excluded[found];
				if ((st = add_item(L, f, &icap, w ? "expense_undetermined" : "expense_excluded", e->id, e->name,
						   w && e->undetermined_reason ? e->undetermined_reason : e->reason, e->source,
						   "")))
					return st;
			}
			if (w) {
				f->xund = ks;
				f->nxund = nk;
			} else {
				f->xcl = ks;
				f->nxcl = nk;
			}
		}
		struct fy_node *xr = get(xn, "rules");
		if (xr) {
			if (!fy_node_is_sequence(xr))
				return fail(L, xr, xf, "rules はリストです");
			f->nxrules = fy_node_sequence_item_count(xr);
			f->xrules = hj_rb_alloc(rb, (size_t)(f->nxrules + 1) * sizeof *f->xrules);
			if (!f->xrules)
				return NOMEM(L);
			it = NULL;
			int k = 0;
			while ((c = fy_node_sequence_iterate(xr, &it))) {
				hj_expense_rule *x = &f->xrules[k];
				char rf[240];
				snprintf(rf, sizeof rf, "%s.rules[%d]", xf, k++);
				if ((st = check_keys(L, c, rf, xrkeys)) || (st = str_field(L, c, "id", rf, 1, &x->id)) ||
				    (st = str_field(L, c, "text", rf, 1, &x->text)) ||
				    (st = str_field(L, c, "category", rf, 1, &x->category)) ||
				    (st = str_field(L, c, "note", rf, 0, &x->note)) || (st = source_field(L, c, rf, &x->source)))
					return st;
				if (get(c, "min_unit_price") && (st = yen_field(L, get(c, "min_unit_price"), rf, &x->min_unit_price)))
					return st;
				int found = 0;
				for (int q = 0; q < f->ncats; q++)
					found |= !strcmp(f->cats[q].id, x->category);
				if (!found)
					return fail(L, get(c, "category"), rf, "'%s' はこの枠の categories にありません", x->category);
				if ((st = add_item(L, f, &icap, "expense_rule", x->id, x->text, x->category, x->source, x->note)))
					return st;
			}
		}
	}

	struct fy_node *notes = get(fn, "notes");
	if (notes) {
		if (!fy_node_is_sequence(notes))
			return fail(L, notes, field, "notes はリストです");
		it = NULL;
		struct fy_node *nn;
		int i = 0;
		while ((nn = fy_node_sequence_iterate(notes, &it))) {
			char nf[200];
			snprintf(nf, sizeof nf, "%s.notes[%d]", field, i++);
			char *text, *src;
			if ((st = check_keys(L, nn, nf, nkeys)) || (st = str_field(L, nn, "text", nf, 1, &text)) ||
			    (st = source_field(L, nn, nf, &src)))
				return st;
			if ((st = add_item(L, f, &icap, "note", "", text, "", src, "")))
				return st;
		}
	}

	if ((st = add_summary(L, f, &icap)))
		return st;

	/* register */
	hj_frame **nf = hj_rb_alloc(rb, (size_t)(rb->nframes + 1) * sizeof *nf);
	hj_frame **ef = hj_rb_alloc(rb, (size_t)(ed->nframes + 1) * sizeof *ef);
	if (!nf || !ef)
		return NOMEM(L);
	if (rb->nframes)
		memcpy(nf, rb->frames, (size_t)rb->nframes * sizeof *nf);
	if (ed->nframes)
		memcpy(ef, ed->frames, (size_t)ed->nframes * sizeof *ef);
	f->index = rb->nframes;
	nf[rb->nframes++] = f;
	ef[ed->nframes++] = f;
	rb->frames = nf;
	ed->frames = ef;
	return HJ_OK;
}

static hj_status load_edition(ld *L, struct fy_node *en, struct fy_node *frames)
{
	static const char *const keys[] = { "program", "id", "name", "short", "budget", "source",
					    "period", "size", "covers", "documents", "review", "after", NULL };
	static const char *const doc_keys[] = { "id", "name", "when", "source", NULL };
	static const char *const size_keys[] = { "definition", "source", "note", NULL };
	static const char *const covers_keys[] = { "text", "from", "to", "source", "note", NULL };
	hj_rulebook *rb = L->rb;
	hj_status st = check_keys(L, en, "edition", keys);
	if (st)
		return st;
	hj_edition *ed = hj_rb_alloc(rb, sizeof *ed);
	if (!ed)
		return NOMEM(L);
	char *prog;
	if ((st = str_field(L, en, "program", "edition", 1, &prog)) ||
	    (st = str_field(L, en, "id", "edition", 1, &ed->id)) ||
	    (st = str_field(L, en, "name", "edition", 1, &ed->name)) ||
	    (st = str_field(L, en, "short", "edition", 1, &ed->shortname)) ||
	    (st = str_field(L, en, "budget", "edition", 0, &ed->budget)) ||
	    (st = source_field(L, en, "edition", &ed->source)))
		return st;
	hj_program *p = NULL;
	for (int i = 0; i < rb->nprograms; i++)
		if (!strcmp(rb->programs[i].id, prog))
			p = &rb->programs[i];
	if (!p)
		return fail(L, get(en, "program"), "edition.program", "未定義の制度 '%s'", prog);
	for (int i = 0; i < rb->neditions; i++)
		if (!strcmp(rb->editions[i]->id, ed->id))
			return fail(L, get(en, "id"), "edition.id", "版 '%s' が二度定義されています", ed->id);
	ed->program = p;
	/* the SME definition the edition uses, with its source */
	struct fy_node *sn = get(en, "size");
	if (!sn && rb->sizes.explicit_defs)
		return fail(L, en, "edition", "'size'（definition, source）がありません");
	if (sn) {
		char *def;
		if ((st = check_keys(L, sn, "edition.size", size_keys)) ||
		    (st = str_field(L, sn, "definition", "edition.size", 1, &def)) ||
		    (st = str_field(L, sn, "note", "edition.size", 0, &ed->size_note)) ||
		    (st = source_field(L, sn, "edition.size", &ed->size_source)))
			return st;
		ed->size_def = -1;
		for (int k = 0; k < rb->sizes.ndefs; k++)
			if (!strcmp(rb->sizes.defs[k].id, def))
				ed->size_def = k;
		if (ed->size_def < 0)
			return fail(L, get(sn, "definition"), "edition.size", "未定義の中小企業者の定義 '%s'", def);
	}
	if (!get(en, "period"))
		return fail(L, en, "edition", "'period'（from, to, source）がありません");
	if ((st = load_period(L, get(en, "period"), "edition.period", &ed->has_from, &ed->from,
			      &ed->has_to, &ed->to, &ed->period_source, &ed->period_note)))
		return st;
	struct fy_node *cn = get(en, "covers");
	if (cn) {
		if ((st = check_keys(L, cn, "edition.covers", covers_keys)) ||
		    (st = str_field(L, cn, "text", "edition.covers", 1, &ed->covers_text)) ||
		    (st = source_field(L, cn, "edition.covers", &ed->covers_source)) ||
		    (st = str_field(L, cn, "note", "edition.covers", 0, &ed->covers_note)))
			return st;
		if (get(cn, "from")) {
			if ((st = date_field(L, get(cn, "from"), "edition.covers.from", &ed->cfrom)))
				return st;
			ed->has_cfrom = 1;
		}
		if (get(cn, "to")) {
			if ((st = date_field(L, get(cn, "to"), "edition.covers.to", &ed->cto)))
				return st;
			ed->has_cto = 1;
		}
	}
	struct fy_node *dn = get(en, "documents");
	if (dn) {
		/* the documents an application must attach, each with its source */
		if (!fy_node_is_sequence(dn))
			return fail(L, dn, "edition.documents", "documents は書類（id, name, when, source）のリストです");
		int n = fy_node_sequence_item_count(dn);
		ed->docs = hj_rb_alloc(rb, (size_t)(n ? n : 1) * sizeof *ed->docs);
		if (!ed->docs)
			return NOMEM(L);
		void *dit = NULL;
		struct fy_node *d;
		while ((d = fy_node_sequence_iterate(dn, &dit))) {
			hj_required_doc *x = &ed->docs[ed->ndocs];
			memset(x, 0, sizeof *x);
			if ((st = check_keys(L, d, "edition.documents", doc_keys)) ||
			    (st = str_field(L, d, "id", "edition.documents", 1, &x->id)) ||
			    (st = str_field(L, d, "name", "edition.documents", 1, &x->name)) ||
			    (st = source_field(L, d, "edition.documents", &x->source)))
				return st;
			for (int k = 0; k < ed->ndocs; k++)
				if (!strcmp(ed->docs[k].id, x->id))
					return fail(L, get(d, "id"), "edition.documents.id", "書類 '%s' が二度あります", x->id);
			if (get(d, "when") &&
			    (st = compile(L, get(d, "when"), "edition.documents.when", HJ_TY_BOOL, &x->when, NULL)))
				return st;
			ed->ndocs++;
		}
	}
	if (!frames || !fy_node_is_sequence(frames) || !fy_node_sequence_item_count(frames))
		return fail(L, frames ? frames : en, "frames", "版には frames のリストが必要です");
	void *it = NULL;
	struct fy_node *fn;
	int i = 0;
	while ((fn = fy_node_sequence_iterate(frames, &it)))
		if ((st = load_frame(L, ed, fn, i++)))
			return st;
	if (get(en, "review") && (st = rbl_load_review(L, ed, get(en, "review"))))
		return st;
	if (get(en, "after") && (st = rbl_load_after(L, ed, get(en, "after"))))
		return st;
	hj_edition **ne = hj_rb_alloc(rb, (size_t)(rb->neditions + 1) * sizeof *ne);
	hj_edition **pe = hj_rb_alloc(rb, (size_t)(p->neditions + 1) * sizeof *pe);
	if (!ne || !pe)
		return NOMEM(L);
	if (rb->neditions)
		memcpy(ne, rb->editions, (size_t)rb->neditions * sizeof *ne);
	if (p->neditions)
		memcpy(pe, p->editions, (size_t)p->neditions * sizeof *pe);
	ne[rb->neditions++] = ed;
	pe[p->neditions++] = ed;
	rb->editions = ne;
	p->editions = pe;
	return HJ_OK;
}

/* ------------------------------------------------------------------ */
/* Files                                                               */

typedef struct rfile {
	char *path;   /* full path */
	char *rel;    /* path relative to the rulebook dir */
	char *text;
	size_t len;
	struct fy_document *doc;
} rfile;

typedef struct rfiles {
	rfile *v;
	int n, cap;
} rfiles;

static int cmp_rfile(const void *a, const void *b)
{
	return strcmp(((const rfile *)a)->rel, ((const rfile *)b)->rel);
}

/* The *.yaml files under root/rel, recursively. Refused: a dangling or
 * looping symbolic link, a directory reached again from inside itself, a
 * *.yml file (not read: rulebook files are *.yaml, so that none is left
 * out unnoticed), and a *.yaml that is not a regular file (a FIFO would
 * block the load). Other files are ignored. 'anc' holds the device and
 * inode of each directory above (depth entries). */
static hj_status collect(const char *root, const char *rel, rfiles *out, int depth, struct stat *anc,
			 hj_error *err)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s%s%s", root, *rel ? "/" : "", rel);
	DIR *d = opendir(dir);
	if (!d)
		return hj_error_set(err, HJ_ERR_RULEBOOK, dir, 0, 0, NULL,
				    "規則集のディレクトリを開けません");
	if (depth > 8) {
		closedir(d);
		return hj_error_set(err, HJ_ERR_RULEBOOK, dir, 0, 0, NULL, "ディレクトリが深すぎます");
	}
	struct dirent *e;
	hj_status st = HJ_OK;
	if (fstat(dirfd(d), &anc[depth]))
		st = hj_error_set(err, HJ_ERR_IO, dir, 0, 0, NULL, "ディレクトリを読めません");
	while (!st && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char r2[4096], full[8192];
		snprintf(r2, sizeof r2, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		snprintf(full, sizeof full, "%s/%s", root, r2);
		struct stat sb;
		if (stat(full, &sb)) {
			struct stat lb;
			int en = errno;
			if (!lstat(full, &lb) && S_ISLNK(lb.st_mode))
				st = hj_error_set(err, HJ_ERR_RULEBOOK, full, 0, 0, NULL, "%s",
						  en == ELOOP ? "シンボリックリンクが輪になっています"
								 : "シンボリックリンクの先がありません（壊れたリンク）");
			continue;
		}
		if (S_ISDIR(sb.st_mode)) {
			for (int k = 0; k <= depth; k++)
				if (anc[k].st_dev == sb.st_dev && anc[k].st_ino == sb.st_ino)
					st = hj_error_set(err, HJ_ERR_RULEBOOK, full, 0, 0, NULL,
							  "シンボリックリンクが輪になっています（上のディレクトリに戻ります）");
			if (!st)
				st = collect(root, r2, out, depth + 1, anc, err);
			continue;
		}
		size_t nl = strlen(e->d_name);
		if (nl > 4 && !strcasecmp(e->d_name + nl - 4, ".yml")) {
			st = hj_error_set(err, HJ_ERR_RULEBOOK, full, 0, 0, NULL,
					  "拡張子 .yml のファイルは読みません（規則集のファイルは .yaml です。名前を変えてください）");
			continue;
		}
		if (nl < 6 || strcmp(e->d_name + nl - 5, ".yaml"))
			continue;
		if (!S_ISREG(sb.st_mode)) {
			st = hj_error_set(err, HJ_ERR_RULEBOOK, full, 0, 0, NULL,
					  "通常のファイルではありません（FIFO・デバイスなどは読みません）");
			continue;
		}
		if (out->n == out->cap) {
			int nc = out->cap ? out->cap * 2 : 16;
			rfile *nv = hj_realloc(out->v, (size_t)nc * sizeof *nv);
			if (!nv) {
				st = hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません");
				break;
			}
			out->v = nv;
			out->cap = nc;
		}
		rfile *f = &out->v[out->n];
		memset(f, 0, sizeof *f);
		f->path = hj_strdup(full);
		f->rel = hj_strdup(r2);
		if (!f->path || !f->rel) {
			hj_free(f->path);
			hj_free(f->rel);
			st = hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません");
			break;
		}
		out->n++;
	}
	closedir(d);
	return st;
}

static void free_rfiles(rfiles *fs)
{
	for (int i = 0; i < fs->n; i++) {
		hj_free(fs->v[i].path);
		hj_free(fs->v[i].rel);
		hj_free(fs->v[i].text);
		if (fs->v[i].doc)
			fy_document_destroy(fs->v[i].doc);
	}
	hj_free(fs->v);
}

hj_status hj_rulebook_load(const char *dir, hj_rulebook **out, hj_error *err)
{
	static const char *const top[] = { "rulebook", "programs", "enums", "aliases", "facts", "definitions",
					   "size_classes", "computed", "min_wages", "excluded_expenses", "edition", "frames",
					   "documents", "columns", "parties", NULL };
	*out = NULL;
	hj_error_clear(err);
	rfiles fs = { 0 };
	hj_rulebook *rb = hj_calloc(1, sizeof *rb);
	if (!rb)
		return hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません");
	rb->f_size_class = rb->f_small = rb->f_sme = rb->f_midsize = rb->f_large = -1;
	rb->f_subsidy = rb->f_date = rb->f_expenses = -1;
	struct stat anc[10];
	hj_status st = collect(dir, "", &fs, 0, anc, err);
	if (!st && fs.n == 0)
		st = hj_error_set(err, HJ_ERR_RULEBOOK, dir, 0, 0, NULL, "規則集に *.yaml がありません");
	if (st)
		goto done;
	qsort(fs.v, (size_t)fs.n, sizeof *fs.v, cmp_rfile);
	rb->dir = hj_rb_strdup(rb, dir);

	struct sha256_ctx sha;
	sha256_init(&sha);
	for (int i = 0; i < fs.n; i++) {
		rfile *f = &fs.v[i];
		f->text = hj_read_file(f->path, &f->len, err, HJ_ERR_RULEBOOK);
		if (!f->text) {
			st = err->status;
			goto done;
		}
		sha256_update(&sha, strlen(f->rel) + 1, (const uint8_t *)f->rel);
		sha256_update(&sha, f->len, (const uint8_t *)f->text);
		f->doc = hj_yaml_parse(f->text, f->len, f->path, 0, HJ_ERR_RULEBOOK, err);
		if (!f->doc) {
			st = err->status; /* HJ_ERR_RULEBOOK, or HJ_ERR_NOMEM */
			goto done;
		}
		struct fy_node *root = fy_document_root(f->doc);
		ld L0 = { rb, err, f->path, "" };
		if (!root || !fy_node_is_mapping(root)) {
			st = hj_error_set(err, HJ_ERR_RULEBOOK, f->path, 1, 1, NULL,
					  "規則集ファイルの最上位はマッピングでなければなりません");
			goto done;
		}
		if ((st = check_keys(&L0, root, "", top)))
			goto done;
	}
	uint8_t digest[SHA256_DIGEST_SIZE];
	sha256_digest(&sha, sizeof digest, digest);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(rb->hash + 2 * i, 3, "%02x", digest[i]);

	/* The passes, in dependency order. */
	for (int pass = 1; pass <= 6 && !st; pass++) {
		for (int i = 0; i < fs.n && !st; i++) {
			ld L = { rb, err, fs.v[i].path, "" };
			struct fy_node *root = fy_document_root(fs.v[i].doc);
			struct fy_node *n;
			switch (pass) {
			case 1:
				if ((n = get(root, "rulebook"))) {
					if (rb->name)
						st = fail(&L, n, "rulebook", "rulebook が二度定義されています");
					else
						st = load_header(&L, n);
				}
				if (!st && (n = get(root, "enums")))
					st = load_enums(&L, n);
				if (!st && (n = get(root, "documents")))
					st = load_documents(&L, n);
				break;
			case 2:
				if ((n = get(root, "facts")))
					st = load_facts(&L, n);
				if (!st && (n = get(root, "aliases")))
					st = load_aliases(&L, n);
				break;
			case 3:
				if (i == 0)
					st = add_builtin_facts(&L);
				if (!st && (n = get(root, "size_classes")))
					st = load_sizes(&L, n);
				if (!st && (n = get(root, "computed")))
					st = load_computed(&L, n);
				if (!st && (n = get(root, "min_wages")))
					st = load_min_wages(&L, n);
				if (!st && (n = get(root, "excluded_expenses")))
					st = load_excluded(&L, n);
				if (!st && (n = get(root, "columns")))
					st = load_columns(&L, n);
				break;
			case 4:
				if ((n = get(root, "definitions")))
					st = load_defs(&L, n);
				break;
			case 5:
				if ((n = get(root, "programs")))
					st = load_programs(&L, n);
				break;
			case 6:
				/* the default expense base: optional, but then yen
				 * (a frame without it needs its own base:) */
				if (i == 0 && (rb->f_expenses = hj_rb_fact_find(rb, "expenses")) >= 0 &&
				    rb->facts[rb->f_expenses].type.ty != HJ_TY_YEN) {
					st = hj_error_set(err, HJ_ERR_RULEBOOK, rb->facts[rb->f_expenses].file,
							  rb->facts[rb->f_expenses].line, 0, "expenses",
							  "補助対象経費の事実 'expenses' は type: yen です");
					break;
				}
				if ((n = get(root, "parties")))
					st = load_parties(&L, n);
				if (st)
					break;
				if ((n = get(root, "edition")))
					st = load_edition(&L, n, get(root, "frames"));
				else if (get(root, "frames"))
					st = fail(&L, get(root, "frames"), "frames",
						  "frames は edition と同じファイルに書きます");
				break;
			}
		}
	}
	if (!st && !rb->name)
		st = hj_error_set(err, HJ_ERR_RULEBOOK, dir, 0, 0, NULL,
				  "rulebook（name, version）を定義したファイルがありません");
	if (!st && rb->nframes == 0)
		st = hj_error_set(err, HJ_ERR_RULEBOOK, dir, 0, 0, NULL, "枠が一つもありません");
	if (!st && hj_rb_share_conditions(rb))
		st = hj_error_set(err, HJ_ERR_NOMEM, dir, 0, 0, NULL, "メモリが足りません");
done:
	free_rfiles(&fs);
	if (st) {
		hj_rulebook_free(rb);
		return st;
	}
	*out = rb;
	return HJ_OK;
}

/* ------------------------------------------------------------------ */
/* Accessors                                                           */

const char *hj_rulebook_hash(const hj_rulebook *rb) { return rb->hash; }
const char *hj_rulebook_name(const hj_rulebook *rb) { return rb->name; }
const char *hj_rulebook_version(const hj_rulebook *rb) { return rb->version; }
const char *hj_rulebook_dir(const hj_rulebook *rb) { return rb->dir; }
int hj_rulebook_nprograms(const hj_rulebook *rb) { return rb->nprograms; }
const hj_program *hj_rulebook_program(const hj_rulebook *rb, int i) { return &rb->programs[i]; }
int hj_rulebook_nframes(const hj_rulebook *rb) { return rb->nframes; }
const hj_frame *hj_rulebook_frame(const hj_rulebook *rb, int i) { return rb->frames[i]; }

const hj_frame *hj_rulebook_find_frame(const hj_rulebook *rb, const char *id)
{
	for (int i = 0; i < rb->nframes; i++)
		if (!strcmp(rb->frames[i]->id, id))
			return rb->frames[i];
	return NULL;
}

const char *hj_program_id(const hj_program *p) { return p->id; }
const char *hj_program_name(const hj_program *p) { return p->name; }
const char *hj_program_short(const hj_program *p) { return p->shortname; }
int hj_program_neditions(const hj_program *p) { return p->neditions; }
const hj_edition *hj_program_edition(const hj_program *p, int i) { return p->editions[i]; }

const char *hj_edition_id(const hj_edition *e) { return e->id; }
const char *hj_edition_name(const hj_edition *e) { return e->name; }
const char *hj_edition_short(const hj_edition *e) { return e->shortname; }
const char *hj_edition_budget(const hj_edition *e) { return e->budget ? e->budget : ""; }
const char *hj_edition_source(const hj_edition *e) { return e->source; }
const hj_program *hj_edition_program(const hj_edition *e) { return e->program; }
const char *hj_edition_period_source(const hj_edition *e) { return e->period_source; }
const char *hj_edition_period_note(const hj_edition *e) { return e->period_note ? e->period_note : ""; }

int hj_edition_covers(const hj_edition *e, const char **text, const char **source, const char **note)
{
	if (!e->covers_text)
		return 0;
	*text = e->covers_text;
	*source = e->covers_source;
	*note = e->covers_note ? e->covers_note : "";
	return 1;
}

void hj_edition_size(const hj_rulebook *rb, const hj_edition *e, hj_size_info *out)
{
	const hj_sizes *z = &rb->sizes;
	const hj_size_def *d = &z->defs[e->size_def >= 0 && e->size_def < z->ndefs ? e->size_def : 0];
	out->id = d->id ? d->id : "";
	out->label = d->label ? d->label : "";
	out->nrows = d->nrows;
	out->open = d->open_forms != 0;
	out->def_source = d->source ? d->source : "";
	out->def_note = d->note ? d->note : "";
	out->source = e->size_source ? e->size_source : "";
	out->note = e->size_note ? e->size_note : "";
}

int hj_edition_uncovered(const hj_edition *e, hj_date date)
{
	if (!e->covers_text || (e->has_from && date < e->from) || (e->has_to && date > e->to))
		return 0;
	/* without dates for the call it covers, no date is known to be in it */
	if (!e->has_cfrom && !e->has_cto)
		return 1;
	return (e->has_cfrom && date < e->cfrom) || (e->has_cto && date > e->cto);
}
int hj_edition_nframes(const hj_edition *e) { return e->nframes; }
const hj_frame *hj_edition_frame(const hj_edition *e, int i) { return e->frames[i]; }

int hj_edition_from(const hj_edition *e, hj_date *out)
{
	if (e->has_from)
		*out = e->from;
	return e->has_from;
}

int hj_edition_to(const hj_edition *e, hj_date *out)
{
	if (e->has_to)
		*out = e->to;
	return e->has_to;
}

const char *hj_frame_id(const hj_frame *f) { return f->id; }
const char *hj_frame_name(const hj_frame *f) { return f->name; }
const char *hj_frame_source(const hj_frame *f) { return f->source; }
const hj_edition *hj_frame_edition(const hj_frame *f) { return f->edition; }
int hj_frame_nitems(const hj_frame *f) { return f->nitems; }
int hj_frame_nreqs(const hj_frame *f) { return f->nreqs; }
int hj_frame_slots(const hj_frame *f) { return f->slots; }
int hj_edition_ndocs(const hj_edition *e) { return e->ndocs; }
void hj_edition_doc(const hj_edition *e, int i, const char **id, const char **name, const char **source)
{
	*id = e->docs[i].id;
	*name = e->docs[i].name;
	*source = e->docs[i].source;
}
const char *hj_frame_req_id(const hj_frame *f, int i) { return i >= 0 && i < f->nreqs ? f->reqs[i].id : NULL; }
int hj_frame_nraised_reqs(const hj_frame *f) { return f->cap.nraised_reqs; }
int hj_frame_raised_req(const hj_frame *f, int i)
{
	return i >= 0 && i < f->cap.nraised_reqs ? f->cap.raised_reqs[i] : -1;
}
const hj_item *hj_frame_item(const hj_frame *f, int i) { return &f->items[i]; }

int hj_frame_in_force(const hj_frame *f, hj_date date)
{
	return (!f->has_from || date >= f->from) && (!f->has_to || date <= f->to);
}

int hj_frame_from(const hj_frame *f, hj_date *out)
{
	if (f->has_from)
		*out = f->from;
	return f->has_from;
}

int hj_frame_to(const hj_frame *f, hj_date *out)
{
	if (f->has_to)
		*out = f->to;
	return f->has_to;
}

int hj_rulebook_nfacts(const hj_rulebook *rb) { return rb->nfacts; }
int hj_rulebook_fact_index(const hj_rulebook *rb, const char *name) { return hj_rb_fact_find(rb, name); }
const char *hj_fact_name(const hj_rulebook *rb, int i) { return rb->facts[i].name; }
const char *hj_fact_input(const hj_rulebook *rb, int i) { return rb->facts[i].input; }
const char *hj_fact_label(const hj_rulebook *rb, int i) { return rb->facts[i].label; }

int hj_fact_enum(const hj_rulebook *rb, int i)
{
	const hj_fact *f = &rb->facts[i];
	return f->type.ty == HJ_TY_ENUM || f->type.ty == HJ_TY_SET ? f->type.enum_id : -1;
}

int hj_rulebook_nenums(const hj_rulebook *rb) { return rb->nenums; }
const char *hj_enum_name(const hj_rulebook *rb, int e) { return rb->enums[e].name; }
int hj_enum_nvalues(const hj_rulebook *rb, int e) { return rb->enums[e].n; }
const char *hj_enum_value_id(const hj_rulebook *rb, int e, int v) { return rb->enums[e].ids[v]; }
const char *hj_enum_value_label(const hj_rulebook *rb, int e, int v) { return rb->enums[e].labels[v]; }
int hj_enum_naliases(const hj_rulebook *rb, int e) { return rb->enums[e].naliases; }

void hj_enum_alias(const hj_rulebook *rb, int e, int a, hj_alias_info *out)
{
	const hj_alias *x = &rb->enums[e].aliases[a];
	out->names = (const char *const *)x->names;
	out->nnames = x->nnames;
	out->value = x->value;
	out->candidates = x->value < 0 ? x->cands : 0;
	out->source = x->source ? x->source : "";
	out->note = x->note ? x->note : "";
}

const char *hj_fact_type_name(const hj_rulebook *rb, int i)
{
	const hj_fact *f = &rb->facts[i];
	if (f->how == HJ_FACT_DERIVED || f->how == HJ_FACT_COMPUTED)
		return "derived";
	if (f->how == HJ_FACT_PRESENCE)
		return "presence";
	switch (f->type.ty) {
	case HJ_TY_YEN: return "yen";
	case HJ_TY_NUM: return "num";
	case HJ_TY_BOOL: return "bool";
	case HJ_TY_DATE: return "date";
	case HJ_TY_ENUM: return "enum";
	case HJ_TY_SET: return "set";
	case HJ_TY_SERIES: return "series";
	}
	return "?";
}

/* ------------------------------------------------------------------ */
/* The readers other loader files use (rulebook-load.h)               */

hj_status rbl_fail(ld *L, struct fy_node *n, const char *field, const char *fmt, ...)
{
	char msg[480];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return fail(L, n, field, "%s", msg);
}

hj_status rbl_nomem(ld *L) { return NOMEM(L); }
struct fy_node *rbl_get(struct fy_node *map, const char *key) { return get(map, key); }
hj_status rbl_check_keys(ld *L, struct fy_node *map, const char *field, const char *const *allowed)
{
	return check_keys(L, map, field, allowed);
}
hj_status rbl_str(ld *L, struct fy_node *map, const char *key, const char *field, int required, char **out)
{
	return str_field(L, map, key, field, required, out);
}
hj_status rbl_source(ld *L, struct fy_node *map, const char *field, char **out)
{
	return source_field(L, map, field, out);
}
hj_status rbl_check_source(ld *L, struct fy_node *n, const char *field, const char *text)
{
	return check_source(L, n, field, text);
}
hj_status rbl_yen(ld *L, struct fy_node *n, const char *field, hj_yen *out) { return yen_field(L, n, field, out); }
hj_status rbl_frac(ld *L, struct fy_node *n, const char *field, hj_frac *out) { return frac_field(L, n, field, out); }
hj_status rbl_date(ld *L, struct fy_node *n, const char *field, hj_date *out) { return date_field(L, n, field, out); }
hj_status rbl_int(ld *L, struct fy_node *n, const char *field, int64_t *out) { return int_field(L, n, field, out); }
hj_status rbl_compile(ld *L, struct fy_node *n, const char *field, hj_ty want, hj_expr **out)
{
	return compile(L, n, field, want, out, NULL);
}
void *rbl_alloc(ld *L, size_t n) { return hj_rb_alloc(L->rb, n); }
char *rbl_strdup(ld *L, const char *s) { return hj_rb_strdup(L->rb, s); }
