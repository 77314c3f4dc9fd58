/*
 * hojo/input.h - one applicant's facts, read from YAML, JSON, CSV or JSON
 * Lines.
 *
 * An input file has three top-level keys: 'date' (optional, the date of
 * the application), 'applicant' and 'project'. Every other field is one of
 * the rulebook's facts (rules/facts.yaml), at the path given there. Unknown
 * fields are errors. A fact the input does not give stays unknown.
 *
 * Ownership: hj_facts_new returns an object owned by the caller, freed
 * with hj_facts_free (NULL is a no-op); it borrows the rulebook, which
 * must outlive it. An hj_reader likewise borrows its FILE and rulebook.
 */
#ifndef HOJO_INPUT_H
#define HOJO_INPUT_H

#include <stdio.h>
#include "error.h"
#include "date.h"
#include "rulebook.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hj_facts hj_facts;

hj_status hj_facts_new(const hj_rulebook *rb, hj_facts **out);
void hj_facts_free(hj_facts *f);
/* Forget every value (all facts unknown again). */
void hj_facts_reset(hj_facts *f);

/* Read a YAML or JSON file. Errors name the file, line and field. */
hj_status hj_facts_load_file(hj_facts *f, const char *path, hj_error *err);
/* Read YAML/JSON text; 'name' and 'line' are used in error messages. */
hj_status hj_facts_load_text(hj_facts *f, const char *text, size_t len,
			     const char *name, int line, hj_error *err);

/* Read strict JSON text (an HTTP request body): the same fields, aliases
 * and errors as hj_facts_load_text, JSON only (no YAML extensions). */
hj_status hj_facts_load_json(hj_facts *f, const char *text, size_t len,
			     const char *name, hj_error *err);

/* Set fact 'fact' from text as written in a CSV cell ("" leaves it unknown). */
hj_status hj_facts_set_text(hj_facts *f, int fact, const char *s, size_t len,
			    hj_error *err);

const char *hj_facts_name(const hj_facts *f);       /* applicant.name or "" */
/* The record's key: a CSV column mapped to 'id', or a JSON Lines
 * document's top-level 'id'; "" when none. */
const char *hj_facts_id(const hj_facts *f);
int hj_facts_date(const hj_facts *f, hj_date *out); /* 0 when absent */
/* Render the value of fact 'fact' ("1,000万円", "25人", "未入力"). */
void hj_facts_value_text(const hj_facts *f, int fact, char *buf, size_t size);
int hj_facts_known(const hj_facts *f, int fact);

/* Streaming reader for many applicants: CSV (header row of fact names,
 * plus optional 'id', 'name' and 'date' columns) or JSON Lines. */
typedef enum hj_format { HJ_FMT_AUTO = 0, HJ_FMT_CSV, HJ_FMT_JSONL } hj_format;
typedef struct hj_reader hj_reader;

/*
 * How CSV columns are read. A column's name is looked up in 'map' (each
 * "COLUMN=TARGET"), then in the rulebook's 'columns:', else taken as is;
 * the target is a fact name or input path, or 'id' (the row's key),
 * 'name' or 'date'. A column naming nothing is an error unless
 * 'ignore_extra'. Resolved once, at the header. The strings are borrowed.
 */
typedef struct hj_columns {
	const char *const *map;
	int nmap;
	int ignore_extra;
} hj_columns;

hj_status hj_reader_open(const hj_rulebook *rb, FILE *in, const char *name,
			 hj_format fmt, hj_reader **out, hj_error *err);
/* Set before the first record (NULL: none). Errors name the map entry
 * whose target is not a fact. */
hj_status hj_reader_set_columns(hj_reader *r, const hj_columns *c, hj_error *err);
/* Fill 'f' with the next record. *eof = 1 at the end. On a bad record the
 * error names the line and column; the caller may continue with the next. */
hj_status hj_reader_next(hj_reader *r, hj_facts *f, int *eof, hj_error *err);
/* Line number where the last record started. */
long hj_reader_line(const hj_reader *r);
void hj_reader_free(hj_reader *r);

#ifdef __cplusplus
}
#endif
#endif
