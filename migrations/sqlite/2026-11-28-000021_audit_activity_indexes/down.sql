DROP INDEX audit_actor_time_idx;
DROP INDEX audit_company_event_time_idx;
