/*
 * reader-int.h - reader functions for splitting a CSV file between
 * threads (library-internal; used by summary.c).
 */
#ifndef HJ_READER_INT_H
#define HJ_READER_INT_H

#include "hojo/input.h"

/* Start 'r' in the middle of a file: the header of 'from', reading from
 * byte 'start' (a line start, line number 'line') up to byte 'end'. */
hj_status hj_reader_range(hj_reader *r, const hj_reader *from, long start, long line, long end);
/* Current byte offset of the underlying file. */
long hj_reader_offset(const hj_reader *r);
/* Read the CSV header row now (no-op for JSON Lines or when done). */
hj_status hj_reader_header(hj_reader *r, hj_error *err);

/* 'f' is filled by this reader only (nothing else writes its facts
 * between records): each record then clears only the facts of the CSV
 * columns, not every fact of the rulebook. */
void hj_reader_own(hj_reader *r, const hj_facts *f);

#endif
