/*
 * hojo/rulebook.h - loading the rulebook and reading what it holds.
 *
 * A rulebook is a directory of YAML files (see docs/rulebook.md): programs,
 * their editions (公募回 / 予算年度) with dates, and each edition's frames
 * (枠) with conditions, caps, rates, lower limits, tiers, requirements and
 * eligible expense categories, every one of them with its source.
 *
 * Ownership: hj_rulebook_load returns a rulebook owned by the caller and
 * released with hj_rulebook_free (NULL is a no-op). Every pointer returned
 * by the accessors below is borrowed from the rulebook and valid until it
 * is freed. A loaded rulebook is immutable and may be shared by threads.
 */
#ifndef HOJO_RULEBOOK_H
#define HOJO_RULEBOOK_H

#include "error.h"
#include "date.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hj_rulebook hj_rulebook;
typedef struct hj_program hj_program;
typedef struct hj_edition hj_edition;
typedef struct hj_frame hj_frame;

/*
 * Load every *.yaml file under 'dir' (recursively, in path order). On
 * any error nothing is kept: *out stays NULL and 'err' has the file, line,
 * column and field of the problem.
 */
hj_status hj_rulebook_load(const char *dir, hj_rulebook **out, hj_error *err);
void hj_rulebook_free(hj_rulebook *rb);

/* SHA-256 (hex) over the contents of every file loaded, with their paths. */
const char *hj_rulebook_hash(const hj_rulebook *rb);
const char *hj_rulebook_name(const hj_rulebook *rb);
const char *hj_rulebook_version(const hj_rulebook *rb);
const char *hj_rulebook_dir(const hj_rulebook *rb);

int hj_rulebook_nprograms(const hj_rulebook *rb);
const hj_program *hj_rulebook_program(const hj_rulebook *rb, int i);
int hj_rulebook_nframes(const hj_rulebook *rb);
const hj_frame *hj_rulebook_frame(const hj_rulebook *rb, int i);
/* NULL when no frame has that id. */
const hj_frame *hj_rulebook_find_frame(const hj_rulebook *rb, const char *id);

const char *hj_program_id(const hj_program *p);
const char *hj_program_name(const hj_program *p);
const char *hj_program_short(const hj_program *p);
int hj_program_neditions(const hj_program *p);
const hj_edition *hj_program_edition(const hj_program *p, int i);

const char *hj_edition_id(const hj_edition *e);
const char *hj_edition_name(const hj_edition *e);
const char *hj_edition_short(const hj_edition *e);
const char *hj_edition_budget(const hj_edition *e);
const char *hj_edition_source(const hj_edition *e);
const hj_program *hj_edition_program(const hj_edition *e);
/* Period in force; returns 0 when the bound is open. */
int hj_edition_from(const hj_edition *e, hj_date *out);
int hj_edition_to(const hj_edition *e, hj_date *out);
const char *hj_edition_period_source(const hj_edition *e);
const char *hj_edition_period_note(const hj_edition *e);
/*
 * When the sources tie an edition's rules to one call (公募回) of its
 * period only (edition key 'covers'): sets its name ("第1回公募"), source
 * and note (may be "") and returns 1; 0 when the rules hold for the whole
 * period.
 */
int hj_edition_covers(const hj_edition *e, const char **text, const char **source,
		      const char **note);
/* 1 when 'date' is in the edition's period but not known to be in the
 * call its rules are for (always, when the call's dates are unknown). */
int hj_edition_uncovered(const hj_edition *e, hj_date date);
/*
 * The SME definition (中小企業者の定義) the edition uses (edition key
 * 'size', docs/rulebook.md): its id ("it2021"), label, the number of
 * table rows it takes, whether legal forms outside its rows are 要確認
 * (open), the definition's own source and note, and the edition's
 * citation and note for using it. Strings point into the rulebook; the
 * edition's source is "" when it names none (a rulebook without
 * definitions), notes "" when there are none.
 */
typedef struct hj_size_info {
	const char *id;
	const char *label;
	int nrows;
	int open;
	const char *def_source;
	const char *def_note;
	const char *source;
	const char *note;
} hj_size_info;
void hj_edition_size(const hj_rulebook *rb, const hj_edition *e, hj_size_info *out);
int hj_edition_nframes(const hj_edition *e);
const hj_frame *hj_edition_frame(const hj_edition *e, int i);

const char *hj_frame_id(const hj_frame *f);
const char *hj_frame_name(const hj_frame *f);
const char *hj_frame_source(const hj_frame *f);
const hj_edition *hj_frame_edition(const hj_frame *f);
/* 1 when the frame is open for applications on 'date'. */
int hj_frame_in_force(const hj_frame *f, hj_date date);
int hj_frame_from(const hj_frame *f, hj_date *out);
int hj_frame_to(const hj_frame *f, hj_date *out);
/* The frame's limited number of grants (slots.count, e.g. 400社), 0 when
 * the rulebook sets none. */
int hj_frame_slots(const hj_frame *f);
/* The documents an application of the edition must attach (the
 * edition's 'documents:'): how many, and the i-th's id (the attachment
 * kind that satisfies it), name and source. Whether one is required for
 * an applicant: hj_edition_doc_required (eval.h). */
int hj_edition_ndocs(const hj_edition *e);
void hj_edition_doc(const hj_edition *e, int i, const char **id, const char **name, const char **source);

/*
 * A frame described item by item, for listings: each condition, the cap
 * (and each employee band, bonus and tier), the rates, the lower limit,
 * the plan requirements, the eligible expense categories and the notes.
 */
typedef struct hj_item {
	const char *kind;   /* "eligibility", "cap", "cap_band", "cap_bonus",
			       "rate", "rate_exception", "tier",
			       "lower_limit", "requirement",
			       "expense_categories", "note", "period",
			       "summary" (one line: caps, rates, lower limit) */
	const char *id;     /* may be "" */
	const char *text;   /* Japanese description */
	const char *value;  /* "1,000万円", "2/3", an expression, or "" */
	const char *source; /* "seed 000:19", "facts §1a", ... */
	const char *note;   /* reading chosen where a source is unclear, or "" */
} hj_item;

int hj_frame_nitems(const hj_frame *f);
/* The frame's plan requirements: how many, and the id of the i-th (the
 * order of hj_result.req). */
int hj_frame_nreqs(const hj_frame *f);
const char *hj_frame_req_id(const hj_frame *f, int i);
/* The requirements a raised cap brings (cap.raised_requirements): how
 * many, and the index (for hj_frame_req_id) of the i-th. */
int hj_frame_nraised_reqs(const hj_frame *f);
int hj_frame_raised_req(const hj_frame *f, int i);
const hj_item *hj_frame_item(const hj_frame *f, int i);

/*
 * The documents the rulebook cites (rules/sources.yaml): a citation
 * "seed 002:34" names the document "seed 002", "facts §1a" the facts
 * section "facts §1a", "facts min_wage.csv" that file. Every citation in
 * a loaded rulebook names one of them.
 */
typedef struct hj_document {
	const char *cite;     /* "seed 002", "facts §1a", "facts min_wage.csv" */
	const char *file;     /* the file's name: "002_ec335087aa311886.txt" */
	const char *title;    /* as the document gives it */
	const char *issuer;   /* who issued it, or why it is not known */
	const char *date;     /* when, or why it is not known */
	const char *address;  /* the address(es) the document itself gives, or "" */
	const char *note;     /* or "" */
} hj_document;

int hj_rulebook_ndocuments(const hj_rulebook *rb);
/* 1 when the rulebook has size tables (size_classes): sme, small … */
int hj_rulebook_has_sizes(const hj_rulebook *rb);
/* The rulebook's CSV column map (columns:): column i and the fact (or
 * id, name, date) it holds. */
int hj_rulebook_ncolumns(const hj_rulebook *rb);
void hj_rulebook_column(const hj_rulebook *rb, int i, const char **column, const char **target);
const hj_document *hj_rulebook_document(const hj_rulebook *rb, int i);
/* The document one citation ("seed 002:34", "facts §1a") names; NULL if none. */
const hj_document *hj_rulebook_cited_document(const hj_rulebook *rb, const char *citation);

/* Facts the rulebook knows (what inputs may say). */
int hj_rulebook_nfacts(const hj_rulebook *rb);
/* -1 when unknown. */
int hj_rulebook_fact_index(const hj_rulebook *rb, const char *name);
const char *hj_fact_name(const hj_rulebook *rb, int i);
const char *hj_fact_input(const hj_rulebook *rb, int i);
const char *hj_fact_label(const hj_rulebook *rb, int i);
/* "yen", "num", "bool", "date", "enum <name>", "set <name>", "derived" */
const char *hj_fact_type_name(const hj_rulebook *rb, int i);
/* The enum of an enum or set fact (index for hj_enum_*), else -1. */
int hj_fact_enum(const hj_rulebook *rb, int i);

/*
 * The enums of rules/facts.yaml ('enums'): each value's id and Japanese
 * label, and the aliases an input may use ('aliases'): names standing for
 * one value (value >= 0), or for several candidate values tried in turn
 * (value == -1; bit v of 'candidates' set for value v). Strings point
 * into the rulebook.
 */
typedef struct hj_alias_info {
	const char *const *names;
	int nnames;
	int value;
	uint64_t candidates;
	const char *source;
	const char *note;   /* "" if none */
} hj_alias_info;
int hj_rulebook_nenums(const hj_rulebook *rb);
const char *hj_enum_name(const hj_rulebook *rb, int e);
int hj_enum_nvalues(const hj_rulebook *rb, int e);
const char *hj_enum_value_id(const hj_rulebook *rb, int e, int v);
const char *hj_enum_value_label(const hj_rulebook *rb, int e, int v);
int hj_enum_naliases(const hj_rulebook *rb, int e);
void hj_enum_alias(const hj_rulebook *rb, int e, int a, hj_alias_info *out);

#ifdef __cplusplus
}
#endif
#endif
