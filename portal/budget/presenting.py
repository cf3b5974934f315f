"""What the budget pages show, worked out once for the person's page and the staff page alike."""

from flask_babel import lazy_gettext as _l

from portal.data import budgets
from portal.domain.money import split_by_weights
from portal.domain.payments import Frequency, payment_schedule
from portal.domain.ras import WEEKS_A_YEAR
from portal.people import current_content

# Funding streams named in the RAS files, in words. A stream not listed here shows its id.
FUNDING_STREAM_NAMES = {
    "care_act_s18": _l("Care and support for you (Care Act 2014, section 18)"),
    "care_act_s19": _l("Care and support the council chooses to meet (Care Act 2014, section 19)"),
    "carer_support_s20": _l("Support for your carer (Care Act 2014, section 20)"),
}
TESTS_NOT_MET = {
    "condition": _l(
        "You told us your needs are not caused by a health condition, a disability, an illness or an injury."
    ),
    "outcomes": _l(
        "From your answers, there are fewer than two of the ten everyday things the law lists that you cannot "
        "do without help. To be eligible, there must be at least two."
    ),
    "wellbeing": _l("You told us that difficulties with daily life do not affect your wellbeing a lot."),
}


def budget_summary(budget) -> dict[str, object]:
    annual = budgets.current_amount(budget)
    issued = budget.working["funding"]
    # After the council changes the amount, each stream keeps its share of it: the split still adds up.
    shares = split_by_weights(annual, list(issued.values())) if issued and annual else []
    four_weekly = payment_schedule(annual, Frequency.FOUR_WEEKLY) if annual else []
    return {
        "budget": budget,
        "working": budget.working,
        "annual_pence": annual,
        "four_weekly_pence": four_weekly[0] if four_weekly else 0,
        "last_four_weekly_pence": four_weekly[-1] if four_weekly else 0,
        "weekly_pence": (annual * 2 + WEEKS_A_YEAR) // (WEEKS_A_YEAR * 2),
        "decision": budget.decisions[-1] if budget.decisions else None,
        "open_review": budgets.open_review(budget),
        "stream_names": FUNDING_STREAM_NAMES,
        "funding": list(zip(issued, shares, strict=True)),
        "tests_not_met": [TESTS_NOT_MET[test] for test in budget.working["eligibility"]["tests_not_met"]],
        "free_category": current_content().directory.filters.free_category,
    }
