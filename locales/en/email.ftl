## Emails. Every email greets, says what happened, when and from which
## browser, and what to do if it was not the reader.

email-hello = Hello { $name },
email-context = This happened on { $at } from { $browser } (IP address { $ip }).
email-or-open = Or open { $url }
email-open-account-setting = Open Account Setting
email-reset-your-password = Reset your password
email-not-you-change-password = If this was not you, change your password now: whoever did it knows it.
email-not-you-remove-passkey = If this was not you, remove that passkey in Account Setting now, and tell your admin.

## The code emails.

email-code-validity = The code works for { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}, until { $expires }, and only once.
email-code-requested = Requested on { $at } from { $browser } (IP address { $ip }).
email-code-not-you-lead = If this was not you
email-code-not-you-rest = , someone knows your password: change your password now at
email-code-never-share = Never give this code to anyone; AgentGate staff will never ask for it.
email-code-unrequested = If you did not ask for this, ignore this email: nothing changes unless the code is entered. Never give this code to anyone.
email-login-code-subject = AgentGate sign-in code: { $code }
email-login-code-heading = Your sign-in code
email-login-code-intro = Someone entered your password on the AgentGate login page. To finish logging in, enter this code:
email-confirm-code-subject = AgentGate confirmation code: { $code }
email-confirm-code-heading = Confirm two-factor authentication
email-confirm-code-intro = You asked to turn on two-factor authentication. To confirm that this address receives your codes, enter this code in Account Setting:
email-identity-code-subject = AgentGate security code: { $code }
email-identity-code-heading = Confirm it is you
email-identity-code-intro = You are about to change a security setting of your AgentGate account (your password, your email address or two-factor authentication). To confirm it is you, enter this code:
email-change-code-subject = AgentGate email change code: { $code }
email-change-code-heading = Confirm your new email address
email-change-code-intro = You asked to use this address for your AgentGate account. To confirm that it receives your mail, enter this code in AgentGate; the address changes only then:

## Security notices.

email-codes-locked-subject = AgentGate: sign-in codes locked for your account
email-codes-locked-reset-subject = AgentGate: sign-in codes locked until your password is reset
email-codes-locked-title = Too many wrong sign-in codes
email-codes-locked-until = { $count } wrong sign-in codes in a row were entered for your account, so no code will be sent or accepted until { $until }.
email-codes-locked-until-reset = { $count } wrong sign-in codes in a row were entered for your account, so no code will be sent or accepted until your password is reset or an admin resets your two-factor authentication.
email-codes-locked-password-was-right = Each of those attempts began with your correct password.
email-codes-locked-warning = Change your password now: whoever entered those codes knows it.
email-under-attack-subject = AgentGate: failed sign-ins to your account from new browsers
email-under-attack-title = Someone may be guessing your password
email-under-attack-count = { $count } failed sign-ins to your account from browsers you have not signed in on came since { $since }.
email-under-attack-paused = Sign-ins from new browsers are paused for a while. Browsers where you signed in before are not affected: you can keep working as usual.
email-under-attack-warning = If your password is weak or used elsewhere, change it now.
email-abandoned-subject = AgentGate: your password was used but no code followed
email-abandoned-title = Your password was entered, but the sign-in was not finished
email-abandoned-what = Someone entered your correct password on the AgentGate login page, and no sign-in code was entered afterwards.
email-abandoned-ignore = If you started a login and gave up, you can ignore this email.
email-2fa-on-subject = AgentGate: two-factor authentication is on
email-2fa-on-title = Two-factor authentication is on
email-2fa-on-what = From now on, each login asks for a code sent to this address.
email-2fa-off-subject = AgentGate: two-factor authentication was turned off
email-2fa-off-title = Two-factor authentication was turned off
email-2fa-off-what = Two-factor authentication was turned off for your account. Logins now need only your password.
email-app-added-subject = AgentGate: an authenticator app was added to your account
email-app-added-title = An authenticator app was added
email-app-added-what = From now on, each login asks for the code your authenticator app shows.
email-app-removed-subject = AgentGate: the authenticator app was removed from your account
email-app-removed-title = The authenticator app was removed
email-app-removed-what = Logins no longer accept codes from that app.
email-passkey-added-subject = AgentGate: a passkey was added to your account
email-passkey-added-title = A passkey was added
email-passkey-added-what = The passkey or security key "{ $name }" can now sign you in to AgentGate.
email-passkey-removed-subject = AgentGate: a passkey was removed from your account
email-passkey-removed-title = A passkey was removed
email-passkey-removed-what = The passkey or security key "{ $name }" no longer signs you in to AgentGate.
email-passkey-sign-in-subject = AgentGate: you signed in with a passkey on a new browser
email-passkey-sign-in-title = Signed in with a passkey
email-passkey-sign-in-what = Your passkey "{ $name }" signed you in, without a password, on a browser you had not used for AgentGate before.
email-recovery-made-subject = AgentGate: new recovery codes for your account
email-recovery-made-title = New recovery codes were made
email-recovery-made-what = A new set of 10 recovery codes was made for your account. Codes of earlier sets no longer work.
email-recovery-used-subject = AgentGate: a recovery code was used to sign in
email-recovery-used-title = A recovery code was used
email-recovery-used-what = A recovery code was used to sign in to your account. Each code works once.
email-recovery-used-left = { $left ->
    [0] No recovery codes are left: make a new set in Account Setting now.
    [one] { $left } recovery code is left.
    [2] { $left } recovery codes are left: make a new set in Account Setting soon.
    [3] { $left } recovery codes are left: make a new set in Account Setting soon.
   *[other] { $left } recovery codes are left.
}
email-2fa-reset-subject = AgentGate: your two-factor authentication was reset
email-2fa-reset-title = Your two-factor authentication was reset
email-2fa-reset-what = { $by } turned off two-factor authentication for your account on { $at }, and your trusted computers were forgotten.
email-2fa-reset-again = Turn it on again in Account Setting.
email-2fa-reset-warning = If you did not ask for this, tell your admin.
email-trusted-subject = AgentGate: a new trusted computer was added
email-trusted-title = A new trusted computer was added
email-trusted-what = { $browser } was marked as a trusted computer for your account, after your password and a sign-in code were entered on it.
email-trusted-until = Logins to your account from that browser skip the sign-in code until { $until }. Every other browser and device still asks for one.
email-trusted-warning = If this was not you, forget that computer in Account Setting (Trusted computers) and change your password: whoever did it knows it and could read your code.
email-trusted-review = Review your trusted computers
email-password-changed-subject = AgentGate: your password was changed
email-password-changed-title = Your password was changed
email-password-changed-what = The password of your AgentGate account was changed. Your other sessions were signed out and your trusted computers forgotten.
email-password-changed-warning = If this was not you, reset your password now and tell your admin.
email-address-changed-subject = AgentGate: your email address was changed
email-address-changed-title = Your email address was changed
email-address-changed-what = The email address of your AgentGate account was changed from this one to { $address }. Sign-in codes and notices now go there, and you log in with it.
email-address-changed-signed-out = Your other sessions were signed out and your trusted computers forgotten.
email-address-changed-warning = If this was not you, tell your admin at once: whoever did it knows your password and now receives your codes.
email-reset-subject = AgentGate: reset your password
email-reset-title = Reset your password
email-reset-what = Someone asked to reset the password of your AgentGate account. The link below works once, for { $minutes } minutes.
email-reset-still-code = With two-factor authentication on, logging in afterwards still asks for a code.
email-reset-warning = If this was not you, ignore this email: your password stays as it is.
email-reset-link = Choose a new password
email-invitation-subject = You are invited to the { $company } helpdesk on AgentGate
email-invitation-title = Choose your password
email-invitation-what = { $inviter } invited you to sign in to the { $company } helpdesk with AgentGate. Your login name is { $email }.
email-invitation-until = Choose your password with the link below. It works once, until { $until }.
email-invitation-warning = If you did not expect this invitation, you can ignore this email.
email-invitation-link = Choose your password
email-check-subject = AgentGate test email
email-check-title = Email from AgentGate works
email-check-what = This test email was sent by `agentgate check-mail` through { $transport }.
email-check-same-way = Sign-in codes, invitations and security notices reach agents the same way.
email-2fa-reset-by-cli = An administrator (from the server's command line)
