"""Signed-in sessions, web side: each browser's key in its session, checked before every request."""

from datetime import timedelta

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import _
from flask_login import current_user, logout_user

from portal.data import sessions
from portal.domain.devices import describe_device

SESSION_KEY = "signed_in_key"
# last_seen_at is written at most this often, so the list of sessions is right to the minute.
SEEN_EVERY = timedelta(minutes=1)


def this_device() -> str:
    return describe_device(request.headers.get("User-Agent")).label


def start(user) -> None:
    """Just signed in: a row for this browser, its key in the session, and the sign-in in the audit log."""
    session[SESSION_KEY] = sessions.start_session(user, this_device(), signing_in=True)


def record_failed_sign_in(user) -> None:
    """A wrong password for `user` (None for an email with no account: recorded alike, so it takes as long)."""
    sessions.record_failed_sign_in(user, this_device())


def this_key() -> str | None:
    return session.get(SESSION_KEY)


def end_this() -> None:
    """Signing out: this browser's session ends in the list too."""
    key = this_key()
    if key is not None:
        sessions.end_session_with_key(key)


def end_others(user, reason: str) -> None:
    """End every session but this one (after a password change: the old ones can no longer load anyway)."""
    sessions.end_sessions(user, keeping_key=this_key(), reason=reason)


def idle_limit() -> timedelta:
    """A session unused this long has timed out (the idle sign-out), even if nobody pressed Sign out."""
    return timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"]) + SEEN_EVERY


def _check_this_session():
    """Sign out a session ended from another device; note when this one was last used."""
    if request.endpoint in ("static", "assets") or not current_user.is_authenticated:
        return None
    key = this_key()
    if key is None:
        # Signed in before sessions were listed: give it a row rather than sign the person out.
        session[SESSION_KEY] = sessions.start_session(current_user, this_device(), signing_in=False)
        return None
    row = sessions.find_session(key)
    if row is None or row.user_id != current_user.id or row.ended_at is not None:
        logout_user()
        session.clear()
        flash(
            _(
                "You have been signed out on this device because this session was ended from another device. "
                "If that was not you, sign in and change your password."
            )
        )
        return redirect(url_for("auth.sign_in", next=request.full_path if request.method == "GET" else None))
    sessions.mark_seen(row, SEEN_EVERY)
    return None


def init_app(app: Flask) -> None:
    app.before_request(_check_this_session)
