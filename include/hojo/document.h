/*
 * hojo/document.h - the JSON documents of the hojo command's --json
 * output (docs/json.md) that are not one result list: hojo check, hojo
 * explain, hojo rules, hojo facts. The command and the HTTP service
 * (server/) both print these, so their answers agree by construction.
 *
 * Ownership: every char * returned is a NUL-terminated string the caller
 * releases with hj_free; NULL means out of memory. Inputs are borrowed.
 * Thread safety: the functions keep no state; several threads may call
 * them on one rulebook (each with its own facts).
 */
#ifndef HOJO_DOCUMENT_H
#define HOJO_DOCUMENT_H

#include "rulebook.h"
#include "input.h"
#include "eval.h"
#include "group.h"
#include "batch.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How the rulebook covers one program on the selection's date: no
 * edition open then (the nearest before and after), or an open edition
 * whose rules are of another call than the date's (issue 7 point 15). */
typedef struct hj_coverage {
	const hj_program *program;
	const hj_edition *on;             /* the edition open on the date, or NULL */
	const hj_edition *before, *after; /* the nearest editions around it */
	hj_date bto, afrom;
	int other_call;                   /* 'on' has rules of one call, not known to be the date's */
} hj_coverage;

/* The programs (of sel->program, sel->edition) worth a warning on
 * sel->date, into 'cv' (room for 'max'); returns how many. */
int hj_coverage_of(const hj_rulebook *rb, const hj_selection *sel, hj_coverage *cv, int max);

/*
 * The frames of hojo check in its order, into 'out' (room for 'max';
 * 'scratch' the same size, used while working): with a date, the frames
 * open on it (hj_check's order, *nopen of them) then those not open
 * (opening later soonest first, then closed latest first); without one,
 * every frame, newest edition first (*nopen = *n).
 */
hj_status hj_check_ranked(const hj_rulebook *rb, hj_facts *facts, const hj_selection *sel, hj_result *out,
			  hj_result *scratch, int max, int *n, int *nopen);

/* hojo check --json for results of hj_check_ranked. */
char *hj_check_document(const hj_rulebook *rb, hj_facts *facts, const hj_selection *sel, const hj_result *res,
			int nopen, int n, int pretty);

/* hojo explain --json for one result (with its 'documents'). */
char *hj_explain_document(const hj_rulebook *rb, hj_facts *facts, const hj_selection *sel, const hj_result *r,
			  int pretty);

/* hojo rules --json (of sel->program when set); with 'only', that frame
 * alone (hojo rules FRAME --json). 'sel' may be NULL. */
char *hj_rules_document(const hj_rulebook *rb, const hj_selection *sel, const hj_frame *only, int pretty);

/* hojo facts --json: what an input may say, the enums, the CSV columns. */
char *hj_facts_document(const hj_rulebook *rb, int pretty);

/* The document a citation ("seed 002:34") names, as in check --json
 * "documents" ({title, issuer, date, address, file}), with "cite"; NULL
 * when the rulebook knows no such document. */
char *hj_cited_document_json(const hj_rulebook *rb, const char *citation, int pretty);

/* hojo group --json into *out (hj_free): every group frame selected by
 * 'sel' (or 'only'). HJ_ERR_RANGE when a total of the members' amounts
 * does not fit: err names the member (field "members[K]", its line) and
 * begins its message with the frame id. */
hj_status hj_group_document(const hj_rulebook *rb, const hj_group_input *gi, const hj_selection *sel,
			    const hj_frame *only, int pretty, char **out, hj_error *err);

/* hojo batch --summary --json for a summary filled by hj_summarize. */
char *hj_summary_document(const hj_rulebook *rb, const hj_summary *s, int pretty);

#ifdef __cplusplus
}
#endif
#endif
