/*
 * jsonout.h - internal to lib/: hj_json_compact, the bytes of
 * json_dumps(root, JSON_COMPACT) (insertion order) in a string of the
 * library's allocator (hj_free); NULL when out of memory.
 */
#ifndef HOJO_JSONOUT_H
#define HOJO_JSONOUT_H

#include <jansson.h>

char *hj_json_compact(const json_t *root);

#endif
