/*
 * lib/store/rows-json.c - query results as JSON objects for the domain
 * files of lib/store/ (rows-json.h): one row by a column spec, all rows
 * of a query, or the one row of a query.
 */
#include <stdio.h>
#include <string.h>
#include "rows-json.h"

#define NOMEM(err) hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません")

/* An optional reference: 0 is NULL. */
st_val st_opt_int(int64_t v)
{
	return v ? st_int(v) : st_null();
}

/* One row as an object by 'spec' ("key:type,..." in column order). */
json_t *st_json_row(const st_rows *r, int row, const char *spec)
{
	json_t *o = json_object();
	int col = 0;
	for (const char *p = spec; o && *p; col++) {
		size_t n = strcspn(p, ",");
		char key[64];
		snprintf(key, sizeof key, "%.*s", (int)n, p);
		char *colon = strchr(key, ':');
		char type = colon ? colon[1] : 't';
		if (colon)
			*colon = '\0';
		json_t *v;
		if (st_rows_isnull(r, row, col))
			v = type == 'b' ? json_false() : json_null();
		else if (type == 'i')
			v = json_integer(st_rows_int(r, row, col));
		else if (type == 'b')
			v = json_boolean(st_rows_int(r, row, col) != 0);
		else if (type == 'j') {
			v = json_loads(st_rows_text(r, row, col), JSON_DECODE_ANY, NULL);
			if (!v)
				v = json_null();
		} else
			v = json_string(st_rows_text(r, row, col));
		json_object_set_new(o, key, v ? v : json_null());
		p += n + (p[n] ? 1 : 0);
	}
	return o;
}

/* Every row of a query as an array of objects. */
hj_status st_json_query(hj_tx *tx, const char *sql, const st_val *params, int n, const char *spec, json_t **out,
			hj_error *err)
{
	st_rows *r = NULL;
	*out = NULL;
	hj_status s = st_query(tx, sql, params, n, &r, err);
	if (s)
		return s;
	*out = json_array();
	for (int i = 0; *out && r && i < st_rows_count(r); i++)
		if (json_array_append_new(*out, st_json_row(r, i, spec))) {
			json_decref(*out);
			*out = NULL;
		}
	if (!*out)
		s = NOMEM(err);
	st_rows_free(r);
	return s;
}

/* At most one row of a query as an object; *out NULL when none. */
hj_status st_json_query1(hj_tx *tx, const char *sql, const st_val *params, int n, const char *spec, json_t **out,
			 hj_error *err)
{
	st_rows *r = NULL;
	*out = NULL;
	hj_status s = st_query1(tx, sql, params, n, &r, err);
	if (s)
		return s;
	if (r && st_rows_count(r)) {
		*out = st_json_row(r, 0, spec);
		if (!*out)
			s = NOMEM(err);
	}
	st_rows_free(r);
	return s;
}
