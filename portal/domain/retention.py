"""What a closed account keeps, and until when: the council's retention rules (shared/domain.md §4, Worcestershire).

Bank statements and the ledger are kept for the current financial year plus 6; invoices, receipts, payslips and
timesheets for the current year plus 1. Everything else the portal holds goes when the person closes the account.
"""

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

# "Current year" is the council's financial year, 1 April to 31 March: its accounts and the direct payment
# returns run on it. Not the tax year (6 April), and not the calendar year.
YEAR_ENDS_MONTH, YEAR_ENDS_DAY = 3, 31


class Keeping(enum.StrEnum):
    """How long a kind of record outlives the account."""

    DELETE_ON_CLOSURE = "delete on closure"
    SUPPORTING_DOCUMENT = "supporting document"  # invoices, receipts, payslips, timesheets
    FINANCIAL = "financial"  # bank statements, the ledger, returns, the approved plan the money was paid against
    COUNCIL_RECORD = "council record"  # the log of who did what


# Years kept after the end of the record's own financial year.
YEARS_AFTER: Mapping[Keeping, int] = {
    Keeping.SUPPORTING_DOCUMENT: 1,
    Keeping.FINANCIAL: 6,
    # Our choice: as long as the financial records it accounts for, so every kept payment can show who made it.
    Keeping.COUNCIL_RECORD: 6,
}


class Record(enum.StrEnum):
    """Every kind of record the portal holds about a person, in the order the close-your-account page lists them."""

    ACCOUNT_DETAILS = "account_details"  # name, email, phone, password, settings
    EMAILS = "emails"
    INVITATIONS = "invitations"
    ASSESSMENT = "assessment"  # a self-assessment and budget that no approved plan rests on
    UNAPPROVED_PLAN = "unapproved_plan"
    STATEMENT_UPLOAD = "statement_upload"  # a statement uploaded but never imported
    LEDGER_ENTRY = "ledger_entry"
    BANK_STATEMENT = "bank_statement"
    COMMITMENT = "commitment"
    ACCOUNT_RETURN = "account_return"
    ACCOUNT_REVIEW = "account_review"
    BUDGET_ACCOUNT = "budget_account"  # the account's terms, payments and personal assistants
    APPROVED_PLAN = "approved_plan"
    FUNDING_DECISION = "funding_decision"  # the assessment and budget an approved plan's amount rests on
    RECEIPT = "receipt"
    TIMESHEET = "timesheet"
    HELPER = "helper"  # who could act for the person, and with which permissions
    SIGNED_IN_SESSION = "signed_in_session"
    AUDIT_EVENT = "audit_event"


RULES: Mapping[Record, Keeping] = {
    Record.ACCOUNT_DETAILS: Keeping.DELETE_ON_CLOSURE,
    Record.EMAILS: Keeping.DELETE_ON_CLOSURE,
    Record.INVITATIONS: Keeping.DELETE_ON_CLOSURE,
    # Nothing was paid on it: the council's own case record holds its decisions, and the audit log that they happened.
    Record.ASSESSMENT: Keeping.DELETE_ON_CLOSURE,
    Record.UNAPPROVED_PLAN: Keeping.DELETE_ON_CLOSURE,
    Record.STATEMENT_UPLOAD: Keeping.DELETE_ON_CLOSURE,
    Record.LEDGER_ENTRY: Keeping.FINANCIAL,
    Record.BANK_STATEMENT: Keeping.FINANCIAL,
    Record.COMMITMENT: Keeping.FINANCIAL,
    Record.ACCOUNT_RETURN: Keeping.FINANCIAL,
    Record.ACCOUNT_REVIEW: Keeping.FINANCIAL,
    Record.BUDGET_ACCOUNT: Keeping.FINANCIAL,
    Record.APPROVED_PLAN: Keeping.FINANCIAL,
    Record.FUNDING_DECISION: Keeping.FINANCIAL,
    Record.RECEIPT: Keeping.SUPPORTING_DOCUMENT,
    Record.TIMESHEET: Keeping.SUPPORTING_DOCUMENT,
    # Without them the audit log could not show why a helper was allowed to act.
    Record.HELPER: Keeping.COUNCIL_RECORD,
    # When, and on what kind of device, the account was used: what a misuse investigation starts from.
    Record.SIGNED_IN_SESSION: Keeping.COUNCIL_RECORD,
    Record.AUDIT_EVENT: Keeping.COUNCIL_RECORD,
}


@dataclass(frozen=True)
class Held:
    """One record, and the day it belongs to (a payment's date, a timesheet's week, a return's period end)."""

    record: Record
    dated: date


@dataclass(frozen=True)
class KeptGroup:
    record: Record
    count: int
    first_until: date  # the oldest go then
    last_until: date  # the newest go then


@dataclass(frozen=True)
class Closure:
    deleted: tuple[Record, ...]
    kept: tuple[KeptGroup, ...]


def financial_year_end(day: date) -> date:
    """31 March of the financial year (1 April to 31 March) that `day` falls in."""
    year = day.year if (day.month, day.day) <= (YEAR_ENDS_MONTH, YEAR_ENDS_DAY) else day.year + 1
    return date(year, YEAR_ENDS_MONTH, YEAR_ENDS_DAY)


def kept_until(record: Record, dated: date) -> date | None:
    """The last day a record is kept: the end of its financial year plus the years its kind is kept for.

    None for records deleted when the account closes.
    """
    keeping = RULES[record]
    if keeping is Keeping.DELETE_ON_CLOSURE:
        return None
    end = financial_year_end(dated)
    return end.replace(year=end.year + YEARS_AFTER[keeping])


def expired(held: Held, today: date) -> bool:
    """Due for deletion from a closed account: kept to the end of its last day, deleted from the day after."""
    until = kept_until(held.record, held.dated)
    return until is None or today > until


def kept_together(*dates: date) -> date:
    """Records that refer to each other go together, when the last of them may: a correction and the entry it
    corrects, a statement and the entries imported from it, an account and everything in it."""
    return max(dates)


def closure(held: Iterable[Held], today: date) -> Closure:
    """What closing the account today does to these records: which kinds go now (all of them, or those whose
    time is already up), and until when the rest of each kind stays."""
    deleted: set[Record] = set()
    dates: dict[Record, list[date]] = {}
    for one in held:
        until = kept_until(one.record, one.dated)
        if until is None or today > until:  # as `expired`
            deleted.add(one.record)
        else:
            dates.setdefault(one.record, []).append(until)
    return Closure(
        deleted=tuple(record for record in Record if record in deleted),
        kept=tuple(
            KeptGroup(record, len(dates[record]), min(dates[record]), max(dates[record]))
            for record in Record
            if record in dates
        ),
    )
