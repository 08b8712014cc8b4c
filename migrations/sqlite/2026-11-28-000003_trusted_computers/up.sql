-- Browsers an agent marked "I am on a trusted computer" (SPEC §3). Only the
-- SHA-256 of the 256-bit cookie token is kept. Forgetting a computer deletes its row.
CREATE TABLE trusted_computers (
    id TEXT PRIMARY KEY NOT NULL,
    agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    label TEXT NOT NULL,
    ip TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX trusted_computers_token_key ON trusted_computers (token_hash);
CREATE INDEX trusted_computers_agent_idx ON trusted_computers (agent_id, expires_at);
