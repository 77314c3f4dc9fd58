/*
 * report-int.h - internal to lib/: the JSON tree of hj_results_json, for
 * the documents of document.c that add keys to it (no re-parsing).
 */
#ifndef HOJO_REPORT_INT_H
#define HOJO_REPORT_INT_H

#include <jansson.h>
#include "hojo/hojo.h"

/* The tree hj_results_json prints (the caller owns it; NULL when out of memory). */
json_t *hj_results_tree(const hj_rulebook *rb, hj_facts *f, const hj_selection *sel, const hj_result *res, int n);

#endif
