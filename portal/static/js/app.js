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

// The chat: once a question has been answered, empty the box for the next one (focus stays where it was).
document.body.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt.closest && event.detail.elt.closest("#chat-form");
  if (form && event.detail.successful && !event.detail.xhr.getResponseHeader("HX-Retarget")) {
    form.querySelector("input[name=message]").value = "";
    document.getElementById("no-turns")?.remove();
  }
});
