"""The audit log: append-only. Views and query modules add events; nothing ever updates or deletes one."""

from sqlalchemy import select

from portal.data.db import db_session
from portal.data.models import AuditEvent, User


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
