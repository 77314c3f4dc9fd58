/*
 * fuzz_expr.c - libFuzzer target for the rule expression language.
 *
 * Compiles arbitrary bytes against a tiny environment (the same facts and
 * enums as tests/unit/test_expr.c); when compilation succeeds, evaluates
 * the expression with every fact unknown and with every fact known, and
 * checks the evaluator's promises: a known result reports no missing
 * facts, an unknown one reports only facts the expression mentions (or
 * that its definitions stand for), and the text round-trips.
 *
 * Build and run: make fuzz (needs clang).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "expr.h"

enum { NFACTS = 10 };

static const struct {
	const char *name;
	int kind, id, ty, enum_id;
} syms[] = {
	{ "employees", HJ_SYM_FACT, 0, HJ_TY_NUM, -1 },
	{ "capital", HJ_SYM_FACT, 1, HJ_TY_YEN, -1 },
	{ "applied", HJ_SYM_FACT, 2, HJ_TY_DATE, -1 },
	{ "small", HJ_SYM_FACT, 3, HJ_TY_BOOL, -1 },
	{ "sme", HJ_SYM_FACT, 4, HJ_TY_BOOL, -1 },
	{ "industry", HJ_SYM_FACT, 5, HJ_TY_ENUM, 0 },
	{ "processes", HJ_SYM_FACT, 6, HJ_TY_SET, 1 },
	{ "region", HJ_SYM_FACT, 7, HJ_TY_ENUM, 2 },
	{ "kakushin.applied", HJ_SYM_FACT, 8, HJ_TY_BOOL, -1 },
	{ "regions", HJ_SYM_FACT, 9, HJ_TY_SET, 2 },
	{ "big", HJ_SYM_DEF, 0, HJ_TY_BOOL, -1 },
};

static const char *const enum_values[3][7] = {
	{ "manufacturing", "retail", "service" },
	{ "P-01", "P-02", "P-03", "P-04", "P-05", "P-06", "P-07" },
	{ "tokyo", "osaka" },
};
static const int enum_count[3] = { 3, 7, 2 };

static int lookup(void *ud, const char *name, size_t len, hj_expr_sym *out)
{
	(void)ud;
	for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++) {
		if (strlen(syms[i].name) == len && !memcmp(syms[i].name, name, len)) {
			out->kind = syms[i].kind;
			out->id = syms[i].id;
			out->type.ty = (uint8_t)syms[i].ty;
			out->type.enum_id = (int16_t)syms[i].enum_id;
			return 1;
		}
	}
	return 0;
}

static int enum_index(void *ud, int enum_id, const char *s, size_t len)
{
	(void)ud;
	if (enum_id < 0 || enum_id > 2)
		return -1;
	for (int i = 0; i < enum_count[enum_id]; i++)
		if (strlen(enum_values[enum_id][i]) == len &&
		    !memcmp(enum_values[enum_id][i], s, len))
			return i;
	return -1;
}

static const char *enum_name(void *ud, int enum_id)
{
	(void)ud;
	static const char *const names[] = { "industry", "process", "region" };
	return enum_id >= 0 && enum_id <= 2 ? names[enum_id] : NULL;
}

/* Facts: all unknown, or all known with fixed values. */
static int all_known;

static void get(void *ud, int kind, int id, hj_value *out, hj_factset *missing)
{
	(void)ud;
	*out = hj_value_unknown();
	if (!all_known) {
		if (kind == HJ_SYM_DEF) {
			hj_factset_add(missing, 0);
			hj_factset_add(missing, 1);
		} else {
			hj_factset_add(missing, id);
		}
		return;
	}
	out->known = 1;
	if (kind == HJ_SYM_DEF) {
		out->u.b = 1;
		return;
	}
	switch (id) {
	case 0: out->u.q = hj_frac_int(12); break;
	case 1: out->u.q = hj_frac_int(30000000); break;
	case 2: out->u.date = 17897; break; /* 2019-01-01 */
	case 3: out->u.b = 1; break;
	case 4: out->u.b = 0; break;
	case 5: out->u.sym = 1; break;
	case 6: out->u.set = 0x15; break;
	case 7: out->u.sym = 0; break;
	case 8: out->u.b = 0; break;
	default: out->u.set = 0x2; break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * libFuzzer entry point: compile 'data' as an expression; if it compiles,
 * evaluate it twice (all facts unknown, all known) and check invariants,
 * trapping on a violation. Always returns 0.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const hj_expr_env env = { NULL, lookup, enum_index, enum_name };
	static const hj_expr_origin origin = { "fuzz.yaml", 1, 1, "when" };
	hj_type want = { HJ_TY_NONE, -1 };
	hj_expr *e = NULL;
	hj_error err;
	hj_type t;

	if (hj_expr_compile((const char *)data, size, &env, want, &origin, &e, &t,
			    &err) != HJ_OK) {
		if (e || err.message[0] == '\0')
			__builtin_trap();
		return 0;
	}
	if (!e || memcmp(hj_expr_text(e), data, size) || hj_expr_text(e)[size])
		__builtin_trap();

	/* Facts the expression may report as missing. */
	hj_factset allowed;
	hj_factset_clear(&allowed);
	hj_expr_sym s[16];
	int ns = hj_expr_symbols(e, s, 16);
	for (int i = 0; i < ns && i < 16; i++) {
		if (s[i].kind == HJ_SYM_DEF) {
			hj_factset_add(&allowed, 0);
			hj_factset_add(&allowed, 1);
		} else {
			hj_factset_add(&allowed, s[i].id);
		}
	}

	for (all_known = 0; all_known < 2; all_known++) {
		hj_expr_rt rt = { NULL, get, 0 };
		hj_factset ms;
		hj_factset_clear(&ms);
		hj_value v = hj_expr_eval(e, &rt, &ms);
		if (v.known && !hj_factset_empty(&ms))
			__builtin_trap();
		for (int w = 0; w < HJ_MAX_FACTS / 64; w++)
			if (ms.w[w] & ~allowed.w[w])
				__builtin_trap();
		/* With every fact known, only a runtime error gives unknown. */
		if (all_known && !v.known && !rt.error)
			__builtin_trap();
		if (all_known && !hj_factset_empty(&ms))
			__builtin_trap();
	}
	hj_expr_free(e);
	return 0;
}
