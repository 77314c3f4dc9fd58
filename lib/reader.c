/*
 * reader.c - streaming many applicants from CSV or JSON Lines.
 *
 * CSV: the first row names the columns: fact names from rules/facts.yaml
 * (e.g. legal_form, capital, employees, expenses), plus 'name' and
 * 'date'. Every later row is one applicant; an empty cell leaves the fact
 * unknown. libcsv does the quoting; rows are fed to it line by line, so
 * memory stays constant however long the file is.
 * JSON Lines: one input document (the same shape as a YAML input file)
 * per line; blank lines are skipped.
 * Refused, naming the line and column: a row with fewer or more cells
 * than the header, a column named twice, a NUL byte in a cell, an
 * unterminated quote, a quote not followed by a separator, a row longer
 * than MAX_LINE (a quoted cell spanning lines included), and a file with
 * no record. A UTF-8 byte order mark (Excel's CSV) before the header is
 * skipped. After a malformed quote or an over-long row the reader stops
 * (the rest cannot be split into cells reliably).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <csv.h>
#include "hojo/suggest.h"
#include "hojo/alloc.h"
#include "facts-int.h"
#include "reader-int.h"
#include "yaml.h"

#define MAX_COLS 256
#define MAX_LINE (1 << 20)
#define READ_BUF (1 << 18)
#define BUF_SPARE 16 /* bytes after a buffer's end: a sentinel, 8-byte loads */

enum { COL_ID = HJ_COL_ID, COL_IGNORE = -3, COL_NAME = HJ_COL_NAME, COL_DATE = HJ_COL_DATE };

/* An id or label of an enum, for the fast path's lookup. */
struct enum_ent {
	uint64_t w, w2;       /* its first 8 bytes, the next 8 (zero-padded) */
	uint64_t mask, mask2; /* the bytes of w and w2 that are the value's */
	size_t len;
	const char *s;
	int val;
};

struct hj_reader {
	const hj_rulebook *rb;
	FILE *in;
	char name[256];
	hj_format fmt;
	struct csv_parser csv;
	int header_done;
	int header_bad;  /* the header was refused: no row can be read */
	int ncols;
	int cols[MAX_COLS];
	uint8_t kind[MAX_COLS]; /* KIND_* of each column, for the fast path */
	int ent_from[MAX_COLS], ent_to[MAX_COLS]; /* an enum column's ents */
	struct enum_ent *ents;
	int nents, entcap;
	int col_facts[MAX_COLS + 1]; /* the facts a record can set */
	int ncol_facts;
	int ncol_series; /* the first ncol_series of col_facts are series facts */
	/* the row being parsed */
	hj_facts *cur;
	int col;
	int row_done;
	hj_status row_st;
	hj_error *row_err;
	char *line;
	size_t linecap;
	char *rbuf;    /* read buffer: lines are read with a bound */
	size_t rpos, rend;
	long rbase;    /* file offset of rbuf[0] */
	long lineno;
	long rowline;
	long end;      /* stop before this byte offset (-1: read to EOF) */
	long nrows;    /* records returned (good or bad) */
	size_t rowbytes; /* bytes of the row being parsed */
	int first_empty; /* the row's first cell is empty (a blank line) */
	int nul_line;  /* the line being parsed has a NUL byte: look for it per cell */
	int cleared;   /* the record's column facts were cleared before its line was read
			* (else fast_line clears those of the cells it does not store) */
	int fatal;     /* the CSV cannot be read further */
	hj_columns colopt; /* the column map and --ignore-extra-columns */
	/* hj_reader_own: the facts only this reader fills, and whether they
	 * hold one of its CSV records (then only its columns are cleared) */
	const hj_facts *own;
	int own_filled;
};

/* The name of column c (0-based) for messages. */
static const char *col_name(const hj_reader *r, int c)
{
	if (c < 0 || c >= r->ncols)
		return NULL;
	return r->cols[c] == COL_NAME ? "name"
	       : r->cols[c] == COL_DATE ? "date"
	       : r->cols[c] >= 0 ? r->rb->facts[r->cols[c]].name
				  : NULL;
}

hj_status hj_reader_set_columns(hj_reader *r, const hj_columns *c, hj_error *err)
{
	memset(&r->colopt, 0, sizeof r->colopt);
	if (!c)
		return HJ_OK;
	for (int i = 0; i < c->nmap; i++) {
		const char *eq = strchr(c->map[i], '=');
		if (!eq || eq == c->map[i] || hj_rb_column_target(r->rb, eq + 1) == HJ_COL_NONE)
			return hj_error_set(err, HJ_ERR_INPUT, r->name, 0, 0, "--column",
					    "'%s': 列名=事実名 の事実名が規則集の事実ではありません（事実名・入力の項目名、または id, name, date）",
					    c->map[i]);
	}
	r->colopt = *c;
	return HJ_OK;
}

static void on_header_field(void *s, size_t len, void *ud)
{
	hj_reader *r = ud;
	if (r->row_st)
		return;
	if (r->ncols >= MAX_COLS) {
		r->row_st = hj_error_set(r->row_err, HJ_ERR_INPUT, r->name, (int)r->rowline, r->ncols + 1, NULL,
					 "列が多すぎます（%d列まで）", MAX_COLS);
		return;
	}
	if (r->nul_line && len && memchr(s, 0, len)) {
		r->row_st = hj_error_set(r->row_err, HJ_ERR_INPUT, r->name, (int)r->rowline, r->ncols + 1, NULL,
					 "見出しに NUL 文字（\\0）があります");
		return;
	}
	char nm[128];
	snprintf(nm, sizeof nm, "%.*s", (int)(len > 120 ? 120 : len), (const char *)s);
	/* the column map: --column NAME=FACT first, then the rulebook's columns: */
	const char *target = nm;
	for (int i = 0; i < r->colopt.nmap && target == nm; i++) {
		const char *m = r->colopt.map[i], *eq = strchr(m, '=');
		if (eq && (size_t)(eq - m) == strlen(nm) && !strncmp(m, nm, (size_t)(eq - m)))
			target = eq + 1;
	}
	for (int i = 0; i < r->rb->ncolmap && target == nm; i++)
		if (!strcmp(r->rb->col_from[i], nm))
			target = r->rb->col_to[i];
	int id = hj_rb_column_target(r->rb, target);
	if (id == HJ_COL_NONE && r->colopt.ignore_extra)
		id = COL_IGNORE; /* --ignore-extra-columns */
	else if (id == HJ_COL_NONE) {
		/* did you mean: the nearest fact name */
		const char *near = NULL;
		int bestd = 1 << 20;
		for (int i = 0; i < r->rb->nfacts; i++) {
			const char *c = r->rb->facts[i].name;
			if (r->rb->facts[i].how == HJ_FACT_DERIVED || hj_suggest(nm, strlen(nm), &c, 1) < 0)
				continue;
			int d = hj_edit_distance(nm, strlen(nm), c);
			if (d < bestd)
				bestd = d, near = c;
		}
		r->row_st = hj_error_set(r->row_err, HJ_ERR_INPUT, r->name, (int)r->rowline, r->ncols + 1, nm,
					 "未知の列 '%s'（%s%s%s列名は hojo facts の名前か id, name, date です。列の対応は "
					 "--column 列=事実、読み飛ばすには --ignore-extra-columns）",
					 nm, near ? "もしかして '" : "", near ? near : "", near ? "'？ " : "");
		return;
	}
	/* two columns for one fact (a map may rename one onto another) */
	for (int i = 0; id != COL_IGNORE && i < r->ncols; i++)
		if (r->cols[i] == id) {
			r->row_st = hj_error_set(r->row_err, HJ_ERR_INPUT, r->name, (int)r->rowline, r->ncols + 1,
						 col_name(r, i), "列 '%s' が2回あります（%d列目と%d列目、どちらも項目 '%s'）", nm,
						 i + 1, r->ncols + 1, target);
			return;
		}
	r->cols[r->ncols++] = id;
}

/* snprintf(dst, size, "%.*s", len, src) without the printf machinery
 * (once per record for the id) */
static void copy_cell(char *dst, size_t size, const char *src, size_t len)
{
	if (len >= size)
		len = size - 1;
	if (len)
		memcpy(dst, src, len);
	dst[len] = '\0';
}

/* A second record in one line: libcsv ends a record at a lone CR too, so
 * "a,b<CR>c,d" would be two records where the file has one line. Refused:
 * the second would be read into no record (the header's line) or over the
 * first, and lost without a word. */
static void lone_cr(hj_reader *r)
{
	if (!r->row_st)
		r->row_st = hj_error_set(r->row_err, HJ_ERR_INPUT, r->name, (int)r->lineno, 0, NULL,
					 "行の途中に改行コード CR があります（CR だけの改行は読めません。LF か CRLF の改行で保存してください）");
}

static void on_field(void *s, size_t len, void *ud)
{
	hj_reader *r = ud;
	if (r->row_done) {
		lone_cr(r);
		return;
	}
	if (!r->header_done) {
		on_header_field(s, len, ud);
		return;
	}
	int c = r->col++;
	if (c == 0)
		r->first_empty = len == 0;
	if (c == r->ncols) {
		/* reported even after an error in an earlier field of the row:
		 * an unquoted comma (1,000万円) shifts every later column, and
		 * their errors would hide the cause */
		r->row_st = hj_error_set(r->row_err, HJ_ERR_INPUT, r->name, (int)r->rowline, c + 1, NULL,
					 "列が見出しより多くあります（見出しは%d列）。カンマを含む値（1,000万円）は \"1,000万円\" のように二重引用符で囲んでください",
					 r->ncols);
		return;
	}
	if (r->row_st || c > r->ncols)
		return;
	if (r->nul_line && len && memchr(s, 0, len)) {
		r->row_st = hj_error_set(r->row_err, HJ_ERR_INPUT, r->name, (int)r->rowline, c + 1, col_name(r, c),
					 "セルに NUL 文字（\\0）があります");
		return;
	}
	int id = r->cols[c];
	const char *p = s;
	if (id == COL_ID) {
		if (len >= sizeof r->cur->id)
			r->row_st = hj_error_set(r->row_err, HJ_ERR_INPUT, r->name, (int)r->rowline, c + 1, "id",
						 "id が長すぎます（127バイトまで）");
		else
			copy_cell(r->cur->id, sizeof r->cur->id, p, len);
	} else if (id == COL_NAME) {
		copy_cell(r->cur->name, sizeof r->cur->name, p, len);
	} else if (id == COL_DATE) {
		if (len) {
			hj_error e;
			hj_error_clear(&e);
			if (hj_date_parse(p, len, &r->cur->date, &e))
				r->row_st = hj_error_set(r->row_err, HJ_ERR_INPUT, r->name, (int)r->rowline, c + 1, "date",
							 "%s", e.message);
			else {
				r->cur->has_date = 1;
				if (r->rb->f_date >= 0) {
					r->cur->vals[r->rb->f_date].known = 1;
					r->cur->vals[r->rb->f_date].u.date = r->cur->date;
				}
			}
		}
	} else if (id >= 0) {
		hj_status st = hj_facts_set_cell(r->cur, id, p, len, r->row_err);
		if (st) {
			r->row_st = st;
			snprintf(r->row_err->file, sizeof r->row_err->file, "%s", r->name);
			r->row_err->line = (int)r->rowline;
			r->row_err->col = c + 1;
			snprintf(r->row_err->field, sizeof r->row_err->field, "%s", r->rb->facts[id].name);
		}
	}
}

static void set_kinds(hj_reader *r);

static void on_row(int ch, void *ud)
{
	(void)ch;
	hj_reader *r = ud;
	if (r->row_done) { /* the end of a second record in one line */
		lone_cr(r);
		return;
	}
	if (!r->header_done) {
		r->header_done = 1;
		r->row_done = 1;
		set_kinds(r);
		return;
	}
	/* one empty cell is a blank line (skipped by hj_reader_next) */
	if (!r->row_st && r->col < r->ncols && !(r->col == 1 && r->first_empty))
		r->row_st = hj_error_set(r->row_err, HJ_ERR_INPUT, r->name, (int)r->rowline, r->col, NULL,
					 "列が見出しより少なくあります（%d列のうち%d列）", r->ncols, r->col);
	r->row_done = 1;
}

hj_status hj_reader_open(const hj_rulebook *rb, FILE *in, const char *name, hj_format fmt, hj_reader **out,
			 hj_error *err)
{
	*out = NULL;
	struct stat sb;
	if (!fstat(fileno(in), &sb) && S_ISDIR(sb.st_mode))
		return hj_error_set(err, HJ_ERR_INPUT, name, 0, 0, NULL, "ディレクトリです（ファイルを指定してください）");
	hj_reader *r = hj_calloc(1, sizeof *r);
	if (!r)
		return hj_error_set(err, HJ_ERR_NOMEM, name, 0, 0, NULL, "メモリが足りません");
	r->rb = rb;
	r->in = in;
	snprintf(r->name, sizeof r->name, "%s", name ? name : "-");
	if (fmt == HJ_FMT_AUTO) {
		size_t n = strlen(r->name);
		fmt = (n > 6 && !strcmp(r->name + n - 6, ".jsonl")) || (n > 5 && !strcmp(r->name + n - 5, ".json"))
			      ? HJ_FMT_JSONL
			      : HJ_FMT_CSV;
	}
	r->fmt = fmt;
	r->end = -1;
	r->rbuf = hj_malloc(READ_BUF + BUF_SPARE);
	if (!r->rbuf) {
		hj_free(r);
		return hj_error_set(err, HJ_ERR_NOMEM, name, 0, 0, NULL, "メモリが足りません");
	}
	if (in) {
		long at = ftell(in);
		r->rbase = at > 0 ? at : 0;
	}
	if (fmt == HJ_FMT_CSV && csv_init(&r->csv, CSV_APPEND_NULL | CSV_EMPTY_IS_NULL | CSV_STRICT | CSV_STRICT_FINI) != 0) {
		hj_free(r->rbuf);
		hj_free(r);
		return hj_error_set(err, HJ_ERR_NOMEM, name, 0, 0, NULL, "メモリが足りません");
	}
	*out = r;
	return HJ_OK;
}

void hj_reader_free(hj_reader *r)
{
	if (!r)
		return;
	if (r->fmt == HJ_FMT_CSV)
		csv_free(&r->csv);
	hj_free(r->line);
	hj_free(r->rbuf);
	hj_free(r->ents);
	hj_free(r);
}

long hj_reader_line(const hj_reader *r) { return r->rowline; }

/*
 * Read one line into r->line (with its '\n'), keeping at most MAX_LINE
 * bytes: a longer line is read on to its end without being stored and is
 * an error, so memory stays bounded whatever the input.
 */
static hj_status read_line(hj_reader *r, ssize_t *n, hj_error *err)
{
	*n = -1;
	if (r->end >= 0 && r->rbase + (long)r->rpos >= r->end)
		return HJ_OK;
	size_t len = 0;
	int any = 0, over = 0;
	for (;;) {
		if (r->rpos == r->rend) {
			r->rbase += (long)r->rend;
			r->rpos = r->rend = 0;
			r->rend = fread(r->rbuf, 1, READ_BUF, r->in);
			if (!r->rend)
				break;
		}
		any = 1;
		const char *s = r->rbuf + r->rpos;
		const char *nl = memchr(s, '\n', r->rend - r->rpos);
		size_t take = nl ? (size_t)(nl - s) + 1 : r->rend - r->rpos;
		if (!over && len + take > MAX_LINE)
			over = 1;
		if (!over) {
			if (len + take + BUF_SPARE > r->linecap) {
				size_t cap = r->linecap ? r->linecap : 256;
				while (cap < len + take + BUF_SPARE)
					cap *= 2;
				char *nb = hj_realloc(r->line, cap);
				if (!nb)
					return hj_error_set(err, HJ_ERR_NOMEM, r->name, (int)r->lineno + 1, 0, NULL,
							    "メモリが足りません");
				r->line = nb;
				r->linecap = cap;
			}
			memcpy(r->line + len, s, take);
			len += take;
		}
		r->rpos += take;
		if (nl)
			break;
	}
	if (ferror(r->in))
		return hj_error_set(err, HJ_ERR_IO, r->name, (int)r->lineno, 0, NULL, "読み込みに失敗しました");
	if (!any)
		return HJ_OK;
	r->lineno++;
	if (over)
		return hj_error_set(err, HJ_ERR_INPUT, r->name, (int)r->lineno, 0, NULL,
				    "行が長すぎます（1行 1MiB = 1,048,576 バイトまで）");
	r->line[len] = '\0';
	*n = (ssize_t)len;
	return HJ_OK;
}

/* For the fast path below: 1 for the ends of a cell (comma, line feed),
 * 2 for the bytes that make a line take libcsv's path (quotes, the spaces
 * and tabs libcsv trims around fields, carriage returns, NUL). */
static const uint8_t csv_class[256] = { [','] = 1, ['\n'] = 1, ['"'] = 2, [' '] = 2,
					['\t'] = 2, ['\r'] = 2, ['\0'] = 2 };

/* What the fast path may store itself in a column: a yen or number fact
 * (plain digits; a yen fact also N万 and N万円), a yes/no fact, an enum
 * fact (an id or label as it is), each an input or presence fact (which
 * hj_facts_set_text parses alike); the id, the name, an ignored column. */
enum { KIND_OTHER = 0, KIND_NUMBER, KIND_YEN, KIND_BOOL, KIND_ENUM, KIND_ID, KIND_NAME, KIND_SKIP };

/* The first 8 bytes of s (fewer when len < 8, the rest zero). */
static uint64_t word8(const char *s, size_t len)
{
	uint64_t w = 0;
	memcpy(&w, s, len < 8 ? len : 8);
	return w;
}

/* The same from a cell of the read buffer or the line buffer (both
 * have 16 bytes to spare after their last byte, so 8 can be loaded). */
static uint64_t load8(const char *s, size_t len)
{
	uint64_t w;
	memcpy(&w, s, 8);
	return len < 8 ? w & ((1ULL << (8 * len)) - 1) : w;
}

/* The mask of the first n bytes of a word (all of it from 8). */
static uint64_t bytes_mask(size_t n)
{
	return n >= 8 ? ~0ULL : (1ULL << (8 * n)) - 1;
}

/*
 * The ASCII digits at the start of the 8 bytes at p (0-8 of them), and
 * their value in *val. A byte is not a digit when b - '0' or b + 0x46
 * has its high bit set; carries and borrows only run upwards from such a
 * byte, so the lowest flagged byte is the first non-digit. The digits,
 * shifted to the top (leading zeros below), are combined pairwise.
 */
static inline unsigned digits8(const char *p, uint64_t *val)
{
	uint64_t x;
	memcpy(&x, p, 8);
	uint64_t t = x - 0x3030303030303030ULL;
	uint64_t nd = (t | (x + 0x4646464646464646ULL)) & 0x8080808080808080ULL;
	unsigned n = nd ? (unsigned)__builtin_ctzll(nd) >> 3 : 8;
	if (!n) {
		*val = 0;
		return 0;
	}
	t <<= 8 * (8 - n);
	t = ((t & 0x0F0F0F0F0F0F0F0FULL) * 2561) >> 8;
	t = ((t & 0x00FF00FF00FF00FFULL) * 6553601) >> 16;
	*val = ((t & 0x0000FFFF0000FFFFULL) * 42949672960001ULL) >> 32;
	return n;
}

static void set_kinds(hj_reader *r)
{
	r->ncol_facts = 0;
	r->nents = 0;
	/* the series facts first, then the others */
	for (int pass = 0; pass < 2; pass++) {
		for (int c = 0; c < r->ncols; c++) {
			int id = r->cols[c] >= 0 ? r->cols[c] : r->cols[c] == COL_DATE ? r->rb->f_date : -1;
			if (id >= 0 && (r->rb->facts[id].type.ty == HJ_TY_SERIES) == !pass)
				r->col_facts[r->ncol_facts++] = id;
		}
		if (!pass)
			r->ncol_series = r->ncol_facts;
	}
	for (int c = 0; c < r->ncols; c++) {
		int id = r->cols[c];
		const hj_fact *ft = id >= 0 ? &r->rb->facts[id] : NULL;
		r->kind[c] = id == COL_ID ? KIND_ID
			     : id == COL_NAME ? KIND_NAME
			     : id == COL_IGNORE ? KIND_SKIP
			     : !ft || (ft->how != HJ_FACT_INPUT && ft->how != HJ_FACT_PRESENCE) ? KIND_OTHER
			     : ft->type.ty == HJ_TY_YEN ? KIND_YEN
			     : ft->type.ty == HJ_TY_NUM ? KIND_NUMBER
			     : ft->type.ty == HJ_TY_BOOL ? KIND_BOOL
			     : ft->type.ty == HJ_TY_ENUM ? KIND_ENUM
							 : KIND_OTHER;
		r->ent_from[c] = r->ent_to[c] = 0;
		int e = ft ? ft->type.enum_id : -1;
		if (r->kind[c] != KIND_ENUM || e < 0 || e >= r->rb->nenums)
			continue;
		/* the enum's ids, then its labels: hj_rb_enum_value's order */
		const hj_enum *en = &r->rb->enums[e];
		if (r->nents + 2 * en->n > r->entcap) {
			int cap = r->nents + 2 * en->n + 16;
			struct enum_ent *nb = hj_realloc(r->ents, (size_t)cap * sizeof *nb);
			if (!nb) {
				r->kind[c] = KIND_OTHER; /* the general path then */
				continue;
			}
			r->ents = nb;
			r->entcap = cap;
		}
		r->ent_from[c] = r->nents;
		for (int pass = 0; pass < 2; pass++)
			for (int i = 0; i < en->n; i++) {
				const char *s = pass ? en->labels[i] : en->ids[i];
				size_t len = strlen(s), j = 0;
				while (j < len && !csv_class[(uint8_t)s[j]])
					j++;
				if (!len || j < len)
					continue; /* no plain cell can be it */
				r->ents[r->nents++] = (struct enum_ent){
					word8(s, len), len > 8 ? word8(s + 8, len - 8) : 0, bytes_mask(len),
					len > 8 ? bytes_mask(len - 8) : 0, len, s, i
				};
			}
		r->ent_to[c] = r->nents;
	}
}

/* Clear the fact of column c (the date column's: the date fact), as
 * hj_facts_reset_only clears it. */
static inline void clear_col(hj_reader *r, hj_facts *f, int c)
{
	int id = r->cols[c] == COL_DATE ? r->rb->f_date : r->cols[c];
	if (id >= 0) {
		memset(&f->vals[id], 0, sizeof f->vals[id]);
		f->lines[id] = 0;
		f->alias_of[id] = NULL;
	}
}

/* The same for columns c.. to the last. */
static void clear_from(hj_reader *r, hj_facts *f, int c)
{
	for (; c < r->ncols; c++)
		clear_col(r, f, c);
}

/* Undo what fast_line stored for cells 0..ncells-1 before it gave the
 * line to libcsv: the facts were cleared for this record (or will be,
 * when not: hj_reader_next clears them before libcsv reads the line), so
 * clearing them again restores them. */
static void fast_undo(hj_reader *r, int ncells)
{
	hj_facts *f = r->cur;
	for (int c = 0; c < ncells && c < r->ncols; c++) {
		int id = r->cols[c];
		if (id >= 0) {
			memset(&f->vals[id], 0, sizeof f->vals[id]);
			f->alias_of[id] = NULL;
		} else if (id == COL_ID)
			f->id[0] = '\0';
		else if (id == COL_NAME)
			f->name[0] = '\0';
	}
	r->col = 0;
}

/*
 * One cell of column c at *pp, read by the column's kind, for fast_line:
 * returns 1, with *pp at the cell's end (',' or '\n'), when the cell was
 * stored with the value hj_facts_set_cell would give it, or is empty (its
 * fact is then cleared, unless the record's facts were: on_field would
 * leave it unknown); 0 when on_field must take it.
 */
static inline __attribute__((always_inline)) int fast_cell(hj_reader *r, hj_facts *f, int c, char **pp)
{
	char *s = *pp, *p = s;
	int id = r->cols[c];
	unsigned k = r->kind[c];
	switch (k) {
	case KIND_NUMBER:
	case KIND_YEN: {
		/* 8 digits at a time; the next 8 are read only after 8 digits */
		static const uint64_t pow10[9] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000 };
		uint64_t v, v2;
		size_t len = digits8(p, &v);
		if (len == 8) {
			unsigned n2 = digits8(p + 8, &v2);
			v = v * pow10[n2] + v2;
			len += n2;
		}
		p += len;
		if (len - 1 >= 14) { /* none, or more than 14 digits */
			if (len == 0 && csv_class[(uint8_t)*p] == 1)
				goto empty;
			return 0;
		}
		if (csv_class[(uint8_t)*p] != 1) {
			/* N万, N万円 (hj_yen_parse's fast path) */
			if (k != KIND_YEN || memcmp(p, "\xE4\xB8\x87", 3))
				return 0;
			size_t u = csv_class[(uint8_t)p[3]] == 1 ? 3
				   : !memcmp(p + 3, "\xE5\x86\x86", 3) && csv_class[(uint8_t)p[6]] == 1 ? 6
													     : 0;
			if (!u)
				return 0;
			p += u;
			v *= 10000;
		}
		f->vals[id] = hj_value_frac(hj_frac_int((int64_t)v));
		f->alias_of[id] = NULL;
		break;
	}
	case KIND_BOOL: {
		/* what parse_value accepts in ASCII: 0, 1, and true, false,
		 * yes, no in any case (a byte after the word is read only when
		 * the word's bytes matched, so it is the line's) */
		uint64_t w = load8(s, 8) | 0x2020202020ULL;
		int b = -1;
		if ((*s == '0' || *s == '1') && csv_class[(uint8_t)s[1]] == 1)
			b = *s == '1', p = s + 1;
		else if ((w & 0xFFFFFFFFULL) == 0x65757274ULL && csv_class[(uint8_t)s[4]] == 1)
			b = 1, p = s + 4; /* true */
		else if ((w & 0xFFFFFFFFFFULL) == 0x65736c6166ULL && csv_class[(uint8_t)s[5]] == 1)
			b = 0, p = s + 5; /* false */
		else if ((w & 0xFFFFFFULL) == 0x736579ULL && csv_class[(uint8_t)s[3]] == 1)
			b = 1, p = s + 3; /* yes */
		else if ((w & 0xFFFFULL) == 0x6f6eULL && csv_class[(uint8_t)s[2]] == 1)
			b = 0, p = s + 2; /* no */
		else if (csv_class[(uint8_t)*s] == 1)
			goto empty;
		if (b < 0)
			return 0;
		f->vals[id] = hj_value_bool(b);
		f->alias_of[id] = NULL;
		break;
	}
	case KIND_ENUM: {
		/* the ids and labels of the column's enum, each compared with
		 * the cell's first 8 (then 16) bytes and followed by its end; a
		 * byte is read only after those before it matched a value
		 * (which holds no ',', '\n' or byte of class 2), so it is the
		 * line's */
		if (csv_class[(uint8_t)*s] == 1)
			goto empty;
		uint64_t w = load8(s, 8);
		const struct enum_ent *e = r->ents + r->ent_from[c], *end = r->ents + r->ent_to[c];
		for (; e < end; e++) {
			if ((w & e->mask) != e->w)
				continue;
			if (e->len > 8) {
				if ((load8(s + 8, 8) & e->mask2) != e->w2)
					continue;
				size_t i = 16;
				while (i < e->len && s[i] == e->s[i])
					i++;
				if (i < e->len)
					continue;
			}
			if (csv_class[(uint8_t)s[e->len]] == 1)
				break;
		}
		if (e == end)
			return 0;
		p = s + e->len;
		hj_value v = hj_value_unknown();
		v.known = 1;
		v.u.sym = e->val;
		f->vals[id] = v;
		f->alias_of[id] = NULL;
		break;
	}
	case KIND_ID:
	case KIND_NAME:
	case KIND_SKIP: {
		while (!csv_class[(uint8_t)*p])
			p++;
		if (csv_class[(uint8_t)*p] != 1)
			return 0;
		size_t len = (size_t)(p - s);
		if (!len)
			goto empty;
		if (k == KIND_ID) {
			if (len >= sizeof f->id)
				return 0; /* on_field's error */
			if (len < 16) {
				/* one fixed-size copy (the buffers have 16
				 * bytes to spare; what follows the NUL is not
				 * read), then the NUL */
				memcpy(f->id, s, 16);
				f->id[len] = '\0';
			} else
				copy_cell(f->id, sizeof f->id, s, len);
		} else if (k == KIND_NAME)
			copy_cell(f->name, sizeof f->name, s, len);
		break;
	}
	default:
		if (csv_class[(uint8_t)*s] == 1)
			goto empty;
		return 0; /* on_field's value or error */
	}
	*pp = p;
	return 1;
empty:
	if (!r->cleared)
		clear_col(r, f, c);
	*pp = s;
	return 1;
}

/*
 * A data line with none of csv_class's bytes of class 2 (the usual case)
 * is split here, without libcsv, giving what libcsv's fields would give
 * through on_field: in one pass, each cell is read by fast_cell. At the
 * first cell it cannot take, the rest of the line is checked; then that
 * cell, and any cell after an error, goes to on_field, in order,
 * NUL-terminated as libcsv's (CSV_APPEND_NULL).
 * 'line' ends with a '\n': one before 'lim' is the line's end, one at
 * 'lim' a sentinel (the line is not all in the buffer). Returns the bytes
 * consumed with the '\n', or 0, having changed nothing, when libcsv must
 * read the line (also an empty line, which libcsv skips).
 */
static size_t fast_line(hj_reader *r, char *line, const char *lim)
{
	if (*line == '\n')
		return 0;
	hj_facts *f = r->cur;
	char *p = line;
	int c = 0, nc = r->ncols;
	r->first_empty = *line == ','; /* as on_field sets it for cell 0 */
	while (c < nc && fast_cell(r, f, c, &p)) {
		c++;
		if (*p == '\n') {
			if (p >= lim) {
				fast_undo(r, c);
				return 0;
			}
			r->col = c;
			if (c < nc) {
				if (!r->cleared)
					clear_from(r, f, c);
				on_row('\n', r); /* too few cells: its error */
			} else
				r->row_done = 1; /* on_row, with every cell */
			return (size_t)(p - line) + 1;
		}
		p++;
	}
	/* on_field's cell: the rest of the line must be plain first */
	for (const char *q = p;; q++) {
		uint8_t cl;
		while (!(cl = csv_class[(uint8_t)*q]))
			q++;
		if (cl == 2 || (*q == '\n' && q >= lim)) {
			fast_undo(r, c);
			return 0;
		}
		if (*q == '\n')
			break;
	}
	if (!r->cleared)
		clear_from(r, f, c);
	for (;; c++) {
		char *s = p;
		if (c < nc && !r->row_st && fast_cell(r, f, c, &p))
			r->col = c + 1;
		else {
			while (csv_class[(uint8_t)*p] != 1)
				p++;
			char t = *p;
			*p = '\0';
			r->col = c;
			on_field(s, (size_t)(p - s), r);
			*p = t;
		}
		if (*p == '\n')
			break;
		p++;
	}
	on_row('\n', r);
	return (size_t)(p - line) + 1;
}

/* A row begins on the next line; its errors go to 'err'. */
static void row_begin(hj_reader *r, hj_error *err)
{
	r->row_done = 0;
	r->row_st = HJ_OK;
	r->row_err = err;
	r->col = 0;
	r->rowline = r->lineno + 1;
	r->rowbytes = 0;
}

/* Feed CSV lines until one row is complete. */
static hj_status csv_row(hj_reader *r, int *eof, hj_error *err)
{
	row_begin(r, err);
	r->cleared = 1; /* hj_reader_next cleared the facts */
	if (r->fatal) {
		*eof = 1;
		return HJ_OK;
	}
	/* a whole plain line in the read buffer: split where it is */
	if (r->header_done && r->rpos < r->rend && (r->end < 0 || r->rbase + (long)r->rpos < r->end)) {
		r->rbuf[r->rend] = '\n'; /* the sentinel */
		size_t k = fast_line(r, r->rbuf + r->rpos, r->rbuf + r->rend);
		if (k) {
			r->rpos += k;
			r->lineno++;
			return r->row_st;
		}
	}
	while (!r->row_done) {
		ssize_t n;
		hj_status st = read_line(r, &n, err);
		if (st) {
			r->fatal = 1;
			return st;
		}
		if (n < 0) {
			if (csv_fini(&r->csv, on_field, on_row, r) != 0) {
				r->fatal = 1;
				return hj_error_set(err, HJ_ERR_INPUT, r->name, (int)r->rowline, r->col + 1,
						    col_name(r, r->col), "引用符 \" が閉じていません（%ld行目から最後まで）",
						    r->rowline);
			}
			if (!r->row_done) {
				*eof = 1;
				return HJ_OK;
			}
			break;
		}
		const char *p = r->line;
		size_t len = (size_t)n;
		if (r->lineno == 1 && len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
			p += 3, len -= 3; /* a UTF-8 byte order mark (Excel) */
		r->rowbytes += len;
		r->nul_line = memchr(p, 0, len) != NULL; /* once a line, not once a cell */
		if (r->rowbytes > MAX_LINE) {
			r->fatal = 1;
			return hj_error_set(err, HJ_ERR_INPUT, r->name, (int)r->rowline, r->col + 1, col_name(r, r->col),
					    "行が長すぎます（引用符の中の改行を含めて1MiBまで）");
		}
		if (r->header_done && !r->row_done && r->lineno == r->rowline) {
			/* a plain line: split here, checked as csv_parse would
			 * (a last line without '\n' is given one, as its end) */
			size_t m = (size_t)n;
			int nl = r->line[m - 1] == '\n';
			if (!nl)
				r->line[m] = '\n';
			size_t k = fast_line(r, r->line, r->line + m + !nl);
			r->line[m] = '\0';
			if (k)
				break;
		}
		if (csv_parse(&r->csv, p, len, on_field, on_row, r) != len) {
			r->fatal = 1;
			return hj_error_set(err, HJ_ERR_INPUT, r->name, (int)r->lineno, r->col + 1, col_name(r, r->col),
					    "CSV として読めません（引用符 \" で囲んだセルの後に , がありません）");
		}
	}
	return r->row_st;
}

/* At the end of a whole file (not a range of it): no record at all is an
 * error (an empty file, a header alone, blank lines). *eof stays set. */
static hj_status no_records(hj_reader *r, hj_error *err)
{
	if (r->nrows || r->end >= 0 || r->fatal)
		return HJ_OK;
	r->nrows = 1; /* said once */
	return hj_error_set(err, HJ_ERR_INPUT, r->name, r->lineno ? (int)r->lineno : 1, 0, NULL,
			    r->fmt == HJ_FMT_CSV ? "申請者の行がありません（見出し行だけです）"
						 : "申請者の行がありません（空のファイルです）");
}

/*
 * hj_facts_reset for facts that hold one of this reader's CSV records and
 * nothing else (hj_reader_own): a CSV row sets only its columns' facts
 * (and the date fact), the id, the name and the date, so only those facts
 * are cleared, with everything else hj_facts_reset clears.
 */
static void clear_columns(hj_reader *r, hj_facts *f)
{
	hj_facts_reset_only(f, r->col_facts, r->ncol_facts, r->ncol_series);
}

void hj_reader_own(hj_reader *r, const hj_facts *f)
{
	r->own = f;
	r->own_filled = 0;
}

hj_status hj_reader_next(hj_reader *r, hj_facts *f, int *eof, hj_error *err)
{
	*eof = 0;
	err->status = HJ_OK; /* hj_error_set fills every field on failure */
	hj_status st;
	/* the usual record of a batch: this reader's own facts, and a line
	 * whole in the read buffer that fast_line splits (csv_row's first
	 * step, without its calls) */
	if (f == r->own && r->own_filled && r->fmt == HJ_FMT_CSV && r->header_done && !r->fatal &&
	    r->rpos < r->rend && (r->end < 0 || r->rbase + (long)r->rpos < r->end)) {
		/* the column facts are not cleared first: fast_line stores or
		 * clears each (and if it gives the line to libcsv, they are
		 * cleared below) */
		hj_facts_reset_only(f, NULL, 0, 0);
		r->cleared = 0;
		r->cur = f;
		row_begin(r, err);
		r->rbuf[r->rend] = '\n'; /* the sentinel */
		size_t k = fast_line(r, r->rbuf + r->rpos, r->rbuf + r->rend);
		if (k) {
			r->rpos += k;
			r->lineno++;
			st = r->row_st;
			goto row_read;
		}
	}
	if (f == r->own && r->own_filled && r->fmt == HJ_FMT_CSV && r->header_done)
		clear_columns(r, f);
	else
		hj_facts_reset(f);
	r->own_filled = f == r->own;
	r->cur = f;
	if (r->fmt == HJ_FMT_CSV) {
		if (r->header_bad) {
			*eof = 1; /* reported once: the rows cannot be read without it */
			return HJ_OK;
		}
		if (!r->header_done) {
			st = csv_row(r, eof, err);
			if (st || *eof) {
				r->fatal = 1; /* no row can be read without its header */
				r->header_bad = 1;
				if (!st)
					return hj_error_set(err, HJ_ERR_INPUT, r->name, 1, 0, NULL,
							    "見出し行がありません");
				return st;
			}
		}
		for (;;) {
			st = csv_row(r, eof, err);
		row_read:
			/* a blank line ends up as one empty field: skip it */
			if (!st && !*eof && r->col == 1 && r->ncols > 1 && !f->name[0]) {
				int any = 0;
				for (int i = 0; i < f->rb->nfacts; i++)
					any |= f->vals[i].known;
				if (!any && !f->has_date)
					continue;
			}
			if (!st && *eof)
				return no_records(r, err);
			r->nrows++;
			return st;
		}
	}
	for (;;) {
		ssize_t n;
		st = read_line(r, &n, err);
		if (st)
			return st;
		if (n < 0) {
			*eof = 1;
			return no_records(r, err);
		}
		int blank = 1;
		for (ssize_t i = 0; i < n; i++)
			if (r->line[i] != ' ' && r->line[i] != '\t' && r->line[i] != '\n' && r->line[i] != '\r')
				blank = 0;
		if (blank)
			continue;
		r->rowline = r->lineno;
		r->nrows++;
		/* strict JSON whatever the file's name (--input-format jsonl) */
		return hj_facts_load_text_opts(f, r->line, (size_t)n, r->name, (int)r->lineno, HJ_YAML_JSON, err);
	}
}

hj_status hj_reader_range(hj_reader *r, const hj_reader *from, long start, long line, long end)
{
	if (from->fmt != HJ_FMT_CSV || !from->header_done || r->fmt != HJ_FMT_CSV)
		return HJ_ERR_INTERNAL;
	r->header_done = 1;
	r->colopt = from->colopt;
	r->ncols = from->ncols;
	memcpy(r->cols, from->cols, sizeof r->cols);
	set_kinds(r);
	if (fseek(r->in, start, SEEK_SET))
		return HJ_ERR_IO;
	r->rbase = start;
	r->rpos = r->rend = 0;
	r->lineno = line - 1;
	r->end = end;
	return HJ_OK;
}

long hj_reader_offset(const hj_reader *r)
{
	return r->rbase + (long)r->rpos;
}

hj_status hj_reader_header(hj_reader *r, hj_error *err)
{
	int eof = 0;
	if (r->fmt != HJ_FMT_CSV || r->header_done)
		return HJ_OK;
	r->cur = NULL;
	hj_status st = csv_row(r, &eof, err);
	if (st || eof)
		r->fatal = 1;
	if (!st && eof)
		return hj_error_set(err, HJ_ERR_INPUT, r->name, 1, 0, NULL, "見出し行がありません");
	return st;
}
