-- The retention sweep (AGENTGATE_AUDIT_RETENTION_DAYS) forgets the oldest
-- entries first: it reads them in time order.
CREATE INDEX audit_events_occurred_idx ON audit_events (occurred_at);
