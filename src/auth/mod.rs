//! Authentication: password hashing, secrets, accounts, the login steps and trusted computers.

pub mod accounts;
pub mod codes;
pub mod email_change;
pub mod login;
pub mod mail_limits;
pub mod password;
pub mod password_reset;
pub mod setup;
pub mod step_up;
pub mod trusted_computers;
pub mod two_factor;
pub mod throttle;

pub use password::PasswordHasher;
