/*
 * jsonout.c - a compact JSON writer for the documents the library builds
 * with jansson: the same bytes as json_dumps(JSON_COMPACT), written in
 * one pass into one buffer of the library's allocator (the service
 * prints these per request; json_dumps was a fifth of its time). Any
 * value it does not write the same way (a real) falls back to
 * json_dumps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jsonout.h"
#include "hojo/alloc.h"

typedef struct buf {
	char *s;
	size_t n, cap;
	int fail;
} buf;

static void put(buf *b, const char *s, size_t n)
{
	if (b->fail)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *t = hj_realloc(b->s, cap);
		if (!t) {
			b->fail = 1;
			return;
		}
		b->s = t;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
}

/* As jansson's dump_string without flags: '"' and '\\' escaped, control
 * characters as \b \f \n \r \t or \u00XX, everything else as is. */
static void put_string(buf *b, const char *s, size_t len)
{
	put(b, "\"", 1);
	size_t run = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(b, s + run, i - run);
		run = i + 1;
		char esc[8];
		switch (c) {
		case '"': put(b, "\\\"", 2); break;
		case '\\': put(b, "\\\\", 2); break;
		case '\b': put(b, "\\b", 2); break;
		case '\f': put(b, "\\f", 2); break;
		case '\n': put(b, "\\n", 2); break;
		case '\r': put(b, "\\r", 2); break;
		case '\t': put(b, "\\t", 2); break;
		default:
			snprintf(esc, sizeof esc, "\\u%04X", c);
			put(b, esc, 6);
		}
	}
	put(b, s + run, len - run);
	put(b, "\"", 1);
}

/* 0, or -1 for a value written differently by jansson (a real). */
static int put_value(buf *b, const json_t *v)
{
	char num[32];
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *k;
		json_t *x;
		int first = 1;
		put(b, "{", 1);
		json_object_foreach((json_t *)v, k, x)
		{
			if (!first)
				put(b, ",", 1);
			first = 0;
			put_string(b, k, strlen(k));
			put(b, ":", 1);
			if (put_value(b, x))
				return -1;
		}
		put(b, "}", 1);
		return 0;
	}
	case JSON_ARRAY: {
		put(b, "[", 1);
		for (size_t i = 0; i < json_array_size(v); i++) {
			if (i)
				put(b, ",", 1);
			if (put_value(b, json_array_get(v, i)))
				return -1;
		}
		put(b, "]", 1);
		return 0;
	}
	case JSON_STRING:
		put_string(b, json_string_value(v), json_string_length(v));
		return 0;
	case JSON_INTEGER: {
		int n = snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		put(b, num, (size_t)n);
		return 0;
	}
	case JSON_TRUE: put(b, "true", 4); return 0;
	case JSON_FALSE: put(b, "false", 5); return 0;
	case JSON_NULL: put(b, "null", 4); return 0;
	default: return -1;
	}
}

char *hj_json_compact(const json_t *root)
{
	buf b = { 0 };
	if (!root)
		return NULL;
	if (put_value(&b, root) == 0 && !b.fail) {
		b.s[b.n] = '\0';
		return b.s;
	}
	hj_free(b.s);
	char *s = json_dumps(root, JSON_COMPACT);
	if (!s)
		return NULL;
	char *out = hj_strdup(s);
	free(s);
	return out;
}

char *hj_json_string(json_t *root, int pretty)
{
	if (!root)
		return NULL;
	if (!pretty) {
		char *c = hj_json_compact(root);
		json_decref(root);
		return c;
	}
	char *s = json_dumps(root, JSON_PRESERVE_ORDER | JSON_INDENT(2));
	json_decref(root);
	if (!s)
		return NULL;
	char *out = hj_strdup(s);
	free(s);
	return out;
}
