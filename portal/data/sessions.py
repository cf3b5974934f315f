"""Signed-in sessions: one row for each browser a person signs in on, so they can see them and end any, or all.

The browser's session cookie holds a random key; only its SHA-256 is kept here, so a copy of the database
cannot be used to carry on anyone's session. The device is a plain description, never the User-Agent or IP.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from portal.data.audit import record_event
from portal.data.db import db_session
from portal.data.models import User, UserSession, utcnow

DEVICE_LONGEST = 100  # the column's length


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start_session(user: User, device: str, signing_in: bool) -> str:
    """A new row for this browser; returns the key for its session cookie.

    `signing_in` is False when adopting a session that began before sessions were listed: no sign-in is audited.
    """
    key = secrets.token_urlsafe(32)
    db_session().add(UserSession(user_id=user.id, key_hash=_digest(key), device=device[:DEVICE_LONGEST]))
    if signing_in:
        record_event(user, user.id, "account.signed_in", device=device[:DEVICE_LONGEST])
    db_session().commit()
    return key


def record_failed_sign_in(user: User | None, device: str) -> None:
    """A wrong password. Written for unknown emails too (with no person), so both take the same time."""
    record_event(None, user.id if user else None, "account.sign_in_failed", device=device[:DEVICE_LONGEST])
    db_session().commit()


def find_session(key: str) -> UserSession | None:
    return db_session().scalar(select(UserSession).where(UserSession.key_hash == _digest(key)))


def mark_seen(row: UserSession, every: timedelta, now: datetime | None = None) -> None:
    """Note the session was used, at most once every `every`: a write on every request would cost too much."""
    now = now or utcnow()
    if now - row.last_seen_at >= every:
        row.last_seen_at = now
        db_session().commit()


def active_sessions(user: User, idle_limit: timedelta) -> list[UserSession]:
    """Sessions not ended and used within `idle_limit` (older ones have timed out), most recently used first."""
    return list(
        db_session().scalars(
            select(UserSession)
            .where(
                UserSession.user_id == user.id,
                UserSession.ended_at.is_(None),
                UserSession.last_seen_at >= utcnow() - idle_limit,
            )
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
        )
    )


def end_session(user: User, session_id: int, keeping_key: str | None) -> UserSession | None:
    """End one of the user's own sessions, other than the one holding `keeping_key`; None if there is no such one."""
    row = db_session().get(UserSession, session_id)
    if row is None or row.user_id != user.id or row.ended_at is not None:
        return None
    if keeping_key is not None and row.key_hash == _digest(keeping_key):
        return None
    row.ended_at = utcnow()
    record_event(user, user.id, "session.ended", device=row.device)
    db_session().commit()
    return row


def end_sessions(user: User, keeping_key: str | None, reason: str) -> int:
    """End every session of the user's, except the one holding `keeping_key` (None ends them all); how many ended."""
    query = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if keeping_key is not None:
        query = query.where(UserSession.key_hash != _digest(keeping_key))
    ended = db_session().execute(query.values(ended_at=utcnow())).rowcount
    record_event(user, user.id, "sessions.ended_everywhere", reason=reason, this_device=keeping_key is None)
    db_session().commit()
    return ended


def end_session_with_key(key: str) -> None:
    """Signing out: this browser's row ends with it."""
    db_session().execute(
        update(UserSession)
        .where(UserSession.key_hash == _digest(key), UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    db_session().commit()
