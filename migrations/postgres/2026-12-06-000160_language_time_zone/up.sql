-- Each agent reads AgentGate in their language and sees times in their time
-- zone; a company sets the defaults: new agents and invitations take its
-- language, and agents who choose no zone see the company's.
ALTER TABLE companies ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE companies ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE agents ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
-- NULL: the company's time zone.
ALTER TABLE agents ADD COLUMN time_zone TEXT;
