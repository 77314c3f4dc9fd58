/*
 * json-path.h - reading the JSON documents of the office in unit tests
 * (test_intake.c, test_parties.c): a document parsed, and a value found
 * by a dotted path of object keys ("call.id"). Header-only; the short
 * names are the tests' own (no library name is like them).
 *
 * Ownership: parse takes an hj_malloc'd string and returns a new
 * reference; at, str and num borrow from the document.
 */
#ifndef HJ_UNIT_JSON_PATH_H
#define HJ_UNIT_JSON_PATH_H
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "hojo/alloc.h"

/* The document 's' (freed here), asserted to parse. */
static inline json_t *parse(char *s)
{
	assert_non_null(s);
	json_t *j = json_loads(s, 0, NULL);
	hj_free(s);
	assert_non_null(j);
	return j;
}

/* The value at "a.b.c" through objects, or NULL. */
static inline json_t *at(json_t *j, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *t = strtok(buf, "."); t && j; t = strtok(NULL, "."))
		j = json_object_get(j, t);
	return j;
}

/* The string or integer at 'path' (NULL, 0 when it is not one). */
static inline const char *str(json_t *j, const char *path)
{
	return json_string_value(at(j, path));
}

static inline json_int_t num(json_t *j, const char *path)
{
	return json_integer_value(at(j, path));
}

#endif
