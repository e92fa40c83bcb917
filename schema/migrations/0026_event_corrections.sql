-- 0026_event_corrections.sql - corrections and undos of workflow steps
-- (issue 17 point 4, core/events.h).
--
-- A recorded step is never changed: a correction of its fields, or the
-- undo of a case's last step, is a new row of report_events with a kind
-- and the step it is about (target). A correction holds the step's fields
-- as corrected (fields, and stats for the statistics) and leaves the state
-- as it is (from_state = to_state); an undo holds its reason (sealed in
-- fields) and leads from the current state back to the one the step
-- started in, so the rows still chain from state to state. The figures,
-- deadlines and the retention read the steps that are not undone, each
-- with the fields of its latest correction.
ALTER TABLE report_events ADD COLUMN kind TEXT NOT NULL DEFAULT 'step'
	CHECK (kind IN ('step', 'correction', 'undo'));
ALTER TABLE report_events ADD COLUMN target INTEGER
	REFERENCES report_events (id) ON DELETE CASCADE;
CREATE INDEX report_events_target ON report_events (target)
	WHERE target IS NOT NULL;

-- Still append-only: the new columns never change either.
DROP TRIGGER report_events_no_update;
CREATE TRIGGER report_events_no_update
BEFORE UPDATE OF id, report_id, at, actor, transition, from_state, to_state,
	kind, target
ON report_events
BEGIN
	SELECT raise(ABORT, 'report events are append-only');
END;

-- An undo can take away a step's amounts: the report's cached record of
-- the statistics is made again (as for a new row with stats, 0018).
CREATE TRIGGER stats_chunks_event_undo
AFTER INSERT ON report_events
WHEN NEW.kind = 'undo'
BEGIN
	UPDATE stats_chunks SET covered = covered & ~(1 << (NEW.report_id & 63))
	WHERE chunk = NEW.report_id >> 6;
	UPDATE stats_generation SET n = n + 1;
END;
