ALTER TABLE companies DROP COLUMN admins_must_use_passkey;
ALTER TABLE companies DROP COLUMN app_factor_allowed;
ALTER TABLE agents DROP COLUMN passkey_count;
DROP TABLE webauthn_ceremonies;
DROP TABLE passkeys;
