-- The Activity page filters a company's log by event and by agent (as actor or
-- as subject), newest first.
CREATE INDEX audit_company_event_time_idx ON audit_events (company_id, event, occurred_at);
CREATE INDEX audit_actor_time_idx ON audit_events (actor_id, occurred_at);
