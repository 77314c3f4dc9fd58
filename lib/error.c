/*
 * error.c - the error object (see hojo/error.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "hojo/error.h"

void hj_error_clear(hj_error *err)
{
	if (err)
		memset(err, 0, sizeof *err);
}

hj_status hj_error_set(hj_error *err, hj_status st, const char *file, int line,
		       int col, const char *field, const char *fmt, ...)
{
	if (!err)
		return st;
	err->status = st;
	snprintf(err->file, sizeof err->file, "%s", file ? file : "");
	err->line = line;
	err->col = col;
	snprintf(err->field, sizeof err->field, "%s", field ? field : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	return st;
}

void hj_error_format(const hj_error *err, char *buf, unsigned long size)
{
	size_t n = 0;
	if (!size)
		return;
	buf[0] = '\0';
	if (err->file[0]) {
		n += (size_t)snprintf(buf + n, size - n, "%s", err->file);
		if (err->line && n < size)
			n += (size_t)snprintf(buf + n, size - n, ":%d", err->line);
		if (err->line && err->col && n < size)
			n += (size_t)snprintf(buf + n, size - n, ":%d", err->col);
		if (n < size)
			n += (size_t)snprintf(buf + n, size - n, ": ");
	}
	if (err->field[0] && n < size)
		n += (size_t)snprintf(buf + n, size - n, "%s: ", err->field);
	if (n < size)
		snprintf(buf + n, size - n, "%s", err->message);
}

const char *hj_status_name(hj_status st)
{
	switch (st) {
	case HJ_OK: return "成功";
	case HJ_ERR_INPUT: return "入力エラー";
	case HJ_ERR_RULEBOOK: return "規則集エラー";
	case HJ_ERR_RANGE: return "範囲エラー";
	case HJ_ERR_NOMEM: return "メモリ不足";
	case HJ_ERR_IO: return "入出力エラー";
	case HJ_ERR_INTERNAL: return "内部エラー";
	case HJ_ERR_CONFLICT: return "競合";
	case HJ_ERR_NOT_FOUND: return "見つかりません";
	case HJ_ERR_DENIED: return "権限がありません";
	case HJ_ERR_AUTH: return "認証エラー";
	case HJ_ERR_CLOSED: return "受付期間外";
	case HJ_ERR_LIMIT: return "回数制限";
	}
	return "不明なエラー";
}
