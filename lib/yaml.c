/*
 * yaml.c - libfyaml helpers (see yaml.h).
 */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include "hojo/alloc.h"
#include "yaml.h"

static void quiet_output(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
	(void)diag;
	(void)user;
	(void)buf;
	(void)len;
}

struct fy_document *hj_yaml_parse(const char *text, size_t len, const char *file,
				  int line0, hj_status st, hj_error *err)
{
	struct fy_diag_cfg dcfg;
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = quiet_output;
	dcfg.colorize = false;
	struct fy_diag *diag = fy_diag_create(&dcfg);
	if (!diag) {
		hj_error_set(err, HJ_ERR_NOMEM, file, 0, 0, NULL, "メモリが足りません");
		return NULL;
	}
	fy_diag_set_collect_errors(diag, true);
	struct fy_parse_cfg cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.flags = FYPCF_QUIET | FYPCF_RESOLVE_DOCUMENT | FYPCF_DEFAULT_VERSION_1_2;
	cfg.diag = diag;
	struct fy_document *doc = fy_document_build_from_string(&cfg, text, len);
	if (!doc || fy_diag_got_error(diag)) {
		void *it = NULL;
		struct fy_diag_error *de = fy_diag_errors_iterate(diag, &it);
		if (de)
			hj_error_set(err, st, file, de->line + 1 + line0, de->column + 1, NULL,
				     "YAML/JSON として読めません: %s", de->msg ? de->msg : "");
		else
			hj_error_set(err, st, file, line0 ? line0 + 1 : 0, 0, NULL,
				     "YAML/JSON として読めません");
		if (doc)
			fy_document_destroy(doc);
		doc = NULL;
	}
	fy_diag_destroy(diag);
	return doc;
}

static const struct fy_mark *node_mark(struct fy_node *n, int depth)
{
	if (!n || depth > 8)
		return NULL;
	if (fy_node_is_scalar(n)) {
		struct fy_token *t = fy_node_get_scalar_token(n);
		return t ? fy_token_start_mark(t) : NULL;
	}
	void *it = NULL;
	if (fy_node_is_mapping(n)) {
		struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
		return p ? node_mark(fy_node_pair_key(p), depth + 1) : NULL;
	}
	if (fy_node_is_sequence(n)) {
		struct fy_node *c = fy_node_sequence_iterate(n, &it);
		return node_mark(c, depth + 1);
	}
	return NULL;
}

int hj_yaml_line(struct fy_node *n)
{
	const struct fy_mark *m = node_mark(n, 0);
	return m ? m->line + 1 : 0;
}

int hj_yaml_col(struct fy_node *n)
{
	const struct fy_mark *m = node_mark(n, 0);
	return m ? m->column + 1 : 0;
}

const char *hj_yaml_scalar(struct fy_node *n, size_t *len)
{
	if (!n || !fy_node_is_scalar(n))
		return NULL;
	const char *s = fy_node_get_scalar(n, len);
	if (!s) {
		*len = 0;
		return "";
	}
	return s;
}

int hj_str_index(const char *const *list, const char *s, size_t len)
{
	for (int i = 0; s && list[i]; i++)
		if (strlen(list[i]) == len && !memcmp(list[i], s, len))
			return i;
	return -1;
}

int hj_yaml_is(struct fy_node *n, const char *s)
{
	size_t len;
	const char *t = hj_yaml_scalar(n, &len);
	return t && strlen(s) == len && !memcmp(s, t, len);
}

struct fy_node *hj_yaml_unknown_key(struct fy_node *map, const char *const *allowed)
{
	void *it = NULL;
	struct fy_node_pair *p;
	while ((p = fy_node_mapping_iterate(map, &it))) {
		size_t len;
		struct fy_node *k = fy_node_pair_key(p);
		const char *t = hj_yaml_scalar(k, &len);
		if (hj_str_index(allowed, t, len) < 0)
			return k;
	}
	return NULL;
}

void hj_yaml_key_list(const char *const *allowed, char *buf, size_t size)
{
	size_t o = 0;
	buf[0] = 0;
	for (int i = 0; allowed[i] && o < size; i++) {
		int w = snprintf(buf + o, size - o, "%s%s", i ? ", " : "", allowed[i]);
		if (w < 0)
			break;
		o += (size_t)w;
	}
}

char *hj_read_file(const char *path, size_t *len, hj_error *err, hj_status st)
{
	/* opened without blocking, so that a FIFO with no writer cannot hang
	 * the open; then only what may be read: a regular file, or (for an
	 * input named on the command line, not a rulebook file) a pipe */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat sb = { 0 };
	if (fd < 0) {
		hj_error_set(err, st == HJ_OK ? HJ_ERR_IO : st, path, 0, 0, NULL,
			     "ファイルを開けません: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &sb) || !(S_ISREG(sb.st_mode) || (S_ISFIFO(sb.st_mode) && st != HJ_ERR_RULEBOOK))) {
		close(fd);
		hj_error_set(err, st == HJ_OK ? HJ_ERR_IO : st, path, 0, 0, NULL, "%s",
			     S_ISDIR(sb.st_mode) ? "ディレクトリです（ファイルを指定してください）"
						 : "通常のファイルではありません（FIFO・デバイスなどは読みません）");
		return NULL;
	}
	int fl = fcntl(fd, F_GETFL);
	FILE *fp = fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) ? NULL : fdopen(fd, "rb");
	if (!fp) {
		close(fd);
		hj_error_set(err, st == HJ_OK ? HJ_ERR_IO : st, path, 0, 0, NULL,
			     "ファイルを開けません: %s", strerror(errno));
		return NULL;
	}
	size_t cap = 65536, n = 0;
	char *buf = hj_malloc(cap);
	while (buf) {
		if (n + 1 >= cap) {
			if (cap >= ((size_t)64 << 20)) {
				hj_free(buf);
				fclose(fp);
				hj_error_set(err, st, path, 0, 0, NULL,
					     "ファイルが大きすぎます（64MiBまで）");
				return NULL;
			}
			char *nb = hj_realloc(buf, cap * 2);
			if (!nb) {
				hj_free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		size_t r = fread(buf + n, 1, cap - n - 1, fp);
		n += r;
		if (r == 0)
			break;
	}
	int bad = ferror(fp);
	fclose(fp);
	if (!buf) {
		hj_error_set(err, HJ_ERR_NOMEM, path, 0, 0, NULL, "メモリが足りません");
		return NULL;
	}
	if (bad) {
		hj_free(buf);
		hj_error_set(err, HJ_ERR_IO, path, 0, 0, NULL, "ファイルを読めません");
		return NULL;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}
