DROP TABLE email_changes;
DELETE FROM code_challenges WHERE purpose NOT IN ('login', 'enable_two_factor');
ALTER TABLE code_challenges DROP CONSTRAINT code_challenges_purpose_check;
ALTER TABLE code_challenges ADD CONSTRAINT code_challenges_purpose_check CHECK (purpose IN ('login', 'enable_two_factor'));
