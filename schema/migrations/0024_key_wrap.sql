-- 0024_key_wrap.sql - staff key wraps bound to installation.key
-- (issue 15 point 5).
--
-- A user's private key was wrapped under the password alone (Argon2id):
-- a copy of the database allowed offline guessing. Version 2 also keys
-- the wrap with a subkey of installation.key (crypto/userkey.h), which is
-- never in the database. key_version says which a row holds; a row of
-- version 1 is wrapped again at its user's next login, and
-- key_version_since (when the row got its version) tells how long it has
-- been waiting: after [limits] key_upgrade_days the account can no longer
-- log in and the admin resets it. Rows made from now on are version 2.
ALTER TABLE users ADD COLUMN key_version INTEGER NOT NULL DEFAULT 2
	CHECK (key_version IN (1, 2));
ALTER TABLE users ADD COLUMN key_version_since TEXT NOT NULL DEFAULT '';
UPDATE users SET key_version = 1,
	key_version_since = strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
