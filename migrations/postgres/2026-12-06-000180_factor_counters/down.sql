DROP TRIGGER agent_list_versions_update ON agents;
CREATE TRIGGER agent_list_versions_update
    AFTER UPDATE OF company_id, search_name, email, role, two_factor, trusted_computer_count, active, password_hash ON agents
    FOR EACH ROW
    WHEN (OLD.company_id IS DISTINCT FROM NEW.company_id OR OLD.search_name IS DISTINCT FROM NEW.search_name
        OR OLD.email IS DISTINCT FROM NEW.email OR OLD.role IS DISTINCT FROM NEW.role
        OR OLD.two_factor IS DISTINCT FROM NEW.two_factor
        OR OLD.trusted_computer_count IS DISTINCT FROM NEW.trusted_computer_count
        OR OLD.active IS DISTINCT FROM NEW.active
        OR (OLD.password_hash IS NULL) IS DISTINCT FROM (NEW.password_hash IS NULL))
    EXECUTE FUNCTION agents_bump_list_version();

DROP TRIGGER agent_counts_update ON agents;
DROP TRIGGER agent_counts_insert_delete ON agents;
DROP FUNCTION agents_count_by_status();
DROP FUNCTION agent_counts_add(TEXT, BOOLEAN, TEXT, TEXT, BOOLEAN, BOOLEAN, INTEGER);
DROP TABLE agent_counts;
CREATE INDEX agents_factor_counts ON agents (app_enabled, company_id, two_factor, email_two_factor, active);

CREATE TABLE agent_counts (
    company_id TEXT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    active BOOLEAN NOT NULL,
    two_factor TEXT NOT NULL,
    total INTEGER NOT NULL,
    PRIMARY KEY (company_id, active, two_factor)
);
INSERT INTO agent_counts (company_id, active, two_factor, total)
    SELECT company_id, active, two_factor, COUNT(*) FROM agents GROUP BY company_id, active, two_factor;
CREATE FUNCTION agent_counts_add(p_company_id TEXT, p_active BOOLEAN, p_two_factor TEXT, p_delta INTEGER) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO agent_counts AS c (company_id, active, two_factor, total) VALUES (p_company_id, p_active, p_two_factor, p_delta)
        ON CONFLICT (company_id, active, two_factor) DO UPDATE SET total = c.total + p_delta;
$$;
CREATE FUNCTION agents_count_by_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM agent_counts_add(NEW.company_id, NEW.active, NEW.two_factor, 1);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM agent_counts_add(OLD.company_id, OLD.active, OLD.two_factor, -1);
    ELSIF (OLD.company_id, OLD.active, OLD.two_factor) < (NEW.company_id, NEW.active, NEW.two_factor) THEN
        PERFORM agent_counts_add(OLD.company_id, OLD.active, OLD.two_factor, -1);
        PERFORM agent_counts_add(NEW.company_id, NEW.active, NEW.two_factor, 1);
    ELSE
        PERFORM agent_counts_add(NEW.company_id, NEW.active, NEW.two_factor, 1);
        PERFORM agent_counts_add(OLD.company_id, OLD.active, OLD.two_factor, -1);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER agent_counts_insert_delete AFTER INSERT OR DELETE ON agents
    FOR EACH ROW EXECUTE FUNCTION agents_count_by_status();
CREATE TRIGGER agent_counts_update AFTER UPDATE OF company_id, active, two_factor ON agents
    FOR EACH ROW
    WHEN (OLD.company_id IS DISTINCT FROM NEW.company_id OR OLD.active IS DISTINCT FROM NEW.active OR OLD.two_factor IS DISTINCT FROM NEW.two_factor)
    EXECUTE FUNCTION agents_count_by_status();
