/*
 * report-int.h - internal to lib/: the JSON tree of hj_results_json, for
 * the documents of document.c that add keys to it (no re-parsing).
 */
#ifndef HOJO_REPORT_INT_H
#define HOJO_REPORT_INT_H

#include <jansson.h>
#include "hojo/hojo.h"
#include "expr.h"

/* The tree hj_results_json prints (the caller owns it; NULL when out of memory). */
json_t *hj_results_tree(const hj_rulebook *rb, hj_facts *f, const hj_selection *sel, const hj_result *res, int n);

/* The values an expression read, "name=value, …" (as the explanation
 * prints them), into buf (NUL-terminated). */
void hj_report_values(hj_facts *f, const hj_expr *e, char *buf, size_t size);

#endif
