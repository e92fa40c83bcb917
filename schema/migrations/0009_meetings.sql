-- 0009_meetings.sql - the local signal meeting (signalenoverleg, norm 4.6).
--
-- A meeting has a date, a short title and an agenda of signals. Per signal
-- the coordinator records the enrichment brought in (what partners and
-- departments already know) and the decision: content, so one envelope
-- (crypto/envelope.h) sealed to the signalen keyring only.
--
-- The overleg keyring reads only what is on an open meeting's agenda, and
-- that is enforced by keys: for each agenda item, meeting_access holds the
-- signal's data key and the data key of the item's notes, each sealed to
-- the overleg keyring's public key. Taking a signal off the agenda deletes
-- its item and access row; closing the meeting deletes every access row of
-- it (secure_delete overwrites them), so the overleg can open nothing of
-- that meeting any more, while the minutes stay readable for signalen.
--
-- Plaintext: the meeting's date, title and who made and closed it; which
-- signals are on which agenda, when and by whom.

CREATE TABLE meetings (
	id INTEGER PRIMARY KEY,
	held_on TEXT NOT NULL CHECK (held_on GLOB
		'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	title TEXT NOT NULL DEFAULT '' CHECK (length(title) <= 120),
	created_at TEXT NOT NULL,
	created_by TEXT NOT NULL,
	-- NULL while open; an agenda is changed only while open.
	closed_at TEXT,
	closed_by TEXT
) STRICT;
CREATE INDEX meetings_held_on ON meetings (held_on);

CREATE TABLE meeting_items (
	id INTEGER PRIMARY KEY,
	meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
	report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	added_at TEXT NOT NULL,
	added_by TEXT NOT NULL,
	-- {"enrichment": ..., "decision": ...} sealed to signalen and bound to
	-- this meeting and report; NULL until something is recorded.
	notes BLOB,
	updated_at TEXT,
	updated_by TEXT,
	UNIQUE (meeting_id, report_id)
) STRICT;
CREATE INDEX meeting_items_report ON meeting_items (report_id);

CREATE TABLE meeting_access (
	item_id INTEGER PRIMARY KEY REFERENCES meeting_items (id)
		ON DELETE CASCADE,
	-- The signal's data key, sealed to the overleg keyring.
	report_key BLOB NOT NULL CHECK (length(report_key) = 80),
	-- The data key of the item's notes, sealed likewise; NULL without notes.
	notes_key BLOB CHECK (notes_key IS NULL OR length(notes_key) = 80)
) STRICT;
