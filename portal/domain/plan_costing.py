"""Costing a support plan: what each item costs a week and a year, the total, and the gap to the budget.

One pure function serves the plan pages, the staff view and the printed plan (domain.md §1.5: a plan
must show the personal budget and what it pays for; the Ombudsman faults plans without a breakdown).
Money is integer pence; quantities are in hundredths (7.5 hours is 750) so no float is ever used.
"""

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from portal.domain.money import Pence

WEEKS_A_YEAR = 52


class Frequency(enum.StrEnum):
    WEEKLY = "week"
    FOUR_WEEKLY = "4 weeks"
    YEARLY = "year"
    ONE_OFF = "one-off"

    @property
    def times_a_year(self) -> int:
        return {"week": 52, "4 weeks": 13, "year": 1, "one-off": 1}[self.value]


@dataclass(frozen=True)
class PlanItem:
    unit_pence: int  # the price of one unit: an hour, a session, a night, or the whole thing
    quantity_hundredths: int  # how many units each time, in hundredths: 7.5 hours is 750
    frequency: Frequency


@dataclass(frozen=True)
class ItemCost:
    each_time_pence: Pence  # one week's, one 4-week period's, one year's, or the one-off cost
    annual_pence: Pence
    weekly_pence: Pence  # the yearly cost spread over 52 weeks, for comparing like with like
    one_off: bool


@dataclass(frozen=True)
class PlanCosting:
    items: tuple[ItemCost, ...]
    annual_pence: Pence
    recurring_annual_pence: Pence
    one_off_pence: Pence
    weekly_pence: Pence
    budget_annual_pence: Pence
    difference_pence: Pence  # budget minus cost: negative when the plan costs more than the budget

    @property
    def over_budget(self) -> bool:
        return self.difference_pence < 0


def _round_half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


def cost_item(item: PlanItem) -> ItemCost:
    """Price × quantity, rounded to the nearest penny (half up) once per period; then × periods a year."""
    if item.unit_pence < 0 or item.quantity_hundredths < 0:
        raise ValueError("prices and quantities cannot be negative")
    each_time = Pence(_round_half_up(item.unit_pence * item.quantity_hundredths, 100))
    annual = Pence(each_time * item.frequency.times_a_year)
    return ItemCost(
        each_time_pence=each_time,
        annual_pence=annual,
        weekly_pence=Pence(_round_half_up(annual, WEEKS_A_YEAR)),
        one_off=item.frequency is Frequency.ONE_OFF,
    )


def cost_plan(items: Sequence[PlanItem], budget_annual_pence: int) -> PlanCosting:
    """The plan's cost over its first year, one-off purchases included, against the yearly budget.

    The total is the sum of the items' yearly costs, to the penny; the weekly figure is that total
    over 52 weeks, rounded, and is for reading only.
    """
    costs = tuple(cost_item(item) for item in items)
    annual = Pence(sum(cost.annual_pence for cost in costs))
    one_off = Pence(sum(cost.annual_pence for cost in costs if cost.one_off))
    return PlanCosting(
        items=costs,
        annual_pence=annual,
        recurring_annual_pence=Pence(annual - one_off),
        one_off_pence=one_off,
        weekly_pence=Pence(_round_half_up(annual, WEEKS_A_YEAR)),
        budget_annual_pence=Pence(budget_annual_pence),
        difference_pence=Pence(budget_annual_pence - annual),
    )


def hundredths(text: str) -> int:
    """Read a quantity typed by a person ("7.5", "10", "0.25") as hundredths. Raises ValueError otherwise."""
    cleaned = text.strip()
    whole, _, fraction = cleaned.partition(".")
    if not whole.isascii() or not whole.isdigit() or len(whole) > 5:
        raise ValueError(f"not a quantity: {text!r}")
    if fraction and (not fraction.isascii() or not fraction.isdigit() or len(fraction) > 2):
        raise ValueError(f"not a quantity: {text!r}")
    return int(whole) * 100 + int(fraction.ljust(2, "0") or 0)
