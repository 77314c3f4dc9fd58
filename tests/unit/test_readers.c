/*
 * test_readers.c - the YAML / JSON / JSON Lines readers on hostile input
 * (issue 8): what is refused before libfyaml sees it (bytes that are not
 * UTF-8, NUL, directives), after (a second document, NUL in a scalar,
 * anchors in input, an alias expansion past the bound), exact positions,
 * strict JSON, strict month keys, and the bounds on a file and on a line.
 * Run from the repository root (it loads rules/).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "unit.h"
#include "hojo/hojo.h"
#include "yaml.h"

/* Parse 's' as applicant input named 'file'; returns the status. */
static hj_status parse(const char *s, const char *file, hj_status st, int opts, hj_error *err)
{
	hj_error_clear(err);
	struct fy_document *doc = hj_yaml_parse_opts(s, strlen(s), file, 0, st, opts, err);
	if (doc) {
		fy_document_destroy(doc);
		return HJ_OK;
	}
	assert_int_not_equal(err->status, HJ_OK);
	return err->status;
}

static void test_syntax_error_position_exact(void **state)
{
	(void)state;
	hj_error err;
	/* '@' is line 3, column 6 (it was reported 4:7) */
	assert_int_equal(parse("applicant:\n  capital: 1000\n  x: @foo\n", "a.yaml", HJ_ERR_INPUT, 0, &err),
			 HJ_ERR_INPUT);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.col, 6);
	/* a record on line 7 of a JSON Lines file: line0 = 6 */
	const char *rec = "{\"applicant\": {\"capital\": 1000,, \"employees\": 3}}";
	struct fy_document *doc = hj_yaml_parse_opts(rec, strlen(rec), "b.jsonl", 6, HJ_ERR_INPUT, HJ_YAML_JSON, &err);
	assert_null(doc);
	assert_int_equal(err.line, 7);
	assert_int_equal(err.col, 32);
}

static void test_not_utf8_refused_before_libfyaml(void **state)
{
	(void)state;
	hj_error err;
	/* libfyaml 0.7.12 loops forever on this */
	assert_int_equal(parse("%\x86", "x.yaml", HJ_ERR_INPUT, 0, &err), HJ_ERR_INPUT);
	assert_int_equal(err.line, 1);
	assert_int_equal(err.col, 2);
	/* a rulebook keeps its status (exit 2) */
	assert_int_equal(parse("%\x86", "r.yaml", HJ_ERR_RULEBOOK, 0, &err), HJ_ERR_RULEBOOK);
	/* the key is named by its mapping; the column counts characters */
	assert_int_equal(parse("applicant:\n  名前: x\n  \xff\xfe: 3\n", "k.yaml", HJ_ERR_INPUT, 0, &err),
			 HJ_ERR_INPUT);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.col, 3);
	assert_string_equal(err.field, "applicant");
	assert_non_null(strstr(err.message, "項目名に UTF-8"));
	assert_int_equal(parse("applicant:\n  名前: \"あ\xe3\x81\"\n", "v.yaml", HJ_ERR_INPUT, 0, &err), HJ_ERR_INPUT);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 9);
	assert_string_equal(err.field, "applicant.名前");
}

static void test_directive_and_nul_refused(void **state)
{
	(void)state;
	hj_error err;
	assert_int_equal(parse("a: 1\n%\xc3\xa9\n", "d.yaml", HJ_ERR_INPUT, 0, &err), HJ_ERR_INPUT);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 1);
	assert_non_null(strstr(err.message, "ディレクティブ"));
	/* a '%' inside a line is an ordinary character */
	assert_int_equal(parse("a: 50%\n", "p.yaml", HJ_ERR_INPUT, 0, &err), HJ_OK);
	/* NUL escaped inside a quoted amount: "100\0 0" was read as 100 */
	assert_int_equal(parse("applicant:\n  capital: \"100\\0 0\"\n", "n.yaml", HJ_ERR_INPUT, 0, &err),
			 HJ_ERR_INPUT);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.field, "applicant.capital");
	/* a NUL byte */
	static const char raw[] = "applicant:\n  capital: 100\0" "0\n";
	hj_error_clear(&err);
	assert_null(hj_yaml_parse_opts(raw, sizeof raw - 1, "z.yaml", 0, HJ_ERR_INPUT, 0, &err));
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 15);
	assert_string_equal(err.field, "applicant.capital");
}

static void test_one_document_only(void **state)
{
	(void)state;
	hj_error err;
	assert_int_equal(parse("a: 1\n---\nb: 2\n", "t.yaml", HJ_ERR_INPUT, 0, &err), HJ_ERR_INPUT);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 1);
	/* an explicit start and end of the one document are fine */
	assert_int_equal(parse("---\na: 1\n...\n", "t.yaml", HJ_ERR_INPUT, 0, &err), HJ_OK);
	/* an empty text is a document without a root */
	hj_error_clear(&err);
	struct fy_document *doc = hj_yaml_parse("", 0, "e.yaml", 0, HJ_ERR_INPUT, &err);
	assert_non_null(doc);
	assert_null(fy_document_root(doc));
	fy_document_destroy(doc);
}

static void test_anchors(void **state)
{
	(void)state;
	hj_error err;
	/* input: none */
	assert_int_equal(parse("a: &x 1\nb: 2\n", "i.yaml", HJ_ERR_INPUT, 0, &err), HJ_ERR_INPUT);
	assert_int_equal(err.line, 1);
	assert_int_equal(err.col, 4);
	assert_string_equal(err.field, "a");
	/* a rulebook: resolved */
	const char *rb = "a: &x {k: 1}\nb: *x\n";
	hj_error_clear(&err);
	struct fy_document *doc = hj_yaml_parse(rb, strlen(rb), "r.yaml", 0, HJ_ERR_RULEBOOK, &err);
	assert_non_null(doc);
	struct fy_node *k = fy_node_by_path(fy_document_root(doc), "/b/k", FY_NT, FYNWF_DONT_FOLLOW);
	assert_non_null(k);
	assert_true(hj_yaml_is(k, "1"));
	fy_document_destroy(doc);
	/* a rulebook expanding past the bound: 10 levels of 10 aliases */
	char bomb[2048];
	size_t o = (size_t)snprintf(bomb, sizeof bomb, "a0: &a0 [x,x,x,x,x,x,x,x,x,x]\n");
	for (int i = 1; i < 10; i++) {
		o += (size_t)snprintf(bomb + o, sizeof bomb - o, "a%d: &a%d [", i, i);
		for (int j = 0; j < 10; j++)
			o += (size_t)snprintf(bomb + o, sizeof bomb - o, "%s*a%d", j ? "," : "", i - 1);
		o += (size_t)snprintf(bomb + o, sizeof bomb - o, "]\n");
	}
	assert_int_equal(parse(bomb, "r.yaml", HJ_ERR_RULEBOOK, 0, &err), HJ_ERR_RULEBOOK);
	assert_non_null(strstr(err.message, "100,000"));
	assert_int_equal(err.line, 5);
}

static void test_duplicate_keys_and_blank_runs(void **state)
{
	(void)state;
	hj_error err;
	/* libfyaml's own duplicate check is quadratic: it is off, this one is not */
	assert_int_equal(parse("applicant:\n  capital: 1\n  employees: 2\n  capital: 3\n", "d.yaml", HJ_ERR_INPUT, 0,
			       &err),
			 HJ_ERR_INPUT);
	assert_int_equal(err.line, 4);
	assert_int_equal(err.col, 3);
	assert_string_equal(err.field, "applicant");
	assert_non_null(strstr(err.message, "'capital' が二度"));
	assert_non_null(strstr(err.message, "2行目"));
	/* 20,000 keys: linear time (it took minutes) */
	size_t cap = 20000 * 16, o = 0;
	char *big = malloc(cap);
	assert_non_null(big);
	for (int i = 0; i < 20000; i++)
		o += (size_t)snprintf(big + o, cap - o, "k%d: 1\n", i);
	assert_int_equal(parse(big, "k.yaml", HJ_ERR_INPUT, 0, &err), HJ_OK);
	free(big);
	/* 200 blanks in a row are fine, 201 are not (libfyaml is quadratic) */
	char line[512];
	snprintf(line, sizeof line, "a: [1]%*s\n", 200, "");
	assert_int_equal(parse(line, "b.yaml", HJ_ERR_INPUT, 0, &err), HJ_OK);
	snprintf(line, sizeof line, "a: [1]%*s\n", 201, "");
	assert_int_equal(parse(line, "b.yaml", HJ_ERR_INPUT, 0, &err), HJ_ERR_INPUT);
	assert_int_equal(err.line, 1);
	assert_int_equal(err.col, 7);
}

static void test_strict_json(void **state)
{
	(void)state;
	hj_error err;
	const char *s = "{\"applicant\": {\"capital\": 1000,}}";
	assert_int_equal(parse(s, "c.json", HJ_ERR_INPUT, HJ_YAML_JSON, &err), HJ_ERR_INPUT);
	assert_int_equal(err.line, 1);
	assert_int_equal(err.col, 31);
	/* by the file's name */
	hj_error_clear(&err);
	assert_null(hj_yaml_parse(s, strlen(s), "c.json", 0, HJ_ERR_INPUT, &err));
	/* the same text is valid YAML flow */
	assert_int_equal(parse(s, "c.yaml", HJ_ERR_INPUT, 0, &err), HJ_OK);
}

static void test_month_keys_strict(void **state)
{
	(void)state;
	hj_rulebook *rb;
	hj_facts *f;
	hj_error err;
	assert_int_equal(hj_rulebook_load("rules", &rb, &err), HJ_OK);
	assert_int_equal(hj_facts_new(rb, &f), HJ_OK);
	static const char *const bad[] = { "2019-+1", "\" 2019-2\"", "2019-1x", "+2019-10", "2019-1", NULL };
	for (int i = 0; bad[i]; i++) {
		char in[128];
		snprintf(in, sizeof in, "applicant:\n  monthly_sales: {%s: 100万円}\n", bad[i]);
		assert_int_equal(hj_facts_load_text(f, in, strlen(in), "m.yaml", 1, &err), HJ_ERR_INPUT);
		assert_int_equal(err.line, 2);
		assert_non_null(strstr(err.message, "YYYY-MM"));
	}
	const char *good = "applicant:\n  monthly_sales: {2019-10: 100万円, 2019年11月: 100万円}\n";
	assert_int_equal(hj_facts_load_text(f, good, strlen(good), "m.yaml", 1, &err), HJ_OK);
	hj_facts_free(f);
	hj_rulebook_free(rb);
}

static void test_file_bound(void **state)
{
	(void)state;
	char path[] = "/tmp/hojo-bound-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *fp = fdopen(fd, "w");
	for (size_t i = 0; i < HJ_MAX_INPUT_FILE; i++)
		fputc('#', fp);
	fflush(fp);
	hj_error err;
	size_t len;
	char *t = hj_read_file(path, &len, &err, HJ_ERR_INPUT);
	assert_non_null(t);
	assert_int_equal(len, HJ_MAX_INPUT_FILE);
	hj_free(t);
	fputc('#', fp);
	fclose(fp);
	assert_null(hj_read_file(path, &len, &err, HJ_ERR_INPUT));
	assert_int_equal(err.status, HJ_ERR_INPUT);
	assert_non_null(strstr(err.message, "大きすぎます"));
	/* a rulebook file may be larger */
	t = hj_read_file(path, &len, &err, HJ_ERR_RULEBOOK);
	assert_non_null(t);
	hj_free(t);
	unlink(path);
}

static void test_jsonl_line_bound(void **state)
{
	(void)state;
	hj_rulebook *rb;
	hj_facts *f;
	hj_error err;
	assert_int_equal(hj_rulebook_load("rules", &rb, &err), HJ_OK);
	assert_int_equal(hj_facts_new(rb, &f), HJ_OK);
	/* line 1: 1 MiB + 1 byte with its newline; line 2: a good record */
	size_t big = ((size_t)1 << 20) + 1;
	const char *good = "{\"applicant\": {\"employees\": 5}}\n";
	char *buf = malloc(big + strlen(good));
	assert_non_null(buf);
	memset(buf, ' ', big - 1);
	buf[big - 1] = '\n';
	memcpy(buf + big, good, strlen(good));
	FILE *in = fmemopen(buf, big + strlen(good), "r");
	assert_non_null(in);
	hj_reader *r;
	assert_int_equal(hj_reader_open(rb, in, "l.jsonl", HJ_FMT_AUTO, &r, &err), HJ_OK);
	int eof = 0;
	assert_int_equal(hj_reader_next(r, f, &eof, &err), HJ_ERR_INPUT);
	assert_int_equal(err.line, 1);
	assert_non_null(strstr(err.message, "行が長すぎます"));
	assert_int_equal(hj_reader_next(r, f, &eof, &err), HJ_OK);
	assert_false(eof);
	assert_int_equal(hj_reader_line(r), 2);
	assert_int_equal(hj_reader_next(r, f, &eof, &err), HJ_OK);
	assert_true(eof);
	hj_reader_free(r);
	fclose(in);
	free(buf);
	/* a line of exactly 1 MiB (newline included) is read */
	big = (size_t)1 << 20;
	buf = malloc(big);
	assert_non_null(buf);
	static const char head[] = "{\"applicant\": {\"name\": \"", tail[] = "\"}}\n";
	memset(buf, 'x', big);
	memcpy(buf, head, strlen(head));
	memcpy(buf + big - strlen(tail), tail, strlen(tail));
	in = fmemopen(buf, big, "r");
	assert_int_equal(hj_reader_open(rb, in, "l.jsonl", HJ_FMT_AUTO, &r, &err), HJ_OK);
	assert_int_equal(hj_reader_next(r, f, &eof, &err), HJ_OK);
	assert_false(eof);
	hj_reader_free(r);
	fclose(in);
	free(buf);
	hj_facts_free(f);
	hj_rulebook_free(rb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syntax_error_position_exact),
		cmocka_unit_test(test_not_utf8_refused_before_libfyaml),
		cmocka_unit_test(test_directive_and_nul_refused),
		cmocka_unit_test(test_one_document_only),
		cmocka_unit_test(test_anchors),
		cmocka_unit_test(test_duplicate_keys_and_blank_runs),
		cmocka_unit_test(test_strict_json),
		cmocka_unit_test(test_month_keys_strict),
		cmocka_unit_test(test_file_bound),
		cmocka_unit_test(test_jsonl_line_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
