from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.retention import (
    RULES,
    YEARS_AFTER,
    Held,
    Keeping,
    Record,
    closure,
    expired,
    financial_year_end,
    kept_together,
    kept_until,
)

KEPT = [record for record in Record if RULES[record] is not Keeping.DELETE_ON_CLOSURE]
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@pytest.mark.parametrize(
    ("day", "year_end"),
    [
        (date(2026, 3, 31), date(2026, 3, 31)),  # the last day of 2025/26
        (date(2026, 4, 1), date(2027, 3, 31)),  # the first day of 2026/27
        (date(2026, 12, 31), date(2027, 3, 31)),
        (date(2027, 1, 1), date(2027, 3, 31)),
        (date(2028, 2, 29), date(2028, 3, 31)),
    ],
)
def test_the_financial_year_runs_from_1_april_to_31_march(day, year_end):
    assert financial_year_end(day) == year_end


@pytest.mark.parametrize(
    ("record", "dated", "until"),
    [
        # A payment in May 2026 is in 2026/27: kept to the end of that year and 6 more.
        (Record.LEDGER_ENTRY, date(2026, 5, 15), date(2033, 3, 31)),
        (Record.LEDGER_ENTRY, date(2026, 3, 31), date(2032, 3, 31)),
        (Record.LEDGER_ENTRY, date(2026, 4, 1), date(2033, 3, 31)),
        (Record.BANK_STATEMENT, date(2027, 3, 31), date(2033, 3, 31)),
        (Record.APPROVED_PLAN, date(2026, 11, 29), date(2033, 3, 31)),
        (Record.RECEIPT, date(2026, 3, 31), date(2027, 3, 31)),
        (Record.RECEIPT, date(2026, 4, 1), date(2028, 3, 31)),
        (Record.TIMESHEET, date(2026, 11, 29), date(2028, 3, 31)),
        (Record.AUDIT_EVENT, date(2026, 11, 29), date(2033, 3, 31)),
    ],
)
def test_records_are_kept_for_the_current_financial_year_plus_their_years(record, dated, until):
    assert kept_until(record, dated) == until


@pytest.mark.parametrize("record", [r for r in Record if RULES[r] is Keeping.DELETE_ON_CLOSURE])
def test_what_no_rule_requires_goes_when_the_account_closes(record):
    assert kept_until(record, date(2026, 11, 29)) is None
    assert expired(Held(record, date(2026, 11, 29)), date(2026, 11, 29))


def test_every_kind_of_record_has_a_rule():
    assert set(RULES) == set(Record)
    assert {RULES[Record.RECEIPT], RULES[Record.TIMESHEET]} == {Keeping.SUPPORTING_DOCUMENT}
    assert YEARS_AFTER[Keeping.FINANCIAL] == 6 and YEARS_AFTER[Keeping.SUPPORTING_DOCUMENT] == 1


def test_a_record_is_kept_to_the_end_of_its_last_day_and_goes_the_day_after():
    held = Held(Record.LEDGER_ENTRY, date(2026, 5, 15))
    assert not expired(held, date(2033, 3, 31))
    assert expired(held, date(2033, 4, 1))


@given(record=st.sampled_from(KEPT), dated=days)
def test_every_kept_date_is_a_31_march_on_or_after_the_record_and_within_its_years(record, dated):
    until = kept_until(record, dated)
    assert until is not None
    assert until >= dated
    assert (until.month, until.day) == (3, 31)
    years = YEARS_AFTER[RULES[record]]
    # At least `years` whole years, and never more than the rest of the year plus them.
    assert until.year - dated.year in (years, years + 1)
    assert until - dated < timedelta(days=366 * (years + 1))


@given(record=st.sampled_from(KEPT), first=days, second=days)
def test_a_later_record_is_never_deleted_sooner(record, first, second):
    earlier, later = sorted((first, second))
    assert kept_until(record, earlier) <= kept_until(record, later)


@given(record=st.sampled_from(KEPT), dated=days, today=days)
def test_a_record_is_never_deleted_while_it_must_be_kept(record, dated, today):
    assert expired(Held(record, dated), today) == (today > kept_until(record, dated))


@given(dated=days)
def test_financial_records_outlive_the_receipts_that_prove_them(dated):
    assert kept_until(Record.LEDGER_ENTRY, dated) > kept_until(Record.RECEIPT, dated)


@given(first=days, second=days)
def test_records_kept_together_go_when_the_last_of_them_may(first, second):
    together = kept_together(first, second)
    assert kept_until(Record.LEDGER_ENTRY, together) == max(
        kept_until(Record.LEDGER_ENTRY, first), kept_until(Record.LEDGER_ENTRY, second)
    )


def test_closure_lists_what_goes_now_and_what_stays_until_when():
    summary = closure(
        [
            Held(Record.ACCOUNT_DETAILS, date(2026, 11, 29)),
            Held(Record.UNAPPROVED_PLAN, date(2026, 11, 29)),
            Held(Record.LEDGER_ENTRY, date(2025, 6, 1)),
            Held(Record.LEDGER_ENTRY, date(2026, 11, 1)),
            Held(Record.RECEIPT, date(2026, 11, 1)),
            Held(Record.RECEIPT, date(2024, 11, 1)),  # its year plus 1 ended on 31 March 2026
        ],
        today=date(2026, 11, 29),
    )
    assert summary.deleted == (Record.ACCOUNT_DETAILS, Record.UNAPPROVED_PLAN, Record.RECEIPT)
    ledger, receipts = summary.kept
    assert (ledger.record, ledger.count, ledger.first_until, ledger.last_until) == (
        Record.LEDGER_ENTRY,
        2,
        date(2032, 3, 31),
        date(2033, 3, 31),
    )
    assert (receipts.record, receipts.count, receipts.last_until) == (Record.RECEIPT, 1, date(2028, 3, 31))


@given(st.lists(st.builds(Held, st.sampled_from(Record), days), max_size=40), days)
def test_closure_accounts_for_every_record_and_keeps_none_past_its_date(held, today):
    summary = closure(held, today)
    kept = {group.record for group in summary.kept}
    assert kept | set(summary.deleted) == {one.record for one in held}
    assert sum(group.count for group in summary.kept) == sum(1 for one in held if not expired(one, today))
    assert not kept & {record for record in Record if RULES[record] is Keeping.DELETE_ON_CLOSURE}
    for group in summary.kept:
        assert today <= group.first_until <= group.last_until
