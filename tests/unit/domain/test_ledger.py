from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.domain.ledger import (
    MONEY_IN_KINDS,
    Entry,
    EntryKind,
    LedgerError,
    balance,
    corrected_ids,
    correction_for,
    standing,
    statement,
    totals,
)

START = date(2025, 4, 7)
MONEY_IN = sorted(MONEY_IN_KINDS)
RELAXED = settings(deadline=None)  # a full test run may be using the CPU at the same time

days = st.integers(min_value=-60, max_value=420).map(lambda offset: START + timedelta(days=offset))
amounts = st.integers(min_value=1, max_value=5_000_000)


@dataclass
class Ledger:
    entries: list[Entry]
    received: int  # kept alongside the entries, by hand: what the ledger must agree with
    spent: int


@st.composite
def ledgers(draw, max_steps=30):
    entries: list[Entry] = []
    received = spent = 0
    for new_id in range(1, draw(st.integers(min_value=0, max_value=max_steps)) + 1):
        still_counting = standing(entries)
        if still_counting and draw(st.integers(min_value=0, max_value=3)) == 0:
            original = draw(st.sampled_from(still_counting))
            entries.append(correction_for(original, entries, new_id, draw(days)))
            if original.kind is EntryKind.SPENDING:
                spent -= original.amount_pence
            else:
                received -= original.amount_pence
            continue
        kind = draw(st.sampled_from(list(EntryKind)))
        amount = draw(amounts)
        entries.append(
            Entry(
                id=new_id,
                kind=kind,
                occurred_on=draw(days),
                amount_pence=amount,
                plan_item_key=draw(st.sampled_from([None, "pa", "respite"])),
                has_receipt=draw(st.booleans()),
                paid_by_card=draw(st.booleans()),
                words=draw(st.sampled_from(["", "Jo Bloggs PA wages", "Respite week"])),
            )
        )
        if kind is EntryKind.SPENDING:
            spent += amount
        else:
            received += amount
    return Ledger(draw(st.permutations(entries)), received, spent)


def paid_in(entry_id: int, amount: int, on: date = START, kind: EntryKind = EntryKind.COUNCIL_PAYMENT) -> Entry:
    return Entry(entry_id, kind, on, amount)


def spending(entry_id: int, amount: int, on: date = START) -> Entry:
    return Entry(entry_id, EntryKind.SPENDING, on, amount, plan_item_key="pa", words="Jo Bloggs PA wages")


# The ledger's sums


@RELAXED
@given(ledger=ledgers())
def test_the_balance_is_money_received_less_money_spent(ledger):
    found = totals(ledger.entries)
    assert found.received_pence == ledger.received
    assert found.spent_pence == ledger.spent
    assert found.balance_pence == ledger.received - ledger.spent
    assert balance(ledger.entries) == found.balance_pence


@RELAXED
@given(ledger=ledgers())
def test_the_entries_still_standing_add_up_to_the_balance(ledger):
    assert sum(entry.effect_pence for entry in standing(ledger.entries)) == balance(ledger.entries)


@RELAXED
@given(ledger=ledgers())
def test_nothing_standing_is_a_correction_or_corrected(ledger):
    undone = corrected_ids(ledger.entries)
    for entry in standing(ledger.entries):
        assert not entry.is_correction
        assert entry.id not in undone


@pytest.mark.parametrize(
    ("kind", "reverses_id", "effect"),
    [
        (EntryKind.COUNCIL_PAYMENT, None, 1250),
        (EntryKind.CONTRIBUTION, None, 1250),
        (EntryKind.MONEY_IN, None, 1250),
        (EntryKind.SPENDING, None, -1250),
        (EntryKind.COUNCIL_PAYMENT, 1, -1250),
        (EntryKind.CONTRIBUTION, 1, -1250),
        (EntryKind.MONEY_IN, 1, -1250),
        (EntryKind.SPENDING, 1, 1250),
    ],
)
def test_money_in_adds_spending_takes_away_and_a_correction_does_the_opposite(kind, reverses_id, effect):
    entry = Entry(2, kind, START, 1250, reverses_id=reverses_id)
    assert entry.effect_pence == effect
    assert entry.is_correction is (reverses_id is not None)


@pytest.mark.parametrize(
    ("entries", "received", "spent", "balance_pence"),
    [
        ([], 0, 0, 0),
        ([paid_in(1, 128107)], 128107, 0, 128107),
        ([paid_in(1, 128107), spending(2, 45000)], 128107, 45000, 83107),
        ([paid_in(1, 128107), paid_in(2, 4000, kind=EntryKind.CONTRIBUTION)], 132107, 0, 132107),
        ([paid_in(1, 10000), spending(2, 15000)], 10000, 15000, -5000),
        (
            [paid_in(1, 10000), spending(2, 3000), Entry(3, EntryKind.SPENDING, START, 3000, reverses_id=2)],
            10000,
            0,
            10000,
        ),
        (
            [paid_in(1, 10000), paid_in(2, 500, kind=EntryKind.MONEY_IN), Entry(3, EntryKind.MONEY_IN, START, 500, 2)],
            10000,
            0,
            10000,
        ),
    ],
)
def test_totals_of_a_few_entries(entries, received, spent, balance_pence):
    found = totals(entries)
    assert (found.received_pence, found.spent_pence, found.balance_pence) == (received, spent, balance_pence)
    assert balance(entries) == balance_pence


def test_corrected_ids_are_the_entries_a_correction_undid():
    entries = [paid_in(1, 100), spending(2, 40), spending(3, 30), Entry(4, EntryKind.SPENDING, START, 40, 2)]
    assert corrected_ids(entries) == frozenset({2})
    assert [entry.id for entry in standing(entries)] == [1, 3]


# Corrections


@RELAXED
@given(ledger=ledgers(), data=st.data())
def test_a_correction_restores_the_balance_exactly(ledger, data):
    still_counting = standing(ledger.entries)
    if not still_counting:
        return
    original = data.draw(st.sampled_from(still_counting))
    correction = correction_for(original, ledger.entries, max(e.id for e in ledger.entries) + 1, data.draw(days))
    without_original = [entry for entry in ledger.entries if entry.id != original.id]
    assert balance([*ledger.entries, correction]) == balance(without_original)
    assert totals([*ledger.entries, correction]) == totals(without_original)
    assert original not in standing([*ledger.entries, correction])


@RELAXED
@given(ledger=ledgers(), data=st.data())
def test_no_correction_can_be_made_for_a_correction_or_for_an_entry_already_corrected(ledger, data):
    undone = corrected_ids(ledger.entries)
    corrections = [entry for entry in ledger.entries if entry.is_correction]
    if not corrections:
        return
    correction = data.draw(st.sampled_from(corrections))
    with pytest.raises(LedgerError) as raised:
        correction_for(correction, ledger.entries, 999, START)
    assert raised.value.code == "correction_of_a_correction"
    original = next(entry for entry in ledger.entries if entry.id == correction.reverses_id)
    assert original.id in undone
    with pytest.raises(LedgerError) as raised:
        correction_for(original, ledger.entries, 999, START)
    assert raised.value.code == "already_corrected"


@pytest.mark.parametrize("kind", list(EntryKind))
def test_a_correction_undoes_the_original_exactly_and_is_linked_to_it(kind):
    original = Entry(
        7, kind, START, 12345, plan_item_key="pa", has_receipt=True, paid_by_card=True, words="Jo Bloggs PA"
    )
    correction = correction_for(original, [original], 8, START + timedelta(days=3))
    assert correction.id == 8
    assert correction.kind is kind
    assert correction.amount_pence == 12345
    assert correction.reverses_id == 7
    assert correction.occurred_on == START + timedelta(days=3)
    assert correction.plan_item_key == "pa"
    assert correction.words == "Jo Bloggs PA"
    assert correction.effect_pence == -original.effect_pence
    assert balance([original, correction]) == 0


def test_correcting_a_correction_is_refused():
    original = spending(1, 5000)
    correction = correction_for(original, [original], 2, START)
    with pytest.raises(LedgerError, match="correction_of_a_correction") as raised:
        correction_for(correction, [original, correction], 3, START)
    assert raised.value.code == "correction_of_a_correction"


def test_correcting_an_entry_twice_is_refused():
    original = spending(1, 5000)
    correction = correction_for(original, [original], 2, START)
    with pytest.raises(LedgerError, match="already_corrected") as raised:
        correction_for(original, [original, correction], 3, START)
    assert raised.value.code == "already_corrected"


def test_a_ledger_error_is_a_value_error_with_its_code():
    error = LedgerError("already_corrected")
    assert isinstance(error, ValueError)
    assert error.code == "already_corrected"
    assert str(error) == "already_corrected"


def test_a_mistake_is_put_right_with_a_correction_then_an_entry_with_the_right_figures():
    wrong = spending(2, 45000)
    entries = [paid_in(1, 128107), wrong]
    entries += [correction_for(wrong, entries, 3, START), spending(4, 4500)]
    assert totals(entries).spent_pence == 4500
    assert totals(entries).balance_pence == 128107 - 4500
    assert [entry.id for entry in standing(entries)] == [1, 4]


# Statements


@st.composite
def periods_of_a_ledger(draw):
    starts_on = draw(days)
    return starts_on, starts_on + timedelta(days=draw(st.integers(min_value=0, max_value=200)))


@RELAXED
@given(ledger=ledgers(), period=periods_of_a_ledger())
def test_a_statement_closes_on_the_opening_balance_plus_money_in_less_money_out(ledger, period):
    starts_on, ends_on = period
    found = statement(ledger.entries, starts_on, ends_on)
    assert found.closing_balance_pence == found.opening_balance_pence + found.money_in_pence - found.money_out_pence
    assert found.money_in_pence >= 0
    assert found.money_out_pence >= 0
    assert (found.starts_on, found.ends_on) == (starts_on, ends_on)


@RELAXED
@given(ledger=ledgers(), period=periods_of_a_ledger())
def test_a_statement_opens_on_the_balance_of_everything_before_it(ledger, period):
    starts_on, ends_on = period
    found = statement(ledger.entries, starts_on, ends_on)
    assert found.opening_balance_pence == balance(entry for entry in ledger.entries if entry.occurred_on < starts_on)
    assert found.closing_balance_pence == balance(entry for entry in ledger.entries if entry.occurred_on <= ends_on)


@RELAXED
@given(ledger=ledgers(), period=periods_of_a_ledger())
def test_each_line_carries_the_balance_after_it_and_the_last_is_the_closing_balance(ledger, period):
    starts_on, ends_on = period
    found = statement(ledger.entries, starts_on, ends_on)
    running = found.opening_balance_pence
    for line in found.lines:
        running += line.entry.effect_pence
        assert line.balance_after_pence == running
    last = found.lines[-1].balance_after_pence if found.lines else found.opening_balance_pence
    assert last == found.closing_balance_pence


@RELAXED
@given(ledger=ledgers(), period=periods_of_a_ledger())
def test_a_statement_lists_every_entry_in_its_period_in_date_order_then_id(ledger, period):
    starts_on, ends_on = period
    found = statement(ledger.entries, starts_on, ends_on)
    listed = [line.entry for line in found.lines]
    in_period = [entry for entry in ledger.entries if starts_on <= entry.occurred_on <= ends_on]
    assert sorted(listed, key=lambda entry: entry.id) == sorted(in_period, key=lambda entry: entry.id)
    assert listed == sorted(listed, key=lambda entry: (entry.occurred_on, entry.id))


@RELAXED
@given(ledger=ledgers(), starts_on=days, lengths=st.lists(st.integers(min_value=1, max_value=120), max_size=5))
def test_consecutive_statements_chain_one_closing_balance_to_the_next_opening(ledger, starts_on, lengths):
    previous = None
    for length in lengths:
        found = statement(ledger.entries, starts_on, starts_on + timedelta(days=length - 1))
        if previous is not None:
            assert found.opening_balance_pence == previous.closing_balance_pence
        previous, starts_on = found, starts_on + timedelta(days=length)


@RELAXED
@given(ledger=ledgers())
def test_a_statement_of_the_whole_ledger_closes_on_its_balance(ledger):
    found = statement(ledger.entries, START - timedelta(days=60), START + timedelta(days=420))
    assert found.opening_balance_pence == 0
    assert found.closing_balance_pence == balance(ledger.entries)
    assert len(found.lines) == len(ledger.entries)


@pytest.mark.parametrize("days_before", [1, 30, 365])
def test_a_statement_that_ends_before_it_starts_is_refused(days_before):
    with pytest.raises(ValueError, match="ends on or after"):
        statement([paid_in(1, 100)], START, START - timedelta(days=days_before))


def test_a_statement_of_one_day_is_allowed():
    found = statement([paid_in(1, 100), spending(2, 30)], START, START)
    assert [line.balance_after_pence for line in found.lines] == [100, 70]


def test_a_statement_with_nothing_in_its_period_closes_where_it_opens():
    found = statement([paid_in(1, 100)], START + timedelta(days=1), START + timedelta(days=27))
    assert found.lines == ()
    assert found.opening_balance_pence == found.closing_balance_pence == 100
    assert found.money_in_pence == found.money_out_pence == 0


def test_a_statement_example_with_a_correction_counted_as_money_back_in():
    wrong = spending(3, 2000, on=START + timedelta(days=5))
    entries = [
        spending(4, 1500, on=START + timedelta(days=5)),
        paid_in(1, 128107),
        paid_in(2, 4000, on=START + timedelta(days=2), kind=EntryKind.CONTRIBUTION),
        wrong,
        correction_for(wrong, [wrong], 5, START + timedelta(days=9)),
        spending(6, 700, on=START + timedelta(days=40)),
    ]
    found = statement(entries, START + timedelta(days=1), START + timedelta(days=27))
    assert found.opening_balance_pence == 128107
    assert [(line.entry.id, line.balance_after_pence) for line in found.lines] == [
        (2, 132107),
        (3, 130107),
        (4, 128607),
        (5, 130607),
    ]
    assert found.money_in_pence == 6000
    assert found.money_out_pence == 3500
    assert found.closing_balance_pence == 130607


@pytest.mark.parametrize("amount", [0, -1, -12_50])
def test_an_entry_of_nothing_or_less_is_refused_so_its_direction_cannot_turn_round(amount):
    with pytest.raises(ValueError):
        Entry(id=1, kind=EntryKind.SPENDING, occurred_on=date(2026, 11, 2), amount_pence=amount)
