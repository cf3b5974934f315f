// Progressive enhancement only: every page works without this file.
import { initAll, createAll, Button, ErrorSummary, NotificationBanner } from "/static/vendor/govuk-frontend.min.js";
import { startSessionTimeout } from "/static/js/session-timeout.js";

initAll();
startSessionTimeout(document.body);

// After htmx swaps in new HTML, give its components their behaviour too.
document.body.addEventListener("htmx:afterSettle", (event) => {
  const scope = event.detail.elt;
  for (const Component of [Button, ErrorSummary, NotificationBanner]) {
    createAll(Component, {}, { scope });
  }
});

// When the service is unavailable (portal/outage.py), the whole main content is replaced by a page saying so:
// a screen reader is taken to its heading and the tab's title says it too, as a full page load would.
document.body.addEventListener("htmx:afterSettle", (event) => {
  if (event.detail.xhr?.status !== 503) return;
  const heading = document.querySelector("#main-content h1");
  if (!heading) return;
  document.title = `${heading.textContent.trim()} – ${document.title.split(" – ").slice(-2).join(" – ")}`;
  heading.setAttribute("tabindex", "-1");
  heading.focus();
});

// The chat: once a question has been answered, empty the box for the next one (focus stays where it was).
document.body.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt.closest && event.detail.elt.closest("#chat-form");
  if (form && event.detail.successful && !event.detail.xhr.getResponseHeader("HX-Retarget")) {
    form.querySelector("input[name=message]").value = "";
    document.getElementById("no-turns")?.remove();
  }
});
