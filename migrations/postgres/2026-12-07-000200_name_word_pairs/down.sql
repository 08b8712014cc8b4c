DROP TABLE agent_name_pairs;
