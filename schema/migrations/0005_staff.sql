-- 0005_staff.sql - the second factor of staff accounts.
--
-- The TOTP secret is sealed to the user's own public key: only a login
-- that has just unwrapped the private key with the password can check a
-- code, and a copy of the database holds no usable secret. The last step
-- used stops a code from being replayed.
ALTER TABLE users ADD COLUMN totp_sealed BLOB;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
