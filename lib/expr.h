/*
 * expr.h - the rule expression language (library-internal).
 *
 * Conditions, band selectors and other computed parts of the rulebook are
 * written in a small language (docs/rulebook.md, "Expressions"). Each
 * expression is compiled once when the rulebook loads: names are resolved
 * through an hj_expr_env, types are checked, string literals are turned
 * into enum indices, and constant sub-expressions are folded. Evaluation is
 * three-valued: a missing fact gives an unknown value unless the rest of
 * the expression already decides the result ('false and x' is false), and
 * the ids of the facts whose absence made the result unknown are added to
 * a hj_factset.
 *
 * Ownership: hj_expr_compile returns a new hj_expr owned by the caller,
 * released with hj_expr_free (NULL is a no-op). The env and runtime
 * structures are borrowed for the duration of each call only.
 */
#ifndef HJ_EXPR_H
#define HJ_EXPR_H

#include <stddef.h>
#include "hojo/error.h"
#include "value.h"

typedef struct hj_expr hj_expr;

/* What a name refers to. */
enum { HJ_SYM_FACT = 1, HJ_SYM_DEF = 2 };

typedef struct hj_expr_sym {
	int kind;     /* HJ_SYM_FACT or HJ_SYM_DEF */
	int id;       /* index of the fact or definition */
	hj_type type; /* its static type */
} hj_expr_sym;

/* Compile-time environment (names and enums), provided by the loader. */
typedef struct hj_expr_env {
	void *ud;
	/* Resolve an identifier; return 1 and fill *out if it exists, else 0. */
	int (*lookup)(void *ud, const char *name, size_t len, hj_expr_sym *out);
	/* Index of string 's' among the values of enum 'enum_id' (its ids
	 * or its Japanese labels), or -1. */
	int (*enum_index)(void *ud, int enum_id, const char *s, size_t len);
	/* Name of enum 'enum_id', for error messages. */
	const char *(*enum_name)(void *ud, int enum_id);
} hj_expr_env;

/* Where the expression text sits, for error positions. */
typedef struct hj_expr_origin {
	const char *file; /* rulebook file, may be NULL */
	int line;         /* line of the first character of 'src' (1-based) */
	int col;          /* column of the first character of 'src' (1-based) */
	const char *field;/* e.g. "frames[2].eligibility[0].when" */
} hj_expr_origin;

/*
 * Compile 'src' (UTF-8, 'len' bytes). 'want' is the required result type
 * (HJ_TY_NONE accepts any). On failure returns HJ_ERR_RULEBOOK with
 * err->file/line/col pointing at the offending character and a message
 * such as "未定義の名前 'employes'" or "型が合いません: 円と数を比較しています".
 * On success, *type_out (may be NULL) receives the result type.
 */
hj_status hj_expr_compile(const char *src, size_t len, const hj_expr_env *env,
			  hj_type want, const hj_expr_origin *origin,
			  hj_expr **out, hj_type *type_out, hj_error *err);

void hj_expr_free(hj_expr *e);

/* Runtime: how to read facts and definitions while evaluating. */
typedef struct hj_expr_rt {
	void *ud;
	/*
	 * Store the value of symbol (kind, id) into *out. If it is unknown,
	 * set out->known = 0 and add the ids of the facts responsible to
	 * *missing.
	 */
	void (*get)(void *ud, int kind, int id, hj_value *out, hj_factset *missing);
	/* Set to 1 by the evaluator on overflow or division by zero. */
	int error;
	/* Optional (NULL: every symbol through 'get'): the facts with
	 * plain[id] set are read as vals[id] directly, the id added to the
	 * missing set when unknown, exactly what 'get' would do for them. */
	const hj_value *vals;
	const uint8_t *plain;
} hj_expr_rt;

/*
 * Evaluate. Returns the value (known == 0 when unknown). When the result
 * is unknown, *missing receives the facts that would decide it; when it
 * is known, nothing is added to *missing.
 */
hj_value hj_expr_eval(const hj_expr *e, hj_expr_rt *rt, hj_factset *missing);

/*
 * The three-valued truth of a boolean expression: 0 false, 1 true, 2
 * unknown (the values of hj_truth), the same answer hj_expr_eval gives,
 * without building values for its connectives. 'missing' as for
 * hj_expr_eval. For both, 'missing' may be NULL when the caller does not
 * want the facts: the result is the same and the sets are not kept.
 */
int hj_expr_test(const hj_expr *e, hj_expr_rt *rt, hj_factset *missing);

/* Result type of a compiled expression. */
hj_type hj_expr_type(const hj_expr *e);

/*
 * The distinct symbols the expression mentions, in order of first
 * appearance. Writes at most 'max' entries and returns the total count.
 */
int hj_expr_symbols(const hj_expr *e, hj_expr_sym *out, int max);

/* The source text, as given to hj_expr_compile (NUL-terminated copy). */
const char *hj_expr_text(const hj_expr *e);

#endif
