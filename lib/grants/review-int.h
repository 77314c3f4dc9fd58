/*
 * lib/grants/review-int.h - internal to lib/grants/: what the two halves
 * of the review office share. review.c (settings, 加点, conflicts,
 * assignments, reviews) and review-select.c (scores, ranking, selection,
 * notices) both read a call's effective review settings (the rulebook's
 * defaults under what the call set) and an application's facts as the
 * engine sees them.
 *
 * Ownership: a grv_settings borrows the rulebook (its pointers live as
 * long as the rulebook); *call and *facts out-parameters are the
 * caller's (json_decref, hj_facts_free).
 */
#ifndef HOJO_GRANTS_REVIEW_INT_H
#define HOJO_GRANTS_REVIEW_INT_H

#include <stdint.h>
#include <jansson.h>
#include "hojo/input.h"
#include "hojo/review.h"
#include "hojo/store.h"

#define GRV_MAX_BONUS 64

/* Defaults of the settings the seeds give no number for (docs/review.md
 * "Settings"): two reviews per application, no disagreement flag, ties
 * broken by more confirmed 加点 and then the earlier submission. */
#define GRV_DEFAULT_PER_APP 2
#define GRV_DEFAULT_DISAGREEMENT 0
#define GRV_DEFAULT_TIEBREAK "bonus_desc,submitted_asc"

/* A call's review settings in effect. */
typedef struct grv_settings {
	int64_t call;
	const hj_edition *ed;        /* the call's edition (NULL: not in this rulebook) */
	int64_t per_app;             /* reviews per application */
	hj_scale scale;              /* min..max of one criterion's score */
	int ncrit;                   /* the edition's criteria (at most HJ_SEL_MAX_CRIT) */
	const hj_criterion *crit[HJ_SEL_MAX_CRIT];
	int64_t weight[HJ_SEL_MAX_CRIT];
	int nbonus;                  /* the edition's bonus rules */
	const hj_bonus_rule *bonus[GRV_MAX_BONUS];
	int64_t points[GRV_MAX_BONUS];
	int64_t disagreement;        /* threshold on the spread of weighted totals; 0: never */
	char tiebreak[256];
	int feedback_release;        /* release review comments with 不採択 notices by default */
	json_t *set;                 /* what the call set (a new reference; grv_settings_clear) */
} grv_settings;

/* The call (sti_call_get's object, *call) and its settings in effect.
 * HJ_ERR_NOT_FOUND when there is no such call. */
hj_status grv_settings_load(hj_tx *tx, const hj_rulebook *rb, int64_t callid, json_t **call, grv_settings *set,
			    hj_error *err);
void grv_settings_clear(grv_settings *set);
/* The index of criterion / bonus rule 'id' in the settings, -1 when none. */
int grv_crit_index(const grv_settings *set, const char *id);
int grv_bonus_index(const grv_settings *set, const char *id);

/* The facts of an application as the engine reads them: its data (JSON
 * text) with the date of its submission where it gives none and the
 * facts its parties confirmed (gp_overlay); fields this rulebook does
 * not read are set aside as intake does. *facts NULL (and *why the
 * reason, Japanese) when the data cannot be read at all. */
hj_status grv_facts(hj_tx *tx, const hj_rulebook *rb, int64_t app, const char *program, const char *data,
		    int64_t submitted_us, hj_facts **facts, char why[256], hj_error *err);
/* The same with the application's party invitations and chosen tools
 * given (gp_overlay_with; NULL: read here). */
hj_status grv_facts_with(hj_tx *tx, const hj_rulebook *rb, int64_t app, const char *program, const char *data,
			 int64_t submitted_us, json_t *invs, json_t *tools, hj_facts **facts, char why[256],
			 hj_error *err);

/* "7/2" and "3.50" of a score. */
void grv_frac_text(hj_frac f, char out[48]);
json_t *grv_score_json(hj_frac f);

/* The end of an operation: on success *json gets 'out' (taken), on
 * failure it is dropped; 's' either way. */
hj_status grv_settle(hj_status s, json_t *out, char **json, hj_error *err);

/* Does the actor hold the reviewer role (else HJ_ERR_AUTH / HJ_ERR_DENIED)? */
hj_status grv_need_reviewer(const hj_actor *who, hj_error *err);

#endif
