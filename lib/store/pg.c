/*
 * lib/store/pg.c - the PostgreSQL backend of the store (store-int.h,
 * docs/store.md). Not yet written: opening a postgres: store fails.
 */
#include "store-int.h"

static hj_status pg_connect(const char *target, void **conn, hj_error *err)
{
	(void)target;
	*conn = NULL;
	return hj_error_set(err, HJ_ERR_IO, NULL, 0, 0, NULL, "PostgreSQL にはまだ対応していません");
}

const st_backend st_pg_backend = {
	.kind = "postgres",
	.id_type = "BIGSERIAL PRIMARY KEY",
	.blob_type = "BYTEA",
	.connect = pg_connect,
};
