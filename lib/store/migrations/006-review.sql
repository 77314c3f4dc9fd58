-- The secretariat's review (lib/store/review.c; docs/review.md): a
-- call's review settings, the staff's confirmation of each 加点,
-- reviewers' conflicts (declared by them or detected by hojo),
-- assignments of reviewers to applications, reviews with every version
-- kept, committed selections with the decision per application, and the
-- notices (採択 / 不採択) applicants read. Times are UTC microseconds,
-- money integer yen, scores exact fractions written "num/den".
--
-- The settings a call sets for its review (a JSON object: reviews per
-- application, scale, weights, bonus points, disagreement threshold,
-- tie-breaks); what it does not set comes from the rulebook's defaults.
CREATE TABLE review_settings (
	call BIGINT PRIMARY KEY REFERENCES calls(id),
	settings TEXT NOT NULL,
	updated_by BIGINT REFERENCES accounts(id),
	updated_at BIGINT NOT NULL
);
-- The staff's decision on one 加点 of one application: confirmed against
-- the evidence, or rejected with a reason.
CREATE TABLE bonus_confirmations (
	application BIGINT NOT NULL REFERENCES applications(id),
	bonus TEXT NOT NULL,
	decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'rejected')),
	reason TEXT,
	decided_by BIGINT NOT NULL REFERENCES accounts(id),
	decided_at BIGINT NOT NULL,
	PRIMARY KEY (application, bonus)
);
-- A reviewer's conflict: with one application, a company or a party
-- organisation; type company, support_agency, relationship or other;
-- origin declared (by the reviewer; never dismissed) or detected (by
-- hojo, for one application: same company, same 認定支援機関, a declared
-- relationship; may be dismissed with a reason).
CREATE TABLE review_conflicts (
	id {id},
	reviewer BIGINT NOT NULL REFERENCES accounts(id),
	application BIGINT REFERENCES applications(id),
	company BIGINT REFERENCES companies(id),
	org BIGINT REFERENCES party_orgs(id),
	type TEXT NOT NULL CHECK (type IN ('company', 'support_agency', 'relationship', 'other')),
	origin TEXT NOT NULL CHECK (origin IN ('declared', 'detected')),
	note TEXT,
	created_at BIGINT NOT NULL,
	dismissed_reason TEXT,
	dismissed_by BIGINT REFERENCES accounts(id),
	dismissed_at BIGINT
);
CREATE INDEX review_conflicts_reviewer ON review_conflicts (reviewer, application);
CREATE INDEX review_conflicts_application ON review_conflicts (application);
-- A reviewer assigned to an application of a call.
CREATE TABLE review_assignments (
	id {id},
	call BIGINT NOT NULL REFERENCES calls(id),
	application BIGINT NOT NULL REFERENCES applications(id),
	reviewer BIGINT NOT NULL REFERENCES accounts(id),
	assigned_by BIGINT REFERENCES accounts(id),
	assigned_at BIGINT NOT NULL,
	UNIQUE (application, reviewer)
);
CREATE INDEX review_assignments_reviewer ON review_assignments (reviewer, id);
CREATE INDEX review_assignments_call ON review_assignments (call, application);
-- The review of an assignment as it stands: scores {criterion: n} and
-- comments {criterion: text} as JSON, state draft or submitted, its
-- version (If-Match); every saved version is also kept in
-- review_versions, with the reason of a change after submission.
CREATE TABLE reviews (
	assignment BIGINT PRIMARY KEY REFERENCES review_assignments(id),
	version BIGINT NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('draft', 'submitted')),
	scores TEXT NOT NULL,
	comments TEXT NOT NULL,
	overall TEXT,
	updated_at BIGINT NOT NULL,
	submitted_at BIGINT
);
CREATE TABLE review_versions (
	assignment BIGINT NOT NULL REFERENCES review_assignments(id),
	n BIGINT NOT NULL,
	state TEXT NOT NULL,
	scores TEXT NOT NULL,
	comments TEXT NOT NULL,
	overall TEXT,
	reason TEXT,
	saved_by BIGINT REFERENCES accounts(id),
	saved_at BIGINT NOT NULL,
	PRIMARY KEY (assignment, n)
);
-- A committed selection: one per call (a second commit gives the first
-- back). result is the JSON of the decisions and cut lines, inputs the
-- canonical JSON it was computed from; the rulebook's hash, the hash of
-- the scores used and of the inputs make it reproducible.
CREATE TABLE selections (
	id {id},
	call BIGINT NOT NULL UNIQUE REFERENCES calls(id),
	rulebook_sha256 TEXT NOT NULL,
	scores_sha256 TEXT NOT NULL,
	inputs_sha256 TEXT NOT NULL,
	inputs TEXT NOT NULL,
	result TEXT NOT NULL,
	committed_by BIGINT NOT NULL REFERENCES accounts(id),
	committed_at BIGINT NOT NULL
);
-- The outcome per application of a committed selection: adopted,
-- rejected or excluded, with the frame it was finally ranked in, the
-- adopted amount, its rank and score.
CREATE TABLE selection_results (
	application BIGINT PRIMARY KEY REFERENCES applications(id),
	selection BIGINT NOT NULL REFERENCES selections(id),
	outcome TEXT NOT NULL CHECK (outcome IN ('adopted', 'rejected', 'excluded')),
	frame TEXT NOT NULL,
	moved BIGINT NOT NULL DEFAULT 0,
	amount BIGINT NOT NULL,
	rank BIGINT NOT NULL,
	score TEXT NOT NULL,
	reason TEXT
);
CREATE INDEX selection_results_selection ON selection_results (selection);
-- A notice released to the applicant: 採択 / 不採択 with the frame and the
-- amount, and the feedback the secretariat chose to release (JSON array
-- of texts).
CREATE TABLE notices (
	id {id},
	application BIGINT NOT NULL UNIQUE REFERENCES applications(id),
	selection BIGINT NOT NULL REFERENCES selections(id),
	outcome TEXT NOT NULL,
	frame TEXT NOT NULL,
	amount BIGINT NOT NULL,
	feedback TEXT NOT NULL,
	released_by BIGINT NOT NULL REFERENCES accounts(id),
	released_at BIGINT NOT NULL
);
