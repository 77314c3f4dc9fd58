-- After adoption (lib/store/awards.c; docs/after.md): the award of an
-- adopted application from 交付申請 to payment, its change requests
-- (計画変更) with every version of the award's terms kept, the 実績報告
-- (claim) with its evidence, the 確定検査 (inspection) line by line, the
-- 確定額 (settlement) with the engine's explanation and the rulebook's
-- hash, the payment (精算払), the yearly 事業化状況報告 with the
-- engine's comparison against the approved plan, and the reminders sent
-- for overdue reports. Times are UTC microseconds, dates 'YYYY-MM-DD'
-- text, money integer yen, JSON documents as TEXT.
--
-- An award: one per application. frame and adopted_amount are copied
-- from the adoption (the committed selection) at 交付申請; granted_amount
-- (交付決定額) is at most adopted_amount (checked by lib/grants/awards.c
-- and here). state: applied → granted | refused; granted → claimed (the
-- claim submitted) → settled (確定額) → paid. version counts the award's
-- terms (1 at 交付決定, +1 per approved change).
CREATE TABLE awards (
	id {id},
	application BIGINT NOT NULL UNIQUE REFERENCES applications(id),
	company BIGINT NOT NULL REFERENCES companies(id),
	call BIGINT NOT NULL REFERENCES calls(id),
	frame TEXT NOT NULL,
	adopted_amount BIGINT NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('applied', 'granted', 'refused', 'claimed', 'settled', 'paid')),
	request TEXT NOT NULL,
	granted_amount BIGINT,
	conditions TEXT,
	granted_on TEXT,
	period_end TEXT,
	refusal TEXT,
	version BIGINT NOT NULL DEFAULT 0,
	applied_by BIGINT NOT NULL REFERENCES accounts(id),
	applied_at BIGINT NOT NULL,
	decided_by BIGINT REFERENCES accounts(id),
	decided_at BIGINT,
	updated_at BIGINT NOT NULL,
	CHECK (granted_amount IS NULL OR (granted_amount >= 0 AND granted_amount <= adopted_amount))
);
CREATE INDEX awards_call ON awards (call);
CREATE INDEX awards_company ON awards (company);
-- The award's terms, one row per version (n = awards.version): the
-- decision at n = 1 and each approved change after; never updated.
CREATE TABLE award_versions (
	id {id},
	award BIGINT NOT NULL REFERENCES awards(id),
	n BIGINT NOT NULL,
	terms TEXT NOT NULL,
	reason TEXT,
	saved_by BIGINT REFERENCES accounts(id),
	saved_at BIGINT NOT NULL,
	UNIQUE (award, n)
);
-- 計画変更: a request (kind reallocation | extension, detail JSON) and
-- the decision; the row stays whatever the outcome.
CREATE TABLE award_changes (
	id {id},
	award BIGINT NOT NULL REFERENCES awards(id),
	kind TEXT NOT NULL CHECK (kind IN ('reallocation', 'extension')),
	detail TEXT NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('requested', 'approved', 'refused')),
	reason TEXT,
	requested_by BIGINT NOT NULL REFERENCES accounts(id),
	requested_at BIGINT NOT NULL,
	decided_by BIGINT REFERENCES accounts(id),
	decided_at BIGINT,
	award_version BIGINT
);
CREATE INDEX award_changes_award ON award_changes (award);
-- 実績報告: the expense lines as JSON, the completion date, the
-- engine's line check, a version for If-Match. state draft | submitted.
CREATE TABLE claims (
	id {id},
	award BIGINT NOT NULL UNIQUE REFERENCES awards(id),
	state TEXT NOT NULL CHECK (state IN ('draft', 'submitted')),
	version BIGINT NOT NULL,
	lines TEXT NOT NULL,
	completed_on TEXT,
	line_check TEXT,
	saved_by BIGINT REFERENCES accounts(id),
	saved_at BIGINT NOT NULL,
	submitted_at BIGINT
);
-- Evidence of the claim (invoices, receipts): the bytes in the database
-- as intake's attachments, with their SHA-256.
CREATE TABLE claim_attachments (
	id {id},
	award BIGINT NOT NULL REFERENCES awards(id),
	name TEXT NOT NULL,
	kind TEXT,
	content_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	sha256 TEXT NOT NULL,
	data {blob} NOT NULL,
	uploaded_by BIGINT REFERENCES accounts(id),
	created_at BIGINT NOT NULL
);
CREATE INDEX claim_attachments_award ON claim_attachments (award);
-- 確定検査: the staff's decision on each line of the claim at
-- claim_version (JSON [{index,decision,accepted,reason}]); the latest
-- row is the one in force, earlier ones stay.
CREATE TABLE inspections (
	id {id},
	award BIGINT NOT NULL REFERENCES awards(id),
	claim_version BIGINT NOT NULL,
	lines TEXT NOT NULL,
	inspected_by BIGINT REFERENCES accounts(id),
	inspected_at BIGINT NOT NULL
);
CREATE INDEX inspections_award ON inspections (award);
-- 確定額 with the engine's explanation and the rulebook it came from.
CREATE TABLE settlements (
	id {id},
	award BIGINT NOT NULL UNIQUE REFERENCES awards(id),
	amount BIGINT NOT NULL CHECK (amount >= 0),
	explanation TEXT NOT NULL,
	rulebook TEXT NOT NULL,
	inspection BIGINT REFERENCES inspections(id),
	settled_by BIGINT REFERENCES accounts(id),
	settled_at BIGINT NOT NULL
);
-- 精算払: recorded once per award.
CREATE TABLE payments (
	id {id},
	award BIGINT NOT NULL UNIQUE REFERENCES awards(id),
	amount BIGINT NOT NULL CHECK (amount >= 0),
	paid_on TEXT NOT NULL,
	recorded_by BIGINT REFERENCES accounts(id),
	recorded_at BIGINT NOT NULL
);
-- 事業化状況報告: year k (1, 2, …) of an award, the grantee's data,
-- draft | submitted, and the engine's comparison with the approved plan.
CREATE TABLE yearly_reports (
	id {id},
	award BIGINT NOT NULL REFERENCES awards(id),
	year BIGINT NOT NULL,
	data TEXT NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('draft', 'submitted')),
	comparison TEXT,
	saved_by BIGINT REFERENCES accounts(id),
	saved_at BIGINT NOT NULL,
	submitted_at BIGINT,
	UNIQUE (award, year)
);
-- A reminder written to the mail spool for an overdue report.
CREATE TABLE report_reminders (
	id {id},
	award BIGINT NOT NULL REFERENCES awards(id),
	year BIGINT NOT NULL,
	due TEXT NOT NULL,
	recipient TEXT NOT NULL,
	sent_by BIGINT REFERENCES accounts(id),
	sent_at BIGINT NOT NULL
);
CREATE INDEX report_reminders_award ON report_reminders (award, year);
