// On a phone the header collapses: the menu (and the user's links) hide behind «Meny».
// Without JavaScript the menu simply stays open, so nothing is ever out of reach.
(() => {
  const header = document.querySelector(".site-header");
  const toggle = header && header.querySelector(".site-menu-toggle");
  if (!toggle) return;
  const narrow = window.matchMedia("(max-width: 40rem)");
  const set = (open) => {
    header.dataset.menu = open ? "open" : "closed";
    toggle.setAttribute("aria-expanded", String(open));
  };
  toggle.hidden = false;
  set(!narrow.matches);
  narrow.addEventListener("change", (event) => set(!event.matches));
  toggle.addEventListener("click", () => set(header.dataset.menu !== "open"));
})();
