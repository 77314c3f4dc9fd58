/*
 * jsonout.h - internal to lib/: hj_json_compact, the bytes of
 * json_dumps(root, JSON_COMPACT) (insertion order) in a string of the
 * library's allocator (hj_free); NULL when out of memory; and
 * hj_json_string, which also releases the tree.
 */
#ifndef HOJO_JSONOUT_H
#define HOJO_JSONOUT_H

#include <jansson.h>

char *hj_json_compact(const json_t *root);

/* Serialize and release 'root' (compact, or indented by 2 when 'pretty',
 * keys in insertion order) into a string of the library's allocator;
 * NULL when 'root' is NULL or out of memory. */
char *hj_json_string(json_t *root, int pretty);

#endif
