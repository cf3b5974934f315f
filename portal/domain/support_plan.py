"""The support plan's rules: which changes of status are allowed, who signs it off, and which needs it covers.

Follows domain.md §1.5 (what a plan must contain), §5 (sign-off and panels) and §7.1 rule 4: a plan within
the indicative budget plus 10% is signed off by a team manager, above that by a senior manager, and above
£1,200 a week (or anything unusual) it goes to the panel, by exception only.
"""

import enum
from collections.abc import Iterable, Mapping

from portal.domain.plan_costing import WEEKS_A_YEAR, PlanCosting


class PlanStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITH_PANEL = "with the panel"
    APPROVED = "approved"


class PlanAction(enum.StrEnum):
    SUBMIT = "submit"
    SEND_TO_PANEL = "send to panel"
    APPROVE = "approve"
    RETURN = "return"


# What each action needs the plan to be in, and what it becomes. Anything else is refused.
TRANSITIONS: Mapping[PlanAction, tuple[frozenset[PlanStatus], PlanStatus]] = {
    PlanAction.SUBMIT: (frozenset({PlanStatus.DRAFT}), PlanStatus.SUBMITTED),
    PlanAction.SEND_TO_PANEL: (frozenset({PlanStatus.SUBMITTED}), PlanStatus.WITH_PANEL),
    PlanAction.APPROVE: (frozenset({PlanStatus.SUBMITTED, PlanStatus.WITH_PANEL}), PlanStatus.APPROVED),
    PlanAction.RETURN: (frozenset({PlanStatus.SUBMITTED, PlanStatus.WITH_PANEL}), PlanStatus.DRAFT),
}
STAFF_ACTIONS = frozenset({PlanAction.SEND_TO_PANEL, PlanAction.APPROVE, PlanAction.RETURN})


class IllegalTransition(Exception):
    pass


def next_status(current: PlanStatus, action: PlanAction) -> PlanStatus:
    allowed_from, becomes = TRANSITIONS[action]
    if current not in allowed_from:
        raise IllegalTransition(f"cannot {action.value} a plan that is {current.value}")
    return becomes


class SignOff(enum.StrEnum):
    TEAM_MANAGER = "team manager"
    SENIOR_MANAGER = "senior manager"
    PANEL = "panel"


TOLERANCE_PERCENT = 10
PANEL_WEEKLY_PENCE = 120_000


def sign_off_level(costing: PlanCosting) -> SignOff:
    """Who signs the plan off (domain.md §7.1 rule 4): by its recurring cost against the indicative budget."""
    weekly = costing.recurring_annual_pence // WEEKS_A_YEAR
    if weekly > PANEL_WEEKLY_PENCE:
        return SignOff.PANEL
    if costing.annual_pence * 100 <= costing.budget_annual_pence * (100 + TOLERANCE_PERCENT):
        return SignOff.TEAM_MANAGER
    return SignOff.SENIOR_MANAGER


def assessed_needs(section_points: Mapping[str, int]) -> list[str]:
    """The parts of life where the assessment found a need: any section that scored points."""
    return [section for section, points in section_points.items() if points > 0]


def uncovered_needs(
    needs: Iterable[str], outcome_needs: Iterable[Iterable[str]], reasons: Mapping[str, str]
) -> list[str]:
    """Needs no outcome covers and no reason explains. A plan cannot be sent while any are left."""
    covered = {need for needs_of_outcome in outcome_needs for need in needs_of_outcome}
    return [need for need in needs if need not in covered and not (reasons.get(need) or "").strip()]
