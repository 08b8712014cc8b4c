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

diesel::joinable!(agents -> companies (company_id));
diesel::joinable!(sessions -> agents (agent_id));

diesel::allow_tables_to_appear_in_same_query!(companies, agents, sessions, setup_tokens);
