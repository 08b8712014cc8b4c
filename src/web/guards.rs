//! Extractors that decide who may open a page. The agent and their role are
//! read from the database on every request (SPEC §3), never from the session.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use diesel::prelude::*;
use futures_util::future::LocalBoxFuture;

use crate::agents::policy::{self, TwoFactorRequirement};
use crate::audit::{self, Event, Outcome};
use crate::db::models::{Agent, Company};
use crate::db::schema::{agents, companies};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::session::TypedSession;

/// A signed-in, active agent and their company.
pub struct SignedIn {
    pub agent: Agent,
    pub company: Company,
    pub session: TypedSession,
    /// Where the company's 2FA requirement leaves the agent (SPEC §2.4).
    pub two_factor_requirement: TwoFactorRequirement,
}

/// Where to come back to after logging in: the path and query of this page.
fn next_of(req: &HttpRequest) -> Option<String> {
    let path = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
    (path != "/").then(|| path.to_owned())
}

impl FromRequest for SignedIn {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<SignedIn, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let session = TypedSession::extract(&req).await.map_err(|_| AppError::SignInRequired { next: next_of(&req) })?;
            let Some(agent_id) = session.agent_id()? else {
                return Err(AppError::SignInRequired { next: next_of(&req) });
            };
            let state = req.app_data::<web::Data<AppState>>().expect("AppState is registered").clone();
            let found = state
                .db(move |conn| {
                    Ok(agents::table
                        .inner_join(companies::table)
                        .filter(agents::id.eq(&agent_id))
                        .filter(agents::active.eq(true))
                        .select((Agent::as_select(), Company::as_select()))
                        .get_result::<(Agent, Company)>(conn)
                        .optional()?)
                })
                .await?;
            match found {
                Some((agent, company)) => {
                    // Whose request this is, for its log line.
                    actix_web::HttpMessage::extensions_mut(&req).insert(crate::web::middleware::SignedInAgent(agent.id.clone()));
                    // From here on the request speaks the agent's language, in their time zone.
                    crate::i18n::set_current(agent.tr(&company));
                    // SPEC §2.4: with the company's requirement in force, an
                    // agent without 2FA reaches only the pages that turn it on.
                    let two_factor_requirement = policy::requirement(&company, &agent, state.now());
                    if two_factor_requirement.is_enforced() && !policy::path_is_exempt(req.path()) {
                        return Err(AppError::TwoFactorSetupRequired);
                    }
                    Ok(SignedIn { agent, company, session, two_factor_requirement })
                }
                None => {
                    // Deactivated or deleted since the session began.
                    session.log_out();
                    Err(AppError::SignInRequired { next: next_of(&req) })
                }
            }
        })
    }
}

/// A signed-in admin; an agent gets 403.
pub struct Admin(pub SignedIn);

impl FromRequest for Admin {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Admin, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let signed_in = SignedIn::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let signed_in = signed_in.await?;
            if signed_in.agent.is_admin() {
                return Ok(Admin(signed_in));
            }
            record_refusal(&req, &signed_in.agent).await?;
            Err(AppError::forbidden())
        })
    }
}

/// The longest request path kept in a refusal's audit entry.
const MAX_AUDITED_PATH: usize = 200;

/// Audits an agent's attempt to open an admin page: method and path only,
/// never the query string (which can hold tokens).
async fn record_refusal(req: &HttpRequest, agent: &Agent) -> Result<(), AppError> {
    let state = req.app_data::<web::Data<AppState>>().expect("AppState is registered").clone();
    let client = crate::web::client::client_of(req);
    let detail: String = format!("{} {}", req.method(), req.path()).chars().filter(|c| !c.is_control()).take(MAX_AUDITED_PATH).collect();
    let agent = agent.clone();
    let now = state.now();
    state
        .db(move |conn| {
            let entry = audit::Entry { detail: Some(&detail), ..audit::Entry::for_agent(&agent, Some(&client)) };
            Ok(audit::record(conn, Event::AccessRefused, Outcome::Failure, &entry, now)?)
        })
        .await
}
