// Passkeys and security keys (WebAuthn) for the forms marked data-passkey
// (templates/passkeys.html, code_page.html, login.html). The server starts
// each ceremony (a POST with the form's CSRF token answers the options as
// JSON) and judges the answer, which goes back in the form's hidden fields
// `ceremony` and `credential`: every change stays an ordinary form post.
// Without WebAuthn (or on a page not served from the relying party id) the
// passkey buttons stay hidden and the [data-passkey-unsupported] notes show.
// What it says comes from the form's data-message-* attributes, which the page
// fills from the catalogue in the reader's language ({error} and {status} in
// them stand for the browser's explanation and the server's status).
// A file of its own: the CSP allows no inline script.
(() => {
  "use strict";

  const supported = typeof window.PublicKeyCredential === "function" && !!navigator.credentials;

  // base64url (unpadded, as webauthn-rs writes it) <-> bytes.
  const bytes = (text) => {
    const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
    return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)).buffer;
  };
  const text = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

  // Options without their null members (a browser refuses null for an optional list).
  const withoutNulls = (value) => JSON.parse(JSON.stringify(value, (_, v) => (v === null ? undefined : v)));

  const creationOptions = (json) => {
    const o = withoutNulls(json.publicKey);
    o.challenge = bytes(o.challenge);
    o.user.id = bytes(o.user.id);
    o.excludeCredentials = (o.excludeCredentials || []).map((c) => ({ ...c, id: bytes(c.id) }));
    return o;
  };

  const requestOptions = (json) => {
    const o = withoutNulls(json.publicKey);
    o.challenge = bytes(o.challenge);
    o.allowCredentials = (o.allowCredentials || []).map((c) => ({ ...c, id: bytes(c.id) }));
    return o;
  };

  const registrationJson = (credential) => ({
    id: credential.id,
    rawId: text(credential.rawId),
    type: credential.type,
    response: {
      attestationObject: text(credential.response.attestationObject),
      clientDataJSON: text(credential.response.clientDataJSON),
    },
  });

  const assertionJson = (credential) => ({
    id: credential.id,
    rawId: text(credential.rawId),
    type: credential.type,
    response: {
      authenticatorData: text(credential.response.authenticatorData),
      clientDataJSON: text(credential.response.clientDataJSON),
      signature: text(credential.response.signature),
      userHandle: credential.response.userHandle ? text(credential.response.userHandle) : null,
    },
  });

  // Starts a ceremony on the server: { ceremony, options }.
  const start = async (form) => {
    const body = new URLSearchParams({ csrf_token: form.elements.csrf_token.value });
    const response = await fetch(form.dataset.optionsUrl, { method: "POST", body, credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(message(form, "server", { status: response.status }));
    return response.json();
  };

  const answer = (form, ceremony, credential) => {
    form.elements.ceremony.value = ceremony;
    form.elements.credential.value = credential ? JSON.stringify(credential) : "";
    form.submit();
  };

  // The form's message `name` (data-message-name), with its {placeholders} filled.
  const message = (form, name, values = {}) => {
    const key = `message${name.charAt(0).toUpperCase()}${name.slice(1).replace(/-(.)/g, (_, c) => c.toUpperCase())}`;
    const template = form.dataset[key] || "";
    return template.replace(/\{(\w+)\}/g, (whole, placeholder) => (placeholder in values ? String(values[placeholder]) : whole));
  };

  const say = (form, text) => {
    const status = form.querySelector("[data-passkey-status]");
    if (status) {
      status.textContent = text;
      status.hidden = false;
    }
  };

  const cancelled = (error) => error && (error.name === "NotAllowedError" || error.name === "AbortError");

  const servedFromRelyingParty = (form) => {
    const rp = form.dataset.rpId;
    return location.hostname === rp || location.hostname.endsWith(`.${rp}`);
  };

  // Adding a passkey in Account Setting.
  const register = (form) => {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const started = await start(form);
        const credential = await navigator.credentials.create({ publicKey: creationOptions(started.options) });
        answer(form, started.ceremony, registrationJson(credential));
      } catch (error) {
        if (error && error.name === "InvalidStateError") say(form, message(form, "already-registered"));
        else if (cancelled(error)) say(form, message(form, "cancelled"));
        else say(form, message(form, "failed", { error: error && error.message }));
      }
    });
  };

  // The login's second step: a failed or cancelled ceremony is sent too,
  // and counts like a wrong code.
  const secondFactor = (form) => {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      let ceremony = "";
      try {
        const started = await start(form);
        ceremony = started.ceremony;
        const credential = await navigator.credentials.get({ publicKey: requestOptions(started.options) });
        answer(form, ceremony, assertionJson(credential));
      } catch (_) {
        answer(form, ceremony, null);
      }
    });
  };

  // Passwordless sign-in on the login page: the button, and the browser's
  // passkey autofill on the email field (conditional mediation).
  const signIn = (form) => {
    let autofill = null;
    const offerAutofill = async () => {
      if (!PublicKeyCredential.isConditionalMediationAvailable || !(await PublicKeyCredential.isConditionalMediationAvailable())) return;
      autofill = new AbortController();
      const signal = autofill.signal;
      try {
        const started = await start(form);
        const credential = await navigator.credentials.get({ publicKey: requestOptions(started.options), mediation: "conditional", signal });
        answer(form, started.ceremony, assertionJson(credential));
      } catch (_) {
        // Dismissed or replaced by the button: nothing to say.
      }
    };
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (autofill) autofill.abort();
      try {
        const started = await start(form);
        const credential = await navigator.credentials.get({ publicKey: requestOptions(started.options) });
        answer(form, started.ceremony, assertionJson(credential));
      } catch (error) {
        say(form, cancelled(error) ? message(form, "cancelled") : message(form, "failed", { error: error && error.message }));
      }
    });
    offerAutofill();
  };

  const flows = { register, "second-factor": secondFactor, "sign-in": signIn };
  document.querySelectorAll("form[data-passkey]").forEach((form) => {
    if (!supported || !servedFromRelyingParty(form)) return;
    form.querySelectorAll("[data-passkey-unsupported]").forEach((note) => { note.hidden = true; });
    form.querySelectorAll("[data-passkey-button]").forEach((button) => { button.hidden = false; });
    flows[form.dataset.passkey](form);
  });
})();
