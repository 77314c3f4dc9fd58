-- Those who stand behind an application (lib/store/parties.c;
-- docs/intake.md "Parties"): the organisations of supporters
-- (認定経営革新等支援機関, 金融機関, 商工会・商工会議所) and IT vendors
-- (IT導入支援事業者) and the accounts that act for them, the invitations
-- an applicant owner sends for one application and one kind of party
-- with the confirmation the party gives from its own account, the IT
-- vendors' tool registry with the secretariat's decision, and the tools
-- an application has chosen. Times are UTC microseconds; flags BIGINT 0/1.
CREATE TABLE party_orgs (
	id {id},
	kind TEXT NOT NULL,
	name TEXT NOT NULL,
	registration TEXT,
	created_by BIGINT NOT NULL REFERENCES accounts(id),
	created_at BIGINT NOT NULL
);
-- An account acts for at most one organisation.
CREATE TABLE party_members (
	account BIGINT PRIMARY KEY REFERENCES accounts(id),
	org BIGINT NOT NULL REFERENCES party_orgs(id),
	added_by BIGINT NOT NULL REFERENCES accounts(id),
	added_at BIGINT NOT NULL
);
CREATE INDEX party_members_org ON party_members (org);
-- An invitation: by e-mail (email set) or to an organisation (org set
-- at invitation); org is set to the confirming party's organisation at
-- confirmation. state: pending, confirmed, revoked. confirms is the
-- JSON array of the fact names confirmed; until_at the confirmation's
-- end (expired once passed; NULL: no end).
CREATE TABLE party_invitations (
	id {id},
	application BIGINT NOT NULL REFERENCES applications(id),
	kind TEXT NOT NULL,
	email TEXT,
	org BIGINT REFERENCES party_orgs(id),
	state TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'revoked')),
	invited_by BIGINT NOT NULL REFERENCES accounts(id),
	invited_at BIGINT NOT NULL,
	confirmed_by BIGINT REFERENCES accounts(id),
	confirmed_at BIGINT,
	confirms TEXT,
	statement TEXT,
	until_at BIGINT,
	revoked_by BIGINT REFERENCES accounts(id),
	revoked_at BIGINT
);
CREATE INDEX party_invitations_application ON party_invitations (application);
CREATE INDEX party_invitations_email ON party_invitations (email);
CREATE INDEX party_invitations_org ON party_invitations (org);
-- An IT vendor's tool: kind software, hardware, option or service;
-- processes the JSON array of P-codes a software covers; linked 1 when
-- registered as 連携型. state: draft, submitted, approved, refused.
CREATE TABLE it_tools (
	id {id},
	vendor BIGINT NOT NULL REFERENCES party_orgs(id),
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('software', 'hardware', 'option', 'service')),
	processes TEXT NOT NULL,
	linked BIGINT NOT NULL DEFAULT 0,
	state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'refused')),
	reason TEXT,
	decided_by BIGINT REFERENCES accounts(id),
	decided_at BIGINT,
	created_by BIGINT NOT NULL REFERENCES accounts(id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX it_tools_vendor ON it_tools (vendor);
CREATE INDEX it_tools_state ON it_tools (state);
-- The tools an application has chosen.
CREATE TABLE application_tools (
	application BIGINT NOT NULL REFERENCES applications(id),
	tool BIGINT NOT NULL REFERENCES it_tools(id),
	chosen_by BIGINT NOT NULL REFERENCES accounts(id),
	chosen_at BIGINT NOT NULL,
	PRIMARY KEY (application, tool)
);
