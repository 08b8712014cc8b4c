## What a form, a field or an authentication step refuses, and why.

validation-correct-following = Please correct the following:
# A field's label and what is wrong with it: "Company name: Enter a name."
validation-field = { $field }: { $error }
validation-password-needs-email = Enter a valid email address first; the password is checked against it.
validation-form-unreadable = The form could not be read.
validation-form-malformed = The form was incomplete or malformed. Go back and try again.
validation-form-invalid-text = The form contained characters that are not valid text.
validation-code-empty = Enter the 6-digit code from the email.
validation-code-malformed = The code has 6 digits (0 to 9). Check the email and try again.
validation-email-empty = Enter an email address.
validation-email-too-long = That email address is too long.
validation-email-invalid = Enter a valid email address, like { $example }.
validation-name-empty = Enter a name.
validation-name-too-long = That name is too long (at most { $max } characters).
validation-name-control = Names cannot contain control characters.
validation-name-invisible = Names cannot contain invisible or direction-changing characters.
validation-name-nothing-visible = Enter a name with at least one visible character.
validation-password-too-short = Use at least { $min } characters. A short phrase of several words works well.
validation-password-too-long = Use at most { $max } characters.
validation-password-common = That password is one of the most common passwords. Choose another.
validation-password-product-name = The password cannot contain the product name.
validation-password-email = The password cannot contain your email address.
validation-password-email-name = The password cannot contain “{ $name }”, the part of your email address before the @.
validation-password-mismatch = The two new passwords do not match.
validation-password-control = The password cannot contain control characters such as line breaks or tabs (they cannot be typed into a password field).
validation-recovery-code = A recovery code has 24 letters and digits, in groups like { $example }.
validation-search-too-long = The search is too long (at most { $max } characters).
validation-search-too-many-words = The search has too many words (at most { $max }).
validation-search-control = The search cannot contain control characters.

## Refusals of the authentication steps.

auth-email-in-use = An account with that email address already exists.
auth-unknown-email = No agent has that email address.
auth-setup-closed = This setup link is not valid any more. AgentGate is already set up; log in instead.
auth-app-none = There is no authenticator app on your account.
auth-app-last-factor = Your company requires two-factor authentication, and the app is your only second factor. Turn on emailed codes first, or ask an admin.
auth-email-unchanged = That is already your email address.
auth-email-taken = Another account already uses that email address. Choose a different one.
# A wait, after "try again in": "a minute", "12 minutes".
auth-wait-minutes = { $count ->
    [one] a minute
   *[other] { $count } minutes
}
auth-login-throttled = Too many failed login attempts. To protect the account, logging in is paused: try again in { $wait }. If you forgot your password, ask for a reset instead of guessing.
auth-limit-email-change = You asked to change your email address too many times lately. You can try again in { $wait }.
auth-limit-password-reset = Too many password reset emails were asked for lately. To protect mailboxes from floods, you can ask again in { $wait }. A link that already arrived still works.
auth-limit-invitation = Too many invitation emails were sent lately. To protect mailboxes from floods, you can send another in { $wait }.
auth-passkey-expired = That took too long, or the page was used twice. Try adding the passkey again.
auth-passkey-failed = The passkey could not be verified. Try again, or use another passkey or security key.
auth-passkey-registered = That passkey is registered already.
auth-passkey-too-many = You have the most passkeys an account may have ({ $max }). Remove one first.
auth-passkey-not-found = There is no such passkey on your account.
auth-passkey-last-factor = Your company requires two-factor authentication, and this passkey is your only second factor. Add another first, or ask an admin.
auth-reset-link-not-valid = This password reset link has expired or was already used. Ask for a new one.
auth-trust-not-allowed = Your company does not allow trusted computers, so every login asks for a code.
auth-trust-admins-enter-code = Your company asks admins to enter a code at every login, so this computer cannot be trusted to skip it.

## The downloaded file of recovery codes (plain text).

auth-recovery-file-title = AgentGate recovery codes for { $account }
auth-recovery-file-made = Made { $time }. Each code works once; a new set voids these.
auth-recovery-file-keep = Keep them somewhere safe, away from your computer.
