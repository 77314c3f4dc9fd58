/*
 * alloc.c - the allocator hook (see hojo/alloc.h).
 */
#include <stdlib.h>
#include <string.h>
#include "hojo/alloc.h"

static void *default_alloc(void *ud, void *ptr, size_t size)
{
	(void)ud;
	if (size == 0) {
		free(ptr);
		return NULL;
	}
	return realloc(ptr, size);
}

static hj_alloc_fn alloc_fn = default_alloc;
static void *alloc_ud;

void hj_set_allocator(hj_alloc_fn fn, void *ud)
{
	alloc_fn = fn ? fn : default_alloc;
	alloc_ud = fn ? ud : NULL;
}

void *hj_malloc(size_t size)
{
	return alloc_fn(alloc_ud, NULL, size ? size : 1);
}

void *hj_calloc(size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size)
		return NULL;
	void *p = hj_malloc(n * size);
	if (p)
		memset(p, 0, n * size > 0 ? n * size : 1);
	return p;
}

void *hj_realloc(void *ptr, size_t size)
{
	return alloc_fn(alloc_ud, ptr, size ? size : 1);
}

void hj_free(void *ptr)
{
	if (ptr)
		alloc_fn(alloc_ud, ptr, 0);
}

char *hj_strndup(const char *s, size_t len)
{
	char *p = hj_malloc(len + 1);
	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

char *hj_strdup(const char *s)
{
	return hj_strndup(s, strlen(s));
}
