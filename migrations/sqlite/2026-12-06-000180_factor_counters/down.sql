DROP TRIGGER agent_list_versions_update;
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

DROP TRIGGER agent_counts_insert;
DROP TRIGGER agent_counts_delete;
DROP TRIGGER agent_counts_update;
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
