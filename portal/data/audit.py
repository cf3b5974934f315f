"""The audit log: append-only. Views and query modules add events; nothing ever updates or deletes one."""

import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from portal.data.db import db_session
from portal.data.models import AuditEvent, Role, User


def record_event(actor: User | None, person_id: int | None, action: str, **detail: object) -> None:
    """Add an event to the caller's transaction: it is written when the change it describes is committed."""
    db_session().add(
        AuditEvent(actor_id=actor.id if actor else None, person_id=person_id, action=action, detail=detail)
    )


def events_for_person(person_id: int, actions: tuple[str, ...] | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.person_id == person_id)
    if actions is not None:
        query = query.where(AuditEvent.action.in_(actions))
    return list(db_session().scalars(query.order_by(AuditEvent.at, AuditEvent.id)))


def record_view(staff: User, person_id: int, record: str, record_id: int) -> None:
    """Staff looking at a person's record is written down too: the person can ask who has seen it."""
    record_event(staff, person_id, "record.viewed", record=record, id=record_id)
    db_session().commit()


def all_events() -> list[AuditEvent]:
    return list(db_session().scalars(select(AuditEvent).order_by(AuditEvent.at, AuditEvent.id)))


# ---- reading the log back: the person's own history, and the staff search ------------------------------------------


@dataclass(frozen=True)
class EventFilter:
    """What a search asks for; None (or empty) means "any". `actions` None is every action, () is none at all."""

    person_id: int | None = None
    person_text: str = ""
    actor_text: str = ""
    actions: Collection[str] | None = None
    starts_at: datetime | None = None
    ends_before: datetime | None = None


@dataclass(frozen=True)
class EventPage:
    events: list[AuditEvent]
    total: int
    page: int
    pages: int


def _matching(user: type[User], text: str):
    """Name or email containing the text, ignoring case; % and _ typed in a search match only themselves."""
    text = text.strip().lower()
    return or_(
        func.lower(user.full_name).contains(text, autoescape=True),
        func.lower(user.email).contains(text, autoescape=True),
    )


def _filtered(chosen: EventFilter) -> Select:
    query = select(AuditEvent)
    if chosen.person_id is not None:
        query = query.where(AuditEvent.person_id == chosen.person_id)
    if chosen.person_text.strip():
        person = aliased(User)
        query = query.join(person, AuditEvent.person_id == person.id).where(_matching(person, chosen.person_text))
    if chosen.actor_text.strip():
        actor = aliased(User)
        query = query.join(actor, AuditEvent.actor_id == actor.id).where(_matching(actor, chosen.actor_text))
    if chosen.actions is not None:
        query = query.where(AuditEvent.action.in_(list(chosen.actions)))
    if chosen.starts_at is not None:
        query = query.where(AuditEvent.at >= chosen.starts_at)
    if chosen.ends_before is not None:
        query = query.where(AuditEvent.at < chosen.ends_before)
    return query


def find_events(chosen: EventFilter, page: int, per_page: int) -> EventPage:
    """One page of matching events, newest first; a page past the end shows the last page."""
    query = _filtered(chosen)
    total = db_session().scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    events = db_session().scalars(
        query.options(joinedload(AuditEvent.actor), joinedload(AuditEvent.person))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return EventPage(list(events), total, page, pages)


def events_to_export(chosen: EventFilter, most: int) -> list[AuditEvent]:
    """The newest `most` matching events, for a download."""
    query = _filtered(chosen).options(joinedload(AuditEvent.actor), joinedload(AuditEvent.person))
    return list(db_session().scalars(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(most)))


def only_person_matching(text: str) -> int | None:
    """The one person (or helper) whose name or email contains the text, if exactly one does."""
    if not text.strip():
        return None
    found = (
        db_session()
        .scalars(
            select(User.id).where(User.role.in_([Role.PERSON, Role.REPRESENTATIVE]), _matching(User, text)).limit(2)
        )
        .all()
    )
    return found[0] if len(found) == 1 else None


def record_audit_use(staff: User, action: str, person_id: int | None, **detail: object) -> None:
    """Reading the log is written in the log: who searched or downloaded it, for what."""
    record_event(staff, person_id, action, **detail)
    db_session().commit()
