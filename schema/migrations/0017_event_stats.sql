-- 0017_event_stats.sql - the statistical fields of a transition (core/events.h).
--
-- The statistical fields of a transition (workflow key stats, such as the
-- damage amounts), sealed on their own to the statistiek keyring and the
-- report's keyring, as reports.stats is for the answers of a report. NULL
-- when the transition has none, and for events recorded before.
ALTER TABLE report_events ADD COLUMN stats BLOB;

CREATE TRIGGER report_events_stats_stay
BEFORE UPDATE OF stats ON report_events
WHEN OLD.stats IS NULL OR NEW.stats IS NULL
BEGIN
	SELECT raise(ABORT, 'report events are append-only');
END;
