/*
 * unit.h - common includes for the cmocka unit tests.
 */
#ifndef HJ_UNIT_H
#define HJ_UNIT_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "hojo/hojo.h"

/* An allocator for hj_set_allocator(unit_failing_alloc, &left) that
 * fails once 'left' (a long) allocations have been made: for walking
 * out-of-memory through every allocation of an operation. */
static inline void *unit_failing_alloc(void *ud, void *ptr, size_t size)
{
	long *left = ud;
	if (size == 0) {
		free(ptr);
		return NULL;
	}
	if ((*left)-- == 0)
		return NULL;
	return realloc(ptr, size);
}

/* Load the rulebook in 'dir' into *out for a test file's setup; 0, or -1
 * with the loader's message printed (cmocka then fails the group). */
static inline int unit_load_rules(const char *dir, hj_rulebook **out)
{
	hj_error err;
	if (hj_rulebook_load(dir, out, &err)) {
		print_error("%s:%d:%d: %s: %s\n", err.file, err.line, err.col, err.field, err.message);
		return -1;
	}
	return 0;
}
#endif
