-- 0032_handoffs.sql - the hand-offs of a case to a partner (issue 19
-- point 2).
--
-- One row per package a handler made (core/handoff.h): when and by whom
-- (a staff action, its exact time as every staff action in the audit
-- log), to which configured partner (its id), which answers (the form's
-- question names, space separated: never a value) and which files (their
-- ids) went along, whether the reporter's identity went along and on
-- what ground ('' none, consent, legal_duty), and (digest) the SHA-256 of the
-- package as downloaded. The package itself is never stored. A row is
-- never changed; it goes with its report (purge, core/retention.c).
-- The reporter's side reads nothing of it (SECURITY.md promise 33).
CREATE TABLE handoffs (
	id INTEGER PRIMARY KEY,
	report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	made_at TEXT NOT NULL CHECK (length(made_at) = 20),
	made_by TEXT NOT NULL CHECK (length(made_by) BETWEEN 1 AND 64),
	partner TEXT NOT NULL CHECK (length(partner) BETWEEN 1 AND 16),
	answers TEXT NOT NULL CHECK (length(answers) <= 4000),
	files TEXT NOT NULL CHECK (length(files) <= 4000),
	identity TEXT NOT NULL CHECK (identity IN ('', 'consent', 'legal_duty')),
	digest TEXT NOT NULL CHECK (length(digest) = 64)
) STRICT;
CREATE INDEX handoffs_report ON handoffs (report_id);

CREATE TRIGGER handoffs_stay
BEFORE UPDATE ON handoffs
BEGIN
	SELECT raise(ABORT, 'hand-offs are append-only');
END;
