/*
 * bench_select.c - the selection benchmark (bench/select, issue 11):
 * 100,000 scored applications over three frames (a special frame whose
 * rejected ones move to the normal frame with a bonus, the normal frame,
 * a frame with slots), ranked and selected by one hj_selection_run call.
 * Prints the call's time (min and median of RUNS) and the result's
 * figures; with --csv FILE writes the same population as the CSV that
 * 'hojo select' reads, for the whole-process timing.
 * Deterministic: a fixed linear congruential generator.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "hojo/hojo.h"
#include "hojo/alloc.h"
#include "hojo/review.h"

static uint64_t rng = 88172645463325252ULL;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int64_t n = 100000;
	const char *csv = NULL;
	int runs = 7;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--csv") && i + 1 < argc)
			csv = argv[++i];
		else if (!strcmp(argv[i], "--runs") && i + 1 < argc)
			runs = atoi(argv[++i]);
		else
			n = atoll(argv[i]);
	}
	if (runs < 1 || runs > 101 || n < 1) {
		fprintf(stderr, "usage: bench_select [N] [--runs R] [--csv FILE]\n");
		return 1;
	}
	/* frames: S (special, budget 20億円) -> N (normal, 100億円) with 1
	 * point; G (slots 400, like 卒業枠) */
	hj_sel_frame fr[3] = { { "S", 2000000000, 0, 1, "emergency", 1, 0 },
			       { "N", 10000000000LL, 0, -1, "", 0, 0 },
			       { "G", 0, 400, -1, "", 0, 0 } };
	hj_sel_app *a = hj_calloc((size_t)n, sizeof *a);
	if (!a)
		return 1;
	FILE *out = csv ? fopen(csv, "w") : NULL;
	if (csv && !out)
		return 1;
	if (out)
		fprintf(out, "id,frame,request,score,bonus,submitted_at,rerequest,crit_tech\n");
	for (int64_t i = 0; i < n; i++) {
		uint64_t r = next();
		int f = (int)(r % 10) < 2 ? 0 : (int)(r % 10) < 9 ? 1 : 2;
		a[i].id = i + 1;
		a[i].frame = f;
		a[i].request = (hj_yen)(1000000 + (next() % 140) * 100000); /* 100万..1,490万 */
		a[i].rerequest = f == 0 ? a[i].request * 3 / 4 : -1;
		a[i].bonus = (int64_t)(next() % 3);
		int64_t s100 = (int64_t)(next() % 8001) + 2000; /* 20.00 .. 100.00 */
		hj_frac_make(s100 + a[i].bonus * 100, 100, &a[i].score);
		a[i].submitted_us = (int64_t)(next() % (30LL * 86400)) * 1000000;
		a[i].ncrit = 1;
		hj_frac_make((int64_t)(next() % 501), 100, &a[i].crit[0]);
		a[i].eligible = 1;
		if (out) {
			char sc[32], cr[32];
			hj_score_text(a[i].score, 2, sc, sizeof sc);
			hj_score_text(a[i].crit[0], 2, cr, sizeof cr);
			fprintf(out, "%lld,%s,%lld,%s,%lld,%lld,", (long long)a[i].id, fr[f].id, (long long)a[i].request, sc,
				(long long)a[i].bonus, (long long)a[i].submitted_us);
			if (a[i].rerequest >= 0)
				fprintf(out, "%lld", (long long)a[i].rerequest);
			fprintf(out, ",%s\n", cr);
		}
	}
	if (out)
		fclose(out);
	hj_tiebreak_rule tb[2] = { { HJ_TB_BONUS_DESC, -1 }, { HJ_TB_SUBMITTED_ASC, -1 } };
	double t[101];
	hj_sel_result r;
	hj_error err;
	for (int k = 0; k < runs; k++) {
		double t0 = now();
		if (hj_selection_run(fr, 3, a, n, tb, 2, &r, &err)) {
			fprintf(stderr, "bench_select: %s\n", err.message);
			return 1;
		}
		t[k] = now() - t0;
		if (k + 1 < runs)
			hj_sel_result_free(&r);
	}
	qsort(t, (size_t)runs, sizeof *t, cmp_d);
	printf("select_applications: %lld\n", (long long)n);
	printf("select_call_seconds: min %.3f median %.3f max %.3f (%d runs)\n", t[0], t[runs / 2], t[runs - 1], runs);
	for (int f = 0; f < 3; f++) {
		char s[32] = "-";
		if (r.cuts[f].has_last)
			hj_score_text(r.cuts[f].last_adopted, 2, s, sizeof s);
		printf("select_frame_%s: ranked %lld adopted %lld used %lld left %lld cut %s stopped %s\n", fr[f].id,
		       (long long)r.cuts[f].ranked, (long long)r.cuts[f].adopted, (long long)r.cuts[f].used,
		       (long long)r.cuts[f].left, s, r.cuts[f].stopped_by);
	}
	printf("select_inputs_hash: %s\n", r.inputs_hash);
	hj_sel_result_free(&r);
	hj_free(a);
	return 0;
}
