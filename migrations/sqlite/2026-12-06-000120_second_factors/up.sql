-- Second factors beyond email (SPEC §7): an authenticator app and recovery codes.

-- agents.two_factor is now the agent's overall state, which the Agents tab
-- filters and counts (agent_counts): enabled when any factor is confirmed,
-- pending while only the email factor waits for its confirmation code.
-- The email factor's own state moves to email_two_factor.
ALTER TABLE agents ADD COLUMN email_two_factor TEXT NOT NULL DEFAULT 'disabled';
UPDATE agents SET email_two_factor = two_factor;
ALTER TABLE agents ADD COLUMN app_enabled BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE agents ADD COLUMN recovery_codes_left INTEGER NOT NULL DEFAULT 0;
-- "Has an app" on the Agents tab, sorted by name (the default sort).
CREATE INDEX agents_list_app_name ON agents (company_id, app_enabled, search_name, id, email);

-- One authenticator app per agent. The TOTP secret is sealed with
-- XChaCha20-Poly1305 under a key derived from the server secret, bound to the
-- agent; confirmed_at is NULL while the setup page waits for a first code.
-- last_used_step is the newest 30-second step accepted: a code is good once.
CREATE TABLE authenticator_apps (
    agent_id TEXT PRIMARY KEY NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    secret_sealed TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    confirmed_at TIMESTAMP,
    last_used_step INTEGER
);

-- Recovery codes: 120 bits each, so HMAC-SHA-256 under the server secret is
-- the stored form (ASVS 5.0 6.5.2); used_at is set when one is spent.
CREATE TABLE recovery_codes (
    id TEXT PRIMARY KEY NOT NULL,
    agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX recovery_codes_agent_idx ON recovery_codes (agent_id, used_at);

-- Company policy: which factors count, and whether admins must use an app.
ALTER TABLE companies ADD COLUMN email_factor_allowed BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE companies ADD COLUMN admins_must_use_app BOOLEAN NOT NULL DEFAULT FALSE;
