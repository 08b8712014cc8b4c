DROP TABLE email_changes;

DELETE FROM code_challenges WHERE purpose NOT IN ('login', 'enable_two_factor');

CREATE TABLE code_challenges_v1 (
    id TEXT PRIMARY KEY NOT NULL,
    agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('login', 'enable_two_factor')),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    wrong_codes INTEGER NOT NULL DEFAULT 0,
    closed_at TIMESTAMP,
    closed_reason TEXT,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    abandoned_notice_at TIMESTAMP
);
INSERT INTO code_challenges_v1 (id, agent_id, purpose, created_at, expires_at, wrong_codes, closed_at, closed_reason, ip, user_agent, abandoned_notice_at)
    SELECT id, agent_id, purpose, created_at, expires_at, wrong_codes, closed_at, closed_reason, ip, user_agent, abandoned_notice_at FROM code_challenges;

CREATE TABLE one_time_codes_v1 (
    id TEXT PRIMARY KEY NOT NULL,
    challenge_id TEXT NOT NULL REFERENCES code_challenges_v1 (id) ON DELETE CASCADE,
    agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP
);
INSERT INTO one_time_codes_v1 (id, challenge_id, agent_id, code_hash, created_at, expires_at, ended_at)
    SELECT id, challenge_id, agent_id, code_hash, created_at, expires_at, ended_at FROM one_time_codes;

DROP TABLE one_time_codes;
DROP TABLE code_challenges;
ALTER TABLE code_challenges_v1 RENAME TO code_challenges;
ALTER TABLE one_time_codes_v1 RENAME TO one_time_codes;

CREATE INDEX code_challenges_agent_idx ON code_challenges (agent_id, created_at);
CREATE INDEX code_challenges_expiry_idx ON code_challenges (expires_at);
CREATE INDEX one_time_codes_challenge_idx ON one_time_codes (challenge_id, ended_at);
CREATE INDEX one_time_codes_agent_idx ON one_time_codes (agent_id, created_at);
