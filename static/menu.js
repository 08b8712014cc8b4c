// The account menu (a <details class="account-menu"> in templates/base.html)
// closes on Escape and on a click or a focus outside it, as menus do. Without
// this file the menu still opens and closes with its round button. A file of
// its own: the CSP allows no inline script.
document.querySelectorAll("details.account-menu").forEach((menu) => {
  const summary = menu.querySelector("summary");
  const close = () => { menu.open = false; };
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.open) {
      close();
      summary.focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (menu.open && !menu.contains(event.target)) close();
  });
  document.addEventListener("focusin", (event) => {
    if (menu.open && !menu.contains(event.target)) close();
  });
});
