/*
 * lib/store/rows-json.h - internal to lib/store/: query results as JSON
 * for the domain files (applications.c, parties.c). A 'spec' names the
 * columns in order, "key:type,...": type i integer, t text (the default),
 * j JSON text embedded as a value, b 0/1 as a boolean; a NULL cell is
 * null (b: false).
 *
 * Ownership: every json_t returned or put in *out is a new reference
 * (json_decref); 'sql', 'params' and 'spec' are borrowed.
 */
#ifndef HOJO_STORE_ROWS_JSON_H
#define HOJO_STORE_ROWS_JSON_H

#include <jansson.h>
#include "driver.h"

/* st_int(v), or NULL for 0 (an optional reference). */
st_val st_opt_int(int64_t v);
/* Row 'row' of 'r' as an object; NULL when out of memory. */
json_t *st_json_row(const st_rows *r, int row, const char *spec);
/* Run a query: *out an array of row objects. */
hj_status st_json_query(hj_tx *tx, const char *sql, const st_val *params, int n, const char *spec, json_t **out,
			hj_error *err);
/* The same for at most one row: *out the object, NULL when none. */
hj_status st_json_query1(hj_tx *tx, const char *sql, const st_val *params, int n, const char *spec, json_t **out,
			 hj_error *err);

#endif
