/*
 * unit.h - common includes for the cmocka unit tests.
 */
#ifndef HJ_UNIT_H
#define HJ_UNIT_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "hojo/hojo.h"

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
