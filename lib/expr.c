/*
 * expr.c - the rule expression language: lexer, parser and type checker,
 * constant folder, and the three-valued evaluator (see expr.h and
 * docs/expressions.md).
 *
 * Three-valued semantics and missing facts
 * ----------------------------------------
 * An applicant rarely supplies every fact the rulebook could ask about, and
 * the engine must still say as much as it can: "eligible", "not eligible",
 * or "cannot tell yet, and these are the facts that would decide it". So
 * every value is either known or unknown, and the logical operators follow
 * Kleene's strong three-valued logic:
 *
 *	and   | T  F  U        or    | T  F  U        not T = F
 *	------+---------       ------+---------       not F = T
 *	T     | T  F  U        T     | T  T  T        not U = U
 *	F     | F  F  F        F     | T  F  U
 *	U     | U  F  U        U     | T  U  U
 *
 * Everything else (comparisons, arithmetic, membership, count, min, max) is
 * strict: an unknown operand makes the result unknown. Two operators are
 * special: known(x) is always known (it reports whether x is), and
 * if(c, a, b) with an unknown c is still known when both branches are
 * known and equal, since the answer does not depend on c.
 *
 * Beside its value, evaluation reports *why* a result is unknown: the set
 * of facts whose absence matters. The invariant every node keeps is:
 *
 *	evaluating a node adds fact ids to the 'missing' set passed to it
 *	if and only if its result is unknown, and then it adds exactly the
 *	facts that could turn it into a known result.
 *
 * Strict operators keep the invariant for free: they pass their own set
 * down to every operand, because an operand only adds something when it
 * is unknown, and then the whole result is unknown too, and each unknown
 * operand must be supplied before the result can be computed.
 *
 * The non-strict operators need care, because an unknown operand may turn
 * out not to matter. In 'a and b' with a unknown and b false the answer
 * is false, and reporting a's facts as missing would send the applicant
 * after information that cannot change anything. So 'and', 'or', 'if' and
 * 'known' evaluate operands into local hj_factset temporaries and merge
 * them into the caller's set only once the result is known to be unknown:
 *
 *	a and b:  a false or b false      -> false, nothing added
 *	          a true                  -> b (b's facts, if b is unknown)
 *	          a unknown, b true       -> unknown, a's facts
 *	          a unknown, b unknown    -> unknown, a's and b's facts
 *	a or b:   the dual, with true and false exchanged
 *	if(c,a,b) c known                 -> the chosen branch
 *	          c unknown, a == b known -> a, nothing added
 *	          otherwise               -> unknown, facts of c, a and b
 *	known(x): x's facts are discarded
 *
 * The same argument applies recursively, so the set reported for the whole
 * expression is exactly what the rulebook must still learn. Facts come from
 * the caller through rt->get, which adds a symbol's own missing facts when
 * it is unknown (for a definition, the facts its own expression lacks).
 *
 * Arithmetic is exact: numbers and yen are hj_frac fractions and nothing is
 * rounded inside an expression. Overflow or division by zero during
 * evaluation sets rt->error and yields unknown without adding facts (no
 * fact can repair it); during constant folding it is a compile error.
 *
 * Representation
 * --------------
 * Compilation parses by recursive descent straight into an array of nodes,
 * type-checking each node as it is built and folding it at once when all
 * of its children are constants. String literals and lists of them have no
 * type of their own until an enum context (==, in, count, if, the wanted
 * result type) resolves them into enum indices and 64-bit masks. At the
 * end, the nodes reachable from the root are copied in post-order into a
 * single allocation together with the symbol list and the source text, so
 * evaluation walks a small contiguous array, recurses at most
 * MAX_DEPTH levels, and never allocates.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistr.h>
#include "hojo/alloc.h"
#include "expr.h"

/* Deepest tree (and deepest parser recursion) accepted. */
#define MAX_DEPTH 256

/* Compile-time pseudo types of unresolved string literals and lists. */
enum { CT_STR = 200, CT_LIST = 201 };

/* ------------------------------------------------------------------ */
/* Nodes                                                               */
/* ------------------------------------------------------------------ */

enum op {
	OP_CONST,  /* k                                          */
	OP_SYM,    /* a = kind, b = id                           */
	OP_AND,    /* a and b                                    */
	OP_OR,     /* a or b                                     */
	OP_NOT,    /* not a                                      */
	OP_CMPQ,   /* compare fractions, sub = enum cmp          */
	OP_CMPD,   /* compare dates, sub = enum cmp              */
	OP_EQB,    /* booleans, sub = C_EQ or C_NE               */
	OP_EQE,    /* enum indices, sub = C_EQ or C_NE           */
	OP_IN,     /* enum a in set b, sub = 1 for 'not in'      */
	OP_ADD,
	OP_SUB,
	OP_MUL,
	OP_DIV,
	OP_NEG,
	OP_MINQ,
	OP_MAXQ,
	OP_MIND,
	OP_MAXD,
	OP_COUNT,  /* popcount(a)                                */
	OP_COUNT2, /* popcount(a & b)                            */
	OP_KNOWN,
	OP_IF,     /* if(a, b, c)                                */
	OP_ESW,    /* enum switch: sym a, fallback b, cases at c */
	OP_STR,    /* compile time only: unresolved string       */
	OP_LIST    /* compile time only: unresolved string list  */
};

enum cmp { C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE };

/*
 * Enum switches. A disjunction whose every term is "e in S and x" or
 * "e == v and x", with one enum symbol e and pairwise disjoint S, is the
 * usual way to write a rule by industry:
 *
 *	(industry in ["manufacturing", "other"] and employees <= 300)
 *	or (industry == "retail" and employees <= 50) or ...
 *
 * When e is known, every term but the one whose S holds e is false
 * without reading its x, and a false term changes neither the value of
 * a disjunction nor its missing facts; so the value is that term's x
 * (false when none holds e), found in a table by e. When e is unknown the
 * disjunction is evaluated as written (the fallback), so the missing
 * facts stay exact. build() adds an OP_ESW node in front of such a
 * disjunction; its table has one entry per possible enum index.
 */
#define ESW_CASES 64

typedef struct node {
	uint8_t op;  /* enum op */
	uint8_t ty;  /* hj_ty of the result */
	uint8_t sub; /* enum cmp, or the 'not in' flag */
	union {
		struct {
			int32_t a, b, c;
		} x;
		hj_value k;
	} u;
} node;

struct hj_expr {
	const node *nodes;
	const int32_t *cases; /* ESW_CASES per enum switch */
	const hj_expr_sym *syms;
	const char *text;
	int32_t root;
	int32_t nnodes;
	int32_t nsyms;
	hj_type type;
};

/* Children of a node; returns how many. */
static int kids(const node *x, int32_t k[3])
{
	switch ((enum op)x->op) {
	case OP_CONST:
	case OP_SYM:
	case OP_STR:
	case OP_LIST:
		return 0;
	case OP_NOT:
	case OP_NEG:
	case OP_COUNT:
	case OP_KNOWN:
		k[0] = x->u.x.a;
		return 1;
	case OP_ESW: /* only in built expressions, never walked by kids() */
		return 0;
	case OP_IF:
		k[0] = x->u.x.a;
		k[1] = x->u.x.b;
		k[2] = x->u.x.c;
		return 3;
	default:
		k[0] = x->u.x.a;
		k[1] = x->u.x.b;
		return 2;
	}
}

/* ------------------------------------------------------------------ */
/* Evaluation                                                          */
/* ------------------------------------------------------------------ */

/*
 * Two evaluators walk the same nodes: 'evt' gives the three-valued truth
 * of a boolean node as a small integer (no hj_value is built for the
 * connectives, which are most of a condition), 'ev' the value of any
 * node. Each calls the other where the node's type asks for it.
 *
 * 'ms' may be NULL: the caller does not want the missing facts (a
 * verdict). The values are the same either way; only the bookkeeping of
 * the sets, and the temporaries of 'and', 'or' and 'if', are skipped.
 */
enum { TV_F = 0, TV_T = 1, TV_U = 2 };

static hj_value ev(const node *n, int32_t i, hj_expr_rt *rt, hj_factset *ms);
static int evt(const node *n, int32_t i, hj_expr_rt *rt, hj_factset *ms);

static hj_value fail_rt(hj_expr_rt *rt)
{
	rt->error = 1;
	return hj_value_unknown();
}

static int cmp_holds(int sub, int c)
{
	switch (sub) {
	case C_EQ: return c == 0;
	case C_NE: return c != 0;
	case C_LT: return c < 0;
	case C_LE: return c <= 0;
	case C_GT: return c > 0;
	default: return c >= 0;
	}
}

/* hj_frac_cmp, without the 128-bit products when both are integers */
static int qcmp(hj_frac a, hj_frac b)
{
	if (a.den == 1 && b.den == 1)
		return (a.num > b.num) - (a.num < b.num);
	return hj_frac_cmp(a, b);
}

static int same_value(int ty, hj_value a, hj_value b)
{
	switch (ty) {
	case HJ_TY_BOOL: return (a.u.b != 0) == (b.u.b != 0);
	case HJ_TY_NUM:
	case HJ_TY_YEN: return qcmp(a.u.q, b.u.q) == 0;
	case HJ_TY_DATE: return a.u.date == b.u.date;
	case HJ_TY_ENUM: return a.u.sym == b.u.sym;
	case HJ_TY_SET: return a.u.set == b.u.set;
	default: return 0;
	}
}

/* A symbol's value; its missing facts into 'ms' when unknown. */
static inline __attribute__((always_inline)) hj_value ev_sym(const node *x, hj_expr_rt *rt, hj_factset *ms)
{
	int kind = x->u.x.a, id = x->u.x.b;
	if (rt->plain && kind == HJ_SYM_FACT && rt->plain[id]) {
		if (!rt->vals[id].known && ms)
			hj_factset_add(ms, id);
		return rt->vals[id];
	}
	hj_value r;
	r.known = 0; /* 'get' stores the whole value */
	if (rt->get) {
		hj_factset scratch;
		if (!ms) /* the callback always reports; nobody reads it */
			hj_factset_clear(&scratch);
		rt->get(rt->ud, kind, id, &r, ms ? ms : &scratch);
	}
	return r;
}

static int truth(hj_value v)
{
	return v.known ? (v.u.b != 0) : TV_U;
}

static hj_value from_truth(int t)
{
	return t == TV_U ? hj_value_unknown() : hj_value_bool(t);
}

/* evt, with the usual leaves read in place of a call: a plain fact, and
 * a plain fact compared with a constant */
static inline __attribute__((always_inline)) int evq(const node *n, int32_t i, hj_expr_rt *rt, hj_factset *ms)
{
	const node *x = &n[i];
	if (rt->plain) {
		int id = -1;
		if (x->op == OP_SYM && x->u.x.a == HJ_SYM_FACT)
			id = x->u.x.b;
		else if (x->op == OP_CMPQ && n[x->u.x.a].op == OP_SYM && n[x->u.x.a].u.x.a == HJ_SYM_FACT &&
			 n[x->u.x.b].op == OP_CONST)
			id = n[x->u.x.a].u.x.b;
		if (id >= 0 && rt->plain[id]) {
			const hj_value *v = &rt->vals[id];
			if (!v->known) {
				if (ms)
					hj_factset_add(ms, id);
				return TV_U;
			}
			if (x->op == OP_SYM)
				return v->u.b != 0;
			return cmp_holds(x->sub, qcmp(v->u.q, n[x->u.x.b].u.k.u.q));
		}
	}
	return evt(n, i, rt, ms);
}

/* 'a and b' (dominant = TV_F) or 'a or b' (dominant = TV_T) */
static inline __attribute__((always_inline)) int evt_logic(const node *n, const node *x, hj_expr_rt *rt, hj_factset *ms, int dominant)
{
	if (!ms) {
		int a = evq(n, x->u.x.a, rt, NULL);
		if (a == dominant)
			return a;
		int b = evq(n, x->u.x.b, rt, NULL);
		if (a != TV_U || b == dominant)
			return b;
		return TV_U;
	}
	hj_factset ma, mb;
	hj_factset_clear(&ma);
	int a = evq(n, x->u.x.a, rt, &ma);
	if (a == dominant)
		return a;
	if (a != TV_U)
		return evq(n, x->u.x.b, rt, ms);
	hj_factset_clear(&mb);
	int b = evq(n, x->u.x.b, rt, &mb);
	if (b == dominant)
		return b;
	hj_factset_union(ms, &ma);
	if (b == TV_U)
		hj_factset_union(ms, &mb);
	return TV_U;
}

static hj_value ev_if(const node *n, const node *x, hj_expr_rt *rt,
		      hj_factset *ms)
{
	hj_factset mc, mab;
	if (ms) {
		hj_factset_clear(&mc);
		hj_factset_clear(&mab);
	}
	int c = evt(n, x->u.x.a, rt, ms ? &mc : NULL);
	if (c != TV_U)
		return ev(n, c ? x->u.x.b : x->u.x.c, rt, ms);
	hj_value a = ev(n, x->u.x.b, rt, ms ? &mab : NULL);
	hj_value b = ev(n, x->u.x.c, rt, ms ? &mab : NULL);
	if (a.known && b.known && same_value(x->ty, a, b))
		return a;
	if (ms) {
		hj_factset_union(ms, &mc);
		hj_factset_union(ms, &mab);
	}
	return hj_value_unknown();
}

/*
 * The operands of a strict binary node into *a and *b; 0 when either is
 * unknown (both report into 'ms'). The usual shape, a plain fact against
 * a constant, is read without recursion.
 */
static inline __attribute__((always_inline)) int operands(const node *n, const node *x, hj_expr_rt *rt, hj_factset *ms, hj_value *a, hj_value *b)
{
	const node *xa = &n[x->u.x.a], *xb = &n[x->u.x.b];
	if (xb->op == OP_CONST && xa->op == OP_SYM && rt->plain && xa->u.x.a == HJ_SYM_FACT &&
	    rt->plain[xa->u.x.b]) {
		*a = rt->vals[xa->u.x.b];
		if (!a->known) {
			if (ms)
				hj_factset_add(ms, xa->u.x.b);
			return 0;
		}
		*b = xb->u.k;
		return 1;
	}
	*a = ev(n, x->u.x.a, rt, ms);
	*b = ev(n, x->u.x.b, rt, ms);
	return a->known && b->known;
}

static int evt(const node *n, int32_t i, hj_expr_rt *rt, hj_factset *ms)
{
	const node *x = &n[i];
	hj_value a, b;

	switch ((enum op)x->op) {
	case OP_CONST:
		return truth(x->u.k);
	case OP_SYM: {
		int id = x->u.x.b;
		if (rt->plain && x->u.x.a == HJ_SYM_FACT && rt->plain[id]) {
			const hj_value *v = &rt->vals[id];
			if (v->known)
				return v->u.b != 0;
			if (ms)
				hj_factset_add(ms, id);
			return TV_U;
		}
		return truth(ev_sym(x, rt, ms));
	}
	case OP_AND:
		return evt_logic(n, x, rt, ms, TV_F);
	case OP_OR:
		return evt_logic(n, x, rt, ms, TV_T);
	case OP_NOT: {
		int t = evt(n, x->u.x.a, rt, ms);
		return t == TV_U ? t : !t;
	}
	case OP_KNOWN:
		return ev(n, x->u.x.a, rt, NULL).known;
	case OP_CMPQ:
		if (!operands(n, x, rt, ms, &a, &b))
			return TV_U;
		return cmp_holds(x->sub, qcmp(a.u.q, b.u.q));
	case OP_CMPD:
		if (!operands(n, x, rt, ms, &a, &b))
			return TV_U;
		return cmp_holds(x->sub, (a.u.date > b.u.date) - (a.u.date < b.u.date));
	case OP_EQB:
		if (!operands(n, x, rt, ms, &a, &b))
			return TV_U;
		return ((a.u.b != 0) == (b.u.b != 0)) == (x->sub == C_EQ);
	case OP_EQE:
		if (!operands(n, x, rt, ms, &a, &b))
			return TV_U;
		return (a.u.sym == b.u.sym) == (x->sub == C_EQ);
	case OP_IN:
		if (!operands(n, x, rt, ms, &a, &b))
			return TV_U;
		return (a.u.sym >= 0 && a.u.sym < 64 && ((b.u.set >> a.u.sym) & 1)) != x->sub;
	case OP_ESW: {
		hj_value e = ev_sym(&n[x->u.x.a], rt, NULL);
		if (!e.known)
			return evt(n, x->u.x.b, rt, ms);
		if (e.u.sym < 0 || e.u.sym >= ESW_CASES)
			return TV_F;
		const int32_t *cases = (const int32_t *)(const void *)((const char *)n + x->u.x.c);
		int32_t k = cases[e.u.sym];
		return k < 0 ? TV_F : evq(n, k, rt, ms);
	}
	default: /* if(), a boolean of another shape */
		return truth(ev(n, i, rt, ms));
	}
}

static hj_value ev(const node *n, int32_t i, hj_expr_rt *rt, hj_factset *ms)
{
	const node *x = &n[i];
	hj_value a, b;
	hj_frac q;
	hj_status st;

	switch ((enum op)x->op) {
	case OP_CONST:
		return x->u.k;
	case OP_SYM:
		return ev_sym(x, rt, ms);
	case OP_IF:
		return ev_if(n, x, rt, ms);
	case OP_AND:
	case OP_OR:
	case OP_NOT:
	case OP_KNOWN:
	case OP_CMPQ:
	case OP_CMPD:
	case OP_EQB:
	case OP_EQE:
	case OP_IN:
	case OP_ESW:
		return from_truth(evt(n, i, rt, ms));
	case OP_NEG:
		a = ev(n, x->u.x.a, rt, ms);
		if (!a.known)
			return a;
		if (hj_frac_sub(hj_frac_int(0), a.u.q, &q) != HJ_OK)
			return fail_rt(rt);
		return hj_value_frac(q);
	case OP_COUNT:
		a = ev(n, x->u.x.a, rt, ms);
		if (!a.known)
			return a;
		return hj_value_frac(hj_frac_int(__builtin_popcountll(a.u.set)));
	default:
		break;
	}

	/* strict binary operators */
	if (!operands(n, x, rt, ms, &a, &b))
		return hj_value_unknown();
	switch ((enum op)x->op) {
	case OP_ADD:
		st = hj_frac_add(a.u.q, b.u.q, &q);
		break;
	case OP_SUB:
		st = hj_frac_sub(a.u.q, b.u.q, &q);
		break;
	case OP_MUL:
		st = hj_frac_mul(a.u.q, b.u.q, &q);
		break;
	case OP_DIV:
		if (b.u.q.num == 0)
			return fail_rt(rt);
		st = hj_frac_div(a.u.q, b.u.q, &q);
		break;
	case OP_MINQ:
		return qcmp(b.u.q, a.u.q) < 0 ? b : a;
	case OP_MAXQ:
		return qcmp(b.u.q, a.u.q) > 0 ? b : a;
	case OP_MIND:
		return b.u.date < a.u.date ? b : a;
	case OP_MAXD:
		return b.u.date > a.u.date ? b : a;
	case OP_COUNT2:
		return hj_value_frac(
			hj_frac_int(__builtin_popcountll(a.u.set & b.u.set)));
	default:
		return fail_rt(rt); /* unreachable for compiled expressions */
	}
	if (st != HJ_OK)
		return fail_rt(rt);
	return hj_value_frac(q);
}

/* ------------------------------------------------------------------ */
/* Compiler state and errors                                           */
/* ------------------------------------------------------------------ */

enum tk {
	T_ERR = -1,
	T_EOF = 0,
	T_NUM, T_YEN, T_DATE, T_STR, T_NAME,
	T_AND, T_OR, T_NOT, T_IN, T_TRUE, T_FALSE,
	T_LP, T_RP, T_LB, T_RB, T_COMMA,
	T_PLUS, T_MINUS, T_STAR, T_SLASH,
	T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE
};

typedef struct tok {
	int kind;   /* enum tk */
	size_t pos; /* byte offset in src */
	size_t len; /* bytes */
	hj_value v; /* T_NUM, T_YEN, T_DATE */
} tok;

/* Compile-time information kept beside each node. */
typedef struct cinfo {
	int32_t pos;    /* byte offset of the token that made the node */
	int32_t depth;  /* height of the subtree */
	hj_type type;   /* static type; ty may be CT_STR or CT_LIST */
	int32_t s_off;  /* OP_STR: unescaped text in the string pool */
	int32_t s_len;
	int32_t first;  /* OP_LIST: first element, -1 if empty */
	int32_t next;   /* OP_STR in a list: next element, -1 at the end */
} cinfo;

typedef struct arg {
	int32_t node;
	int32_t pos; /* where the argument's text starts */
} arg;

typedef struct parser {
	const char *src;
	size_t len;
	const hj_expr_env *env;
	const char *file;
	const char *field;
	int line0, col0;
	hj_error *err;
	hj_status status; /* HJ_OK until the first error */

	tok t;          /* current token */
	size_t lexpos;  /* where scanning for the next token starts */
	size_t first;   /* position of the first token */
	int depth;      /* parser recursion depth */

	node *nodes;
	cinfo *ci;
	int32_t nn, cap;

	char *pool;     /* unescaped string literals */
	size_t plen, pcap;

	hj_expr_sym *syms;
	int32_t nsyms, scap;

	arg *args;      /* a stack of function-call arguments */
	int32_t nargs, acap;
} parser;

/*
 * Line and column of byte 'off'. Columns count characters (a UTF-8
 * sequence is one column). An origin column of 0 means "unknown" (e.g. a
 * folded YAML block whose indentation is not known): columns are then
 * reported as 0 too, while lines are still counted.
 */
static void linecol(const parser *p, size_t off, int *line, int *col)
{
	int l = p->line0, c = p->col0;
	for (size_t i = 0; i < off && i < p->len; i++) {
		unsigned char b = (unsigned char)p->src[i];
		if (b == '\n') {
			l++;
			c = 1;
		} else if ((b & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*col = p->col0 > 0 ? c : 0;
}

static int fail(parser *p, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Record a rulebook error at byte offset 'off' (only the first counts). */
static int fail(parser *p, size_t off, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int line, col;

	if (p->status != HJ_OK)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	linecol(p, off, &line, &col);
	p->status = hj_error_set(p->err, HJ_ERR_RULEBOOK, p->file, line, col,
				 p->field, "%s", msg);
	return -1;
}

static int nomem(parser *p)
{
	if (p->status == HJ_OK)
		p->status = hj_error_set(p->err, HJ_ERR_NOMEM, p->file, 0, 0,
					 p->field, "メモリが足りません");
	return -1;
}

/* Bytes of s[0..len) to quote in a message: at most ~60, whole chars. */
static int clip(const char *s, size_t len)
{
	size_t n = len < 60 ? len : 60;
	while (n < len && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}

static const char *enum_name(const parser *p, int id)
{
	const char *s = NULL;
	if (p->env && p->env->enum_name)
		s = p->env->enum_name(p->env->ud, id);
	return s ? s : "?";
}

/* Japanese name of a type, for messages. */
static const char *tyname(const parser *p, hj_type t, char *buf, size_t size)
{
	switch (t.ty) {
	case HJ_TY_BOOL: return "真偽値";
	case HJ_TY_NUM: return "数";
	case HJ_TY_YEN: return "円";
	case HJ_TY_DATE: return "日付";
	case HJ_TY_ENUM:
		snprintf(buf, size, "列挙 %s", enum_name(p, t.enum_id));
		return buf;
	case HJ_TY_SET:
		snprintf(buf, size, "集合 %s", enum_name(p, t.enum_id));
		return buf;
	case CT_STR: return "文字列";
	case CT_LIST: return "リスト";
	default: return "不明な型";
	}
}

/* "型が合いません: " + fmt with the two type names as the %s arguments. */
static int type_error2(parser *p, size_t off, const char *fmt, hj_type a,
		       hj_type b)
{
	char b1[160], b2[160], m[400];
	snprintf(m, sizeof m, fmt, tyname(p, a, b1, sizeof b1),
		 tyname(p, b, b2, sizeof b2));
	return fail(p, off, "型が合いません: %s", m);
}

static int type_error1(parser *p, size_t off, const char *fmt, hj_type a)
{
	char b1[160], m[400];
	snprintf(m, sizeof m, fmt, tyname(p, a, b1, sizeof b1));
	return fail(p, off, "型が合いません: %s", m);
}

static hj_type mkty(int ty, int enum_id)
{
	hj_type t;
	t.ty = (uint8_t)ty;
	t.enum_id = (int16_t)(ty == HJ_TY_ENUM || ty == HJ_TY_SET ? enum_id : -1);
	return t;
}

static int same_type(hj_type a, hj_type b)
{
	if (a.ty != b.ty)
		return 0;
	if (a.ty == HJ_TY_ENUM || a.ty == HJ_TY_SET)
		return a.enum_id == b.enum_id;
	return 1;
}

static int is_pseudo(hj_type t)
{
	return t.ty == CT_STR || t.ty == CT_LIST;
}

/* ------------------------------------------------------------------ */
/* Lexer                                                               */
/* ------------------------------------------------------------------ */

static int lfail(parser *p, int quiet, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int lfail(parser *p, int quiet, size_t off, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	if (quiet)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return fail(p, off, "%s", msg);
}

static int isdig(int c) { return c >= '0' && c <= '9'; }
static int isalpha_(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

enum { U_MAN = 1, U_OKU, U_EN };

/* 万, 億 or 円 at s[i]? */
static int unit_at(const char *s, size_t len, size_t i)
{
	if (i + 3 > len)
		return 0;
	if (!memcmp(s + i, "万", 3))
		return U_MAN;
	if (!memcmp(s + i, "億", 3))
		return U_OKU;
	if (!memcmp(s + i, "円", 3))
		return U_EN;
	return 0;
}

static size_t scan_digits_commas(const char *s, size_t len, size_t i)
{
	while (i < len && (isdig((unsigned char)s[i]) || s[i] == ','))
		i++;
	return i;
}

static size_t first_comma(const char *s, size_t i, size_t end)
{
	while (i < end && s[i] != ',')
		i++;
	return i;
}

/* *n = *n * 10 + digit; 1 on overflow. */
static int push_digit(int64_t *n, char digit)
{
	return (int)__builtin_mul_overflow(*n, 10, n) ||
	       (int)__builtin_add_overflow(*n, digit - '0', n);
}

/* *n *= f; 1 on overflow. */
static int scale(int64_t *n, int64_t f)
{
	return (int)__builtin_mul_overflow(*n, f, n);
}

static int lex_number(parser *p, size_t at, tok *t, int quiet)
{
	const char *s = p->src;
	size_t len = p->len;
	size_t q = scan_digits_commas(s, len, at);

	if (unit_at(s, len, q)) {
		/* A yen amount: groups of [0-9,]+ followed by 億/万/円. */
		for (;;) {
			int u = unit_at(s, len, q);
			if (!u)
				break;
			q += 3;
			if (u == U_EN)
				break;
			if (q < len && isdig((unsigned char)s[q])) {
				size_t r = scan_digits_commas(s, len, q);
				if (unit_at(s, len, r)) {
					q = r;
					continue;
				}
				q = first_comma(s, q, r);
				break;
			}
		}
		hj_yen y;
		hj_error ye;
		hj_error_clear(&ye);
		if (hj_yen_parse(s + at, q - at, &y, &ye) != HJ_OK)
			return lfail(p, quiet, at, "金額 '%.*s' を読めません: %s",
				     clip(s + at, q - at), s + at, ye.message);
		t->kind = T_YEN;
		t->len = q - at;
		t->v = hj_value_frac(hj_frac_int(y));
		return 0;
	}

	/* Without a unit, a comma ends the number (argument separator). */
	size_t e = first_comma(s, at, q);

	/* A date: DIGITS-DIGITS-DIGITS. */
	if (e + 1 < len && s[e] == '-' && isdig((unsigned char)s[e + 1])) {
		size_t m = e + 1;
		while (m < len && isdig((unsigned char)s[m]))
			m++;
		if (m + 1 < len && s[m] == '-' && isdig((unsigned char)s[m + 1])) {
			size_t d = m + 1;
			while (d < len && isdig((unsigned char)s[d]))
				d++;
			hj_date dt;
			hj_error de;
			hj_error_clear(&de);
			if (hj_date_parse(s + at, d - at, &dt, &de) != HJ_OK)
				return lfail(p, quiet, at,
					     "日付 '%.*s' が正しくありません "
					     "(実在する日付を YYYY-MM-DD の形で書いてください)",
					     clip(s + at, d - at), s + at);
			t->kind = T_DATE;
			t->len = d - at;
			t->v = hj_value_unknown();
			t->v.known = 1;
			t->v.u.date = dt;
			return 0;
		}
	}

	/* An integer, a decimal, a percentage. */
	int64_t num = 0, den = 1;
	size_t i = at;
	int big = 0;
	for (; i < e; i++)
		big |= push_digit(&num, s[i]);
	if (i + 1 < len && s[i] == '.' && isdig((unsigned char)s[i + 1])) {
		for (i++; i < len && isdig((unsigned char)s[i]); i++)
			big |= push_digit(&num, s[i]) | scale(&den, 10);
	}
	if (i < len && s[i] == '%') {
		i++;
		big |= scale(&den, 100);
	}
	hj_frac f;
	if (big || hj_frac_make(num, den, &f) != HJ_OK)
		return lfail(p, quiet, at, "数 '%.*s' が大きすぎます",
			     clip(s + at, i - at), s + at);
	t->kind = T_NUM;
	t->len = i - at;
	t->v = hj_value_frac(f);
	return 0;
}

static int lex_string(parser *p, size_t at, tok *t, int quiet)
{
	const char *s = p->src;
	char qc = s[at];
	size_t q = at + 1;
	while (q < p->len && s[q] != qc) {
		if (s[q] == '\\') {
			if (q + 1 < p->len && (s[q + 1] == '"' || s[q + 1] == '\'' ||
					       s[q + 1] == '\\')) {
				q += 2;
				continue;
			}
			return lfail(p, quiet, q,
				     "文字列の中で '\\' の後に書けるのは \" ' \\ だけです");
		}
		q++;
	}
	if (q >= p->len)
		return lfail(p, quiet, at, "文字列が閉じられていません");
	t->kind = T_STR;
	t->len = q + 1 - at;
	return 0;
}

static int bad_char(parser *p, size_t at, int quiet)
{
	const unsigned char *s = (const unsigned char *)p->src + at;
	size_t n = s[0] < 0x80 ? 1 : s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;
	if (n > p->len - at)
		n = p->len - at;
	if (n == 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
		return lfail(p, quiet, at, "全角の空白は使えません");
	if (s[0] < 0x20 || s[0] == 0x7F)
		return lfail(p, quiet, at, "予期しない制御文字 U+%04X", s[0]);
	return lfail(p, quiet, at, "予期しない文字 '%.*s'", (int)n, (const char *)s);
}

static int kw(const char *s, size_t n, const char *k)
{
	return strlen(k) == n && !memcmp(s, k, n);
}

/* Scan the token starting at or after 'at' into *t. 0, or -1 on error
 * (reported unless 'quiet'). */
static int lex(parser *p, size_t at, tok *t, int quiet)
{
	const char *s = p->src;
	size_t len = p->len;

	while (at < len && (s[at] == ' ' || s[at] == '\t' || s[at] == '\n' ||
			    s[at] == '\r'))
		at++;
	t->pos = at;
	t->len = 1;
	t->kind = T_ERR;
	if (at >= len) {
		t->kind = T_EOF;
		t->len = 0;
		return 0;
	}
	unsigned char c = (unsigned char)s[at];
	if (isdig(c))
		return lex_number(p, at, t, quiet);
	if (c == '"' || c == '\'')
		return lex_string(p, at, t, quiet);
	if (isalpha_(c)) {
		size_t q = at + 1;
		while (q < len && (isalpha_((unsigned char)s[q]) ||
				   isdig((unsigned char)s[q]) || s[q] == '.'))
			q++;
		size_t n = q - at;
		t->len = n;
		t->kind = kw(s + at, n, "and")     ? T_AND
			  : kw(s + at, n, "or")    ? T_OR
			  : kw(s + at, n, "not")   ? T_NOT
			  : kw(s + at, n, "in")    ? T_IN
			  : kw(s + at, n, "true")  ? T_TRUE
			  : kw(s + at, n, "false") ? T_FALSE
						   : T_NAME;
		return 0;
	}
	int two = at + 1 < len && s[at + 1] == '=';
	switch (c) {
	case '(': t->kind = T_LP; return 0;
	case ')': t->kind = T_RP; return 0;
	case '[': t->kind = T_LB; return 0;
	case ']': t->kind = T_RB; return 0;
	case ',': t->kind = T_COMMA; return 0;
	case '+': t->kind = T_PLUS; return 0;
	case '-': t->kind = T_MINUS; return 0;
	case '*': t->kind = T_STAR; return 0;
	case '/': t->kind = T_SLASH; return 0;
	case '<':
		t->kind = two ? T_LE : T_LT;
		t->len = two ? 2 : 1;
		return 0;
	case '>':
		t->kind = two ? T_GE : T_GT;
		t->len = two ? 2 : 1;
		return 0;
	case '=':
		if (!two)
			return lfail(p, quiet, at,
				     "'=' ではなく '==' と書いてください");
		t->kind = T_EQ;
		t->len = 2;
		return 0;
	case '!':
		if (!two)
			return lfail(p, quiet, at,
				     "予期しない文字 '!' ('not' を使ってください)");
		t->kind = T_NE;
		t->len = 2;
		return 0;
	default:
		return bad_char(p, at, quiet);
	}
}

static void advance(parser *p)
{
	if (lex(p, p->lexpos, &p->t, 0) < 0) {
		p->t.kind = T_ERR;
		return;
	}
	p->lexpos = p->t.pos + p->t.len;
}

/* Kind of the token after the current one, without reporting errors. */
static int peek_kind(parser *p)
{
	tok t;
	if (lex(p, p->lexpos, &t, 1) < 0)
		return T_ERR;
	return t.kind;
}

/* ------------------------------------------------------------------ */
/* Node construction, folding and coercion                             */
/* ------------------------------------------------------------------ */

static int grow_nodes(parser *p)
{
	int32_t cap = p->cap ? p->cap * 2 : 32;
	if (cap > (1 << 24))
		return nomem(p);
	node *n = hj_realloc(p->nodes, (size_t)cap * sizeof *n);
	if (!n)
		return nomem(p);
	p->nodes = n;
	cinfo *c = hj_realloc(p->ci, (size_t)cap * sizeof *c);
	if (!c)
		return nomem(p);
	p->ci = c;
	p->cap = cap;
	return 0;
}

static int32_t node_new(parser *p, int op, hj_type ty, size_t pos)
{
	if (p->nn == p->cap && grow_nodes(p) < 0)
		return -1;
	int32_t i = p->nn++;
	memset(&p->nodes[i], 0, sizeof p->nodes[i]);
	p->nodes[i].op = (uint8_t)op;
	p->nodes[i].ty = ty.ty;
	cinfo *c = &p->ci[i];
	memset(c, 0, sizeof *c);
	c->pos = (int32_t)pos;
	c->depth = 1;
	c->type = ty;
	c->first = c->next = -1;
	return i;
}

static int32_t node_const(parser *p, hj_type ty, size_t pos, hj_value v)
{
	int32_t i = node_new(p, OP_CONST, ty, pos);
	if (i >= 0)
		p->nodes[i].u.k = v;
	return i;
}

static int32_t fold(parser *p, int32_t i);

/* An operator node; checks the depth limit and folds constants. */
static int32_t node_op(parser *p, int op, int sub, hj_type ty, size_t pos,
		       int32_t a, int32_t b, int32_t c)
{
	int32_t i = node_new(p, op, ty, pos);
	if (i < 0)
		return -1;
	node *x = &p->nodes[i];
	x->sub = (uint8_t)sub;
	x->u.x.a = a;
	x->u.x.b = b;
	x->u.x.c = c;
	int32_t k[3];
	int nk = kids(x, k), d = 0;
	for (int j = 0; j < nk; j++)
		if (p->ci[k[j]].depth > d)
			d = p->ci[k[j]].depth;
	p->ci[i].depth = d + 1;
	if (d + 1 > MAX_DEPTH)
		return fail(p, pos, "式が複雑すぎます (入れ子や項が多すぎます)");
	return fold(p, i);
}

/* Evaluate node i now if all its children are constants. */
static int32_t fold(parser *p, int32_t i)
{
	node *x = &p->nodes[i];
	int32_t k[3];
	int nk = kids(x, k);
	if (nk == 0)
		return i;
	for (int j = 0; j < nk; j++)
		if (p->nodes[k[j]].op != OP_CONST)
			return i;
	hj_expr_rt rt;
	hj_factset ms;
	memset(&rt, 0, sizeof rt);
	hj_factset_clear(&ms);
	hj_value v = ev(p->nodes, i, &rt, &ms);
	if (rt.error || !v.known) {
		if (x->op == OP_DIV && p->nodes[k[1]].u.k.u.q.num == 0)
			return fail(p, (size_t)p->ci[i].pos, "0 で割っています");
		return fail(p, (size_t)p->ci[i].pos, "定数の計算が桁あふれします");
	}
	x->op = OP_CONST;
	x->sub = 0;
	x->u.k = v;
	return i;
}

/* Index of the string literal node i among the values of enum 'id'. */
static int resolve_str(parser *p, int32_t i, int id)
{
	const cinfo *c = &p->ci[i];
	const char *s = p->pool + c->s_off;
	int idx = -1;
	if (p->env && p->env->enum_index)
		idx = p->env->enum_index(p->env->ud, id, s, (size_t)c->s_len);
	if (idx < 0)
		return fail(p, (size_t)c->pos, "'%.*s' は %s の値ではありません",
			    clip(s, (size_t)c->s_len), s, enum_name(p, id));
	return idx;
}

/*
 * Give string literals and lists in node i their meaning in an enum
 * context: a string becomes an ENUM constant and a list a SET constant of
 * 'to'. Nodes of any other type are left alone. 0, or -1 on error.
 */
static int coerce(parser *p, int32_t i, hj_type to)
{
	cinfo *c = &p->ci[i];
	if (p->nodes[i].op == OP_STR && to.ty == HJ_TY_ENUM) {
		int idx = resolve_str(p, i, to.enum_id);
		if (idx < 0)
			return -1;
		hj_value v = hj_value_unknown();
		v.known = 1;
		v.u.sym = idx;
		p->nodes[i].op = OP_CONST;
		p->nodes[i].ty = HJ_TY_ENUM;
		p->nodes[i].u.k = v;
		c->type = to;
		return 0;
	}
	if (p->nodes[i].op == OP_LIST && to.ty == HJ_TY_SET) {
		uint64_t mask = 0;
		for (int32_t e = c->first; e >= 0; e = p->ci[e].next) {
			int idx = resolve_str(p, e, to.enum_id);
			if (idx < 0)
				return -1;
			if (idx >= 64)
				return fail(p, (size_t)p->ci[e].pos,
					    "列挙 %s は値が多すぎて集合として扱えません",
					    enum_name(p, to.enum_id));
			mask |= (uint64_t)1 << idx;
		}
		hj_value v = hj_value_unknown();
		v.known = 1;
		v.u.set = mask;
		c = &p->ci[i];
		p->nodes[i].op = OP_CONST;
		p->nodes[i].ty = HJ_TY_SET;
		p->nodes[i].u.k = v;
		c->type = to;
		return 0;
	}
	if (p->nodes[i].op == OP_IF && is_pseudo(c->type) &&
	    ((c->type.ty == CT_STR && to.ty == HJ_TY_ENUM) ||
	     (c->type.ty == CT_LIST && to.ty == HJ_TY_SET))) {
		if (coerce(p, p->nodes[i].u.x.b, to) < 0 ||
		    coerce(p, p->nodes[i].u.x.c, to) < 0)
			return -1;
		p->ci[i].type = to;
		p->nodes[i].ty = to.ty;
		return fold(p, i) < 0 ? -1 : 0;
	}
	return 0;
}

static int add_symbol(parser *p, const hj_expr_sym *s)
{
	for (int32_t i = 0; i < p->nsyms; i++)
		if (p->syms[i].kind == s->kind && p->syms[i].id == s->id)
			return 0;
	if (p->nsyms == p->scap) {
		int32_t cap = p->scap ? p->scap * 2 : 8;
		hj_expr_sym *n = hj_realloc(p->syms, (size_t)cap * sizeof *n);
		if (!n)
			return nomem(p);
		p->syms = n;
		p->scap = cap;
	}
	p->syms[p->nsyms++] = *s;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Type rules of the operators                                         */
/* ------------------------------------------------------------------ */

static hj_type ty_of(int32_t i, const parser *p) { return p->ci[i].type; }

static int32_t mk_logic(parser *p, int op, size_t pos, int32_t l, int32_t r)
{
	if (ty_of(l, p).ty != HJ_TY_BOOL || ty_of(r, p).ty != HJ_TY_BOOL)
		return type_error2(p, pos, op == OP_AND
				   ? "'and' の両辺は真偽値でなければなりませんが、%sと%sです"
				   : "'or' の両辺は真偽値でなければなりませんが、%sと%sです",
				   ty_of(l, p), ty_of(r, p));
	return node_op(p, op, 0, mkty(HJ_TY_BOOL, -1), pos, l, r, 0);
}

static int32_t mk_not(parser *p, size_t pos, int32_t x)
{
	if (ty_of(x, p).ty != HJ_TY_BOOL)
		return type_error1(p, pos,
				   "'not' には真偽値が必要ですが、%sです", ty_of(x, p));
	return node_op(p, OP_NOT, 0, mkty(HJ_TY_BOOL, -1), pos, x, 0, 0);
}

static int32_t mk_in(parser *p, size_t pos, int neg, int32_t l, int32_t r)
{
	hj_type L = ty_of(l, p), R = ty_of(r, p);
	if (R.ty == CT_LIST && L.ty == HJ_TY_ENUM) {
		if (coerce(p, r, mkty(HJ_TY_SET, L.enum_id)) < 0)
			return -1;
	} else if (R.ty == HJ_TY_SET && L.ty == CT_STR) {
		if (coerce(p, l, mkty(HJ_TY_ENUM, R.enum_id)) < 0)
			return -1;
	}
	L = ty_of(l, p);
	R = ty_of(r, p);
	if (L.ty != HJ_TY_ENUM || R.ty != HJ_TY_SET || L.enum_id != R.enum_id)
		return type_error2(p, pos, "%sが%sに含まれるかは調べられません",
				   L, R);
	return node_op(p, OP_IN, neg, mkty(HJ_TY_BOOL, -1), pos, l, r, 0);
}

static int32_t mk_cmp(parser *p, int kind, size_t pos, int32_t l, int32_t r)
{
	static const int code[] = {
		[T_EQ] = C_EQ, [T_NE] = C_NE, [T_LT] = C_LT,
		[T_LE] = C_LE, [T_GT] = C_GT, [T_GE] = C_GE,
	};
	int eq = kind == T_EQ || kind == T_NE;
	hj_type L = ty_of(l, p), R = ty_of(r, p);

	if (eq && L.ty == CT_STR && R.ty == HJ_TY_ENUM) {
		if (coerce(p, l, R) < 0)
			return -1;
	} else if (eq && R.ty == CT_STR && L.ty == HJ_TY_ENUM) {
		if (coerce(p, r, L) < 0)
			return -1;
	}
	L = ty_of(l, p);
	R = ty_of(r, p);
	if (!same_type(L, R) || is_pseudo(L))
		return type_error2(p, pos, "%sと%sを比較しています", L, R);
	int op;
	switch (L.ty) {
	case HJ_TY_NUM:
	case HJ_TY_YEN: op = OP_CMPQ; break;
	case HJ_TY_DATE: op = OP_CMPD; break;
	case HJ_TY_BOOL: op = eq ? OP_EQB : -1; break;
	case HJ_TY_ENUM: op = eq ? OP_EQE : -1; break;
	default: op = -1; break;
	}
	if (op < 0)
		return type_error2(p, pos, eq ? "%sと%sは比較できません"
					      : "%sと%sの大小は比べられません",
				   L, R);
	return node_op(p, op, code[kind], mkty(HJ_TY_BOOL, -1), pos, l, r, 0);
}

static int32_t mk_arith(parser *p, int kind, size_t pos, int32_t l, int32_t r)
{
	hj_type L = ty_of(l, p), R = ty_of(r, p);
	int a = L.ty, b = R.ty, res = -1, op = 0;
	const char *msg = "";
	switch (kind) {
	case T_PLUS:
	case T_MINUS:
		if (a == b && (a == HJ_TY_NUM || a == HJ_TY_YEN))
			res = a;
		op = kind == T_PLUS ? OP_ADD : OP_SUB;
		msg = kind == T_PLUS ? "%sと%sは足せません" : "%sから%sは引けません";
		break;
	case T_STAR:
		if (a == HJ_TY_NUM && b == HJ_TY_NUM)
			res = HJ_TY_NUM;
		else if ((a == HJ_TY_YEN && b == HJ_TY_NUM) ||
			 (a == HJ_TY_NUM && b == HJ_TY_YEN))
			res = HJ_TY_YEN;
		op = OP_MUL;
		msg = "%sと%sは掛けられません";
		break;
	default:
		if (a == HJ_TY_NUM && b == HJ_TY_NUM)
			res = HJ_TY_NUM;
		else if (a == HJ_TY_YEN && b == HJ_TY_NUM)
			res = HJ_TY_YEN;
		else if (a == HJ_TY_YEN && b == HJ_TY_YEN)
			res = HJ_TY_NUM;
		op = OP_DIV;
		msg = "%sを%sで割ることはできません";
		break;
	}
	if (res < 0)
		return type_error2(p, pos, msg, L, R);
	return node_op(p, op, 0, mkty(res, -1), pos, l, r, 0);
}

static int32_t mk_neg(parser *p, size_t pos, int32_t x)
{
	hj_type X = ty_of(x, p);
	if (X.ty != HJ_TY_NUM && X.ty != HJ_TY_YEN)
		return type_error1(p, pos, "%sに '-' は付けられません", X);
	return node_op(p, OP_NEG, 0, X, pos, x, 0, 0);
}

/* ------------------------------------------------------------------ */
/* Functions                                                           */
/* ------------------------------------------------------------------ */

enum { F_MIN, F_MAX, F_COUNT, F_KNOWN, F_IF };

static int32_t mk_minmax(parser *p, int f, size_t pos, const arg *a, int n)
{
	const char *name = f == F_MIN ? "min" : "max";
	if (n < 1)
		return fail(p, pos, "%s には引数が1つ以上必要です", name);
	hj_type t0 = ty_of(a[0].node, p);
	if (t0.ty != HJ_TY_NUM && t0.ty != HJ_TY_YEN && t0.ty != HJ_TY_DATE) {
		char b1[160];
		return fail(p, (size_t)a[0].pos,
			    "型が合いません: %s の引数は数・円・日付のどれかでなければなりませんが、%sです",
			    name, tyname(p, t0, b1, sizeof b1));
	}
	int op = t0.ty == HJ_TY_DATE ? (f == F_MIN ? OP_MIND : OP_MAXD)
				     : (f == F_MIN ? OP_MINQ : OP_MAXQ);
	int32_t acc = a[0].node;
	for (int i = 1; i < n; i++) {
		hj_type ti = ty_of(a[i].node, p);
		if (!same_type(ti, t0)) {
			char b1[160], b2[160];
			return fail(p, (size_t)a[i].pos,
				    "型が合いません: %s の引数に%sと%sが混ざっています",
				    name, tyname(p, t0, b1, sizeof b1),
				    tyname(p, ti, b2, sizeof b2));
		}
		acc = node_op(p, op, 0, t0, pos, acc, a[i].node, 0);
		if (acc < 0)
			return -1;
	}
	return acc;
}

static int32_t mk_call(parser *p, int f, size_t pos, const arg *a, int n)
{
	char b1[160], b2[160];
	switch (f) {
	case F_MIN:
	case F_MAX:
		return mk_minmax(p, f, pos, a, n);
	case F_COUNT: {
		if (n != 1 && n != 2)
			return fail(p, pos, "count には引数を1つか2つ渡してください");
		hj_type s = ty_of(a[0].node, p);
		if (s.ty != HJ_TY_SET)
			return fail(p, (size_t)a[0].pos,
				    "型が合いません: count の引数は集合でなければなりませんが、%sです",
				    tyname(p, s, b1, sizeof b1));
		if (n == 1)
			return node_op(p, OP_COUNT, 0, mkty(HJ_TY_NUM, -1), pos,
				       a[0].node, 0, 0);
		if (coerce(p, a[1].node, s) < 0)
			return -1;
		hj_type l = ty_of(a[1].node, p);
		if (!same_type(l, s))
			return fail(p, (size_t)a[1].pos,
				    "型が合いません: count の引数が%sと%sです",
				    tyname(p, s, b1, sizeof b1),
				    tyname(p, l, b2, sizeof b2));
		return node_op(p, OP_COUNT2, 0, mkty(HJ_TY_NUM, -1), pos,
			       a[0].node, a[1].node, 0);
	}
	case F_KNOWN: {
		if (n != 1)
			return fail(p, pos, "known には引数を1つ渡してください");
		hj_type t = ty_of(a[0].node, p);
		if (is_pseudo(t))
			return fail(p, (size_t)a[0].pos,
				    "型が合いません: known の引数に%sは使えません",
				    tyname(p, t, b1, sizeof b1));
		return node_op(p, OP_KNOWN, 0, mkty(HJ_TY_BOOL, -1), pos,
			       a[0].node, 0, 0);
	}
	default: {
		if (n != 3)
			return fail(p, pos, "if には引数を3つ渡してください");
		int32_t c = a[0].node, x = a[1].node, y = a[2].node;
		hj_type C = ty_of(c, p);
		if (C.ty != HJ_TY_BOOL)
			return fail(p, (size_t)a[0].pos,
				    "型が合いません: if の条件は真偽値でなければなりませんが、%sです",
				    tyname(p, C, b1, sizeof b1));
		hj_type X = ty_of(x, p), Y = ty_of(y, p);
		if (is_pseudo(X) && !is_pseudo(Y)) {
			if (coerce(p, x, Y) < 0)
				return -1;
		} else if (is_pseudo(Y) && !is_pseudo(X)) {
			if (coerce(p, y, X) < 0)
				return -1;
		}
		X = ty_of(x, p);
		Y = ty_of(y, p);
		if (!same_type(X, Y))
			return fail(p, (size_t)a[2].pos,
				    "型が合いません: if の2つの値が%sと%sです",
				    tyname(p, X, b1, sizeof b1),
				    tyname(p, Y, b2, sizeof b2));
		return node_op(p, OP_IF, 0, X, pos, c, x, y);
	}
	}
}

/* ------------------------------------------------------------------ */
/* Parser                                                              */
/* ------------------------------------------------------------------ */

static int32_t parse_or(parser *p);

static int enter(parser *p)
{
	if (++p->depth > MAX_DEPTH) {
		p->depth--;
		return fail(p, p->t.pos, "式の入れ子が深すぎます");
	}
	return 0;
}

static int unexpected(parser *p)
{
	const tok *t = &p->t;
	if (t->kind == T_ERR)
		return -1;
	if (t->kind == T_EOF)
		return fail(p, t->pos, "式の途中で終わっています");
	if (t->kind == T_RP)
		return fail(p, t->pos, "対応する '(' のない ')' があります");
	return fail(p, t->pos, "予期しない字句 '%.*s'",
		    clip(p->src + t->pos, t->len), p->src + t->pos);
}

static int expect_close(parser *p, int kind, const char *what)
{
	if (p->t.kind == kind) {
		advance(p);
		return 0;
	}
	if (p->t.kind == T_ERR)
		return -1;
	return fail(p, p->t.pos, "'%s' がありません", what);
}

static int32_t parse_string(parser *p)
{
	const tok *t = &p->t;
	size_t need = p->plen + t->len;
	if (need > p->pcap) {
		size_t cap = p->pcap ? p->pcap : 64;
		while (cap < need)
			cap *= 2;
		char *n = hj_realloc(p->pool, cap);
		if (!n)
			return nomem(p);
		p->pool = n;
		p->pcap = cap;
	}
	size_t off = p->plen;
	for (size_t q = t->pos + 1; q + 1 < t->pos + t->len; q++) {
		if (p->src[q] == '\\')
			q++;
		p->pool[p->plen++] = p->src[q];
	}
	int32_t i = node_new(p, OP_STR, mkty(CT_STR, -1), t->pos);
	if (i < 0)
		return -1;
	p->ci[i].s_off = (int32_t)off;
	p->ci[i].s_len = (int32_t)(p->plen - off);
	advance(p);
	return i;
}

static int32_t parse_list(parser *p)
{
	int32_t l = node_new(p, OP_LIST, mkty(CT_LIST, -1), p->t.pos);
	int32_t last = -1;
	if (l < 0)
		return -1;
	advance(p);
	if (p->t.kind == T_RB) {
		advance(p);
		return l;
	}
	for (;;) {
		if (p->t.kind != T_STR) {
			if (p->t.kind == T_ERR || p->t.kind == T_EOF)
				return unexpected(p);
			return fail(p, p->t.pos, "リストには文字列しか書けません");
		}
		int32_t e = parse_string(p);
		if (e < 0)
			return -1;
		if (last < 0)
			p->ci[l].first = e;
		else
			p->ci[last].next = e;
		last = e;
		if (p->t.kind == T_COMMA) {
			advance(p);
			continue;
		}
		if (expect_close(p, T_RB, "]") < 0)
			return -1;
		return l;
	}
}

static int32_t parse_call(parser *p, const tok *name)
{
	static const char *const fn[] = { "min", "max", "count", "known", "if" };
	int f = -1;
	for (int i = 0; i < 5; i++)
		if (kw(p->src + name->pos, name->len, fn[i]))
			f = i;
	if (f < 0)
		return fail(p, name->pos, "未知の関数 '%.*s'",
			    clip(p->src + name->pos, name->len),
			    p->src + name->pos);
	advance(p); /* '(' */
	int32_t base = p->nargs;
	if (p->t.kind != T_RP) {
		for (;;) {
			size_t at = p->t.pos;
			int32_t a = parse_or(p);
			if (a < 0)
				return -1;
			if (p->nargs == p->acap) {
				int32_t cap = p->acap ? p->acap * 2 : 16;
				arg *n = hj_realloc(p->args, (size_t)cap * sizeof *n);
				if (!n)
					return nomem(p);
				p->args = n;
				p->acap = cap;
			}
			p->args[p->nargs].node = a;
			p->args[p->nargs].pos = (int32_t)at;
			p->nargs++;
			if (p->t.kind != T_COMMA)
				break;
			advance(p);
		}
	}
	if (expect_close(p, T_RP, ")") < 0)
		return -1;
	int32_t r = mk_call(p, f, name->pos, p->args ? p->args + base : NULL, p->nargs - base);
	p->nargs = base;
	return r;
}

static int32_t parse_primary(parser *p)
{
	tok t = p->t;
	int32_t i;
	switch (t.kind) {
	case T_NUM:
		advance(p);
		return node_const(p, mkty(HJ_TY_NUM, -1), t.pos, t.v);
	case T_YEN:
		advance(p);
		return node_const(p, mkty(HJ_TY_YEN, -1), t.pos, t.v);
	case T_DATE:
		advance(p);
		return node_const(p, mkty(HJ_TY_DATE, -1), t.pos, t.v);
	case T_TRUE:
	case T_FALSE:
		advance(p);
		return node_const(p, mkty(HJ_TY_BOOL, -1), t.pos,
				  hj_value_bool(t.kind == T_TRUE));
	case T_STR:
		return parse_string(p);
	case T_LB:
		return parse_list(p);
	case T_LP:
		advance(p);
		i = parse_or(p);
		if (i < 0 || expect_close(p, T_RP, ")") < 0)
			return -1;
		return i;
	case T_NAME: {
		advance(p);
		if (p->t.kind == T_LP)
			return parse_call(p, &t);
		hj_expr_sym s;
		memset(&s, 0, sizeof s);
		if (!p->env || !p->env->lookup ||
		    !p->env->lookup(p->env->ud, p->src + t.pos, t.len, &s))
			return fail(p, t.pos, "未定義の名前 '%.*s'",
				    clip(p->src + t.pos, t.len), p->src + t.pos);
		if (s.type.ty < HJ_TY_BOOL || s.type.ty > HJ_TY_SET ||
		    ((s.type.ty == HJ_TY_ENUM || s.type.ty == HJ_TY_SET) &&
		     s.type.enum_id < 0))
			return fail(p, t.pos, "名前 '%.*s' の型が正しくありません",
				    clip(p->src + t.pos, t.len), p->src + t.pos);
		s.type = mkty(s.type.ty, s.type.enum_id);
		if (add_symbol(p, &s) < 0)
			return -1;
		i = node_new(p, OP_SYM, s.type, t.pos);
		if (i < 0)
			return -1;
		p->nodes[i].u.x.a = s.kind;
		p->nodes[i].u.x.b = s.id;
		return i;
	}
	default:
		return unexpected(p);
	}
}

static int32_t parse_unary(parser *p)
{
	if (p->t.kind != T_MINUS)
		return parse_primary(p);
	size_t pos = p->t.pos;
	if (enter(p) < 0)
		return -1;
	advance(p);
	int32_t x = parse_unary(p);
	p->depth--;
	return x < 0 ? -1 : mk_neg(p, pos, x);
}

static int32_t parse_mul(parser *p)
{
	int32_t l = parse_unary(p);
	while (l >= 0 && (p->t.kind == T_STAR || p->t.kind == T_SLASH)) {
		int kind = p->t.kind;
		size_t pos = p->t.pos;
		advance(p);
		int32_t r = parse_unary(p);
		l = r < 0 ? -1 : mk_arith(p, kind, pos, l, r);
	}
	return l;
}

static int32_t parse_add(parser *p)
{
	int32_t l = parse_mul(p);
	while (l >= 0 && (p->t.kind == T_PLUS || p->t.kind == T_MINUS)) {
		int kind = p->t.kind;
		size_t pos = p->t.pos;
		advance(p);
		int32_t r = parse_mul(p);
		l = r < 0 ? -1 : mk_arith(p, kind, pos, l, r);
	}
	return l;
}

/* Is the current token a comparison? Returns its kind, T_IN for 'in'
 * and -T_IN for 'not in', 0 if not. */
static int cmp_kind(parser *p)
{
	int k = p->t.kind;
	if ((k >= T_EQ && k <= T_GE) || k == T_IN)
		return k;
	if (k == T_NOT && peek_kind(p) == T_IN)
		return -T_IN;
	return 0;
}

static int32_t parse_cmp(parser *p)
{
	int32_t l = parse_add(p);
	if (l < 0)
		return -1;
	int k = cmp_kind(p);
	if (!k)
		return l;
	size_t pos = p->t.pos;
	advance(p);
	if (k == -T_IN)
		advance(p);
	int32_t r = parse_add(p);
	if (r < 0)
		return -1;
	int32_t x = k == T_IN || k == -T_IN ? mk_in(p, pos, k < 0, l, r)
					    : mk_cmp(p, k, pos, l, r);
	if (x >= 0 && cmp_kind(p))
		return fail(p, p->t.pos,
			    "比較は続けて書けません。括弧で区切ってください");
	return x;
}

static int32_t parse_not(parser *p)
{
	if (p->t.kind != T_NOT)
		return parse_cmp(p);
	size_t pos = p->t.pos;
	if (enter(p) < 0)
		return -1;
	advance(p);
	int32_t x = parse_not(p);
	p->depth--;
	return x < 0 ? -1 : mk_not(p, pos, x);
}

static int32_t parse_and(parser *p)
{
	int32_t l = parse_not(p);
	while (l >= 0 && p->t.kind == T_AND) {
		size_t pos = p->t.pos;
		advance(p);
		int32_t r = parse_not(p);
		l = r < 0 ? -1 : mk_logic(p, OP_AND, pos, l, r);
	}
	return l;
}

static int32_t parse_or(parser *p)
{
	if (enter(p) < 0)
		return -1;
	int32_t l = parse_and(p);
	while (l >= 0 && p->t.kind == T_OR) {
		size_t pos = p->t.pos;
		advance(p);
		int32_t r = parse_and(p);
		l = r < 0 ? -1 : mk_logic(p, OP_OR, pos, l, r);
	}
	p->depth--;
	return l;
}

/* ------------------------------------------------------------------ */
/* Finishing                                                           */
/* ------------------------------------------------------------------ */

/* Check the result type of the whole expression against 'want'. */
static int check_top(parser *p, int32_t root, hj_type want)
{
	if ((want.ty == HJ_TY_ENUM || want.ty == HJ_TY_SET) &&
	    coerce(p, root, mkty(want.ty, want.enum_id)) < 0)
		return -1;
	hj_type t = ty_of(root, p);
	char b1[160], b2[160];
	if (t.ty == CT_STR)
		return fail(p, (size_t)p->ci[root].pos,
			    "文字列は列挙の値と比べるときにしか使えません");
	if (t.ty == CT_LIST)
		return fail(p, (size_t)p->ci[root].pos,
			    "リストは 'in' と count の中でしか使えません");
	if (want.ty == HJ_TY_NONE || same_type(t, want))
		return 0;
	if (want.ty == HJ_TY_BOOL)
		return fail(p, p->first,
			    "条件は真偽値でなければなりませんが、この式は%sです",
			    tyname(p, t, b1, sizeof b1));
	return fail(p, p->first, "この式は%sでなければなりませんが、%sです",
		    tyname(p, want, b1, sizeof b1), tyname(p, t, b2, sizeof b2));
}

static int32_t count_reach(const node *n, int32_t i, int32_t *nor)
{
	int32_t k[3], c = 1;
	int nk = kids(&n[i], k);
	if (n[i].op == OP_OR)
		(*nor)++;
	for (int j = 0; j < nk; j++)
		c += count_reach(n, k[j], nor);
	return c;
}

/* Where post-order copying writes: the nodes, the old-to-new index map,
 * and the enum switch tables (see OP_ESW). */
typedef struct emitter {
	const node *src;
	node *dst;
	int32_t n;
	int32_t *map;
	int32_t *cases;
	int32_t ncases; /* tables used */
	size_t cases_off; /* byte offset of 'cases' from 'dst' */
} emitter;

/* The terms of an or-chain into t[]; returns how many (max + 1 when
 * there are too many). */
static int or_terms(const node *n, int32_t i, int32_t *t, int nt, int max)
{
	if (n[i].op != OP_OR)
		return nt < max ? (t[nt] = i, nt + 1) : max + 1;
	nt = or_terms(n, n[i].u.x.a, t, nt, max);
	return nt > max ? nt : or_terms(n, n[i].u.x.b, t, nt, max);
}

/* Is g "sym in S" or "sym == v" (either side)? Then *sym and *mask. */
static int esw_guard(const node *n, int32_t g, int32_t *sym, uint64_t *mask)
{
	const node *x = &n[g];
	if (x->op == OP_IN && x->sub == 0 && n[x->u.x.a].op == OP_SYM && n[x->u.x.b].op == OP_CONST &&
	    n[x->u.x.b].u.k.known) {
		*sym = x->u.x.a;
		*mask = n[x->u.x.b].u.k.u.set;
		return 1;
	}
	if (x->op == OP_EQE && x->sub == C_EQ) {
		int32_t s = x->u.x.a, c = x->u.x.b;
		if (n[s].op != OP_SYM) {
			s = x->u.x.b;
			c = x->u.x.a;
		}
		if (n[s].op == OP_SYM && n[c].op == OP_CONST && n[c].u.k.known && n[c].u.k.u.sym >= 0 &&
		    n[c].u.k.u.sym < ESW_CASES) {
			*sym = s;
			*mask = (uint64_t)1 << n[c].u.k.u.sym;
			return 1;
		}
	}
	return 0;
}

/* Does the or-chain at i qualify for an enum switch? Fills case[] with
 * the old index of each enum value's term body (-1: none) and *sym. */
static int esw_plan(const node *n, int32_t i, int32_t *sym, int32_t caseof[ESW_CASES])
{
	int32_t t[ESW_CASES];
	int nt = or_terms(n, i, t, 0, ESW_CASES);
	if (nt < 2 || nt > ESW_CASES)
		return 0;
	uint64_t seen = 0;
	for (int k = 0; k < ESW_CASES; k++)
		caseof[k] = -1;
	for (int j = 0; j < nt; j++) {
		const node *x = &n[t[j]];
		int32_t s;
		uint64_t mask;
		if (x->op != OP_AND || !esw_guard(n, x->u.x.a, &s, &mask) || (mask & seen))
			return 0;
		if (j == 0)
			*sym = s;
		else if (n[s].u.x.a != n[*sym].u.x.a || n[s].u.x.b != n[*sym].u.x.b)
			return 0;
		seen |= mask;
		for (uint64_t b = mask; b; b &= b - 1)
			caseof[__builtin_ctzll(b)] = x->u.x.b;
	}
	return 1;
}

/* Copy the tree at i into e->dst in post-order; returns its new index.
 * An or-chain that qualifies gets an enum switch in front of it (its
 * inner 'or' nodes, 'in_or', do not). */
static int32_t emit(emitter *e, int32_t i, int in_or)
{
	node x = e->src[i];
	int32_t k[3];
	int nk = kids(&x, k);
	for (int j = 0; j < nk; j++)
		k[j] = emit(e, k[j], x.op == OP_OR);
	if (nk >= 1)
		x.u.x.a = k[0];
	if (nk >= 2)
		x.u.x.b = k[1];
	if (nk >= 3)
		x.u.x.c = k[2];
	e->dst[e->n] = x;
	e->map[i] = e->n;
	int32_t at = e->n++;
	int32_t sym = -1, caseof[ESW_CASES];
	if (x.op != OP_OR || in_or || !esw_plan(e->src, i, &sym, caseof))
		return at;
	int32_t *tab = e->cases + (size_t)e->ncases * ESW_CASES;
	for (int c = 0; c < ESW_CASES; c++)
		tab[c] = caseof[c] < 0 ? -1 : e->map[caseof[c]];
	node w;
	memset(&w, 0, sizeof w);
	w.op = OP_ESW;
	w.ty = HJ_TY_BOOL;
	w.u.x.a = e->map[sym];
	w.u.x.b = at;
	w.u.x.c = (int32_t)(e->cases_off + (size_t)e->ncases * ESW_CASES * sizeof(int32_t));
	e->ncases++;
	e->dst[e->n] = w;
	return e->n++;
}

static size_t round_up(size_t n, size_t a)
{
	return (n + a - 1) / a * a;
}

static hj_expr *build(parser *p, int32_t root)
{
	int32_t nor = 0;
	int32_t nn = count_reach(p->nodes, root, &nor);
	/* room for one switch node and table per 'or' (an upper bound) */
	size_t off_nodes = round_up(sizeof(hj_expr), _Alignof(node));
	size_t off_cases = round_up(off_nodes + (size_t)(nn + nor) * sizeof(node), _Alignof(int32_t));
	size_t off_syms = round_up(off_cases + (size_t)nor * ESW_CASES * sizeof(int32_t),
				   _Alignof(hj_expr_sym));
	size_t off_text = off_syms + (size_t)p->nsyms * sizeof(hj_expr_sym);
	size_t size = off_text + p->len + 1;
	char *blk = hj_malloc(size);
	int32_t *map = hj_malloc((size_t)(p->nn > 0 ? p->nn : 1) * sizeof *map);
	if (!blk || !map) {
		hj_free(blk);
		hj_free(map);
		nomem(p);
		return NULL;
	}
	hj_expr *e = (hj_expr *)(void *)blk;
	node *nodes = (node *)(void *)(blk + off_nodes);
	hj_expr_sym *syms = (hj_expr_sym *)(void *)(blk + off_syms);
	char *text = blk + off_text;
	emitter em = {.src = p->nodes,
		      .dst = nodes,
		      .map = map,
		      .cases = (int32_t *)(void *)(blk + off_cases),
		      .cases_off = off_cases - off_nodes};
	e->root = emit(&em, root, 0);
	hj_free(map);
	e->nnodes = em.n;
	e->nodes = nodes;
	e->cases = em.cases;
	if (p->nsyms)
		memcpy(syms, p->syms, (size_t)p->nsyms * sizeof *syms);
	e->syms = syms;
	e->nsyms = p->nsyms;
	if (p->len)
		memcpy(text, p->src, p->len);
	text[p->len] = '\0';
	e->text = text;
	e->type = mkty(ty_of(root, p).ty, ty_of(root, p).enum_id);
	return e;
}

/* ------------------------------------------------------------------ */
/* Public interface                                                    */
/* ------------------------------------------------------------------ */

/*
 * Compile 'src' into a tree of nodes: lex and parse by recursive descent,
 * check types and resolve names and enum literals through 'env', fold
 * constant sub-expressions, check the result against 'want', and pack the
 * result into one allocation. See expr.h for the contract.
 */
hj_status hj_expr_compile(const char *src, size_t len, const hj_expr_env *env,
			  hj_type want, const hj_expr_origin *origin,
			  hj_expr **out, hj_type *type_out, hj_error *err)
{
	parser P;
	parser *p = &P;
	memset(p, 0, sizeof *p);

	if (out)
		*out = NULL;
	if (!out || (!src && len))
		return hj_error_set(err, HJ_ERR_INTERNAL, NULL, 0, 0, NULL,
				    "hj_expr_compile: 引数が正しくありません");
	p->src = src ? src : "";
	p->len = len;
	p->env = env;
	p->err = err;
	p->line0 = origin ? origin->line : 1;
	p->col0 = origin ? origin->col : 1;
	p->file = origin ? origin->file : NULL;
	p->field = origin ? origin->field : NULL;

	const uint8_t *bad;
	if (len > (size_t)INT32_MAX / 2) {
		fail(p, 0, "式が長すぎます");
	} else if ((bad = u8_check((const uint8_t *)p->src, len)) != NULL) {
		fail(p, (size_t)(bad - (const uint8_t *)p->src),
		     "UTF-8 として正しくないバイトがあります");
	} else {
		advance(p);
		p->first = p->t.pos;
		if (p->t.kind == T_EOF)
			fail(p, 0, "式が空です");
	}

	int32_t root = -1;
	if (p->status == HJ_OK)
		root = parse_or(p);
	if (p->status == HJ_OK && root >= 0 && p->t.kind != T_EOF)
		unexpected(p);
	if (p->status == HJ_OK && root >= 0)
		check_top(p, root, want);

	hj_expr *e = NULL;
	if (p->status == HJ_OK && root >= 0)
		e = build(p, root);
	if (p->status == HJ_OK && !e)
		p->status = hj_error_set(err, HJ_ERR_INTERNAL, p->file, 0, 0,
					 p->field, "式のコンパイルに失敗しました");

	hj_free(p->nodes);
	hj_free(p->ci);
	hj_free(p->pool);
	hj_free(p->syms);
	hj_free(p->args);

	if (p->status != HJ_OK) {
		hj_free(e);
		return p->status;
	}
	*out = e;
	if (type_out)
		*type_out = e->type;
	return HJ_OK;
}

/* Free a compiled expression (NULL is a no-op). */
void hj_expr_free(hj_expr *e)
{
	hj_free(e);
}

/*
 * Evaluate with Kleene logic; facts that would decide an unknown result
 * are added to *missing (nothing is added when the result is known).
 * Never allocates. 'rt' and 'missing' may be NULL (no symbols, no report).
 */
hj_value hj_expr_eval(const hj_expr *e, hj_expr_rt *rt, hj_factset *missing)
{
	hj_expr_rt none;
	if (!e)
		return hj_value_unknown();
	if (!rt) {
		memset(&none, 0, sizeof none);
		rt = &none;
	}
	if (e->type.ty == HJ_TY_BOOL)
		return from_truth(evt(e->nodes, e->root, rt, missing));
	return ev(e->nodes, e->root, rt, missing);
}

/* The truth of a boolean expression (see expr.h). */
int hj_expr_test(const hj_expr *e, hj_expr_rt *rt, hj_factset *missing)
{
	hj_expr_rt none;
	if (!e)
		return TV_U;
	if (!rt) {
		memset(&none, 0, sizeof none);
		rt = &none;
	}
	if (e->type.ty != HJ_TY_BOOL)
		return truth(ev(e->nodes, e->root, rt, missing));
	return evt(e->nodes, e->root, rt, missing);
}

/* Static result type of a compiled expression. */
hj_type hj_expr_type(const hj_expr *e)
{
	return e ? e->type : mkty(HJ_TY_NONE, -1);
}

/*
 * Copy up to 'max' of the distinct symbols the expression mentions (in
 * order of first appearance) to 'out'; return how many there are.
 */
int hj_expr_symbols(const hj_expr *e, hj_expr_sym *out, int max)
{
	if (!e)
		return 0;
	for (int i = 0; i < e->nsyms && i < max; i++)
		out[i] = e->syms[i];
	return e->nsyms;
}

/* The source text given to hj_expr_compile, NUL-terminated. */
const char *hj_expr_text(const hj_expr *e)
{
	return e ? e->text : NULL;
}
