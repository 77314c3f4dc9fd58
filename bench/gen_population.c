/*
 * gen_population.c - the peer benchmark's population of firms, bit for bit
 * the CSV that ../shared/bench/gen_population.py writes (its docstring
 * gives the algorithm: splitmix64 per column and firm), without Python.
 *
 *   gen_population N OUT.csv [--seed S]      (default seed 20250401)
 *
 * Used by tests/peer/run (10,000 and 100,000 firms, checked against the
 * sha256 sums of the benchmark's README) and bench/run (1,000,000).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GOLDEN 0x9E3779B97F4A7C15ULL

static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

int main(int argc, char **argv)
{
	if (argc != 3 && !(argc == 5 && !strcmp(argv[3], "--seed"))) {
		fprintf(stderr, "usage: gen_population N OUT.csv [--seed S]\n");
		return 2;
	}
	char *end;
	long long n = strtoll(argv[1], &end, 10);
	uint64_t seed = argc == 5 ? strtoull(argv[4], NULL, 10) : 20250401;
	if (*end || n < 0) {
		fprintf(stderr, "gen_population: bad N '%s'\n", argv[1]);
		return 2;
	}
	FILE *out = fopen(argv[2], "w");
	if (!out) {
		perror(argv[2]);
		return 1;
	}
	static const char *const industry[] = { "manufacturing", "wholesale", "retail", "service", "other" };
	static const int64_t boundary[] = { 50000000, 50000001, 100000000, 100000001, 300000000, 300000001 };
	static const int64_t edge[] = { 999999, 1000000, 1000001 };
	uint64_t base[6];
	for (int c = 0; c < 6; c++)
		base[c] = mix(seed * GOLDEN + (uint64_t)c);
	fputs("id,industry,capital,employees,eligible_expenses,has_innovation_plan,uses_expert\n", out);
	for (long long i = 0; i < n; i++) {
		uint64_t b[6], v[6];
		for (int c = 0; c < 6; c++) {
			uint64_t r = mix(base[c] + (uint64_t)(i + 1) * GOLDEN);
			b[c] = r % 100;
			v[c] = r >> 8;
		}
		int ind = b[0] < 30 ? 0 : b[0] < 45 ? 1 : b[0] < 65 ? 2 : b[0] < 90 ? 3 : 4;
		int64_t emp = b[1] < 30   ? 1 + (int64_t)(v[1] % 5)
			      : b[1] < 55 ? 6 + (int64_t)(v[1] % 15)
			      : b[1] < 80 ? 21 + (int64_t)(v[1] % 80)
			      : b[1] < 92 ? 101 + (int64_t)(v[1] % 200)
					  : 301 + (int64_t)(v[1] % 1700);
		int64_t cap = b[2] < 10	  ? boundary[v[2] % 6]
			      : b[2] < 60 ? 1000000 * (1 + (int64_t)(v[2] % 50))
			      : b[2] < 85 ? 1000000 * (50 + (int64_t)(v[2] % 251))
					  : 1000000 * (300 + (int64_t)(v[2] % 1700));
		int64_t exp = b[3] < 5	  ? edge[v[3] % 3]
			      : b[3] < 15 ? (int64_t)(v[3] % 1000000)
					  : 1000000 + (int64_t)(v[3] % 29000001);
		fprintf(out, "%lld,%s,%" PRId64 ",%" PRId64 ",%" PRId64 ",%d,%d\n", i + 1, industry[ind], cap, emp, exp,
			b[4] < 30, b[5] < 25);
	}
	if (fclose(out)) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
