"""Statements (page, CSV, PDF), a return's summary, the payroll export and the evidence pack for an audit."""

import csv
import io
import tempfile
import zipfile
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.data import budget_accounts
from portal.domain import budget_account as rules
from portal.domain import ledger, pa_pay
from portal.domain import statement_import as statements
from portal.i18n import long_date, pence
from portal.plan.pdf import NEXT_LINE, PrintedDocument
from portal.spending.presenting import entry_purpose, plan_items
from portal.spending.timesheets import as_timesheets

STATEMENT_ERRORS = {
    statements.StatementErrorCode.EMPTY: _l("The selected file is empty"),
    statements.StatementErrorCode.NOT_UTF8: _l(
        "The file is not saved as UTF-8 text (line %(line)s). In your spreadsheet, save it as “CSV UTF-8” and "
        "upload it again"
    ),
    statements.StatementErrorCode.NOT_CSV: _l(
        "The selected file is not a CSV file. Download your statement as CSV from your online banking"
    ),
    statements.StatementErrorCode.TOO_MANY_LINES: _l(
        "The file has too many lines. Download a shorter period, like 3 months, and upload that"
    ),
    statements.StatementErrorCode.NO_LINES: _l("The file has headings but no lines of transactions"),
}


def statement_error_text(error: statements.StatementError) -> str:
    return str(STATEMENT_ERRORS[error.code]) % {"line": error.line_number or "?"}


def period_label(period: rules.Period) -> str:
    return _("%(start)s to %(end)s", start=long_date(period.starts_on), end=long_date(period.ends_on))


def statement_periods(account, today: date) -> list[tuple[str, str, rules.Period]]:
    """The periods a statement can cover, newest first: each 4 weeks, each quarter and each year so far."""
    found: list[tuple[str, str, rules.Period]] = []
    for prefix, days, name in (
        ("p", 28, _l("4-week period")),
        ("q", 91, _l("Quarter")),
        ("y", rules.DAYS_A_YEAR, _l("Year")),
    ):
        for period in reversed(rules.periods(account.starts_on, days, max(today, account.starts_on))):
            label = _("%(kind)s %(number)d: %(dates)s", kind=name, number=period.number, dates=period_label(period))
            found.append((f"{prefix}{period.number}", label, period))
    return found


def statement_for(account, period: rules.Period) -> dict[str, Any]:
    rows = budget_accounts.entries(account)
    by_id = {row.id: row for row in rows}
    items = plan_items(account)
    shown = ledger.statement(budget_accounts.as_domain(rows), period.starts_on, period.ends_on)
    return {
        "period": period,
        "label": period_label(period),
        "statement": shown,
        "rows": [(line, by_id[line.entry.id], entry_purpose(by_id[line.entry.id], items)) for line in shown.lines],
    }


def _cell(text: str) -> str:
    """Spreadsheets run a cell that starts with = + - @ as a formula: a payee's name never does."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r", "\n") else text


def _pounds(amount: int) -> str:
    sign = "-" if amount < 0 else ""
    pounds, pennies = divmod(abs(amount), 100)
    return f"{sign}{pounds}.{pennies:02d}"


def statement_csv(shown: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    statement: ledger.Statement = shown["statement"]
    writer.writerow([_("Date"), _("Who"), _("What for"), _("Money in"), _("Money out"), _("Balance"), _("Receipt")])
    writer.writerow(
        [
            statement.starts_on.isoformat(),
            "",
            _("Balance brought forward"),
            "",
            "",
            _pounds(statement.opening_balance_pence),
            "",
        ]
    )
    for line, row, purpose in shown["rows"]:
        effect = line.entry.effect_pence
        writer.writerow(
            [
                row.occurred_on.isoformat(),
                _cell(row.payee),
                _cell(purpose if not row.reverses_id else _("Correction: %(what)s", what=purpose)),
                _pounds(effect) if effect > 0 else "",
                _pounds(-effect) if effect < 0 else "",
                _pounds(line.balance_after_pence),
                _("Yes") if row.receipt_id else "",
            ]
        )
    writer.writerow([statement.ends_on.isoformat(), "", _("Closing balance"), _pounds(statement.money_in_pence),
                     _pounds(statement.money_out_pence), _pounds(statement.closing_balance_pence), ""])  # fmt: skip
    return out.getvalue()


def statement_pdf(shown: dict[str, Any], person_name: str) -> bytes:
    title = _("Budget account statement for %(name)s", name=person_name)
    doc = PrintedDocument(title)
    doc.set_font("DejaVu", "B", 16)
    doc.multi_cell(0, 8, title, **NEXT_LINE)
    doc.set_font("DejaVu", "", 10)
    statement: ledger.Statement = shown["statement"]
    doc.multi_cell(0, 6, shown["label"], **NEXT_LINE)
    doc.ln(2)
    doc.set_font("DejaVu", "", 8)
    with doc.table(
        col_widths=(22, 40, 50, 22, 22, 24), text_align=("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT")
    ) as table:
        table.row([_("Date"), _("Who"), _("What for"), _("Money in"), _("Money out"), _("Balance")])
        table.row(["", "", _("Balance brought forward"), "", "", pence(statement.opening_balance_pence)])
        for line, row, purpose in shown["rows"]:
            effect = line.entry.effect_pence
            table.row(
                [
                    long_date(row.occurred_on),
                    row.payee,
                    purpose if not row.reverses_id else _("Correction: %(what)s", what=purpose),
                    pence(effect) if effect > 0 else "",
                    pence(-effect) if effect < 0 else "",
                    pence(line.balance_after_pence),
                ]
            )
        table.row(["", "", _("Closing balance"), pence(statement.money_in_pence), pence(statement.money_out_pence),
                   pence(statement.closing_balance_pence)])  # fmt: skip
    return bytes(doc.output())


def return_summary(account, period: rules.Period) -> dict[str, Any]:
    """What the return says, kept with it: later corrections never change a return already sent."""
    shown = statement_for(account, period)
    statement: ledger.Statement = shown["statement"]
    # Corrected entries (and their corrections) are not counted, whenever the correction was made.
    standing = {entry.id for entry in ledger.standing(budget_accounts.as_domain(budget_accounts.entries(account)))}
    spending = [row for _line, row, _p in shown["rows"] if row.kind == ledger.EntryKind.SPENDING and row.id in standing]
    return {
        "opening_balance_pence": statement.opening_balance_pence,
        "money_in_pence": statement.money_in_pence,
        "money_out_pence": statement.money_out_pence,
        "closing_balance_pence": statement.closing_balance_pence,
        "entries": sum(1 for line in statement.lines if line.entry.id in standing),
        "entry_ids": [line.entry.id for line in statement.lines],
        "receipts_missing": sum(1 for row in spending if not row.receipt_id and row.payment_method != "prepaid card"),
    }


def payroll_headers() -> list[str]:
    days = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]
    return [_("Personal assistant"), _("Week starting"), *days, _("Total hours"), _("Hourly rate"), _("Gross pay")]


def payroll_export(assistant, rows) -> str:
    return pa_pay.payroll_csv(pa_pay.payroll_rows(assistant.name, as_timesheets(rows)), payroll_headers())


def as_timesheet(row) -> pa_pay.Timesheet:
    return as_timesheets([row])[0]


def evidence_zip(account, period: rules.Period, person_name: str):
    """The period's statement (CSV and PDF), its receipts and the PAs' timesheets, in one file for an audit.

    Built in a temporary file that moves to disk past 8MB, so a year of receipts never has to fit in memory.
    """
    shown = statement_for(account, period)
    buffer = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        pack.writestr("statement.csv", statement_csv(shown))
        pack.writestr("statement.pdf", statement_pdf(shown, person_name))
        for _line, row, _purpose in shown["rows"]:
            if row.receipt is not None:
                name = f"receipts/{row.occurred_on.isoformat()}-{row.id}-{row.receipt.download_name}"
                stored = budget_accounts.receipt_path(row.receipt)
                if stored.exists():  # a receipt lost from disk is reported by the statement's Receipt column
                    pack.write(stored, name)
        for assistant in budget_accounts.assistants(account):
            weeks = [
                sheet
                for sheet in budget_accounts.timesheets(assistant)
                if sheet.week_start <= period.ends_on and sheet.week_start + timedelta(days=6) >= period.starts_on
            ]
            if weeks:
                pack.writestr(f"timesheets/{assistant.id}-timesheets.csv", payroll_export(assistant, weeks))
    buffer.seek(0)
    return buffer
