//! The HTTP plumbing shared by every page: sessions, CSRF, guards, headers.

pub mod csrf;
pub mod device_cookie;
pub mod error_page;
pub mod forms;
pub mod client;
pub mod guards;
pub mod layout;
pub mod middleware;
pub mod redirect;
pub mod request_id;
pub mod session;
pub mod session_list;
pub mod session_store;
pub mod confirm_identity;
pub mod streaming;
pub mod trusted_cookie;

pub use forms::CsrfForm;
pub use guards::{Admin, SignedIn};
pub use layout::{Layout, render};
pub use session::TypedSession;
