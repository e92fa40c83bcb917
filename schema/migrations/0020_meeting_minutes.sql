-- 0020_meeting_minutes.sql - who attended a signal meeting and its action
-- points (issue 17 point 7; core/meeting_minutes.c).
--
-- Attendees are chosen from the meeting's members (accounts with the
-- overleg or coordinator role) and stored by user name, in plain text like
-- who made and closed the meeting: staff, not reporters. The action points
-- (who does what, by when) may name what a signal is about: content, so
-- one envelope per meeting, sealed to the signalen keyring and bound to
-- the meeting; NULL while there are none.

CREATE TABLE meeting_attendees (
	meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
	username TEXT NOT NULL CHECK (length(username) BETWEEN 1 AND 64),
	PRIMARY KEY (meeting_id, username)
) STRICT;

ALTER TABLE meetings ADD COLUMN actions BLOB;
