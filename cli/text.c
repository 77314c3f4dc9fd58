/*
 * text.c - laying out Japanese text in a terminal: display widths (CJK
 * characters take two columns; libunistring knows which), padding and
 * wrapping to 80 columns.
 */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <unistr.h>
#include <uniwidth.h>
#include "hojo.h"

int cli_width(const char *s)
{
	return u8_strwidth((const uint8_t *)s, "UTF-8");
}

void cli_pad(FILE *fp, const char *s, int width)
{
	fputs(s, fp);
	for (int w = cli_width(s); w < width; w++)
		fputc(' ', fp);
}

void cli_rpad(FILE *fp, const char *s, int width)
{
	for (int w = cli_width(s); w < width; w++)
		fputc(' ', fp);
	fputs(s, fp);
}

static void wrap(FILE *fp, const char *s, int indent, int width, int lead);

void cli_wrap(FILE *fp, const char *s, int indent, int width)
{
	wrap(fp, s, indent, width, 1);
}

void cli_wrap_from(FILE *fp, const char *s, int indent, int width)
{
	wrap(fp, s, indent, width, 0);
}

/* Closing punctuation must not start a line (kinsoku). */
static int no_line_start(ucs4_t uc)
{
	return uc == 0x3001 || uc == 0x3002 || uc == 0xFF09 || uc == 0x300D || uc == 0xFF0C ||
	       uc == 0x30FC || uc == 0xFF1A || uc == ')' || uc == ']' || uc == ',' || uc == ':' || uc == '.';
}

/* Opening brackets must not end a line. */
static int no_line_end(ucs4_t uc)
{
	return uc == 0xFF08 || uc == 0x300C || uc == '(' || uc == '[';
}

/* The terminal's width: $COLUMNS when it is a sensible number, else
 * 'width' (the layout's default, 80). */
int cli_columns(int width)
{
	const char *c = getenv("COLUMNS");
	if (c && *c) {
		char *end;
		long v = strtol(c, &end, 10);
		if (!*end && v >= 40 && v <= 1000)
			return (int)v;
	}
	return width;
}

void cli_kv(FILE *fp, const char *label, const char *value, int edge)
{
	int cols = cli_columns(80);
	if (edge > cols)
		edge = cols;
	int lw = cli_width(label), vw = cli_width(value);
	if (lw + 1 + vw > edge) {
		fprintf(fp, "%s\n", label);
		lw = 0;
	} else
		fputs(label, fp);
	for (int w = lw + vw; w < edge; w++)
		fputc(' ', fp);
	fprintf(fp, "%s\n", value);
}

/* 1 when the space at s[i] is inside a citation ("seed 001:694",
 * "facts §1a") or a command ("hojo rules"), which must not be broken. */
static int citation_space(const uint8_t *s, size_t i)
{
	static const char *const words[] = { "seed", "facts", "hojo" };
	for (int k = 0; k < 3; k++) {
		size_t n = strlen(words[k]);
		if (i >= n && !memcmp(s + i - n, words[k], n) &&
		    (i == n || !((s[i - n - 1] | 0x20) >= 'a' && (s[i - n - 1] | 0x20) <= 'z')) && s[i + 1] &&
		    s[i + 1] != ' ' && (k < 2 || (s[i + 1] >= 'a' && s[i + 1] <= 'z')))
			return 1;
	}
	return 0;
}

/*
 * Greedy line filling. A line may break at an ASCII space (not the one
 * inside a citation), between two wide (Japanese) characters, and after
 * Japanese closing punctuation — never inside a run of narrow characters
 * (a word, an amount, an id, a date), never before closing punctuation or
 * after an opening bracket. A run longer than a whole line is cut where
 * it overflows, the only case a word is split.
 */
static void wrap(FILE *fp, const char *text, int indent, int width, int lead)
{
	const uint8_t *s = (const uint8_t *)text;
	size_t len = strlen(text);
	width = cli_columns(width);
	if (width < indent + 10)
		width = indent + 10;
	/* the current line: bytes [start, i) of s; a break point is kept as
	 * (end of this line, start of the next, column at that start) */
	size_t start = 0, bend = 0, bnext = 0, send = 0, snext = 0;
	int have_break = 0, have_space = 0, col = indent, bcol = 0, scol = 0;
	ucs4_t prev = 0;
	int prev_wide = 0;
	if (lead)
		for (int k = 0; k < indent; k++)
			fputc(' ', fp);
	size_t i = 0;
	while (i < len) {
		ucs4_t uc;
		int n = u8_mbtouc(&uc, s + i, len - i);
		if (n <= 0)
			break;
		int w = uc_width(uc, "UTF-8");
		if (w < 0)
			w = 1;
		if (uc == '\n') {
			fwrite(s + start, 1, i - start, fp);
			fputc('\n', fp);
			for (int k = 0; k < indent; k++)
				fputc(' ', fp);
			i += (size_t)n;
			start = i;
			col = indent;
			have_break = have_space = 0;
			prev = 0;
			prev_wide = 0;
			continue;
		}
		/* a break opportunity before this character? */
		if (i > start) {
			int wide = w == 2;
			if (uc == ' ' && !citation_space(s, i)) {
				/* break at the space: the space is dropped */
				bend = send = i;
				bnext = snext = i + 1;
				bcol = scol = col + 1;
				have_break = have_space = 1;
			} else if (prev != ' ' && !no_line_start(uc) && !no_line_end(prev) &&
				   ((prev_wide && wide) || (prev_wide && no_line_start(prev)))) {
				bend = i;
				bnext = i;
				bcol = col;
				have_break = 1;
			}
		}
		if (col + w > width && uc != ' ') {
			size_t cut_end, cut_next;
			int keep;
			if (have_space && col - scol <= 20) {
				/* a short run after the last space moves whole
				 * (名前 通常類型), rather than being cut */
				cut_end = send;
				cut_next = snext;
				keep = col - scol;
			} else if (have_break) {
				cut_end = bend;
				cut_next = bnext;
				keep = col - bcol;
			} else {
				/* no break point on this line: cut here */
				cut_end = cut_next = i;
				keep = 0;
			}
			size_t e = cut_end;
			while (e > start && s[e - 1] == ' ')
				e--;
			fwrite(s + start, 1, e - start, fp);
			fputc('\n', fp);
			for (int k = 0; k < indent; k++)
				fputc(' ', fp);
			while (cut_next < i && s[cut_next] == ' ' && !keep)
				cut_next++;
			start = cut_next;
			col = indent + keep;
			have_break = have_space = 0;
		}
		col += w;
		prev = uc;
		prev_wide = w == 2;
		i += (size_t)n;
	}
	size_t e = len;
	while (e > start && s[e - 1] == ' ')
		e--;
	fwrite(s + start, 1, e - start, fp);
	fputc('\n', fp);
}

int cli_json_out(json_t *j, int pretty)
{
	char *s = json_dumps(j, JSON_PRESERVE_ORDER | (pretty ? JSON_INDENT(2) : JSON_COMPACT));
	json_decref(j);
	if (!s)
		return EXIT_INTERNAL;
	puts(s);
	free(s);
	return EXIT_DONE;
}

int cli_string_out(char *s)
{
	if (!s)
		return EXIT_INTERNAL;
	puts(s);
	hj_free(s);
	return EXIT_DONE;
}

/* One CSV cell on stdout: as it is, or quoted (inner quotes doubled) when
 * it holds a comma, a quote or a line break. */
void cli_csv_cell(const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}
