"""Accounts: people, their helpers, staff and admins."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.data.db import db_session
from portal.data.models import Representation, Role, User, utcnow

__all__ = ["Role", "User"]


def _hasher() -> PasswordHasher:
    return current_app.extensions["password_hasher"]


def normalise_email(email: str) -> str:
    return email.strip().lower()


def get_user(user_id: int) -> User | None:
    return db_session().get(User, user_id)


def get_user_by_email(email: str) -> User | None:
    return db_session().scalar(select(User).where(User.email == normalise_email(email)))


def email_in_use(email: str) -> bool:
    return get_user_by_email(email) is not None


def create_user(email: str, password: str, full_name: str, role: Role, locale: str | None = None) -> User:
    user = User(
        email=normalise_email(email),
        password_hash=_hasher().hash(password),
        full_name=full_name.strip(),
        role=role,
        locale=locale,
    )
    session = db_session()
    session.add(user)
    session.commit()
    return user


def create_user_unless_taken(email: str, password: str, full_name: str, role: Role, locale: str | None = None):
    """Create the account, or None if the email was taken meanwhile (two sign-ups at once)."""
    try:
        return create_user(email, password, full_name, role, locale)
    except IntegrityError:
        db_session().rollback()
        return None


def check_password(user: User | None, password: str) -> bool:
    """Verify, and upgrade the stored hash when the hashing parameters have changed."""
    if user is None:
        # Spend the same time as a real check, so response times do not reveal which emails have accounts.
        _hasher().hash(password)
        return False
    try:
        _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = _hasher().hash(password)
        db_session().commit()
    return True


def set_password(user: User, password: str) -> None:
    """A new password ends every other session: they hold the old session version."""
    user.password_hash = _hasher().hash(password)
    user.session_version += 1
    db_session().commit()


def record_sign_in(user: User) -> None:
    user.last_signed_in_at = utcnow()
    db_session().commit()


def save_locale(user: User, locale: str) -> None:
    if user.locale != locale:
        user.locale = locale
        db_session().commit()


def link_representative(person: User, representative: User, relationship_to_person: str) -> Representation:
    link = Representation(person=person, representative=representative, relationship_to_person=relationship_to_person)
    session = db_session()
    session.add(link)
    session.commit()
    return link


def people_helped(representative: User) -> list[Representation]:
    return list(
        db_session().scalars(
            select(Representation)
            .where(Representation.representative_id == representative.id, Representation.ended_at.is_(None))
            .order_by(Representation.created_at)
        )
    )


def may_act_for(user: User, person_id: int) -> bool:
    """The user's own record, or that of a person who has an active link to them as a helper."""
    if user.role is Role.PERSON:
        return user.id == person_id
    if user.role is Role.REPRESENTATIVE:
        return any(link.person_id == person_id for link in people_helped(user))
    return False


def list_accounts() -> list[User]:
    return list(db_session().scalars(select(User).order_by(User.role, func.lower(User.full_name))))
