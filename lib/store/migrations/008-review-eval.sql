-- The engine's result per submitted application, as the ranking and the
-- selection read it (lib/store/review.c srw_call_apps_eval, srw_eval_put;
-- lib/grants/review-select.c; docs/performance.md "ranking"): the
-- requested subsidy in the frame it is ranked in (-1: not 対象 with a
-- known amount, 'why' says why), its verdict, the re-review target the
-- rulebook gives for its facts ('' none) with the amount and verdict
-- there. A row is used only while its key still matches: the
-- application's version and submission time, the rulebook's SHA-256,
-- the frame, and 'parties' — the SHA-256 of the party invitations (with
-- their state as of the read: a confirmation past its end is expired)
-- and chosen tools the overlay reads ('' when it has none). A row whose
-- key no longer matches is computed again and replaced; rows are never
-- trusted otherwise, so one written late or restored from a backup is
-- at worst recomputed.
CREATE TABLE review_eval_cache (
	application BIGINT PRIMARY KEY REFERENCES applications(id),
	version BIGINT NOT NULL,
	submitted_at BIGINT NOT NULL,
	rulebook_sha256 TEXT NOT NULL,
	parties TEXT NOT NULL,
	frame TEXT NOT NULL,
	request BIGINT NOT NULL,
	verdict TEXT NOT NULL,
	why TEXT NOT NULL,
	target TEXT NOT NULL,
	rerequest BIGINT NOT NULL,
	reverdict TEXT NOT NULL,
	computed_at BIGINT NOT NULL
);
