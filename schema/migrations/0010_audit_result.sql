-- 0010_audit_result.sql - the outcome of each audited action.
--
-- BIO 8.15 asks a log entry to hold who, what, on which object, when and
-- with what result. Rows written before this migration have no result
-- (NULL) and their hash does not cover one; every row written after it
-- has one ('ok', 'refused', 'failed') and its hash covers it.
ALTER TABLE audit_log ADD COLUMN result TEXT;
