-- 0018_stats_chunks.sql - the statistics cache in chunks of 64 reports.
--
-- stats_cache kept one box per report: for a million reports a million
-- rows to read and a million XChaCha20-Poly1305 boxes to open, most of
-- the time of a statistics computation (bench/stats). A chunk holds the
-- cached records of the reports with ids chunk * 64 to chunk * 64 + 63 in
-- one box, under the same key (crypto/statbox.h), its associated data the
-- chunk number. covered says which of those 64 reports have a valid
-- record in it (bit id % 64): a new statistical event of a report clears
-- its bit (the next computation opens its envelopes again and rebuilds
-- the chunk), a report deleted takes its whole chunk with it, so no
-- answer of a purged report stays behind in a box.
--
-- stats_generation counts those changes. A computation stores a chunk
-- it rebuilt only when the count is the one it read with the reports: a
-- record made from envelopes read just before a new event would
-- otherwise be stored as valid without that event.
--
-- The old per-report cache is a cache: it is dropped, and the next
-- computation fills the chunks.
DROP TABLE stats_cache;

CREATE TABLE stats_chunks (
	chunk INTEGER PRIMARY KEY CHECK (chunk >= 0),
	key_id BLOB NOT NULL CHECK (length(key_id) = 16),
	covered INTEGER NOT NULL,
	box BLOB NOT NULL
) STRICT;

CREATE TABLE stats_generation (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	n INTEGER NOT NULL
) STRICT;
INSERT INTO stats_generation (id, n) VALUES (1, 0);

CREATE TRIGGER stats_chunks_event
AFTER INSERT ON report_events
WHEN NEW.stats IS NOT NULL
BEGIN
	UPDATE stats_chunks SET covered = covered & ~(1 << (NEW.report_id & 63))
	WHERE chunk = NEW.report_id >> 6;
	UPDATE stats_generation SET n = n + 1;
END;

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
