"""The budget account's rules: payments and contributions by date, spending against the plan, and early warnings.

Follows domain.md §3 (direct payments every 4 weeks in advance, paid net of the person's contribution, which
they pay in), §4 (what councils check, what a direct payment may not be spent on, surplus thresholds) and
§1.6 / §7.5 (reviews 6–8 weeks after a plan starts, then every 12 months). The figures a council may change
are in content/monitoring.yml, read into `MonitoringRules`.
"""

import enum
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from portal.domain.ledger import Entry, EntryKind, Totals, standing, totals
from portal.domain.money import Pence, split_pence

WEEKS_A_YEAR = 52
DAYS_A_YEAR = WEEKS_A_YEAR * 7  # a budget year is 52 weeks, as the payment schedule is


class PaymentFrequency(enum.StrEnum):
    FOUR_WEEKLY = "4 weeks"
    QUARTERLY = "quarter"

    @property
    def days(self) -> int:
        return {"4 weeks": 28, "quarter": 91}[self.value]

    @property
    def payments_a_year(self) -> int:
        return DAYS_A_YEAR // self.days


@dataclass(frozen=True)
class BlockedCategory:
    code: str
    words: tuple[str, ...]  # lower case; a word or phrase found in who was paid or what for


@dataclass(frozen=True)
class MonitoringRules:
    payment_frequency: PaymentFrequency = PaymentFrequency.FOUR_WEEKLY
    surplus_explain_weeks: int = 6  # Birmingham: explain a balance above 6 weeks of the budget
    surplus_recover_weeks: int = 8  # St Helens, Richmond: the council may recover what is above 8 weeks
    look_ahead_weeks: int = 4  # warn this far ahead that the balance is heading past the threshold
    return_frequency: PaymentFrequency = PaymentFrequency.QUARTERLY  # Birmingham: a quarterly return
    return_due_days: int = 28  # a return is due this long after its period ends
    contribution_grace_days: int = 7
    first_review_weeks: tuple[int, int] = (6, 8)
    review_every_weeks: int = 52
    receipts_needed_from_pence: int = 0  # receipts for all spending not paid by prepaid card
    blocked: tuple[BlockedCategory, ...] = ()


@dataclass(frozen=True)
class ScheduledPayment:
    number: int
    due_on: date
    council_pence: Pence  # what the council pays in
    contribution_pence: Pence  # what the person pays in, from their financial assessment

    @property
    def total_pence(self) -> Pence:
        return Pence(self.council_pence + self.contribution_pence)


def annual_contribution(weekly_contribution_pence: int, annual_budget_pence: int) -> Pence:
    """domain.md §3: a person pays the lower of their assessed contribution and the cost of their care."""
    return Pence(min(weekly_contribution_pence * WEEKS_A_YEAR, annual_budget_pence))


def payment_schedule(
    starts_on: date,
    annual_pence: int,
    weekly_contribution_pence: int,
    frequency: PaymentFrequency,
    *,
    contribution_from: date | None = None,
    already_paid: Sequence[ScheduledPayment] = (),
) -> list[ScheduledPayment]:
    """Payments in advance from the day the plan starts, adding up to the year's budget to the penny.

    Payments already made stay exactly as they were made; what is left of the year's budget is split over the
    payments still to come (the last takes any spare pennies). From `contribution_from` (when staff recorded it)
    each payment carries the weekly contribution for the weeks it covers, and the council pays the rest; a
    contribution is never more than the cost of the care (domain.md §3: the lower of the two).
    """
    paid = {payment.number: payment for payment in already_paid}
    numbers = range(1, frequency.payments_a_year + 1)
    due = {number: starts_on + timedelta(days=frequency.days * (number - 1)) for number in numbers}
    to_come = [number for number in numbers if number not in paid]
    left = max(0, annual_pence - sum(payment.total_pence for payment in paid.values()))
    parts = dict(zip(to_come, split_pence(Pence(left), len(to_come)), strict=True)) if to_come else {}
    charged = [n for n in to_come if contribution_from is None or due[n] >= contribution_from]
    each = weekly_contribution_pence * (frequency.days // 7)
    pays_it_all = each * len(charged) >= sum(parts[n] for n in charged)
    schedule = []
    for number in numbers:
        if number in paid:
            schedule.append(paid[number])
            continue
        contribution = (parts[number] if pays_it_all else each) if number in charged else 0
        schedule.append(ScheduledPayment(number, due[number], Pence(parts[number] - contribution), Pence(contribution)))
    return schedule


@dataclass(frozen=True)
class Period:
    number: int
    starts_on: date
    ends_on: date


def periods(starts_on: date, days: int, until: date) -> list[Period]:
    """Back-to-back periods from the start, up to and including the one `until` falls in."""
    found: list[Period] = []
    number = 1
    while True:
        begins = starts_on + timedelta(days=days * (number - 1))
        if begins > until:
            return found
        found.append(Period(number, begins, begins + timedelta(days=days - 1)))
        number += 1


@dataclass(frozen=True)
class PlannedItem:
    key: str
    annual_pence: int
    one_off: bool


def days_into_year(starts_on: date, today: date) -> int:
    """Days of the budget year gone, counting today; 0 before the start, never more than a year."""
    return max(0, min(DAYS_A_YEAR, (today - starts_on).days + 1))


def expected_to_date(item: PlannedItem, starts_on: date, today: date) -> Pence:
    """What the plan expected to have been spent on an item by today: a one-off in full, the rest pro rata."""
    if item.one_off:
        return Pence(item.annual_pence if today >= starts_on else 0)
    return Pence(item.annual_pence * days_into_year(starts_on, today) // DAYS_A_YEAR)


@dataclass(frozen=True)
class ItemProgress:
    key: str | None  # None: spending on something not in the plan
    planned_annual_pence: Pence
    expected_pence: Pence
    spent_pence: Pence


def spending_by_item(
    items: Sequence[PlannedItem], entries: Sequence[Entry], starts_on: date, today: date
) -> list[ItemProgress]:
    """Each plan item's spending against what the plan expected so far, then anything spent outside the plan."""
    spent: dict[str | None, int] = {}
    planned = {item.key for item in items}
    for entry in standing(entries):
        if entry.kind is EntryKind.SPENDING:
            key = entry.plan_item_key if entry.plan_item_key in planned else None
            spent[key] = spent.get(key, 0) + entry.amount_pence
    rows = [
        ItemProgress(
            item.key, Pence(item.annual_pence), expected_to_date(item, starts_on, today), Pence(spent.get(item.key, 0))
        )
        for item in items
    ]
    if spent.get(None):
        rows.append(ItemProgress(None, Pence(0), Pence(0), Pence(spent[None])))
    return rows


class ProjectionBasis(enum.StrEnum):
    SPENDING_SO_FAR = "spending so far"
    PLAN = "plan"


@dataclass(frozen=True)
class Projection:
    spend_for_year_pence: Pence
    left_at_year_end_pence: Pence  # the year's budget less the projected spending: negative if it runs out
    basis: ProjectionBasis


MIN_DAYS_FOR_A_TREND = 28


def projection(
    annual_pence: int, planned_annual_pence: int, spent_so_far_pence: int, starts_on: date, today: date
) -> Projection:
    """Where the year is heading: at the rate spent so far once there are 4 weeks of it, at the plan's rate before."""
    gone = days_into_year(starts_on, today)
    if gone >= MIN_DAYS_FOR_A_TREND:
        spend = spent_so_far_pence * DAYS_A_YEAR // gone
        basis = ProjectionBasis.SPENDING_SO_FAR
    else:
        spend = spent_so_far_pence + planned_annual_pence * (DAYS_A_YEAR - gone) // DAYS_A_YEAR
        basis = ProjectionBasis.PLAN
    return Projection(Pence(spend), Pence(annual_pence - spend), basis)


@dataclass(frozen=True)
class PeriodSpending:
    period: Period
    planned_pence: Pence
    spent_pence: Pence


def spending_by_period(
    items: Sequence[PlannedItem], entries: Sequence[Entry], starts_on: date, frequency: PaymentFrequency, today: date
) -> list[PeriodSpending]:
    """Planned against actual for each payment period so far (the chart). One-offs are planned in the first period."""
    recurring = sum(item.annual_pence for item in items if not item.one_off)
    one_offs = sum(item.annual_pence for item in items if item.one_off)
    planned = split_pence(Pence(recurring), frequency.payments_a_year)
    # The periods are back to back from the start, so an entry's date says which one it falls in: one pass over
    # the spending, not one a period.
    spent: dict[int, int] = {}
    days = frequency.days
    for entry in standing(entries):
        if entry.kind is EntryKind.SPENDING and entry.occurred_on >= starts_on:
            number = (entry.occurred_on - starts_on).days // days + 1
            spent[number] = spent.get(number, 0) + entry.amount_pence
    rows = []
    for period in periods(starts_on, days, min(today, starts_on + timedelta(days=DAYS_A_YEAR - 1))):
        extra = one_offs if period.number == 1 else 0
        rows.append(
            PeriodSpending(period, Pence(planned[period.number - 1] + extra), Pence(spent.get(period.number, 0)))
        )
    return rows


class FlagCode(enum.StrEnum):
    OVERSPENT = "overspent"
    COMMITTED_BEYOND_BALANCE = "committed_beyond_balance"
    SURPLUS_RECOVER = "surplus_recover"
    SURPLUS_EXPLAIN = "surplus_explain"
    SURPLUS_HEADING = "surplus_heading"
    AHEAD_OF_BUDGET = "ahead_of_budget"
    BLOCKED_CATEGORY = "blocked_category"
    NOT_IN_PLAN = "not_in_plan"
    MISSING_RECEIPTS = "missing_receipts"
    CONTRIBUTION_NOT_PAID = "contribution_not_paid"
    RETURN_LATE = "return_late"
    RETURN_DUE = "return_due"
    REVIEW_DUE = "review_due"


@dataclass(frozen=True)
class Flag:
    code: FlagCode
    amount_pence: int = 0
    count: int = 0
    due_on: date | None = None
    category: str | None = None
    entry_ids: tuple[int, ...] = ()
    weeks: int = 0


@dataclass(frozen=True)
class AccountFacts:
    starts_on: date
    annual_pence: int
    weekly_contribution_pence: int
    plan_items: tuple[PlannedItem, ...]
    entries: tuple[Entry, ...]
    open_commitments_pence: int = 0
    returns_sent: tuple[tuple[date, date], ...] = ()
    reviews_done: tuple[date, ...] = ()
    schedule: tuple[ScheduledPayment, ...] = field(default=())

    @property
    def weekly_budget_pence(self) -> int:
        return self.annual_pence // WEEKS_A_YEAR

    # Worked out once: the facts never change, and several rules read them (an account can have thousands of
    # entries).
    @functools.cached_property
    def totals(self) -> Totals:
        return totals(self.entries)

    @functools.cached_property
    def spending(self) -> tuple[Entry, ...]:
        """Spending that still counts: neither a correction nor corrected."""
        return tuple(e for e in standing(self.entries) if e.kind is EntryKind.SPENDING)


def free_to_spend(facts: AccountFacts) -> Pence:
    """The balance less money committed but not yet paid (a booked respite week, an invoice due)."""
    return Pence(facts.totals.balance_pence - facts.open_commitments_pence)


def flags(facts: AccountFacts, rules: MonitoringRules, today: date) -> list[Flag]:
    """Everything worth a word to the person (and the council), most urgent first, in time to act on it."""
    return [
        *_balance_flags(facts, rules, today),
        *_spending_flags(facts, rules),
        *_contribution_flags(facts, rules, today),
        *_return_flags(facts, rules, today),
        *_review_flags(facts, rules, today),
    ]


def _balance_flags(facts: AccountFacts, rules: MonitoringRules, today: date) -> list[Flag]:
    free = free_to_spend(facts)
    weekly = facts.weekly_budget_pence
    in_account = facts.totals.balance_pence
    if in_account < 0:
        return [Flag(FlagCode.OVERSPENT, amount_pence=-in_account)]
    if free < 0:  # set aside more than is there now: fine if payments come in first, worth a check
        return [Flag(FlagCode.COMMITTED_BEYOND_BALANCE, amount_pence=-free)]
    found = []
    recover_above, explain_above = weekly * rules.surplus_recover_weeks, weekly * rules.surplus_explain_weeks
    if weekly and free > recover_above:
        found.append(
            Flag(FlagCode.SURPLUS_RECOVER, amount_pence=free - recover_above, weeks=rules.surplus_recover_weeks)
        )
    elif weekly and free > explain_above:
        found.append(
            Flag(FlagCode.SURPLUS_EXPLAIN, amount_pence=free - explain_above, weeks=rules.surplus_explain_weeks)
        )
    elif weekly and _balance_ahead(facts, rules, today) > explain_above:
        found.append(
            Flag(
                FlagCode.SURPLUS_HEADING,
                due_on=today + timedelta(weeks=rules.look_ahead_weeks),
                weeks=rules.surplus_explain_weeks,
            )
        )
    spent = facts.totals.spent_pence
    planned = sum(item.annual_pence for item in facts.plan_items)
    ahead = projection(facts.annual_pence, planned, spent, facts.starts_on, today)
    if ahead.basis is ProjectionBasis.SPENDING_SO_FAR and ahead.left_at_year_end_pence < 0:
        found.append(Flag(FlagCode.AHEAD_OF_BUDGET, amount_pence=-ahead.left_at_year_end_pence))
    return found


def _balance_ahead(facts: AccountFacts, rules: MonitoringRules, today: date) -> int:
    """The balance in a few weeks: what is free now, plus payments due by then, less spending at the plan's rate."""
    horizon = today + timedelta(weeks=rules.look_ahead_weeks)
    coming_in = sum(p.total_pence for p in facts.schedule if today < p.due_on <= horizon)
    recurring = sum(item.annual_pence for item in facts.plan_items if not item.one_off)
    going_out = recurring * rules.look_ahead_weeks // WEEKS_A_YEAR
    return free_to_spend(facts) + coming_in - going_out


def _spending_flags(facts: AccountFacts, rules: MonitoringRules) -> list[Flag]:
    spending = facts.spending
    # Each different text read once a category: a long account pays the same few people thousands of times.
    texts = {e.words for e in spending}
    found = []
    for category in rules.blocked:
        mentioned = {text for text in texts if _mentions(text.lower(), category.words)}
        hits = [e for e in spending if e.words in mentioned]
        if hits:
            found.append(_about(FlagCode.BLOCKED_CATEGORY, hits, category=category.code))
    keys = {item.key for item in facts.plan_items}
    outside = [e for e in spending if e.plan_item_key not in keys]
    if outside:
        found.append(_about(FlagCode.NOT_IN_PLAN, outside))
    missing = [
        e
        for e in spending
        if not e.has_receipt and not e.paid_by_card and e.amount_pence >= rules.receipts_needed_from_pence
    ]
    if missing:
        found.append(_about(FlagCode.MISSING_RECEIPTS, missing))
    return found


def _mentions(lowered: str, words: Sequence[str]) -> bool:
    """Whole words only: "rent" is a blocked word, but "parent" and "current" are not about rent. `lowered`: the
    entry's words in lower case."""
    return bool(words) and _whole_words(tuple(words)).search(lowered) is not None


@functools.lru_cache(maxsize=128)
def _whole_words(words: tuple[str, ...]) -> re.Pattern[str]:
    # One pattern a category, compiled once: an account of 2,000 entries was escaping and searching each word
    # of each category for each entry, most of the spending dashboard's time.
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(word) for word in words) + r")(?![a-z0-9])")


def _about(code: FlagCode, entries: Sequence[Entry], category: str | None = None) -> Flag:
    return Flag(
        code,
        amount_pence=sum(e.amount_pence for e in entries),
        count=len(entries),
        category=category,
        entry_ids=tuple(e.id for e in entries),
    )


def contributions_due(schedule: Sequence[ScheduledPayment], by: date) -> Pence:
    return Pence(sum(p.contribution_pence for p in schedule if p.due_on <= by))


def _contribution_flags(facts: AccountFacts, rules: MonitoringRules, today: date) -> list[Flag]:
    due = contributions_due(facts.schedule, today - timedelta(days=rules.contribution_grace_days))
    paid = sum(e.effect_pence for e in facts.entries if e.kind is EntryKind.CONTRIBUTION)
    if due > paid:
        return [Flag(FlagCode.CONTRIBUTION_NOT_PAID, amount_pence=due - paid)]
    return []


def return_periods(starts_on: date, rules: MonitoringRules, today: date) -> list[Period]:
    """The periods a return covers, up to today's (the person may send the current one early)."""
    return periods(starts_on, rules.return_frequency.days, today)


def _return_flags(facts: AccountFacts, rules: MonitoringRules, today: date) -> list[Flag]:
    sent = set(facts.returns_sent)
    found = []
    for period in return_periods(facts.starts_on, rules, today):
        if period.ends_on >= today or (period.starts_on, period.ends_on) in sent:
            continue
        due_on = period.ends_on + timedelta(days=rules.return_due_days)
        found.append(Flag(FlagCode.RETURN_LATE if today > due_on else FlagCode.RETURN_DUE, due_on=due_on))
    return found


def review_due_on(starts_on: date, rules: MonitoringRules, reviews_done: Sequence[date]) -> tuple[date, date]:
    """When the next review falls: from 6 to 8 weeks after the plan starts, then every 12 months after the last."""
    if not reviews_done:
        first, last = rules.first_review_weeks
        return starts_on + timedelta(weeks=first), starts_on + timedelta(weeks=last)
    due = max(reviews_done) + timedelta(weeks=rules.review_every_weeks)
    return due - timedelta(weeks=2), due


def _review_flags(facts: AccountFacts, rules: MonitoringRules, today: date) -> list[Flag]:
    opens, due = review_due_on(facts.starts_on, rules, facts.reviews_done)
    return [Flag(FlagCode.REVIEW_DUE, due_on=due)] if today >= opens else []
