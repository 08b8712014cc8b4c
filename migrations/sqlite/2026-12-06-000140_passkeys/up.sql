-- Passkeys and security keys (WebAuthn, SPEC §7): a phishing-resistant factor.

-- An agent's registered credentials. credential is webauthn-rs's Passkey as
-- JSON (public key, signature counter, backup state): public data, no
-- secret. user_handle is the agent's WebAuthn user id (a UUID, the same on
-- every passkey of the agent), which a discoverable credential hands back at
-- passwordless sign-in. credential_id (base64url) is unique across the
-- installation: one authenticator's credential never serves two accounts.
CREATE TABLE passkeys (
    id TEXT PRIMARY KEY NOT NULL,
    agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    credential_id TEXT NOT NULL UNIQUE,
    user_handle TEXT NOT NULL,
    name TEXT NOT NULL,
    credential TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP
);
CREATE INDEX passkeys_agent_idx ON passkeys (agent_id, created_at);

-- A WebAuthn ceremony under way: the challenge state webauthn-rs must keep
-- server-side, so a ceremony begun on one instance finishes on another.
-- Single use (deleted when finished) and short-lived (expires_at).
-- agent_id: the agent registering, or whose login it is; NULL for a
-- passwordless sign-in, where the credential names the agent.
-- login_id: the pending login (code challenge) a second-factor ceremony
-- belongs to.
CREATE TABLE webauthn_ceremonies (
    id TEXT PRIMARY KEY NOT NULL,
    purpose TEXT NOT NULL CHECK (purpose IN ('register', 'second_factor', 'passwordless')),
    agent_id TEXT REFERENCES agents (id) ON DELETE CASCADE,
    login_id TEXT,
    state TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX webauthn_ceremonies_expiry_idx ON webauthn_ceremonies (expires_at);

-- How many passkeys the agent has: the Agents tab's method column, filter
-- and counts read it without a join, and it is part of the overall state.
ALTER TABLE agents ADD COLUMN passkey_count INTEGER NOT NULL DEFAULT 0;

-- Company policy: with app_factor_allowed off (and email off) only passkeys
-- count ("passkeys only"); admins may be required to use a passkey.
ALTER TABLE companies ADD COLUMN app_factor_allowed BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE companies ADD COLUMN admins_must_use_passkey BOOLEAN NOT NULL DEFAULT FALSE;
