/*
 * lib/grants/adoption.c - adoption as the awards read it (awards-int.h):
 * the outcome of an application in its call's committed selection
 * (issue 11, lib/grants/review.c; tables selections and
 * selection_results of migration 006). The awards never keep a second
 * record of adoption: 交付申請 reads it here and copies the frame and the
 * adopted amount into the award.
 *
 * ga_adopt, the writer, exists for the demonstration data set and the
 * tests, and for adoptions decided outside hojo: it records the outcome
 * through the same store functions the selection uses, under the call's
 * committed selection (a selection holding only such results is made
 * when the call has none; its result document says so).
 */
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "hojo/alloc.h"
#include "hojo/grants/audit.h"
#include "hojo/grants/applications.h"
#include "store/applications.h"
#include "store/review.h"
#include "grants-int.h"
#include "awards-int.h"

hj_status ga_adopted(hj_tx *tx, int64_t app, int *adopted, char *frame, size_t frame_size, int64_t *amount,
		     hj_error *err)
{
	json_t *r = NULL;
	*adopted = 0;
	*amount = 0;
	if (frame_size)
		frame[0] = '\0';
	hj_status s = srw_result_get(tx, app, &r, err);
	if (s)
		return s;
	if (r && !strcmp(json_string_value(json_object_get(r, "outcome")), "adopted")) {
		*adopted = 1;
		*amount = json_integer_value(json_object_get(r, "amount"));
		snprintf(frame, frame_size, "%s", json_string_value(json_object_get(r, "frame")));
	}
	json_decref(r);
	return HJ_OK;
}

hj_status ga_app(hj_tx *tx, int64_t app, sti_app *a, hj_error *err)
{
	int found;
	hj_status s = sti_app_get(tx, app, a, &found, err);
	if (!s && !found)
		s = hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "申請 %lld はありません", (long long)app);
	return s;
}

hj_status ga_adopt(hj_tx *tx, int64_t app, const char *frame, int64_t amount, int64_t by, hj_error *err)
{
	sti_app a;
	hj_status s = ga_app(tx, app, &a, err);
	if (s)
		return s;
	int64_t call = a.call;
	int submitted = a.submitted_at != 0 && !strcmp(a.state, "submitted");
	int in_frames = 0;
	size_t i;
	json_t *f;
	json_array_foreach(a.frames, i, f) in_frames |= !strcmp(json_string_value(f), frame);
	sti_app_clear(&a);
	if (!submitted)
		return hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "state", "提出された申請だけが採択されます");
	if (!in_frames)
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "frame", "申請は枠 %s に申し込んでいません", frame);
	if (amount < 0)
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "amount", "採択額は0円以上です");
	json_t *sel = NULL, *res = NULL;
	if ((s = srw_selection_get(tx, 0, call, &sel, err)) || (s = srw_result_get(tx, app, &res, err)))
		goto done;
	if (res) {
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "application", "申請 %lld の選考結果は記録済みです",
				 (long long)app);
		goto done;
	}
	int64_t sid = sel ? json_integer_value(json_object_get(sel, "id")) : 0;
	if (!sid) {
		const char *doc = "{\"note\":\"adoptions recorded by ga_adopt (hojo admin adopt / demo), not ranked\"}";
		char sha[65];
		hj_sha256_hex(doc, strlen(doc), sha);
		if ((s = srw_selection_insert(tx, call, "-", "-", sha, doc, doc, by, hj_now_us(), &sid, err)))
			goto done;
	}
	s = srw_result_insert(tx, app, sid, "adopted", frame, 0, amount, 0, "0", "hojo admin adopt", err);
done:
	json_decref(sel);
	json_decref(res);
	return s;
}
