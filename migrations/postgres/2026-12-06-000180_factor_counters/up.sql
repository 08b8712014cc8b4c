-- The Agents tab's counters by second factor too. Every view showed "N of M
-- agents use an authenticator app" and "... a passkey", and the "Has an
-- app", "Email only" and passkey filters needed their totals: each was a
-- COUNT over the company's agents, tens of thousands of index entries (and,
-- for "Email only", rows) per view at 100,000 agents. Now every figure of
-- the tab is a sum of at most 48 rows per company, kept by the triggers
-- below like the status counters they replace.
DROP TRIGGER agent_counts_insert_delete ON agents;
DROP TRIGGER agent_counts_update ON agents;
DROP FUNCTION agents_count_by_status();
DROP FUNCTION agent_counts_add(TEXT, BOOLEAN, TEXT, INTEGER);
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

CREATE FUNCTION agent_counts_add(p_company_id TEXT, p_active BOOLEAN, p_two_factor TEXT, p_email_two_factor TEXT,
                                 p_app_enabled BOOLEAN, p_has_passkey BOOLEAN, p_delta INTEGER) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO agent_counts AS c (company_id, active, two_factor, email_two_factor, app_enabled, has_passkey, total)
        VALUES (p_company_id, p_active, p_two_factor, p_email_two_factor, p_app_enabled, p_has_passkey, p_delta)
        ON CONFLICT (company_id, active, two_factor, email_two_factor, app_enabled, has_passkey)
        DO UPDATE SET total = c.total + p_delta;
$$;
CREATE FUNCTION agents_count_by_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM agent_counts_add(NEW.company_id, NEW.active, NEW.two_factor, NEW.email_two_factor, NEW.app_enabled, NEW.passkey_count > 0, 1);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM agent_counts_add(OLD.company_id, OLD.active, OLD.two_factor, OLD.email_two_factor, OLD.app_enabled, OLD.passkey_count > 0, -1);
    -- An update moves the agent between two counters, locked in key order so
    -- that two opposite moves at the same moment cannot deadlock.
    ELSIF (OLD.company_id, OLD.active, OLD.two_factor, OLD.email_two_factor, OLD.app_enabled, OLD.passkey_count > 0)
        < (NEW.company_id, NEW.active, NEW.two_factor, NEW.email_two_factor, NEW.app_enabled, NEW.passkey_count > 0) THEN
        PERFORM agent_counts_add(OLD.company_id, OLD.active, OLD.two_factor, OLD.email_two_factor, OLD.app_enabled, OLD.passkey_count > 0, -1);
        PERFORM agent_counts_add(NEW.company_id, NEW.active, NEW.two_factor, NEW.email_two_factor, NEW.app_enabled, NEW.passkey_count > 0, 1);
    ELSE
        PERFORM agent_counts_add(NEW.company_id, NEW.active, NEW.two_factor, NEW.email_two_factor, NEW.app_enabled, NEW.passkey_count > 0, 1);
        PERFORM agent_counts_add(OLD.company_id, OLD.active, OLD.two_factor, OLD.email_two_factor, OLD.app_enabled, OLD.passkey_count > 0, -1);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER agent_counts_insert_delete AFTER INSERT OR DELETE ON agents
    FOR EACH ROW EXECUTE FUNCTION agents_count_by_status();
CREATE TRIGGER agent_counts_update AFTER UPDATE OF company_id, active, two_factor, email_two_factor, app_enabled, passkey_count ON agents
    FOR EACH ROW
    WHEN (OLD.company_id IS DISTINCT FROM NEW.company_id OR OLD.active IS DISTINCT FROM NEW.active
        OR OLD.two_factor IS DISTINCT FROM NEW.two_factor OR OLD.email_two_factor IS DISTINCT FROM NEW.email_two_factor
        OR OLD.app_enabled IS DISTINCT FROM NEW.app_enabled OR (OLD.passkey_count > 0) IS DISTINCT FROM (NEW.passkey_count > 0))
    EXECUTE FUNCTION agents_count_by_status();

-- The factor filters' deep pages start from page anchors too, so the list
-- version now also moves when an agent's factors change (rarely: an app set
-- up, a first passkey added or the last one removed).
DROP TRIGGER agent_list_versions_update ON agents;
CREATE TRIGGER agent_list_versions_update
    AFTER UPDATE OF company_id, search_name, email, role, two_factor, email_two_factor, app_enabled, passkey_count,
        trusted_computer_count, active, password_hash ON agents
    FOR EACH ROW
    WHEN (OLD.company_id IS DISTINCT FROM NEW.company_id OR OLD.search_name IS DISTINCT FROM NEW.search_name
        OR OLD.email IS DISTINCT FROM NEW.email OR OLD.role IS DISTINCT FROM NEW.role
        OR OLD.two_factor IS DISTINCT FROM NEW.two_factor
        OR OLD.email_two_factor IS DISTINCT FROM NEW.email_two_factor
        OR OLD.app_enabled IS DISTINCT FROM NEW.app_enabled
        OR (OLD.passkey_count > 0) IS DISTINCT FROM (NEW.passkey_count > 0)
        OR OLD.trusted_computer_count IS DISTINCT FROM NEW.trusted_computer_count
        OR OLD.active IS DISTINCT FROM NEW.active
        OR (OLD.password_hash IS NULL) IS DISTINCT FROM (NEW.password_hash IS NULL))
    EXECUTE FUNCTION agents_bump_list_version();
