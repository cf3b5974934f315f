"""Password reset tokens: single use, short lived, stored only as a hash."""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from portal.data.db import db_session
from portal.data.models import PasswordResetToken, User, utcnow


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, lifetime: timedelta) -> str:
    token = secrets.token_urlsafe(32)
    session = db_session()
    session.add(PasswordResetToken(user=user, token_hash=_digest(token), expires_at=utcnow() + lifetime))
    session.commit()
    return token


def find_usable_token(token: str) -> PasswordResetToken | None:
    found = db_session().scalar(select(PasswordResetToken).where(PasswordResetToken.token_hash == _digest(token)))
    if found is None or found.used_at is not None or found.expires_at <= utcnow():
        return None
    return found


def spend_tokens(user: User) -> bool:
    """Using one link spends every link sent to that account. False if another request spent them first.

    One UPDATE does the check and the spend together, so two requests racing with the same link
    cannot both succeed.
    """
    spent = db_session().execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    db_session().commit()
    return spent.rowcount > 0
