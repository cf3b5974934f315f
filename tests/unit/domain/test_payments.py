import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.money import Pence
from portal.domain.payments import Frequency, payment_schedule


def test_the_published_example_six_thousand_five_hundred_and_forty_four_pounds_quarterly():
    assert payment_schedule(Pence(654400), Frequency.QUARTERLY) == [163600] * 4


@pytest.mark.parametrize(
    ("frequency", "count", "first", "last"),
    [(Frequency.WEEKLY, 52, 12584, 12616), (Frequency.FOUR_WEEKLY, 13, 50338, 50344)],
)
def test_remainder_goes_in_the_last_payment(frequency, count, first, last):
    schedule = payment_schedule(Pence(654400), frequency)
    assert len(schedule) == count
    assert set(schedule[:-1]) == {first}
    assert schedule[-1] == last
    assert sum(schedule) == 654400


@given(annual=st.integers(min_value=0, max_value=50_000_000), frequency=st.sampled_from(Frequency))
def test_every_schedule_adds_up_to_the_annual_figure(annual, frequency):
    schedule = payment_schedule(Pence(annual), frequency)
    assert sum(schedule) == annual
    assert len(schedule) == frequency.payments_a_year
    assert all(payment >= 0 for payment in schedule)
