/*
 * rulebook-int.h - the in-memory rulebook (library-internal).
 *
 * The loader (rulebook.c) builds these structures from the YAML files under rules/; the
 * classifier (classify.c), the input reader (input.c) and the evaluator
 * (eval.c) read them. Everything hangs off one hj_rulebook and is freed
 * with it; strings are owned by the rulebook's string arena.
 */
#ifndef HJ_RULEBOOK_INT_H
#define HJ_RULEBOOK_INT_H

#include "hojo/rulebook.h"
#include "hojo/eval.h"
#include "expr.h"

#define HJ_MAX_CONDS 32
#define HJ_MAX_RATES 16
#define HJ_MAX_BONUSES 8
#define HJ_MAX_BANDS 16
#define HJ_MAX_TIERS 8
#define HJ_MAX_ENUM 64
#define HJ_MAX_PARTS 8

/* Other names an input may use for an enum value (rules 'aliases:'): one
 * value, or several candidates when the sources do not decide (the fact
 * is then unknown, tried over the candidates only, and the note says why). */
typedef struct hj_alias {
	char **names;
	int nnames;
	int value;         /* the value, or -1: see cands */
	uint64_t cands;    /* candidate values when value < 0 */
	char *note;
	char *source;
} hj_alias;

typedef struct hj_enum {
	char *name;
	int n;
	char **ids;
	char **labels;
	hj_alias *aliases;
	int naliases;
} hj_enum;

/* How a fact gets its value. */
enum { HJ_FACT_INPUT = 0, HJ_FACT_PRESENCE, HJ_FACT_DERIVED, HJ_FACT_COMPUTED };

/* Derived facts computed by the classifier. */
enum { HJ_DER_SIZE_CLASS = 1, HJ_DER_SMALL, HJ_DER_SME, HJ_DER_MIDSIZE, HJ_DER_LARGE, HJ_DER_SUBSIDY };

/* Months of a series: 2000-01 .. 2039-12. */
#define HJ_SERIES_FIRST_YEAR 2000
#define HJ_SERIES_MONTHS 480

/* Algorithms of computed facts (parameters come from the rulebook). */
enum { HJ_COMP_SALES_DECLINE = 1, HJ_COMP_MONTH_DECLINE };

typedef struct hj_compref {
	int year;          /* a calendar year, or 0 */
	int years_before;  /* or: the same month this many years earlier */
	uint16_t months;   /* bit m-1 set: calendar month m allowed (0: all) */
} hj_compref;

typedef struct hj_computed {
	int kind;          /* HJ_COMP_* */
	int series;        /* fact id of the series */
	int date;          /* fact id of the application date (sales_decline) */
	int window, pick;  /* sales_decline: months before the application, how many to pick */
	hj_frac decline;   /* at least this fall, e.g. 10/100 */
	hj_compref refs[4];
	int nrefs;
	int months[12];    /* month_decline: the months examined (index since 2000-01) */
	int nmonths;
	char *source;
	char *note;
} hj_computed;

typedef struct hj_fact {
	char *name;
	char *input;   /* dotted input path (presence: the mapping's path) */
	char *parent;  /* presence facts: the parent mapping's path */
	char *label;
	char *unit;
	hj_type type;
	int how;       /* HJ_FACT_* */
	int derived;   /* HJ_DER_* */
	int integer;
	int has_default;
	hj_value def;
	hj_computed *comp; /* HJ_FACT_COMPUTED */
	int series_slot;   /* HJ_TY_SERIES: index of its storage in hj_facts */
	char *file;
	int line;
} hj_fact;

typedef struct hj_def {
	char *name;
	char *label;
	char *source;
	char *note;
	hj_type type;
	hj_expr *expr;
	char *file;
	int line;
} hj_def;

typedef struct hj_cond {
	char *id;
	char *text;
	char *source;
	char *note;
	hj_expr *when;
	int late;      /* reads 'subsidy': evaluated after the amount */
	int share;     /* 1 + its index among the shared conditions, 0: none */
} hj_cond;

typedef struct hj_rate_rule {
	char *id;      /* "default" for the first */
	char *text;
	char *source;
	char *note;
	hj_expr *when; /* NULL for the default */
	hj_frac value;
	int share;     /* as hj_cond's */
} hj_rate_rule;

typedef struct hj_band {
	int has_upto;
	hj_frac upto;
	hj_yen yen;
	int has_raised;
	hj_yen raised;
} hj_band;

typedef struct hj_bonus {
	char *id;
	char *text;
	char *source;
	hj_expr *when;
	hj_yen yen;
	int share;     /* as hj_cond's */
} hj_bonus;

typedef struct hj_cap {
	int has_flat;
	hj_yen flat;
	hj_expr *band_by;
	int band_share;      /* as hj_cond's share, for band_by */
	hj_band bands[HJ_MAX_BANDS];
	int nbands;
	hj_expr *raised_when;
	int raised_share;    /* as hj_cond's share, for raised_when */
	char *raised_text;
	char *raised_source;
	int raised_reqs[8];  /* requirements the raised cap brings (indices) */
	int nraised_reqs;
	hj_bonus bonuses[HJ_MAX_BONUSES];
	int nbonuses;
	char *source;
	char *note;
} hj_cap;

typedef struct hj_tier {
	hj_yen above;
	hj_frac rate;
	char *text;
	char *source;
	char *note;
} hj_tier;

typedef struct hj_requirement {
	char *id;
	char *text;
	char *source;
	char *note;
	char *metric;
	char *or_metric;   /* the requirement is also met by this metric */
	int has_growth;
	hj_frac growth;
	int growth_compound;  /* growth: compound (V_n >= V_0 (1+g)^n) or simple (V_0 (1+g n)) */
	char *growth_source;  /* where the sources say how growth is measured */
	int years_min, years_max;
	int has_above_min_wage;
	int64_t above_min_wage;
	hj_expr *when;
} hj_requirement;

/* A component added to the frame's subsidy (IT hardware, 廃業費, a later
 * year of a multi-year grant): its own expense base, rate and cap. */
typedef struct hj_part {
	char *id;
	char *text;
	char *source;
	char *note;
	hj_expr *base;    /* yen */
	hj_expr *when;    /* NULL: always */
	int has_cap;
	hj_yen cap;
	int cap_previous; /* at most the previous part's (or main) subsidy */
	int has_rate;     /* else the frame's rate */
	hj_frac rate;
} hj_part;

/* Group (consortium, joint application) rules of a frame. */
enum { HJ_SHARE_MEMBERS = 1, HJ_SHARE_SUBSIDY, HJ_NOT_HIGHEST };

typedef struct hj_group_rule {
	char *id;
	char *text;
	char *source;
	char *note;
	int check;          /* HJ_SHARE_* / HJ_NOT_HIGHEST */
	hj_expr *where;     /* which members the rule is about */
	hj_expr *applies;   /* the rule applies when some member satisfies this (NULL: always) */
	hj_frac at_least;   /* share rules */
} hj_group_rule;

#define HJ_MAX_GROUP_RULES 8

typedef struct hj_group {
	int present;
	int min_members, max_members; /* 0: no limit */
	char *members_source;
	hj_yen pool_per_member;       /* 0: no pool */
	char *pool_source;
	hj_expr *nothing_when;        /* members that receive nothing */
	char *nothing_text;
	char *nothing_source;
	int has_total_cap;
	hj_yen total_cap;
	char *total_cap_source;
	/* cap bonuses granted once for the whole group: indexes into the
	 * frame's cap.bonuses, with the source saying so */
	int shared_bonus[HJ_MAX_BONUSES];
	char *shared_bonus_source[HJ_MAX_BONUSES];
	int nshared_bonuses;
	hj_group_rule rules[HJ_MAX_GROUP_RULES];
	int nrules;
	char *source;
} hj_group;

typedef struct hj_category {
	char *id;
	char *name;
	int facts[3];    /* the yen facts its lines add up to (default: expenses) */
	int nfacts;
	hj_yen min_unit_price;   /* lines match from this unit price ... */
	int has_below;
	hj_yen below_unit_price; /* ... up to (not including) this one */
} hj_category;

/* A rule on a frame's expense lines ("設備投資が必要"). */
typedef struct hj_expense_rule {
	char *id;
	char *text;
	char *source;
	char *note;
	char *category;        /* a line of this category ... */
	hj_yen min_unit_price; /* ... with at least this unit price must exist */
} hj_expense_rule;

/* A kind of expense some frames refuse (rules/tables/expenses.yaml). */
typedef struct hj_excluded {
	char *id;
	char *name;
	char *reason;
	char *undetermined_reason; /* for frames that leave the kind open, or NULL */
	char *source;
} hj_excluded;

struct hj_frame {
	char *id;
	char *name;
	char *source;
	const hj_edition *edition;
	int index;
	int has_from, has_to;
	hj_date from, to; /* effective period (edition's, narrowed by frame) */
	hj_cond conds[HJ_MAX_CONDS];
	int nconds;
	int nlate;           /* conditions reading 'subsidy' (set with the shares) */
	hj_rate_rule rates[HJ_MAX_RATES];
	int nrates;
	hj_cap cap;
	int has_lower;
	hj_yen lower;
	int lower_exclusive; /* "超": the subsidy must be above it */
	char *lower_source;
	char *lower_note;
	hj_expr *base;       /* the expense base (yen); NULL: the expenses fact */
	int base_share;      /* as hj_cond's share, for base */
	char *base_source;
	hj_part parts[HJ_MAX_PARTS];
	int nparts;
	int has_total_cap;
	hj_yen total_cap;
	char *total_cap_source;
	hj_group group;      /* consortium / joint application rules */
	int slots;           /* limited number of grants (0: none) */
	char *slots_source;
	hj_tier tiers[HJ_MAX_TIERS];
	int ntiers;
	hj_requirement *reqs;
	int nreqs;
	hj_category *cats;
	int ncats;
	char *cats_source;
	hj_expense_rule *xrules;
	int nxrules;
	int has_cats;    /* the frame has an expense category list */
	int cats_partial; /* kinds not listed (and not excluded) are undetermined */
	char *cats_note;
	int *xcl;        /* kinds this frame refuses: indices into rb->excluded */
	int nxcl;
	int *xund;       /* kinds whose treatment here is open (要確認), likewise */
	int nxund;
	hj_item *items; /* description for 'hojo rules' */
	int nitems;
};

/* A document an application of the edition must attach (edition
 * 'documents:'): required when 'when' is true (always without one). */
typedef struct hj_required_doc {
	char *id;      /* the attachment kind that satisfies it */
	char *name;
	char *source;
	hj_expr *when; /* NULL: always */
} hj_required_doc;

struct hj_edition {
	char *id;
	char *name;
	char *shortname;
	char *budget;
	char *source;
	const hj_program *program;
	int has_from, has_to;
	hj_date from, to;
	char *period_source;
	char *period_note;
	int size_def;        /* index into sizes.defs: the SME definition used */
	char *size_source;
	char *size_note;
	/* covers: the part of the period the rules are known to hold for */
	char *covers_text, *covers_source, *covers_note;
	int has_cfrom, has_cto;
	hj_date cfrom, cto;
	hj_frame **frames;
	int nframes;
	hj_required_doc *docs; /* documents an application must attach */
	int ndocs;
	struct hj_review_rules *review; /* 'review:' (lib/review-rules.c), or NULL */
	struct hj_after_rules *after;   /* 'after:' (lib/after-rules.c), or NULL */
};

struct hj_program {
	char *id;
	char *name;
	char *shortname;
	char *source;
	hj_edition **editions;
	int neditions;
};

/* Size-class tables. */
typedef struct hj_sme_row {
	int no;
	char *label;
	char *source;
	uint64_t legal_forms; /* mask over enum legal_form */
	uint64_t industries;  /* mask over enum industry; 0 = any */
	int has_capital;
	hj_yen capital_max;
	int by_industry;      /* employees limit from the industry's row */
	int64_t employees_max;
} hj_sme_row;

typedef struct hj_small_row {
	char *label;
	char *source;
	uint64_t industries;
	int64_t employees_max;
} hj_small_row;

/* One program's 中小企業者 definition: its rows (copied from the table or
 * its own), and the legal forms it leaves open (要確認 unless the fact
 * f_open says the applicant confirmed it). Other legal forms are not SMEs. */
#define HJ_MAX_SIZE_DEFS 8
typedef struct hj_size_def {
	char *id;
	char *label;
	char *source;
	char *note;
	hj_sme_row *rows;
	int nrows;
	uint64_t open_forms;
	int f_open;          /* bool fact read for open legal forms, -1 if none */
	char *open_note;
	char *open_source;
} hj_size_def;

typedef struct hj_sizes {
	int loaded;
	hj_sme_row *sme;
	int nsme;
	char *sme_source;
	/* the definitions editions name; defs[0] classifies the applicant as
	 * a whole (one implicit definition, the table, when none is given) */
	hj_size_def defs[HJ_MAX_SIZE_DEFS];
	int ndefs;
	int explicit_defs;   /* 'definitions:' given: editions must name one */
	hj_small_row *small;
	int nsmall;
	uint64_t small_forms;
	char *small_source;
	uint64_t mid_forms;
	hj_yen mid_capital_below;
	char *mid_source;
	/* fact ids the classifier reads */
	int f_legal_form, f_industry, f_capital, f_employees;
	/* enum indices */
	int e_legal_form, e_industry, e_size_class;
	int sole_proprietor; /* index of 'sole_proprietor' in legal_form */
} hj_sizes;

/* 地域別最低賃金: value and effective date per prefecture and fiscal year. */
#define HJ_MW_MAX_FY 16
typedef struct hj_min_wages {
	int loaded;
	int nfy;
	int fy[HJ_MW_MAX_FY];         /* fiscal years, ascending */
	int npref;
	int64_t *yen;                 /* [pref * nfy + i], 0 unknown */
	hj_date *eff;                 /* [pref * nfy + i], -1 unknown */
	char *source;
	char *note;
} hj_min_wages;

struct hj_rulebook {
	char *dir;
	char *name;
	char *version;
	char hash[65];
	hj_enum *enums;
	int nenums;
	hj_fact *facts;
	int nfacts;
	hj_def *defs;
	int ndefs;
	hj_program *programs;
	int nprograms;
	hj_edition **editions;
	int neditions;
	hj_frame **frames;
	int nframes;
	hj_sizes sizes;
	hj_min_wages mw;   /* indexed by the prefecture enum */
	hj_excluded *excluded;
	int nexcluded;
	hj_document *docs;  /* rules/sources.yaml: every document cited */
	int ndocs;
	/* columns: a CSV column name -> the fact (or id, name, date) it holds */
	char **col_from, **col_to;
	int ncolmap;
	/* parties: who confirms which fact (rules/parties.yaml) */
	hj_party_kind *parties;
	int nparties;
	/* fact ids of the derived facts, -1 if absent */
	int f_size_class, f_small, f_sme, f_midsize, f_large;
	/* the fact holding the eligible expenses ("expenses", yen) */
	int f_expenses;
	int f_subsidy;  /* the pseudo-fact 'subsidy' (frame conditions only) */
	int f_date;     /* the fact read from the input's 'date', -1 if none */
	int nseries;    /* number of series facts */
	/* shared expressions: the frames' conditions, rate exceptions, cap
	 * bonuses, band selectors, raised-cap conditions and expense bases
	 * written alike in two places or more (the same text naming the
	 * same facts), evaluated once per applicant (eval.c);
	 * shared_sized[i]: its value depends on the SME definition */
	int nshared;
	uint8_t *shared_sized;
	/* per shared expression: when it is a name alone ('sme', 'advisor'),
	 * 1 + (symbol id << 2 | symbol kind), read without the interpreter;
	 * else 0 */
	int *shared_sym;
	/* the definitions whose value depends on the SME definition (they
	 * read a size fact, directly or through another definition) */
	int *sized_defs;
	int nsized_defs;
	/* compiled expressions, freed with the rulebook */
	hj_expr **exprs;
	int nexprs, capexprs;
	/* arena of strings and small blocks, freed together */
	void **blocks;
	int nblocks, capblocks;
};

/*
 * Find the expressions of the frames (conditions, rate exceptions, cap
 * bonuses, band selectors, raised-cap conditions, expense bases) that are
 * written alike (the same text resolving to the same facts and
 * definitions, not reading 'subsidy'), give each group a share id and set
 * rb->nshared and rb->shared_sized; list the definitions that read size
 * facts in rb->sized_defs (eval.c). Called once by the loader.
 */
hj_status hj_rb_share_conditions(hj_rulebook *rb);

/* Arena helpers used by the loader. */
void *hj_rb_alloc(hj_rulebook *rb, size_t size);
char *hj_rb_strdup(hj_rulebook *rb, const char *s);
char *hj_rb_strndup(hj_rulebook *rb, const char *s, size_t len);

/* Enum lookups. */
int hj_rb_enum_find(const hj_rulebook *rb, const char *name);
int hj_rb_enum_value(const hj_rulebook *rb, int enum_id, const char *s, size_t len);
/* An input's name for an enum value: an id, a label or an alias. Returns
 * the value, or -1 with *alias set to the alias (candidates) if one
 * matched, else NULL. */
int hj_rb_enum_input(const hj_rulebook *rb, int enum_id, const char *s, size_t len, const hj_alias **alias);
/* The id, label or alias name nearest to a mistyped one, or NULL. */
const char *hj_rb_enum_suggest(const hj_rulebook *rb, int enum_id, const char *s, size_t len);
int hj_rb_fact_find(const hj_rulebook *rb, const char *name);

/* What a CSV column named 'name' (or a column map's target) holds: an
 * input fact's id (by name or input path), or one of HJ_COL_*. */
enum { HJ_COL_NONE = -5, HJ_COL_ID = -4, HJ_COL_NAME = -2, HJ_COL_DATE = -1 };
int hj_rb_column_target(const hj_rulebook *rb, const char *name);

#endif
