-- Default ratings (默认评价) look for cases accepted or completed on given days; a
-- partial index keeps that a range scan over those events alone.
CREATE INDEX case_events_rated_steps ON case_events (at)
    WHERE kind IN ('accepted', 'completed', 'completed_on_the_spot');
