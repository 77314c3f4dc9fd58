/*
 * hojo/alloc.h - the one allocator hook all library memory goes through.
 *
 * By default the C library's malloc family is used. A program may install
 * its own allocator once, before any other hojo call (tests use this to
 * count allocations and to make them fail on purpose).
 *
 * Ownership: the hook is global; the caller keeps 'ud' alive.
 */
#ifndef HOJO_ALLOC_H
#define HOJO_ALLOC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* realloc-like: size 0 frees and returns NULL; ptr NULL allocates. */
typedef void *(*hj_alloc_fn)(void *ud, void *ptr, size_t size);

/* Install 'fn' (NULL restores the default). */
void hj_set_allocator(hj_alloc_fn fn, void *ud);

void *hj_malloc(size_t size);
void *hj_calloc(size_t n, size_t size);
void *hj_realloc(void *ptr, size_t size);
void hj_free(void *ptr);
char *hj_strndup(const char *s, size_t len);
char *hj_strdup(const char *s);

#ifdef __cplusplus
}
#endif
#endif
