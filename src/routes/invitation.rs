//! The page an invited agent opens from their email (SPEC §4 `/agents/new`):
//! they choose a password, which spends the link, and then log in.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::agents::invitations::{OpenInvitation, accept_invitation, find_open_invitation};
use crate::domain::NewPassword;
use crate::error::AppError;
use crate::web::redirect::{login_with_email, see_other};
use crate::state::AppState;
use crate::domain::ClientInfo;
use crate::web::layout::render_with_status;
use crate::web::{CsrfForm, Layout, TypedSession, csrf, render};

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    layout: Layout,
    token: String,
    name: String,
    email: String,
    company: String,
    errors: Vec<String>,
}

impl InvitationPage {
    fn new(req: &HttpRequest, session: &TypedSession, token: String, open: &OpenInvitation) -> InvitationPage {
        InvitationPage {
            layout: Layout::anonymous(crate::i18n::t("invitation-title"), csrf::form_token(req, session)),
            token,
            name: open.agent.name.clone(),
            email: open.agent.email.clone(),
            company: open.company.name.clone(),
            errors: Vec::new(),
        }
    }
}

#[derive(Deserialize)]
pub struct InvitationQuery {
    token: Option<String>,
}

async fn open_invitation(state: &AppState, token: &str) -> Result<OpenInvitation, AppError> {
    let token = token.to_owned();
    let now = state.now();
    state.db(move |conn| Ok(find_open_invitation(conn, &token, now)?)).await
}

/// `GET /invitation?token=…`: the form, while the link works.
pub async fn invitation_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: TypedSession,
    query: web::Query<InvitationQuery>,
) -> Result<HttpResponse, AppError> {
    let token = query.token.clone().unwrap_or_default();
    let open = open_invitation(&state, &token).await?;
    render(&InvitationPage::new(&req, &session, token, &open))
}

#[derive(Deserialize)]
pub struct InvitationForm {
    token: String,
    password: String,
    password_confirm: String,
}

/// `POST /invitation`: sets the first password and spends the link.
pub async fn invitation_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: TypedSession,
    client: ClientInfo,
    CsrfForm(form): CsrfForm<InvitationForm>,
) -> Result<HttpResponse, AppError> {
    let open = open_invitation(&state, &form.token).await?;
    let password = match NewPassword::parse_confirmed(&form.password, &form.password_confirm, &open.agent.email_address()) {
        Ok(password) => password,
        Err(e) => {
            let mut page = InvitationPage::new(&req, &session, form.token, &open);
            page.errors.push(crate::i18n::t2("validation-field", "field", crate::i18n::t("login-password-label"), "error", e.to_string()));
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let hash = state.passwords.hash(&password).await?;
    let now = state.now();
    let token = form.token;
    state.db(move |conn| Ok(accept_invitation(conn, &token, &hash, Some(&client), now)?)).await?;
    Ok(see_other(&login_with_email("invitation_accepted", &open.agent.email)))
}
