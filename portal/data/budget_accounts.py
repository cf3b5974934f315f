"""Budget accounts: opened on approval, an append-only ledger, receipts, commitments, PAs' timesheets, returns."""

import hashlib
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.data.audit import record_event
from portal.data.db import db_session
from portal.data.models import (
    AccountReturn,
    AccountReview,
    BudgetAccount,
    Commitment,
    LedgerEntry,
    PersonalAssistant,
    PlanItemRecord,
    Receipt,
    ReturnMessage,
    StatementImport,
    SupportPlan,
    Timesheet,
    User,
    utcnow,
)
from portal.domain import budget_account as rules
from portal.domain import ledger
from portal.domain.receipts import ReceiptType, safe_download_name

__all__ = [
    "AccountReturn",
    "BudgetAccount",
    "Commitment",
    "LedgerEntry",
    "PersonalAssistant",
    "Receipt",
    "StatementImport",
    "Timesheet",
]


def monitoring_rules() -> rules.MonitoringRules:
    """The council's settings from content/monitoring.yml, as the pure rules take them."""
    config = current_app.extensions["content"].monitoring
    return rules.MonitoringRules(
        payment_frequency=rules.PaymentFrequency(config.payment_frequency),
        surplus_explain_weeks=config.surplus_explain_weeks,
        surplus_recover_weeks=config.surplus_recover_weeks,
        look_ahead_weeks=config.look_ahead_weeks,
        return_frequency=rules.PaymentFrequency(config.return_frequency),
        return_due_days=config.return_due_days,
        contribution_grace_days=config.contribution_grace_days,
        first_review_weeks=config.first_review_weeks,
        review_every_weeks=config.review_every_weeks,
        receipts_needed_from_pence=config.receipts_needed_from_pence,
        blocked=tuple(rules.BlockedCategory(c.code, c.words) for c in config.blocked_spending),
    )


# ---- opening ------------------------------------------------------------------------------------------------------


def open_for_approved_plan(plan: SupportPlan, by: User, starts_on: date) -> BudgetAccount:
    """Called in the approval's own transaction: the account opens with the plan, or moves on to a new version."""
    session = db_session()
    account = account_for(plan.person_id)
    if account is None:
        account = BudgetAccount(
            person_id=plan.person_id,
            plan_id=plan.id,
            starts_on=starts_on,
            annual_pence=plan.final_budget_pence,
            payment_frequency=monitoring_rules().payment_frequency.value,
            weekly_contribution_pence=0,
        )
        session.add(account)
        session.flush()
        record_event(by, plan.person_id, "account.opened", annual_pence=plan.final_budget_pence, version=plan.version)
    else:
        account.plan_id = plan.id
        account.annual_pence = plan.final_budget_pence
        account.revision += 1
        # Each PA goes on with the same item in the new version, so their timesheets stay with them.
        by_key = {item.item_key: item.id for item in plan.items}
        for assistant in assistants(account):
            if assistant.plan_item.item_key in by_key:
                assistant.plan_item_id = by_key[assistant.plan_item.item_key]
        record_event(by, plan.person_id, "account.plan_changed", annual_pence=plan.final_budget_pence)
    return account


def account_for(person_id: int) -> BudgetAccount | None:
    return db_session().scalar(select(BudgetAccount).where(BudgetAccount.person_id == person_id))


def all_accounts() -> list[BudgetAccount]:
    return list(db_session().scalars(select(BudgetAccount).order_by(BudgetAccount.opened_at, BudgetAccount.id)))


def schedule(account: BudgetAccount) -> list[rules.ScheduledPayment]:
    """The year's payments: those made as they were made, the rest from the account's terms as they are now."""
    made = db_session().scalars(
        select(LedgerEntry).where(LedgerEntry.account_id == account.id, LedgerEntry.schedule_number.is_not(None))
    )
    return rules.payment_schedule(
        account.starts_on,
        account.annual_pence,
        account.weekly_contribution_pence,
        rules.PaymentFrequency(account.payment_frequency),
        contribution_from=account.contribution_from,
        already_paid=[
            rules.ScheduledPayment(row.schedule_number, row.occurred_on, row.amount_pence, row.contribution_pence or 0)
            for row in made
        ],
    )


def post_due_payments(account: BudgetAccount, today: date) -> None:
    """The council's payments that have fallen due go into the ledger, each once (the database makes sure)."""
    session = db_session()
    posted = set(
        session.scalars(
            select(LedgerEntry.schedule_number).where(
                LedgerEntry.account_id == account.id, LedgerEntry.schedule_number.is_not(None)
            )
        )
    )
    due = [p for p in schedule(account) if p.due_on <= today and p.number not in posted and p.total_pence > 0]
    if not due:
        return
    for payment in due:
        session.add(
            LedgerEntry(
                account_id=account.id,
                kind=ledger.EntryKind.COUNCIL_PAYMENT.value,
                occurred_on=payment.due_on,
                amount_pence=payment.council_pence,
                payee=current_app.config["COUNCIL_NAME"],
                description="",
                schedule_number=payment.number,
                contribution_pence=payment.contribution_pence,
            )
        )
    try:
        session.commit()
    except IntegrityError:  # another request posted them a moment ago: theirs stand
        session.rollback()


# ---- the ledger ---------------------------------------------------------------------------------------------------


def entries(account: BudgetAccount) -> list[LedgerEntry]:
    return list(
        db_session().scalars(
            select(LedgerEntry)
            .options(selectinload(LedgerEntry.plan_item), selectinload(LedgerEntry.receipt))
            .where(LedgerEntry.account_id == account.id)
            .order_by(LedgerEntry.occurred_on, LedgerEntry.id)
        )
    )


def latest_entry_id(account: BudgetAccount) -> int:
    """The newest entry's id (0 for none): a page made before a later entry can tell it is out of date."""
    found = db_session().scalar(select(func.max(LedgerEntry.id)).where(LedgerEntry.account_id == account.id))
    return found or 0


def get_entry(account: BudgetAccount, entry_id: int) -> LedgerEntry | None:
    entry = db_session().get(LedgerEntry, entry_id)
    return entry if entry is not None and entry.account_id == account.id else None


def domain_entries(account: BudgetAccount) -> tuple[ledger.Entry, ...]:
    """The ledger as the rules read it, straight from its columns: the same as `as_domain(entries(account))`, but an
    account of thousands of entries is added up without first becoming thousands of ORM objects. Plain rows (the
    connection, not the ORM session) are read for the same reason."""
    found = db_session().connection().execute(
        select(
            LedgerEntry.id, LedgerEntry.kind, LedgerEntry.occurred_on, LedgerEntry.amount_pence,
            LedgerEntry.reverses_id, PlanItemRecord.item_key, LedgerEntry.receipt_id, LedgerEntry.payment_method,
            LedgerEntry.payee, LedgerEntry.description, LedgerEntry.other_reason,
        )
        .outerjoin(PlanItemRecord, LedgerEntry.plan_item_id == PlanItemRecord.id)
        .where(LedgerEntry.account_id == account.id)
        .order_by(LedgerEntry.occurred_on, LedgerEntry.id)
    )  # fmt: skip
    kinds = {kind.value: kind for kind in ledger.EntryKind}
    return tuple(
        ledger.Entry(
            id=entry_id,
            kind=kinds[kind],
            occurred_on=occurred_on,
            amount_pence=amount_pence,
            reverses_id=reverses_id,
            plan_item_key=item_key,
            has_receipt=receipt_id is not None,
            paid_by_card=payment_method == "prepaid card",
            words=" ".join(filter(None, (payee, description, other_reason))),
        )
        for (entry_id, kind, occurred_on, amount_pence, reverses_id, item_key, receipt_id, payment_method, payee,
             description, other_reason) in found
    )  # fmt: skip


def as_domain(rows: Sequence[LedgerEntry]) -> tuple[ledger.Entry, ...]:
    return tuple(
        ledger.Entry(
            id=row.id,
            kind=ledger.EntryKind(row.kind),
            occurred_on=row.occurred_on,
            amount_pence=row.amount_pence,
            reverses_id=row.reverses_id,
            plan_item_key=row.plan_item.item_key if row.plan_item else None,
            has_receipt=row.receipt_id is not None,
            paid_by_card=row.payment_method == "prepaid card",
            words=" ".join(filter(None, (row.payee, row.description, row.other_reason))),
        )
        for row in rows
    )


@dataclass(frozen=True)
class NewEntry:
    kind: ledger.EntryKind
    occurred_on: date
    amount_pence: int
    payee: str = ""
    description: str = ""
    plan_item_id: int | None = None
    other_reason: str | None = None
    payment_method: str | None = None
    note: str | None = None
    request_token: str | None = None  # the form's one-time token: the same form sent twice records once


def record_entry(account: BudgetAccount, new: NewEntry, by: User, receipt: Receipt | None = None) -> bool:
    """Append an entry. False if this form was already saved (sent twice): nothing more is written."""
    session = db_session()
    entry = _row(account, new, by)
    entry.request_token = new.request_token
    entry.receipt_id = receipt.id if receipt else None
    session.add(entry)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        already_saved = new.request_token is not None and session.scalar(
            select(LedgerEntry.id).where(LedgerEntry.request_token == new.request_token)
        )
        if not already_saved:
            raise  # some other rule refused it: never tell the person it was recorded
        return False
    record_event(
        by, account.person_id, f"ledger.{new.kind.name.lower()}", entry=entry.id, amount_pence=new.amount_pence
    )
    session.commit()
    return True


def _row(account: BudgetAccount, new: NewEntry, by: User, import_id: int | None = None) -> LedgerEntry:
    return LedgerEntry(
        account_id=account.id,
        kind=new.kind.value,
        occurred_on=new.occurred_on,
        amount_pence=new.amount_pence,
        payee=new.payee,
        description=new.description,
        plan_item_id=new.plan_item_id,
        other_reason=new.other_reason,
        payment_method=new.payment_method,
        note=new.note,
        import_id=import_id,
        created_by_id=by.id,
    )


def correct_entry(account: BudgetAccount, original: LedgerEntry, reason: str, by: User, today: date) -> str | None:
    """Undo an entry with a reversing entry linked to it. Returns None, or the code of why it cannot be done."""
    session = db_session()
    everything = as_domain(entries(account))
    this = next(entry for entry in everything if entry.id == original.id)
    try:
        ledger.correction_for(this, everything, new_id=0, on=today)
    except ledger.LedgerError as error:
        return error.code
    reversal = LedgerEntry(
        account_id=account.id,
        kind=original.kind,
        occurred_on=today,
        amount_pence=original.amount_pence,
        payee=original.payee,
        description=original.description,
        plan_item_id=original.plan_item_id,
        other_reason=original.other_reason,
        payment_method=original.payment_method,
        reverses_id=original.id,
        correction_reason=reason,
        created_by_id=by.id,
    )
    session.add(reversal)
    try:
        session.flush()
    except IntegrityError:  # the person and their helper corrected it at the same moment: one correction stands
        session.rollback()
        return "already_corrected"
    record_event(by, account.person_id, "ledger.corrected", entry=original.id, correction=reversal.id, reason=reason)
    session.commit()
    return None


def corrections_of(rows: Sequence[LedgerEntry]) -> dict[int, LedgerEntry]:
    """Each corrected entry's id, with the entry that corrected it."""
    return {row.reverses_id: row for row in rows if row.reverses_id is not None}


# ---- receipts -----------------------------------------------------------------------------------------------------


def receipts_folder() -> Path:
    return Path(current_app.config["RECEIPTS_DIR"])


def store_receipt(account: BudgetAccount, content: bytes, kind: ReceiptType, original_name: str, by: User) -> Receipt:
    """Write the file first (to a temporary name, then renamed, so no half-written file is ever seen), then its row.

    If the row cannot be saved, the file is removed: nothing is half-saved. Not committed here: the entry that
    the receipt belongs to commits both together.
    """
    folder = receipts_folder()
    folder.mkdir(parents=True, exist_ok=True)
    storage_name = secrets.token_hex(20)
    final = folder / storage_name
    temporary = folder / f".{storage_name}.part"
    try:
        with open(temporary, "xb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        temporary.replace(final)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise
    receipt = Receipt(
        account_id=account.id,
        storage_name=storage_name,
        download_name=safe_download_name(original_name, kind),
        content_type=kind.value,
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by_id=by.id,
    )
    session = db_session()
    session.add(receipt)
    try:
        session.flush()
    except Exception:
        session.rollback()
        final.unlink(missing_ok=True)
        raise
    return receipt


def forget_unsaved_receipt(receipt: Receipt) -> None:
    """The entry it was for could not be saved: the file goes too."""
    (receipts_folder() / receipt.storage_name).unlink(missing_ok=True)


def receipt_path(receipt: Receipt) -> Path:
    return receipts_folder() / receipt.storage_name


def get_receipt(account: BudgetAccount, receipt_id: int) -> Receipt | None:
    receipt = db_session().get(Receipt, receipt_id)
    return receipt if receipt is not None and receipt.account_id == account.id else None


def attach_receipt(account: BudgetAccount, entry: LedgerEntry, receipt: Receipt, by: User) -> bool:
    """A receipt found later, attached to an entry that has none. The money is unchanged, so this is not a
    correction; it is the only change a ledger row ever takes, and only once (two uploads at once: the first stands).
    """
    session = db_session()
    attached = session.execute(
        update(LedgerEntry)
        .where(LedgerEntry.id == entry.id, LedgerEntry.account_id == account.id, LedgerEntry.receipt_id.is_(None))
        .values(receipt_id=receipt.id)
    ).rowcount
    if not attached:
        session.rollback()
        forget_unsaved_receipt(receipt)
        return False
    record_event(by, account.person_id, "ledger.receipt_added", entry=entry.id, receipt=receipt.id)
    session.commit()
    return True


# ---- commitments --------------------------------------------------------------------------------------------------


def commitments(account: BudgetAccount, status: str | None = "open") -> list[Commitment]:
    query = select(Commitment).where(Commitment.account_id == account.id)
    if status:
        query = query.where(Commitment.status == status)
    return list(db_session().scalars(query.order_by(Commitment.due_on, Commitment.id)))


def add_commitment(
    account: BudgetAccount, description: str, amount_pence: int, due_on: date, plan_item_id: int | None, by: User
) -> Commitment:
    session = db_session()
    commitment = Commitment(
        account_id=account.id,
        description=description,
        amount_pence=amount_pence,
        due_on=due_on,
        plan_item_id=plan_item_id,
        created_by_id=by.id,
    )
    session.add(commitment)
    session.flush()
    record_event(by, account.person_id, "commitment.added", commitment=commitment.id, amount_pence=amount_pence)
    session.commit()
    return commitment


def close_commitment(account: BudgetAccount, commitment_id: int, status: str, by: User) -> bool:
    """Paid (then recorded as spending) or cancelled. Only an open commitment can be closed, once."""
    session = db_session()
    closed = session.execute(
        update(Commitment)
        .where(Commitment.id == commitment_id, Commitment.account_id == account.id, Commitment.status == "open")
        .values(status=status, closed_at=utcnow(), closed_by_id=by.id)
    ).rowcount
    if closed:
        record_event(by, account.person_id, f"commitment.{status}", commitment=commitment_id)
    session.commit()
    return bool(closed)


# ---- personal assistants ------------------------------------------------------------------------------------------


def assistants(account: BudgetAccount) -> list[PersonalAssistant]:
    return list(
        db_session().scalars(
            select(PersonalAssistant).where(PersonalAssistant.account_id == account.id).order_by(PersonalAssistant.id)
        )
    )


def get_assistant(account: BudgetAccount, assistant_id: int) -> PersonalAssistant | None:
    found = db_session().get(PersonalAssistant, assistant_id)
    return found if found is not None and found.account_id == account.id else None


def set_up_assistant(
    account: BudgetAccount, item: PlanItemRecord, name: str, pattern: str, usual_hundredths: int | None, by: User
) -> PersonalAssistant:
    session = db_session()
    found = session.scalar(select(PersonalAssistant).where(PersonalAssistant.plan_item_id == item.id))
    if found is None:
        found = PersonalAssistant(account_id=account.id, plan_item_id=item.id)
        session.add(found)
    found.name, found.hours_pattern, found.usual_weekly_hundredths = name, pattern, usual_hundredths
    session.flush()
    record_event(by, account.person_id, "assistant.saved", assistant=found.id)
    session.commit()
    return found


def timesheets(assistant: PersonalAssistant) -> list[Timesheet]:
    return list(
        db_session().scalars(
            select(Timesheet).where(Timesheet.assistant_id == assistant.id).order_by(Timesheet.week_start)
        )
    )


def get_timesheet(assistant: PersonalAssistant, week_start: date) -> Timesheet | None:
    return db_session().scalar(
        select(Timesheet).where(Timesheet.assistant_id == assistant.id, Timesheet.week_start == week_start)
    )


def save_timesheet(
    account: BudgetAccount,
    assistant: PersonalAssistant,
    week_start: date,
    hours: list[int],
    rate_pence: int,
    seen_revision: int,
    by: User,
) -> bool:
    """Save a week's hours, unless someone saved it since the page was opened (then False, nothing changed)."""
    session = db_session()
    existing = get_timesheet(assistant, week_start)
    if existing is None:
        if seen_revision != 0:
            return False
        session.add(
            Timesheet(
                assistant_id=assistant.id,
                week_start=week_start,
                hours=hours,
                rate_pence=rate_pence,
                updated_by_id=by.id,
            )
        )
    else:
        changed = session.execute(
            update(Timesheet)
            .where(Timesheet.id == existing.id, Timesheet.revision == seen_revision)
            .values(hours=hours, rate_pence=rate_pence, revision=Timesheet.revision + 1, updated_by_id=by.id)
        ).rowcount
        if not changed:
            session.rollback()
            return False
    record_event(by, account.person_id, "timesheet.saved", assistant=assistant.id, week=week_start.isoformat())
    try:
        session.commit()
    except IntegrityError:  # two first saves of the same week at once
        session.rollback()
        return False
    return True


def wages_paid(account: BudgetAccount, assistant: PersonalAssistant, starts_on: date, ends_on: date) -> int:
    """Everything paid out for this PA's plan item in the period (wages, and HMRC and pension for them).

    Only entries that still stand: a corrected payment and its correction leave nothing behind.
    """
    key = assistant.plan_item.item_key
    return sum(
        e.amount_pence
        for e in ledger.standing(as_domain(entries(account)))
        if e.kind is ledger.EntryKind.SPENDING and e.plan_item_key == key and starts_on <= e.occurred_on <= ends_on
    )


# ---- statement imports --------------------------------------------------------------------------------------------


def start_import(account: BudgetAccount, filename: str, content: bytes, mapping: dict, by: User) -> StatementImport:
    session = db_session()
    upload = StatementImport(
        account_id=account.id, filename=filename[:200], content=content, mapping=mapping, uploaded_by_id=by.id
    )
    session.add(upload)
    session.commit()
    return upload


def get_import(account: BudgetAccount, import_id: int) -> StatementImport | None:
    found = db_session().get(StatementImport, import_id)
    return found if found is not None and found.account_id == account.id else None


def save_import_mapping(upload: StatementImport, mapping: dict) -> None:
    upload.mapping = mapping
    db_session().commit()


def confirm_import(account: BudgetAccount, upload: StatementImport, new_entries: Sequence[NewEntry], by: User) -> bool:
    """All the lines or none: one transaction, and an import can be confirmed only once."""
    session = db_session()
    claimed = session.execute(
        update(StatementImport)
        .where(StatementImport.id == upload.id, StatementImport.status == "preview")
        .values(status="imported", imported_at=utcnow())
    ).rowcount
    if not claimed:
        session.rollback()
        return False
    for new in new_entries:
        session.add(_row(account, new, by, import_id=upload.id))
    record_event(by, account.person_id, "ledger.imported", statement=upload.id, lines=len(new_entries))
    session.commit()
    return True


# ---- returns and reviews ------------------------------------------------------------------------------------------


def returns(account: BudgetAccount) -> list[AccountReturn]:
    return list(
        db_session().scalars(
            select(AccountReturn).where(AccountReturn.account_id == account.id).order_by(AccountReturn.starts_on)
        )
    )


def get_return(return_id: int) -> AccountReturn | None:
    return db_session().get(AccountReturn, return_id)


def send_return(account: BudgetAccount, period: rules.Period, summary: dict, declared_by: str, by: User) -> bool:
    session = db_session()
    session.add(
        AccountReturn(
            account_id=account.id,
            starts_on=period.starts_on,
            ends_on=period.ends_on,
            summary=summary,
            declared_by_name=declared_by,
            sent_by_id=by.id,
        )
    )
    record_event(by, account.person_id, "return.sent", starts_on=period.starts_on.isoformat())
    try:
        session.commit()
    except IntegrityError:  # already sent for this period
        session.rollback()
        return False
    return True


# Where a return may go, and from where: the council asks or reviews what is waiting; the person answers a question.
RETURN_MOVES = {"question": ("sent", "answered"), "reviewed": ("sent", "answered"), "answered": ("question",)}


def _move_return(sent: AccountReturn, becomes: str, **values: object) -> bool:
    session = db_session()
    moved = session.execute(
        update(AccountReturn)
        .where(AccountReturn.id == sent.id, AccountReturn.status.in_(RETURN_MOVES[becomes]))
        .values(status=becomes, **values)
    ).rowcount
    if not moved:
        session.rollback()
    return bool(moved)


def add_return_message(sent: AccountReturn, text: str, from_council: bool, by: User) -> bool:
    """The council's question or the person's answer; refused (False) if the return has moved on meanwhile."""
    becomes = "question" if from_council else "answered"
    if not _move_return(sent, becomes):
        return False
    session = db_session()
    session.add(ReturnMessage(return_id=sent.id, from_council=from_council, text=text, written_by_id=by.id))
    record_event(by, sent.account.person_id, f"return.{becomes}", id=sent.id)
    session.commit()
    session.refresh(sent)
    return True


def mark_return_reviewed(sent: AccountReturn, by: User) -> bool:
    if not _move_return(sent, "reviewed", reviewed_at=utcnow(), reviewed_by_id=by.id):
        return False
    record_event(by, sent.account.person_id, "return.reviewed", id=sent.id)
    db_session().commit()
    db_session().refresh(sent)
    return True


def returns_waiting() -> list[AccountReturn]:
    return list(
        db_session().scalars(
            select(AccountReturn).where(AccountReturn.status.in_(["sent", "answered"])).order_by(AccountReturn.sent_at)
        )
    )


def reviews(account: BudgetAccount) -> list[AccountReview]:
    return list(
        db_session().scalars(
            select(AccountReview).where(AccountReview.account_id == account.id).order_by(AccountReview.held_on)
        )
    )


def record_review(account: BudgetAccount, held_on: date, note: str, by: User) -> None:
    db_session().add(AccountReview(account_id=account.id, held_on=held_on, note=note, recorded_by_id=by.id))
    record_event(by, account.person_id, "account.reviewed", held_on=held_on.isoformat())
    db_session().commit()


def record_contribution(
    account: BudgetAccount, weekly_pence: int, method: str, seen: int, by: User, today: date
) -> bool:
    """Staff record the contribution from the financial assessment; refused if the account changed meanwhile."""
    session = db_session()
    changed = session.execute(
        update(BudgetAccount)
        .where(BudgetAccount.id == account.id, BudgetAccount.revision == seen)
        .values(
            weekly_contribution_pence=weekly_pence,
            contribution_method=method,
            contribution_from=today,
            revision=BudgetAccount.revision + 1,
        )
    ).rowcount
    if not changed:
        session.rollback()
        return False
    record_event(by, account.person_id, "account.contribution", weekly_pence=weekly_pence, method=method)
    session.commit()
    session.refresh(account)
    return True
