/*
 * lib/rulebook-load.h - internal to the rulebook loader: its state and
 * the field readers lib/rulebook.c uses, for the parts of an edition that
 * other files load: 'review:' (lib/review-rules.c: 審査項目, 加点, re-review)
 * and 'after:' (lib/after-rules.c: 交付決定, 実績報告, reports, 成果目標).
 *
 * Every reader fails with HJ_ERR_RULEBOOK naming the file, line, column
 * and 'field'. Strings they return are allocated in the rulebook (freed
 * with it); compiled expressions are kept in the rulebook.
 *
 * Ownership: 'ld' is the loader's, borrowed for the call.
 */
#ifndef HOJO_RULEBOOK_LOAD_H
#define HOJO_RULEBOOK_LOAD_H

#include <stdint.h>
#include "rulebook-int.h"
#include "value.h"

struct fy_node;

typedef struct ld {
	hj_rulebook *rb;
	hj_error *err;
	const char *file;   /* current file (display path) */
	char field[200];    /* current field path for messages */
	int allow_subsidy;  /* compiling an eligibility condition */
} ld;

hj_status rbl_fail(ld *L, struct fy_node *n, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
hj_status rbl_nomem(ld *L);
/* The value of 'key' in mapping 'map', NULL when absent (or not a mapping). */
struct fy_node *rbl_get(struct fy_node *map, const char *key);
/* 'map' is a mapping whose keys are all in 'allowed' (NULL-ended). */
hj_status rbl_check_keys(ld *L, struct fy_node *map, const char *field, const char *const *allowed);
/* String 'key' of 'map' (*out NULL when optional and absent). */
hj_status rbl_str(ld *L, struct fy_node *map, const char *key, const char *field, int required, char **out);
/* The 'source' key of 'map', checked against rules/sources.yaml. */
hj_status rbl_source(ld *L, struct fy_node *map, const char *field, char **out);
/* A checked citation string (as 'source' holds) at node 'n'. */
hj_status rbl_check_source(ld *L, struct fy_node *n, const char *field, const char *text);
/* Scalars at 'n': an amount ("1,000万円", 3000000), a fraction ("2/3",
 * "3%"), a date (2021-01-08), an integer. */
hj_status rbl_yen(ld *L, struct fy_node *n, const char *field, hj_yen *out);
hj_status rbl_frac(ld *L, struct fy_node *n, const char *field, hj_frac *out);
hj_status rbl_date(ld *L, struct fy_node *n, const char *field, hj_date *out);
hj_status rbl_int(ld *L, struct fy_node *n, const char *field, int64_t *out);
/* Compile the expression at 'n' (docs/expressions.md) of type 'want'. */
hj_status rbl_compile(ld *L, struct fy_node *n, const char *field, hj_ty want, hj_expr **out);
/* Memory that lives as long as the rulebook. */
void *rbl_alloc(ld *L, size_t n);
char *rbl_strdup(ld *L, const char *s);

/* The edition's 'review:' (lib/review-rules.c) and 'after:'
 * (lib/after-rules.c), called by load_edition once its frames are
 * loaded (the frames of the edition can be named). */
hj_status rbl_load_review(ld *L, hj_edition *ed, struct fy_node *n);
hj_status rbl_load_after(ld *L, hj_edition *ed, struct fy_node *n);

#endif
