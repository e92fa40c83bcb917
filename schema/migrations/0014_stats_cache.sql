-- 0014_stats_cache.sql - the statistical answers, opened once (core/stats.h).
--
-- reports.stats is an envelope sealed to the statistiek keyring: opening
-- one costs a sealed box (~32 us). When a member of statistiek computes
-- statistics, each report's answers are opened once and kept here under a
-- symmetric key derived from the keyring's private key (crypto/statbox.h),
-- bound to the report id. key_id names that key: after a key rotation the
-- ids differ and the rows are made again. A row goes with its report.
CREATE TABLE stats_cache (
	report_id INTEGER PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
	key_id BLOB NOT NULL CHECK (length(key_id) = 16),
	box BLOB NOT NULL
) STRICT;
