ALTER TABLE companies DROP COLUMN admins_must_use_app;
ALTER TABLE companies DROP COLUMN email_factor_allowed;
DROP TABLE recovery_codes;
DROP TABLE authenticator_apps;
DROP INDEX agents_list_app_name;
ALTER TABLE agents DROP COLUMN recovery_codes_left;
ALTER TABLE agents DROP COLUMN app_enabled;
ALTER TABLE agents DROP COLUMN email_two_factor;
