-- Email two-factor authentication (SPEC §2.2, §2.3, §3).

-- A challenge waits for an emailed code: a pending login (the password step
-- passed, the code step not yet) or the confirmation that turns 2FA on.
CREATE TABLE code_challenges (
    id TEXT PRIMARY KEY NOT NULL,
    agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('login', 'enable_two_factor')),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    -- wrong codes since the last code was sent; at the limit its codes are dead
    wrong_codes INTEGER NOT NULL DEFAULT 0,
    -- set once, when the code was accepted or the challenge was cancelled
    closed_at TIMESTAMP,
    closed_reason TEXT,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    -- when "your password was entered but no code followed" was queued
    abandoned_notice_at TIMESTAMP
);
CREATE INDEX code_challenges_agent_idx ON code_challenges (agent_id, created_at);
CREATE INDEX code_challenges_expiry_idx ON code_challenges (expires_at);

-- Emailed codes. Only an HMAC-SHA-256 under the server secret is kept.
CREATE TABLE one_time_codes (
    id TEXT PRIMARY KEY NOT NULL,
    challenge_id TEXT NOT NULL REFERENCES code_challenges (id) ON DELETE CASCADE,
    agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    -- used, ended by the use of another code of its challenge, or dead after too many wrong codes
    ended_at TIMESTAMP
);
CREATE INDEX one_time_codes_challenge_idx ON one_time_codes (challenge_id, ended_at);
CREATE INDEX one_time_codes_agent_idx ON one_time_codes (agent_id, created_at);

-- An agent's consecutive wrong login codes across logins, and the lock-outs
-- they caused. One row per agent, updated in place so every instance shares it.
CREATE TABLE code_lockouts (
    agent_id TEXT PRIMARY KEY NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    consecutive_wrong INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    -- after the long limit: until the password is reset or an admin resets 2FA
    locked_until_reset BOOLEAN NOT NULL DEFAULT 0,
    updated_at TIMESTAMP NOT NULL
);

-- Password reset links: single use, valid for an hour, only the hash kept.
CREATE TABLE password_reset_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX password_reset_tokens_agent_idx ON password_reset_tokens (agent_id, created_at);

-- The outbox worker claims due rows by (status, next_attempt_at); this finds
-- the rows whose claim lapsed (a worker that died while sending).
CREATE INDEX outbox_claim_idx ON outbox (status, claimed_until);
