// Warns before an idle session ends (WCAG 2.2.1 Timing Adjustable) and lets the person stay signed in.
// The server keeps the real clock; this only mirrors it and asks.
export function startSessionTimeout(body) {
  const idle = Number(body.dataset.sessionIdleSeconds);
  const warning = Number(body.dataset.sessionWarningSeconds);
  const dialog = document.getElementById("session-timeout");
  if (!idle || !dialog || typeof dialog.showModal !== "function") return;

  const stayForm = dialog.querySelector("[data-timeout-stay]").form;
  let warnTimer;
  let endTimer;
  let returnFocusTo = null;

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(warn, Math.max(0, idle - warning) * 1000);
    // Reload by GET (never repeat a POST): the server signs the person out and explains why.
    endTimer = setTimeout(() => window.location.assign(window.location.href), (idle + 2) * 1000);
  }

  function warn() {
    returnFocusTo = document.activeElement;
    dialog.showModal();
  }

  async function staySignedIn() {
    const response = await fetch(stayForm.action, {
      method: "POST",
      body: new FormData(stayForm),
      headers: { "HX-Request": "true" },
      credentials: "same-origin",
      redirect: "manual",
    });
    // Only 204 means the server kept the session; anything else (a redirect to sign in) is shown by reloading.
    if (response.status !== 204) {
      window.location.assign(window.location.href);
      return;
    }
    if (dialog.open) dialog.close();
    if (returnFocusTo) returnFocusTo.focus();
    schedule();
  }

  stayForm.addEventListener("submit", (event) => {
    event.preventDefault();
    staySignedIn();
  });
  // Escape closes a modal dialog; here it means "I'm still here", so it keeps the session too.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    staySignedIn();
  });

  // Any htmx request reaches the server, which restarts its own clock; restart ours with it.
  document.body.addEventListener("htmx:afterRequest", schedule);
  schedule();
}
