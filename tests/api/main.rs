//! One test binary for the whole HTTP surface; one module per journey.

mod account;
mod bad_input;
mod cli;
mod code_rules;
mod helpers;
mod login;
mod mail_delivery;
mod mail_server;
mod password_reset;
mod sessions;
mod setup;
mod two_factor_journey;
mod two_factor_steps;
