ALTER TABLE sessions DROP COLUMN idle_seconds;
ALTER TABLE companies DROP COLUMN session_absolute_hours;
ALTER TABLE companies DROP COLUMN session_idle_minutes;
