-- The Agents tab's figures of second factors, counted from this index alone:
-- "N of M agents use an authenticator app" (app_enabled, then active) on
-- every view, and the "Email only" filter's total (enabled, email on, no
-- app). Without it each view read the row of every app user.
CREATE INDEX agents_factor_counts ON agents (company_id, app_enabled, two_factor, email_two_factor, active);
