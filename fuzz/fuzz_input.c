/*
 * fuzz_input.c - libFuzzer target for the applicant input reader: any
 * bytes given as a YAML/JSON input, and as a CSV file, must load or fail
 * with an error, never crash; when they load, every frame evaluates and
 * explains. Build and run: make fuzz (needs clang).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hojo/hojo.h"
#include "fuzz.h"

static hj_rulebook *rb;
static hj_facts *f;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hj_error err;
	if (!rb) {
		const char *dir = getenv("HOJO_RULES") ? getenv("HOJO_RULES") : "rules";
		if (hj_rulebook_load(dir, &rb, &err) || hj_facts_new(rb, &f))
			abort();
	}
	hj_facts_reset(f);
	if (hj_facts_load_text(f, (const char *)data, size, "fuzz", 1, &err) == HJ_OK) {
		for (int i = 0; i < hj_rulebook_nframes(rb); i++) {
			hj_result r;
			hj_evaluate(rb, f, hj_rulebook_frame(rb, i), &r);
			hj_reasons *rs;
			if (hj_explain(rb, f, &r, &rs) == HJ_OK)
				hj_reasons_free(rs);
		}
	} else if (!err.message[0]) {
		abort(); /* an error must say what is wrong */
	}
	/* the same bytes as CSV */
	FILE *in = fmemopen((void *)data, size ? size : 1, "r");
	if (!in)
		return 0;
	hj_reader *rd;
	if (hj_reader_open(rb, in, "fuzz.csv", HJ_FMT_CSV, &rd, &err) == HJ_OK) {
		for (int n = 0; n < 64; n++) {
			int eof;
			hj_status st = hj_reader_next(rd, f, &eof, &err);
			if (eof || st == HJ_ERR_IO)
				break;
			if (st == HJ_OK) {
				hj_result r;
				hj_evaluate(rb, f, hj_rulebook_frame(rb, 0), &r);
			}
		}
		hj_reader_free(rd);
	}
	fclose(in);
	return 0;
}
