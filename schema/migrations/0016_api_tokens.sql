-- 0016_api_tokens.sql - API tokens of staff (crypto/apitoken.h,
-- core/apitokens.h).
--
-- A token is made by its user from a logged-in session: only then is the
-- user's private key at hand to be wrapped under the token's secret. The
-- secret itself is never stored: only a keyed hash of it (verifier) and
-- the wrapped private key. roles is a subset of the user's roles at
-- creation (enum role bits); at use it is cut again to the roles the user
-- still has. A revoked token keeps its row for the record.
CREATE TABLE api_tokens (
	id INTEGER PRIMARY KEY,
	public_id TEXT NOT NULL UNIQUE CHECK (length(public_id) = 16),
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	label TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 64),
	roles INTEGER NOT NULL CHECK (roles > 0),
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	revoked_at TEXT,
	revoked_by TEXT,
	verifier BLOB NOT NULL CHECK (length(verifier) = 32),
	wrapped_key BLOB NOT NULL CHECK (length(wrapped_key) = 72)
) STRICT;

CREATE INDEX api_tokens_user ON api_tokens (user_id);
