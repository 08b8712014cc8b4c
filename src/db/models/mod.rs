//! Rows and the queries on them, one module per table. Read structs are named
//! after the table's noun (`Agent`), insert structs `New…`.

pub mod agent;
pub mod authenticator_app;
pub mod code_challenge;
pub mod code_lockout;
pub mod company;
pub mod email_change;
pub mod invitation;
pub mod one_time_code;
pub mod passkey;
pub mod password_reset_token;
pub mod rate_bucket;
pub mod recovery_code;
pub mod session;
pub mod setup_token;
pub mod trusted_computer;

pub use agent::{Agent, INSERT_NAME_PAIRS_OF_WORDS, NewAgent};
pub use company::{Company, CompanyPolicy, NewCompany};
