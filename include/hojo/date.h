/*
 * hojo/date.h - calendar dates as day numbers.
 *
 * A date is the number of days since 1970-01-01 (proleptic Gregorian),
 * so comparison and subtraction are plain integer operations. Parsing
 * validates the calendar (no 2023-02-29) using the C library.
 *
 * Ownership: plain values only.
 */
#ifndef HOJO_DATE_H
#define HOJO_DATE_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef int32_t hj_date;

/* Parse exactly "YYYY-MM-DD" or "2019年10月1日" (years 1900-2999); a
 * Japanese date without its day ("2019年10月") is an error that says so. */
hj_status hj_date_parse(const char *s, size_t len, hj_date *out, hj_error *err);
/* Read the Japanese "YYYY年M月" (returns 1) or "YYYY年M月D日" (returns 2,
 * *d set) shape without checking ranges; 0 if the text has neither shape. */
int hj_month_parse_jp(const char *s, size_t len, int *y, int *m, int *d);
/* Build from parts; invalid dates give HJ_ERR_RANGE. */
hj_status hj_date_from_ymd(int y, int m, int d, hj_date *out);
void hj_date_to_ymd(hj_date dt, int *y, int *m, int *d);
/* "2024-03-27". Returns bytes written (excl. NUL); needs size >= 11. */
size_t hj_date_format(hj_date dt, char *buf, size_t size);
/* "2024年3月27日". */
size_t hj_date_format_ja(hj_date dt, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
