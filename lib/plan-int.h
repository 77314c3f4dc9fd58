/*
 * lib/plan-int.h - internal to lib/: the parts of the plan check
 * (lib/plan.c) that the after-adoption engine (lib/after.c) reuses to
 * read a yearly report exactly as the plan was read: deriving a year's
 * 営業利益, 経常利益 and 付加価値額, a year's metric, and the exact growth
 * comparison (V_k >= V_0 (1 + g)^k) with the least whole value passing.
 *
 * Ownership: plain values; 'p' and 'y' are borrowed.
 */
#ifndef HOJO_PLAN_INT_H
#define HOJO_PLAN_INT_H

#include "hojo/plan.h"

hj_status pl_derive_year(hj_plan_year *y, int k, hj_plan *p, const char *file, hj_error *err);
int pl_year_metric(const hj_plan_year *y, const char *name, hj_frac *out);
int pl_reaches(hj_frac x, hj_frac v0, hj_frac g, int compound, int k);
int pl_least_value(hj_frac v0, hj_frac g, int compound, int k, int64_t *out);

#endif
