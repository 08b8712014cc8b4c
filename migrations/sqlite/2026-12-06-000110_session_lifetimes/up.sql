-- A company may sign its agents out sooner than the server does (SPEC §8,
-- Zendesk's session policy). NULL follows the server's setting.
ALTER TABLE companies ADD COLUMN session_idle_minutes INTEGER;
ALTER TABLE companies ADD COLUMN session_absolute_hours INTEGER;
-- The idle lifetime a session was signed in with (its company's, capped by
-- the server's), so that moving its idle deadline needs no join. NULL: the
-- server's setting.
ALTER TABLE sessions ADD COLUMN idle_seconds INTEGER;
