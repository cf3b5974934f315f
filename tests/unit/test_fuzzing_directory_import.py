"""Fuzzing the directory import (#10): any text gives services or problems naming the record and field, and every
record that passes the checks can be saved (its search facts read, its dates parsed, its prices held in pence)."""

import copy
import datetime
import json
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.domain.directory import search_facts
from portal.oruk.validate import read_services
from tests.factories import oruk_service
from tests.mutations import paths_in

FUZZ = settings(
    max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
LARGEST_PENCE = 2**63 - 1  # the database's BIGINT

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(["", "\x00", "2026-02-30", "2026-11-01", "9999-99-99", "-1", "1e309", "x" * 10_000]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
VALID = oruk_service(
    "Fuzz Day Centre",
    costs=[(12.5, "per hour")],
    postcode="AN1 1AA",
    latitude=52.0,
    longitude=-1.0,
    access=["step-free-access"],
)


PATHS = [path for path in paths_in(VALID) if path]


@st.composite
def mutated_services(draw):
    record = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        parent = record
        try:
            for step in path[:-1]:
                parent = parent[step]
            if draw(st.booleans()) and isinstance(parent, dict):
                parent.pop(path[-1], None)  # a field left out
            else:
                parent[path[-1]] = draw(JSON_VALUES)  # a wrong type, a huge number, an empty string
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed the way there
    return record


def _check_saveable(records):
    for record in records:
        assert "\\u0000" not in json.dumps(record), "PostgreSQL cannot store a NUL character in text"
        facts = search_facts(record)
        if facts.last_checked:
            datetime.date.fromisoformat(facts.last_checked)
        assert facts.lowest_hourly_pence is None or 0 <= facts.lowest_hourly_pence <= LARGEST_PENCE


@FUZZ
@given(text=st.one_of(st.text(max_size=200), JSON_VALUES.map(json.dumps)))
def test_any_text_is_read_as_services_or_explained(text):
    records, problems = read_services(text)
    assert not (records and problems), "with any problem, nothing is imported"
    assert records or problems
    for problem in problems:
        assert str(problem)
    _check_saveable(records)


@FUZZ
@given(records=st.lists(mutated_services(), min_size=1, max_size=2))
def test_a_broken_service_is_explained_and_a_passing_one_can_be_saved(records):
    read, problems = read_services(json.dumps(records))
    assert not (read and problems)
    for problem in problems:
        assert str(problem)
    _check_saveable(read)


def test_a_language_whose_name_is_not_text_is_left_out_of_the_search_facts():
    record = copy.deepcopy(VALID)
    ids = [str(uuid.uuid4()) for _ in range(3)]
    record["languages"] = [{"id": ids[0], "name": [None]}, {"id": ids[1], "name": 7}, {"id": ids[2], "name": "Polish"}]
    records, problems = read_services(json.dumps([record]))
    assert problems == []
    assert search_facts(records[0]).languages == ("Polish",)


def test_a_nul_character_anywhere_in_a_service_is_a_problem_naming_the_field():
    record = copy.deepcopy(VALID)
    record["organization"]["name"] = "Test\x00 Org"
    records, problems = read_services(json.dumps([record]))
    assert records == []
    assert [str(problem) for problem in problems] == [f"{record['id']}: $.organization.name: contains a NUL character"]
