## Account Setting (/account/settings), its sections and the pages it leads
## to: authenticator app, recovery codes, passkeys, change of email address;
## the home page, and the two-factor reminder at the top of every page.
## A sentence with a link or bold words in it comes in pieces (-before, the
## link or bold words, -after), so each language can order its words.

account-title = Account Setting
account-lead = Your name, your password and how you sign in. Each section saves on its own.
account-back = Back to Account Setting
account-errors-intro = Nothing was changed. Please correct the following:

## Profile

account-profile-heading = Profile
account-name-label = Name
account-email-label = Email
account-email-help = Your login name, and where sign-in codes are sent.
account-email-change-link = Change email address
account-email-pending-before = A change to
account-email-pending-after = waits for the code we emailed there:
account-email-pending-link = enter the code
account-language-label = Language
account-time-zone-label = Time zone
# The first choice of the time zone list: no zone of the agent's own, the company's.
account-time-zone-company = Company default ({ $zone })
account-time-zone-help = Times on every page are shown in this zone.
# Shown by a script when the browser's zone is another one; { $zone } is an IANA name such as Europe/Warsaw.
account-time-zone-browser = Your browser is set to { $zone }.
account-time-zone-use = Use { $zone }
account-save-profile = Save profile

## Password

account-password-heading = Password
account-password-intro = Leave these empty to keep your password. Changing it signs out your other sessions.
account-step-up-before = With two-factor authentication on, changing your password or turning it off needs a code entered in { $count ->
    [one] the last minute
   *[other] the last { $count } minutes
}: you will be asked to
account-step-up-link = confirm it is you
# Follows the link directly: hence the quoted space.
account-step-up-after = {" "}first.
account-current-password-label = Current password
account-new-password-label = New password
account-new-password-help = At least 15 characters. A short phrase of several words is easy to remember and hard to guess. It cannot contain your email address, nor the part before the @ when that has 4 characters or more.
account-confirm-password-label = Confirm new password
account-change-password = Change password

## Other Settings: the second factors

account-other-heading = Other Settings
account-emailed-codes = Emailed codes
account-badge-on = On
account-badge-pending = Pending confirmation
account-badge-off = Off
account-two-factor-checkbox = Two factor authentication
account-two-factor-on-help = On: each login asks for a code emailed to { $email }. To turn it off, untick the box, enter your current password below and click Update.
account-two-factor-pending-before = Two-factor authentication is pending confirmation:
account-two-factor-pending-link = enter the code
account-two-factor-pending-after = we emailed to { $email } to turn it on.
account-two-factor-off-help = Off. To turn it on, tick the box and click Update: we email a code to { $email }, and once you enter it, each login asks for a code sent there.
account-two-factor-password-optional = (to turn it off)
account-update = Update
account-app-title = Authenticator app
account-app-on-help = Each login asks for the code your app shows.
account-app-on-help-with-email = Each login asks for the code your app shows; you can still ask for an emailed code instead.
account-app-manage = Manage authenticator app
account-app-off-help = Codes from an app on your phone (Google Authenticator, Microsoft Authenticator, 1Password …) are safer than emailed codes and work without your mailbox.
account-app-set-up = Set up an authenticator app
account-passkeys-title = Passkeys and security keys
account-passkeys-count = { $count ->
    [one] { $count } passkey
   *[other] { $count } passkeys
}
account-passkeys-on-help = Logins ask for your passkey first, and it can sign you in without a password.
account-passkeys-manage = Manage passkeys
account-passkeys-off-help = The safest second factor: a fake login page cannot steal it, and it can sign you in without a password.
account-passkeys-add = Add a passkey
account-recovery-title = Recovery codes
account-recovery-left = { $count ->
    [one] { $count } code left
   *[other] { $count } codes left
}: each signs you in once if you cannot get a code.
account-recovery-generate = Generate recovery codes
account-recovery-unavailable = Available once two-factor authentication, an authenticator app or a passkey is on.

## Recent sign-ins

account-sign-ins-heading = Recent sign-ins
account-sign-ins-help = The latest attempts to sign in to your account, newest first (at most { $count }). If you do not recognise one, change your password.
account-sign-ins-none = No sign-ins yet.
account-column-time = Time
account-column-result = Result
account-column-ip = IP address
account-column-browser = Browser
account-sign-in-succeeded = Signed in
account-sign-in-failed = Failed

## Trusted computers

account-trusted-heading = Trusted computers
account-trusted-none-before = No computer is trusted: every login with two-factor authentication asks for a code. To skip the code on a computer of yours, tick
account-trusted-box = I am on a trusted computer
account-trusted-none-after = when you enter a code on it.
account-trusted-intro = Logins to your account from these browsers skip the sign-in code. Forget any you do not recognise or no longer use: logging in there asks for a code again.
account-trusted-this = This computer
account-trusted-at = Trusted
account-trusted-at-value = { $time }, from IP address { $ip }
account-trusted-last-used = Last used
account-trusted-expires = Expires
account-trusted-forget = Forget
account-trusted-forget-label = Forget { $label }, trusted { $time }
account-trusted-forget-label-this = Forget { $label } (this computer), trusted { $time }
account-trusted-forget-all = Forget all

## What the form answers. { $error } is the field's own message.

account-error-no-field = The form had no field to update: open Account Setting and use one of its sections.
account-error-name = Name: { $error }
account-error-language = Language: choose one of the languages in the list.
account-error-time-zone = Time zone: choose one of the time zones in the list.
account-error-new-password-missing = New password: enter your current password, then the new one twice.
account-error-new-password = New password: { $error }
account-error-current-password = Current password: that is not your current password.
account-error-two-factor-required = Two factor authentication: { $company } requires it, so it stays on. To use an authenticator app instead, set the app up first.
account-error-two-factor-password = Two factor authentication: to turn it off, enter your current password.
account-confirm-expired = The confirmation code has expired. Choose Send a new code.

## Confirming two-factor authentication (/account/two-factor/confirm): the
## code page says "We emailed a 6-digit code to …" and then the purpose.

account-confirm-title = Confirm two-factor authentication
account-confirm-eyebrow = Pending confirmation
account-confirm-purpose = Enter it to turn two-factor authentication on.
account-confirm-nothing-waiting = No code is awaited.
account-confirm-submit = Confirm
account-confirm-resend = Send a new code
account-confirm-needs-new-code = Too many wrong codes were entered. Choose Send a new code.
account-confirm-links-note = (untick the box there to cancel)

## Signed-in sessions (Account Setting)

sessions-heading = Signed-in sessions
sessions-help = Every browser where you are signed in now. Sign out any you do not recognise, then change your password.
sessions-column-browser = Browser
sessions-column-ip = IP address
sessions-column-signed-in = Signed in
sessions-column-last-seen = Last seen
sessions-column-sign-out = Sign out
sessions-this-session = This session
sessions-sign-out = Sign out
sessions-sign-out-label = Sign out { $browser }, signed in { $time }
sessions-sign-out-label-this = Sign out { $browser }, signed in { $time } (this session)
sessions-sign-out-others = Sign out all other sessions

## Authenticator app (/account/authenticator)

authenticator-title = Authenticator app
authenticator-lead = Use an app such as Google Authenticator, Microsoft Authenticator, 1Password or Bitwarden. Once it is on, each login asks for the 6-digit code the app shows.
authenticator-scan = In the app, add an account and scan this QR code:
authenticator-cannot-scan = Cannot scan it? Choose to enter a key instead, and type this one (time-based):
authenticator-code-label = Enter the 6-digit code the app shows now
authenticator-code-help = This key is shown only while you set the app up; we keep it encrypted.
authenticator-turn-on = Turn on
authenticator-on-lead = An authenticator app is on for your account: each login asks for the code it shows. Its key is never shown again; to move to a new phone, remove the app here and set it up again.
authenticator-remove = Remove authenticator app
authenticator-error-empty = Enter the 6-digit code your app shows.
authenticator-error-format = The code has 6 digits (0 to 9). Check your authenticator app and try again.
authenticator-error-wrong = That code is not right. Check that your phone's clock is set automatically, then enter the code the app shows now.

## Recovery codes (/account/recovery-codes)

recovery-title = Recovery codes
recovery-app-on = Your authenticator app is on.
recovery-new-lead = If you lose your phone or cannot get your codes, each of these signs you in once instead of a code.
recovery-new-once = This is the only time they are shown.
recovery-new-keep = Download or print them and keep them somewhere safe, away from this computer.
recovery-download = Download (.txt)
recovery-print = Print
recovery-done = Done
recovery-left = { $count ->
    [one] { $count } recovery code is left
   *[other] { $count } recovery codes are left
}. Each signs you in once instead of a code; they are never shown again after they are made.
recovery-none = You have no recovery codes.
recovery-few = Only a few are left.
recovery-make-new = Make a new set now, so that losing your phone does not lock you out.
recovery-generate = Generate a new set
recovery-replaces = A new set of { $count } replaces the old one: codes you kept from before stop working.
recovery-no-factor-before = Recovery codes stand in for a second factor. Turn on two-factor authentication or an authenticator app in
# The link to Account Setting inside the sentence above.
recovery-no-factor-link = Account Setting
recovery-no-factor-after = first.
recovery-error-no-factor = Recovery codes stand in for a second factor: turn on two-factor authentication first.

## Passkeys and security keys (/account/passkeys)

passkeys-title = Passkeys and security keys
passkeys-lead = A passkey lives on your phone, computer or a security key (such as a YubiKey) and is unlocked with your fingerprint, face, PIN or screen lock. It works only on this site, so a fake login page cannot steal it. It can stand in for your password and code at login.
passkeys-none = You have no passkeys yet.
passkeys-caption = Your passkeys and security keys
passkeys-column-name = Name
passkeys-column-added = Added
passkeys-column-last-used = Last used
passkeys-column-actions = Actions
passkeys-remove = Remove
passkeys-remove-label = Remove { $name }
passkeys-add = Add a passkey
passkeys-name-label = Name
passkeys-name-placeholder = YubiKey 5, MacBook Touch ID …
passkeys-name-help = So you can tell your passkeys apart in this list.
passkeys-unsupported = This browser cannot create passkeys (it needs WebAuthn and JavaScript, at { $host }). Use a current Chrome, Edge, Firefox or Safari.
passkeys-max = You have { $count ->
    [one] { $count } passkey
   *[other] { $count } passkeys
}, the most an account may have. Remove one to add another.
passkeys-unavailable = Passkeys are not available on this server: its public address (AGENTGATE_PUBLIC_URL) must be a domain name, or localhost.
passkeys-no-ceremony = No passkey ceremony can start here.
passkeys-too-many-sign-ins = Too many passkey sign-ins were started from your network. Wait a few minutes.
# What static/passkeys.js says (from the form's data attributes). { $error } is
# the browser's own explanation; { $status } an HTTP status such as 409.
passkeys-js-already-registered = This passkey is registered to your account already.
passkeys-js-add-cancelled = Adding the passkey was cancelled or timed out. Try again when you are ready.
passkeys-js-add-failed = The passkey could not be added ({ $error }).
passkeys-js-sign-in-cancelled = Signing in with a passkey was cancelled. Try again, or use your email and password.
passkeys-js-sign-in-failed = The passkey could not be used ({ $error }).
passkeys-js-server-answered = the server answered { $status }

## Change of email address (/account/email)

email-change-title = Change email address
email-change-lead-before = You log in with
# Follows the current address directly (no space before it).
email-change-lead-after = , and your sign-in codes go there. We email a code to the new address; it replaces this one only when you enter that code. This address is then told, your other sessions end and your trusted computers are forgotten.
email-change-pending-before = A change to
email-change-pending-middle = already waits for its code:
email-change-pending-link = enter the code
# Follows the link directly (no space before it).
email-change-pending-after = , or ask for another address below.
email-change-new-label = New email address
email-change-submit = Email me a code
email-change-error-new = New email address: { $error }
email-change-error-password-missing = Current password: enter it to change your email address.
email-change-in-use = Another account started using that address meanwhile, so your address was not changed. Choose a different one.
email-change-nothing-waiting = No change of address is waiting for a code any more (it expired, or was cancelled or replaced). Start again.

## Confirming the new address (/account/email/confirm)

email-change-confirm-title = Confirm your new email address
email-change-confirm-eyebrow = Pending confirmation
email-change-confirm-purpose = Enter it to make it your login and the address your codes go to.
email-change-confirm-nothing-waiting = No change of address is waiting for a code.
email-change-confirm-submit = Change my email address
email-change-confirm-resend = Send a new code
email-change-confirm-needs-new-code = Too many wrong codes were entered, so this code no longer works. Choose Send a new code.
email-change-confirm-keep = Keep my current address
email-change-confirm-use-another = Use another address

## Home (/)

home-title = Home
home-welcome = Welcome, { $name }
home-recovery-low = { $count ->
    [0] You have no recovery codes
    [one] Only { $count } recovery code is left
   *[other] Only { $count } recovery codes are left
}: if you lose your phone or mailbox, they are how you sign in.
home-account-heading = Your account
home-signed-in-as = Signed in as
home-role = Role
home-role-admin = Admin
home-role-agent = Agent
home-company = Company
home-two-factor = Two-factor authentication
home-two-factor-enabled = Enabled
home-two-factor-pending = Pending
home-two-factor-disabled = Disabled
# After the badge: "Enabled with a passkey and emailed codes".
home-methods = with { $methods }
home-method-passkeys = { $count ->
    [one] a passkey
   *[other] { $count } passkeys
}
home-method-app = an authenticator app
home-method-email = emailed codes
# The last two methods of the list ("a passkey, an authenticator app and emailed codes").
home-methods-and = { $rest } and { $last }
home-turn-on = Turn it on
home-team-heading = Your team
home-team-text = See every agent of { $company }, who has two-factor authentication turned on, and add new agents.
home-agents = Agents
home-trust-code-skipped = You were not asked for a code because this computer is trusted for your account until { $time }. You can forget it in Account Setting.
home-trust-computer-trusted = This computer is now trusted for your account: logins here skip the code until { $time }. You can forget it in Account Setting.

## The reminder at the top of every page while the company's two-factor
## requirement is not met. { $date } is the grace date ("6 December 2026").

reminder-grace-any = { $company } requires two-factor authentication from { $date }. Turn it on in Account Setting before then.
reminder-grace-app-or-passkey = { $company } requires an authenticator app or a passkey from { $date }. Add one in Account Setting before then.
reminder-grace-passkey = { $company } requires a passkey or security key from { $date }. Add one in Account Setting before then.
reminder-enforced-any = { $company } requires two-factor authentication. Turn it on below and confirm it with the code we email you, or set up an authenticator app or a passkey; the other pages open once it is on.
reminder-enforced-app-or-passkey = { $company } requires an authenticator app or a passkey. Add one below; the other pages open once it is on.
reminder-enforced-passkey = { $company } requires a passkey or security key. Add one below; the other pages open once it is on.
