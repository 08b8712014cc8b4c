//! Authentication: password hashing, secrets, accounts and the login steps.

pub mod accounts;
pub mod login;
pub mod password;
pub mod secrets;
pub mod setup;
pub mod throttle;

pub use password::PasswordHasher;
