ALTER TABLE agents DROP COLUMN time_zone;
ALTER TABLE agents DROP COLUMN language;
ALTER TABLE companies DROP COLUMN time_zone;
ALTER TABLE companies DROP COLUMN language;
