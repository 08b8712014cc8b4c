//! AgentGate: sign-in with email two-factor authentication for a helpdesk.
//! The module tree is public so that `tests/` can drive the real application.

pub mod audit;
pub mod agents;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod db;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod mail;
pub mod metrics;
pub mod routes;
pub mod startup;
pub mod state;
pub mod web;
