/*
 * hojo/error.h - status codes and the error object shared by the whole API.
 *
 * Ownership: an hj_error is a plain value owned by the caller (usually on
 * the stack); functions that fail fill it in and never allocate inside it.
 */
#ifndef HOJO_ERROR_H
#define HOJO_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

/* Every fallible function returns one of these. */
typedef enum hj_status {
	HJ_OK = 0,
	HJ_ERR_INPUT,    /* bad applicant input or command-line argument */
	HJ_ERR_RULEBOOK, /* the rulebook cannot be loaded */
	HJ_ERR_RANGE,    /* arithmetic overflow or value out of range */
	HJ_ERR_NOMEM,    /* allocation failed */
	HJ_ERR_IO,       /* a file could not be read or written */
	HJ_ERR_INTERNAL, /* a bug in hojo */
	/* the store and the office (lib/store/, lib/grants/); the server maps
	 * each to one HTTP status (docs/api.md) */
	HJ_ERR_CONFLICT, /* a concurrent or stale change, a duplicate (409) */
	HJ_ERR_NOT_FOUND,/* no such record, or not visible to the caller (404) */
	HJ_ERR_DENIED,   /* the caller's role does not allow it (403) */
	HJ_ERR_AUTH,     /* not signed in, or wrong credentials (401) */
	HJ_ERR_CLOSED,   /* the call is not open (423) */
	HJ_ERR_LIMIT     /* too many attempts; try again later (429) */
} hj_status;

/* Details of the last failure: where (file:line:col) and what. */
typedef struct hj_error {
	hj_status status;
	char file[256];   /* input or rulebook file, "" if none */
	int line;         /* 1-based, 0 if unknown */
	int col;          /* 1-based, 0 if unknown */
	char field[128];  /* dotted field name, "" if none */
	char message[1024];/* what went wrong, in Japanese for users */
} hj_error;

/* Reset 'err' to "no error". Safe on NULL. */
void hj_error_clear(hj_error *err);

/*
 * Record a failure in 'err' (may be NULL) and return 'st'.
 * 'file' and 'field' may be NULL. The message is printf-formatted.
 */
hj_status hj_error_set(hj_error *err, hj_status st, const char *file, int line,
		       int col, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/* Format "file:line:col: field: message" into buf (always NUL-terminated). */
void hj_error_format(const hj_error *err, char *buf, unsigned long size);

/* A short Japanese name for a status ("入力エラー", ...). */
const char *hj_status_name(hj_status st);

#ifdef __cplusplus
}
#endif
#endif
