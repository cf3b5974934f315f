"""ORM models. The Alembic history in portal/migrations is the schema; these map onto it."""

import enum
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware UTC datetimes; SQLite would otherwise hand back naive ones."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    pass


class Role(enum.StrEnum):
    PERSON = "person"
    REPRESENTATIVE = "representative"
    STAFF = "staff"
    ADMIN = "admin"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    locale: Mapped[str | None] = mapped_column(String(10))
    # Bumped when the password changes, so every other signed-in session ends.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    people_helped: Mapped[list["Representation"]] = relationship(
        foreign_keys="Representation.representative_id", back_populates="representative"
    )
    helpers: Mapped[list["Representation"]] = relationship(
        foreign_keys="Representation.person_id", back_populates="person"
    )

    # Flask-Login's protocol: the session holds the id and the session version together.
    is_active = True
    is_anonymous = False
    is_authenticated = True

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


class Representation(Base):
    """A helper (carer, family member, broker) acting for a person."""

    __tablename__ = "representations"
    __table_args__ = (UniqueConstraint("person_id", "representative_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    representative_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    relationship_to_person: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[User] = relationship(foreign_keys=[person_id], back_populates="helpers")
    representative: Mapped[User] = relationship(foreign_keys=[representative_id], back_populates="people_helped")


class PasswordResetToken(Base):
    """Only a hash of the token is kept, so a copy of the database cannot reset anyone's password."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class OutboxMessage(Base):
    """Every email the portal sends. With no mail server configured they wait here."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
