/*
 * bench_eval.c - hojo's performance figures (make bench).
 *
 *   bench_eval RULES                 in-process figures
 *   bench_eval RULES --csv FILE N    write N synthetic applicants as CSV
 *   bench_eval RULES --batch HOJO FILE THREADS [PROGRAM]
 *                                    time 'HOJO batch FILE --summary' with
 *                                    HOJO_THREADS=THREADS (one program, or
 *                                    all), and its peak memory
 *
 * Synthetic applicants come from a fixed-seed generator, so every run
 * measures the same work. Output is one figure per line: "name: value unit".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include "hojo/hojo.h"

#define N_APPLICANTS 1000000

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static const char *const forms[] = { "company", "company", "company", "company", "sole_proprietor", "npo" };
static const char *const inds[] = { "manufacturing", "construction", "transport", "wholesale", "retail",
				    "service", "software_it", "ryokan", "rubber", "other" };
static const char *const bools[] = { "true", "false" };

/* The columns of one synthetic applicant (fact name, text). */
#define NCOLS 12
static const char *const cols[NCOLS] = { "legal_form", "industry", "capital", "employees", "expenses",
					 "capex",      "advisor",  "labor_saving", "high_value", "dx_gx",
					 "revitalization", "kakushin.held" };

static void synth(char vals[NCOLS][32])
{
	snprintf(vals[0], 32, "%s", forms[next() % 6]);
	snprintf(vals[1], 32, "%s", inds[next() % 10]);
	snprintf(vals[2], 32, "%u万円", 100 + next() % 50000);
	snprintf(vals[3], 32, "%u", next() % 400);
	snprintf(vals[4], 32, "%u", 500000 + next() % 60000000);
	for (int i = 5; i < NCOLS; i++)
		snprintf(vals[i], 32, "%s", bools[next() % 2]);
}

static int in_process(const char *rules)
{
	hj_rulebook *rb;
	hj_error err;
	/* load time: best of 20 */
	double best = 1e9;
	for (int i = 0; i < 20; i++) {
		double t0 = now();
		if (hj_rulebook_load(rules, &rb, &err)) {
			fprintf(stderr, "bench: %s\n", err.message);
			return 1;
		}
		double t = now() - t0;
		if (t < best)
			best = t;
		hj_rulebook_free(rb);
	}
	printf("rulebook_load: %.2f ms\n", best * 1e3);
	hj_rulebook_load(rules, &rb, &err);
	int ids[NCOLS];
	for (int i = 0; i < NCOLS; i++)
		ids[i] = hj_rulebook_fact_index(rb, cols[i]);
	int nframes = hj_rulebook_nframes(rb);
	hj_facts *f;
	hj_facts_new(rb, &f);
	static char vals[1024][NCOLS][32];
	for (int i = 0; i < 1024; i++)
		synth(vals[i]);
	hj_result r;
	long eligible = 0;
	/* input only */
	double t0 = now();
	for (long a = 0; a < N_APPLICANTS; a++) {
		hj_facts_reset(f);
		for (int c = 0; c < NCOLS; c++)
			hj_facts_set_text(f, ids[c], vals[a & 1023][c], strlen(vals[a & 1023][c]), &err);
	}
	double t_input = now() - t0;
	/* input and every frame */
	t0 = now();
	for (long a = 0; a < N_APPLICANTS; a++) {
		hj_facts_reset(f);
		for (int c = 0; c < NCOLS; c++)
			hj_facts_set_text(f, ids[c], vals[a & 1023][c], strlen(vals[a & 1023][c]), &err);
		for (int k = 0; k < nframes; k++) {
			hj_evaluate(rb, f, hj_rulebook_frame(rb, k), &r);
			eligible += r.verdict == HJ_ELIGIBLE;
		}
	}
	double t_all = now() - t0;
	double evals = (double)N_APPLICANTS * nframes;
	printf("applicants: %d count\n", N_APPLICANTS);
	printf("frames_per_applicant: %d count\n", nframes);
	printf("input_per_applicant: %.0f ns\n", t_input / N_APPLICANTS * 1e9);
	printf("frame_evaluations_per_second: %.0f evals/s\n", evals / (t_all - t_input));
	printf("applicants_per_second_with_input: %.0f applicants/s\n", N_APPLICANTS / t_all);
	printf("eligible_results: %ld count\n", eligible);
	hj_facts_free(f);
	hj_rulebook_free(rb);
	return 0;
}

static int write_csv(const char *path, long n)
{
	FILE *fp = fopen(path, "w");
	if (!fp)
		return 1;
	for (int c = 0; c < NCOLS; c++)
		fprintf(fp, "%s%s", c ? "," : "", cols[c]);
	fputc('\n', fp);
	char vals[NCOLS][32];
	for (long a = 0; a < n; a++) {
		synth(vals);
		for (int c = 0; c < NCOLS; c++)
			fprintf(fp, "%s%s", c ? "," : "", vals[c]);
		fputc('\n', fp);
	}
	return fclose(fp) != 0;
}

static int batch(const char *rules, const char *hojo, const char *file, const char *threads, const char *program)
{
	setenv("HOJO_THREADS", threads, 1);
	double t0 = now();
	pid_t pid = fork();
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(126);
		if (program)
			execl(hojo, hojo, "batch", file, "--summary", "--rules", rules, "--program", program, (char *)NULL);
		else
			execl(hojo, hojo, "batch", file, "--summary", "--rules", rules, (char *)NULL);
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench: hojo batch failed\n");
		return 1;
	}
	double t = now() - t0;
	const char *what = program ? program : "all";
	printf("batch_summary_%s_threads_%s_time: %.3f s\n", what, threads, t);
	printf("batch_summary_%s_threads_%s_rows_per_second: %.0f rows/s\n", what, threads, N_APPLICANTS / t);
	printf("batch_summary_%s_threads_%s_peak_rss: %.1f MiB\n", what, threads, (double)ru.ru_maxrss / 1024.0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2)
		return in_process(argv[1]);
	if (argc == 5 && !strcmp(argv[2], "--csv"))
		return write_csv(argv[3], atol(argv[4]));
	if ((argc == 6 || argc == 7) && !strcmp(argv[2], "--batch"))
		return batch(argv[1], argv[3], argv[4], argv[5], argc == 7 ? argv[6] : NULL);
	fprintf(stderr, "usage: bench_eval RULES [--csv FILE N | --batch HOJO FILE THREADS [PROGRAM]]\n");
	return 2;
}
