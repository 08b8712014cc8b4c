-- A number per company that changes whenever an agent joins, leaves, or
-- changes a value that decides where they stand in one of the Agents tab's
-- orders (name, email, role, two-factor status, trusted computers, status).
-- A deep page of the tab starts from page anchors kept in memory; they stay
-- valid only while this number stays the same. The last-login order is left
-- out: logins are too frequent (and would all write this one row), so its
-- deep pages are read without anchors.
CREATE TABLE agent_list_versions (
    company_id TEXT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL
);

CREATE FUNCTION agent_list_versions_bump(p_company_id TEXT) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO agent_list_versions AS v (company_id, version) VALUES (p_company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = v.version + 1;
$$;
CREATE FUNCTION agents_bump_list_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM agent_list_versions_bump(NEW.company_id);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM agent_list_versions_bump(OLD.company_id);
    ELSE
        PERFORM agent_list_versions_bump(OLD.company_id);
        IF NEW.company_id IS DISTINCT FROM OLD.company_id THEN
            PERFORM agent_list_versions_bump(NEW.company_id);
        END IF;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER agent_list_versions_insert_delete AFTER INSERT OR DELETE ON agents
    FOR EACH ROW EXECUTE FUNCTION agents_bump_list_version();
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
