/*
 * yaml.h - thin helpers over libfyaml shared by the rulebook loader and
 * the input reader (library-internal): parsing with errors captured into
 * an hj_error, and the line/column of a node.
 *
 * Ownership: hj_yaml_parse returns a document owned by the caller
 * (fy_document_destroy). The document reads from 'text': keep 'text'
 * alive until the document is destroyed.
 */
#ifndef HJ_YAML_H
#define HJ_YAML_H

#include <stddef.h>
#include <libfyaml.h>
#include "hojo/error.h"

/*
 * Parse YAML (or JSON, which is YAML) text. Anchors, aliases and merge
 * keys are resolved. On a syntax error returns NULL with 'err' set to
 * HJ_ERR_INPUT (or 'st') at the file:line:col of the problem; 'line0' is
 * added to line numbers (for a record in the middle of a file).
 */
struct fy_document *hj_yaml_parse(const char *text, size_t len, const char *file,
				  int line0, hj_status st, hj_error *err);

/*
 * What every text goes through before and after libfyaml (docs/cli.md,
 * "Bounds"): the bytes must be UTF-8 without NUL, no line may start with
 * '%' (a directive), at most HJ_YAML_MAX_BLANKS spaces or tabs in a row;
 * one document only; no key twice in a mapping; no NUL in a scalar (a "\0"
 * escape); nested at most HJ_YAML_MAX_DEPTH deep; where aliases are
 * allowed, at most HJ_YAML_MAX_NODES nodes counting each alias as what it
 * expands to. Anchors and aliases
 * are refused unless HJ_YAML_ALIASES is given or 'st' is HJ_ERR_RULEBOOK
 * (applicant input needs none). HJ_YAML_JSON reads strict JSON (no
 * trailing commas, no YAML); hj_yaml_parse sets it for a file named
 * *.json or *.jsonl. libfyaml running out of memory is HJ_ERR_NOMEM.
 */
enum { HJ_YAML_JSON = 1, HJ_YAML_ALIASES = 2 };
#define HJ_YAML_MAX_NODES 100000
#define HJ_YAML_MAX_NODES_TEXT "100,000"
#define HJ_YAML_MAX_BLANKS 200
#define HJ_YAML_MAX_DEPTH 100
#define HJ_YAML_MAX_DEPTH_TEXT "100"
struct fy_document *hj_yaml_parse_opts(const char *text, size_t len, const char *file, int line0,
				       hj_status st, int opts, hj_error *err);

/* 1-based line and column of a node (0 when unknown). For a container the
 * position of its first scalar is used. */
int hj_yaml_line(struct fy_node *n);
int hj_yaml_col(struct fy_node *n);

/* The scalar text of 'n' and its length, or NULL if 'n' is not a scalar. */
const char *hj_yaml_scalar(struct fy_node *n, size_t *len);

/* Index of the 'len' bytes at 's' in the NULL-terminated 'list', or -1
 * (also when 's' is NULL). */
int hj_str_index(const char *const *list, const char *s, size_t len);

/* Whether node 'n' is a scalar equal to 's'. */
int hj_yaml_is(struct fy_node *n, const char *s);

/* The first key of mapping 'map' that is not in the NULL-terminated
 * 'allowed' list (or is not a scalar), or NULL when all keys are known. */
struct fy_node *hj_yaml_unknown_key(struct fy_node *map, const char *const *allowed);

/* Write 'allowed' as "a, b, c" into 'buf' (truncated to 'size'). */
void hj_yaml_key_list(const char *const *allowed, char *buf, size_t size);

/* Read a whole file into a NUL-terminated buffer (hj_free): at most
 * HJ_MAX_RULE_FILE bytes when 'st' is HJ_ERR_RULEBOOK, else
 * HJ_MAX_INPUT_FILE (libfyaml takes about 90 bytes of memory per byte of
 * YAML in the worst case). */
#define HJ_MAX_INPUT_FILE ((size_t)1 << 20)
#define HJ_MAX_INPUT_FILE_TEXT "1MiB = 1,048,576 バイト"
#define HJ_MAX_RULE_FILE ((size_t)4 << 20)
#define HJ_MAX_RULE_FILE_TEXT "4MiB = 4,194,304 バイト"
char *hj_read_file(const char *path, size_t *len, hj_error *err, hj_status st);

#endif
