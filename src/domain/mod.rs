//! Validated input. Each type is parsed once at the edge (a form, the CLI);
//! everything inside the app can rely on the value being valid.

mod client;
mod code;
mod email;
mod factors;
mod ids;
mod names;
mod password;
mod recovery_code;
mod role;
mod search;

pub use client::{ClientInfo, browser_label, browser_label_in};
pub use code::{CODE_DIGITS, CodeError, OneTimeCode};
pub use email::{EmailAddress, EmailError};
pub use factors::{AdminFactorRule, FactorsAllowed};
pub use ids::{AgentId, CompanyId, is_public_id, new_public_id};
pub use names::{CompanyName, NameError, PasskeyName, PersonName};
pub use password::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, NewPassword, PasswordError, login_candidate};
pub use recovery_code::{RECOVERY_CODE_CHARS, RecoveryCode, RecoveryCodeError};
pub use role::{Role, TwoFactorStatus};
pub use search::{MAX_SEARCH_CHARS, MAX_SEARCH_WORDS, SearchError, SearchText, prefix_upper_bound, search_key, search_words};
