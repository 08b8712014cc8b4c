## The pages before and around signing in: login, the code pages, confirming
## identity, passwords, first-run setup, invitations, the development
## mailbox, and the notices shown after a redirect.

## Login.

login-title = Log in
login-heading = Log in
login-lead = Use the email address and password of your AgentGate account.
login-email-label = Email
login-password-label = Password
login-submit = Log In
login-passkey-button = Sign in with a passkey
login-forgot-password = Forgot your password?
login-no-account = No account yet? Your company's AgentGate admin adds you and emails you an invitation.
login-failed = That email and password do not match an active account.

## The code pages (the login's second step, confirming identity; the account
## pages' code pages use the same template).

code-step-2-of-2 = Step 2 of 2
code-lead-passkey = Use your passkey or security key: your browser asks you to touch the key, or to unlock your phone or computer. { $purpose }
code-lead-app = Open your authenticator app and enter the 6-digit code it shows for AgentGate. { $purpose }
code-lead-recovery = Enter one of the recovery codes you saved when you turned on two-factor authentication. { $purpose } Each code works once.
# Followed by the masked address in bold and a full stop.
code-emailed-to = We emailed a 6-digit code to
# Followed by the masked address in bold and a full stop.
code-can-email-to = We can email a 6-digit code to
code-lifetime = A code works for { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.
code-trusted-label = I am on a trusted computer
code-trusted-help-passkey = Later logins to your account from this browser skip the second step for { $days ->
    [one] { $days } day
   *[other] { $days } days
}. Only tick this on a computer that is yours, never on a shared or public one.
code-trusted-help = Later logins to your account from this browser skip the code for { $days ->
    [one] { $days } day
   *[other] { $days } days
}. Only tick this on a computer that is yours, never on a shared or public one.
code-passkey-unsupported = This browser cannot use passkeys here (it needs WebAuthn and JavaScript). Choose another way below.
code-passkey-submit = Use your passkey
code-recovery-label = Recovery code
code-recovery-help = Like { $example }; hyphens and spaces are fine.
code-app-label = Code from your app
code-label = Code
code-help = Spaces and dashes in a pasted code are fine.
code-email-me = Email me a code
code-other-ways = Other ways to sign in:
code-email-me-instead = Email me a code instead
code-use-passkey = Use your passkey or security key
code-use-app = Use your authenticator app
code-use-recovery = Use a recovery code
code-wait-not-sent-at = No new code was sent: too many codes went to your address lately. You can ask for one at { $time }.
code-wait-not-sent = No new code was sent: too many codes went to your address lately. You can ask for one 15 minutes after the first of them.
code-wait-cooldown = A code was sent moments ago: you can ask for another in { $seconds ->
    [one] { $seconds } second
   *[other] { $seconds } seconds
}.
code-app-empty = Enter the 6-digit code your authenticator app shows.
code-app-malformed = The code has 6 digits (0 to 9). Check your authenticator app and try again.
code-passkey-cancelled = The passkey sign-in was cancelled or did not finish.
code-recovery-wrong = That recovery code is not right, or was used already.
code-passkey-wrong = Your passkey could not be verified: use a passkey registered to this account.
code-wrong = That code is not right.
code-attempts-left = { $count ->
    [one] { $count } attempt left.
   *[other] { $count } attempts left.
}
code-dead-login = Too many wrong codes were entered for this login. Log in again to start over.
code-refused-cooldown = A code was sent moments ago. You can ask for another in { $seconds ->
    [one] { $seconds } second
   *[other] { $seconds } seconds
}; the earlier code still works.
code-refused-too-many = Too many codes were sent to your address lately. You can ask for another in { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}; codes already sent still work.
code-refused-locked = Sign-in codes are locked for this account after too many wrong codes.
code-refused-network = Too many codes were asked for from your network lately. You can ask for another in { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}; codes already sent still work.
code-locked-until = Too many wrong codes were entered for this account, so sign-in codes are locked until { $time }. We emailed you about it. If you did not enter them, change your password.
# { $forgot } is the login page's link, login-forgot-password.
code-locked-until-reset = Too many wrong codes were entered for this account, so sign-in codes are locked until the password is reset. Use "{ $forgot }" on the login page, or ask an admin to reset your two-factor authentication.

## The login's code step.

code-login-title = Two-factor authentication
code-login-purpose = Enter it to finish logging in.
code-login-nothing-waiting = No login is waiting for a code.
code-login-resend = Resend code
code-login-resend-help = No email after a minute? Check your spam folder, or:
code-login-needs-new-code = Too many wrong codes were entered for this login, so its codes no longer work. Choose Resend code to get a new one.
code-login-other-account = Log in with another account

## Confirm it is you (step-up re-authentication).

confirm-identity-title = Confirm it is you
confirm-identity-step-1 = Step 1 of 2
confirm-identity-lead-password = Changing your password or email address, turning two-factor authentication off, or resetting an agent's two-factor authentication needs your password, entered in the last { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.
confirm-identity-lead-passkey = Changing your password or email address, turning two-factor authentication off, or resetting an agent's two-factor authentication needs your password and your passkey or security key, used in the last { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.
confirm-identity-lead-app = Changing your password or email address, turning two-factor authentication off, or resetting an agent's two-factor authentication needs your password and a code from your authenticator app, entered in the last { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.
# Followed by the masked address in bold, then confirm-identity-lead-email-end.
confirm-identity-lead-email = Changing your password or email address, turning two-factor authentication off, or resetting an agent's two-factor authentication needs your password and a code we email to
confirm-identity-lead-email-end = , entered in the last { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.
confirm-identity-current-password = Current password
confirm-identity-continue = Continue
confirm-identity-confirm = Confirm
confirm-identity-back = Back to Account Setting
confirm-identity-wrong-password = That is not your current password.
confirm-identity-purpose = Enter it to continue.
confirm-identity-nothing-waiting = No code is awaited. Start again with your password.
confirm-identity-resend = Send a new code
confirm-identity-needs-new-code = Too many wrong codes were entered, so this code no longer works. Choose Send a new code.

## Forgot password and the reset link.

password-forgot-title = Forgot your password?
password-forgot-sent = If an account uses that address, we have emailed it a link to choose a new password. The link works once, for { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.
password-forgot-no-email = No email after a few minutes? Check your spam folder, or ask your admin.
password-forgot-lead = Enter the email address you log in with. We will email you a link to choose a new password.
password-forgot-submit = Email me a link
password-back-to-login = Back to the login page
password-reset-title = Choose a new password
# Followed by the address in bold and a full stop.
password-reset-for = For
password-reset-lead = Your other sessions will be signed out. With two-factor authentication on, logging in still asks for a code.
password-new-label = New password
password-repeat-new-label = Repeat the new password
password-reset-submit = Set the new password
password-help = At least 15 characters. A short phrase of several words is easy to remember and hard to guess. It cannot contain your email address, nor the part before the @ when that has 4 characters or more.
password-repeat-label = Repeat the password

## First-run setup.

setup-title = Set up AgentGate
setup-eyebrow = First run
setup-lead = Create your company and its first admin account. This page works once: afterwards, admins add agents from the Agents tab.
setup-company-label = Company name
setup-name-label = Your name
setup-email-help = You log in with it; sign-in codes are sent to it.
setup-submit = Create company
setup-link-hint = AgentGate is not set up yet. When the server started it printed a setup link ({ $link }) in its console and log: open that link to create your company and its first admin. Restarting the server prints a new one.

## The invitation link.

invitation-title = Choose your password
invitation-eyebrow = Invitation
invitation-heading = Welcome, { $name }
invitation-lead = Choose a password to sign in to the { $company } helpdesk.
# Followed by the address in bold and a full stop.
invitation-login-name = Your login name is
invitation-submit = Set password

## The development mailbox.

dev-mailbox-title = Mailbox (development)
dev-mailbox-eyebrow = Development
dev-mailbox-heading = Mailbox
# Followed by the setting in parentheses and a full stop.
dev-mailbox-lead = Every email AgentGate sent, newest first, kept in the database instead of being delivered
dev-mailbox-warning = Anyone who can open this page can read every code. Configure SMTP before anyone else uses this server.
dev-mailbox-filter-label = Only emails to
dev-mailbox-filter = Filter
dev-mailbox-empty = No email yet.
dev-mailbox-entry-label = Email to { $recipient }
# Before the recipient's address: "14:05 · to ada@acme.test · …".
dev-mailbox-to = to
dev-mailbox-message = Message

## Notices shown after a redirect.

notice-setup-done = Your company is ready. Log in with the email and password you just chose.
notice-logged-out = You have been logged out.
notice-saved = Your settings were updated.
notice-password-changed = Your password was changed. Your other sessions have been signed out.
notice-invitation-accepted = Your password is set. Log in with your email address and the password you just chose.
notice-login-expired = Your login took too long and was forgotten. Enter your email and password again.
notice-code-resent = A new code is on its way. Earlier codes still work until they expire.
notice-code-not-sent = Too many codes were sent to your address lately, so no new one was sent. Wait a few minutes, then choose to send a new code.
notice-confirmation-sent = We emailed you a code. Enter it here to turn on two-factor authentication.
notice-two-factor-enabled = Two-factor authentication is on. Each login will now ask for a code sent to your email.
notice-two-factor-disabled = Two-factor authentication is off. We emailed you about the change.
notice-authenticator-added = Your authenticator app is on. Each login will now ask for the code it shows.
notice-authenticator-removed = The authenticator app was removed. We emailed you about the change.
notice-passkey-added = Your passkey was added. Logins can now use it, with or without your password.
notice-passkey-removed = The passkey was removed. We emailed you about the change.
notice-passkey-failed = That passkey did not sign you in. Use your email and password, or try the passkey again.
notice-passkey-expired = Signing in with the passkey took too long. Try again.
notice-two-factor-cancelled = Two-factor authentication was not turned on.
notice-trusted-computer-forgotten = That computer is forgotten: logging in from it asks for a code again.
notice-trusted-computers-forgotten = All your trusted computers are forgotten: every login asks for a code again.
notice-password-reset = Your password was changed and your sessions were signed out. Log in with the new password.
notice-step-up-expired = Confirming it is you took too long, or was started again elsewhere. Enter your password again.
notice-email-code-sent = We emailed a code to the new address. Enter it here to make the change.
notice-email-changed = Your email address was changed: log in with the new one from now on. We told the old address, signed out your other sessions and forgot your trusted computers.
notice-email-change-cancelled = Your email address was not changed.
notice-invited = The agent was added and emailed an invitation link, valid for 7 days.
notice-invitation-resent = A new invitation link was emailed. The previous link no longer works.
notice-deactivated = The agent was deactivated: their sessions ended and their trusted computers were forgotten.
notice-reactivated = The agent was reactivated and can log in again.
notice-two-factor-reset = Two-factor authentication was reset: it is off, their trusted computers were forgotten, and they were emailed.
notice-role-changed = The role was changed.
notice-policy-saved = The company policy was saved.
notice-session-signed-out = That session is signed out: the next page opened in it goes to the login page.
notice-other-sessions-signed-out = Your other sessions are signed out. This one stays signed in.
notice-signed-out-everywhere = The agent is signed out everywhere: each of their browsers goes to the login page at its next page.
