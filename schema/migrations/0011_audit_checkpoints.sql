-- 0011_audit_checkpoints.sql - signed checkpoints of the audit chain.
--
-- The hash chain of audit_log shows an edited, inserted or deleted row, but
-- not a tail cut off, nor a tail rewritten by someone who recomputed the
-- hashes. A checkpoint names a row and its hash, signed with an Ed25519 key
-- derived from the installation secret (crypto/sign.h), which is never in
-- the database: audit-verify checks each signature, that the row still
-- holds that hash, and that the log reaches the latest checkpoint. One is
-- written with every AUDIT_CHECKPOINT_EVERY-th row, in the same
-- transaction, and when the installation is closed (core/audit.h).
CREATE TABLE audit_checkpoints (
	row_id INTEGER PRIMARY KEY,
	hash BLOB NOT NULL CHECK (length(hash) = 32),
	signature BLOB NOT NULL CHECK (length(signature) = 64),
	at TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN
	SELECT raise(ABORT, 'audit checkpoints are append-only');
END;
