-- 0027_staff_email.sql - an optional e-mail address per staff account,
-- for the daily deadline reminder (issue 18 point 5).
--
-- The admin sets it, the user changes it on the account page
-- (core/staff.h); '' means none. reminded_on is the organisation's day
-- the last reminder went out (core/reminder.h): one a day, also across
-- restarts.
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT ''
	CHECK (length(email) <= 254);
ALTER TABLE users ADD COLUMN reminded_on TEXT NOT NULL DEFAULT ''
	CHECK (reminded_on = '' OR length(reminded_on) = 10);
