/*
 * value.h - runtime values and static types of the rule expression
 * language (library-internal).
 *
 * A value is either unknown (a fact the applicant did not supply, or
 * something computed from one) or known with one of five kinds. Numbers
 * and yen share the exact-fraction representation; they differ only in
 * static type, which the compiler checks. Enum values are indices into
 * the enum's value list; sets of enum values are 64-bit masks, so an
 * enum used in a set may have at most 64 values.
 *
 * Ownership: plain values; nothing here owns memory.
 */
#ifndef HJ_VALUE_H
#define HJ_VALUE_H

#include <stdint.h>
#include <string.h>
#include "hojo/money.h"
#include "hojo/date.h"

/* Static types. */
typedef enum hj_ty {
	HJ_TY_NONE = 0,
	HJ_TY_BOOL,
	HJ_TY_NUM,  /* exact number (counts, ratios, percentages) */
	HJ_TY_YEN,  /* an amount of money (exact fraction of yen)  */
	HJ_TY_DATE,
	HJ_TY_ENUM, /* one value of enum 'enum_id'                 */
	HJ_TY_SET,  /* a set of values of enum 'enum_id'           */
	HJ_TY_SERIES /* monthly amounts (only computed facts read it) */
} hj_ty;

typedef struct hj_type {
	uint8_t ty;      /* hj_ty */
	int16_t enum_id; /* for HJ_TY_ENUM / HJ_TY_SET, else -1 */
} hj_type;

/* Runtime value. 'known' == 0 means unknown; 'u' is then meaningless. */
typedef struct hj_value {
	uint8_t known;
	union {
		int b;         /* HJ_TY_BOOL: 0 or 1 */
		hj_frac q;     /* HJ_TY_NUM, HJ_TY_YEN */
		int32_t sym;   /* HJ_TY_ENUM: index into the enum */
		hj_date date;  /* HJ_TY_DATE */
		uint64_t set;  /* HJ_TY_SET: bit i = enum value i */
	} u;
} hj_value;

/* A set of fact ids (0..HJ_MAX_FACTS-1): the facts an answer is missing. */
#define HJ_MAX_FACTS 256
typedef struct hj_factset {
	uint64_t w[HJ_MAX_FACTS / 64];
} hj_factset;

static inline void hj_factset_clear(hj_factset *s) { memset(s, 0, sizeof *s); }
static inline void hj_factset_add(hj_factset *s, int id)
{
	s->w[id >> 6] |= (uint64_t)1 << (id & 63);
}
static inline int hj_factset_has(const hj_factset *s, int id)
{
	return (int)((s->w[id >> 6] >> (id & 63)) & 1);
}
static inline void hj_factset_union(hj_factset *d, const hj_factset *s)
{
	for (int i = 0; i < HJ_MAX_FACTS / 64; i++)
		d->w[i] |= s->w[i];
}
static inline int hj_factset_empty(const hj_factset *s)
{
	for (int i = 0; i < HJ_MAX_FACTS / 64; i++)
		if (s->w[i])
			return 0;
	return 1;
}

static inline hj_value hj_value_unknown(void)
{
	hj_value v;
	memset(&v, 0, sizeof v);
	return v;
}
static inline hj_value hj_value_bool(int b)
{
	hj_value v = hj_value_unknown();
	v.known = 1;
	v.u.b = b != 0;
	return v;
}
static inline hj_value hj_value_frac(hj_frac q)
{
	hj_value v = hj_value_unknown();
	v.known = 1;
	v.u.q = q;
	return v;
}

#endif
