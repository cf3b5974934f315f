"""ORM models. The Alembic history in portal/migrations is the schema; these map onto it."""

import enum
from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
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


def _text_enum(enum_class: type[enum.StrEnum], length: int = 20) -> Enum:
    return Enum(enum_class, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(_text_enum(Role))
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


class AssessmentStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CONFIRMED = "confirmed"


class Assessment(Base):
    """A person's self-assessment: answered a page at a time by them or a helper, then sent to the council."""

    __tablename__ = "assessments"
    # At most one draft per person, even when the person and their helper press "start" together.
    __table_args__ = (
        Index(
            "uq_assessments_one_draft",
            "person_id",
            unique=True,
            sqlite_where=text("status = 'draft'"),
            postgresql_where=text("status = 'draft'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[AssessmentStatus] = mapped_column(_text_enum(AssessmentStatus), default=AssessmentStatus.DRAFT)
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Where the person left off, so the dashboard can take them straight back.
    last_question_id: Mapped[str | None] = mapped_column(String(40))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    who_helped: Mapped[str | None] = mapped_column(String(20))
    helper_name: Mapped[str | None] = mapped_column(String(200))

    person: Mapped[User] = relationship(foreign_keys=[person_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    answers: Mapped[list["AssessmentAnswer"]] = relationship(
        back_populates="assessment", order_by="AssessmentAnswer.id"
    )


class AssessmentAnswer(Base):
    """One answer. `version` goes up on every change, so an edit made from an out-of-date page is caught."""

    __tablename__ = "assessment_answers"
    __table_args__ = (UniqueConstraint("assessment_id", "question_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    assessment: Mapped[Assessment] = relationship(back_populates="answers")
    answered_by: Mapped[User | None] = relationship()


class IndicativeBudgetRecord(Base):
    """An issued indicative budget, with the answers, RAS version and working it came from.

    Kept whole so that editing the content files later never changes a budget someone has been given.
    """

    __tablename__ = "indicative_budgets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    ras_id: Mapped[str] = mapped_column(String(40))
    ras_config: Mapped[dict] = mapped_column(JSON)
    answers: Mapped[dict] = mapped_column(JSON)
    section_titles: Mapped[dict] = mapped_column(JSON)
    working: Mapped[dict] = mapped_column(JSON)
    eligible: Mapped[bool] = mapped_column(Boolean)
    annual_pence: Mapped[int] = mapped_column(BigInteger)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Goes up with each decision, so a decision made from an out-of-date page is caught, not applied.
    decision_count: Mapped[int] = mapped_column(Integer, default=0)

    assessment: Mapped[Assessment] = relationship()
    decisions: Mapped[list["BudgetDecision"]] = relationship(order_by="BudgetDecision.id")
    review_requests: Mapped[list["ReviewRequest"]] = relationship(order_by="ReviewRequest.id", back_populates="budget")


class DecisionKind(enum.StrEnum):
    CONFIRMED = "confirmed"
    ADJUSTED = "adjusted"


class BudgetDecision(Base):
    """Council staff confirm the indicative amount or change it, always with who, when and why."""

    __tablename__ = "budget_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicative_budget_id: Mapped[int] = mapped_column(ForeignKey("indicative_budgets.id", ondelete="CASCADE"))
    kind: Mapped[DecisionKind] = mapped_column(_text_enum(DecisionKind))
    annual_pence: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    decided_by: Mapped[User | None] = relationship()


class ReviewStatus(enum.StrEnum):
    OPEN = "open"
    DECIDED = "decided"


class ReviewRequest(Base):
    """The person asks the council to look again at the amount (guidance 11.24: open to challenge)."""

    __tablename__ = "review_requests"
    __table_args__ = (
        Index(
            "uq_review_requests_one_open",
            "indicative_budget_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicative_budget_id: Mapped[int] = mapped_column(ForeignKey("indicative_budgets.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    what_is_needed: Mapped[str] = mapped_column(Text)
    status: Mapped[ReviewStatus] = mapped_column(_text_enum(ReviewStatus), default=ReviewStatus.OPEN)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("budget_decisions.id", ondelete="SET NULL"))

    budget: Mapped[IndicativeBudgetRecord] = relationship(back_populates="review_requests")
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decision: Mapped[BudgetDecision | None] = relationship()


class AuditEvent(Base):
    """Append-only: who did what to whose record, and when. Rows are added, never changed or removed."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_person_at", "person_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


class DirectoryService(Base):
    """One service in the directory. `record` is its whole Open Referral UK 3.0 JSON, the truth;
    the other columns are read from it on every save, for searching and filtering.

    Search uses the database's own full-text index: an FTS5 table kept in step by triggers on SQLite,
    a generated tsvector column with a GIN index on PostgreSQL (both made in migration 0003).
    """

    __tablename__ = "directory_services"
    __table_args__ = (Index("ix_directory_services_location", "latitude", "longitude"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    oruk_id: Mapped[str] = mapped_column(String(36), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    organization_name: Mapped[str] = mapped_column(String(300))
    search_text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(30))
    record: Mapped[dict] = mapped_column(JSON)
    free: Mapped[bool] = mapped_column(Boolean)
    lowest_hourly_pence: Mapped[int | None] = mapped_column(Integer)
    accepts_direct_payments: Mapped[bool] = mapped_column(Boolean)
    preferred_provider: Mapped[bool] = mapped_column(Boolean)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    outward_code: Mapped[str | None] = mapped_column(String(8), index=True)
    last_checked: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    tags: Mapped[list["DirectoryTag"]] = relationship(cascade="all, delete-orphan", passive_deletes=True)


class DirectoryTag(Base):
    """What a service can be filtered by: its categories, venue accessibility, languages and areas."""

    __tablename__ = "directory_tags"
    __table_args__ = (Index("ix_directory_tags_kind_value", "kind", "value"),)

    service_id: Mapped[int] = mapped_column(ForeignKey("directory_services.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(100), primary_key=True)


class SupportPlan(Base):
    """One version of a person's support plan. An approved version is frozen; a change makes the next version.

    `revision` goes up on every save, so an edit made from an out-of-date page (a person and their helper
    both working on it) is caught and explained, never silently overwritten.
    """

    __tablename__ = "support_plans"
    __table_args__ = (
        UniqueConstraint("person_id", "version"),
        Index(
            "uq_support_plans_one_open",
            "person_id",
            unique=True,
            sqlite_where=text("status != 'approved'"),
            postgresql_where=text("status != 'approved'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    indicative_budget_id: Mapped[int] = mapped_column(ForeignKey("indicative_budgets.id", ondelete="RESTRICT"))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    about_me: Mapped[dict] = mapped_column(JSON, default=dict)
    need_reasons: Mapped[dict] = mapped_column(JSON, default=dict)
    management: Mapped[dict] = mapped_column(JSON, default=dict)
    staying_safe: Mapped[dict] = mapped_column(JSON, default=dict)
    who_helped: Mapped[str | None] = mapped_column(String(20))
    helper_name: Mapped[str | None] = mapped_column(String(200))
    consent_to_share: Mapped[bool] = mapped_column(Boolean, default=False)
    over_budget_reason: Mapped[str | None] = mapped_column(Text)
    final_budget_pence: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[User] = relationship(foreign_keys=[person_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    indicative_budget: Mapped[IndicativeBudgetRecord] = relationship()
    outcomes: Mapped[list["PlanOutcome"]] = relationship(
        order_by="PlanOutcome.position", cascade="all, delete-orphan", passive_deletes=True
    )
    items: Mapped[list["PlanItemRecord"]] = relationship(
        order_by="PlanItemRecord.position", cascade="all, delete-orphan", passive_deletes=True
    )
    decisions: Mapped[list["PlanDecision"]] = relationship(order_by="PlanDecision.id")


class PlanOutcome(Base):
    """What the person wants to change or achieve, in their words, and the assessed needs it covers."""

    __tablename__ = "plan_outcomes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("support_plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    what: Mapped[str] = mapped_column(Text)
    how_we_know: Mapped[str] = mapped_column(Text)
    needs: Mapped[list] = mapped_column(JSON, default=list)


class PlanItemRecord(Base):
    """How part of the budget is used: a directory service at one of its prices, or the person's own item."""

    __tablename__ = "plan_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("support_plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    service_oruk_id: Mapped[str | None] = mapped_column(String(36))
    description: Mapped[str] = mapped_column(String(300))
    unit_label: Mapped[str] = mapped_column(String(60))
    unit_pence: Mapped[int] = mapped_column(Integer)
    quantity_hundredths: Mapped[int] = mapped_column(Integer)
    frequency: Mapped[str] = mapped_column(String(10))
    management: Mapped[str | None] = mapped_column(String(30))
    outcome_positions: Mapped[list] = mapped_column(JSON, default=list)


class PlanDecision(Base):
    """Staff send a plan to the panel, approve it (perhaps with a changed final budget) or return it with comments."""

    __tablename__ = "plan_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("support_plans.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    final_budget_pence: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text, default="")
    comments: Mapped[dict] = mapped_column(JSON, default=dict)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    decided_by: Mapped[User | None] = relationship()
