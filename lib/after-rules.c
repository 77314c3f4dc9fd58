/*
 * lib/after-rules.c - loading an edition's 'after:' (rulebook-load.h).
 * Scaffolding: the part is being written; until then a rulebook that
 * uses 'after:' is refused with the field named.
 */
#include "rulebook-load.h"

hj_status rbl_load_after(ld *L, hj_edition *ed, struct fy_node *n)
{
	(void)ed;
	return rbl_fail(L, n, "edition.after", "'after' はまだ読めません");
}
