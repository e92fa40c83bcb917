-- 0028_event_binding.sql - workflow event envelopes bound to their row
-- and author (issue 15 point 8).
--
-- The sealed fields and statistical fields of an event recorded from now
-- on carry, in their associated data, the report, the event's time and
-- transition (as before), this random row id and the event's actor
-- (core/events.h events_ad, core/rowad.h): moved to another event, of
-- the same report or another, or with another author recorded, they no
-- longer open. NULL: an event recorded before, whose envelopes keep their
-- binding to report, time and transition. The id, like the rest of an
-- event, never changes (keyring rotate re-seals only the envelopes).
ALTER TABLE report_events ADD COLUMN seal_id BLOB
	CHECK (seal_id IS NULL OR length(seal_id) = 16);

CREATE TRIGGER report_events_seal_id_stays
BEFORE UPDATE OF seal_id ON report_events
BEGIN
	SELECT raise(ABORT, 'report events are append-only');
END;
