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
 */
#include <stdio.h>
#include <string.h>
#include <csv.h>
#include "hojo/suggest.h"
#include "hojo/alloc.h"
#include "facts-int.h"
#include "reader-int.h"
#include "yaml.h"

#define MAX_COLS 256
#define MAX_LINE (1 << 20)
#define READ_BUF (1 << 16)

enum { COL_IGNORE = -3, COL_NAME = -2, COL_DATE = -1 };

struct hj_reader {
	const hj_rulebook *rb;
	FILE *in;
	char name[256];
	hj_format fmt;
	struct csv_parser csv;
	int header_done;
	int ncols;
	int cols[MAX_COLS];
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
};

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
	char nm[128];
	snprintf(nm, sizeof nm, "%.*s", (int)(len > 120 ? 120 : len), (const char *)s);
	int id;
	if (!strcmp(nm, "name"))
		id = COL_NAME;
	else if (!strcmp(nm, "date"))
		id = COL_DATE;
	else {
		id = hj_rb_fact_find(r->rb, nm);
		if (id < 0) {
			/* also accept the input path (applicant.capital) */
			for (int i = 0; i < r->rb->nfacts; i++)
				if (!strcmp(r->rb->facts[i].input, nm))
					id = i;
		}
		if (id < 0 || r->rb->facts[id].how == HJ_FACT_DERIVED) {
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
						 "未知の列 '%s'（%s%s%s列名は hojo facts の名前です）", nm,
						 near ? "もしかして '" : "", near ? near : "", near ? "'？ " : "");
			return;
		}
	}
	r->cols[r->ncols++] = id;
}

static void on_field(void *s, size_t len, void *ud)
{
	hj_reader *r = ud;
	if (!r->header_done) {
		on_header_field(s, len, ud);
		return;
	}
	int c = r->col++;
	if (r->row_st)
		return;
	if (c >= r->ncols) {
		r->row_st = hj_error_set(r->row_err, HJ_ERR_INPUT, r->name, (int)r->rowline, c + 1, NULL,
					 "列が見出しより多くあります（%d列）", r->ncols);
		return;
	}
	int id = r->cols[c];
	const char *p = s;
	if (id == COL_NAME) {
		snprintf(r->cur->name, sizeof r->cur->name, "%.*s", (int)len, p);
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
		hj_status st = hj_facts_set_text(r->cur, id, p, len, r->row_err);
		if (st) {
			r->row_st = st;
			snprintf(r->row_err->file, sizeof r->row_err->file, "%s", r->name);
			r->row_err->line = (int)r->rowline;
			r->row_err->col = c + 1;
			snprintf(r->row_err->field, sizeof r->row_err->field, "%s", r->rb->facts[id].name);
		}
	}
}

static void on_row(int ch, void *ud)
{
	(void)ch;
	hj_reader *r = ud;
	if (!r->header_done) {
		r->header_done = 1;
		r->row_done = 1;
		return;
	}
	if (!r->row_st && r->col < r->ncols && !(r->col == 1 && r->ncols > 1))
		r->row_st = hj_error_set(r->row_err, HJ_ERR_INPUT, r->name, (int)r->rowline, r->col, NULL,
					 "列が見出しより少なくあります（%d列のうち%d列）", r->ncols, r->col);
	r->row_done = 1;
}

hj_status hj_reader_open(const hj_rulebook *rb, FILE *in, const char *name, hj_format fmt, hj_reader **out,
			 hj_error *err)
{
	*out = NULL;
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
	r->rbuf = hj_malloc(READ_BUF);
	if (!r->rbuf) {
		hj_free(r);
		return hj_error_set(err, HJ_ERR_NOMEM, name, 0, 0, NULL, "メモリが足りません");
	}
	if (in) {
		long at = ftell(in);
		r->rbase = at > 0 ? at : 0;
	}
	if (fmt == HJ_FMT_CSV && csv_init(&r->csv, CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0) {
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
			if (len + take + 1 > r->linecap) {
				size_t cap = r->linecap ? r->linecap : 256;
				while (cap < len + take + 1)
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

/* Feed CSV lines until one row is complete. */
static hj_status csv_row(hj_reader *r, int *eof, hj_error *err)
{
	r->row_done = 0;
	r->row_st = HJ_OK;
	r->row_err = err;
	r->col = 0;
	r->rowline = r->lineno + 1;
	while (!r->row_done) {
		ssize_t n;
		hj_status st = read_line(r, &n, err);
		if (st)
			return st;
		if (n < 0) {
			csv_fini(&r->csv, on_field, on_row, r);
			if (!r->row_done) {
				*eof = 1;
				return HJ_OK;
			}
			break;
		}
		if (csv_parse(&r->csv, r->line, (size_t)n, on_field, on_row, r) != (size_t)n)
			return hj_error_set(err, HJ_ERR_INPUT, r->name, (int)r->lineno, 0, NULL,
					    "CSV として読めません: %s", csv_strerror(csv_error(&r->csv)));
	}
	return r->row_st;
}

hj_status hj_reader_next(hj_reader *r, hj_facts *f, int *eof, hj_error *err)
{
	*eof = 0;
	err->status = HJ_OK; /* hj_error_set fills every field on failure */
	hj_facts_reset(f);
	r->cur = f;
	if (r->fmt == HJ_FMT_CSV) {
		hj_status st;
		if (!r->header_done) {
			st = csv_row(r, eof, err);
			if (st || *eof) {
				if (*eof)
					return hj_error_set(err, HJ_ERR_INPUT, r->name, 1, 0, NULL,
							    "見出し行がありません");
				return st;
			}
		}
		for (;;) {
			st = csv_row(r, eof, err);
			/* a blank line ends up as one empty field: skip it */
			if (!st && !*eof && r->col == 1 && r->ncols > 1 && !f->name[0]) {
				int any = 0;
				for (int i = 0; i < f->rb->nfacts; i++)
					any |= f->vals[i].known;
				if (!any && !f->has_date)
					continue;
			}
			return st;
		}
	}
	for (;;) {
		ssize_t n;
		hj_status st = read_line(r, &n, err);
		if (st)
			return st;
		if (n < 0) {
			*eof = 1;
			return HJ_OK;
		}
		int blank = 1;
		for (ssize_t i = 0; i < n; i++)
			if (r->line[i] != ' ' && r->line[i] != '\t' && r->line[i] != '\n' && r->line[i] != '\r')
				blank = 0;
		if (blank)
			continue;
		r->rowline = r->lineno;
		/* strict JSON whatever the file's name (--format jsonl) */
		return hj_facts_load_text_opts(f, r->line, (size_t)n, r->name, (int)r->lineno, HJ_YAML_JSON, err);
	}
}

hj_status hj_reader_range(hj_reader *r, const hj_reader *from, long start, long line, long end)
{
	if (from->fmt != HJ_FMT_CSV || !from->header_done || r->fmt != HJ_FMT_CSV)
		return HJ_ERR_INTERNAL;
	r->header_done = 1;
	r->ncols = from->ncols;
	memcpy(r->cols, from->cols, sizeof r->cols);
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
	if (!st && eof)
		return hj_error_set(err, HJ_ERR_INPUT, r->name, 1, 0, NULL, "見出し行がありません");
	return st;
}
