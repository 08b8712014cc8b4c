-- Step-up re-authentication and changing the email address (issue 8):
-- two more purposes of a code challenge, and the address an email change
-- waits to confirm.

-- step_up: "confirm it is you" before a sensitive change;
-- change_email: the code sent to a new address before it replaces the old one
ALTER TABLE code_challenges DROP CONSTRAINT code_challenges_purpose_check;
ALTER TABLE code_challenges ADD CONSTRAINT code_challenges_purpose_check
    CHECK (purpose IN ('login', 'enable_two_factor', 'step_up', 'change_email'));

-- The new address of an email change, until its code is entered. One row
-- per change_email challenge; it goes when the challenge is swept.
CREATE TABLE email_changes (
    challenge_id TEXT PRIMARY KEY NOT NULL REFERENCES code_challenges (id) ON DELETE CASCADE,
    agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    new_email TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX email_changes_agent_idx ON email_changes (agent_id);
