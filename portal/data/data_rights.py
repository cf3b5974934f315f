"""A person's own data: everything held about them, closing their account, and deleting what the council kept
once its retention date has passed (the rules are in portal.domain.retention)."""

import secrets
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import selectinload

from portal.data import budget_accounts
from portal.data.audit import events_for_person, record_event
from portal.data.db import db_session
from portal.data.models import (
    AccountReturn,
    AccountReview,
    Assessment,
    AuditEvent,
    BudgetAccount,
    Commitment,
    IndicativeBudgetRecord,
    Invitation,
    LedgerEntry,
    OutboxMessage,
    PasswordResetToken,
    PersonalAssistant,
    Receipt,
    Representation,
    StatementImport,
    SupportPlan,
    Timesheet,
    User,
    UserSession,
    utcnow,
)
from portal.domain import retention
from portal.domain.retention import Held, Record
from portal.timekeeping import LONDON

CLOSED_NAME = "Closed account"
APPROVED = "approved"


# ---- everything held about one person -----------------------------------------------------------------------------


@dataclass
class PersonRecords:
    """Every row the portal holds about one person, loaded for them alone."""

    user: User
    sessions: list[UserSession]
    helpers: list[Representation]  # people who help this person
    helping: list[Representation]  # people this person helps
    invitations: list[Invitation]
    assessments: list[Assessment]
    budgets: list[IndicativeBudgetRecord]
    plans: list[SupportPlan]
    account: BudgetAccount | None
    entries: list[LedgerEntry] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    assistants: list[tuple[PersonalAssistant, list[Timesheet]]] = field(default_factory=list)
    statement_imports: list[StatementImport] = field(default_factory=list)
    returns: list[AccountReturn] = field(default_factory=list)
    reviews: list[AccountReview] = field(default_factory=list)
    receipts: list[Receipt] = field(default_factory=list)
    emails: list[OutboxMessage] = field(default_factory=list)
    audit_events: list[AuditEvent] = field(default_factory=list)


def records_of(user: User) -> PersonRecords:
    session = db_session()
    found = PersonRecords(
        user=user,
        sessions=list(
            session.scalars(select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id))
        ),
        helpers=list(
            session.scalars(
                select(Representation).where(Representation.person_id == user.id).order_by(Representation.id)
            )
        ),
        helping=list(
            session.scalars(
                select(Representation).where(Representation.representative_id == user.id).order_by(Representation.id)
            )
        ),
        invitations=list(
            session.scalars(select(Invitation).where(Invitation.person_id == user.id).order_by(Invitation.id))
        ),
        assessments=list(
            session.scalars(
                select(Assessment)
                .options(selectinload(Assessment.answers))
                .where(Assessment.person_id == user.id)
                .order_by(Assessment.id)
            )
        ),
        budgets=list(
            session.scalars(
                select(IndicativeBudgetRecord)
                .options(
                    selectinload(IndicativeBudgetRecord.decisions),
                    selectinload(IndicativeBudgetRecord.review_requests),
                )
                .where(IndicativeBudgetRecord.person_id == user.id)
                .order_by(IndicativeBudgetRecord.id)
            )
        ),
        plans=list(
            session.scalars(
                select(SupportPlan)
                .options(
                    selectinload(SupportPlan.outcomes),
                    selectinload(SupportPlan.items),
                    selectinload(SupportPlan.decisions),
                )
                .where(SupportPlan.person_id == user.id)
                .order_by(SupportPlan.version)
            )
        ),
        account=budget_accounts.account_for(user.id),
        emails=list(
            session.scalars(
                select(OutboxMessage).where(OutboxMessage.to_address == user.email).order_by(OutboxMessage.id)
            )
        ),
        audit_events=events_for_person(user.id),
    )
    account = found.account
    if account is not None:
        found.entries = budget_accounts.entries(account)
        found.commitments = budget_accounts.commitments(account, status=None)
        found.assistants = [(pa, budget_accounts.timesheets(pa)) for pa in budget_accounts.assistants(account)]
        found.statement_imports = list(
            session.scalars(
                select(StatementImport).where(StatementImport.account_id == account.id).order_by(StatementImport.id)
            )
        )
        found.returns = budget_accounts.returns(account)
        found.reviews = budget_accounts.reviews(account)
        found.receipts = list(
            session.scalars(select(Receipt).where(Receipt.account_id == account.id).order_by(Receipt.id))
        )
    return found


def receipt_file(receipt: Receipt) -> Path | None:
    """The stored file, or None once it has been deleted (its retention passed) or lost."""
    path = budget_accounts.receipt_path(receipt)
    return path if path.is_file() else None


def record_download(user: User) -> None:
    record_event(user, user.id, "data.downloaded")
    db_session().commit()


# ---- what is kept, and until when ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Holding:
    """One row of a person's records, the kind of record it is, and the day its retention counts from."""

    held: Held
    row_id: int


def _day(moment: datetime | None) -> date | None:
    return moment.astimezone(LONDON).date() if moment is not None else None


def _latest(*days: date | None) -> date:
    return retention.kept_together(*(day for day in days if day is not None))


Hold = Callable[[Record, date, int], None]


def holdings(user: User, closed_on: date) -> list[Holding]:
    """Every record about the person, dated so that records which refer to each other are kept together.

    `closed_on` is the day the account closed (or would close today): what was in force until then is dated then.
    """
    session = db_session()
    found: list[Holding] = []

    def hold(record: Record, dated: date, row_id: int) -> None:
        found.append(Holding(Held(record, dated), row_id))

    hold(Record.ACCOUNT_DETAILS, closed_on, user.id)
    for row_id in session.scalars(select(OutboxMessage.id).where(OutboxMessage.to_address == user.email)):
        hold(Record.EMAILS, closed_on, row_id)
    for row_id in session.scalars(select(Invitation.id).where(Invitation.person_id == user.id)):
        hold(Record.INVITATIONS, closed_on, row_id)
    account = budget_accounts.account_for(user.id)
    account_dated = _hold_account(account, closed_on, hold) if account is not None else None
    _hold_plans(user, closed_on, account_dated, hold)
    for link in session.scalars(select(Representation).where(Representation.person_id == user.id)):
        hold(Record.HELPER, _day(link.ended_at) or closed_on, link.id)
    for row in session.scalars(select(UserSession).where(UserSession.user_id == user.id)):
        hold(Record.SIGNED_IN_SESSION, _latest(_day(row.ended_at) or closed_on, _day(row.last_seen_at)), row.id)
    for row_id, at in session.execute(select(AuditEvent.id, AuditEvent.at).where(AuditEvent.person_id == user.id)):
        hold(Record.AUDIT_EVENT, _day(at) or closed_on, row_id)
    return found


def _hold_plans(user: User, closed_on: date, account_dated: date | None, hold: Hold) -> None:
    """Plans, and the assessments and budgets they rest on."""
    session = db_session()
    plans = list(session.scalars(select(SupportPlan).where(SupportPlan.person_id == user.id)))
    approved = [plan for plan in plans if plan.status == APPROVED]
    # Every approved version is part of the financial record kept with the account: it is what the money paid for.
    plan_dated = account_dated or _latest(closed_on, *(_day(plan.approved_at) for plan in approved))
    for plan in plans:
        hold(Record.APPROVED_PLAN if plan.status == APPROVED else Record.UNAPPROVED_PLAN, plan_dated, plan.id)
    funding = {plan.indicative_budget_id for plan in approved}
    funding_assessments = set()
    for budget_id, assessment_id in session.execute(
        select(IndicativeBudgetRecord.id, IndicativeBudgetRecord.assessment_id).where(
            IndicativeBudgetRecord.person_id == user.id
        )
    ):
        if budget_id in funding:
            # The amount the plan was approved against, and the answers it came from, are kept with the plan.
            hold(Record.FUNDING_DECISION, plan_dated, budget_id)
            funding_assessments.add(assessment_id)
    for row_id in session.scalars(select(Assessment.id).where(Assessment.person_id == user.id)):
        if row_id not in funding_assessments:
            hold(Record.ASSESSMENT, closed_on, row_id)


def _hold_account(account: BudgetAccount, closed_on: date, hold: Hold) -> date:  # noqa: C901 - one loop per kind of row
    """Hold the budget account's records; returns the account's own date: the last of everything in it."""
    session = db_session()
    rows = list(session.scalars(select(LedgerEntry).where(LedgerEntry.account_id == account.id)))
    dated = {row.id: row.occurred_on for row in rows}
    for row in rows:
        # A correction and the entry it corrects tell one story: neither may go before the other.
        if row.reverses_id is not None and row.reverses_id in dated:
            together = _latest(dated[row.id], dated[row.reverses_id])
            dated[row.id] = dated[row.reverses_id] = together
    financial_days: list[date] = [closed_on, account.starts_on]
    by_import: dict[int, list[date]] = {}
    for row in rows:
        hold(Record.LEDGER_ENTRY, dated[row.id], row.id)
        financial_days.append(dated[row.id])
        if row.import_id is not None:
            by_import.setdefault(row.import_id, []).append(dated[row.id])

    for upload in session.scalars(select(StatementImport).where(StatementImport.account_id == account.id)):
        if upload.status == "imported":
            day = _latest(_day(upload.uploaded_at), *by_import.get(upload.id, []))
            hold(Record.BANK_STATEMENT, day, upload.id)
            financial_days.append(day)
        else:
            hold(Record.STATEMENT_UPLOAD, closed_on, upload.id)
    for commitment in session.scalars(select(Commitment).where(Commitment.account_id == account.id)):
        day = _latest(commitment.due_on, _day(commitment.created_at), _day(commitment.closed_at))
        hold(Record.COMMITMENT, day, commitment.id)
        financial_days.append(day)
    for sent in session.scalars(
        select(AccountReturn)
        .options(selectinload(AccountReturn.messages))
        .where(AccountReturn.account_id == account.id)
    ):
        day = _latest(
            sent.ends_on, _day(sent.sent_at), _day(sent.reviewed_at), *(_day(m.written_at) for m in sent.messages)
        )
        hold(Record.ACCOUNT_RETURN, day, sent.id)
        financial_days.append(day)
    for review in session.scalars(select(AccountReview).where(AccountReview.account_id == account.id)):
        day = _latest(review.held_on, _day(review.recorded_at))
        hold(Record.ACCOUNT_REVIEW, day, review.id)
        financial_days.append(day)

    # A receipt proves a payment, so it belongs to the payment's year; only the file is the supporting document.
    spent_on = {row.receipt_id: row.occurred_on for row in rows if row.receipt_id is not None}
    for receipt in session.scalars(select(Receipt).where(Receipt.account_id == account.id)):
        if receipt_file(receipt) is not None:
            hold(Record.RECEIPT, spent_on.get(receipt.id) or _day(receipt.uploaded_at) or closed_on, receipt.id)
    for sheet_id, week_start in session.execute(
        select(Timesheet.id, Timesheet.week_start)
        .join(PersonalAssistant, PersonalAssistant.id == Timesheet.assistant_id)
        .where(PersonalAssistant.account_id == account.id)
    ):
        hold(Record.TIMESHEET, week_start + timedelta(days=6), sheet_id)  # dated by the last day of its week

    account_dated = _latest(*financial_days)
    hold(Record.BUDGET_ACCOUNT, account_dated, account.id)
    return account_dated


def closure_for(user: User, today: date) -> retention.Closure:
    """What closing the account today would delete, and what would be kept until when."""
    return retention.closure((holding.held for holding in holdings(user, today)), today)


def people_helped_by(user: User) -> list[User]:
    """Whom this user helps now: closing their account ends that, and those people's records stay theirs."""
    return list(
        db_session().scalars(
            select(User)
            .join(Representation, Representation.person_id == User.id)
            .where(Representation.representative_id == user.id, Representation.ended_at.is_(None))
            .order_by(User.full_name)
        )
    )


# ---- closing an account -------------------------------------------------------------------------------------------


def close_account(user: User, today: date) -> None:
    """Close the account: delete what nothing requires, end every session and helper link, keep the rest.

    One transaction; receipt files are removed only once it has committed, so a failure loses nothing.
    """
    session = db_session()
    now = utcnow()
    closure = closure_for(user, today)
    session.execute(delete(PasswordResetToken).where(PasswordResetToken.user_id == user.id))
    session.execute(
        update(Representation)
        .where(
            or_(Representation.person_id == user.id, Representation.representative_id == user.id),
            Representation.ended_at.is_(None),
        )
        .values(ended_at=now, ended_by_id=user.id)
    )
    session.execute(
        update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None)).values(ended_at=now)
    )
    files = _delete_expired(user, today, holdings(user, today))
    record_event(
        user,
        user.id,
        "account.closed",
        deleted=[record.value for record in closure.deleted],
        kept={group.record.value: group.last_until.isoformat() for group in closure.kept},
    )
    # The row stays as the owner of what is kept, with nothing left in it that says who the person was. A fresh
    # placeholder address frees the real one, so the person can register again.
    user.full_name = CLOSED_NAME
    user.email = f"closed-{user.id}-{secrets.token_hex(8)}@closed.invalid"
    user.password_hash = "!closed"  # not a hash: no password can ever match it
    user.locale = user.phone = user.contact_method = user.text_size = None
    user.reminders_by_email = user.high_contrast = False
    user.last_signed_in_at = None
    user.session_version += 1  # every browser still signed in to the account is signed out
    user.closed_at = now
    session.commit()
    _remove_files(files)


# ---- deleting what has expired ------------------------------------------------------------------------------------


# Children before parents, so no row is ever left pointing at one that has gone.
DELETION_ORDER = (
    Record.EMAILS,
    Record.INVITATIONS,
    Record.TIMESHEET,
    Record.LEDGER_ENTRY,
    Record.RECEIPT,
    Record.BANK_STATEMENT,
    Record.STATEMENT_UPLOAD,
    Record.COMMITMENT,
    Record.ACCOUNT_RETURN,
    Record.ACCOUNT_REVIEW,
    Record.BUDGET_ACCOUNT,
    Record.UNAPPROVED_PLAN,
    Record.APPROVED_PLAN,
    Record.ASSESSMENT,
    Record.FUNDING_DECISION,
    Record.HELPER,
    Record.SIGNED_IN_SESSION,
    Record.AUDIT_EVENT,
)
SIMPLE_ROWS = {
    Record.EMAILS: OutboxMessage,
    Record.INVITATIONS: Invitation,
    Record.TIMESHEET: Timesheet,
    Record.BANK_STATEMENT: StatementImport,
    Record.STATEMENT_UPLOAD: StatementImport,
    Record.COMMITMENT: Commitment,
    Record.ACCOUNT_RETURN: AccountReturn,
    Record.ACCOUNT_REVIEW: AccountReview,
    Record.UNAPPROVED_PLAN: SupportPlan,
    Record.APPROVED_PLAN: SupportPlan,
    Record.FUNDING_DECISION: IndicativeBudgetRecord,
    Record.ASSESSMENT: Assessment,
    Record.HELPER: Representation,
    Record.SIGNED_IN_SESSION: UserSession,
    Record.AUDIT_EVENT: AuditEvent,
}


def _delete_expired(user: User, today: date, held: Iterable[Holding]) -> list[Path]:
    """Delete every expired record in `held`; returns the receipt files to remove once this has committed."""
    session = db_session()
    due: dict[Record, list[int]] = {}
    for holding in held:
        if retention.expired(holding.held, today):
            due.setdefault(holding.held.record, []).append(holding.row_id)
    files: list[Path] = []
    account = budget_accounts.account_for(user.id)
    for record in DELETION_ORDER:
        ids = due.get(record, [])
        if record is Record.LEDGER_ENTRY and ids:
            # A correction goes before the entry it corrects, which it points at.
            session.execute(delete(LedgerEntry).where(LedgerEntry.id.in_(ids), LedgerEntry.reverses_id.is_not(None)))
            session.execute(delete(LedgerEntry).where(LedgerEntry.id.in_(ids)))
        elif record is Record.RECEIPT:
            files += _delete_receipts(account, set(ids))
        elif record is Record.BUDGET_ACCOUNT and ids:
            files += _delete_receipts(account, set(), everything=True)
            session.execute(delete(PersonalAssistant).where(PersonalAssistant.account_id.in_(ids)))
            session.execute(delete(BudgetAccount).where(BudgetAccount.id.in_(ids)))
        elif record is Record.FUNDING_DECISION and ids:
            assessments = list(
                session.scalars(select(IndicativeBudgetRecord.assessment_id).where(IndicativeBudgetRecord.id.in_(ids)))
            )
            session.execute(delete(IndicativeBudgetRecord).where(IndicativeBudgetRecord.id.in_(ids)))
            session.execute(delete(Assessment).where(Assessment.id.in_(assessments)))
        elif ids and record in SIMPLE_ROWS:
            model = SIMPLE_ROWS[record]
            session.execute(delete(model).where(model.id.in_(ids)))
    session.flush()
    return files


def _delete_receipts(account: BudgetAccount | None, expired_ids: set[int], everything: bool = False) -> list[Path]:
    """Expired receipt files go; a receipt's row goes too once no kept ledger entry refers to it.

    The row of a receipt whose file has gone stays with its entry (the ledger is never changed): it shows a receipt
    was given, with its checksum, and nothing more.
    """
    if account is None:
        return []
    session = db_session()
    files, unneeded = [], []
    referenced = set(
        session.scalars(
            select(LedgerEntry.receipt_id).where(
                LedgerEntry.account_id == account.id, LedgerEntry.receipt_id.is_not(None)
            )
        )
    )
    for receipt in session.scalars(select(Receipt).where(Receipt.account_id == account.id)):
        stored = receipt_file(receipt)
        if everything or receipt.id in expired_ids or stored is None:
            if stored is not None:
                files.append(stored)
            if receipt.id not in referenced:
                unneeded.append(receipt.id)
    session.execute(delete(Receipt).where(Receipt.id.in_(unneeded)))
    return files


def _remove_files(files: Iterable[Path]) -> None:
    for path in files:
        path.unlink(missing_ok=True)


def _nothing_left(user: User) -> bool:
    """True once no record about the person, and no record of anything they did, remains."""
    session = db_session()
    checks = (
        select(Assessment.id).where(Assessment.person_id == user.id),
        select(IndicativeBudgetRecord.id).where(IndicativeBudgetRecord.person_id == user.id),
        select(SupportPlan.id).where(SupportPlan.person_id == user.id),
        select(BudgetAccount.id).where(BudgetAccount.person_id == user.id),
        select(Representation.id).where(
            or_(Representation.person_id == user.id, Representation.representative_id == user.id)
        ),
        select(Invitation.id).where(Invitation.person_id == user.id),
        select(UserSession.id).where(UserSession.user_id == user.id),
        select(AuditEvent.id).where(or_(AuditEvent.person_id == user.id, AuditEvent.actor_id == user.id)),
    )
    return not any(session.scalar(check.limit(1)) is not None for check in checks)


@dataclass(frozen=True)
class Purged:
    deleted: Counter[Record]
    files: int
    accounts_removed: int


def purge_expired_records(today: date) -> Purged:
    """The scheduled job: for every closed account, delete each kept record whose retention date has passed.

    Accounts still open are never touched: a person using the service keeps their whole history.
    """
    session = db_session()
    deleted: Counter[Record] = Counter()
    files: list[Path] = []
    removed = 0
    closed = list(session.scalars(select(User).where(User.closed_at.is_not(None)).order_by(User.id)))
    for user in closed:
        held = holdings(user, _day(user.closed_at) or today)
        deleted.update(
            h.held.record for h in held if retention.expired(h.held, today) and h.held.record in DELETION_ORDER
        )
        files += _delete_expired(user, today, held)
        if _nothing_left(user):
            # Nothing is kept any more, so neither is the placeholder row that owned it.
            session.execute(delete(User).where(User.id == user.id))
            removed += 1
        session.commit()
    _remove_files(files)
    if deleted or removed:
        counts = {record.value: count for record, count in sorted(deleted.items())}
        record_event(None, None, "records.purged", records=counts, accounts=removed)
        session.commit()
    return Purged(deleted=deleted, files=len(files), accounts_removed=removed)
