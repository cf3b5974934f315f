"""A statement import's preview: the lines read with the chosen columns, problems, duplicates and plan matches."""

from typing import Any

from flask_babel import lazy_gettext as _l

from portal.data import budget_accounts
from portal.domain import ledger
from portal.domain import statement_import as statements
from portal.spending.presenting import items_by_id
from portal.timekeeping import today

ROLES = ("date", "description", "paid_out", "paid_in", "amount", "payee")

PROBLEM_TEXT = {
    statements.ProblemCode.BAD_DATE: _l(
        "Line %(line)d: “%(value)s” in %(column)s is not a date we can read, like 27/03/2026"
    ),
    statements.ProblemCode.FUTURE_DATE: _l("Line %(line)d: the date “%(value)s” is in the future"),
    statements.ProblemCode.BAD_AMOUNT: _l("Line %(line)d: “%(value)s” in %(column)s is not an amount of money"),
    statements.ProblemCode.ZERO_AMOUNT: _l("Line %(line)d: the amount in %(column)s is zero"),
    statements.ProblemCode.NO_AMOUNT: _l(
        "Line %(line)d: there is no amount in either the money in or money out column"
    ),
    statements.ProblemCode.BOTH_AMOUNTS: _l(
        "Line %(line)d: there are amounts in both the money in and money out columns"
    ),
    statements.ProblemCode.NEGATIVE_IN_COLUMN: _l(
        "Line %(line)d: “%(value)s” in %(column)s is a minus amount. Check the columns chosen for money in and out"
    ),
    statements.ProblemCode.MISSING_COLUMN: _l(
        "Line %(line)d: the line is shorter than the others, so %(column)s is missing"
    ),
    statements.ProblemCode.NO_DESCRIPTION: _l("Line %(line)d: there is no description"),
}


def problem_text(problem: statements.LineProblem) -> str:
    values = {"line": problem.line_number, "value": problem.value, "column": problem.column or ""}
    return str(PROBLEM_TEXT[problem.code]) % values


def mapping_to_dict(mapping: statements.ColumnMapping | None) -> dict[str, int | None]:
    if mapping is None:
        return dict.fromkeys(ROLES)
    return {role: getattr(mapping, role) for role in ROLES}


def mapping_from_dict(saved: dict) -> statements.ColumnMapping | None:
    values: dict = {role: saved.get(role) for role in ROLES}
    if values["date"] is None or values["description"] is None:
        return None
    mapping = statements.ColumnMapping(**values)
    return mapping if mapping.is_complete() else None


def mapping_from_form(form, columns: int, source: str) -> dict[str, object]:
    """The columns the person chose; anything that is not one of the file's columns means "not in this file"."""
    chosen: dict[str, object] = {"source": source}
    for role in ROLES:
        value = form.get(f"column_{role}", "")
        chosen[role] = int(value) if value.isdigit() and int(value) < columns else None
    return chosen


def existing_for_duplicates(account) -> list[statements.ExistingEntry]:
    entries = budget_accounts.as_domain(budget_accounts.entries(account))
    return [
        statements.ExistingEntry(
            e.occurred_on,
            e.amount_pence,
            statements.Direction.OUT if e.kind is ledger.EntryKind.SPENDING else statements.Direction.IN,
            e.words,
        )
        for e in ledger.standing(entries)
    ]


def import_preview(account, raw: statements.RawStatement, saved_mapping: dict, answers) -> dict[str, Any]:
    """What the preview shows, and (with the person's answers) the entries a confirmed import would add.

    `answers` is the posted form: which lines to include and which plan item each payment was for. Without it,
    the defaults: every line except suspected duplicates, each payment matched to the plan item it looks like.
    """
    mapping = mapping_from_dict(saved_mapping)
    preview: dict[str, Any] = {"mapping": saved_mapping, "complete": mapping is not None, "lines": [], "problems": []}
    if mapping is None:
        preview.update(clean=False, to_import=[])
        return preview
    parsed = statements.parse_lines(raw, mapping, today())
    duplicates = statements.find_duplicates(parsed.lines, existing_for_duplicates(account))
    items = items_by_id(account)
    words = [statements.PlanItemWords(key, item.description) for key, item in items.items()]
    to_import = []
    paid_by = "prepaid card" if saved_mapping.get("source") == "card" else "bank transfer"
    for line in parsed.lines:
        number = line.line_number
        early = line.occurred_on < account.starts_on
        default = number not in duplicates and not early
        # A line from before the account opened is never imported: there was no account for it to be in.
        include = not early and ((f"include_{number}" in answers) if answers is not None else default)
        suggested = statements.suggest_plan_item(line, words)
        chosen = answers.get(f"item_{number}", "") if answers is not None else (suggested or "other")
        preview["lines"].append(
            {
                "line": line,
                "duplicate": duplicates.get(number),
                "before_opening": early,
                "include": include,
                "item": chosen or "other",
            }
        )
        if include:
            to_import.append(_entry_for(line, chosen, items, paid_by))
    preview["problems"] = [problem_text(problem) for problem in parsed.problems]
    preview.update(clean=parsed.is_clean, to_import=to_import)
    return preview


def _entry_for(line: statements.StatementLine, chosen: str, items: dict, paid_by: str) -> budget_accounts.NewEntry:
    spending = line.direction is statements.Direction.OUT
    item_id = int(chosen) if spending and chosen in items else None
    return budget_accounts.NewEntry(
        kind=ledger.EntryKind.SPENDING if spending else ledger.EntryKind.MONEY_IN,
        occurred_on=line.occurred_on,
        amount_pence=line.amount_pence,
        payee=(line.payee or line.description)[:200],
        description=line.description[:300],
        plan_item_id=item_id,
        other_reason=None,  # not matched to the plan: the statement's own words say what it was
        payment_method=paid_by,
    )
