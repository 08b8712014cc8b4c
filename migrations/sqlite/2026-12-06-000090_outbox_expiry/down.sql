ALTER TABLE outbox DROP COLUMN challenge_id;
ALTER TABLE outbox DROP COLUMN expires_at;
