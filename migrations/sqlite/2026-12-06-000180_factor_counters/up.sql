-- The Agents tab's counters by second factor too. Every view showed "N of M
-- agents use an authenticator app" and "... a passkey", and the "Has an
-- app", "Email only" and passkey filters needed their totals: each was a
-- COUNT over the company's agents, tens of thousands of index entries (and,
-- for "Email only", rows) per view at 100,000 agents. Now every figure of
-- the tab is a sum of at most 48 rows per company, kept by the triggers
-- below like the status counters they replace.
DROP TRIGGER agent_counts_insert;
DROP TRIGGER agent_counts_delete;
DROP TRIGGER agent_counts_update;
DROP TABLE agent_counts;
-- Its one use was those counts (agents_passkey_holders stays: it finds the
-- few passkey holders for the passkey filter's pages).
DROP INDEX agents_factor_counts;

CREATE TABLE agent_counts (
    company_id TEXT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    active BOOLEAN NOT NULL,
    two_factor TEXT NOT NULL,
    email_two_factor TEXT NOT NULL,
    app_enabled BOOLEAN NOT NULL,
    has_passkey BOOLEAN NOT NULL,
    total INTEGER NOT NULL,
    PRIMARY KEY (company_id, active, two_factor, email_two_factor, app_enabled, has_passkey)
);
INSERT INTO agent_counts (company_id, active, two_factor, email_two_factor, app_enabled, has_passkey, total)
    SELECT company_id, active, two_factor, email_two_factor, app_enabled, passkey_count > 0, COUNT(*)
    FROM agents GROUP BY company_id, active, two_factor, email_two_factor, app_enabled, passkey_count > 0;

CREATE TRIGGER agent_counts_insert AFTER INSERT ON agents
BEGIN
    INSERT INTO agent_counts (company_id, active, two_factor, email_two_factor, app_enabled, has_passkey, total)
        VALUES (NEW.company_id, NEW.active, NEW.two_factor, NEW.email_two_factor, NEW.app_enabled, NEW.passkey_count > 0, 1)
        ON CONFLICT (company_id, active, two_factor, email_two_factor, app_enabled, has_passkey) DO UPDATE SET total = total + 1;
END;
CREATE TRIGGER agent_counts_delete AFTER DELETE ON agents
BEGIN
    UPDATE agent_counts SET total = total - 1
        WHERE company_id = OLD.company_id AND active = OLD.active AND two_factor = OLD.two_factor
          AND email_two_factor = OLD.email_two_factor AND app_enabled = OLD.app_enabled AND has_passkey = (OLD.passkey_count > 0);
END;
CREATE TRIGGER agent_counts_update AFTER UPDATE OF company_id, active, two_factor, email_two_factor, app_enabled, passkey_count ON agents
    WHEN OLD.company_id IS NOT NEW.company_id OR OLD.active IS NOT NEW.active OR OLD.two_factor IS NOT NEW.two_factor
        OR OLD.email_two_factor IS NOT NEW.email_two_factor OR OLD.app_enabled IS NOT NEW.app_enabled
        OR (OLD.passkey_count > 0) IS NOT (NEW.passkey_count > 0)
BEGIN
    UPDATE agent_counts SET total = total - 1
        WHERE company_id = OLD.company_id AND active = OLD.active AND two_factor = OLD.two_factor
          AND email_two_factor = OLD.email_two_factor AND app_enabled = OLD.app_enabled AND has_passkey = (OLD.passkey_count > 0);
    INSERT INTO agent_counts (company_id, active, two_factor, email_two_factor, app_enabled, has_passkey, total)
        VALUES (NEW.company_id, NEW.active, NEW.two_factor, NEW.email_two_factor, NEW.app_enabled, NEW.passkey_count > 0, 1)
        ON CONFLICT (company_id, active, two_factor, email_two_factor, app_enabled, has_passkey) DO UPDATE SET total = total + 1;
END;

-- The factor filters' deep pages start from page anchors too, so the list
-- version now also moves when an agent's factors change (rarely: an app set
-- up, a first passkey added or the last one removed).
DROP TRIGGER agent_list_versions_update;
CREATE TRIGGER agent_list_versions_update
    AFTER UPDATE OF company_id, search_name, email, role, two_factor, email_two_factor, app_enabled, passkey_count,
        trusted_computer_count, active, password_hash ON agents
    WHEN OLD.company_id IS NOT NEW.company_id OR OLD.search_name IS NOT NEW.search_name OR OLD.email IS NOT NEW.email
        OR OLD.role IS NOT NEW.role OR OLD.two_factor IS NOT NEW.two_factor
        OR OLD.email_two_factor IS NOT NEW.email_two_factor OR OLD.app_enabled IS NOT NEW.app_enabled
        OR (OLD.passkey_count > 0) IS NOT (NEW.passkey_count > 0)
        OR OLD.trusted_computer_count IS NOT NEW.trusted_computer_count OR OLD.active IS NOT NEW.active
        OR (OLD.password_hash IS NULL) IS NOT (NEW.password_hash IS NULL)
BEGIN
    INSERT INTO agent_list_versions (company_id, version) VALUES (OLD.company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = version + 1;
    INSERT INTO agent_list_versions (company_id, version) VALUES (NEW.company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = version + 1;
END;
