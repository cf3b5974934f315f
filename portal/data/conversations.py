"""Conversations with the assistant: each turn kept under a random conversation id, never under a person."""

from datetime import timedelta

from sqlalchemy import delete, select

from portal.data.db import db_session
from portal.data.models import ChatMessage, utcnow

__all__ = ["ChatMessage"]


def turns(conversation_id: str, limit: int = 200) -> list[ChatMessage]:
    """The conversation so far, oldest first (the last `limit` turns: a long chat never makes a huge page)."""
    newest = db_session().scalars(
        select(ChatMessage)
        .where(ChatMessage.conversation_id == conversation_id)
        .order_by(ChatMessage.id.desc())
        .limit(limit)
    )
    return list(reversed(list(newest)))


def add_turns(conversation_id: str, said: list[tuple[bool, dict]]) -> list[ChatMessage]:
    """The person's message and the assistant's replies, saved together."""
    session = db_session()
    rows = [
        ChatMessage(conversation_id=conversation_id, from_assistant=by_assistant, said=what)
        for by_assistant, what in said
    ]
    session.add_all(rows)
    session.commit()
    return rows


def forget(conversation_id: str) -> None:
    db_session().execute(delete(ChatMessage).where(ChatMessage.conversation_id == conversation_id))
    db_session().commit()


def forget_older_than(days: int) -> int:
    """Conversations are not kept for ever: turns older than the retention period go."""
    moment = utcnow() - timedelta(days=days)
    result = db_session().execute(delete(ChatMessage).where(ChatMessage.said_at < moment))
    db_session().commit()
    return result.rowcount
