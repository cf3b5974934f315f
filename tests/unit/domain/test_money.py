import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from portal.domain.money import Pence, pounds_to_pence, split_by_weights, split_pence

money = st.integers(min_value=0, max_value=10_000_000_00)


@pytest.mark.parametrize(
    ("total", "parts", "expected"),
    [
        (654400, 4, [163600, 163600, 163600, 163600]),  # £6,544 a year quarterly is £1,636 a quarter
        (100, 3, [33, 33, 34]),
        (1, 2, [0, 1]),
        (0, 5, [0, 0, 0, 0, 0]),
        (999, 1, [999]),
    ],
)
def test_split_pence_puts_the_remainder_on_the_last_part(total, parts, expected):
    assert split_pence(Pence(total), parts) == expected


@given(total=money, parts=st.integers(min_value=1, max_value=60))
def test_split_pence_always_adds_up_to_the_penny(total, parts):
    split = split_pence(Pence(total), parts)
    assert sum(split) == total
    assert len(split) == parts
    assert max(split) - min(split) < parts


@given(total=money, weights=st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=8))
def test_split_by_weights_adds_up_and_stays_within_a_penny_of_the_exact_share(total, weights):
    assume(sum(weights) > 0)
    split = split_by_weights(Pence(total), weights)
    assert sum(split) == total
    for part, weight in zip(split, weights, strict=True):
        assert abs(part * sum(weights) - total * weight) < sum(weights)


@pytest.mark.parametrize("bad", [(Pence(100), 0), (Pence(-1), 2)])
def test_split_pence_refuses_impossible_splits(bad):
    with pytest.raises(ValueError):
        split_pence(*bad)


@pytest.mark.parametrize("weights", [[], [0, 0], [1, -1]])
def test_split_by_weights_refuses_bad_weights(weights):
    with pytest.raises(ValueError):
        split_by_weights(Pence(100), weights)


@pytest.mark.parametrize(
    ("typed", "pence"),
    [
        ("250", 25000),
        ("£250", 25000),
        ("£ 1,234.5", 123450),
        ("1234.56", 123456),
        ("0.07", 7),
        ("  12,500.00 ", 1250000),
    ],
)
def test_pounds_to_pence(typed, pence):
    assert pounds_to_pence(typed) == pence


@pytest.mark.parametrize(
    "typed", ["", "£", "12.345", "-5", "1e3", "twelve", "12.5.0", "£12,50p", "٣٠٠", "500,50", "1,23,456", ",500"]
)
def test_pounds_to_pence_refuses_what_is_not_money(typed):
    with pytest.raises(ValueError, match="not an amount of money"):
        pounds_to_pence(typed)


@given(st.integers(min_value=0, max_value=10**11 - 1))
def test_pounds_to_pence_reads_back_any_amount_shown_in_pounds(pence):
    assert pounds_to_pence(f"£{pence // 100:,}.{pence % 100:02d}") == pence
