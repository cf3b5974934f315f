// Warns before an idle session ends (WCAG 2.2.1 Timing Adjustable) and lets the person stay signed in.
// The server keeps the real clock; this only mirrors it and asks.
export function startSessionTimeout(body) {
  const idle = Number(body.dataset.sessionIdleSeconds);
  const warning = Number(body.dataset.sessionWarningSeconds);
  const dialog = document.getElementById("session-timeout");
  if (!idle || !dialog || typeof dialog.showModal !== "function") return;

  const announcement = dialog.querySelector("[data-timeout-announcement]");
  const stayForm = dialog.querySelector("[data-timeout-stay]").form;
  let warnTimer;
  let endTimer;
  let returnFocusTo = null;

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(warn, Math.max(0, idle - warning) * 1000);
    endTimer = setTimeout(() => window.location.reload(), (idle + 2) * 1000);
  }

  function warn() {
    returnFocusTo = document.activeElement;
    dialog.showModal();
    announcement.textContent = dialog.querySelector("#session-timeout-message").textContent.trim();
  }

  stayForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await fetch(stayForm.action, {
      method: "POST",
      body: new FormData(stayForm),
      headers: { "HX-Request": "true" },
      credentials: "same-origin",
    });
    if (!response.ok) {
      window.location.reload();
      return;
    }
    dialog.close();
    announcement.textContent = "";
    if (returnFocusTo) returnFocusTo.focus();
    schedule();
  });

  // Any htmx request reaches the server, which restarts its own clock; restart ours with it.
  document.body.addEventListener("htmx:afterRequest", schedule);
  schedule();
}
