"""Accounts: people, their helpers, staff and admins."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.data.db import db_session
from portal.data.models import Representation, Role, User, utcnow
from portal.data.settings import save_settings
from portal.domain.permissions import EVERY_PERMISSION, Permission, read_permissions

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
    """The language switch remembers the choice on the account, audited like the settings page's own change."""
    save_settings(user, locale=locale)


def link_representative(
    person: User, representative: User, relationship_to_person: str, permissions: list[str] | None = None
) -> Representation:
    """A helper linked directly (demo data, tests); people invite helpers through portal.data.representatives."""
    link = Representation(
        person=person,
        representative=representative,
        relationship_to_person=relationship_to_person,
        permissions=permissions
        if permissions is not None
        else sorted(str(p) for p in EVERY_PERMISSION - {Permission.NOMINEE}),
    )
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


def permissions_on(user: User, person_id: int) -> frozenset[Permission] | None:
    """What the user may do on this person's record: everything on their own, what the person gave them as a
    helper, None if it is not theirs to see. Read afresh on every request, so a change applies at once."""
    if user.role is Role.PERSON and user.id == person_id:
        return EVERY_PERMISSION
    if user.role not in (Role.PERSON, Role.REPRESENTATIVE):
        return None
    link = active_link(person_id, user.id)
    if link is not None and link.person.closed_at is not None:
        return None  # a closed account's kept records are the council's now, not a helper's to see
    return read_permissions(link.permissions) if link is not None else None


def active_link(person_id: int, representative_id: int) -> Representation | None:
    return db_session().scalar(
        select(Representation).where(
            Representation.person_id == person_id,
            Representation.representative_id == representative_id,
            Representation.ended_at.is_(None),
        )
    )


def list_accounts() -> list[User]:
    return list(db_session().scalars(select(User).order_by(User.role, func.lower(User.full_name))))
