import pytest

from portal.domain.plan_costing import Frequency, PlanItem, cost_plan
from portal.domain.support_plan import (
    IllegalTransition,
    PlanAction,
    PlanStatus,
    SignOff,
    assessed_needs,
    next_status,
    sign_off_level,
    uncovered_needs,
)

LEGAL = [
    (PlanStatus.DRAFT, PlanAction.SUBMIT, PlanStatus.SUBMITTED),
    (PlanStatus.SUBMITTED, PlanAction.SEND_TO_PANEL, PlanStatus.WITH_PANEL),
    (PlanStatus.SUBMITTED, PlanAction.APPROVE, PlanStatus.APPROVED),
    (PlanStatus.WITH_PANEL, PlanAction.APPROVE, PlanStatus.APPROVED),
    (PlanStatus.SUBMITTED, PlanAction.RETURN, PlanStatus.DRAFT),
    (PlanStatus.WITH_PANEL, PlanAction.RETURN, PlanStatus.DRAFT),
]


@pytest.mark.parametrize(("before", "action", "after"), LEGAL)
def test_legal_transitions(before, action, after):
    assert next_status(before, action) is after


@pytest.mark.parametrize(
    ("before", "action"),
    [
        (status, action)
        for status in PlanStatus
        for action in PlanAction
        if (status, action) not in {(b, a) for b, a, _ in LEGAL}
    ],
)
def test_every_other_transition_is_refused(before, action):
    with pytest.raises(IllegalTransition):
        next_status(before, action)


def weekly(pence, budget_weekly):
    return cost_plan([PlanItem(pence, 100, Frequency.WEEKLY)], budget_weekly * 52)


@pytest.mark.parametrize(
    ("plan_weekly", "budget_weekly", "level"),
    [
        (30000, 30000, SignOff.TEAM_MANAGER),
        (33000, 30000, SignOff.TEAM_MANAGER),  # exactly +10%
        (33001, 30000, SignOff.SENIOR_MANAGER),
        (120000, 200000, SignOff.TEAM_MANAGER),  # £1,200 a week is not yet the panel
        (120100, 200000, SignOff.PANEL),
    ],
)
def test_who_signs_off(plan_weekly, budget_weekly, level):
    assert sign_off_level(weekly(plan_weekly, budget_weekly)) is level


def test_a_one_off_purchase_does_not_send_a_plan_to_the_panel():
    costing = cost_plan([PlanItem(10_000_000, 100, Frequency.ONE_OFF)], 20_000_000)
    assert sign_off_level(costing) is SignOff.TEAM_MANAGER


def test_needs_must_be_covered_or_explained():
    needs = assessed_needs({"A": 5, "B": 0, "E": 7, "I": 13})
    assert needs == ["A", "E", "I"]
    assert uncovered_needs(needs, [["A"], ["E"]], {}) == ["I"]
    assert uncovered_needs(needs, [["A"], ["E"]], {"I": "My brother drives me; I don't need help with this."}) == []
    assert uncovered_needs(needs, [["A", "E", "I"]], {}) == []
    assert uncovered_needs(needs, [], {"A": "  "}) == ["A", "E", "I"]
