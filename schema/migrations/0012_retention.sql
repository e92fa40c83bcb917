-- 0012_retention.sql - legal hold on a report, and what stays of purged
-- reports for the statistics.
--
-- A report in a final state is destroyed once the retention period of that
-- state has passed (core/retention.h). A legal hold (bewaarplicht, a
-- juridische blokkade: a court case, a complaint, a request of the police)
-- keeps it until the hold is lifted. Who set it, when and why is kept on
-- the report and in the audit log; the reason is short and names no one
-- (the page says so), since the audit log outlives the report.
ALTER TABLE reports ADD COLUMN legal_hold INTEGER NOT NULL DEFAULT 0
	CHECK (legal_hold IN (0, 1));
ALTER TABLE reports ADD COLUMN hold_reason TEXT
	CHECK (hold_reason IS NULL OR length(hold_reason) <= 200);
ALTER TABLE reports ADD COLUMN hold_by TEXT;
ALTER TABLE reports ADD COLUMN hold_since TEXT;

-- What the yearly figures need of a purged report: one count per type,
-- month of receipt (YYYY-MM), final state and source. Nothing else of the
-- report survives, so no row here can point back to a reporter.
CREATE TABLE purged_counts (
	type TEXT NOT NULL CHECK (type IN ('incident', 'signal')),
	received_month TEXT NOT NULL CHECK (received_month GLOB
		'[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
	final_state TEXT NOT NULL CHECK (length(final_state) BETWEEN 1 AND 64),
	source TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 16),
	reports INTEGER NOT NULL CHECK (reports > 0),
	PRIMARY KEY (type, received_month, final_state, source)
) STRICT;
