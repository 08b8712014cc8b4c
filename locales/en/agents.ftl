## The Agents tab (/agents): the table, its summary and CSV, an agent's page,
## adding an agent, the confirmation pages, the company policy, and the
## Activity page with its event names.
##
## Counts: $count is the number itself (it chooses the plural form); a count
## that is also shown ($active, $total, $first…) comes already written with
## the reader's thousands separators ("1,234").

### The table

agents-heading = Agents
agents-add = Add agent
agents-export-csv = Export CSV
# $count: active agents; $enabled and $active: the counts as shown.
agents-summary-enabled = { $count ->
    [one] { $enabled } of { $active } agent has two-factor authentication enabled
   *[other] { $enabled } of { $active } agents have two-factor authentication enabled
}
agents-summary-app = { $count ->
    [one] { $with_app } of { $active } agent uses an authenticator app
   *[other] { $with_app } of { $active } agents use an authenticator app
}
agents-summary-passkey = { $count ->
    [one] { $with_passkey } of { $active } agent uses a passkey or security key (phishing-resistant)
   *[other] { $with_passkey } of { $active } agents use a passkey or security key (phishing-resistant)
}
agents-search-label = Search by name or email
agents-search-help = The start of any word of a name, or of an email.
agents-filter-all = All
agents-filter-email-only = Email only
agents-filter-app = Has an app
agents-filter-phishing-resistant = Phishing-resistant
agents-filter-not-phishing-resistant = Not phishing-resistant
agents-filter-show = Show
agents-filter-clear = Clear
agents-column-name = Name
agents-column-email = Email
agents-column-role = Role
agents-column-two-factor = Two-factor authentication
agents-column-trusted-computers = Trusted computers
agents-column-last-login = Last login
agents-column-status = Status
agents-role-agent = Agent
agents-role-admin = Admin
agents-two-factor-enabled = Enabled
agents-two-factor-pending = Pending
agents-two-factor-disabled = Disabled
agents-status-active = Active
agents-status-invited = Invited
agents-status-invited-no-link = Invited (no valid link)
agents-status-deactivated = Deactivated
agents-not-compliant = Not compliant
# $date: when the company's requirement starts for this agent.
agents-due = Due { $date }
agents-method-passkeys = { $count ->
    [one] Passkey
   *[other] { $count } passkeys
}
agents-method-app = App
agents-method-app-not-counted = App (does not count)
agents-method-email = Email
agents-method-email-not-counted = Email (does not count)
# Recovery codes left.
agents-method-codes = { $count ->
    [one] { $count } code
   *[other] { $count } codes
}
# $search: "yes" when a search is given; $count: the rows of the view;
# $first, $last, $total: the rows shown and the total, as shown.
agents-showing = { $search ->
    [yes] { $count ->
        [one] Showing the only matching agent.
       *[other] Showing { $first }–{ $last } of { $total } matching agents.
    }
   *[no] { $count ->
        [one] Showing the only agent.
       *[other] Showing { $first }–{ $last } of { $total } agents.
    }
}
agents-showing-none = No agents match.
agents-showing-past = This page is past the last one.
# A broad search: $count matches at least; only the first $shown are paged.
agents-showing-broad-past = { $count ->
    [one] At least { $total } agent matches; only the first { $shown } are listed. Refine the search to see the others.
   *[other] At least { $total } agents match; only the first { $shown } are listed. Refine the search to see the others.
}
agents-showing-broad = Showing { $first }–{ $last } of at least { $total } matching agents (only the first { $shown } are listed; refine the search to see the others).
agents-pages = Pages
agents-previous = Previous
agents-next = Next
agents-page-of = Page { $page } of { $pages }
# $cause: the mail server's own words.
agents-mail-warning = Email is not being delivered since { $since }: { $cause }
# The values after "use" are those of the address (not translated).
agents-error-two-factor-filter = Unknown two-factor filter: use enabled, pending, disabled, email_only, app, phishing_resistant or not_phishing_resistant.
agents-error-sort = Unknown sort: use name, email, role, two_factor, trusted_computers, last_login or status, with a leading - for descending.
agents-error-page = The page number must be a whole number from 1.
# The command line (agentgate seed-demo); --force is its option.
agents-seed-real-data = this database already holds a company; seed-demo is for demo and benchmark databases (pass --force to add the agents anyway)

### The CSV export: every time in UTC, written as ISO 8601.

agents-csv-last-login = Last login (UTC, ISO 8601)
agents-csv-email-codes = Email codes
agents-csv-app = Authenticator app
agents-csv-recovery-codes = Recovery codes left
agents-csv-passkeys = Passkeys
agents-csv-app-enabled = Enabled
agents-csv-app-disabled = Disabled

### One agent's page

agent-back = ← Agents
agent-added = Added
agent-invitation-open = Invitation sent; the link works until { $until }.
agent-invitation-expired = The invitation link has expired or was never sent: send a new one.
agent-resend-invitation = Resend invitation
agent-reset-two-factor = Reset two-factor authentication
agent-deactivate = Deactivate
agent-reactivate = Reactivate
agent-sessions-heading = Signed-in sessions
agent-sessions-none = Not signed in anywhere now.
agent-session-browser = Browser
agent-session-ip = IP address
agent-session-signed-in = Signed in
agent-session-last-seen = Last seen
agent-sign-out-everywhere = Sign out everywhere
agent-change-role = Change role
agent-role-help-self = This is you: if you make yourself an agent, you lose access to this tab.
# In the email to an agent whose 2FA an admin reset, in the agent's
# language: "{ $by } turned off two-factor authentication…" (email.ftl).
agent-reset-by = { $name }, an admin of { $company },

### Adding an agent

agent-new-lead = { $days ->
    [one] They are emailed a link, valid for { $days } day, to choose their password. Until then the Agents tab shows them as invited.
   *[other] They are emailed a link, valid for { $days } days, to choose their password. Until then the Agents tab shows them as invited.
}
agent-new-email-help = Their login name, and where the invitation and sign-in codes go.
agent-new-submit = Add agent and send invitation
agent-new-error-name = Name: { $error }
agent-new-error-email = Email: { $error }
agent-new-error-role = Role: choose Agent or Admin.
agent-error-role = Choose the role Agent or Admin.

### Confirming an action on an agent

agent-confirm-cancel = Cancel
agent-confirm-back = Back to the agent
agent-confirm-deactivate-title = Deactivate { $name }?
agent-confirm-reactivate-title = Reactivate { $name }?
agent-confirm-reset-two-factor-title = Reset two-factor authentication for { $name }?
agent-confirm-sign-out-everywhere-title = Sign { $name } out everywhere?
agent-confirm-deactivate-explanation = They will not be able to log in. Every session they have ends now, their trusted computers are forgotten, and an open invitation stops working. You can reactivate them later.
agent-confirm-reactivate-explanation = They will be able to log in again with their password. An agent who never chose a password needs a new invitation.
agent-confirm-reset-two-factor-explanation = Two-factor authentication is turned off for them and every computer they trusted is forgotten. They are emailed about it. If the company requires two-factor authentication, they must turn it on again at their next page. Use this when an agent lost access to their email codes.
agent-confirm-sign-out-everywhere-explanation = Every session they have ends now: each of their browsers goes to the login page at its next page. They stay active and can log in again with their password (and code). Use this for a lost or shared computer.

### Why an action on an agent was refused ($name: the agent's name)

agent-error-email-in-use = An account with that email address already exists.
agent-error-not-found = No such agent.
agent-error-last-admin = { $name } is the last active admin of the company. Make another agent an admin first.
agent-error-not-invited = { $name } has already chosen a password: there is no invitation to send.
agent-error-deactivated = { $name } is deactivated. Reactivate them first.
agent-error-two-factor-already-off = Two-factor authentication is already off for { $name }: there is nothing to reset.
agent-error-invitation-invalid = This invitation link is not valid any more: it was used, replaced by a newer one, or it expired. Ask your admin to send a new invitation.

### The company policy (on the Agents tab)

policy-heading = Company policy
policy-require = Require two-factor authentication for all agents
policy-require-help = Agents without it are taken to Account Setting to turn it on, and no other page opens until they have.
policy-require-help-you = That includes you: you have not turned it on yet.
policy-grace-label = Grace date (optional)
policy-grace-help = Until this date (UTC) agents without two-factor authentication (and admins without an authenticator app, when that is required) are only reminded; from it on, it is required.
policy-trusted-label = Longest a computer stays trusted
policy-trusted-never = Never trust a computer
policy-trusted-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
policy-trusted-help = { $count ->
    [one] This server allows at most { $count } day.
   *[other] This server allows at most { $count } days.
}
policy-factors-legend = Second factors allowed
policy-factors-all = Email codes, authenticator apps and passkeys
policy-factors-app = Authenticator apps and passkeys
policy-factors-passkey = Passkeys and security keys only
policy-factors-help = Factors left out no longer count as two-factor authentication: agents who have only those are not compliant when 2FA is required. Passkeys cannot be phished; emailed and app codes can be relayed by a fake login page.
policy-admins-app = Admins must use an authenticator app
policy-admins-app-help = Even when two-factor authentication is not required for all agents; a passkey also counts. Admins without one are taken to Account Setting to add one (after the grace date, if one is set).
policy-admins-passkey = Admins must use a passkey or security key (phishing-resistant)
policy-admins-passkey-help = Admins can see every agent's data: with this, only a passkey or a security key counts for them, the one factor a fake login page cannot relay.
policy-admins-code = Admins always enter a code
policy-admins-code-help = Trusted computers never skip the code for admins.
policy-idle-label = Sign out after inactivity (minutes)
policy-idle-help = { $count ->
    [one] Agents who open no page for this long must sign in again. Empty: this server's { $count } minute, also its limit.
   *[other] Agents who open no page for this long must sign in again. Empty: this server's { $count } minutes, also its limit.
}
policy-absolute-label = Sign out after (hours since sign-in)
policy-absolute-help = { $count ->
    [one] However active, agents sign in again this long after they signed in. Empty: this server's { $count } hour, also its limit. A shorter time applies to signed-in agents at once.
   *[other] However active, agents sign in again this long after they signed in. Empty: this server's { $count } hours, also its limit. A shorter time applies to signed-in agents at once.
}
policy-language-label = Default language
policy-language-help = The language of new agents and of their invitations.
policy-time-zone-label = Time zone
policy-time-zone-help = Agents who have not chosen a time zone see times in this one.
policy-save = Save policy
# Above the table: what the policy asks. $date: when it starts.
policy-line-required = Two-factor authentication is required for all agents.
policy-line-required-from = Two-factor authentication is required for all agents from { $date }.
policy-line-admins-passkey = Admins must use a passkey or security key.
policy-line-admins-passkey-from = Admins must use a passkey or security key from { $date }.
policy-line-admins-app = Admins must use an authenticator app or a passkey.
policy-line-admins-app-from = Admins must use an authenticator app or a passkey from { $date }.
policy-line-app-and-passkey = Only authenticator apps and passkeys count as second factors; emailed codes do not.
policy-line-passkey-only = Only passkeys and security keys count as second factors.
# $choices: policy-days-choices or policy-days-choice.
policy-error-trusted-days = Choose a trusted-computer period of { $choices }.
# "0, 7 or 30 days": $others are the first choices, comma-separated.
policy-days-choices = { $last ->
    [one] { $others } or { $last } day
   *[other] { $others } or { $last } days
}
policy-days-choice = { $last ->
    [one] { $last } day
   *[other] { $last } days
}
policy-error-grace-date = The grace date must be a date like 2026-12-31.
policy-error-session-idle = Sign out after inactivity must be a whole number of minutes from { $min } to { $max } (this server's limit), or empty for the server's setting.
policy-error-session-absolute = Sign out after must be a whole number of hours from 1 to { $max } (this server's limit), or empty for the server's setting.
policy-error-second-factors = Choose which second factors count: email codes, authenticator apps and passkeys; authenticator apps and passkeys; or passkeys only.
policy-error-language = Choose a default language from the list.
policy-error-time-zone = Choose a time zone from the list, such as Europe/Warsaw.

### The Activity page

activity-heading = Activity
# $zone: the reader's time zone ("UTC", "Europe/Warsaw").
activity-intro = Security events of your company's agents, newest first. Times are in { $zone }.
activity-filter-email = Agent email
activity-filter-event = Event
activity-filter-all-events = All events
activity-filter = Filter
activity-clear = Clear
activity-showing-agent = Showing the activity of { $name }.
activity-show-everyone = Show everyone
activity-no-agent = No agent of your company matches that filter.
activity-empty = No activity to show.
activity-empty-page = No activity to show on this page.
activity-page = Page { $page }
activity-column-time = Time
activity-column-event = Event
activity-column-outcome = Outcome
activity-column-agent = Agent
# Who did it.
activity-column-by = By
activity-column-ip = IP address
activity-column-browser = Browser
activity-column-detail = Detail
activity-success = Success
activity-failure = Failure
activity-pages = Pages
activity-newer = Newer
activity-older = Older
activity-another-company = (another company)
activity-event-other = Other
activity-error-event = That event filter is not one AgentGate records.

### The events of the audit log, as the Activity page names them

audit-event-login-succeeded = Signed in
audit-event-login-failed = Sign-in failed
audit-event-login-throttled = Sign-ins paused (too many failures)
audit-event-code-sent = Code sent
audit-event-code-accepted = Code accepted
audit-event-code-rejected = Code rejected
audit-event-code-lockout = Codes locked
audit-event-two-factor-enabled = 2FA enabled
audit-event-two-factor-disabled = 2FA disabled
audit-event-two-factor-reset = 2FA reset
audit-event-trusted-computer-added = Trusted computer added
audit-event-trusted-computer-forgotten = Trusted computer forgotten
audit-event-password-changed = Password changed
audit-event-password-reset-requested = Password reset requested
audit-event-password-reset-completed = Password reset
audit-event-email-changed = Email changed
audit-event-identity-check = Identity check
audit-event-session-ended = Session ended
audit-event-agent-added = Agent added
audit-event-agent-deactivated = Agent deactivated
audit-event-agent-reactivated = Agent reactivated
audit-event-invitation-sent = Invitation sent
audit-event-invitation-accepted = Invitation accepted
audit-event-role-changed = Role changed
audit-event-policy-changed = Policy changed
audit-event-access-refused = Access refused
audit-event-recovery-codes-generated = Recovery codes generated
audit-event-recovery-code-used = Recovery code used
