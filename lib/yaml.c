/*
 * yaml.c - libfyaml helpers (see yaml.h).
 */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <stdint.h>
#include <unistr.h>
#include "hojo/alloc.h"
#include "yaml.h"

static void quiet_output(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
	(void)diag;
	(void)user;
	(void)buf;
	(void)len;
}

static const struct fy_mark *node_mark(struct fy_node *n, int depth);

/* The position (1-based line, column in characters) of byte 'at'. */
static void text_pos(const char *text, size_t at, int *line, int *col)
{
	int l = 1, c = 1;
	for (size_t i = 0; i < at; i++) {
		if (text[i] == '\n')
			l++, c = 1;
		else if (((unsigned char)text[i] & 0xC0) != 0x80)
			c++;
	}
	*line = l;
	*col = c;
}

/* Does a line start at byte i? (YAML breaks lines at LF, CR LF and a
 * lone CR, as libfyaml does.) */
static int line_start(const char *text, size_t i)
{
	return i == 0 || text[i - 1] == '\n' || text[i - 1] == '\r';
}

/* Whether byte 'off' lies in the scalar 'n'. */
static int scalar_has(struct fy_node *n, size_t off)
{
	struct fy_token *t = n && fy_node_is_scalar(n) ? fy_node_get_scalar_token(n) : NULL;
	const struct fy_mark *a = t ? fy_token_start_mark(t) : NULL, *b = t ? fy_token_end_mark(t) : NULL;
	return a && b && a->input_pos <= off && off < b->input_pos;
}

/* The path of the scalar holding byte 'off' into 'path': 1 when it is a
 * key (the path is its mapping's), 2 a value, 0 not found. */
static int path_at(struct fy_node *n, size_t off, char *path, size_t size, int depth)
{
	size_t plen = strlen(path);
	void *it = NULL;
	if (!n || depth > 64)
		return 0;
	if (fy_node_is_scalar(n))
		return scalar_has(n, off) ? 2 : 0;
	if (fy_node_is_sequence(n)) {
		struct fy_node *c;
		for (int i = 0; (c = fy_node_sequence_iterate(n, &it)); i++) {
			snprintf(path + plen, size - plen, "[%d]", i);
			int r = path_at(c, off, path, size, depth + 1);
			if (r)
				return r;
		}
	} else if (fy_node_is_mapping(n)) {
		struct fy_node_pair *p;
		while ((p = fy_node_mapping_iterate(n, &it))) {
			struct fy_node *k = fy_node_pair_key(p);
			if (scalar_has(k, off)) {
				path[plen] = '\0';
				return 1;
			}
			size_t kl = 0;
			const char *ks = hj_yaml_scalar(k, &kl);
			snprintf(path + plen, size - plen, "%s%.*s", plen ? "." : "", (int)(ks && kl < 100 ? kl : 0),
				 ks ? ks : "");
			int r = path_at(fy_node_pair_value(p), off, path, size, depth + 1);
			if (r)
				return r;
		}
	}
	path[plen] = '\0';
	return 0;
}

/*
 * The first explicit key ('? ' first on a line, or after '- '): its
 * offset, or len when there is none. No input or
 * rulebook needs one, and libfyaml 0.7.12 crashes on some ('? p:', then a
 * tab and an indicator: SEGV in fy_parse_cleanup, found by fuzz_rulebook).
 */
static size_t explicit_key(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (!line_start(text, i))
			continue;
		size_t j = i;
		for (;;) {
			while (j < len && (text[j] == ' ' || text[j] == '\t'))
				j++;
			if (j + 1 < len && text[j] == '-' && (text[j + 1] == ' ' || text[j + 1] == '\t'))
				j++;
			else
				break;
		}
		if (j < len && text[j] == '?' &&
		    (j + 1 == len || text[j + 1] == ' ' || text[j + 1] == '\t' || text[j + 1] == '\r' ||
		     text[j + 1] == '\n'))
			return j;
	}
	return len;
}

/* The field holding the bad byte at 'off': the text parsed again with
 * every bad byte replaced by 'X' (same offsets). */
static int field_at(const char *text, size_t len, size_t off, char *path, size_t size)
{
	path[0] = '\0';
	char *copy = hj_malloc(len + 1);
	if (!copy)
		return 0;
	memcpy(copy, text, len);
	copy[len] = '\0';
	uint8_t *u = (uint8_t *)copy, *bad;
	size_t at = 0;
	while (at < len && (bad = (uint8_t *)u8_check(u + at, len - at)) != NULL) {
		*bad = 'X';
		at = (size_t)(bad - u) + 1;
	}
	for (size_t i = 0; i < len; i++)
		if (!copy[i] || (copy[i] == '%' && line_start(copy, i)))
			copy[i] = 'X';
	if (explicit_key(copy, len) < len) { /* not for libfyaml (above) */
		hj_free(copy);
		return 0;
	}
	struct fy_parse_cfg cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2 | FYPCF_JSON_NONE | FYPCF_ALLOW_DUPLICATE_KEYS;
	struct fy_diag_cfg dcfg;
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = quiet_output;
	dcfg.colorize = false;
	struct fy_diag *diag = fy_diag_create(&dcfg);
	/* errors collected, as hj_yaml_parse_opts does: libfyaml 0.7.12
	 * crashes displaying some (fy_diag_error_atom_display, found by
	 * fuzz_plan) */
	if (diag)
		fy_diag_set_collect_errors(diag, true);
	cfg.diag = diag;
	int r = 0;
	struct fy_parser *fyp = diag ? fy_parser_create(&cfg) : NULL;
	struct fy_document *doc = fyp && fy_parser_set_string(fyp, copy, len) == 0 ? fy_parse_load_document(fyp) : NULL;
	if (doc && !fy_diag_got_error(diag))
		r = path_at(fy_document_root(doc), off, path, size, 0);
	if (doc)
		fy_document_destroy(doc);
	if (fyp)
		fy_parser_destroy(fyp);
	if (diag)
		fy_diag_destroy(diag);
	hj_free(copy);
	return r;
}

/*
 * What libfyaml is not given: bytes that are not UTF-8 (libfyaml 0.7.12
 * loops forever on a byte 0x80-0xFF after '%'), NUL bytes, lines
 * starting with '%' (directives: libfyaml scans them at any line start;
 * no input or rulebook needs one) and long runs of blanks.
 */
static hj_status prescan(const char *text, size_t len, const char *file, int line0, hj_status st,
			 hj_error *err)
{
	const uint8_t *bad = u8_check((const uint8_t *)text, len);
	const char *nul = memchr(text, '\0', len);
	int line, col;
	char path[256];
	if (bad && (!nul || (const char *)bad < nul)) {
		size_t off = (size_t)((const char *)bad - text);
		text_pos(text, off, &line, &col);
		int where = field_at(text, len, off, path, sizeof path);
		return hj_error_set(err, st, file, line + line0, col, path[0] ? path : NULL,
				    "%sに UTF-8 の文字として読めないバイト（0x%02X）があります。ファイルを UTF-8 で保存してください",
				    where == 1 ? "項目名" : where == 2 ? "値" : "テキスト", *bad);
	}
	if (nul) {
		size_t off = (size_t)(nul - text);
		text_pos(text, off, &line, &col);
		int where = field_at(text, len, off, path, sizeof path);
		return hj_error_set(err, st, file, line + line0, col, path[0] ? path : NULL,
				    "%sに NUL 文字（0x00）は書けません", where == 1 ? "項目名" : where == 2 ? "値" : "テキスト");
	}
	size_t blanks = 0;
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '%' && line_start(text, i)) {
			text_pos(text, i, &line, &col);
			return hj_error_set(err, st, file, line + line0, col, NULL,
					    "行頭の %%（YAML のディレクティブ）は使えません");
		}
		/* libfyaml's time grows with the square of a run of blanks after
		 * ']', '}' or a quoted key candidate */
		blanks = text[i] == ' ' || text[i] == '\t' ? blanks + 1 : 0;
		if (blanks > HJ_YAML_MAX_BLANKS) {
			text_pos(text, i + 1 - blanks, &line, &col);
			return hj_error_set(err, st, file, line + line0, col, NULL,
					    "空白が続きすぎます（空白・タブは続けて %d 個まで）", HJ_YAML_MAX_BLANKS);
		}
	}
	size_t k = explicit_key(text, len);
	if (k < len) {
		text_pos(text, k, &line, &col);
		return hj_error_set(err, st, file, line + line0, col, NULL,
				    "行頭の「? 」（YAML の明示的なキー）は使えません。「キー: 値」と書いてください");
	}
	return HJ_OK;
}

typedef struct {
	const char *file;
	int line0;
	hj_status st;
	hj_error *err;
	int aliases_ok; /* rulebooks: anchors and aliases, with a bound */
	long nodes;     /* nodes after alias resolution */
	const char *text;
	size_t len;
	struct fy_node *alias; /* the outermost alias being expanded */
	int resolve;           /* aliases or merge keys to resolve */
	char path[512];
} yaml_walk;

static hj_status walk_fail(yaml_walk *w, struct fy_node *n, const char *fmt, const char *arg)
{
	if (w->alias)
		n = w->alias; /* inside an alias's expansion: where that alias is written */
	int line = hj_yaml_line(n), col = hj_yaml_col(n);
	const struct fy_mark *m = node_mark(n, 0);
	if (fy_node_is_alias(n) && m && m->input_pos > 0 && m->input_pos <= w->len && w->text[m->input_pos - 1] == '*')
		col--; /* the alias token starts after its '*' */
	return hj_error_set(w->err, w->st, w->file, line + w->line0, col, w->path[0] ? w->path : NULL, fmt, arg);
}

/* The position of the anchor '&name' of node 'n': the last one written
 * before the node's first scalar. */
static hj_status anchor_fail(yaml_walk *w, struct fy_node *n, const char *msg)
{
	size_t al = 0;
	const char *a = fy_anchor_get_text(fy_node_get_anchor(n), &al);
	const struct fy_mark *m = node_mark(n, 0);
	size_t end = m && m->input_pos <= w->len ? m->input_pos : w->len;
	for (size_t i = end; a && al && i-- > 0;)
		if (w->text[i] == '&' && w->len - i - 1 >= al && !memcmp(w->text + i + 1, a, al)) {
			int line, col;
			text_pos(w->text, i, &line, &col);
			return hj_error_set(w->err, w->st, w->file, line + w->line0, col, w->path[0] ? w->path : NULL,
					    "%s", msg);
		}
	return walk_fail(w, n, "%s", msg);
}

static hj_status dup_keys(yaml_walk *w, struct fy_node *map);

/* Count the nodes 'n' expands to; refuse NUL in scalars, and anchors and
 * aliases where they are not allowed. */
static hj_status yaml_check(yaml_walk *w, struct fy_node *n, int depth)
{
	if (!n)
		return HJ_OK;
	/* an input has no aliases: its size bounds its nodes */
	if (++w->nodes > HJ_YAML_MAX_NODES && w->aliases_ok)
		return walk_fail(w, n, "%s",
				 "別名（*）の展開を含めて要素が多すぎます（1ファイル " HJ_YAML_MAX_NODES_TEXT " 要素まで）");
	if (depth > HJ_YAML_MAX_DEPTH)
		return walk_fail(w, n, "%s", "入れ子が深すぎます（" HJ_YAML_MAX_DEPTH_TEXT " 段まで）");
	static const char no_alias[] = "入力にはアンカー（&）と別名（*）は書けません。値をそのまま書いてください";
	if (!w->aliases_ok && fy_node_is_alias(n))
		return walk_fail(w, n, "%s", no_alias);
	if (!w->aliases_ok && fy_node_get_anchor(n))
		return anchor_fail(w, n, no_alias);
	if (fy_node_is_alias(n)) {
		w->resolve = 1;
		struct fy_node *t = fy_node_resolve_alias(n);
		if (!t)
			return walk_fail(w, n, "%s", "別名（*）の指すアンカー（&）がありません");
		struct fy_node *outer = w->alias;
		if (!outer)
			w->alias = n;
		hj_status ast = yaml_check(w, t, depth + 1);
		w->alias = outer;
		return ast;
	}
	size_t plen = strlen(w->path);
	hj_status st = HJ_OK;
	if (fy_node_is_scalar(n)) {
		size_t len;
		const char *s = fy_node_get_scalar(n, &len);
		if (s && memchr(s, '\0', len))
			return walk_fail(w, n, "%s", "NUL 文字（\\0）は書けません");
	} else if (fy_node_is_sequence(n)) {
		void *it = NULL;
		struct fy_node *c;
		for (int i = 0; !st && (c = fy_node_sequence_iterate(n, &it)); i++) {
			snprintf(w->path + plen, sizeof w->path - plen, "[%d]", i);
			st = yaml_check(w, c, depth + 1);
		}
	} else if (fy_node_is_mapping(n)) {
		void *it = NULL;
		struct fy_node_pair *p;
		if (!w->alias)
			st = dup_keys(w, n);
		while (!st && (p = fy_node_mapping_iterate(n, &it))) {
			struct fy_node *k = fy_node_pair_key(p);
			size_t kl = 0;
			const char *ks = hj_yaml_scalar(k, &kl);
			if (ks && kl == 2 && !memcmp(ks, "<<", 2))
				w->resolve = 1; /* a merge key */
			if (ks && !memchr(ks, '\0', kl))
				snprintf(w->path + plen, sizeof w->path - plen, "%s%.*s", plen ? "." : "",
					 (int)(kl > 100 ? 100 : kl), ks);
			st = yaml_check(w, k, depth + 1);
			if (!st)
				st = yaml_check(w, fy_node_pair_value(p), depth + 1);
		}
	}
	w->path[plen] = '\0';
	return st;
}

typedef struct {
	const char *s;
	size_t len;
	struct fy_node *node;
	int order;
} key_ref;

static int key_cmp(const void *a, const void *b)
{
	const key_ref *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->s, y->s, n);
	if (!c)
		c = x->len < y->len ? -1 : x->len > y->len;
	return c ? c : x->order - y->order;
}

/* A key written twice in one mapping (libfyaml's own check compares
 * every key with every other: minutes for 20,000 keys, so it is off). */
static hj_status dup_keys(yaml_walk *w, struct fy_node *map)
{
	int n = fy_node_mapping_item_count(map);
	if (n < 2)
		return HJ_OK;
	key_ref *v = hj_calloc((size_t)n, sizeof *v);
	if (!v)
		return hj_error_set(w->err, HJ_ERR_NOMEM, w->file, 0, 0, NULL, "メモリが足りません");
	void *it = NULL;
	struct fy_node_pair *p;
	int k = 0;
	while (k < n && (p = fy_node_mapping_iterate(map, &it))) {
		struct fy_node *kn = fy_node_pair_key(p);
		size_t len;
		const char *t = hj_yaml_scalar(kn, &len);
		if (t && !fy_node_is_alias(kn))
			v[k].s = t, v[k].len = len, v[k].node = kn, v[k].order = k, k++;
	}
	qsort(v, (size_t)k, sizeof *v, key_cmp);
	hj_status st = HJ_OK;
	key_ref *dup = NULL;
	for (int i = 1; i < k; i++)
		if (v[i].len == v[i - 1].len && !memcmp(v[i].s, v[i - 1].s, v[i].len) &&
		    (!dup || v[i].order < dup->order))
			dup = &v[i]; /* the first repeated key in the text */
	if (dup) {
		key_ref *first = dup - 1;
		while (first > v && first[-1].len == dup->len && !memcmp(first[-1].s, dup->s, dup->len))
			first--;
		char name[128];
		snprintf(name, sizeof name, "%.*s", (int)(dup->len > 100 ? 100 : dup->len), dup->s);
		st = hj_error_set(w->err, w->st, w->file, hj_yaml_line(dup->node) + w->line0, hj_yaml_col(dup->node),
				  w->path[0] ? w->path : NULL, "項目 '%s' が二度書かれています（%d行目にも）", name,
				  hj_yaml_line(first->node) + w->line0);
	}
	hj_free(v);
	return st;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n > m && !strcmp(s + n - m, suffix);
}

struct fy_document *hj_yaml_parse(const char *text, size_t len, const char *file,
				  int line0, hj_status st, hj_error *err)
{
	int json = file && (ends_with(file, ".json") || ends_with(file, ".jsonl"));
	return hj_yaml_parse_opts(text, len, file, line0, st, json ? HJ_YAML_JSON : 0, err);
}

struct fy_document *hj_yaml_parse_opts(const char *text, size_t len, const char *file, int line0,
				       hj_status st, int opts, hj_error *err)
{
	if (!file)
		file = "";
	if (prescan(text, len, file, line0, st, err))
		return NULL;
	struct fy_diag_cfg dcfg;
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = quiet_output;
	dcfg.colorize = false;
	struct fy_diag *diag = fy_diag_create(&dcfg);
	if (!diag) {
		hj_error_set(err, HJ_ERR_NOMEM, file, 0, 0, NULL, "メモリが足りません");
		return NULL;
	}
	fy_diag_set_collect_errors(diag, true);
	struct fy_parse_cfg cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2 | FYPCF_ALLOW_DUPLICATE_KEYS |
		    (opts & HJ_YAML_JSON ? FYPCF_JSON_FORCE : FYPCF_JSON_NONE);
	cfg.diag = diag;
	struct fy_document *doc = NULL;
	int second = 0, sline = 0, scol = 0;
	errno = 0;
	struct fy_parser *fyp = fy_parser_create(&cfg);
	if (fyp && fy_parser_set_string(fyp, text, len) == 0) {
		doc = fy_parse_load_document(fyp);
		if (doc && !fy_diag_got_error(diag)) {
			/* one document only: a second one would be dropped */
			struct fy_event *ev = fy_parser_parse(fyp);
			if (ev && ev->type == FYET_DOCUMENT_START) {
				const struct fy_mark *m = fy_event_start_mark(ev);
				second = 1;
				sline = m ? m->line + 1 : 0;
				scol = m ? m->column + 1 : 0;
			}
			if (ev)
				fy_parser_event_free(fyp, ev);
		} else if (!doc && !fy_diag_got_error(diag) && errno != ENOMEM) {
			doc = fy_document_create(&cfg); /* an empty text: no document */
		}
	}
	int nomem = errno == ENOMEM || !fyp;
	if (second) {
		hj_error_set(err, st, file, sline + line0, scol, NULL,
			     "YAML の文書が二つ以上あります（--- で始まる二つ目の文書）。1ファイルに文書は一つだけです");
	} else if (!doc || fy_diag_got_error(diag)) {
		void *it = NULL;
		struct fy_diag_error *de = fy_diag_errors_iterate(diag, &it);
		if (de)
			/* libfyaml's collected positions are 1-based already */
			hj_error_set(err, st, file, de->line + line0, de->column, NULL,
				     "YAML/JSON として読めません: %s", de->msg ? de->msg : "");
		else if (nomem)
			hj_error_set(err, HJ_ERR_NOMEM, file, 0, 0, NULL, "メモリが足りません");
		else
			hj_error_set(err, st, file, line0 ? line0 + 1 : 0, 0, NULL,
				     "YAML/JSON として読めません");
	} else {
		yaml_walk w;
		memset(&w, 0, sizeof w);
		w.file = file;
		w.line0 = line0;
		w.st = st;
		w.err = err;
		w.text = text;
		w.len = len;
		w.aliases_ok = (opts & HJ_YAML_ALIASES) || st == HJ_ERR_RULEBOOK;
		if (!yaml_check(&w, fy_document_root(doc), 0)) {
			errno = 0;
			/* only when needed: libfyaml's resolution compares every
			 * key of a mapping with every other */
			if (!w.resolve || fy_document_resolve(doc) == 0)
				goto done;
			if (errno == ENOMEM)
				hj_error_set(err, HJ_ERR_NOMEM, file, 0, 0, NULL, "メモリが足りません");
			else
				hj_error_set(err, st, file, line0 ? line0 + 1 : 0, 0, NULL,
					     "YAML のアンカー・別名を解決できません");
		}
	}
	if (doc)
		fy_document_destroy(doc);
	doc = NULL;
done:
	if (fyp)
		fy_parser_destroy(fyp);
	fy_diag_destroy(diag);
	return doc;
}

static const struct fy_mark *node_mark(struct fy_node *n, int depth)
{
	if (!n || depth > 8)
		return NULL;
	if (fy_node_is_scalar(n)) {
		struct fy_token *t = fy_node_get_scalar_token(n);
		return t ? fy_token_start_mark(t) : NULL;
	}
	void *it = NULL;
	if (fy_node_is_mapping(n)) {
		struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
		return p ? node_mark(fy_node_pair_key(p), depth + 1) : NULL;
	}
	if (fy_node_is_sequence(n)) {
		struct fy_node *c = fy_node_sequence_iterate(n, &it);
		return node_mark(c, depth + 1);
	}
	return NULL;
}

int hj_yaml_line(struct fy_node *n)
{
	const struct fy_mark *m = node_mark(n, 0);
	return m ? m->line + 1 : 0;
}

int hj_yaml_col(struct fy_node *n)
{
	const struct fy_mark *m = node_mark(n, 0);
	return m ? m->column + 1 : 0;
}

const char *hj_yaml_scalar(struct fy_node *n, size_t *len)
{
	if (!n || !fy_node_is_scalar(n))
		return NULL;
	const char *s = fy_node_get_scalar(n, len);
	if (!s) {
		*len = 0;
		return "";
	}
	return s;
}

int hj_str_index(const char *const *list, const char *s, size_t len)
{
	for (int i = 0; s && list[i]; i++)
		if (strlen(list[i]) == len && !memcmp(list[i], s, len))
			return i;
	return -1;
}

int hj_yaml_is(struct fy_node *n, const char *s)
{
	size_t len;
	const char *t = hj_yaml_scalar(n, &len);
	return t && strlen(s) == len && !memcmp(s, t, len);
}

struct fy_node *hj_yaml_unknown_key(struct fy_node *map, const char *const *allowed)
{
	void *it = NULL;
	struct fy_node_pair *p;
	while ((p = fy_node_mapping_iterate(map, &it))) {
		size_t len;
		struct fy_node *k = fy_node_pair_key(p);
		const char *t = hj_yaml_scalar(k, &len);
		if (hj_str_index(allowed, t, len) < 0)
			return k;
	}
	return NULL;
}

void hj_yaml_key_list(const char *const *allowed, char *buf, size_t size)
{
	size_t o = 0;
	buf[0] = 0;
	for (int i = 0; allowed[i] && o < size; i++) {
		int w = snprintf(buf + o, size - o, "%s%s", i ? ", " : "", allowed[i]);
		if (w < 0)
			break;
		o += (size_t)w;
	}
}

char *hj_read_file(const char *path, size_t *len, hj_error *err, hj_status st)
{
	/* opened without blocking, so that a FIFO with no writer cannot hang
	 * the open; then only what may be read: a regular file, or (for an
	 * input named on the command line, not a rulebook file) a pipe */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat sb = { 0 };
	if (fd < 0) {
		hj_error_set(err, st == HJ_OK ? HJ_ERR_IO : st, path, 0, 0, NULL,
			     "ファイルを開けません: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &sb) || !(S_ISREG(sb.st_mode) || (S_ISFIFO(sb.st_mode) && st != HJ_ERR_RULEBOOK))) {
		close(fd);
		hj_error_set(err, st == HJ_OK ? HJ_ERR_IO : st, path, 0, 0, NULL, "%s",
			     S_ISDIR(sb.st_mode) ? "ディレクトリです（ファイルを指定してください）"
						 : "通常のファイルではありません（FIFO・デバイスなどは読みません）");
		return NULL;
	}
	int fl = fcntl(fd, F_GETFL);
	FILE *fp = fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) ? NULL : fdopen(fd, "rb");
	if (!fp) {
		close(fd);
		hj_error_set(err, st == HJ_OK ? HJ_ERR_IO : st, path, 0, 0, NULL,
			     "ファイルを開けません: %s", strerror(errno));
		return NULL;
	}
	/* a bound on the bytes kept, however big the file (docs/cli.md) */
	size_t limit = st == HJ_ERR_RULEBOOK ? HJ_MAX_RULE_FILE : HJ_MAX_INPUT_FILE;
	const char *limit_text = st == HJ_ERR_RULEBOOK ? HJ_MAX_RULE_FILE_TEXT : HJ_MAX_INPUT_FILE_TEXT;
	size_t cap = 65536, n = 0;
	char *buf = hj_malloc(cap);
	while (buf) {
		if (n > limit) {
			hj_free(buf);
			fclose(fp);
			hj_error_set(err, st == HJ_OK ? HJ_ERR_INPUT : st, path, 0, 0, NULL,
				     "ファイルが大きすぎます（%s まで）", limit_text);
			return NULL;
		}
		if (n + 1 >= cap) {
			char *nb = hj_realloc(buf, cap * 2);
			if (!nb) {
				hj_free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		size_t r = fread(buf + n, 1, cap - n - 1, fp);
		n += r;
		if (r == 0)
			break;
	}
	int bad = ferror(fp);
	fclose(fp);
	if (!buf) {
		hj_error_set(err, HJ_ERR_NOMEM, path, 0, 0, NULL, "メモリが足りません");
		return NULL;
	}
	if (bad) {
		hj_free(buf);
		hj_error_set(err, HJ_ERR_IO, path, 0, 0, NULL, "ファイルを読めません");
		return NULL;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}
