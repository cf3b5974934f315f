"""A support plan as its pages, the printed plan and the staff view show it, costed by the one pure function."""

from typing import Any

from flask_babel import lazy_gettext as _l

from portal.assessment.forms import WHO_HELPED
from portal.data import plans
from portal.domain.plan_costing import Frequency
from portal.domain.support_plan import sign_off_level
from portal.plan.forms import MANAGEMENT

FREQUENCY_WORDS = {
    Frequency.WEEKLY: _l("every week"),
    Frequency.FOUR_WEEKLY: _l("every 4 weeks"),
    Frequency.YEARLY: _l("once a year"),
    Frequency.ONE_OFF: _l("once"),
}
MANAGEMENT_WORDS = {choice.value: choice.label for choice in MANAGEMENT}
SIGN_OFF_WORDS = {
    "team manager": _l("a team manager"),
    "senior manager": _l("a senior manager"),
    "panel": _l("the panel (for plans above £1,200 a week)"),
}


def plan_summary(plan) -> dict[str, Any]:
    costing = plans.costing_of(plan)
    outcomes = {outcome.position: outcome for outcome in plan.outcomes}
    rows = []
    for item, cost in zip(plan.items, costing.items, strict=True):
        rows.append(
            {
                "item": item,
                "cost": cost,
                "often": FREQUENCY_WORDS[Frequency(item.frequency)],
                "quantity": f"{item.quantity_hundredths / 100:g}",
                "outcomes": [outcomes[p].what for p in item.outcome_positions if p in outcomes],
                "management": MANAGEMENT_WORDS.get(item.management or "", ""),
            }
        )
    return {
        "person_id": plan.person_id,
        "costing": costing,
        "rows": rows,
        "management": MANAGEMENT_WORDS.get((plan.management or {}).get("method", ""), ""),
        "sign_off": SIGN_OFF_WORDS[sign_off_level(costing).value],
        "titles": plan.indicative_budget.section_titles,
        "who_helped": next((c.label for c in WHO_HELPED if c.value == plan.who_helped), None),
    }
