/*
 * server/upload.h - internal to server/: a multipart/form-data body
 * streamed through libmicrohttpd's MHD_PostProcessor (upload.c): one
 * file part "file" (its bytes counted as they arrive, capped at
 * HJ_ATTACHMENT_MAX, hashed with SHA-256 as they arrive, kept in a
 * bounded buffer) and an optional text field "kind". The route's
 * handler then stores the file with one library call.
 *
 * Ownership: the request owns its srv_upload (rq->upload), freed by
 * srv_upload_free when the request ends.
 */
#ifndef HOJO_SERVER_UPLOAD_H
#define HOJO_SERVER_UPLOAD_H

#include <nettle/sha2.h>
#include "http.h"

typedef struct srv_upload {
	struct MHD_PostProcessor *pp;
	char name[1024];       /* the file part's file name as sent */
	size_t name_len;       /* its length (may exceed the buffer: then name_long) */
	int name_long;
	char content_type[128];
	char kind[80];
	int kind_long;
	unsigned char *data;   /* the file's bytes */
	size_t len, cap;
	int files;             /* file parts seen */
	int too_large;         /* the file passed the cap */
	const char *bad;       /* why the body is not acceptable, or NULL */
	const char *bad_field;
	struct sha256_ctx sha;
	char sha256[65];       /* hex, after srv_upload_finish */
} srv_upload;

/* 1 when the route takes a multipart/form-data body. */
int srv_upload_route(const struct srv_route *r);

/* Feed the next bytes of the body; 0 when the connection must be
 * closed (out of memory). */
int srv_upload_feed(srv_request *rq, const char *data, size_t n);

/* The body has ended: 0 when the upload is acceptable (rq->upload then
 * holds a file), 1 when a reply was made (400 broken multipart, 413 too
 * large, 422 no file or an unknown field). */
int srv_upload_finish(srv_request *rq, srv_reply *out);

void srv_upload_free(srv_upload *u);

#endif
