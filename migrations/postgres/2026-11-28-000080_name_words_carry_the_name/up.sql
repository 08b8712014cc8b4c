-- Each name word carries the whole search name, so a search of several words
-- reads one word's index range and tests the other words on the same entries
-- (instead of intersecting one range per word, about ten times the work).
-- The primary key's index includes it, so the range is an index-only scan.
ALTER TABLE agent_name_words ADD COLUMN search_name TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE agent_name_words w SET search_name = a.search_name FROM agents a WHERE a.id = w.agent_id;
ALTER TABLE agent_name_words ALTER COLUMN search_name DROP DEFAULT;
ALTER TABLE agent_name_words DROP CONSTRAINT agent_name_words_pkey,
    ADD PRIMARY KEY (company_id, word, agent_id) INCLUDE (search_name);
