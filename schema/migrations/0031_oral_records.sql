-- meldpunt: rebuild
-- 0031_oral_records.sql - oral reports (issue 20 point 3).
--
-- A handler or a confidential adviser writes a conversation down as a
-- report (core/oral.h): the record is kept here, sealed like a message
-- to the report's keyring and to the reporter's receipt key, bound to
-- its row and author (core/rowad.h). The reporter reads it on the status
-- page and approves it or sends a corrected text; each is a row of its
-- own, so the timeline shows the old and the new text. The staff
-- member's record keeps its time to the second (a staff action); a
-- reporter's approval or correction its day only (daycount.h). Rows are
-- never changed but for keyring rotate re-sealing the text.
CREATE TABLE oral_records (
	id INTEGER PRIMARY KEY,
	report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('record', 'correction', 'approval')),
	at TEXT NOT NULL,
	author TEXT NOT NULL CHECK (length(author) BETWEEN 1 AND 64),
	body BLOB,
	seal_id BLOB CHECK (seal_id IS NULL OR length(seal_id) = 16),
	CHECK ((kind = 'approval') = (body IS NULL)),
	CHECK ((kind = 'approval') = (seal_id IS NULL)),
	CHECK (kind = 'record' OR (author = 'reporter' AND length(at) = 10))
);
CREATE INDEX oral_records_report ON oral_records (report_id, id);

CREATE TRIGGER oral_records_stay
BEFORE UPDATE OF id, report_id, kind, at, author, seal_id ON oral_records
BEGIN
	SELECT raise(ABORT, 'oral records are append-only');
END;

-- The reporter's approval and correction are counted per day, as the
-- other reporter actions: the table's check takes their two names.
CREATE TABLE reporter_days_new (
	day TEXT NOT NULL CHECK (length(day) = 10),
	action TEXT NOT NULL CHECK (action IN
		('report-create', 'report-read', 'message-create', 'file-create',
		 'record-approve', 'record-correct')),
	count INTEGER NOT NULL CHECK (count > 0),
	PRIMARY KEY (day, action)
) STRICT, WITHOUT ROWID;
INSERT INTO reporter_days_new (day, action, count)
	SELECT day, action, count FROM reporter_days;
DROP TABLE reporter_days;
ALTER TABLE reporter_days_new RENAME TO reporter_days;
