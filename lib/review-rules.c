/*
 * lib/review-rules.c - loading an edition's 'review:' (rulebook-load.h).
 * Scaffolding: the part is being written; until then a rulebook that
 * uses 'review:' is refused with the field named.
 */
#include "rulebook-load.h"

hj_status rbl_load_review(ld *L, hj_edition *ed, struct fy_node *n)
{
	(void)ed;
	return rbl_fail(L, n, "edition.review", "'review' はまだ読めません");
}
