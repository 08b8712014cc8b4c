use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::accounts::{NewAdmin, complete_setup};
use crate::crypto::token_hash;
use crate::auth::setup::token_is_open;
use crate::domain::{CompanyName, EmailAddress, NewPassword, PersonName};
use crate::error::AppError;
use crate::i18n::{t, t1, t2};
use crate::web::redirect::{login_with_email, see_other};
use crate::state::AppState;
use crate::web::layout::render_with_status;
use crate::web::{CsrfForm, Layout, TypedSession, csrf, render};

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    layout: Layout,
    token: String,
    company: String,
    name: String,
    email: String,
    errors: Vec<String>,
}

#[derive(Deserialize)]
pub struct SetupQuery {
    token: Option<String>,
}

/// Where the first-run link is, for a visitor who does not have it.
pub fn setup_link_hint() -> String {
    t1("setup-link-hint", "link", "…/setup?token=…")
}

fn setup_closed() -> AppError {
    AppError::NotFound
}

async fn ensure_open(state: &AppState, token: &str) -> Result<(), AppError> {
    let token = token.to_owned();
    if state.db(move |conn| Ok(token_is_open(conn, &token)?)).await? { Ok(()) } else { Err(setup_closed()) }
}

/// `GET /setup?token=…`: the first-run page, only with the printed token and only
/// while no agent exists.
pub async fn setup_page(req: HttpRequest, state: web::Data<AppState>, session: TypedSession, query: web::Query<SetupQuery>) -> Result<HttpResponse, AppError> {
    let Some(token) = query.token.clone() else {
        // Before the setup, say where its link is; after it, there is no such page.
        return Err(if state.setup_pending().await? { AppError::bad_request(setup_link_hint()) } else { setup_closed() });
    };
    ensure_open(&state, &token).await?;
    render(&SetupPage {
        layout: Layout::anonymous(t("setup-title"), csrf::form_token(&req, &session)),
        token,
        company: String::new(),
        name: String::new(),
        email: String::new(),
        errors: Vec::new(),
    })
}

#[derive(Deserialize)]
pub struct SetupForm {
    token: String,
    company: String,
    name: String,
    email: String,
    password: String,
    password_confirm: String,
}

/// `POST /setup`: creates the company and its first admin.
pub async fn setup_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: TypedSession,
    CsrfForm(form): CsrfForm<SetupForm>,
) -> Result<HttpResponse, AppError> {
    ensure_open(&state, &form.token).await?;
    let company = CompanyName::parse(&form.company);
    let name = PersonName::parse(&form.name);
    let email = EmailAddress::parse(&form.email);
    let password = match &email {
        Ok(email) => NewPassword::parse_confirmed(&form.password, &form.password_confirm, email).map_err(|e| e.to_string()),
        Err(_) => Err(t("validation-password-needs-email")),
    };
    let (company, name, email, password) = match (company, name, email, password) {
        (Ok(c), Ok(n), Ok(e), Ok(p)) => (c, n, e, p),
        (c, n, e, p) => {
            let field = |label: String, error: String| t2("validation-field", "field", label, "error", error);
            let errors = [
                c.err().map(|e| field(t("setup-company-label"), e.to_string())),
                n.err().map(|e| field(t("setup-name-label"), e.to_string())),
                e.err().map(|e| field(t("login-email-label"), e.to_string())),
                p.err().map(|e| field(t("login-password-label"), e)),
            ]
            .into_iter()
            .flatten()
            .collect();
            let page = SetupPage {
                layout: Layout::anonymous(t("setup-title"), csrf::form_token(&req, &session)),
                token: form.token,
                company: form.company,
                name: form.name,
                email: form.email,
                errors,
            };
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let password_hash = state.passwords.hash(&password).await?;
    let login = login_with_email("setup_done", email.as_str());
    let admin = NewAdmin { company, name, email, password_hash, language: crate::i18n::current().language };
    let hash = token_hash(&form.token);
    let now = state.now();
    state.db(move |conn| Ok(complete_setup(conn, &hash, &admin, now)?)).await?;
    state.setup_done();
    tracing::info!("first-run setup completed");
    Ok(see_other(&login))
}
