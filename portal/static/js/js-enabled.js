// First thing in <body>, before it paints: GOV.UK Frontend styles and starts its components by these
// classes. An external file because our Content Security Policy allows no inline script.
document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
