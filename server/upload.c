/*
 * server/upload.c - multipart/form-data streamed (server/upload.h): the
 * body of an attachment route goes through MHD_PostProcessor part by
 * part; the bytes of the file part are counted, hashed and kept as they
 * arrive, so that nothing beyond the cap is ever held and the SHA-256 is
 * ready when the body ends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <microhttpd.h>
#include "hojo/grants/applications.h"
#include "upload.h"

#define PP_BUFFER 16384

int srv_upload_route(const struct srv_route *r)
{
	return r && r->body_type && !strcmp(r->body_type, "multipart/form-data");
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
			       const char *content_type, const char *transfer_encoding, const char *data, uint64_t off,
			       size_t size)
{
	(void)kind;
	(void)transfer_encoding;
	srv_upload *u = cls;
	if (!key)
		return MHD_YES;
	if (!strcmp(key, "file")) {
		if (off == 0) {
			/* a new file part starts (a second call at offset 0 with
			 * the same name is the same part) */
			if (u->files == 0 || !filename || strcmp(filename, u->name)) {
				u->files++;
				if (u->files > 1) {
					u->bad = "ファイルは1回に1つだけ送ってください";
					u->bad_field = "file";
					return MHD_YES;
				}
				u->name_len = filename ? strlen(filename) : 0;
				u->name_long = u->name_len >= sizeof u->name;
				snprintf(u->name, sizeof u->name, "%s", filename ? filename : "");
				snprintf(u->content_type, sizeof u->content_type, "%s",
					 content_type ? content_type : "application/octet-stream");
			}
		}
		if (u->too_large || u->bad)
			return MHD_YES;
		if (u->len + size > HJ_ATTACHMENT_MAX) {
			u->too_large = 1;
			free(u->data);
			u->data = NULL;
			u->len = u->cap = 0;
			return MHD_YES;
		}
		if (u->len + size > u->cap) {
			size_t cap = u->cap ? u->cap : 65536;
			while (cap < u->len + size)
				cap *= 2;
			if (cap > HJ_ATTACHMENT_MAX)
				cap = HJ_ATTACHMENT_MAX;
			unsigned char *b = realloc(u->data, cap);
			if (!b)
				return MHD_NO;
			u->data = b;
			u->cap = cap;
		}
		memcpy(u->data + u->len, data, size);
		u->len += size;
		sha256_update(&u->sha, size, (const uint8_t *)data);
		return MHD_YES;
	}
	if (!strcmp(key, "kind")) {
		size_t have = strlen(u->kind);
		if (have + size >= sizeof u->kind) {
			u->kind_long = 1;
			return MHD_YES;
		}
		memcpy(u->kind + have, data, size);
		u->kind[have + size] = '\0';
		return MHD_YES;
	}
	if (!u->bad) {
		u->bad = "未知の項目です（使えるのは file と kind）";
		u->bad_field = "multipart";
	}
	return MHD_YES;
}

int srv_upload_feed(srv_request *rq, const char *data, size_t n)
{
	srv_upload *u = rq->upload;
	if (!u) {
		u = rq->upload = calloc(1, sizeof *u);
		if (!u)
			return 0;
		sha256_init(&u->sha);
		u->pp = MHD_create_post_processor(rq->conn, PP_BUFFER, on_part, u);
		if (!u->pp) {
			u->bad = "multipart/form-data の境界（boundary）がないか短すぎます";
			u->bad_field = "Content-Type";
		}
	}
	if (u->pp && !u->bad && MHD_post_process(u->pp, data, n) != MHD_YES && !u->bad) {
		u->bad = "multipart/form-data として読めません";
		u->bad_field = "multipart";
	}
	return 1;
}

int srv_upload_finish(srv_request *rq, srv_reply *out)
{
	srv_upload *u = rq->upload;
	if (u && u->pp) {
		if (MHD_destroy_post_processor(u->pp) != MHD_YES && !u->bad) {
			u->bad = "multipart/form-data が途中で終わっています";
			u->bad_field = "multipart";
		}
		u->pp = NULL;
	}
	if (u && u->too_large) {
		srv_reply_error(out, 413, "body_too_large", "file", "ファイルは %u バイト（10 MiB）までです", HJ_ATTACHMENT_MAX);
		return 1;
	}
	if (u && u->bad) {
		int broken = strcmp(u->bad_field, "file") != 0;
		srv_reply_error(out, broken ? 400 : 422, broken ? "invalid_multipart" : "invalid_value", u->bad_field, "%s",
				u->bad);
		return 1;
	}
	if (!u || !u->files) {
		srv_reply_error(out, 422, "missing_field", "file", "ファイル（file）がありません");
		return 1;
	}
	if (u->kind_long) {
		srv_reply_error(out, 422, "invalid_value", "kind", "kind が長すぎます");
		return 1;
	}
	uint8_t d[SHA256_DIGEST_SIZE];
	sha256_digest(&u->sha, sizeof d, d);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(u->sha256 + 2 * i, 3, "%02x", d[i]);
	return 0;
}

void srv_upload_free(srv_upload *u)
{
	if (!u)
		return;
	if (u->pp)
		MHD_destroy_post_processor(u->pp);
	free(u->data);
	free(u);
}
