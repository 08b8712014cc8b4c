//! Rows and the queries on them, one module per table. Read structs are named
//! after the table's noun (`Agent`), insert structs `New…`.

pub mod agent;
pub mod company;
pub mod invitation;
pub mod session;
pub mod setup_token;
pub mod trusted_computer;

pub use agent::{Agent, NewAgent};
pub use company::{Company, CompanyPolicy, NewCompany};
