-- Every email is written here in the same transaction as the state it belongs
-- to, then delivered by the outbox worker (SPEC §6).
CREATE TABLE outbox (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    -- pending -> sending (claimed by one worker until claimed_until) -> sent | failed
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_by TEXT,
    claimed_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due_idx ON outbox (status, next_attempt_at);
CREATE INDEX outbox_created_idx ON outbox (created_at);

-- The security audit log: append-only through the application, never a secret.
CREATE TABLE audit_events (
    id TEXT PRIMARY KEY NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    company_id TEXT,
    actor_id TEXT,
    subject_id TEXT,
    event TEXT NOT NULL,
    outcome TEXT NOT NULL,
    ip TEXT,
    user_agent TEXT,
    detail TEXT
);
CREATE INDEX audit_company_time_idx ON audit_events (company_id, occurred_at);
CREATE INDEX audit_subject_time_idx ON audit_events (subject_id, occurred_at);
