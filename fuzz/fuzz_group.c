/*
 * fuzz_group.c - libFuzzer target for group inputs (連携体・共同申請): the
 * bytes read by hj_group_input_load_text; when they load, every group
 * frame is evaluated on the members.
 * Build and run: make fuzz (needs clang). $HOJO_RULES as for hojo.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static hj_member_result mres[HJ_GROUP_MAX_MEMBERS];
	hj_rulebook *rb = fuzz_rules();
	hj_group_input *g = NULL;
	hj_error err;
	hj_status st = hj_group_input_load_text(rb, (const char *)data, size, "fuzz", &g, &err);
	fuzz_check_error(st, &err);
	if (st != HJ_OK) {
		if (g)
			abort();
		return 0;
	}
	int n = hj_group_input_count(g);
	if (n < 0 || n > HJ_GROUP_MAX_MEMBERS)
		abort();
	const hj_group_member *m = hj_group_input_members(g);
	for (int i = 0; i < hj_rulebook_nframes(rb); i++) {
		const hj_frame *fr = hj_rulebook_frame(rb, i);
		if (!hj_frame_is_group(fr))
			continue;
		hj_group_result r;
		hj_group_evaluate(rb, fr, m, n, mres, &r);
	}
	hj_group_input_free(g);
	return 0;
}
