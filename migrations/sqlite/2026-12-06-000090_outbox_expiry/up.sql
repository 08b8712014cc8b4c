-- Email that can no longer help is not sent (issue 18): a code's email
-- names its challenge (dropped once the challenge is used, replaced or
-- expired), and every email may carry the time after which it is useless
-- (a code's lifetime, a link's expiry).
ALTER TABLE outbox ADD COLUMN expires_at TIMESTAMP;
ALTER TABLE outbox ADD COLUMN challenge_id TEXT;
