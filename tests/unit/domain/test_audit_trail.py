import csv
import io
from datetime import UTC, date, datetime

import pytest

from portal.domain.audit_trail import (
    Kind,
    Money,
    audit_csv,
    facts,
    guessed_kind,
    money_fields,
    phrase_key,
    search_window,
    spreadsheet_cell,
)


@pytest.mark.parametrize(
    ("action", "detail", "key"),
    [
        ("record.viewed", {"record": "plan", "id": 1}, "record.viewed:plan"),
        ("record.viewed", {"id": 1}, "record.viewed"),
        ("record.viewed", {"record": 7}, "record.viewed"),
        ("sessions.ended_everywhere", {"this_device": False}, "sessions.ended_everywhere:others"),
        ("sessions.ended_everywhere", {"this_device": True}, "sessions.ended_everywhere"),
        ("ledger.spending", {"record": "plan"}, "ledger.spending"),
    ],
)
def test_phrase_key(action, detail, key):
    assert phrase_key(action, detail) == key


def test_facts_are_typed_and_anything_else_is_left_out():
    assert facts(
        {"amount_pence": 1250, "week": "2026-11-16", "version": 2, "question": "A1", "reason": "kept out"}
    ) == {"amount": Money(1250), "week": date(2026, 11, 16), "version": 2, "question": "A1"}
    assert facts({"amount_pence": True, "week": "last week", "version": "2", "question": "  ", "name": None}) == {}


def test_money_fields_are_those_named_in_pence():
    assert money_fields({"amount_pence": 5, "final_budget_pence": "5", "lines": 3}) == {"amount_pence": 5}


def test_unknown_actions_are_guessed_a_kind():
    assert guessed_kind("letter.viewed") is Kind.VIEW
    assert guessed_kind("letter.sent") is Kind.CHANGE


@pytest.mark.parametrize(
    ("since", "until", "starts", "ends"),
    [
        # Summer: London is an hour ahead of UTC, so its day starts at 23:00 UTC the day before.
        (
            date(2026, 7, 1),
            date(2026, 7, 1),
            datetime(2026, 6, 30, 23, tzinfo=UTC),
            datetime(2026, 7, 1, 23, tzinfo=UTC),
        ),
        (date(2026, 1, 5), date(2026, 1, 6), datetime(2026, 1, 5, tzinfo=UTC), datetime(2026, 1, 7, tzinfo=UTC)),
        # The clocks go forward on 29 March 2026: that day is 23 hours long.
        (date(2026, 3, 29), None, datetime(2026, 3, 29, tzinfo=UTC), None),
        (None, date(2026, 3, 29), None, datetime(2026, 3, 29, 23, tzinfo=UTC)),
        (None, None, None, None),
    ],
)
def test_a_search_window_is_whole_london_days(since, until, starts, ends):
    assert search_window(since, until) == (starts, ends)


@pytest.mark.parametrize("text", ["=SUM(A1)", "+44 7700", "-1", "@cmd", "\tx", "\rx"])
def test_a_cell_that_would_run_as_a_formula_is_kept_as_text(text):
    assert spreadsheet_cell(text) == "'" + text


def test_the_csv_guards_every_cell_and_writes_detail_as_json():
    body = audit_csv(["When", "Who"], [["2026-01-01", '=HYPERLINK("x")'], [None, {"reason": "-2", "a": 1}]])
    rows = list(csv.reader(io.StringIO(body)))
    assert rows == [["When", "Who"], ["2026-01-01", '\'=HYPERLINK("x")'], ["", '{"a": 1, "reason": "-2"}']]
