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
