-- Two words of one name, each with the other: so that a search of two words
-- ("grace hopper", "mary.sp") reads the entries of names holding both, about
-- 60 in a company of 100,000 agents, instead of every name word that begins
-- with one of them (2,500) tested for the other. A name of n distinct words
-- has n * (n - 1) pairs; a one-word name has none (a search of one word reads
-- agent_name_words).
CREATE TABLE agent_name_pairs (
    company_id TEXT NOT NULL,
    word TEXT NOT NULL,
    other TEXT NOT NULL,
    agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    PRIMARY KEY (company_id, word, other, agent_id)
) WITHOUT ROWID;
CREATE INDEX agent_name_pairs_agent_idx ON agent_name_pairs (agent_id);

INSERT INTO agent_name_pairs (company_id, word, other, agent_id)
SELECT w.company_id, w.word, o.word, w.agent_id
FROM agent_name_words w JOIN agent_name_words o ON o.agent_id = w.agent_id AND o.word <> w.word;
