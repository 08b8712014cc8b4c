-- A number per company that changes whenever an agent joins, leaves, or
-- changes a value that decides where they stand in one of the Agents tab's
-- orders (name, email, role, two-factor status, trusted computers, status).
-- A deep page of the tab starts from page anchors kept in memory; they stay
-- valid only while this number stays the same. The last-login order is left
-- out: logins are too frequent, so its deep pages are read without anchors.
CREATE TABLE agent_list_versions (
    company_id TEXT PRIMARY KEY NOT NULL,
    version INTEGER NOT NULL
);

CREATE TRIGGER agent_list_versions_insert AFTER INSERT ON agents
BEGIN
    INSERT INTO agent_list_versions (company_id, version) VALUES (NEW.company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER agent_list_versions_delete AFTER DELETE ON agents
BEGIN
    INSERT INTO agent_list_versions (company_id, version) VALUES (OLD.company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER agent_list_versions_update
    AFTER UPDATE OF company_id, search_name, email, role, two_factor, trusted_computer_count, active, password_hash ON agents
    WHEN OLD.company_id IS NOT NEW.company_id OR OLD.search_name IS NOT NEW.search_name OR OLD.email IS NOT NEW.email
        OR OLD.role IS NOT NEW.role OR OLD.two_factor IS NOT NEW.two_factor
        OR OLD.trusted_computer_count IS NOT NEW.trusted_computer_count OR OLD.active IS NOT NEW.active
        OR (OLD.password_hash IS NULL) IS NOT (NEW.password_hash IS NULL)
BEGIN
    INSERT INTO agent_list_versions (company_id, version) VALUES (OLD.company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = version + 1;
    INSERT INTO agent_list_versions (company_id, version) VALUES (NEW.company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET version = version + 1;
END;
