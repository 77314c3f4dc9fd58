/*
 * hojo.h - shared declarations of the hojo command (cli/ only).
 *
 * The command is a thin layer over libhojo's public API: it parses
 * options, loads the rulebook and inputs, and prints results in Japanese
 * (or JSON). Exit codes are listed in docs/cli.md.
 */
#ifndef HOJO_CLI_H
#define HOJO_CLI_H

#include <stdio.h>
#include "hojo/hojo.h"

enum {
	EXIT_DONE = 0,
	EXIT_INPUT = 1,     /* bad input file, option or argument */
	EXIT_RULEBOOK = 2,  /* the rulebook does not load */
	EXIT_INTERNAL = 3,  /* out of memory, I/O, a bug */
	EXIT_FAILED = 4     /* hojo test: some cases failed */
};

typedef struct opts {
	const char *rules;
	const char *rules2;        /* hojo diff: the second --rules (B) */
	int json;
	int pretty;
	int summary;
	int all;
	const char *program;
	const char *edition;
	const char *frame;
	const char *format;        /* output: batch and diff (csv, jsonl, text) */
	const char *input_format;  /* --input-format csv|jsonl */
	const char *columns[64];   /* --column NAME=FACT, as given */
	int ncolumns;
	int ignore_extra;          /* --ignore-extra-columns */
	const char *with;
	const char *xlsx;
	const char *listen;          /* hojo serve --listen ADDR:PORT */
	const char *web;             /* hojo serve --web DIR */
	const char *db;              /* hojo serve / admin --db URL (docs/store.md) */
	const char *name;            /* hojo admin create-admin --name NAME */
	int csv;
	hj_selection sel;
	int date_given;
	const char *args[16];
	int nargs;
} opts;

/* Map a status to an exit code, printing the error to stderr. */
int cli_fail(const hj_error *err);
/* Out of memory outside the library's error reporting: say so, exit 3. */
int cli_nomem(void);
int cli_exit_code(hj_status st);

/* Read an applicant's input into new facts (*f, freed by the caller even
 * on failure); its date selects editions unless --date was given. */
int cli_load_input(opts *o, const hj_rulebook *rb, const char *path, hj_facts **f);

/* The frame with id 'id', or print an error and return EXIT_INPUT. */
int cli_find_frame(const hj_rulebook *rb, const char *id, const hj_frame **out);

/* --input-format (EXIT_INPUT on a bad value) and the column map options. */
int cli_input_format(const opts *o, hj_format *fmt);
void cli_columns_opt(const opts *o, hj_columns *c);

/* The rulebook directory: --rules, $HOJO_RULES, or the default. */
const char *cli_rules_dir(const opts *o);

/* Load the rulebook named by --rules, $HOJO_RULES, or the default. */
int cli_load_rules(const opts *o, hj_rulebook **rb);

/* Print a JSON value (compact, or indented with 'pretty') and release it. */
struct json_t;
int cli_json_out(struct json_t *j, int pretty);
/* Print a string made by the library (hj_free'd here); NULL is out of memory. */
int cli_string_out(char *s);

/* Text layout helpers (display width aware). */
int cli_width(const char *s);
void cli_pad(FILE *fp, const char *s, int width);   /* left-aligned */
void cli_rpad(FILE *fp, const char *s, int width);  /* right-aligned */
void cli_wrap(FILE *fp, const char *s, int indent, int width);
/* The terminal's width: $COLUMNS (40-1000) if set, else 'width'. Every
 * cli_wrap uses it; 'width' is the layout's default (80). */
int cli_columns(int width);
/* One line "label   value", the value right-aligned at column 'edge' (or
 * at the terminal's width when narrower); when both do not fit, the label
 * alone and the value right-aligned on the next line. */
void cli_kv(FILE *fp, const char *label, const char *value, int edge);
void cli_csv_cell(const char *s);
int cli_beside_binary(const char *rel, char *buf, size_t size);
/* Like cli_wrap, but the cursor is already at column 'indent'. */
void cli_wrap_from(FILE *fp, const char *s, int indent, int width);

/* The commands. main() checks the number of arguments and loads the
 * rulebook (owned and freed by main) before calling one. */
int cmd_check(opts *o, hj_rulebook *rb);
int cmd_explain(opts *o, hj_rulebook *rb);
int cmd_rules(opts *o, hj_rulebook *rb);
int cmd_facts(opts *o, hj_rulebook *rb);
int cmd_test(opts *o, hj_rulebook *rb);
int cmd_batch(opts *o, hj_rulebook *rb);
int cmd_group(opts *o, hj_rulebook *rb);
int cmd_plan(opts *o, hj_rulebook *rb);
int cmd_expenses(opts *o, hj_rulebook *rb);
int cmd_source(opts *o, hj_rulebook *rb);
int cmd_serve(opts *o, hj_rulebook *rb);
/* hojo admin: the store's operations (cli/admin.c); rb is unused (NULL) */
int cmd_admin(opts *o, hj_rulebook *rb);
/* hojo select (cli/select.c): reads its own options; argv[ci] is "select". */
int cmd_select(int argc, char **argv, int ci);
/* hojo diff loads its two rulebooks itself (rb is NULL). */
int cmd_diff(opts *o, hj_rulebook *rb);

#endif
