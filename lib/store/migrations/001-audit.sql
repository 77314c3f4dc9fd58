-- The audit log: every state change and every refused attempt, append
-- only (lib/store/audit.c never updates or deletes; docs/store.md).
CREATE TABLE audit_events (
	id {id},
	at BIGINT NOT NULL,
	actor BIGINT,
	actor_email TEXT,
	company BIGINT,
	ip TEXT,
	via TEXT,
	action TEXT NOT NULL,
	object_type TEXT,
	object_id BIGINT,
	before_sha256 TEXT,
	after_sha256 TEXT,
	outcome TEXT NOT NULL,
	detail TEXT
);
CREATE INDEX audit_events_object ON audit_events (object_type, object_id);
CREATE INDEX audit_events_at ON audit_events (at);
