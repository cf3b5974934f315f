"""The close-your-account page's words for each kind of record, and how long each is kept."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.domain.retention import Closure, Record
from portal.i18n import long_date

RECORD_WORDS = {
    Record.ACCOUNT_DETAILS: _l("Your name, email address, phone number, password and settings"),
    Record.EMAILS: _l("Copies of the emails we sent you"),
    Record.INVITATIONS: _l("Invitations you sent to people to help you"),
    Record.ASSESSMENT: _l("Self-assessments and budgets that no approved support plan is based on"),
    Record.UNAPPROVED_PLAN: _l("Support plans that have not been approved, including one waiting for a decision"),
    Record.STATEMENT_UPLOAD: _l("Statements you uploaded but did not import"),
    Record.LEDGER_ENTRY: _l("Your spending records and the payments into your budget account"),
    Record.BANK_STATEMENT: _l("Bank or card statements you imported"),
    Record.COMMITMENT: _l("Money you set aside for bills to come"),
    Record.ACCOUNT_RETURN: _l("Returns you sent to the council, and the messages about them"),
    Record.ACCOUNT_REVIEW: _l("Reviews of your budget account"),
    Record.BUDGET_ACCOUNT: _l("Your budget account: its payments, contributions and personal assistants"),
    Record.APPROVED_PLAN: _l("Your approved support plan, every version of it"),
    Record.FUNDING_DECISION: _l("The self-assessment and budget decision your approved plan is based on"),
    Record.RECEIPT: _l("Receipts you uploaded"),
    Record.TIMESHEET: _l("Timesheets for your personal assistants"),
    Record.HELPER: _l("Who helped you, what they were allowed to do, and when that ended"),
    Record.SIGNED_IN_SESSION: _l("When, and on what kind of device, you were signed in"),
    Record.AUDIT_EVENT: _l("The log of who saw or changed your records, and when"),
}


def kept_rows(closure: Closure) -> list[list[dict[str, object]]]:
    """One table row per kind of record kept: what it is, and until when (a range when its years differ)."""
    rows = []
    for group in closure.kept:
        if group.first_until == group.last_until:
            until = long_date(group.last_until)
        else:
            until = _(
                "%(first)s for the oldest, %(last)s for the newest",
                first=long_date(group.first_until),
                last=long_date(group.last_until),
            )
        rows.append([{"text": RECORD_WORDS[group.record]}, {"text": until}])
    return rows


def deleted_words(closure: Closure) -> list[str]:
    kept = {group.record for group in closure.kept}
    return [
        _("%(records)s, where the time to keep them has passed", records=RECORD_WORDS[record])
        if record in kept
        else str(RECORD_WORDS[record])
        for record in closure.deleted
    ]
