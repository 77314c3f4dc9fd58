/*
 * test.c - 'hojo test PATH...': run the rule cases and report.
 * The last line is "N passed, N failed" (the test harness reads it).
 */
#include <stdio.h>
#include <string.h>
#include "hojo.h"

static void report(void *ud, const char *file, int line, const char *name, int ok, const char *detail)
{
	(void)ud;
	if (ok)
		return;
	printf("FAIL %s:%d %s\n     %s\n", file, line, name, detail);
}

int cmd_test(opts *o, hj_rulebook *rb)
{
	int rc = EXIT_DONE;
	hj_test_counts c = { 0 };
	unsigned char covered[1024] = { 0 };
	for (int i = 0; i < o->nargs; i++) {
		hj_error err;
		hj_status st = hj_test_run(rb, o->args[i], report, NULL, &c,
					   hj_rulebook_nframes(rb) <= 1024 ? covered : NULL, &err);
		if (st) {
			rc = cli_fail(&err);
			c.failed++;
		}
	}
	int uncovered = 0;
	for (int i = 0; i < hj_rulebook_nframes(rb) && i < 1024; i++)
		if (!covered[i]) {
			printf("NOTE 枠 %s にテストケースがありません\n", hj_frame_id(hj_rulebook_frame(rb, i)));
			uncovered++;
		}
	printf("%d passed, %d failed\n", c.passed, c.failed);
	if (rc)
		return rc;
	return c.failed ? EXIT_FAILED : EXIT_DONE;
}
