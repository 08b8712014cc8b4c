-- The Agents tab (SPEC §2.4): invitations, and what lets a company of 100,000
-- agents be searched, sorted, filtered and counted without scanning it.

-- The name as search and sorting use it: NFKC, lower-case, each run of
-- characters that are not letters or digits folded to one space. Written by
-- the application (src/domain/search.rs) with the name; existing rows are
-- filled in by db::run_migrations right after this migration.
ALTER TABLE agents ADD COLUMN search_name TEXT NOT NULL DEFAULT '';

-- How many trusted computers the agent has (expired ones included until they
-- are deleted). Kept by the triggers below, so every code path that trusts or
-- forgets a computer keeps it right; the Agents tab sorts by it.
ALTER TABLE agents ADD COLUMN trusted_computer_count INTEGER NOT NULL DEFAULT 0;
UPDATE agents SET trusted_computer_count = (SELECT COUNT(*) FROM trusted_computers t WHERE t.agent_id = agents.id);

CREATE TRIGGER trusted_computers_count_insert AFTER INSERT ON trusted_computers
BEGIN
    UPDATE agents SET trusted_computer_count = trusted_computer_count + 1 WHERE id = NEW.agent_id;
END;
CREATE TRIGGER trusted_computers_count_delete AFTER DELETE ON trusted_computers
BEGIN
    UPDATE agents SET trusted_computer_count = trusted_computer_count - 1 WHERE id = OLD.agent_id;
END;

-- How many agents each company has, by active and two-factor status: the
-- "N of M agents" line and the filter totals read these few rows instead of
-- counting 100,000. Kept by the triggers below, so every code path that adds
-- an agent or changes their status keeps it right.
CREATE TABLE agent_counts (
    company_id TEXT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    active BOOLEAN NOT NULL,
    two_factor TEXT NOT NULL,
    total INTEGER NOT NULL,
    PRIMARY KEY (company_id, active, two_factor)
);
INSERT INTO agent_counts (company_id, active, two_factor, total)
    SELECT company_id, active, two_factor, COUNT(*) FROM agents GROUP BY company_id, active, two_factor;
CREATE TRIGGER agent_counts_insert AFTER INSERT ON agents
BEGIN
    INSERT INTO agent_counts (company_id, active, two_factor, total) VALUES (NEW.company_id, NEW.active, NEW.two_factor, 1)
        ON CONFLICT (company_id, active, two_factor) DO UPDATE SET total = total + 1;
END;
CREATE TRIGGER agent_counts_delete AFTER DELETE ON agents
BEGIN
    UPDATE agent_counts SET total = total - 1
        WHERE company_id = OLD.company_id AND active = OLD.active AND two_factor = OLD.two_factor;
END;
CREATE TRIGGER agent_counts_update AFTER UPDATE OF company_id, active, two_factor ON agents
    WHEN OLD.company_id IS NOT NEW.company_id OR OLD.active IS NOT NEW.active OR OLD.two_factor IS NOT NEW.two_factor
BEGIN
    UPDATE agent_counts SET total = total - 1
        WHERE company_id = OLD.company_id AND active = OLD.active AND two_factor = OLD.two_factor;
    INSERT INTO agent_counts (company_id, active, two_factor, total) VALUES (NEW.company_id, NEW.active, NEW.two_factor, 1)
        ON CONFLICT (company_id, active, two_factor) DO UPDATE SET total = total + 1;
END;

-- The Status column as a sort key: 0 active, 1 invited (no password yet), 2 deactivated.
ALTER TABLE agents ADD COLUMN status_rank INTEGER GENERATED ALWAYS AS
    (CASE WHEN NOT active THEN 2 WHEN password_hash IS NULL THEN 1 ELSE 0 END) VIRTUAL;

-- Each word of search_name, so that "smi" finds "Ada Smith" through an index.
CREATE TABLE agent_name_words (
    company_id TEXT NOT NULL,
    word TEXT NOT NULL,
    agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    PRIMARY KEY (company_id, word, agent_id)
) WITHOUT ROWID;
CREATE INDEX agent_name_words_agent_idx ON agent_name_words (agent_id, word);

-- An agent added by an admin chooses a password through an emailed link:
-- single use (the row is deleted when used or replaced), valid 7 days, and only
-- the SHA-256 of the link's token is kept. At most one open invitation per agent.
CREATE TABLE invitations (
    agent_id TEXT PRIMARY KEY NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    invited_by TEXT,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX invitations_token_key ON invitations (token_hash);

-- One index per sort of the Agents tab, alone and after the two_factor filter,
-- each ending with the columns the search predicate reads (search_name, email)
-- so that a page is found from the index alone; ties are broken by id so
-- pages never overlap. agents_list_name replaces agents_company_name_idx.
DROP INDEX agents_company_name_idx;
CREATE INDEX agents_list_name ON agents (company_id, search_name, id, email);
CREATE INDEX agents_list_email ON agents (company_id, email, search_name, id);
CREATE INDEX agents_list_role ON agents (company_id, role, search_name, id, email);
CREATE INDEX agents_list_trusted ON agents (company_id, trusted_computer_count, search_name, id, email);
CREATE INDEX agents_list_login ON agents (company_id, last_login_at, id, search_name, email);
CREATE INDEX agents_list_status ON agents (company_id, status_rank, search_name, id, email);
CREATE INDEX agents_list_2fa_name ON agents (company_id, two_factor, search_name, id, email);
CREATE INDEX agents_list_2fa_email ON agents (company_id, two_factor, email, search_name, id);
CREATE INDEX agents_list_2fa_role ON agents (company_id, two_factor, role, search_name, id, email);
CREATE INDEX agents_list_2fa_trusted ON agents (company_id, two_factor, trusted_computer_count, search_name, id, email);
CREATE INDEX agents_list_2fa_login ON agents (company_id, two_factor, last_login_at, id, search_name, email);
CREATE INDEX agents_list_2fa_status ON agents (company_id, two_factor, status_rank, search_name, id, email);
-- A search with few matches looks each one up by id: this index holds all that
-- the filter and every sort read, so the lookups never touch the table.
CREATE INDEX agents_listing_by_id ON agents (id, company_id, two_factor, role, trusted_computer_count, last_login_at, status_rank, search_name, email);
