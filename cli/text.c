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
	       uc == 0x30FC || uc == ')' || uc == ']' || uc == ',';
}

/* Display width of the token starting at p (up to an ASCII space). */
static int token_width(const uint8_t *p)
{
	int w = 0;
	while (*p && *p != ' ' && *p != '\n') {
		ucs4_t uc;
		int n = u8_mbtouc(&uc, p, u8_strlen(p));
		if (n <= 0)
			break;
		int cw = uc_width(uc, "UTF-8");
		w += cw > 0 ? cw : 1;
		p += n;
	}
	return w;
}

/* Break at a space when the next token would not fit but fits on a line
 * of its own; otherwise at the character that overflows (Japanese has no
 * spaces between words), never before closing punctuation. */
static void wrap(FILE *fp, const char *s, int indent, int width, int lead)
{
	const uint8_t *p = (const uint8_t *)s;
	int col = indent;
	if (lead)
		for (int i = 0; i < indent; i++)
			fputc(' ', fp);
	while (*p) {
		ucs4_t uc;
		int n = u8_mbtouc(&uc, p, u8_strlen(p));
		if (n <= 0)
			break;
		int w = uc_width(uc, "UTF-8");
		if (w < 0)
			w = 1;
		int brk = 0;
		if (uc == '\n')
			brk = 1;
		else if (uc == ' ') {
			int tw = token_width(p + 1);
			/* only short tokens (a word, an amount) move to the next
			 * line whole; a long Japanese run just flows */
			brk = col + 1 + tw > width && tw <= 32;
		} else if (col + w > width && col > indent && !(no_line_start(uc) && col + w <= width + 2))
			brk = 1;
		if (brk) {
			fputc('\n', fp);
			for (int i = 0; i < indent; i++)
				fputc(' ', fp);
			col = indent;
			if (uc == '\n' || uc == ' ') {
				p += n;
				continue;
			}
		}
		fwrite(p, 1, (size_t)n, fp);
		col += w;
		p += n;
	}
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
