-- 0013_key_rotation.sql - the state of a keyring's key rotation, so an
-- interrupted `meldpunt keyring rotate NAME` resumes (core/rotate.h).
--
-- While a row exists, the keyring's new key pair is being brought in: every
-- envelope sealed to the old public key gets a slot for the new one in its
-- place, in batches of one transaction each. The new private key exists
-- only sealed to the recovery public key, like the keyring's own
-- recovery_wrap; it replaces the keyring row and every member's copy in the
-- one transaction that ends the rotation and deletes this row.
CREATE TABLE keyring_rotations (
	keyring_id INTEGER PRIMARY KEY REFERENCES keyrings (id) ON DELETE CASCADE,
	new_public_key BLOB NOT NULL CHECK (length(new_public_key) = 32),
	new_recovery_wrap BLOB NOT NULL,
	started_at TEXT NOT NULL,
	-- Envelopes re-sealed so far (for the operator; the envelopes' own key
	-- ids say which are done).
	resealed INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Report events stay append-only, but a rotation must re-seal the sealed
-- fields of an event to the new key: only that column may change, and
-- never to or from NULL.
DROP TRIGGER report_events_no_update;
CREATE TRIGGER report_events_no_update
BEFORE UPDATE OF id, report_id, at, actor, transition, from_state, to_state
ON report_events
BEGIN
	SELECT raise(ABORT, 'report events are append-only');
END;
CREATE TRIGGER report_events_fields_stay
BEFORE UPDATE OF fields ON report_events
WHEN OLD.fields IS NULL OR NEW.fields IS NULL
BEGIN
	SELECT raise(ABORT, 'report events are append-only');
END;
