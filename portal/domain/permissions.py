"""What a helper may do on the record of the person they help: only what the person chose.

A person may let a helper see everything, complete the assessment, write the plan, record spending, or act as
the direct payment nominee (Care Act 2014 s.32; Care and Support (Direct Payments) Regulations 2014 reg. 3-4):
the nominee takes on the direct payment's duties, so sending the council a return is theirs, or the person's.

Each part of a record (an area) can be seen or changed. A permission to change an area lets the helper see it too,
because nobody can fill in an assessment they cannot read back.
"""

import enum
from collections.abc import Collection


class Permission(enum.StrEnum):
    SEE_EVERYTHING = "see_everything"
    ASSESSMENT = "assessment"
    PLAN = "plan"
    SPENDING = "spending"
    NOMINEE = "nominee"


class Area(enum.StrEnum):
    ASSESSMENT = "assessment"
    BUDGET = "budget"  # the indicative budget and asking for it to be reviewed
    PLAN = "plan"
    SPENDING = "spending"  # the budget account: payments, spending records, receipts, PAs, statements
    RETURNS = "returns"  # the declaration sent to the council that the money was spent on the plan


class Action(enum.StrEnum):
    SEE = "see"
    CHANGE = "change"


# Who may change each area. The indicative budget comes from the assessment, so whoever completes the
# assessment may also ask for the budget to be looked at again.
CHANGED_BY: dict[Area, frozenset[Permission]] = {
    Area.ASSESSMENT: frozenset({Permission.ASSESSMENT}),
    Area.BUDGET: frozenset({Permission.ASSESSMENT}),
    Area.PLAN: frozenset({Permission.PLAN}),
    Area.SPENDING: frozenset({Permission.SPENDING, Permission.NOMINEE}),
    Area.RETURNS: frozenset({Permission.NOMINEE}),
}

# Who may see each area besides those who may change it. The plan is written against the budget, so a helper
# writing the plan sees the budget too.
SEEN_BY: dict[Area, frozenset[Permission]] = {
    Area.ASSESSMENT: frozenset({Permission.SEE_EVERYTHING}),
    Area.BUDGET: frozenset({Permission.SEE_EVERYTHING, Permission.PLAN}),
    Area.PLAN: frozenset({Permission.SEE_EVERYTHING}),
    Area.SPENDING: frozenset({Permission.SEE_EVERYTHING}),
    Area.RETURNS: frozenset({Permission.SEE_EVERYTHING, Permission.SPENDING}),
}

EVERY_PERMISSION = frozenset(Permission)


def allows(granted: Collection[Permission], area: Area, action: Action) -> bool:
    """May a helper with these permissions do this action in this area of the person's record?"""
    changers = CHANGED_BY[area]
    if action is Action.CHANGE:
        return bool(changers.intersection(granted))
    return bool((changers | SEEN_BY[area]).intersection(granted))


def read_permissions(stored: Collection[str]) -> frozenset[Permission]:
    """Permissions as stored; a name this version does not know grants nothing."""
    known = {permission.value for permission in Permission}
    return frozenset(Permission(name) for name in stored if name in known)


class LegalBasis(enum.StrEnum):
    """Why staff may record a representative for a person who cannot consent to one themselves."""

    LASTING_POWER_OF_ATTORNEY = "lasting_power_of_attorney"  # health and welfare, or property and financial affairs
    DEPUTYSHIP = "deputyship"  # appointed by the Court of Protection
    AUTHORISED_PERSON = "authorised_person"  # Care Act 2014 s.32(4): receives direct payments for someone
