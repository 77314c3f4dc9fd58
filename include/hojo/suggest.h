/*
 * suggest.h - "did you mean": the nearest of some names to a mistyped one.
 *
 * Ownership: nothing is allocated; the candidates and the text stay the
 * caller's.
 */
#ifndef HOJO_SUGGEST_H
#define HOJO_SUGGEST_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Edit distance (insertions, deletions, substitutions; a swap of two
 * neighbours counts once) between two UTF-8 texts, in characters, ASCII
 * compared without case. Texts longer than 64 characters give a large
 * number.
 */
int hj_edit_distance(const char *a, size_t alen, const char *b);

/*
 * The index of the candidate nearest to 's' (len bytes) if it is close
 * enough to be a likely typo — at most 1 edit for up to 4 characters, 2
 * up to 8, else a quarter of the length — or -1. 'cands' has n entries;
 * NULL entries are skipped. Ties go to the first.
 */
int hj_suggest(const char *s, size_t len, const char *const *cands, int n);

#ifdef __cplusplus
}
#endif

#endif
