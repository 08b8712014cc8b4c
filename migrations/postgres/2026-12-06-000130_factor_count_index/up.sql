-- The Agents tab's figures of second factors, counted from this index alone:
-- "N of M agents use an authenticator app" (app_enabled, company, then
-- active) on every view, and the "Email only" filter's total (no app,
-- enabled, email on). Without it each view read the row of every app user.
-- app_enabled leads so that no query for a company's agents in some order
-- takes this index instead of the sort's own.
CREATE INDEX agents_factor_counts ON agents (app_enabled, company_id, two_factor, email_two_factor, active);
