/*
 * fuzz.h - helpers shared by the libFuzzer targets (fuzz/fuzz_*.c).
 * Header-only: each target is one translation unit built by 'make fuzz'.
 */
#ifndef HOJO_FUZZ_H
#define HOJO_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "hojo/hojo.h"

/* Write 'n' bytes to 'path' (truncating); abort on failure. */
static inline void fuzz_write(const char *path, const void *d, size_t n)
{
	FILE *fp = fopen(path, "wb");
	if (!fp || (n && fwrite(d, 1, n, fp) != n) || fclose(fp))
		abort();
}

/* A private scratch directory (under $TMPDIR, else /tmp), made once. */
static inline const char *fuzz_scratch(void)
{
	static char dir[512];
	if (!dir[0]) {
		const char *t = getenv("TMPDIR");
		snprintf(dir, sizeof dir, "%s/hojo-fuzz-XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(dir))
			abort();
	}
	return dir;
}

/* The shipped rulebook ($HOJO_RULES, else ./rules), loaded once. */
static inline hj_rulebook *fuzz_rules(void)
{
	static hj_rulebook *rb;
	if (!rb) {
		hj_error err;
		const char *dir = getenv("HOJO_RULES") ? getenv("HOJO_RULES") : "rules";
		if (hj_rulebook_load(dir, &rb, &err) != HJ_OK) {
			fprintf(stderr, "fuzz: cannot load %s: %s\n", dir, err.message);
			abort();
		}
	}
	return rb;
}

/* A failed call must say what is wrong. */
static inline void fuzz_check_error(hj_status st, const hj_error *err)
{
	if (st != HJ_OK && !err->message[0])
		abort();
}

#endif
