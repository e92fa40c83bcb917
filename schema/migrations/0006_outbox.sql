-- 0006_outbox.sql - e-mail notices to reporters, waiting to be sent.
--
-- A named reporter who gave an e-mail address gets a notice when a
-- handler writes to them (core/outbox.h). The address is content: it is
-- stored only sealed (crypto/secretbox.h, a key derived from the
-- installation secret, bound to this row and its report), and removed as
-- soon as the notice is sent or given up. What stays is the trail: which
-- report, when, how many attempts, the last SMTP reply code.
CREATE TABLE outbox (
	id INTEGER PRIMARY KEY,
	report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	created TEXT NOT NULL,
	-- The sealed address; NULL once the notice is sent or given up.
	address BLOB,
	status TEXT NOT NULL DEFAULT 'queued'
		CHECK (status IN ('queued', 'sent', 'failed')),
	attempts INTEGER NOT NULL DEFAULT 0,
	-- When the next attempt is due (queued rows).
	next_at TEXT NOT NULL,
	sent_at TEXT,
	-- The relay's last reply code; 0: no reply (network, TLS).
	last_error_code INTEGER,
	CHECK ((status = 'queued') = (address IS NOT NULL))
) STRICT;
CREATE INDEX outbox_due ON outbox (status, next_at);
