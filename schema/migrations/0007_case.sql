-- 0007_case.sql - working a case: who handles it, internal notes, links
-- between related reports.

-- The handler a report is assigned to (a user), or NULL.
ALTER TABLE reports ADD COLUMN assignee INTEGER REFERENCES users (id)
	ON DELETE SET NULL;
CREATE INDEX reports_type_state ON reports (type, state);

-- Internal notes: sealed to the report type's keyring only, never to the
-- reporter; bound to the report like every envelope of it.
CREATE TABLE notes (
	id INTEGER PRIMARY KEY,
	report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	at TEXT NOT NULL,
	author TEXT NOT NULL,
	body BLOB NOT NULL
) STRICT;
CREATE INDEX notes_report ON notes (report_id, id);

-- Related reports (same address, same perpetrator, ...), both ways.
CREATE TABLE report_links (
	a INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	b INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	at TEXT NOT NULL,
	author TEXT NOT NULL,
	PRIMARY KEY (a, b),
	CHECK (a < b)
) STRICT;
CREATE INDEX report_links_b ON report_links (b);
