DROP TRIGGER agent_list_versions_update;
DROP TRIGGER agent_list_versions_delete;
DROP TRIGGER agent_list_versions_insert;
DROP TABLE agent_list_versions;
