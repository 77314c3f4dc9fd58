/*
 * demo.h - 'hojo admin demo' (demo.c), a row of admin.c's table.
 */
#ifndef HOJO_CLI_DEMO_H
#define HOJO_CLI_DEMO_H

#include "hojo.h"
#include "hojo/store.h"

/* The demonstration data set in 'st' (docs/cli.md); an exit code. */
int admin_demo(opts *o, hj_store *st);

#endif
