-- 0025_case_reads.sql - which reporter messages each handler has seen
-- (issue 18 point 2).
--
-- The inbox flags a case with a message from the reporter that the
-- handler has not seen yet: per handler, so one coordinator opening a
-- case does not clear it for another. A row holds the highest message id
-- of the report that was there when the handler last opened the case: a
-- row number, not a time (a reporter's reply keeps only its day,
-- migration 0023). It goes with its report (purge, core/retention.c)
-- and with its user.
CREATE TABLE case_reads (
	report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	message_id INTEGER NOT NULL CHECK (message_id >= 0),
	PRIMARY KEY (report_id, user_id)
) STRICT, WITHOUT ROWID;
