"""Helpers acting for a person: invitations, what each helper may do, and representatives staff record.

Every change is audited in the same transaction as the change itself.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from portal.data.audit import record_event
from portal.data.db import db_session
from portal.data.models import Invitation, Representation, Role, User, utcnow
from portal.domain.permissions import LegalBasis, Permission

# Easy to read out on the phone: no 0/O, 1/I/L or U/V look-alikes.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
CODE_LENGTH = 9
INVITATION_DAYS = 14


def _hash_code(code: str) -> str:
    # Keyed, so a copy of the database alone cannot be used to try codes offline.
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, normalise_code(code).encode(), hashlib.sha256).hexdigest()


def normalise_code(code: str) -> str:
    """People read codes out and type them back with spaces, dashes and in lower case."""
    return "".join(character for character in code.upper() if character.isalnum())


def format_code(code: str) -> str:
    return "-".join(code[i : i + 3] for i in range(0, len(code), 3))


@dataclass(frozen=True)
class NewInvitation:
    invitation: Invitation
    code: str  # shown once to the person (or put in the email), never stored


def invite(
    person: User,
    helper_name: str,
    relationship: str,
    permissions: list[Permission],
    email: str | None,
) -> NewInvitation:
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    invitation = Invitation(
        person_id=person.id,
        code_hash=_hash_code(code),
        helper_name=helper_name.strip(),
        email=email.strip().lower() if email else None,
        relationship_to_person=relationship.strip(),
        permissions=sorted(str(permission) for permission in permissions),
        expires_at=utcnow() + timedelta(days=INVITATION_DAYS),
    )
    session = db_session()
    session.add(invitation)
    session.flush()
    record_event(
        person, person.id, "representative.invited", invitation=invitation.id, permissions=invitation.permissions
    )
    session.commit()
    return NewInvitation(invitation, format_code(code))


def open_invitations(person_id: int) -> list[Invitation]:
    return list(
        db_session().scalars(
            select(Invitation)
            .where(
                Invitation.person_id == person_id,
                Invitation.accepted_at.is_(None),
                Invitation.cancelled_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
            .order_by(Invitation.created_at)
        )
    )


def cancel_invitation(person: User, invitation_id: int) -> bool:
    invitation = db_session().get(Invitation, invitation_id)
    if invitation is None or invitation.person_id != person.id or invitation.accepted_at or invitation.cancelled_at:
        return False
    invitation.cancelled_at = utcnow()
    record_event(person, person.id, "representative.invitation_cancelled", invitation=invitation.id)
    db_session().commit()
    return True


def find_invitation(code: str) -> Invitation | None:
    """The open invitation with this code, or None: wrong, used, cancelled and expired codes look the same."""
    if len(normalise_code(code)) != CODE_LENGTH:
        return None
    invitation = db_session().scalar(select(Invitation).where(Invitation.code_hash == _hash_code(code)))
    if invitation is None or invitation.accepted_at or invitation.cancelled_at or invitation.expires_at <= utcnow():
        return None
    return invitation


def accept(invitation: Invitation, helper: User) -> Representation | None:
    """The helper accepts: they may now act for the person, with exactly the permissions in the invitation.

    None if the invitation was used meanwhile (two clicks, or two people with the same code).
    """
    session = db_session()
    now = utcnow()
    # Claim the invitation with one conditional UPDATE, so it can only ever be used once.
    claimed = (
        session.query(Invitation)
        .filter(Invitation.id == invitation.id, Invitation.accepted_at.is_(None), Invitation.cancelled_at.is_(None))
        .update({"accepted_at": now, "accepted_by_id": helper.id}, synchronize_session=False)
    )
    if not claimed:
        session.rollback()
        return None
    link = _link_between(invitation.person_id, helper.id)
    if link.legal_basis and link.ended_at is None:
        # The council recorded this representative (a power of attorney, a deputyship): the invitation adds to
        # what they may do, and never takes away the legal basis the council recorded.
        link.permissions = sorted(set(link.permissions) | set(invitation.permissions))
    else:
        # Helping again after an earlier link ended: the same row, with what the person chose this time.
        link.relationship_to_person = invitation.relationship_to_person
        link.permissions = list(invitation.permissions)
        link.legal_basis = None
        link.basis_reason = None
        link.recorded_by_id = None
    link.ended_at = None
    link.ended_by_id = None
    link.changed_at = now
    session.flush()
    record_event(
        helper,
        invitation.person_id,
        "representative.accepted",
        invitation=invitation.id,
        helper=helper.full_name,
        permissions=link.permissions,
    )
    try:
        session.commit()
    except IntegrityError:  # accepted at the same moment from two devices: one link stands
        session.rollback()
        return None
    return link


def _link_between(person_id: int, representative_id: int) -> Representation:
    """The one link between a person and a helper (one row each, ended or not), made if there was none."""
    session = db_session()
    link = session.scalar(
        select(Representation).where(
            Representation.person_id == person_id, Representation.representative_id == representative_id
        )
    )
    if link is None:
        link = Representation(person_id=person_id, representative_id=representative_id)
        session.add(link)
    return link


def helpers_of(person_id: int) -> list[Representation]:
    return list(
        db_session().scalars(
            select(Representation)
            .where(Representation.person_id == person_id, Representation.ended_at.is_(None))
            .order_by(Representation.created_at)
        )
    )


def link_of(person_id: int, link_id: int) -> Representation | None:
    link = db_session().get(Representation, link_id)
    if link is None or link.person_id != person_id or link.ended_at is not None:
        return None
    return link


def change_permissions(by: User, link: Representation, permissions: list[Permission]) -> None:
    before = list(link.permissions)
    link.permissions = sorted(str(permission) for permission in permissions)
    link.changed_at = utcnow()
    record_event(
        by,
        link.person_id,
        "representative.permissions_changed",
        helper=link.representative.full_name,
        before=before,
        after=link.permissions,
    )
    db_session().commit()


def end(by: User, link: Representation) -> None:
    link.ended_at = utcnow()
    link.ended_by_id = by.id
    record_event(by, link.person_id, "representative.ended", helper=link.representative.full_name)
    db_session().commit()


def find_people(search: str, limit: int = 50) -> list[User]:
    """People (not staff, not helpers) whose name or email contains the search, for staff."""
    escaped = search.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return list(
        db_session().scalars(
            select(User)
            .where(
                User.role == Role.PERSON,
                User.closed_at.is_(None),
                or_(func.lower(User.full_name).like(pattern, escape="\\"), User.email.like(pattern, escape="\\")),
            )
            .order_by(func.lower(User.full_name))
            .limit(limit)
        )
    )


def record_by_staff(
    staff: User,
    person: User,
    representative: User,
    relationship: str,
    legal_basis: LegalBasis,
    reason: str,
    permissions: list[Permission],
) -> Representation:
    """A representative for a person who cannot consent, with the law relied on and why."""
    session = db_session()
    link = _link_between(person.id, representative.id)
    link.relationship_to_person = relationship.strip()
    link.permissions = sorted(str(permission) for permission in permissions)
    link.legal_basis = str(legal_basis)
    link.basis_reason = reason.strip()
    link.recorded_by_id = staff.id
    link.ended_at = None
    link.ended_by_id = None
    link.changed_at = utcnow()
    session.flush()
    record_event(
        staff,
        person.id,
        "representative.recorded_by_staff",
        helper=representative.full_name,
        legal_basis=link.legal_basis,
        reason=link.basis_reason,
        permissions=link.permissions,
    )
    session.commit()
    return link
