//! One test binary for the whole HTTP surface; one module per journey.

mod account;
mod activity;
mod audit_story;
mod bad_input;
mod browser;
mod cli;
mod code_rules;
mod edges;
mod email_change;
mod hardening;
mod helpers;
mod instances;
mod login;
mod mail_delivery;
mod mail_limits;
mod mail_server;
mod password_reset;
mod proxy;
mod sessions;
mod setup;
mod step_up;
mod two_factor_journey;
mod two_factor_steps;
mod throttle;
mod timing;
