DROP TRIGGER agent_list_versions_update ON agents;
DROP TRIGGER agent_list_versions_insert_delete ON agents;
DROP FUNCTION agents_bump_list_version();
DROP FUNCTION agent_list_versions_bump(TEXT);
DROP TABLE agent_list_versions;
