/*
 * test_jsonout.c - unit tests for lib/jsonout.c: hj_json_compact writes
 * the same bytes as json_dumps(JSON_COMPACT) (the command's --json and
 * the HTTP service's answers depend on it), escapes included, and falls
 * back to json_dumps for a real.
 */
#include "unit.h"
#include <jansson.h>
#include "jsonout.h"
#include "hojo/alloc.h"

static void same_as_jansson(json_t *v)
{
	char *want = json_dumps(v, JSON_COMPACT);
	char *got = hj_json_compact(v);
	assert_non_null(want);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(want);
	hj_free(got);
	json_decref(v);
}

static void test_scalars(void **state)
{
	(void)state;
	same_as_jansson(json_pack("[i,I,I,b,b,n]", 0, (json_int_t)-9223372036854775807LL - 1,
				  (json_int_t)9223372036854775807LL, 1, 0));
	same_as_jansson(json_pack("{}"));
	same_as_jansson(json_pack("[]"));
	same_as_jansson(json_pack("{s:[],s:{}}", "a", "b"));
}

static void test_escapes(void **state)
{
	(void)state;
	/* quote, backslash, slash (not escaped), every control character,
	 * DEL, Japanese and a 4-byte character (as they are) */
	char s[64];
	for (int i = 0; i < 32; i++)
		s[i] = (char)(i + 1 == 32 ? 0x7f : i + 1);
	s[31] = '\0';
	same_as_jansson(json_pack("{s:s,s:s,s:s,s:s}", "q\"k\\", "a\"b\\c/d", "ctl", s, "ja", "補助率 1/2（seed 002:34）",
				  "emoji", "\xf0\x9f\x98\x80"));
	same_as_jansson(json_pack("{s:s#}", "nul", "a\0b", (size_t)3));
}

static void test_order_and_nesting(void **state)
{
	(void)state;
	/* insertion order kept, as json_dumps without JSON_SORT_KEYS */
	json_t *o = json_object();
	for (int i = 20; i > 0; i--) {
		char k[8];
		snprintf(k, sizeof k, "k%d", i);
		json_object_set_new(o, k, json_pack("[i,{s:[s,n]}]", i, "x", "y"));
	}
	same_as_jansson(o);
}

static void test_real_falls_back(void **state)
{
	(void)state;
	same_as_jansson(json_pack("{s:f,s:[f]}", "r", 0.5, "s", 1e300));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_order_and_nesting),
		cmocka_unit_test(test_real_falls_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
