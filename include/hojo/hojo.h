/*
 * hojo/hojo.h - the whole public API of libhojo.
 *
 * hojo computes, from rules kept as data, which subsidy programs and
 * frames an SME can use, at what rate, up to what cap and for how many
 * yen, and explains each answer with its sources. Read in this order:
 * error.h, money.h, date.h, rulebook.h, input.h, eval.h, testing.h.
 */
#ifndef HOJO_H
#define HOJO_H

#include "error.h"
#include "alloc.h"
#include "money.h"
#include "date.h"
#include "rulebook.h"
#include "input.h"
#include "eval.h"
#include "testing.h"
#include "batch.h"
#include "group.h"
#include "plan.h"
#include "expenses.h"
#include "suggest.h"
#include "document.h"
#include "after.h"

#endif
