"""Personal assistants in the plan, their timesheets, holiday and wages, as the assistants page shows them."""

from datetime import date, timedelta
from typing import Any

from portal.data import budget_accounts
from portal.domain import pa_pay

# A plan item is a personal assistant when its description says so: the words people use for one.
PA_WORDS = ("personal assistant", "pa ", "pa,", "carer i employ", "employed carer")


def pa_items(account) -> list:
    return [item for item in account.plan.items if _is_pa(item.description)]


def _is_pa(description: str) -> bool:
    text = f" {description.lower()} "
    return any(word in text for word in PA_WORDS) or text.strip() == "pa"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_of(text: str) -> date | None:
    """A week's address is its Monday, as YYYY-MM-DD; anything else is not a week."""
    try:
        found = date.fromisoformat(text)
    except ValueError:
        return None
    return found if found.weekday() == 0 else None


def as_timesheets(rows) -> list[pa_pay.Timesheet]:
    return [pa_pay.Timesheet(row.week_start, tuple(row.hours), row.rate_pence) for row in rows]


def assistant_summary(account, item, today: date) -> dict[str, Any]:
    found = next((a for a in budget_accounts.assistants(account) if a.plan_item_id == item.id), None)
    summary: dict[str, Any] = {"item": item, "assistant": found, "this_week": monday_of(today).isoformat()}
    if found is None:
        return summary
    rows = budget_accounts.timesheets(found)
    sheets = as_timesheets(rows)
    pattern = pa_pay.HoursPattern(found.hours_pattern)
    summary["recent"] = [
        (row, sheet, pa_pay.gross_pay(sheet)) for row, sheet in list(zip(rows, sheets, strict=True))[-6:]
    ]
    summary["holiday"] = pa_pay.holiday_accrued(sheets, pattern, found.usual_weekly_hundredths)
    if sheets:
        # Wages are paid after the week is worked: everything paid from the first timesheet's week until today.
        paid = budget_accounts.wages_paid(account, found, sheets[0].week_start, today)
        summary["wages"] = pa_pay.wage_check(sheets, paid)
    return summary
