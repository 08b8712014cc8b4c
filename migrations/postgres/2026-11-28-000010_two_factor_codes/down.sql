DROP INDEX outbox_claim_idx;
DROP TABLE password_reset_tokens;
DROP TABLE code_lockouts;
DROP TABLE one_time_codes;
DROP TABLE code_challenges;
