-- 0001_init.sql - the installation, users, keyrings, reports, audit log.
--
-- Plaintext columns are only what the server needs to run: names of users
-- and keyrings, public keys, a report's type, workflow state and dates.
-- Everything a reporter wrote is in reports.content, an envelope
-- (crypto/envelope.h) sealed to the keyrings and to the reporter's receipt
-- key. SECURITY.md lists these columns; keep that list and this file in step.

-- One row: this installation.
CREATE TABLE installation (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	created_at TEXT NOT NULL,
	-- Public half of the recovery key; its private half is on paper only.
	recovery_public_key BLOB NOT NULL CHECK (length(recovery_public_key) = 32),
	-- Keyed hash proving the installation secret file belongs to this
	-- database (a wrong file would make every receipt fail silently).
	secret_check BLOB NOT NULL CHECK (length(secret_check) = 32)
) STRICT;

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE COLLATE NOCASE
		CHECK (length(username) BETWEEN 1 AND 64),
	display_name TEXT NOT NULL DEFAULT '',
	public_key BLOB NOT NULL CHECK (length(public_key) = 32),
	-- Private key wrapped with the password (crypto/userkey.h).
	wrapped_key BLOB NOT NULL,
	must_change_password INTEGER NOT NULL DEFAULT 1
		CHECK (must_change_password IN (0, 1)),
	disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	created_at TEXT NOT NULL
) STRICT;

CREATE TABLE user_roles (
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role TEXT NOT NULL CHECK (role IN
		('admin', 'coordinator', 'vpt', 'hr', 'overleg', 'auditor')),
	PRIMARY KEY (user_id, role)
) STRICT;

CREATE TABLE keyrings (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
	public_key BLOB NOT NULL CHECK (length(public_key) = 32),
	-- The keyring's private key sealed to the recovery key.
	recovery_wrap BLOB NOT NULL,
	created_at TEXT NOT NULL
) STRICT;

CREATE TABLE keyring_members (
	keyring_id INTEGER NOT NULL REFERENCES keyrings (id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	-- The keyring's private key sealed to the user's public key.
	wrapped_key BLOB NOT NULL,
	granted_at TEXT NOT NULL,
	PRIMARY KEY (keyring_id, user_id)
) STRICT;

CREATE TABLE reports (
	id INTEGER PRIMARY KEY,
	type TEXT NOT NULL CHECK (type IN ('incident', 'signal')),
	-- Keyed hash of the receipt: finds the report, reveals nothing.
	locator BLOB NOT NULL UNIQUE CHECK (length(locator) = 32),
	state TEXT NOT NULL,
	-- The day only, never the time of day (anonymity of the reporter).
	received_on TEXT NOT NULL,
	content BLOB NOT NULL
) STRICT;

-- Append-only, hash-chained (core/store_audit.c).
CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	object TEXT NOT NULL DEFAULT '',
	hash BLOB NOT NULL CHECK (length(hash) = 32)
) STRICT;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT raise(ABORT, 'the audit log is append-only');
END;
