//! One test binary for the whole HTTP surface; one module per journey.

mod account;
mod agents_actions;
mod agents_invitation;
mod agents_policy;
mod agents_seed;
mod agents_support;
mod agents_table;
mod agents_tenancy;
mod bad_input;
mod cli;
mod helpers;
mod login;
mod sessions;
mod setup;
