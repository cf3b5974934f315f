"""What the budget account pages show: worked out once by the pure rules, for the person's pages and the staff's."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from portal.data import budget_accounts, plans
from portal.domain import budget_account as rules
from portal.domain import ledger
from portal.domain.budget_account import FlagCode
from portal.i18n import long_date, pence
from portal.people import current_content

KIND_NAMES = {
    ledger.EntryKind.COUNCIL_PAYMENT: _l("Payment from the council"),
    ledger.EntryKind.CONTRIBUTION: _l("Your contribution"),
    ledger.EntryKind.MONEY_IN: _l("Money paid in"),
    ledger.EntryKind.SPENDING: _l("Spending"),
}
# Flags that need doing something about; the rest are for information.
URGENT = frozenset(
    {
        FlagCode.OVERSPENT,
        FlagCode.SURPLUS_RECOVER,
        FlagCode.AHEAD_OF_BUDGET,
        FlagCode.BLOCKED_CATEGORY,
        FlagCode.CONTRIBUTION_NOT_PAID,
        FlagCode.RETURN_LATE,
    }
)


@dataclass(frozen=True)
class FlagMessage:
    flag: rules.Flag
    text: str
    urgent: bool


def flag_text(flag: rules.Flag) -> str:  # noqa: C901 - one plain sentence per flag, in one place
    amount = pence(flag.amount_pence)
    when = long_date(flag.due_on) if flag.due_on else ""
    code = flag.code
    if code is FlagCode.OVERSPENT:
        return _("%(amount)s more has been spent than there is in the account. Talk to us before you spend more.",
                 amount=amount)  # fmt: skip
    if code is FlagCode.COMMITTED_BEYOND_BALANCE:
        return _(
            "You have set aside %(amount)s more than is in the account now. That is fine if payments come in before "
            "it is due: check the payment dates.",
            amount=amount,
        )
    if code is FlagCode.SURPLUS_RECOVER:
        return _(
            "There is more than %(weeks)d weeks of your budget in the account. The council may ask for %(amount)s "
            "back. If it is set aside for something in your plan, record it as money committed, or tell us why.",
            weeks=flag.weeks,
            amount=amount,
        )
    if code is FlagCode.SURPLUS_EXPLAIN:
        return _(
            "There is more than %(weeks)d weeks of your budget in the account (%(amount)s more). If it is set "
            "aside for something, record it as money committed; if not, tell us why in your next return.",
            weeks=flag.weeks,
            amount=amount,
        )
    if code is FlagCode.SURPLUS_HEADING:
        return _(
            "If spending goes as your plan says, by %(date)s there will be more than %(weeks)d weeks of your "
            "budget in the account. Check your spending is up to date, or record money set aside.",
            date=when,
            weeks=flag.weeks,
        )
    if code is FlagCode.AHEAD_OF_BUDGET:
        return _(
            "At the rate money is being spent, it will run out before the end of the year, about %(amount)s "
            "short. Talk to us now: your plan can be reviewed.",
            amount=amount,
        )
    if code is FlagCode.BLOCKED_CATEGORY:
        return ngettext(
            "%(num)d payment looks like %(category)s, which a direct payment cannot usually pay for. Check it, "
            "and correct it if it is a mistake.",
            "%(num)d payments look like %(category)s, which a direct payment cannot usually pay for. Check them, "
            "and correct any that are a mistake.",
            flag.count,
            category=blocked_name(flag.category).lower(),
        )
    if code is FlagCode.NOT_IN_PLAN:
        return ngettext(
            "%(num)d payment (%(amount)s) was for something not in your plan. The council may ask about it.",
            "%(num)d payments (%(amount)s) were for things not in your plan. The council may ask about them.",
            flag.count,
            amount=amount,
        )
    if code is FlagCode.MISSING_RECEIPTS:
        return ngettext(
            "%(num)d payment (%(amount)s) has no receipt yet. Add it when you can.",
            "%(num)d payments (%(amount)s) have no receipt yet. Add them when you can.",
            flag.count,
            amount=amount,
        )
    if code is FlagCode.CONTRIBUTION_NOT_PAID:
        return _(
            "Your contribution is %(amount)s behind. Pay it into the account, or tell us if you cannot.", amount=amount
        )
    if code is FlagCode.RETURN_LATE:
        return _("A return was due on %(date)s. Please send it now.", date=when)
    if code is FlagCode.RETURN_DUE:
        return _("A return is due by %(date)s.", date=when)
    return _("A review of your plan is due by %(date)s. The council will get in touch to arrange it.", date=when)


def blocked_name(code: str | None) -> str:
    category = next((c for c in current_content().monitoring.blocked_spending if c.code == code), None)
    return _(category.label) if category else (code or "")


def plan_items(account) -> dict[str, Any]:
    """The approved plan's items with their yearly cost, by their key: the same in every version of the plan."""
    costing = plans.costing_of(account.plan, account.annual_pence)
    return {
        item.item_key: {"item": item, "cost": cost}
        for item, cost in zip(account.plan.items, costing.items, strict=True)
    }


def items_by_id(account) -> dict[str, Any]:
    """The approved plan's items as the forms offer them: by the id of this version's row."""
    return {str(item.id): item for item in account.plan.items}


def facts_for(account, rows, today: date) -> rules.AccountFacts:
    """`rows`: the account's ledger rows if the caller has them already; None reads only what the rules need."""
    items = plan_items(account)
    return rules.AccountFacts(
        starts_on=account.starts_on,
        annual_pence=account.annual_pence,
        weekly_contribution_pence=account.weekly_contribution_pence,
        plan_items=tuple(
            rules.PlannedItem(key, found["cost"].annual_pence, found["cost"].one_off) for key, found in items.items()
        ),
        entries=budget_accounts.as_domain(rows) if rows is not None else budget_accounts.domain_entries(account),
        open_commitments_pence=sum(c.amount_pence for c in budget_accounts.commitments(account)),
        returns_sent=tuple((r.starts_on, r.ends_on) for r in budget_accounts.returns(account)),
        reviews_done=tuple(r.held_on for r in budget_accounts.reviews(account)),
        schedule=tuple(budget_accounts.schedule(account)),
    )


class _RowsWhenAsked(Sequence):
    """The ledger's rows, read from the database only if a page lists them: the dashboard only adds them up, and
    reading 2,000 rows as ORM objects was most of its time on a long-running account."""

    def __init__(self, account) -> None:
        self._account = account
        self._rows: list | None = None

    def _loaded(self) -> list:
        if self._rows is None:
            self._rows = budget_accounts.entries(self._account)
        return self._rows

    def __getitem__(self, index):
        return self._loaded()[index]

    def __len__(self) -> int:
        return len(self._loaded())


def account_picture(account, today: date) -> dict[str, Any]:
    """Everything the account dashboard (and the staff view of it) shows."""
    budget_accounts.post_due_payments(account, today)
    rows = _RowsWhenAsked(account)
    facts = facts_for(account, None, today)
    monitoring = budget_accounts.monitoring_rules()
    found = rules.flags(facts, monitoring, today)
    totals = facts.totals
    items = plan_items(account)
    planned = sum(item.annual_pence for item in facts.plan_items)
    schedule = list(facts.schedule)
    return {
        "account": account,
        "rows": rows,
        "totals": totals,
        "committed": facts.open_commitments_pence,
        "free": rules.free_to_spend(facts),
        "flags": [FlagMessage(flag, flag_text(flag), flag.code in URGENT) for flag in found],
        "by_item": [
            (items[row.key]["item"] if row.key else None, row)
            for row in rules.spending_by_item(facts.plan_items, facts.entries, account.starts_on, today)
        ],
        "projection": rules.projection(account.annual_pence, planned, totals.spent_pence, account.starts_on, today),
        "by_period": rules.spending_by_period(
            facts.plan_items, facts.entries, account.starts_on, rules.PaymentFrequency(account.payment_frequency), today
        ),
        "schedule": schedule,
        "next_payment": next((p for p in schedule if p.due_on > today), None),
        "today": today,
        "questions": [sent for sent in budget_accounts.returns(account) if sent.status == "question"],
    }


def chart(by_period: list[rules.PeriodSpending]) -> dict[str, Any]:
    """Bar heights for the planned-against-actual chart, as whole SVG units (no floats reach the template)."""
    highest = max([1, *(p.planned_pence for p in by_period), *(p.spent_pence for p in by_period)])
    height = 160
    return {
        "height": height,
        "bars": [
            {
                "period": p.period,
                "planned": p.planned_pence * height // highest,
                "spent": p.spent_pence * height // highest,
                "row": p,
            }
            for p in by_period
        ],
    }


def entry_purpose(row, items: dict[str, Any]) -> str:
    """What a ledger entry was for, in words: the plan item, the reason given, or what kind of money it was."""
    if row.kind != ledger.EntryKind.SPENDING:
        return str(KIND_NAMES[ledger.EntryKind(row.kind)])
    if row.plan_item is not None:
        current = items.get(row.plan_item.item_key)
        return current["item"].description if current else row.plan_item.description
    return _("Not in the plan: %(reason)s", reason=row.other_reason or row.description or _("no reason given"))
