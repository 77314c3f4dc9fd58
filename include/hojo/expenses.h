/*
 * hojo/expenses.h - expense lines checked against a frame.
 *
 * An input may list its expenses line by line (tax excluded):
 *   expense_lines:
 *     - {name: 自動組立ロボット, category: machinery, unit_price: 1,200万円, quantity: 1}
 *     - {name: ノートPC, category: pc, unit_price: 15万円, quantity: 2}
 * A category must be one the rulebook knows (some frame lists it, or it
 * is a kind of rules/tables/expenses.yaml); any other is an input error
 * naming the valid ones. For a frame, each line is accepted when the
 * frame lists its category; refused with the reason when the frame
 * excludes that kind, or lists its categories and this is not one of
 * them; undetermined (要確認, with the reason) when the frame has no
 * category list in the sources, or its list is partial. The accepted
 * lines are added up by category into the facts the frame computes from
 * (usually 'expenses'); with an undetermined line those facts are unknown.
 * The frame is evaluated on those totals, and the frame's expense rules
 * (such as a machine of at least 50万円 per unit) are checked.
 *
 * Ownership: lines belong to the hj_facts they were read into; results
 * are caller-owned values whose strings borrow the rulebook and facts.
 */
#ifndef HOJO_EXPENSES_H
#define HOJO_EXPENSES_H

#include <stdint.h>
#include "error.h"
#include "money.h"
#include "rulebook.h"
#include "input.h"
#include "eval.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HJ_MAX_LINES 256
#define HJ_MAX_LINE_CATS 32
#define HJ_MAX_EXPENSE_RULES 8

typedef struct hj_expense_line {
	char name[128];
	char category[64];
	hj_yen unit_price;
	int64_t quantity;
	hj_yen amount;      /* unit_price x quantity */
	int line;           /* input line */
} hj_expense_line;

int hj_facts_nlines(const hj_facts *f);
const hj_expense_line *hj_facts_line(const hj_facts *f, int i);

typedef struct hj_line_result {
	int accepted;
	int undetermined;          /* neither accepted nor refused: 要確認 */
	const char *category_name; /* the frame's name for it, or the excluded kind's */
	const char *reason;        /* why refused or undetermined, "" when accepted */
	const char *source;
} hj_line_result;

typedef struct hj_category_total {
	const char *id;
	const char *name;
	hj_yen total;
	int nlines;
} hj_category_total;

typedef struct hj_expense_rule_result {
	const char *id;
	const char *text;
	const char *source;
	hj_truth ok;
} hj_expense_rule_result;

typedef struct hj_expense_result {
	const hj_frame *frame;
	int nlines;
	hj_line_result lines[HJ_MAX_LINES];
	int ncats;
	hj_category_total cats[HJ_MAX_LINE_CATS];
	hj_yen eligible_total;
	hj_yen refused_total;
	hj_yen pending_total; /* the undetermined lines */
	int nrules;
	hj_expense_rule_result rules[HJ_MAX_EXPENSE_RULES];
	hj_result result;   /* the frame evaluated on the accepted totals */
	hj_verdict verdict; /* the result's verdict, ineligible if a rule fails */
} hj_expense_result;

/* Check the facts' expense lines against a frame (HJ_ERR_INPUT if the
 * input has none). */
hj_status hj_expense_check(const hj_rulebook *rb, hj_facts *f, const hj_frame *frame,
			   hj_expense_result *out, hj_error *err);

/* Like hj_expense_check, but leave the accepted totals in the facts
 * (for explaining the frame on them); reload the facts to undo. */
hj_status hj_expense_apply(const hj_rulebook *rb, hj_facts *f, const hj_frame *frame,
			   hj_expense_result *out, hj_error *err);

/*
 * The JSON document of docs/json.md for 'n' expense checks:
 * {"hojo", "rulebook_hash", "results": [{program, edition, frame,
 * frame_name, verdict, eligible_total_yen, refused_total_yen,
 * pending_total_yen, subsidy_yen, categories, refused, pending, rules}]}. Caller frees with hj_free; NULL when out
 * of memory.
 */
char *hj_expenses_json(const hj_rulebook *rb, hj_facts *f, const hj_expense_result *res, int n, int pretty);

#ifdef __cplusplus
}
#endif
#endif
