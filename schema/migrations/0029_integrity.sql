-- meldpunt: rebuild
-- 0029_integrity.sql - a third report type, integrity (issue 20 points 2
-- and 6).
--
-- Integrity reports (norm 2.4, the whistleblower law) are a report type
-- like incidents and signals: reports.type and purged_counts.type may say
-- 'integrity'. Two roles are new: 'integrity', the integrity coordinator
-- who handles them with the keyring integriteit, and 'confidant', the
-- confidential adviser (vertrouwenspersoon), who holds no keyring. SQLite
-- widens a CHECK only by rebuilding the table; core/migrate.c turns
-- foreign keys off around this transaction and runs foreign_key_check
-- before the commit (README.md), so no message, file, event, note, link,
-- agenda item or queued notice of a report is lost. The keyring itself is
-- made at the first start after this (core/install.c), sealed to the
-- recovery key alone: the first admin does not receive it.
CREATE TABLE reports_new (
	id INTEGER PRIMARY KEY,
	type TEXT NOT NULL CHECK (type IN ('incident', 'signal', 'integrity')),
	-- Keyed hash of the receipt: finds the report, reveals nothing.
	locator BLOB NOT NULL UNIQUE CHECK (length(locator) = 32),
	state TEXT NOT NULL,
	-- The day only, never the time of day (anonymity of the reporter).
	received_on TEXT NOT NULL,
	content BLOB NOT NULL,
	source TEXT NOT NULL DEFAULT 'web'
		CHECK (source IN ('web', 'phone', 'mma', 'riec', 'police',
		                  'staff', 'other')),
	stats BLOB,
	reporter_public_key BLOB
		CHECK (reporter_public_key IS NULL OR
		       length(reporter_public_key) = 32),
	assignee INTEGER REFERENCES users (id) ON DELETE SET NULL,
	legal_hold INTEGER NOT NULL DEFAULT 0 CHECK (legal_hold IN (0, 1)),
	hold_reason TEXT
		CHECK (hold_reason IS NULL OR length(hold_reason) <= 200),
	hold_by TEXT,
	hold_since TEXT,
	identity BLOB
) STRICT;
INSERT INTO reports_new (id, type, locator, state, received_on, content,
	source, stats, reporter_public_key, assignee, legal_hold, hold_reason,
	hold_by, hold_since, identity)
SELECT id, type, locator, state, received_on, content, source, stats,
	reporter_public_key, assignee, legal_hold, hold_reason, hold_by,
	hold_since, identity FROM reports;
DROP TABLE reports;
ALTER TABLE reports_new RENAME TO reports;
CREATE INDEX reports_type_state ON reports (type, state);
CREATE TRIGGER stats_chunks_report_stats
AFTER UPDATE OF stats ON reports
BEGIN
	UPDATE stats_chunks SET covered = covered & ~(1 << (NEW.id & 63))
	WHERE chunk = NEW.id >> 6;
	UPDATE stats_generation SET n = n + 1;
END;
CREATE TRIGGER stats_chunks_report_gone
AFTER DELETE ON reports
BEGIN
	DELETE FROM stats_chunks WHERE chunk = OLD.id >> 6;
	UPDATE stats_generation SET n = n + 1;
END;

CREATE TABLE user_roles_new (
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role TEXT NOT NULL CHECK (role IN
		('admin', 'coordinator', 'vpt', 'hr', 'overleg', 'auditor',
		 'integrity', 'confidant')),
	PRIMARY KEY (user_id, role)
) STRICT;
INSERT INTO user_roles_new (user_id, role) SELECT user_id, role
	FROM user_roles;
DROP TABLE user_roles;
ALTER TABLE user_roles_new RENAME TO user_roles;

CREATE TABLE purged_counts_new (
	type TEXT NOT NULL CHECK (type IN ('incident', 'signal', 'integrity')),
	received_month TEXT NOT NULL CHECK (received_month GLOB
		'[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
	final_state TEXT NOT NULL CHECK (length(final_state) BETWEEN 1 AND 64),
	source TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 16),
	reports INTEGER NOT NULL CHECK (reports > 0),
	PRIMARY KEY (type, received_month, final_state, source)
) STRICT;
INSERT INTO purged_counts_new SELECT type, received_month, final_state,
	source, reports FROM purged_counts;
DROP TABLE purged_counts;
ALTER TABLE purged_counts_new RENAME TO purged_counts;
