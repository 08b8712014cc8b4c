-- These tables are rewritten all day: sessions and rate buckets are updated
-- as requests come, code challenges, codes, lock-out counters and outbox rows
-- are written, updated and deleted within minutes. Each update or delete leaves a
-- dead row version; autovacuum's default waits for 20 % of a table to be dead,
-- which on a small, busy table lets them pile up (the soak, docs/PERFORMANCE.md,
-- saw sessions and rate_buckets grow on disk with a flat row count). Vacuum
-- them at 2 % (or 50 rows), without the cost delay that slows a vacuum down.
-- The fillfactor leaves room in each page of the two tables updated in place,
-- so an update can write the new version beside the old (a HOT update, no
-- index entry) and the next page visit reclaims the old one.
ALTER TABLE sessions SET (
    fillfactor = 80,
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_vacuum_threshold = 50,
    autovacuum_vacuum_cost_delay = 0
);
ALTER TABLE rate_buckets SET (
    fillfactor = 80,
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_vacuum_threshold = 50,
    autovacuum_vacuum_cost_delay = 0
);
ALTER TABLE code_lockouts SET (
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_vacuum_threshold = 50,
    autovacuum_vacuum_cost_delay = 0
);
ALTER TABLE code_challenges SET (
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_vacuum_threshold = 50,
    autovacuum_vacuum_cost_delay = 0
);
ALTER TABLE one_time_codes SET (
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_vacuum_threshold = 50,
    autovacuum_vacuum_cost_delay = 0
);
ALTER TABLE outbox SET (
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_vacuum_threshold = 50,
    autovacuum_vacuum_cost_delay = 0
);
