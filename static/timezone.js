// Account Setting's time zone (templates/account_settings.html): when the
// browser's own zone is another than the one chosen (or the company's, for
// "Company default"), a hint under the list names it, with a button that
// chooses it; saving stays the form's Save profile. The words come from the
// hint's data-browser-zone-* attributes, which the page fills from the
// catalogue ({zone} in them stands for the zone). Without this file the
// list works as it is. A file of its own: the CSP allows no inline script.
(() => {
  "use strict";

  const select = document.getElementById("time_zone");
  const hint = document.querySelector("[data-browser-zone-hint]");
  if (!select || !hint) return;

  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (_) {
    return;
  }
  // A system on UTC may call it Etc/UTC; the list calls it UTC.
  if (/^(Etc\/)?(UTC|UCT|GMT|Universal|Zulu)$/.test(zone)) zone = "UTC";
  // Only a zone the list offers (a browser may name one the server does not know).
  if (!zone || !Array.from(select.options).some((option) => option.value === zone)) return;

  const fill = (template) => template.replace(/\{zone\}/g, zone);
  hint.querySelector("[data-browser-zone-text]").textContent = fill(hint.dataset.browserZoneHint || "");
  const button = hint.querySelector("[data-browser-zone-button]");
  button.textContent = fill(hint.dataset.browserZoneUse || "");

  const chosen = () => select.value || select.dataset.companyZone || "";
  const update = () => {
    hint.hidden = chosen() === zone;
  };
  button.addEventListener("click", () => {
    select.value = zone;
    update();
    // The button goes away: the focus goes to the list it changed.
    select.focus();
  });
  select.addEventListener("change", update);
  update();
})();
