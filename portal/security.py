"""Security headers on every response, and the idle-session timeout."""

import time

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import _
from flask_login import current_user, logout_user

# Strict: scripts, styles and fonts only from this site, never inline, never framed.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def _add_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)  # a view's stricter policy (a receipt's sandbox) stays
    # RFC 6797 7.2: never over plain http; behind a proxy, is_secure reads its X-Forwarded-Proto.
    if current_app.config["HSTS"] and request.is_secure:
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if request.endpoint not in ("static", "assets"):
        # Pages can hold personal details or a reset token: none may linger in a shared computer's cache.
        response.headers["Cache-Control"] = "no-store"
    return response


def idle_seconds_allowed() -> int:
    return current_app.config["SESSION_IDLE_MINUTES"] * 60


def _end_idle_sessions():
    """Sign out a session left idle too long; the person is told why and that nothing was lost."""
    if request.endpoint in ("static", "assets") or not current_user.is_authenticated:
        return None
    now = int(time.time())
    last_seen = session.get("last_seen", now)
    if now - last_seen > idle_seconds_allowed():
        logout_user()
        session.clear()
        flash(
            _(
                "We signed you out because you had not done anything for %(minutes)s minutes. "
                "Everything you saved is still there.",
                minutes=current_app.config["SESSION_IDLE_MINUTES"],
            )
        )
        return redirect(url_for("auth.sign_in", next=request.full_path if request.method == "GET" else None))
    session["last_seen"] = now
    return None


def init_app(app: Flask) -> None:
    app.before_request(_end_idle_sessions)
    app.after_request(_add_security_headers)
