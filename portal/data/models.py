"""ORM models. The Alembic history in portal/migrations is the schema; these map onto it."""

import enum
import uuid
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
    LargeBinary,
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
    # Settings the person chose, remembered on the account (issue #8).
    contact_method: Mapped[str | None] = mapped_column(String(20))  # email, phone or letter
    phone: Mapped[str | None] = mapped_column(String(40))
    reminders_by_email: Mapped[bool] = mapped_column(Boolean, default=True)
    text_size: Mapped[str | None] = mapped_column(String(10))  # None (standard), "large" or "largest"
    high_contrast: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set when the person closes their account: they can no longer sign in, and what the retention rules
    # do not require has been deleted. The row stays so the financial records the council must keep have an owner.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

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
    """A helper (carer, family member, broker) acting for a person, with only the permissions the person gave.

    `legal_basis` is empty when the person invited the helper themselves; when staff recorded a representative
    for a person who cannot consent, it names the law relied on (see portal.domain.permissions.LegalBasis).
    """

    __tablename__ = "representations"
    __table_args__ = (UniqueConstraint("person_id", "representative_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    representative_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    relationship_to_person: Mapped[str] = mapped_column(String(100))
    permissions: Mapped[list] = mapped_column(JSON, default=lambda: ["see_everything"])
    legal_basis: Mapped[str | None] = mapped_column(String(40))
    basis_reason: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    person: Mapped[User] = relationship(foreign_keys=[person_id], back_populates="helpers")
    representative: Mapped[User] = relationship(foreign_keys=[representative_id], back_populates="people_helped")


class Invitation(Base):
    """A person's invitation to a helper: sent by email, or a code the person reads out on the phone.

    Only a hash of the code is kept. It works once, until it expires or the person cancels it.
    """

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    helper_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    relationship_to_person: Mapped[str] = mapped_column(String(100))
    permissions: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[User] = relationship(foreign_keys=[person_id])


class UserSession(Base):
    """One signed-in session (a browser, a phone), so the person can see them and end any, or all.

    The browser holds a random key; only its hash is kept here.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # A plain description of the device ("Chrome on Android"), never the full user-agent or the IP address.
    device: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


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
    __table_args__ = (
        Index("ix_audit_events_person_at", "person_id", "at"),
        Index("ix_audit_events_actor_at", "actor_id", "at"),
        Index("ix_audit_events_action_at", "action", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    person: Mapped[User | None] = relationship(foreign_keys=[person_id])


class DirectoryService(Base):
    """One service in the directory. `record` is its whole Open Referral UK 3.0 JSON, the truth;
    the other columns are read from it on every save, for searching and filtering.

    Search uses the database's own full-text index: an FTS5 table kept in step by triggers on SQLite,
    a generated tsvector column with a GIN index on PostgreSQL (both made in migration 0003).
    """

    __tablename__ = "directory_services"
    # Every column a search filters or sorts on, so a search reads the index and not each match's record
    # (migration 0008); the location first, to narrow a search near a postcode to a band.
    __table_args__ = (
        Index(
            "ix_directory_services_listing",
            "latitude", "longitude", "status", "name", "free", "lowest_hourly_pence", "accepts_direct_payments",
            "preferred_provider", "last_checked", "id",
        ),
        Index("ix_directory_services_outward_code", "outward_code", "latitude", "longitude"),
    )  # fmt: skip

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
    outward_code: Mapped[str | None] = mapped_column(String(8))
    last_checked: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    tags: Mapped[list["DirectoryTag"]] = relationship(cascade="all, delete-orphan", passive_deletes=True)


class DirectoryTag(Base):
    """What a service can be filtered by: its categories, venue accessibility, languages and areas."""

    __tablename__ = "directory_tags"
    __table_args__ = (Index("ix_directory_tags_kind_value", "kind", "value", "service_id"),)

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
    # The same in every version of the plan: spending and a PA recorded against an item still find it after a change.
    item_key: Mapped[str] = mapped_column(String(36), default=lambda: uuid.uuid4().hex)
    # Who put the item in the plan (the person or a helper), kept through every version.
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    added_by: Mapped[User | None] = relationship()


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


class BudgetAccount(Base):
    """Opens when a support plan is approved: the payments, the contribution and the ledger of one person's budget.

    One account a person; a later approved version of the plan moves the account on to it, and the ledger carries on.
    """

    __tablename__ = "budget_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("support_plans.id", ondelete="RESTRICT"))
    starts_on: Mapped[date] = mapped_column(Date)
    annual_pence: Mapped[int] = mapped_column(BigInteger)
    payment_frequency: Mapped[str] = mapped_column(String(10))
    weekly_contribution_pence: Mapped[int] = mapped_column(BigInteger, default=0)
    contribution_method: Mapped[str | None] = mapped_column(String(30))
    # Payments due from this day carry the contribution; payments made before it stay as they were made.
    contribution_from: Mapped[date | None] = mapped_column(Date)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Goes up with each change to the account's terms, so a decision made from an out-of-date page is caught.
    revision: Mapped[int] = mapped_column(Integer, default=1)

    person: Mapped[User] = relationship(foreign_keys=[person_id])
    plan: Mapped[SupportPlan] = relationship()


class Receipt(Base):
    """An uploaded receipt. Stored under a random name outside the web root; the name is never shown."""

    __tablename__ = "receipts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("budget_accounts.id", ondelete="CASCADE"), index=True)
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    download_name: Mapped[str] = mapped_column(String(80))
    content_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class StatementImport(Base):
    """A bank or prepaid card statement uploaded for import: kept until the person confirms a clean preview."""

    __tablename__ = "statement_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("budget_accounts.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    mapping: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(12), default="preview")
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LedgerEntry(Base):
    """Append-only: money in or out of the account. A mistake is put right by a reversing entry, never an edit.

    `reverses_id` is unique, so the database itself refuses a second correction of the same entry, and
    (account, schedule_number) is unique, so a council payment can never be posted twice.
    """

    __tablename__ = "ledger_entries"
    __table_args__ = (
        UniqueConstraint("account_id", "schedule_number"),
        Index("ix_ledger_entries_account_occurred", "account_id", "occurred_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("budget_accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    occurred_on: Mapped[date] = mapped_column(Date)
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    payee: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(String(300), default="")
    plan_item_id: Mapped[int | None] = mapped_column(ForeignKey("plan_items.id", ondelete="RESTRICT"))
    other_reason: Mapped[str | None] = mapped_column(Text)
    payment_method: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    receipt_id: Mapped[int | None] = mapped_column(ForeignKey("receipts.id", ondelete="RESTRICT"))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"), unique=True)
    correction_reason: Mapped[str | None] = mapped_column(Text)
    schedule_number: Mapped[int | None] = mapped_column(Integer)
    # For a council payment: the contribution the person was to pay in for the same period, as it was then.
    contribution_pence: Mapped[int | None] = mapped_column(BigInteger)
    # One per form sent: pressing "Save" twice, or resending a page, records the money once.
    request_token: Mapped[str | None] = mapped_column(String(36), unique=True)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("statement_imports.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    plan_item: Mapped[PlanItemRecord | None] = relationship()
    receipt: Mapped[Receipt | None] = relationship()
    created_by: Mapped[User | None] = relationship()


class Commitment(Base):
    """Money promised but not yet paid (a booked week of respite, an invoice due), so the balance shows what is free."""

    __tablename__ = "commitments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("budget_accounts.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(String(300))
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    due_on: Mapped[date] = mapped_column(Date)
    plan_item_id: Mapped[int | None] = mapped_column(ForeignKey("plan_items.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(12), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class PersonalAssistant(Base):
    """A personal assistant paid from the budget: one per PA item in the plan, named by the person."""

    __tablename__ = "personal_assistants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("budget_accounts.id", ondelete="CASCADE"), index=True)
    plan_item_id: Mapped[int] = mapped_column(ForeignKey("plan_items.id", ondelete="RESTRICT"), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    hours_pattern: Mapped[str] = mapped_column(String(10))
    usual_weekly_hundredths: Mapped[int | None] = mapped_column(Integer)

    plan_item: Mapped[PlanItemRecord] = relationship()


class Timesheet(Base):
    """A week's hours for one personal assistant, at the plan's rate. Changed with a revision check, like the plan."""

    __tablename__ = "timesheets"
    __table_args__ = (UniqueConstraint("assistant_id", "week_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assistant_id: Mapped[int] = mapped_column(ForeignKey("personal_assistants.id", ondelete="CASCADE"), index=True)
    week_start: Mapped[date] = mapped_column(Date)
    hours: Mapped[list] = mapped_column(JSON)
    rate_pence: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class AccountReturn(Base):
    """A period's return sent to the council: what the ledger showed then, with the person's declaration."""

    __tablename__ = "account_returns"
    __table_args__ = (UniqueConstraint("account_id", "starts_on", "ends_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("budget_accounts.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[dict] = mapped_column(JSON)
    declared_by_name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12), default="sent")
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    account: Mapped[BudgetAccount] = relationship()
    sent_by: Mapped[User | None] = relationship(foreign_keys=[sent_by_id])
    messages: Mapped[list["ReturnMessage"]] = relationship(order_by="ReturnMessage.id")


class ReturnMessage(Base):
    """The council's question about a return, and the person's answer."""

    __tablename__ = "return_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("account_returns.id", ondelete="CASCADE"), index=True)
    from_council: Mapped[bool] = mapped_column(Boolean)
    text: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    written_by: Mapped[User | None] = relationship()


class AccountReview(Base):
    """A review of the plan and the account held by the council (Care Act s27)."""

    __tablename__ = "account_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("budget_accounts.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ChatMessage(Base):
    """One turn of a conversation with the assistant, kept so the conversation survives moving between pages.

    A conversation is known only by a random id held in the visitor's session, never by who they are.
    """

    __tablename__ = "chat_messages"
    __table_args__ = (Index("ix_chat_messages_conversation", "conversation_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(32))
    from_assistant: Mapped[bool] = mapped_column(Boolean)
    # What was said: the person's words, or what the assistant answered (a topic, a term, figures, choices).
    said: Mapped[dict] = mapped_column(JSON)
    said_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
