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
#define READ_BUF (1 << 16)

enum { COL_ID = HJ_COL_ID, COL_IGNORE = -3, COL_NAME = HJ_COL_NAME, COL_DATE = HJ_COL_DATE };

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
	int col_facts[MAX_COLS + 1]; /* the facts a record can set */
	int ncol_facts;
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

static void on_field(void *s, size_t len, void *ud)
{
	hj_reader *r = ud;
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
	r->rbuf = hj_malloc(READ_BUF);
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

/* For the fast path below: 1 for the comma, 2 for the bytes that make a
 * line take libcsv's path (quotes, the spaces and tabs libcsv trims
 * around fields, carriage returns, NUL). */
static const uint8_t csv_class[256] = { [','] = 1, ['"'] = 2, [' '] = 2, ['\t'] = 2, ['\r'] = 2, ['\0'] = 2 };

/* What the fast path may store itself in a column: a yen or number fact
 * (plain digits), a yes/no fact (0 or 1). */
enum { KIND_OTHER = 0, KIND_NUMBER, KIND_BOOL, KIND_ENUM };

static void set_kinds(hj_reader *r)
{
	r->ncol_facts = 0;
	for (int c = 0; c < r->ncols; c++) {
		if (r->cols[c] >= 0)
			r->col_facts[r->ncol_facts++] = r->cols[c];
		else if (r->cols[c] == COL_DATE && r->rb->f_date >= 0)
			r->col_facts[r->ncol_facts++] = r->rb->f_date;
	}
	for (int c = 0; c < r->ncols; c++) {
		int id = r->cols[c];
		const hj_fact *ft = id >= 0 ? &r->rb->facts[id] : NULL;
		r->kind[c] = !ft || ft->how != HJ_FACT_INPUT ? KIND_OTHER
			     : ft->type.ty == HJ_TY_YEN || ft->type.ty == HJ_TY_NUM ? KIND_NUMBER
			     : ft->type.ty == HJ_TY_BOOL ? KIND_BOOL
			     : ft->type.ty == HJ_TY_ENUM ? KIND_ENUM
						       : KIND_OTHER;
	}
}

/*
 * A data line with none of those bytes (the usual case) is split here,
 * without libcsv, delivering the same fields as libcsv would (the bytes
 * between two commas, NUL-terminated as CSV_APPEND_NULL does) to the same
 * on_field, and the end of the line to on_row. Digits are accumulated
 * while scanning: a cell of 1-14 plain digits in a yen or number column,
 * or 0/1 in a yes/no column, is stored directly with the value
 * hj_facts_set_cell would give it. Returns 0, having consumed nothing,
 * when libcsv must read the line (also an empty line, which libcsv skips).
 */
static int csv_fast_line(hj_reader *r, char *line, size_t n)
{
	if (n && line[n - 1] == '\n')
		n--;
	if (n == 0)
		return 0;
	struct cell {
		uint32_t from, len;
		uint64_t v;
		int digits;
	} cell[MAX_COLS];
	int nc = 0, other = 0;
	uint64_t v = 0;
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned)(uint8_t)line[i] - '0';
		if (d < 10) {
			v = v * 10 + d;
			continue;
		}
		uint8_t k = csv_class[(uint8_t)line[i]];
		if (!k) {
			other = 1;
			continue;
		}
		if (k == 2 || nc == MAX_COLS - 1)
			return 0;
		cell[nc++] = (struct cell){ (uint32_t)from, (uint32_t)(i - from), v, !other };
		from = i + 1;
		v = 0;
		other = 0;
	}
	cell[nc++] = (struct cell){ (uint32_t)from, (uint32_t)(n - from), v, !other };
	r->first_empty = cell[0].len == 0; /* as on_field sets it for cell 0 */
	for (int i = 0; i < nc; i++) {
		struct cell *c = &cell[i];
		line[c->from + c->len] = '\0';
		int col = r->col;
		if (col < r->ncols && r->cols[col] == COL_ID && c->len < sizeof r->cur->id && !r->row_st) {
			copy_cell(r->cur->id, sizeof r->cur->id, line + c->from, c->len); /* as on_field */
			r->col++;
			continue;
		}
		if (col < r->ncols && r->kind[col] == KIND_ENUM && c->len && !r->row_st) {
			/* an enum id or label as it is (what hj_facts_set_cell
			 * does first; anything else goes through on_field) */
			int id = r->cols[col];
			int k = hj_rb_enum_value(r->rb, r->rb->facts[id].type.enum_id, line + c->from, c->len);
			if (k >= 0) {
				hj_value e = hj_value_unknown();
				e.known = 1;
				e.u.sym = k;
				r->cur->vals[id] = e;
				r->cur->alias_of[id] = NULL;
				r->col++;
				continue;
			}
		}
		if (col < r->ncols && c->digits && c->len && c->len < 15 && !r->row_st) {
			int id = r->cols[col];
			if (r->kind[col] == KIND_NUMBER) {
				r->cur->vals[id] = hj_value_frac(hj_frac_int((int64_t)c->v));
				r->cur->alias_of[id] = NULL;
				r->col++;
				continue;
			}
			if (r->kind[col] == KIND_BOOL && c->len == 1 && c->v <= 1) {
				r->cur->vals[id] = hj_value_bool(c->v == 1);
				r->cur->alias_of[id] = NULL;
				r->col++;
				continue;
			}
		}
		on_field(line + c->from, c->len, r);
	}
	on_row('\n', r);
	return 1;
}

/* Feed CSV lines until one row is complete. */
static hj_status csv_row(hj_reader *r, int *eof, hj_error *err)
{
	r->row_done = 0;
	r->row_st = HJ_OK;
	r->row_err = err;
	r->col = 0;
	r->rowline = r->lineno + 1;
	r->rowbytes = 0;
	if (r->fatal) {
		*eof = 1;
		return HJ_OK;
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
		if (r->header_done && !r->row_done && r->lineno == r->rowline && csv_fast_line(r, r->line, (size_t)n))
			break; /* a plain line: split here, checked as csv_parse would */
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
	hj_facts_reset_only(f, r->col_facts, r->ncol_facts);
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
	if (f == r->own && r->own_filled && r->fmt == HJ_FMT_CSV && r->header_done)
		clear_columns(r, f);
	else
		hj_facts_reset(f);
	r->own_filled = f == r->own;
	r->cur = f;
	if (r->fmt == HJ_FMT_CSV) {
		hj_status st;
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
		hj_status st = read_line(r, &n, err);
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
	memcpy(r->kind, from->kind, sizeof r->kind);
	memcpy(r->col_facts, from->col_facts, sizeof r->col_facts);
	r->ncol_facts = from->ncol_facts;
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
