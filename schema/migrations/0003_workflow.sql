-- 0003_workflow.sql - the workflow events of each report.
--
-- Every transition a handler does is one row: who, when, which transition,
-- from which state to which (core/events.c). reports.state is a cached
-- copy of the last row's to_state, written in the same transaction; the
-- events are the record and the state can be derived from them. The
-- values of the transition's required fields (a police reference, an
-- amount, a reason) can be report content, so they are one envelope
-- (crypto/envelope.h) sealed to the keyring of the report's type; names of
-- states and transitions are plaintext (SECURITY.md lists them).
CREATE TABLE report_events (
	id INTEGER PRIMARY KEY,
	report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	at TEXT NOT NULL,
	-- A username; staff are not anonymous.
	actor TEXT NOT NULL CHECK (length(actor) BETWEEN 1 AND 64),
	transition TEXT NOT NULL CHECK (length(transition) BETWEEN 1 AND 64),
	from_state TEXT NOT NULL CHECK (length(from_state) BETWEEN 1 AND 64),
	to_state TEXT NOT NULL CHECK (length(to_state) BETWEEN 1 AND 64),
	-- NULL when the transition requires no fields.
	fields BLOB
) STRICT;
CREATE INDEX report_events_report ON report_events (report_id, id);

-- The record is append-only; a report's events go only with the report.
CREATE TRIGGER report_events_no_update BEFORE UPDATE ON report_events
BEGIN
	SELECT raise(ABORT, 'report events are append-only');
END;
