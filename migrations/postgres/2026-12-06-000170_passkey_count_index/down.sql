DROP INDEX agents_passkey_holders;
