-- Intake: companies and who acts for them, calls (公募回) and their
-- frames, applications with every version kept, attachments stored in
-- the database, receipts, idempotency keys of submits, send-backs
-- (lib/store/applications.c; docs/intake.md). Times are UTC
-- microseconds, money integer yen, flags BIGINT 0/1.
CREATE TABLE companies (
	id {id},
	name TEXT NOT NULL,
	corporate_number TEXT,
	created_by BIGINT NOT NULL REFERENCES accounts(id),
	created_at BIGINT NOT NULL
);
-- Who acts for a company: its owner(s) (the representative) and the
-- contributors an owner invited, for the whole company (application
-- NULL) or one application; can_submit is the owner's delegation of
-- submission; until (NULL: no end) ends the membership; revoked_at set
-- when the owner revoked it (the row stays, for the record).
CREATE TABLE company_members (
	id {id},
	company BIGINT NOT NULL REFERENCES companies(id),
	account BIGINT NOT NULL REFERENCES accounts(id),
	application BIGINT,
	role TEXT NOT NULL CHECK (role IN ('owner', 'contributor')),
	can_submit BIGINT NOT NULL DEFAULT 0,
	until_at BIGINT,
	invited_by BIGINT REFERENCES accounts(id),
	created_at BIGINT NOT NULL,
	revoked_at BIGINT
);
CREATE INDEX company_members_account ON company_members (account);
CREATE INDEX company_members_company ON company_members (company);
-- A call: one edition of a program of the rulebook, open from opens_at
-- until closes_at + grace_seconds (the server's clock decides).
CREATE TABLE calls (
	id {id},
	program TEXT NOT NULL,
	edition TEXT NOT NULL,
	title TEXT NOT NULL,
	opens_at BIGINT NOT NULL,
	closes_at BIGINT NOT NULL,
	grace_seconds BIGINT NOT NULL DEFAULT 0,
	receipt_seq BIGINT NOT NULL DEFAULT 0,
	created_by BIGINT REFERENCES accounts(id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE TABLE call_frames (
	call BIGINT NOT NULL REFERENCES calls(id),
	frame TEXT NOT NULL,
	budget BIGINT,
	slots BIGINT,
	PRIMARY KEY (call, frame)
);
-- An application: the current data (the raw JSON as the applicant
-- sent it, unknown fields included), its version (If-Match), and the
-- rulebook fingerprint it was last checked with.
CREATE TABLE applications (
	id {id},
	company BIGINT NOT NULL REFERENCES companies(id),
	call BIGINT NOT NULL REFERENCES calls(id),
	state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'withdrawn')),
	version BIGINT NOT NULL,
	data TEXT NOT NULL,
	rulebook TEXT,
	created_by BIGINT NOT NULL REFERENCES accounts(id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	submitted_at BIGINT
);
CREATE INDEX applications_company ON applications (company);
CREATE INDEX applications_call ON applications (call, state);
CREATE TABLE application_frames (
	application BIGINT NOT NULL REFERENCES applications(id),
	frame TEXT NOT NULL,
	PRIMARY KEY (application, frame)
);
-- The versions: every submitted and returned snapshot is its own row;
-- consecutive draft saves by the same account within 10 minutes are
-- coalesced into the last draft row (its n, data and sha256 move to
-- the newest save), so autosave does not keep every keystroke.
CREATE TABLE application_versions (
	id {id},
	application BIGINT NOT NULL REFERENCES applications(id),
	n BIGINT NOT NULL,
	state TEXT NOT NULL,
	frames TEXT NOT NULL,
	data TEXT NOT NULL,
	sha256 TEXT NOT NULL,
	saved_by BIGINT REFERENCES accounts(id),
	saved_at BIGINT NOT NULL,
	UNIQUE (application, n)
);
-- Attachments: the bytes in the database ({blob}), in the same
-- transaction as the record. A deletion only sets deleted_at: a receipt
-- that listed the file can still be verified.
CREATE TABLE attachments (
	id {id},
	application BIGINT NOT NULL REFERENCES applications(id),
	name TEXT NOT NULL,
	kind TEXT,
	content_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	sha256 TEXT NOT NULL,
	data {blob} NOT NULL,
	uploaded_by BIGINT REFERENCES accounts(id),
	created_at BIGINT NOT NULL,
	deleted_at BIGINT
);
CREATE INDEX attachments_application ON attachments (application);
-- Receipts: written in the transaction that submits, so a receipt
-- exists only when everything it lists is committed.
CREATE TABLE receipts (
	id {id},
	number TEXT NOT NULL UNIQUE,
	application BIGINT NOT NULL REFERENCES applications(id),
	version BIGINT NOT NULL,
	submitted_at BIGINT NOT NULL,
	snapshot_sha256 TEXT NOT NULL,
	manifest TEXT NOT NULL,
	submitted_by BIGINT REFERENCES accounts(id)
);
CREATE INDEX receipts_application ON receipts (application);
-- Idempotency-Key of submits: the same account, key and request give
-- the first response again; another request with the key is refused.
CREATE TABLE idempotency_keys (
	account BIGINT NOT NULL REFERENCES accounts(id),
	idem_key TEXT NOT NULL,
	request_sha256 TEXT NOT NULL,
	response TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (account, idem_key)
);
CREATE TABLE sendbacks (
	id {id},
	application BIGINT NOT NULL REFERENCES applications(id),
	version BIGINT NOT NULL,
	comment TEXT NOT NULL,
	sent_by BIGINT REFERENCES accounts(id),
	sent_at BIGINT NOT NULL
);
CREATE INDEX sendbacks_application ON sendbacks (application);
