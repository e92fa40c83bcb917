-- 0023_reporter_days.sql - a reporter's actions leave their day only.
--
-- The time of a reporter's action (filing, coming back with the receipt,
-- answering, adding a file), set beside the organisation's own proxy or
-- Wi-Fi logs, names the person. From now on those actions are counted
-- per local day here, in the action's own transaction, and the audit log
-- gets one row per finished day with its counts (core/daycount.h); today's
-- counts stay here until the day is over. A row is updated in place: the
-- table keeps no order of arrival.
--
-- The audit rows written one by one before this step stay as they are:
-- the audit chain is append-only (SECURITY.md).
CREATE TABLE reporter_days (
	day TEXT NOT NULL CHECK (length(day) = 10),
	action TEXT NOT NULL CHECK (action IN
		('report-create', 'report-read', 'message-create', 'file-create')),
	count INTEGER NOT NULL CHECK (count > 0),
	PRIMARY KEY (day, action)
) STRICT, WITHOUT ROWID;

-- A reporter's reply keeps its day only; a handler's message keeps its
-- time (deadlines are met by it). The stored times are UTC, so an old
-- reply keeps its UTC day.
UPDATE messages SET at = substr(at, 1, 10)
	WHERE author = 'reporter' AND length(at) > 10;
