import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.plan_costing import Frequency, PlanItem, cost_item, cost_plan, hundredths


@pytest.mark.parametrize(
    ("unit", "quantity", "frequency", "each", "annual", "weekly"),
    [
        (1650, 1000, Frequency.WEEKLY, 16500, 858000, 16500),  # a PA at £16.50 for 10 hours a week
        (2750, 750, Frequency.WEEKLY, 20625, 1072500, 20625),  # 7.5 hours of home care at £27.50
        (6000, 100, Frequency.FOUR_WEEKLY, 6000, 78000, 1500),  # a day opportunity every 4 weeks
        (9500, 700, Frequency.YEARLY, 66500, 66500, 1279),  # 7 nights' break a year at £95
        (185000, 100, Frequency.ONE_OFF, 185000, 185000, 3558),  # a tandem bicycle
        (45, 3333, Frequency.WEEKLY, 1500, 78000, 1500),  # 33.33 miles at 45p: £14.9985 → £15.00
        (333, 50, Frequency.WEEKLY, 167, 8684, 167),  # half of £3.33 rounds half up to £1.67
        (0, 100, Frequency.WEEKLY, 0, 0, 0),  # free
    ],
)
def test_cost_item(unit, quantity, frequency, each, annual, weekly):
    cost = cost_item(PlanItem(unit, quantity, frequency))
    assert (cost.each_time_pence, cost.annual_pence, cost.weekly_pence) == (each, annual, weekly)
    assert cost.one_off == (frequency is Frequency.ONE_OFF)


def test_a_plan_with_mixed_items_against_the_budget():
    costing = cost_plan(
        [
            PlanItem(1650, 1000, Frequency.WEEKLY),
            PlanItem(6000, 100, Frequency.FOUR_WEEKLY),
            PlanItem(185000, 100, Frequency.ONE_OFF),
        ],
        budget_annual_pence=1_665_400,
    )
    assert costing.annual_pence == 858000 + 78000 + 185000
    assert costing.one_off_pence == 185000
    assert costing.recurring_annual_pence == 936000
    assert costing.difference_pence == 1_665_400 - 1_121_000
    assert not costing.over_budget
    assert cost_plan([PlanItem(100_000_00, 100, Frequency.ONE_OFF)], 1).over_budget


def test_negative_prices_or_quantities_are_refused():
    with pytest.raises(ValueError, match="negative"):
        cost_item(PlanItem(-1, 100, Frequency.WEEKLY))


items = st.builds(
    PlanItem,
    unit_pence=st.integers(min_value=0, max_value=500_000),
    quantity_hundredths=st.integers(min_value=0, max_value=100_000),
    frequency=st.sampled_from(list(Frequency)),
)


@given(st.lists(items, max_size=30), st.integers(min_value=0, max_value=10**9))
def test_the_total_is_the_sum_of_its_items_to_the_penny(plan_items, budget):
    costing = cost_plan(plan_items, budget)
    assert costing.annual_pence == sum(cost.annual_pence for cost in costing.items)
    assert costing.recurring_annual_pence + costing.one_off_pence == costing.annual_pence
    assert costing.difference_pence == budget - costing.annual_pence
    assert all(isinstance(cost.annual_pence, int) for cost in costing.items)


@given(items, st.integers(min_value=1, max_value=10_000))
def test_more_of_something_never_costs_less(item, more):
    bigger = PlanItem(item.unit_pence, item.quantity_hundredths + more, item.frequency)
    assert cost_item(bigger).annual_pence >= cost_item(item).annual_pence


@pytest.mark.parametrize(("typed", "value"), [("7.5", 750), ("10", 1000), ("0.25", 25), (" 3 ", 300), ("1.", 100)])
def test_quantities(typed, value):
    assert hundredths(typed) == value


@pytest.mark.parametrize("typed", ["", "-1", "1.234", "ten", "1e3", "7,5", "١", "999999"])
def test_not_quantities(typed):
    with pytest.raises(ValueError, match="not a quantity"):
        hundredths(typed)
