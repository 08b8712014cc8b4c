-- Step-up re-authentication and changing the email address (issue 8):
-- two more purposes of a code challenge, and the address an email change
-- waits to confirm.
--
-- SQLite cannot change a CHECK constraint in place, so code_challenges is
-- rebuilt. one_time_codes references it and is rebuilt first (copied, then
-- dropped), so that dropping the old code_challenges deletes nothing through
-- ON DELETE CASCADE; RENAME then points the new references at the new name.

CREATE TABLE code_challenges_v2 (
    id TEXT PRIMARY KEY NOT NULL,
    agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    -- step_up: "confirm it is you" before a sensitive change;
    -- change_email: the code sent to a new address before it replaces the old one
    purpose TEXT NOT NULL CHECK (purpose IN ('login', 'enable_two_factor', 'step_up', 'change_email')),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    wrong_codes INTEGER NOT NULL DEFAULT 0,
    closed_at TIMESTAMP,
    closed_reason TEXT,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    abandoned_notice_at TIMESTAMP
);
INSERT INTO code_challenges_v2 (id, agent_id, purpose, created_at, expires_at, wrong_codes, closed_at, closed_reason, ip, user_agent, abandoned_notice_at)
    SELECT id, agent_id, purpose, created_at, expires_at, wrong_codes, closed_at, closed_reason, ip, user_agent, abandoned_notice_at FROM code_challenges;

CREATE TABLE one_time_codes_v2 (
    id TEXT PRIMARY KEY NOT NULL,
    challenge_id TEXT NOT NULL REFERENCES code_challenges_v2 (id) ON DELETE CASCADE,
    agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP
);
INSERT INTO one_time_codes_v2 (id, challenge_id, agent_id, code_hash, created_at, expires_at, ended_at)
    SELECT id, challenge_id, agent_id, code_hash, created_at, expires_at, ended_at FROM one_time_codes;

DROP TABLE one_time_codes;
DROP TABLE code_challenges;
ALTER TABLE code_challenges_v2 RENAME TO code_challenges;
ALTER TABLE one_time_codes_v2 RENAME TO one_time_codes;

CREATE INDEX code_challenges_agent_idx ON code_challenges (agent_id, created_at);
CREATE INDEX code_challenges_expiry_idx ON code_challenges (expires_at);
CREATE INDEX one_time_codes_challenge_idx ON one_time_codes (challenge_id, ended_at);
CREATE INDEX one_time_codes_agent_idx ON one_time_codes (agent_id, created_at);

-- The new address of an email change, until its code is entered. One row
-- per change_email challenge; it goes when the challenge is swept.
CREATE TABLE email_changes (
    challenge_id TEXT PRIMARY KEY NOT NULL REFERENCES code_challenges (id) ON DELETE CASCADE,
    agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    new_email TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX email_changes_agent_idx ON email_changes (agent_id);
