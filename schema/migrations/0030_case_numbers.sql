-- 0030_case_numbers.sql - the number staff see for a report does not
-- follow arrival order (issue 15 point 2).
--
-- reports.id stays the internal row number. Each report gets a case
-- number drawn at random when it is stored (core/casenumber.h),
-- "YYYY-XXXX-XX": the year of receipt, then six characters of an
-- alphabet without 0/O and 1/I/L. The reports stored before get one
-- here, drawn by SQLite's random() (its generator is seeded from the
-- operating system's); a number drawn twice is drawn again for all but
-- the first report holding it, in four rounds, before the unique index
-- is made (with 10,000 reports of one year a first clash has a chance of
-- about 6 %, one surviving a round about 1 in a million: the index then
-- refuses the migration, which changes nothing, and the next start
-- draws again).
ALTER TABLE reports ADD COLUMN case_number TEXT
	CHECK (case_number IS NULL OR (length(case_number) = 12
	       AND case_number GLOB
	           '[0-9][0-9][0-9][0-9]-[2-9A-Z][2-9A-Z][2-9A-Z][2-9A-Z]-[2-9A-Z][2-9A-Z]'
	       AND case_number NOT GLOB '*[ILO]*'));

UPDATE reports SET case_number =
	substr(received_on, 1, 4) || '-' ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1) ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1) ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1) ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1) ||
	'-' ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1) ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1);

UPDATE reports SET case_number =
	substr(received_on, 1, 4) || '-' ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1) ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1) ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1) ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1) ||
	'-' ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1) ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1)
WHERE id NOT IN (SELECT min(id) FROM reports GROUP BY case_number);

UPDATE reports SET case_number =
	substr(received_on, 1, 4) || '-' ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1) ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1) ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1) ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1) ||
	'-' ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1) ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1)
WHERE id NOT IN (SELECT min(id) FROM reports GROUP BY case_number);

UPDATE reports SET case_number =
	substr(received_on, 1, 4) || '-' ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1) ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1) ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1) ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1) ||
	'-' ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1) ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1)
WHERE id NOT IN (SELECT min(id) FROM reports GROUP BY case_number);

UPDATE reports SET case_number =
	substr(received_on, 1, 4) || '-' ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1) ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1) ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1) ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1) ||
	'-' ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1) ||
	substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', abs(random() % 31) + 1, 1)
WHERE id NOT IN (SELECT min(id) FROM reports GROUP BY case_number);

CREATE UNIQUE INDEX reports_case_number ON reports (case_number);
