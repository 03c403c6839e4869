-- Each hall's appointment rules (opening hours, slot length, windows kept for public
-- and internal bookings, limits) as JSON; a hall without a row uses the defaults.
CREATE TABLE hall_schedules (
    hall_id  TEXT PRIMARY KEY,
    schedule TEXT NOT NULL
);
