//! One test binary for the whole HTTP surface; one module per journey.

mod account;
mod activity;
mod bad_input;
mod browser;
mod cli;
mod edges;
mod hardening;
mod helpers;
mod instances;
mod login;
mod proxy;
mod sessions;
mod setup;
mod throttle;
mod timing;
