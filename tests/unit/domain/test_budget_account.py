from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.domain.budget_account import (
    DAYS_A_YEAR,
    AccountFacts,
    BlockedCategory,
    Flag,
    FlagCode,
    ItemProgress,
    MonitoringRules,
    PaymentFrequency,
    Period,
    PlannedItem,
    ProjectionBasis,
    ScheduledPayment,
    annual_contribution,
    contributions_due,
    days_into_year,
    expected_to_date,
    flags,
    free_to_spend,
    payment_schedule,
    periods,
    projection,
    review_due_on,
    spending_by_item,
    spending_by_period,
)
from portal.domain.ledger import Entry, EntryKind, correction_for, standing, totals

START = date(2025, 4, 7)
WEEKLY = 10_000  # £100 a week
ANNUAL = WEEKLY * 52
PA = PlannedItem("pa", ANNUAL, one_off=False)
RULES = MonitoringRules()
QUIET_DAY = START + timedelta(days=10)  # before any return or review is due, and too soon for a trend
SPENDING_FLAGS = {FlagCode.BLOCKED_CATEGORY, FlagCode.NOT_IN_PLAN, FlagCode.MISSING_RECEIPTS}
BLOCKING = MonitoringRules(
    blocked=(
        BlockedCategory("cash", ("atm", "cash withdrawal")),
        BlockedCategory("gambling", ("betting", "bet365")),
    )
)
RELAXED = settings(deadline=None)  # a full test run may be using the CPU at the same time

days = st.integers(min_value=-60, max_value=420).map(lambda offset: START + timedelta(days=offset))
amounts = st.integers(min_value=1, max_value=2_000_000)
frequencies = st.sampled_from(PaymentFrequency)


def paid_in(entry_id: int, amount: int, on: date = START, kind: EntryKind = EntryKind.COUNCIL_PAYMENT) -> Entry:
    return Entry(entry_id, kind, on, amount)


def spent(
    entry_id: int,
    amount: int,
    on: date = START,
    *,
    key: str | None = "pa",
    receipt: bool = True,
    card: bool = False,
    words: str = "Jo Bloggs PA wages",
) -> Entry:
    return Entry(entry_id, EntryKind.SPENDING, on, amount, None, key, receipt, card, words)


def account(
    *entries: Entry,
    commitments: int = 0,
    items: tuple[PlannedItem, ...] = (PA,),
    schedule: tuple[ScheduledPayment, ...] = (),
    returns_sent: tuple[tuple[date, date], ...] = (),
    reviews_done: tuple[date, ...] = (),
    annual: int = ANNUAL,
) -> AccountFacts:
    return AccountFacts(
        starts_on=START,
        annual_pence=annual,
        weekly_contribution_pence=0,
        plan_items=items,
        entries=entries,
        open_commitments_pence=commitments,
        returns_sent=returns_sent,
        reviews_done=reviews_done,
        schedule=schedule,
    )


def codes(found: list[Flag]) -> list[FlagCode]:
    return [flag.code for flag in found]


def only(code: FlagCode, found: list[Flag]) -> list[Flag]:
    return [flag for flag in found if flag.code is code]


@st.composite
def entry_lists(draw):
    entries: list[Entry] = []
    for new_id in range(1, draw(st.integers(min_value=0, max_value=25)) + 1):
        still_counting = standing(entries)
        if still_counting and draw(st.integers(min_value=0, max_value=4)) == 0:
            entries.append(correction_for(draw(st.sampled_from(still_counting)), entries, new_id, draw(days)))
            continue
        entries.append(
            Entry(
                id=new_id,
                kind=draw(st.sampled_from(EntryKind)),
                occurred_on=draw(days),
                amount_pence=draw(amounts),
                plan_item_key=draw(st.sampled_from([None, "pa", "respite", "gym"])),
                has_receipt=draw(st.booleans()),
                paid_by_card=draw(st.booleans()),
                words=draw(st.sampled_from(["", "Jo Bloggs PA wages", "ATM High St", "Bet365", "Physio treatment"])),
            )
        )
    return entries


@st.composite
def plans(draw):
    keys = draw(st.lists(st.sampled_from(["pa", "respite", "gym", "equipment"]), unique=True, max_size=4))
    return [PlannedItem(key, draw(st.integers(min_value=0, max_value=5_000_000)), draw(st.booleans())) for key in keys]


# Payment frequencies and the schedule


@pytest.mark.parametrize(
    ("frequency", "value", "days_apart", "payments"),
    [(PaymentFrequency.FOUR_WEEKLY, "4 weeks", 28, 13), (PaymentFrequency.QUARTERLY, "quarter", 91, 4)],
)
def test_a_budget_year_is_13_four_weekly_or_4_quarterly_payments(frequency, value, days_apart, payments):
    assert frequency.value == value
    assert frequency.days == days_apart
    assert frequency.payments_a_year == payments
    assert days_apart * payments == DAYS_A_YEAR


@pytest.mark.parametrize(
    ("weekly", "annual", "expected"),
    [
        (0, 1665400, 0),
        (2000, 1665400, 104000),
        (32026, 1665400, 1665352),
        (32027, 1665400, 1665400),  # 1665404 assessed: the care costs less, so that is what is paid
        (100000, 1665400, 1665400),
        (2000, 0, 0),
    ],
)
def test_a_person_pays_the_lower_of_their_assessed_contribution_and_the_cost_of_their_care(weekly, annual, expected):
    assert annual_contribution(weekly, annual) == expected


@pytest.mark.parametrize(
    ("annual", "weekly", "frequency", "council", "contribution"),
    [
        (1665400, 0, PaymentFrequency.FOUR_WEEKLY, [128107] * 12 + [128116], [0] * 13),
        (1665400, 0, PaymentFrequency.QUARTERLY, [416350] * 4, [0] * 4),
        (1665400, 2000, PaymentFrequency.FOUR_WEEKLY, [120107] * 12 + [120116], [8000] * 13),
        (1665400, 2000, PaymentFrequency.QUARTERLY, [390350] * 4, [26000] * 4),
        (100000, 5000, PaymentFrequency.FOUR_WEEKLY, [0] * 13, [7692] * 12 + [7696]),
        (0, 0, PaymentFrequency.FOUR_WEEKLY, [0] * 13, [0] * 13),
        (12, 0, PaymentFrequency.FOUR_WEEKLY, [0] * 12 + [12], [0] * 13),
    ],
)
def test_a_schedule_splits_the_budget_and_the_contribution_with_the_spare_pennies_last(
    annual, weekly, frequency, council, contribution
):
    schedule = payment_schedule(START, annual, weekly, frequency)
    assert [payment.council_pence for payment in schedule] == council
    assert [payment.contribution_pence for payment in schedule] == contribution
    assert [payment.total_pence for payment in schedule] == [c + p for c, p in zip(council, contribution, strict=True)]


@pytest.mark.parametrize(
    ("frequency", "due_offsets"),
    [
        (PaymentFrequency.FOUR_WEEKLY, [0, 28, 56, 84, 112, 140, 168, 196, 224, 252, 280, 308, 336]),
        (PaymentFrequency.QUARTERLY, [0, 91, 182, 273]),
    ],
)
def test_payments_are_in_advance_from_the_start_date(frequency, due_offsets):
    schedule = payment_schedule(START, 1665400, 2000, frequency)
    assert [payment.number for payment in schedule] == list(range(1, len(due_offsets) + 1))
    assert [payment.due_on for payment in schedule] == [START + timedelta(days=d) for d in due_offsets]


@RELAXED
@given(
    annual=st.integers(min_value=0, max_value=100_000_000),
    weekly=st.integers(min_value=0, max_value=3_000_000),
    frequency=frequencies,
    starts_on=days,
)
def test_a_schedule_adds_up_to_the_year_to_the_penny_and_the_council_never_pays_less_than_nothing(
    annual, weekly, frequency, starts_on
):
    schedule = payment_schedule(starts_on, annual, weekly, frequency)
    assert len(schedule) == frequency.payments_a_year
    assert sum(payment.council_pence + payment.contribution_pence for payment in schedule) == annual
    assert sum(payment.contribution_pence for payment in schedule) == annual_contribution(weekly, annual)
    assert all(payment.council_pence >= 0 for payment in schedule)
    assert all(payment.contribution_pence >= 0 for payment in schedule)
    assert schedule[0].due_on == starts_on
    assert all(
        later.due_on - earlier.due_on == timedelta(days=frequency.days)
        for earlier, later in zip(schedule, schedule[1:], strict=False)
    )
    assert len({payment.total_pence for payment in schedule[:-1]}) <= 1
    assert 0 <= schedule[-1].total_pence - schedule[0].total_pence < len(schedule)


@pytest.mark.parametrize(
    ("by_offset", "expected"), [(-1, 0), (0, 8000), (27, 8000), (28, 16000), (336, 104000), (1000, 104000)]
)
def test_contributions_due_are_those_falling_due_by_the_day(by_offset, expected):
    schedule = payment_schedule(START, 1665400, 2000, PaymentFrequency.FOUR_WEEKLY)
    assert contributions_due(schedule, START + timedelta(days=by_offset)) == expected


# Periods and the budget year


@pytest.mark.parametrize(
    ("until_offset", "expected"),
    [
        (-1, []),
        (0, [(1, 0, 27)]),
        (27, [(1, 0, 27)]),
        (28, [(1, 0, 27), (2, 28, 55)]),
        (60, [(1, 0, 27), (2, 28, 55), (3, 56, 83)]),
    ],
)
def test_periods_run_back_to_back_up_to_the_one_the_day_falls_in(until_offset, expected):
    assert periods(START, 28, START + timedelta(days=until_offset)) == [
        Period(number, START + timedelta(days=first), START + timedelta(days=last)) for number, first, last in expected
    ]


@RELAXED
@given(length=st.integers(min_value=1, max_value=120), until_offset=st.integers(min_value=0, max_value=900))
def test_periods_cover_every_day_from_the_start_to_the_day_without_gaps(length, until_offset):
    until = START + timedelta(days=until_offset)
    found = periods(START, length, until)
    assert len(found) == until_offset // length + 1
    assert found[0].starts_on == START
    assert found[-1].starts_on <= until <= found[-1].ends_on
    assert [period.number for period in found] == list(range(1, len(found) + 1))
    for period in found:
        assert (period.ends_on - period.starts_on).days == length - 1
    for earlier, later in zip(found, found[1:], strict=False):
        assert later.starts_on == earlier.ends_on + timedelta(days=1)


@pytest.mark.parametrize(
    ("today_offset", "expected"), [(-100, 0), (-1, 0), (0, 1), (27, 28), (100, 101), (363, 364), (364, 364), (900, 364)]
)
def test_days_into_the_year_count_today_and_stop_at_a_year(today_offset, expected):
    assert days_into_year(START, START + timedelta(days=today_offset)) == expected


@pytest.mark.parametrize(
    ("item", "today_offset", "expected"),
    [
        (PlannedItem("wheelchair", 60000, one_off=True), -1, 0),
        (PlannedItem("wheelchair", 60000, one_off=True), 0, 60000),
        (PlannedItem("wheelchair", 60000, one_off=True), 200, 60000),
        (PA, -1, 0),
        (PA, 0, 1428),
        (PA, 27, 40000),
        (PA, 181, 260000),
        (PA, 363, ANNUAL),
        (PA, 800, ANNUAL),
    ],
)
def test_a_one_off_is_expected_in_full_from_the_start_and_the_rest_pro_rata(item, today_offset, expected):
    assert expected_to_date(item, START, START + timedelta(days=today_offset)) == expected


@RELAXED
@given(
    annual=st.integers(min_value=0, max_value=10_000_000),
    one_off=st.booleans(),
    today=days,
    later=st.integers(min_value=0, max_value=400),
)
def test_what_is_expected_to_date_only_grows_and_never_passes_the_year(annual, one_off, today, later):
    item = PlannedItem("pa", annual, one_off)
    now = expected_to_date(item, START, today)
    assert 0 <= now <= annual
    assert now <= expected_to_date(item, START, today + timedelta(days=later))


# Spending against the plan


def test_spending_is_set_against_its_plan_item_and_anything_else_is_grouped_under_none():
    items = [PA, PlannedItem("respite", 60000, one_off=True)]
    wrong = spent(7, 900)
    entries = [
        paid_in(1, 128107),
        spent(2, 10000),
        spent(3, 2000),
        spent(4, 30000, key="respite"),
        spent(5, 500, key=None),
        spent(6, 700, key="gym"),
        wrong,
        correction_for(wrong, [wrong], 8, START),
        Entry(9, EntryKind.MONEY_IN, START, 5000, plan_item_key="pa"),
    ]
    assert spending_by_item(items, entries, START, START + timedelta(days=27)) == [
        ItemProgress("pa", ANNUAL, 40000, 12000),
        ItemProgress("respite", 60000, 60000, 30000),
        ItemProgress(None, 0, 0, 1200),
    ]


def test_there_is_no_row_for_spending_outside_the_plan_when_there_is_none():
    rows = spending_by_item([PA], [paid_in(1, 1000), spent(2, 300)], START, QUIET_DAY)
    assert [row.key for row in rows] == ["pa"]
    assert spending_by_item([PA], [], START, QUIET_DAY) == [
        ItemProgress("pa", ANNUAL, expected_to_date(PA, START, QUIET_DAY), 0)
    ]


@RELAXED
@given(items=plans(), entries=entry_lists(), today=days)
def test_spending_by_item_adds_up_to_all_the_spending_that_still_counts(items, entries, today):
    rows = spending_by_item(items, entries, START, today)
    assert sum(row.spent_pence for row in rows) == totals(entries).spent_pence
    assert [row.key for row in rows[: len(items)]] == [item.key for item in items]
    assert all(row.key is None for row in rows[len(items) :])


@pytest.mark.parametrize(
    ("annual", "planned", "spent_so_far", "today_offset", "spend", "basis"),
    [
        (ANNUAL, 300000, 0, -5, 300000, ProjectionBasis.PLAN),
        (ANNUAL, 364000, 1000, 13, 351000, ProjectionBasis.PLAN),
        (ANNUAL, ANNUAL, 90000, 26, 90000 + ANNUAL * 337 // 364, ProjectionBasis.PLAN),
        (ANNUAL, ANNUAL, 40000, 27, ANNUAL, ProjectionBasis.SPENDING_SO_FAR),
        (ANNUAL, ANNUAL, 50000, 27, 650000, ProjectionBasis.SPENDING_SO_FAR),
        (ANNUAL, 0, 260000, 181, ANNUAL, ProjectionBasis.SPENDING_SO_FAR),
        (ANNUAL, 0, 600000, 500, 600000, ProjectionBasis.SPENDING_SO_FAR),
    ],
)
def test_the_year_is_projected_from_the_plan_for_4_weeks_then_from_the_spending_so_far(
    annual, planned, spent_so_far, today_offset, spend, basis
):
    found = projection(annual, planned, spent_so_far, START, START + timedelta(days=today_offset))
    assert found.basis is basis
    assert found.spend_for_year_pence == spend
    assert found.left_at_year_end_pence == annual - spend


@RELAXED
@given(
    annual=st.integers(min_value=0, max_value=10_000_000),
    planned=st.integers(min_value=0, max_value=10_000_000),
    spent_so_far=st.integers(min_value=0, max_value=10_000_000),
    today=days,
)
def test_a_projection_is_never_below_the_spending_so_far_and_leaves_the_budget_less_it(
    annual, planned, spent_so_far, today
):
    found = projection(annual, planned, spent_so_far, START, today)
    assert found.spend_for_year_pence >= spent_so_far
    assert found.left_at_year_end_pence == annual - found.spend_for_year_pence
    gone = days_into_year(START, today)
    assert (found.basis is ProjectionBasis.SPENDING_SO_FAR) is (gone >= 28)


def test_spending_by_period_plans_one_offs_in_the_first_period():
    items = [PA, PlannedItem("respite", 60000, one_off=True)]
    entries = [
        paid_in(1, 100000),
        spent(2, 30000),
        spent(3, 9000, START + timedelta(days=28)),
        spent(4, 1, START - timedelta(days=1)),
    ]
    rows = spending_by_period(items, entries, START, PaymentFrequency.FOUR_WEEKLY, START + timedelta(days=40))
    assert [(row.period.number, row.planned_pence, row.spent_pence) for row in rows] == [
        (1, 100000, 30000),
        (2, 40000, 9000),
    ]


def test_there_are_no_periods_before_the_start():
    assert spending_by_period([PA], [], START, PaymentFrequency.FOUR_WEEKLY, START - timedelta(days=1)) == []


@RELAXED
@given(
    items=plans(),
    entries=entry_lists(),
    frequency=frequencies,
    after_the_year=st.integers(min_value=0, max_value=400),
)
def test_a_full_years_periods_plan_the_whole_budget_and_hold_all_the_years_spending(
    items, entries, frequency, after_the_year
):
    today = START + timedelta(days=DAYS_A_YEAR - 1 + after_the_year)
    rows = spending_by_period(items, entries, START, frequency, today)
    assert len(rows) == frequency.payments_a_year
    assert sum(row.planned_pence for row in rows) == sum(item.annual_pence for item in items)
    in_the_year = [
        entry
        for entry in standing(entries)
        if entry.kind is EntryKind.SPENDING and START <= entry.occurred_on < START + timedelta(days=DAYS_A_YEAR)
    ]
    assert sum(row.spent_pence for row in rows) == sum(entry.amount_pence for entry in in_the_year)


@RELAXED
@given(items=plans(), entries=entry_lists(), frequency=frequencies, today=days)
def test_spending_by_period_counts_each_standing_spending_once_in_the_period_it_falls_in(
    items, entries, frequency, today
):
    rows = spending_by_period(items, entries, START, frequency, today)
    for row in rows:
        assert row.spent_pence == sum(
            entry.amount_pence
            for entry in standing(entries)
            if entry.kind is EntryKind.SPENDING and row.period.starts_on <= entry.occurred_on <= row.period.ends_on
        )
    assert [row.period for row in rows] == periods(START, frequency.days, min(today, START + timedelta(days=363)))


# Free to spend


@RELAXED
@given(entries=entry_lists(), commitments=st.integers(min_value=0, max_value=10_000_000))
def test_free_to_spend_is_the_balance_less_open_commitments(entries, commitments):
    facts = account(*entries, commitments=commitments)
    assert free_to_spend(facts) == totals(facts.entries).balance_pence - facts.open_commitments_pence


# Flags


def test_a_quiet_account_raises_no_flags():
    assert flags(account(paid_in(1, 40000), spent(2, 5000)), RULES, QUIET_DAY) == []


@pytest.mark.parametrize(
    ("paid", "spending", "commitments", "expected"),
    [
        (40000, 40000, 0, []),
        (40000, 40001, 0, [Flag(FlagCode.OVERSPENT, amount_pence=1)]),
        (40000, 40001, 5000, [Flag(FlagCode.OVERSPENT, amount_pence=1)]),
        (40000, 30000, 10000, []),
        (40000, 30000, 10001, [Flag(FlagCode.COMMITTED_BEYOND_BALANCE, amount_pence=1)]),
        (1000, 0, 3500, [Flag(FlagCode.COMMITTED_BEYOND_BALANCE, amount_pence=2500)]),
    ],
)
def test_overspent_when_the_balance_is_negative_and_a_check_when_more_is_set_aside_than_is_there(
    paid, spending, commitments, expected
):
    entries = [paid_in(1, paid)] + ([spent(2, spending)] if spending else [])
    assert flags(account(*entries, commitments=commitments), RULES, QUIET_DAY) == expected


@pytest.mark.parametrize(
    ("balance", "commitments", "expected"),
    [
        (60000, 0, []),
        (60001, 0, [Flag(FlagCode.SURPLUS_EXPLAIN, amount_pence=1, weeks=6)]),
        (80000, 0, [Flag(FlagCode.SURPLUS_EXPLAIN, amount_pence=20000, weeks=6)]),
        (80001, 0, [Flag(FlagCode.SURPLUS_RECOVER, amount_pence=1, weeks=8)]),
        (150000, 0, [Flag(FlagCode.SURPLUS_RECOVER, amount_pence=70000, weeks=8)]),
        (90000, 30000, []),
        (90000, 9999, [Flag(FlagCode.SURPLUS_RECOVER, amount_pence=1, weeks=8)]),
    ],
)
def test_a_surplus_above_6_weeks_is_to_explain_and_above_8_weeks_may_be_recovered(balance, commitments, expected):
    assert flags(account(paid_in(1, balance), commitments=commitments), RULES, QUIET_DAY) == expected


def test_no_surplus_is_flagged_when_the_budget_is_less_than_a_penny_a_week():
    assert codes(flags(account(paid_in(1, 100000), annual=51, items=()), RULES, QUIET_DAY)) == []


@pytest.mark.parametrize(
    ("balance", "due_in_days", "heading"),
    [
        (55000, 1, True),
        (55000, 14, True),
        (55000, 28, True),
        (55000, 29, False),
        (55000, 0, False),
        (50000, 14, False),  # 50000 + 50000 in − 40000 planned spending out is exactly 6 weeks: not above it
        (50001, 14, True),
    ],
)
def test_surplus_heading_when_payments_due_in_the_next_4_weeks_push_the_balance_above_6_weeks(
    balance, due_in_days, heading
):
    schedule = (ScheduledPayment(2, QUIET_DAY + timedelta(days=due_in_days), 45000, 5000),)
    found = flags(account(paid_in(1, balance), schedule=schedule), RULES, QUIET_DAY)
    expected = Flag(FlagCode.SURPLUS_HEADING, due_on=QUIET_DAY + timedelta(weeks=4), weeks=6)
    assert found == ([expected] if heading else [])


def test_surplus_heading_is_not_flagged_once_the_balance_is_already_above():
    schedule = (ScheduledPayment(2, QUIET_DAY + timedelta(days=7), 50000, 0),)
    assert codes(flags(account(paid_in(1, 60001), schedule=schedule), RULES, QUIET_DAY)) == [FlagCode.SURPLUS_EXPLAIN]


@pytest.mark.parametrize(
    ("today_offset", "spending", "expected"),
    [
        (26, 90000, []),  # 27 days in: too soon for a trend, however fast the spending
        (27, 40000, []),  # 28 days in, on course to spend exactly the year's budget
        (27, 40001, [Flag(FlagCode.AHEAD_OF_BUDGET, amount_pence=13)]),
        (27, 50000, [Flag(FlagCode.AHEAD_OF_BUDGET, amount_pence=130000)]),
        (181, 260000, []),
        (181, 260001, [Flag(FlagCode.AHEAD_OF_BUDGET, amount_pence=2)]),
    ],
)
def test_ahead_of_budget_only_after_4_weeks_and_when_the_spending_so_far_would_pass_the_years_budget(
    today_offset, spending, expected
):
    facts = account(paid_in(1, spending + 50000), spent(2, spending))
    found = flags(facts, RULES, START + timedelta(days=today_offset))
    assert only(FlagCode.AHEAD_OF_BUDGET, found) == expected


@pytest.mark.parametrize(
    ("words", "categories"),
    [
        ("ATM, High Street", ["cash"]),
        ("Cash Withdrawal at the Post Office", ["cash"]),
        ("atm", ["cash"]),
        ("The BETTING shop", ["gambling"]),
        ("bet365 top-up, then an ATM", ["cash", "gambling"]),
        ("Jo Bloggs PA wages", []),
        ("", []),
        ("Physio treatment", []),  # "atm" is in "treatment", but it is not a word of it
    ],
)
def test_a_blocked_category_is_flagged_by_its_word_found_in_any_case_in_what_was_spent(words, categories):
    found = flags(account(paid_in(1, 40000), spent(2, 2000, words=words)), BLOCKING, QUIET_DAY)
    assert only(FlagCode.BLOCKED_CATEGORY, found) == [
        Flag(FlagCode.BLOCKED_CATEGORY, amount_pence=2000, count=1, category=category, entry_ids=(2,))
        for category in categories
    ]


def test_a_blocked_category_counts_every_entry_it_finds_and_ignores_money_in():
    facts = account(
        paid_in(1, 40000),
        Entry(2, EntryKind.MONEY_IN, START, 500, words="Refund at the ATM"),
        spent(3, 2000, words="ATM"),
        spent(4, 3000, words="Cash withdrawal"),
        spent(5, 4000),
    )
    assert only(FlagCode.BLOCKED_CATEGORY, flags(facts, BLOCKING, QUIET_DAY)) == [
        Flag(FlagCode.BLOCKED_CATEGORY, amount_pence=5000, count=2, category="cash", entry_ids=(3, 4))
    ]


@pytest.mark.parametrize(("key", "outside"), [("pa", False), (None, True), ("gym", True), ("", True)])
def test_not_in_plan_for_spending_on_nothing_or_on_something_the_plan_does_not_have(key, outside):
    found = flags(account(paid_in(1, 40000), spent(2, 2000, key=key)), RULES, QUIET_DAY)
    expected = [Flag(FlagCode.NOT_IN_PLAN, amount_pence=2000, count=1, entry_ids=(2,))]
    assert only(FlagCode.NOT_IN_PLAN, found) == (expected if outside else [])


def test_all_spending_is_outside_a_plan_with_no_items():
    found = flags(account(paid_in(1, 40000), spent(2, 2000), spent(3, 500), items=()), RULES, QUIET_DAY)
    assert only(FlagCode.NOT_IN_PLAN, found) == [
        Flag(FlagCode.NOT_IN_PLAN, amount_pence=2500, count=2, entry_ids=(2, 3))
    ]


def test_the_same_words_spent_many_times_are_flagged_every_time_and_in_order():
    """A long account pays the same few people again and again: each entry still counts, once, in ledger order."""
    facts = account(
        paid_in(1, 40000),
        spent(2, 100, words="Cash withdrawal"),
        spent(3, 200, words="Chris Wood"),
        spent(4, 300, words="Cash withdrawal"),
        spent(5, 400, words="cash WITHDRAWAL"),
    )
    assert only(FlagCode.BLOCKED_CATEGORY, flags(facts, BLOCKING, QUIET_DAY)) == [
        Flag(FlagCode.BLOCKED_CATEGORY, amount_pence=800, count=3, category="cash", entry_ids=(2, 4, 5))
    ]


@pytest.mark.parametrize(
    ("receipt", "card", "amount", "needed_from", "missing"),
    [
        (False, False, 500, 0, True),
        (True, False, 500, 0, False),
        (False, True, 500, 0, False),
        (False, False, 499, 500, False),
        (False, False, 500, 500, True),
        (False, False, 1, 0, True),
    ],
)
def test_missing_receipts_only_for_spending_not_by_card_without_a_receipt_from_the_threshold(
    receipt, card, amount, needed_from, missing
):
    facts = account(paid_in(1, 40000), spent(2, amount, receipt=receipt, card=card))
    found = flags(facts, MonitoringRules(receipts_needed_from_pence=needed_from), QUIET_DAY)
    expected = [Flag(FlagCode.MISSING_RECEIPTS, amount_pence=amount, count=1, entry_ids=(2,))]
    assert only(FlagCode.MISSING_RECEIPTS, found) == (expected if missing else [])


def test_corrected_spending_never_raises_a_flag():
    wrong = spent(2, 90000, key=None, receipt=False, words="ATM")
    entries = [paid_in(1, 40000), wrong, correction_for(wrong, [wrong], 3, START)]
    assert flags(account(*entries), BLOCKING, QUIET_DAY) == []


@RELAXED
@given(entries=entry_lists(), today=days)
def test_spending_flags_are_the_same_with_corrected_entries_and_their_corrections_left_out(entries, today):
    def spending_flags(facts):
        return [flag for flag in flags(facts, BLOCKING, today) if flag.code in SPENDING_FLAGS]

    counted = {entry.id for entry in standing(entries)}
    found = spending_flags(account(*entries))
    assert found == spending_flags(account(*standing(entries)))
    assert all(set(flag.entry_ids) <= counted for flag in found)


@RELAXED
@given(entries=entry_lists(), commitments=st.integers(min_value=0, max_value=5_000_000), today=days)
def test_overspent_exactly_when_the_balance_is_negative_and_never_with_a_surplus(entries, commitments, today):
    facts = account(*entries, commitments=commitments)
    found = codes(flags(facts, RULES, today))
    assert (FlagCode.OVERSPENT in found) is (totals(facts.entries).balance_pence < 0)
    short = {FlagCode.OVERSPENT, FlagCode.COMMITTED_BEYOND_BALANCE}
    assert bool(short & set(found)) is (free_to_spend(facts) < 0)
    surplus = short | {FlagCode.SURPLUS_RECOVER, FlagCode.SURPLUS_EXPLAIN, FlagCode.SURPLUS_HEADING}
    assert len(surplus & set(found)) <= 1


FOUR_WEEKLY_WITH_CONTRIBUTION = tuple(payment_schedule(START, ANNUAL, 1000, PaymentFrequency.FOUR_WEEKLY))


@pytest.mark.parametrize(
    ("today_offset", "contributions", "owed"),
    [
        (6, [], 0),  # the first 4000 was due on the start date: still within the 7 days' grace
        (7, [], 4000),
        (7, [4000], 0),
        (7, [3000], 1000),
        (7, [5000], 0),
        (34, [4000], 0),
        (35, [4000], 4000),
        (35, [8000], 0),
    ],
)
def test_a_contribution_counts_as_not_paid_only_after_the_grace_days(today_offset, contributions, owed):
    entries = [paid_in(1, 36000)] + [
        paid_in(2 + n, amount, kind=EntryKind.CONTRIBUTION) for n, amount in enumerate(contributions)
    ]
    facts = account(*entries, schedule=FOUR_WEEKLY_WITH_CONTRIBUTION)
    found = only(FlagCode.CONTRIBUTION_NOT_PAID, flags(facts, RULES, START + timedelta(days=today_offset)))
    assert found == ([Flag(FlagCode.CONTRIBUTION_NOT_PAID, amount_pence=owed)] if owed else [])


def test_a_contribution_paid_then_corrected_away_is_not_paid():
    paid = paid_in(2, 4000, kind=EntryKind.CONTRIBUTION)
    facts = account(
        paid_in(1, 36000), paid, correction_for(paid, [paid], 3, START), schedule=FOUR_WEEKLY_WITH_CONTRIBUTION
    )
    found = only(FlagCode.CONTRIBUTION_NOT_PAID, flags(facts, RULES, START + timedelta(days=7)))
    assert found == [Flag(FlagCode.CONTRIBUTION_NOT_PAID, amount_pence=4000)]


def test_no_contribution_is_owed_without_one():
    schedule = tuple(payment_schedule(START, ANNUAL, 0, PaymentFrequency.FOUR_WEEKLY))
    found = flags(account(paid_in(1, 40000), schedule=schedule), RULES, START + timedelta(days=100))
    assert only(FlagCode.CONTRIBUTION_NOT_PAID, found) == []


FIRST_QUARTER = (START, START + timedelta(days=90))
SECOND_QUARTER = (START + timedelta(days=91), START + timedelta(days=181))
RETURN_FLAGS = {FlagCode.RETURN_DUE, FlagCode.RETURN_LATE}


@pytest.mark.parametrize(
    ("today_offset", "sent", "expected"),
    [
        (90, (), []),  # the first quarter has not ended
        (91, (), [(FlagCode.RETURN_DUE, 118)]),
        (118, (), [(FlagCode.RETURN_DUE, 118)]),
        (119, (), [(FlagCode.RETURN_LATE, 118)]),
        (119, (FIRST_QUARTER,), []),
        (200, (), [(FlagCode.RETURN_LATE, 118), (FlagCode.RETURN_DUE, 209)]),
        (200, (FIRST_QUARTER,), [(FlagCode.RETURN_DUE, 209)]),
        (210, (SECOND_QUARTER,), [(FlagCode.RETURN_LATE, 118)]),
        (210, (FIRST_QUARTER, SECOND_QUARTER), []),
    ],
)
def test_a_return_is_due_once_its_period_ends_and_late_after_its_due_days_unless_sent(today_offset, sent, expected):
    facts = account(paid_in(1, 40000), returns_sent=sent)
    found = [flag for flag in flags(facts, RULES, START + timedelta(days=today_offset)) if flag.code in RETURN_FLAGS]
    assert found == [Flag(code, due_on=START + timedelta(days=due)) for code, due in expected]


def test_a_return_sent_for_other_dates_does_not_count():
    facts = account(paid_in(1, 40000), returns_sent=((START, START + timedelta(days=89)),))
    found = flags(facts, RULES, START + timedelta(days=119))
    assert [flag.code for flag in found if flag.code in RETURN_FLAGS] == [FlagCode.RETURN_LATE]


@pytest.mark.parametrize(
    ("reviews_done", "today_offset", "due_offset"),
    [
        ((), 41, None),
        ((), 42, 56),
        ((), 56, 56),
        ((), 80, 56),
        ((50,), 60, None),
        ((50,), 50 + 349, None),
        ((50,), 50 + 350, 50 + 364),
        ((50, 410), 410 + 349, None),
        ((410, 50), 410 + 350, 410 + 364),
    ],
)
def test_a_review_is_due_from_6_weeks_after_the_start_then_50_weeks_after_the_last(
    reviews_done, today_offset, due_offset
):
    facts = account(paid_in(1, 40000), reviews_done=tuple(START + timedelta(days=d) for d in reviews_done))
    found = only(FlagCode.REVIEW_DUE, flags(facts, RULES, START + timedelta(days=today_offset)))
    assert found == (
        [] if due_offset is None else [Flag(FlagCode.REVIEW_DUE, due_on=START + timedelta(days=due_offset))]
    )


@pytest.mark.parametrize(
    ("reviews_done", "opens", "due"),
    [
        ((), START + timedelta(weeks=6), START + timedelta(weeks=8)),
        ((date(2026, 1, 5),), date(2026, 12, 21), date(2027, 1, 4)),
    ],
)
def test_the_next_review_falls_6_to_8_weeks_after_the_start_then_12_months_after_the_last(reviews_done, opens, due):
    assert review_due_on(START, RULES, reviews_done) == (opens, due)


def test_flags_come_most_urgent_first():
    facts = account(spent(1, 1000, key=None), schedule=FOUR_WEEKLY_WITH_CONTRIBUTION)
    found = flags(facts, RULES, START + timedelta(days=119))
    assert codes(found) == [
        FlagCode.OVERSPENT,
        FlagCode.NOT_IN_PLAN,
        FlagCode.CONTRIBUTION_NOT_PAID,
        FlagCode.RETURN_LATE,
        FlagCode.REVIEW_DUE,
    ]


def test_payments_already_made_stay_as_made_and_the_rest_of_the_year_is_split_over_those_to_come():
    first = payment_schedule(START, 1300000, 0, PaymentFrequency.FOUR_WEEKLY)[:2]
    later = payment_schedule(
        START, 1300000, 2500, PaymentFrequency.FOUR_WEEKLY, contribution_from=first[1].due_on, already_paid=first
    )
    assert later[:2] == first  # made before the contribution was recorded: untouched
    assert [p.contribution_pence for p in later[2:]] == [10000] * 11  # £25 a week, 4 weeks a payment
    assert sum(p.total_pence for p in later) == 1300000


@given(
    annual=st.integers(min_value=0, max_value=200_000_00),
    new_annual=st.integers(min_value=0, max_value=200_000_00),
    weekly=st.integers(min_value=0, max_value=2_000_00),
    made=st.integers(min_value=0, max_value=13),
)
def test_a_change_of_budget_or_contribution_keeps_what_was_paid_and_the_year_adds_up(annual, new_annual, weekly, made):
    paid = payment_schedule(START, annual, 0, PaymentFrequency.FOUR_WEEKLY)[:made]
    changed_on = START + timedelta(days=28 * made)
    again = payment_schedule(
        START, new_annual, weekly, PaymentFrequency.FOUR_WEEKLY, contribution_from=changed_on, already_paid=paid
    )
    assert again[:made] == paid
    assert all(p.council_pence >= 0 and p.contribution_pence >= 0 for p in again)
    paid_so_far = sum(p.total_pence for p in paid)
    expected = paid_so_far if made == 13 else max(new_annual, paid_so_far)  # a year fully paid stays as it was
    assert sum(p.total_pence for p in again) == expected
