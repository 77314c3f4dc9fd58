/*
 * hojo/group.h - consortia and joint applications (連携体・共同申請).
 *
 * A group frame is evaluated for each member as an ordinary frame, then
 * the group's rules from the rulebook are checked: how many members, who
 * receives nothing (a large lead company), the pool the group may
 * allocate (200万円 × members), a cap on the whole application, share
 * rules (at least half the members SMEs, at least 2/3 of the subsidy to
 * SMEs, an NPO's amount not the highest), and a proposed allocation.
 *
 * A group input file (YAML/JSON):
 *   date: 2019-06-01
 *   name: ○○連携体
 *   members:
 *     - name: A社
 *       allocation: 2,200万円          # optional, the proposed subsidy
 *       applicant: {...}               # as in an ordinary input
 *       project: {...}
 *
 * Ownership: hj_group_input_load returns an object owned by the caller
 * (hj_group_input_free); its members' facts belong to it. hj_group_result
 * is a caller-owned value whose member array the caller provides.
 */
#ifndef HOJO_GROUP_H
#define HOJO_GROUP_H

#include "error.h"
#include "rulebook.h"
#include "input.h"
#include "eval.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HJ_GROUP_MAX_MEMBERS 64
#define HJ_GROUP_MAX_CHECKS 24

typedef struct hj_group_member {
	hj_facts *facts;   /* borrowed */
	const char *name;
	int has_allocation;
	hj_yen allocation;
	int line;          /* the member's line in its file (0: not known) */
} hj_group_member;

typedef struct hj_member_result {
	hj_result result;      /* the frame evaluated for this member alone */
	hj_truth nothing;      /* receives nothing (e.g. a large lead company) */
	int max_known;
	hj_yen own_max;        /* what the member may receive on its own */
	hj_yen rate_limit;     /* floor(expenses x rate): the pool cannot raise it beyond */
	hj_truth allocation_ok;/* its allocation within its own limits */
} hj_member_result;

typedef struct hj_group_check {
	const char *kind;   /* "members", "member", "nothing", "pool", "total_cap",
			       "allocation", "rule" */
	const char *id;
	hj_truth result;
	char text[400];
	const char *source;
	const char *note;
} hj_group_check;

typedef struct hj_group_result {
	const hj_frame *frame;
	hj_verdict verdict;
	int nmembers;
	hj_member_result *members;  /* caller-provided, room for nmembers */
	int max_known;
	hj_yen max_total;           /* the most the group can receive */
	hj_yen pool;                /* allocable on top of members' own caps */
	hj_yen shared_bonus;        /* cap bonuses granted once for the whole
				       application (in max_total's cap) */
	int has_allocation;
	hj_yen allocated;           /* sum of the proposed allocations */
	hj_group_check checks[HJ_GROUP_MAX_CHECKS];
	int nchecks;
	int missing_member[64];     /* which member lacks ... */
	int missing_fact[64];       /* ... which fact */
	int nmissing;
	int overflow;               /* with HJ_ERR_RANGE: 1 + the member whose
				       amount took a total beyond hj_yen */
} hj_group_result;

/* 1 when the frame has group rules. */
int hj_frame_is_group(const hj_frame *f);

/* HJ_ERR_RANGE when a total of the members' amounts does not fit hj_yen
 * (out->overflow names the member; the result is then not usable). */
hj_status hj_group_evaluate(const hj_rulebook *rb, const hj_frame *frame,
			    const hj_group_member *members, int n,
			    hj_member_result *mres, hj_group_result *out);

typedef struct hj_group_input hj_group_input;

hj_status hj_group_input_load(const hj_rulebook *rb, const char *path,
			      hj_group_input **out, hj_error *err);
/* The same from text ('name' and 'line' for messages). */
hj_status hj_group_input_load_text(const hj_rulebook *rb, const char *text, size_t len,
				   const char *name, hj_group_input **out, hj_error *err);
void hj_group_input_free(hj_group_input *g);
int hj_group_input_count(const hj_group_input *g);
const hj_group_member *hj_group_input_members(const hj_group_input *g);
const char *hj_group_input_name(const hj_group_input *g);
int hj_group_input_date(const hj_group_input *g, hj_date *out);

#ifdef __cplusplus
}
#endif
#endif
