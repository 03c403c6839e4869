-- The staff page lists recent deadline recomputations; a partial index keeps that a
-- range scan without costing the ordinary event inserts anything.
CREATE INDEX case_events_recomputed ON case_events (at) WHERE kind = 'deadlines_recomputed';
