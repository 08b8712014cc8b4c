//! Authentication: password hashing, secrets, accounts, the login steps and trusted computers.

pub mod accounts;
pub mod codes;
pub mod login;
pub mod password;
pub mod password_reset;
pub mod secrets;
pub mod setup;
pub mod trusted_computers;
pub mod two_factor;
pub mod throttle;

pub use password::PasswordHasher;
