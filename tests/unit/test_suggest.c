/*
 * test_suggest.c - unit tests for hojo/suggest.h: edit distance over
 * characters (Japanese counts one per character) and the nearest name.
 */
#include "unit.h"
#include "hojo/suggest.h"

static int dist(const char *a, const char *b)
{
	return hj_edit_distance(a, strlen(a), b);
}

static void test_distance(void **state)
{
	(void)state;
	assert_int_equal(dist("check", "check"), 0);
	assert_int_equal(dist("chek", "check"), 1);     /* one deletion */
	assert_int_equal(dist("chekc", "check"), 1);    /* one swap */
	assert_int_equal(dist("JSON", "json"), 0);      /* ASCII without case */
	assert_int_equal(dist("製造行", "製造業"), 1);  /* one character, not 3 bytes */
	assert_int_equal(dist("", "abc"), 3);
}

static void test_suggest(void **state)
{
	(void)state;
	const char *names[] = { "check", "explain", NULL, "rules" };
	assert_int_equal(hj_suggest("chek", 4, names, 4), 0);
	assert_int_equal(hj_suggest("rule", 4, names, 4), 3);
	assert_int_equal(hj_suggest("zzzzz", 5, names, 4), -1); /* too far: no guess */
	const char *paths[] = { "applicant.capital", "applicant.employees" };
	assert_int_equal(hj_suggest("applicant.employes", strlen("applicant.employes"), paths, 2), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_suggest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
