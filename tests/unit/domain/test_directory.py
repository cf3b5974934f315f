import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.directory import (
    amount_to_pence,
    costs,
    distance_km,
    outward_code,
    pence_to_amount,
    search_facts,
    search_words,
)
from tests.factories import oruk_service


@pytest.mark.parametrize(
    ("amount", "pence"), [(27.5, 2750), (0, 0), (35, 3500), (0.45, 45), ("12.10", 1210), (0.1, 10)]
)
def test_amounts_in_pounds_become_exact_pence(amount, pence):
    assert amount_to_pence(amount) == pence


@pytest.mark.parametrize("amount", [-1, "lots", float("nan"), float("inf")])
def test_amounts_that_are_not_money_are_refused(amount):
    with pytest.raises(ValueError, match="not an amount"):
        amount_to_pence(amount)


@given(st.integers(min_value=0, max_value=10**9))
def test_pence_survive_the_trip_through_oruk_pounds(pence):
    assert amount_to_pence(pence_to_amount(pence)) == pence


def test_search_facts_read_what_the_filters_need():
    record = oruk_service(
        "Day centre",
        categories=["day-opportunities"],
        flags=["accepts-direct-payments"],
        costs=[(55, "per day"), (18, "per hour"), (16.5, "per hour")],
        languages=["English", "Urdu"],
        areas=["Riverside"],
        access=["hearing-loop"],
        postcode="AT2 1AB",
        latitude=52.45,
        longitude=-1.5,
    )
    facts = search_facts(record)
    assert facts.categories == ("day-opportunities",)
    assert facts.flags == ("accepts-direct-payments",)
    assert facts.accessibility == ("hearing-loop",)
    assert facts.languages == ("English", "Urdu")
    assert facts.lowest_hourly_pence == 1650
    assert not facts.free
    assert (facts.latitude, facts.longitude) == (52.45, -1.5)
    assert [cost.pence for cost in costs(record)] == [5500, 1800, 1650]


def test_a_free_service():
    facts = search_facts(oruk_service("Free group"))
    assert facts.free and facts.lowest_hourly_pence is None and facts.latitude is None


@pytest.mark.parametrize(
    ("typed", "code"), [("AT3 4QD", "AT3"), ("at3 4qd", "AT3"), ("AT34QD", "AT3"), ("SW1A 1AA", "SW1A"), ("AT3", "AT3")]
)
def test_outward_codes(typed, code):
    assert outward_code(typed) == code


@pytest.mark.parametrize("typed", ["", "hello", "12345", "AT3 4QDX"])
def test_not_postcodes(typed):
    assert outward_code(typed) is None


def test_distance():
    assert distance_km(52.45, -1.5, 52.45, -1.5) == 0
    # One degree of latitude is about 111 km anywhere.
    assert 110.5 < distance_km(52.0, -1.5, 53.0, -1.5) < 111.7


def test_search_words_keep_only_words():
    assert search_words('home "care" OR NEAR(x* -- ') == ["home", "care", "or", "near", "x"]
    assert search_words("żółw ąę") == ["żółw", "ąę"]
    assert len(search_words("a " * 100)) == 12
