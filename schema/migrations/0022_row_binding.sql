-- 0022_row_binding.sql - messages, notes and files bound to their row
-- (issue 15 point 8).
--
-- Envelopes sealed since (version 3, crypto/envelope.h) carry, in their
-- associated data, the report's locator, the kind of row, this random row
-- id and the author (core/rowad.h): moved to another row, another report,
-- or with another author recorded, they no longer open. The id is random,
-- drawn before sealing, because a row's INTEGER id is known only after its
-- insert and sealing waits for no lock. NULL: a row stored before, whose
-- envelope (version 1 or 2) keeps its old binding to the report alone.
ALTER TABLE messages ADD COLUMN seal_id BLOB
	CHECK (seal_id IS NULL OR length(seal_id) = 16);
ALTER TABLE notes ADD COLUMN seal_id BLOB
	CHECK (seal_id IS NULL OR length(seal_id) = 16);
ALTER TABLE attachments ADD COLUMN seal_id BLOB
	CHECK (seal_id IS NULL OR length(seal_id) = 16);
