-- Rate limits shared by every instance (SPEC §3 login throttling; later the
-- resend, forgot-password and invitation limits): one row per (purpose, key),
-- holding the times of the attempts still inside the longest window, oldest
-- first, as comma-separated Unix milliseconds. `version` makes every change a
-- compare-and-swap, so two instances never both take the last free attempt.
CREATE TABLE rate_buckets (
    purpose TEXT NOT NULL,
    bucket_key TEXT NOT NULL,
    hits TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (purpose, bucket_key)
);
CREATE INDEX rate_buckets_updated_idx ON rate_buckets (updated_at);
