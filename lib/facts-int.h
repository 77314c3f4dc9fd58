/*
 * facts-int.h - the applicant's facts and their per-applicant caches
 * (library-internal).
 *
 * Input facts are stored in 'vals'. The classifier's derived facts and
 * the definitions are computed lazily the first time an expression asks
 * for them, and cached until hj_facts_reset.
 */
#ifndef HJ_FACTS_INT_H
#define HJ_FACTS_INT_H

#include "hojo/input.h"
#include "rulebook-int.h"

/* What the classifier decided, kept for the explanation. */
typedef struct hj_class_info {
	int sme_row;   /* index into sizes.sme, -1 if none applies */
	int small_row; /* index into sizes.small, -1 if none applies */
	int limit_row; /* for by_industry rows: the company row giving the limit */
} hj_class_info;

struct hj_facts {
	const hj_rulebook *rb;
	hj_value *vals;     /* per fact; derived facts unused here */
	const hj_alias **alias_of; /* per enum fact: the candidates alias the
				    * input used (the value is then unknown) */
	int *lines;         /* input line of each fact, 0 if none */
	uint8_t *plain;     /* per fact: read as vals[id] by expressions (an
			     * input or presence fact without a default) */
	/* classification cache, for the SME definition cur_size (the
	 * applicant as a whole: 0; a frame: its edition's); the others are
	 * kept in size_cache while another definition is current */
	int class_done;
	hj_value derived[6];      /* indexed by HJ_DER_* */
	hj_factset derived_missing[6];
	hj_class_info cinfo;
	int cur_size;
	struct hj_size_cache {
		int done;
		hj_value derived[6];
		hj_factset derived_missing[6];
		hj_class_info cinfo;
	} size_cache[HJ_MAX_SIZE_DEFS];
	/* definitions cache */
	uint8_t *def_done;
	hj_value *def_vals;
	hj_factset *def_missing;
	/* shared expressions cache (eval.c), one slot per shared expression
	 * and SME definition (rb->shared_sized; else the definition's slot
	 * 0): valid when sh_gen[slot] == sh_now, which hj_facts_invalidate
	 * advances; sh_val holds the value, sh_missing its facts when it
	 * is unknown */
	uint32_t sh_now;
	uint32_t *sh_gen;
	hj_value *sh_val;
	hj_factset *sh_missing;
	/* computed facts cache, indexed by fact id */
	uint8_t *comp_done;
	hj_value *comp_vals;
	hj_factset *comp_missing;
	char (*comp_detail)[200]; /* how a computed fact was decided */
	/* series storage: nseries blocks of HJ_SERIES_MONTHS amounts */
	hj_yen *series;
	uint8_t *series_known;
	/* expense lines, when the input has them (expenses.c) */
	struct hj_expense_line *elines;
	int nelines;
	/* the business plan, when the input has one (plan.c) */
	struct hj_plan *plan;
	/* the subsidy of the frame being evaluated (late conditions) */
	hj_value cur_subsidy;
	char name[256];
	char id[128];       /* the record's key (CSV 'id' column, JSON 'id') */
	int has_date;
	hj_date date;
	char file[256];
};

/* Read the pairs of a YAML mapping node into 'f' (keys in 'skip', a
 * NULL-ended list, are left to the caller). */
struct fy_node;
hj_status hj_facts_load_node(hj_facts *f, struct fy_node *map, const char *file, int line0,
			     const char *const *skip, hj_error *err);

/* Read 'expense_lines:' of an input into f (expenses.c). */
/* hj_facts_load_text with the reader options of yaml.h (HJ_YAML_JSON for
 * a JSON Lines record; -1: by the file name, as hj_facts_load_text). */
hj_status hj_facts_load_text_opts(hj_facts *f, const char *text, size_t len, const char *name, int line,
				  int opts, hj_error *err);
hj_status hj_lines_parse_node(hj_facts *f, struct fy_node *n, const char *file, int line0, hj_error *err);
/* hj_facts_set_text for a record being read after hj_facts_reset (no
 * cache to drop), with plain digits, 0/1 and enum ids parsed directly. */
hj_status hj_facts_set_cell(hj_facts *f, int fact, const char *s, size_t len, hj_error *err);
/* hj_facts_reset when only the facts 'ids' may have been set (the first
 * 'nseries' of them series facts, the others not). */
void hj_facts_reset_only(hj_facts *f, const int *ids, int n, int nseries);
/* Drop the caches after facts changed underneath (input.c). */
void hj_facts_invalidate(hj_facts *f);

/* Read 'plan:' of an input into f (plan.c). */
hj_status hj_plan_parse_node(hj_facts *f, struct fy_node *pn, const char *file, int line0, hj_error *err);

/* Evaluate computed fact 'id' (computed.c). */
hj_value hj_compute(hj_facts *f, int id, hj_factset *missing);

/* Fill the classification cache (idempotent until reset). */
void hj_classify(hj_facts *f);

/* Make SME definition 'def' (index into sizes.defs) the one the derived
 * size facts answer for: the edition's for a frame, 0 for the applicant. */
void hj_facts_use_size(hj_facts *f, int def);

/* The runtime's 'get' for facts 'ud' (a hj_facts): input facts with
 * their defaults, derived size facts, computed facts and definitions,
 * each cached until hj_facts_reset (classify.c). */
void hj_facts_rt_get(void *ud, int kind, int id, hj_value *out, hj_factset *missing);

/* The runtime used to evaluate rule expressions against 'f'. */
static inline void hj_facts_runtime(hj_facts *f, hj_expr_rt *rt)
{
	rt->ud = f;
	rt->get = hj_facts_rt_get;
	rt->error = 0;
	rt->vals = f->vals;
	rt->plain = f->plain;
}

#endif
