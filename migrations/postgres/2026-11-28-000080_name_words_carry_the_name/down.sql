ALTER TABLE agent_name_words DROP CONSTRAINT agent_name_words_pkey,
    ADD PRIMARY KEY (company_id, word, agent_id);
ALTER TABLE agent_name_words DROP COLUMN search_name;
