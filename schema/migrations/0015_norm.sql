-- 0015_norm.sql - the yearly self-assessment of the norm (core/norm.h).
--
-- One row per year and norm item (an item number of the catalogue in
-- schema/norms/), with its action points. Plain text, not sealed: it
-- describes the organisation, not a person, and is written to be shown to
-- the council (SECURITY.md). The first year with a row is the baseline.
CREATE TABLE norm_assessments (
	year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 9999),
	item TEXT NOT NULL CHECK (length(item) BETWEEN 3 AND 5),
	status TEXT NOT NULL CHECK (status IN ('meets', 'partly', 'not', 'na')),
	explanation TEXT NOT NULL,
	evidence TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	PRIMARY KEY (year, item)
) STRICT;

CREATE TABLE norm_actions (
	year INTEGER NOT NULL,
	item TEXT NOT NULL,
	position INTEGER NOT NULL CHECK (position >= 1),
	action TEXT NOT NULL,
	owner TEXT NOT NULL,
	due TEXT NOT NULL,
	PRIMARY KEY (year, item, position),
	FOREIGN KEY (year, item) REFERENCES norm_assessments (year, item)
		ON DELETE CASCADE
) STRICT;
