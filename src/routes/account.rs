use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use crate::audit;
use crate::auth::accounts::update_account_in_transaction;
use crate::auth::codes::in_agent_code_transaction;
use crate::auth::email_change;
use crate::auth::trusted_computers::{self, TrustedComputerView};
use crate::auth::Context;
use crate::auth::code_step::{self, CodeOutcome};
use crate::auth::two_factor::{self, ChangeApplied, TwoFactorChange};
use crate::db::models::code_challenge::ChallengePurpose;
use crate::db::schema::agents;
use crate::domain::{NewPassword, OneTimeCode, PersonName, TwoFactorStatus};
use crate::error::AppError;
use crate::i18n::{Language, t, t1, key};
use crate::mail::messages::{self, Recipient, RequestContext};
use crate::mail::outbox;
use crate::routes::code_page::{CodePage, CodePageSpec, Link, notice_and_wait};
use crate::routes::notice_text;
use crate::web::redirect::see_other;
use crate::state::AppState;
use crate::domain::{ClientInfo, browser_label};
use crate::web::layout::render_with_status;
use crate::web::forms::{CodeForm, NoFields, ticked};
use crate::web::session_list::{self, SessionLine};
use crate::web::{CsrfForm, Layout, SignedIn, render, confirm_identity, trusted_cookie};

#[derive(Template)]
#[template(path = "account_settings.html")]
struct SettingsPage {
    layout: Layout,
    name: String,
    email: String,
    masked_email: String,
    two_factor: TwoFactorStatus,
    /// The checkbox as shown: on while enabled or pending.
    two_factor_ticked: bool,
    errors: Vec<String>,
    sign_ins: Vec<SignIn>,
    /// An email change waiting for its code: the new address, masked.
    email_change_pending: Option<String>,
    /// With 2FA on and no code entered lately, sensitive changes first ask
    /// the agent to confirm it is them (step-up re-authentication).
    confirm_identity_needed: bool,
    reauth_minutes: i64,
    /// The Signed-in sessions section.
    sessions: Vec<SessionLine>,
    /// The Trusted computers section.
    trusted_computers: Vec<TrustedComputerLine>,
    /// Why trusted computers do not skip the code for this agent now, if they do not.
    trust_unavailable: Option<String>,
    /// An authenticator app is on (SPEC §7).
    app_enabled: bool,
    passkey_count: i32,
    /// Any second factor is on (recovery codes can be made).
    any_factor: bool,
    recovery_codes_left: i32,
    /// How many sign-ins the Recent sign-ins section shows at most.
    recent_sign_ins: i64,
    /// The Language list of the profile form, and the code chosen.
    languages: [Language; 2],
    selected_language: String,
    /// The Time zone list (after "Company default"), the zone chosen (empty:
    /// the company's), and the company's zone.
    time_zones: Vec<&'static str>,
    selected_time_zone: String,
    company_time_zone: String,
}

/// One trusted computer as the page shows it.
struct TrustedComputerLine {
    id: String,
    label: String,
    ip: String,
    trusted_at: String,
    last_used: String,
    until: String,
    this_computer: bool,
}

impl From<TrustedComputerView> for TrustedComputerLine {
    /// The line, its times in the reader's language and zone.
    fn from(view: TrustedComputerView) -> TrustedComputerLine {
        let tr = crate::i18n::current();
        TrustedComputerLine {
            id: view.id,
            label: view.label,
            ip: view.ip,
            trusted_at: tr.date_time(view.trusted_at),
            last_used: tr.date_time(view.last_used_at),
            until: tr.date_time(view.trusted_until),
            this_computer: view.this_computer,
        }
    }
}

impl SettingsPage {
    /// Fills the Trusted computers section: the signed-in agent's trusted
    /// computers, "this computer" marked from the request's cookie.
    async fn with_trusted_computers(mut self, state: &AppState, req: &HttpRequest, signed_in: &SignedIn) -> Result<SettingsPage, AppError> {
        let presented = trusted_cookie::read(state, req);
        let (config, agent, company, now) = (state.config.clone(), signed_in.agent.clone(), signed_in.company.clone(), state.now());
        self.trust_unavailable = trusted_computers::offer(&config, &company, &agent).reason().map(|reason| crate::i18n::current().say(reason));
        let views = state.db(move |conn| Ok(trusted_computers::list(conn, &config, &agent, &company, &presented, now)?)).await?;
        self.trusted_computers = views.into_iter().map(TrustedComputerLine::from).collect();
        Ok(self)
    }
}

/// One of the agent's recent sign-in attempts, as Account Setting lists them.
struct SignIn {
    when: String,
    succeeded: bool,
    ip: String,
    browser: String,
    user_agent: String,
}

/// How many recent sign-ins Account Setting shows.
const RECENT_SIGN_INS: i64 = 10;

impl SettingsPage {
    /// The page for `signed_in`, with their latest sign-in attempts.
    async fn load(state: &AppState, signed_in: &SignedIn, notice: Option<String>) -> Result<SettingsPage, AppError> {
        let (agent, config, now) = (signed_in.agent.clone(), state.config.clone(), state.now());
        let current = signed_in.session.session_id();
        let idle = chrono::Duration::from_std(state.config.session_idle_timeout).unwrap_or(chrono::Duration::zero());
        let (events, email_change_pending, sessions) = state
            .db(move |conn| {
                let events = audit::recent_sign_ins(conn, &agent.id, RECENT_SIGN_INS)?;
                let pending = email_change::pending(conn, &config, &agent, now)?.map(|p| p.sent_to.masked());
                let sessions = session_list::list(conn, &agent.id, current.as_deref(), idle, now)?;
                Ok((events, pending, sessions))
            })
            .await?;
        let sign_ins = events
            .iter()
            .map(|event| SignIn {
                when: crate::i18n::current().date_time_seconds(event.occurred_at),
                succeeded: event.outcome == audit::Outcome::Success.as_str(),
                ip: event.ip.clone().unwrap_or_default(),
                browser: event.user_agent.as_deref().map(browser_label).unwrap_or_default(),
                user_agent: event.user_agent.clone().unwrap_or_default(),
            })
            .collect();
        let two_factor = signed_in.agent.email_two_factor_status();
        Ok(SettingsPage {
            layout: Layout::signed_in(t("account-title"), signed_in, "account").with_notice(notice),
            name: signed_in.agent.name.clone(),
            email: signed_in.agent.email.clone(),
            masked_email: signed_in.agent.email_address().masked(),
            two_factor,
            two_factor_ticked: two_factor != TwoFactorStatus::Disabled,
            errors: Vec::new(),
            sign_ins,
            email_change_pending,
            confirm_identity_needed: confirm_identity::code_needed(signed_in, state),
            reauth_minutes: state.config.reauth_window.num_minutes(),
            sessions,
            trusted_computers: Vec::new(),
            trust_unavailable: None,
            app_enabled: signed_in.agent.app_enabled,
            passkey_count: signed_in.agent.passkey_count,
            any_factor: signed_in.agent.two_factor_status() == TwoFactorStatus::Enabled,
            recovery_codes_left: signed_in.agent.recovery_codes_left,
            recent_sign_ins: RECENT_SIGN_INS,
            languages: Language::ALL,
            selected_language: Language::from_stored(&signed_in.agent.language).code().to_owned(),
            time_zones: crate::i18n::time_zones().collect(),
            selected_time_zone: signed_in.agent.time_zone.clone().unwrap_or_default(),
            company_time_zone: signed_in.company.time_zone.clone(),
        })
    }
}

/// A time zone of the list (`None`: not one of them), by its name.
fn offered_time_zone(name: &str) -> Option<&'static str> {
    let name = name.trim();
    crate::i18n::time_zones().find(|zone| *zone == name)
}

#[derive(Deserialize)]
pub struct SettingsQuery {
    notice: Option<String>,
}

/// `GET /account/settings`: the Account Setting page.
pub async fn settings_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    signed_in: SignedIn,
    query: web::Query<SettingsQuery>,
) -> Result<HttpResponse, AppError> {
    let page = SettingsPage::load(&state, &signed_in, notice_text(query.notice.as_deref())).await?.with_trusted_computers(&state, &req, &signed_in).await?;
    render(&page)
}

#[derive(Deserialize)]
pub struct SettingsForm {
    /// Missing (the password or two-factor section alone): unchanged.
    name: Option<String>,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
    /// The Two factor authentication checkbox: `on` when ticked, absent when not.
    two_factor_enabled: Option<String>,
    /// Present when the form showed the checkbox, so that a form without it
    /// (an old page, a script changing the name) never turns 2FA off.
    two_factor_shown: Option<String>,
    /// Which section's button was pressed (`profile`, `password`, `two_factor`).
    section: Option<String>,
    /// The profile's Language (a code, `en`); missing: unchanged.
    language: Option<String>,
    /// The profile's Time zone (an IANA name; empty: the company's); missing: unchanged.
    time_zone: Option<String>,
}

/// `POST /account/settings`: a section's button (Save profile, Change
/// password, Update under Other Settings; a client may also send every field
/// at once, as the first release's single form did). Everything is validated before
/// anything is written, and written in one transaction; a password change and
/// turning 2FA off need the current password.
pub async fn settings_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    signed_in: SignedIn,
    client: ClientInfo,
    CsrfForm(form): CsrfForm<SettingsForm>,
) -> Result<HttpResponse, AppError> {
    let agent = &signed_in.agent;
    if form.name.is_none() && form.section.is_none() && form.two_factor_shown.is_none() && form.language.is_none() && form.time_zone.is_none() {
        return Err(AppError::bad_request(t("account-error-no-field")));
    }
    let mut errors = Vec::new();
    // Each section of the page posts only its own fields: a missing name is the current one.
    let name_raw = form.name.clone().unwrap_or_else(|| agent.name.clone());
    let name = PersonName::parse(&name_raw).map_err(|e| errors.push(t1("account-error-name", "error", e.to_string()))).ok();
    // Language and time zone: only values of the lists (a missing one is unchanged).
    let language = match form.language.as_deref() {
        None => None,
        Some(code) => Language::parse(code).or_else(|| {
            errors.push(t("account-error-language"));
            None
        }),
    };
    // `Some(None)`: the company's zone.
    let time_zone: Option<Option<&'static str>> = match form.time_zone.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(name) => match offered_time_zone(name) {
            Some(zone) => Some(Some(zone)),
            None => {
                errors.push(t("account-error-time-zone"));
                None
            }
        },
    };

    let two_factor_change = form
        .two_factor_shown
        .is_some()
        .then(|| TwoFactorChange::from_checkbox(agent.email_two_factor_status(), ticked(form.two_factor_enabled.as_deref())))
        .flatten();

    let wants_new_password = !form.new_password.is_empty() || !form.confirm_password.is_empty();
    let needs_current_password = wants_new_password || two_factor_change == Some(TwoFactorChange::Disable);
    if needs_current_password {
        // Step-up re-authentication: the current password below, and with
        // 2FA on a code entered within the window (else: confirm it is you first).
        confirm_identity::require_recent_code(&signed_in, &state, "/account/settings")?;
    }
    let current_ok = if needs_current_password && !form.current_password.is_empty() {
        confirm_identity::check_current_password(&req, &signed_in, &state, &client, &form.current_password, "in Account Setting").await?
    } else {
        false
    };

    if form.section.as_deref() == Some("password") && !wants_new_password {
        errors.push(t("account-error-new-password-missing"));
    }
    let mut new_password = None;
    if wants_new_password {
        match NewPassword::parse_confirmed(&form.new_password, &form.confirm_password, &agent.email_address()) {
            Err(e) => errors.push(t1("account-error-new-password", "error", e.to_string())),
            Ok(_) if !current_ok => errors.push(t("account-error-current-password")),
            Ok(password) => new_password = Some(password),
        }
    }
    if two_factor_change == Some(TwoFactorChange::Disable) && signed_in.company.require_two_factor && !agent.app_enabled && !agent.has_passkey() {
        // The last factor stays while the company requires one (SPEC §7).
        errors.push(t1("account-error-two-factor-required", "company", &signed_in.company.name));
    }
    if two_factor_change == Some(TwoFactorChange::Disable) && !current_ok {
        errors.push(t("account-error-two-factor-password"));
    }

    let Some(name) = name.filter(|_| errors.is_empty()) else {
        let mut page = SettingsPage::load(&state, &signed_in, None).await?.with_trusted_computers(&state, &req, &signed_in).await?;
        page.name = name_raw;
        // The lists as chosen, where the choice was one of theirs.
        if let Some(language) = language {
            page.selected_language = language.code().to_owned();
        }
        if let Some(zone) = time_zone {
            page.selected_time_zone = zone.unwrap_or_default().to_owned();
        }
        page.errors = errors;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    // Written only when they change (the next page speaks the new language).
    let new_language = language.map(Language::code).filter(|code| *code != agent.language);
    let new_time_zone = time_zone.filter(|zone| *zone != agent.time_zone.as_deref());

    let audited_agent = agent.clone();
    let name_changed = name.as_str() != agent.name;
    let hash = match &new_password {
        Some(password) => Some(state.passwords.hash(password).await?),
        None => None,
    };
    let password_changed = hash.is_some();
    let now = state.now();
    let config = state.config.clone();
    let applied = state
        .db(move |conn| {
            in_agent_code_transaction(conn, &audited_agent.id, now, |conn, lockout| {
                let new_name = name_changed.then_some(name.as_str());
                let entry = audit::Entry::for_agent(&audited_agent, Some(&client));
                update_account_in_transaction(conn, &audited_agent.id, new_name, hash.as_deref(), &entry, now)?;
                if let Some(language) = new_language {
                    diesel::update(agents::table.find(&audited_agent.id)).set(agents::language.eq(language)).execute(conn)?;
                }
                if let Some(zone) = new_time_zone {
                    diesel::update(agents::table.find(&audited_agent.id)).set(agents::time_zone.eq(zone)).execute(conn)?;
                }
                if hash.is_some() {
                    let email = audited_agent.email_address();
                    let notice = messages::password_changed(&Recipient { email: &email, name: name.as_str(), tr: audited_agent.reader(conn)? }, &RequestContext::of(&client, now), &config.base_url())?;
                    outbox::enqueue(conn, &notice, now)?;
                }
                match two_factor_change {
                    Some(change) => Ok(Some(two_factor::apply_in_transaction(conn, &config, &audited_agent, &lockout, change, &client, now)?)),
                    None => Ok::<_, AppError>(None),
                }
            })
        })
        .await?;

    if password_changed {
        // Every session of the agent ended, this one included; this browser
        // carries on with a fresh session id.
        signed_in.session.rotate()?;
    }
    Ok(see_other(match applied {
        Some(ChangeApplied::ConfirmationRequested { refusal: None }) => "/account/two-factor/confirm?notice=confirmation_sent",
        Some(ChangeApplied::ConfirmationRequested { refusal: Some(_) }) => "/account/two-factor/confirm?notice=code_not_sent",
        Some(ChangeApplied::Cancelled) => "/account/settings?notice=two_factor_cancelled",
        Some(ChangeApplied::Disabled) => "/account/settings?notice=two_factor_disabled",
        None if password_changed => "/account/settings?notice=password_changed",
        None => "/account/settings?notice=saved",
    }))
}

/// The page that turns 2FA on.
const CONFIRM_PAGE: CodePageSpec = CodePageSpec {
    title: key("account-confirm-title"),
    eyebrow: key("account-confirm-eyebrow"),
    heading: key("account-confirm-title"),
    purpose: key("account-confirm-purpose"),
    nothing_waiting: key("account-confirm-nothing-waiting"),
    action: "/account/two-factor/confirm",
    submit_label: key("account-confirm-submit"),
    resend_action: "/account/two-factor/resend",
    resend_label: key("account-confirm-resend"),
    resend_help: None,
    needs_new_code: key("account-confirm-needs-new-code"),
    cancel: None,
    links: &[Link { href: "/account/settings", text: key("account-back") }],
    links_note: Some(key("account-confirm-links-note")),
};

/// The confirmation page as it stands: with no open confirmation (it ran
/// out), it says so and offers a new code.
async fn confirm_page_for(state: &AppState, signed_in: &SignedIn, notice: Option<&str>) -> Result<CodePage, AppError> {
    let (config, agent, now) = (state.config.clone(), signed_in.agent.clone(), state.now());
    let view = state.db(move |conn| Ok(code_step::view(conn, &config, two_factor::holder(&agent), ChallengePurpose::EnableTwoFactor, now)?)).await?;
    let (notice, wait) = notice_and_wait(notice, view.as_ref().and_then(|v| v.next_code_at));
    let layout = Layout::signed_in(crate::i18n::current().say(CONFIRM_PAGE.title), signed_in, "account").with_notice(notice);
    let masked = Some(signed_in.agent.email_address().masked());
    let lifetime = state.config.codes.code_lifetime.num_minutes();
    let mut page = CodePage::new(&CONFIRM_PAGE, layout, masked, lifetime, view.as_ref().is_some_and(|v| v.needs_new_code));
    if view.is_none() {
        page.error = Some(t("account-confirm-expired"));
    }
    page.wait = wait;
    Ok(page)
}

/// `GET /account/two-factor/confirm`: enter the code that turns 2FA on.
pub async fn confirm_page(state: web::Data<AppState>, signed_in: SignedIn, query: web::Query<SettingsQuery>) -> Result<HttpResponse, AppError> {
    if signed_in.agent.email_two_factor_status() != TwoFactorStatus::Pending {
        return Ok(see_other("/account/settings"));
    }
    render(&confirm_page_for(&state, &signed_in, query.notice.as_deref()).await?)
}

/// `POST /account/two-factor/confirm`.
pub async fn confirm_submit(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    client: ClientInfo,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<HttpResponse, AppError> {
    if signed_in.agent.email_two_factor_status() != TwoFactorStatus::Pending {
        return Ok(see_other("/account/settings"));
    }
    let parsed = OneTimeCode::parse(&form.code);
    let (config, agent, now, submitted) = (state.config.clone(), signed_in.agent.clone(), state.now(), parsed.clone().ok());
    let outcome = state
        .db(move |conn| Ok(two_factor::confirm(conn, &Context { config: &config, client: &client, now }, &agent, submitted.as_ref())?))
        .await?;
    let page = confirm_page_for(&state, &signed_in, None).await?;
    match outcome {
        CodeOutcome::Accepted(()) => {
            // The code just entered proves the mailbox in this browser (step-up).
            signed_in.session.record_code_proof(now)?;
            Ok(see_other("/account/settings?notice=two_factor_enabled"))
        }
        CodeOutcome::Wrong { attempts_left } => page.wrong_code(&parsed, attempts_left),
        CodeOutcome::NeedsNewCode => page.needs_new_code(),
        // Confirmation codes are not subject to the login lock-out.
        CodeOutcome::Locked { .. } | CodeOutcome::Expired => page.refused(t("account-confirm-expired")),
    }
}

/// `POST /account/two-factor/resend`: another confirmation code.
pub async fn confirm_resend(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    client: ClientInfo,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    if signed_in.agent.email_two_factor_status() != TwoFactorStatus::Pending {
        return Ok(see_other("/account/settings"));
    }
    let (config, agent, now) = (state.config.clone(), signed_in.agent.clone(), state.now());
    let sent = state.db(move |conn| Ok(two_factor::resend_confirmation(conn, &Context { config: &config, client: &client, now }, &agent)?)).await?;
    match sent {
        Ok(()) => Ok(see_other("/account/two-factor/confirm?notice=code_resent")),
        Err(refusal) => confirm_page_for(&state, &signed_in, None).await?.not_sent(&refusal, now),
    }
}

/// `POST /account/sessions/{id}/sign-out`: ends one of the agent's own
/// sessions (this browser's too, if it is the one named). Another agent's
/// session, or an unknown id, is not found and ends nothing.
pub async fn sign_out_session(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    client: ClientInfo,
    path: web::Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let this_one = signed_in.session.session_id().as_deref() == Some(id.as_str());
    let (agent, now) = (signed_in.agent.clone(), state.now());
    let ended = state
        .db(move |conn| {
            let ended = session_list::sign_out(conn, &agent.id, &id, now)?;
            if ended {
                let entry = audit::Entry { detail: Some("signed out from Account Setting"), ..audit::Entry::for_agent(&agent, Some(&client)) };
                audit::record(conn, audit::Event::SessionEnded, audit::Outcome::Success, &entry, now)?;
            }
            Ok(ended)
        })
        .await?;
    if !ended {
        return Err(AppError::NotFound);
    }
    if this_one {
        signed_in.session.log_out();
        return Ok(see_other("/login?notice=logged_out"));
    }
    Ok(see_other("/account/settings?notice=session_signed_out#sessions"))
}

/// `POST /account/sessions/sign-out-others`: every session but this one ends.
pub async fn sign_out_other_sessions(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    client: ClientInfo,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let keep = signed_in.session.session_id().unwrap_or_default();
    let (agent, now) = (signed_in.agent.clone(), state.now());
    state
        .db(move |conn| {
            let ended = session_list::sign_out_others(conn, &agent.id, &keep, now)?;
            if ended > 0 {
                let detail = format!("{ended} other session(s) signed out from Account Setting");
                let entry = audit::Entry { detail: Some(&detail), ..audit::Entry::for_agent(&agent, Some(&client)) };
                audit::record(conn, audit::Event::SessionEnded, audit::Outcome::Success, &entry, now)?;
            }
            Ok(())
        })
        .await?;
    Ok(see_other("/account/settings?notice=other_sessions_signed_out#sessions"))
}

/// `POST /account/trusted-computers/{id}/revoke`: "Forget" on one trusted
/// computer of the signed-in agent. Another agent's id is not found (404) and
/// changes nothing. Forgetting this browser also takes its token out of the cookie.
pub async fn forget_trusted_computer(
    req: HttpRequest,
    state: web::Data<AppState>,
    signed_in: SignedIn,
    client: ClientInfo,
    path: web::Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let presented = trusted_cookie::read(&state, &req);
    let (agent, now) = (signed_in.agent.clone(), state.now());
    let kept = state
        .db(move |conn| match trusted_computers::forget(conn, &agent, &id, &client, now)? {
            Some(_) => Ok(Some(trusted_computers::without_stale(conn, presented, now)?)),
            None => Ok(None),
        })
        .await?;
    let Some(kept) = kept else { return Err(AppError::NotFound) };
    let mut response = see_other("/account/settings?notice=trusted_computer_forgotten");
    trusted_cookie::write(&mut response, &state, &kept, now)?;
    Ok(response)
}

/// `POST /account/trusted-computers/revoke-all`: "Forget all".
pub async fn forget_all_trusted_computers(
    req: HttpRequest,
    state: web::Data<AppState>,
    signed_in: SignedIn,
    client: ClientInfo,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let presented = trusted_cookie::read(&state, &req);
    let (agent, now) = (signed_in.agent.clone(), state.now());
    let kept = state
        .db(move |conn| {
            let entry = audit::Entry::for_agent(&agent, Some(&client));
            crate::db::write_transaction(conn, |conn| trusted_computers::forget_all(conn, &agent.id, &entry, "forgotten by the agent (Forget all)", now))?;
            Ok(trusted_computers::without_stale(conn, presented, now)?)
        })
        .await?;
    let mut response = see_other("/account/settings?notice=trusted_computers_forgotten");
    trusted_cookie::write(&mut response, &state, &kept, now)?;
    Ok(response)
}
