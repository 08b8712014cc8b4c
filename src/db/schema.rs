//! The schema shared by both backends. Written by hand: only column types that
//! diesel's `MultiConnection` supports (Text, Bool, Integer, BigInt, Timestamp).

diesel::table! {
    companies (id) {
        id -> Text,
        name -> Text,
        require_two_factor -> Bool,
        two_factor_grace_until -> Nullable<Timestamp>,
        trusted_days_max -> Integer,
        admins_always_enter_code -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    agents (id) {
        id -> Text,
        company_id -> Text,
        name -> Text,
        email -> Text,
        role -> Text,
        password_hash -> Nullable<Text>,
        active -> Bool,
        two_factor -> Text,
        created_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
        password_changed_at -> Timestamp,
    }
}

diesel::table! {
    sessions (key_hash) {
        key_hash -> Text,
        agent_id -> Nullable<Text>,
        state -> Text,
        created_at -> Timestamp,
        idle_expires_at -> Timestamp,
        absolute_expires_at -> Timestamp,
    }
}

diesel::table! {
    setup_tokens (token_hash) {
        token_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        kind -> Text,
        recipient -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_by -> Nullable<Text>,
        claimed_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Text,
        occurred_at -> Timestamp,
        company_id -> Nullable<Text>,
        actor_id -> Nullable<Text>,
        subject_id -> Nullable<Text>,
        event -> Text,
        outcome -> Text,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        detail -> Nullable<Text>,
    }
}

diesel::table! {
    trusted_computers (id) {
        id -> Text,
        agent_id -> Text,
        token_hash -> Text,
        label -> Text,
        ip -> Text,
        created_at -> Timestamp,
        last_used_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    code_challenges (id) {
        id -> Text,
        agent_id -> Text,
        purpose -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        wrong_codes -> Integer,
        closed_at -> Nullable<Timestamp>,
        closed_reason -> Nullable<Text>,
        ip -> Text,
        user_agent -> Text,
        abandoned_notice_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    one_time_codes (id) {
        id -> Text,
        challenge_id -> Text,
        agent_id -> Text,
        code_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    code_lockouts (agent_id) {
        agent_id -> Text,
        consecutive_wrong -> Integer,
        locked_until -> Nullable<Timestamp>,
        locked_until_reset -> Bool,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    password_reset_tokens (token_hash) {
        token_hash -> Text,
        agent_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    rate_buckets (purpose, bucket_key) {
        purpose -> Text,
        bucket_key -> Text,
        hits -> Text,
        version -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    email_changes (challenge_id) {
        challenge_id -> Text,
        agent_id -> Text,
        new_email -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(agents -> companies (company_id));
diesel::joinable!(trusted_computers -> agents (agent_id));
diesel::joinable!(sessions -> agents (agent_id));
diesel::joinable!(code_challenges -> agents (agent_id));
diesel::joinable!(one_time_codes -> code_challenges (challenge_id));
diesel::joinable!(code_lockouts -> agents (agent_id));
diesel::joinable!(password_reset_tokens -> agents (agent_id));
diesel::joinable!(email_changes -> code_challenges (challenge_id));

diesel::allow_tables_to_appear_in_same_query!(
    companies,
    agents,
    sessions,
    setup_tokens,
    outbox,
    audit_events,
    trusted_computers,
    code_challenges,
    one_time_codes,
    code_lockouts,
    password_reset_tokens,
    rate_buckets,
    email_changes,
);
