/*
 * lib/grants/awards-int.h - internal to lib/grants/: adoption as the
 * awards see it (adoption.c). Adoption is decided by issue 11's committed
 * selection (lib/grants/review.c, table selection_results); the awards
 * read it through ga_adopted only, so no second record of adoption
 * exists. ga_adopt is its writer for the demonstration data set and the
 * tests: it commits a one-application selection result through the same
 * store functions the review module uses.
 *
 * Ownership: strings are borrowed; frame is written into the caller's buffer.
 */
#ifndef HOJO_AWARDS_INT_H
#define HOJO_AWARDS_INT_H

#include <stddef.h>
#include <stdint.h>
#include "hojo/store.h"
#include "store/applications.h"

/* Application 'app' into *a, or HJ_ERR_NOT_FOUND ("申請 N はありません")
 * when there is none; the caller clears *a with sti_app_clear. */
hj_status ga_app(hj_tx *tx, int64_t app, sti_app *a, hj_error *err);

/* Whether application 'app' is adopted (*adopted 1) in a committed
 * selection, with the frame it was adopted in and the adopted amount. */
hj_status ga_adopted(hj_tx *tx, int64_t app, int *adopted, char *frame, size_t frame_size, int64_t *amount,
		     hj_error *err);

/* Record application 'app' as adopted in 'frame' for 'amount' yen in its
 * call's committed selection (one is created when the call has none). */
hj_status ga_adopt(hj_tx *tx, int64_t app, const char *frame, int64_t amount, int64_t by, hj_error *err);

#endif
