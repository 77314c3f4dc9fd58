/*
 * unit.h - common includes for the cmocka unit tests.
 */
#ifndef HJ_UNIT_H
#define HJ_UNIT_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#endif
