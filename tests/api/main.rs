//! One test binary for the whole HTTP surface; one module per journey.

mod account;
mod bad_input;
mod browser;
mod cli;
mod helpers;
mod instances;
mod login;
mod proxy;
mod sessions;
mod setup;
