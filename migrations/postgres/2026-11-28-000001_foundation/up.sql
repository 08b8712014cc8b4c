-- Ids are random text (see src/domain/ids.rs): never sequential, never guessable across companies.
CREATE TABLE companies (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    require_two_factor BOOLEAN NOT NULL DEFAULT FALSE,
    two_factor_grace_until TIMESTAMP,
    trusted_days_max INTEGER NOT NULL DEFAULT 30,
    admins_always_enter_code BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX companies_name_key ON companies (name);

CREATE TABLE agents (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    name TEXT NOT NULL,
    -- normalised (trimmed, lower-case), so the unique index is case-insensitive
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('agent', 'admin')),
    -- NULL while an invited agent has not chosen a password yet
    password_hash TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    two_factor TEXT NOT NULL DEFAULT 'disabled' CHECK (two_factor IN ('disabled', 'pending', 'enabled')),
    created_at TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP,
    password_changed_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX agents_email_key ON agents (email);
CREATE INDEX agents_company_name_idx ON agents (company_id, name);
CREATE INDEX agents_company_role_idx ON agents (company_id, role, active);

-- Server-side sessions (actix-session store). Only a SHA-256 of the session key is kept.
CREATE TABLE sessions (
    key_hash TEXT PRIMARY KEY NOT NULL,
    agent_id TEXT REFERENCES agents (id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    idle_expires_at TIMESTAMP NOT NULL,
    absolute_expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_agent_idx ON sessions (agent_id);
CREATE INDEX sessions_idle_expires_idx ON sessions (idle_expires_at);

-- First-run setup links (SPEC 2.1); only the hash of the token is kept.
CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    created_at TIMESTAMP NOT NULL
);
