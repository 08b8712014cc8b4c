ALTER TABLE agent_name_words DROP COLUMN search_name;
