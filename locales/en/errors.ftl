## Error pages.

error-status = Error { $status }
error-quote-request-id = If you report this, quote the request id
error-go-to-start = Go to the start page
error-go-to-login = Go to the login page
error-request-new-link = Request a new link
error-bad-request = Bad request
error-link-not-valid = This link no longer works
error-access-denied = Access denied
error-not-found = Page not found
error-not-found-message = The page you asked for does not exist.
error-too-large = Request too large
error-too-large-message = That request was too large.
error-too-many-requests = Too many attempts
error-sign-in-required = Sign in required
error-confirm-identity = Confirm it is you
error-two-factor-required = Two-factor authentication required
error-unavailable = Temporarily unavailable
error-unavailable-message = AgentGate cannot reach its database right now. Please try again in a moment.
error-internal = Something went wrong
error-internal-message = An unexpected error happened. It has been logged; please try again.
error-csrf-rejected = This form has expired or did not come from AgentGate. Go back, reload the page and try again.
error-forbidden-message = You do not have access to this page.
download-busy = Another large download is running on this server. Try again in a few seconds.
