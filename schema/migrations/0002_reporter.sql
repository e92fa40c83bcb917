-- 0002_reporter.sql - what the reporter side needs: where a report came
-- from, its sealed statistical answers, the reporter's public key (so staff
-- can seal messages to the reporter), the dialogue, and attachments.

-- web: the public form; the others: registered by staff on someone's behalf.
ALTER TABLE reports ADD COLUMN source TEXT NOT NULL DEFAULT 'web'
	CHECK (source IN ('web', 'phone', 'mma', 'riec', 'police', 'staff', 'other'));
-- Statistical answers (incident type, victim role, department, phenomenon,
-- ...) sealed to the statistiek keyring; NULL when the form has none.
ALTER TABLE reports ADD COLUMN stats BLOB;
-- Derived from the receipt; a public key reveals nothing of the receipt.
ALTER TABLE reports ADD COLUMN reporter_public_key BLOB
	CHECK (reporter_public_key IS NULL OR length(reporter_public_key) = 32);

-- The dialogue between handler and reporter. Each body is an envelope
-- sealed to the report's keyring and the reporter's key.
CREATE TABLE messages (
	id INTEGER PRIMARY KEY,
	report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	at TEXT NOT NULL,
	-- 'handler': to the reporter; 'reporter': from the reporter.
	author TEXT NOT NULL CHECK (author IN ('handler', 'reporter')),
	body BLOB NOT NULL
) STRICT;
CREATE INDEX messages_report ON messages (report_id, id);

-- Files sent with a report or a message. Name, type and bytes are inside
-- the envelope; the size column is the envelope's, for limits.
CREATE TABLE attachments (
	id INTEGER PRIMARY KEY,
	report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	message_id INTEGER REFERENCES messages (id) ON DELETE CASCADE,
	content BLOB NOT NULL,
	size INTEGER NOT NULL
) STRICT;
CREATE INDEX attachments_report ON attachments (report_id);
