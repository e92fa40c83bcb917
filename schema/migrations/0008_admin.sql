-- 0008_admin.sql - keyring access lost at a password reset, until granted
-- again.
--
-- A reset gives the user a new key pair, so the copies of keyrings sealed
-- to the old one are useless and are deleted. Which keyrings the user held
-- is kept here, so that the admin pages can say which still need a grant
-- from a member or the recovery key: access is never lost silently. A row
-- goes when the keyring is granted again or revoked on purpose.
CREATE TABLE keyring_pending (
	keyring_id INTEGER NOT NULL REFERENCES keyrings (id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	since TEXT NOT NULL,
	PRIMARY KEY (keyring_id, user_id)
) STRICT;
