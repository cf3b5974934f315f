import csv
import io
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.pa_pay import (
    DAYS,
    HolidayAccrual,
    HoursPattern,
    PayrollRow,
    Timesheet,
    WageStatus,
    copy_last_week,
    gross_pay,
    holiday_accrued,
    hours_from_text,
    hours_text,
    payroll_csv,
    payroll_rows,
    total_hours,
    wage_check,
)

MONDAY = date(2025, 4, 7)
HEADERS = ["PA", "Week starting", *(day.title() for day in DAYS), "Total hours", "Hourly rate", "Gross pay"]


def week(*hours: int, rate: int = 1650, start: date = MONDAY) -> Timesheet:
    return Timesheet(week_start=start, hours=(*hours, *([0] * (7 - len(hours)))), rate_pence=rate)


mondays = st.integers(min_value=0, max_value=2000).map(lambda n: date(2024, 1, 1) + timedelta(weeks=n))
timesheets = st.builds(
    Timesheet,
    week_start=mondays,
    hours=st.tuples(*[st.integers(min_value=0, max_value=2400)] * 7),
    rate_pence=st.integers(min_value=0, max_value=10_000),
)


def test_days_run_monday_to_sunday():
    assert DAYS == ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@pytest.mark.parametrize(
    ("hours", "rate", "total", "gross"),
    [
        ((750,), 1650, 750, 12375),  # 7.5 hours at £16.50 is £123.75
        ((800, 800, 800, 800, 800), 1200, 4000, 48000),  # a 40-hour week at £12.00
        ((333,), 1133, 333, 3773),  # £37.7289 rounds to £37.73
        ((50,), 1, 50, 1),  # half a penny rounds up
        ((149,), 1, 149, 1),  # 1.49p rounds down
        ((150,), 1, 150, 2),  # 1.5p rounds up
        ((33,) * 7, 150, 231, 347),  # rounded once for the week (£3.465 → £3.47), not per day (7 × 50p = £3.50)
        ((0,) * 7, 1650, 0, 0),
        ((2400,) * 7, 0, 16800, 0),  # unpaid hours (a rate of nothing) cost nothing
    ],
)
def test_gross_pay_rounds_half_up_once_a_week(hours, rate, total, gross):
    timesheet = week(*hours, rate=rate)
    assert total_hours(timesheet) == total
    assert gross_pay(timesheet) == gross


@pytest.mark.parametrize(
    "kwargs",
    [
        {"hours": (0,) * 6},
        {"hours": (0,) * 8},
        {"hours": (2401, 0, 0, 0, 0, 0, 0)},
        {"hours": (0, 0, 0, 0, 0, 0, -1)},
        {"hours": (True, 0, 0, 0, 0, 0, 0)},
        {"hours": (7.5, 0, 0, 0, 0, 0, 0)},
        {"rate_pence": -1},
        {"week_start": MONDAY + timedelta(days=1)},
        {"week_start": MONDAY - timedelta(days=1)},
    ],
)
def test_a_timesheet_refuses_impossible_weeks(kwargs):
    with pytest.raises(ValueError):
        Timesheet(**{"week_start": MONDAY, "hours": (0,) * 7, "rate_pence": 1650, **kwargs})


def test_a_timesheet_keeps_its_hours_as_a_tuple():
    timesheet = Timesheet(week_start=MONDAY, hours=[750, 0, 0, 0, 0, 0, 2400], rate_pence=1650)
    assert timesheet.hours == (750, 0, 0, 0, 0, 0, 2400)
    assert hash(timesheet) == hash(week(750, 0, 0, 0, 0, 0, 2400))


@pytest.mark.parametrize(
    ("timesheets", "hours", "pay"),
    [
        ([], 0, 0),
        ([week(1000, rate=1650)], 121, 1992),  # 10 h → 1.207 h, £19.9155 → £19.92
        ([week(1000, rate=0)], 121, 0),
        # Mixed rates: 1.207 h at £16.50 plus 2.414 h at £18.00 (£19.92 + £43.45), not 3.62 h at the latest rate
        ([week(1000, rate=1650), week(2000, rate=1800, start=MONDAY + timedelta(weeks=1))], 362, 6337),
        ([week(800, 800, 800, 800, 800, rate=1200)], 483, 5794),  # 40 h → 4.828 h → 4.83, £57.936 → £57.94
    ],
)
def test_irregular_holiday_is_12_07_percent_of_hours_worked_at_each_weeks_rate(timesheets, hours, pay):
    assert holiday_accrued(timesheets, HoursPattern.IRREGULAR) == HolidayAccrual(hours=hours, pay_pence=pay)


def test_irregular_holiday_ignores_usual_hours():
    assert holiday_accrued([week(1000)], HoursPattern.IRREGULAR, 3750) == holiday_accrued(
        [week(1000)], HoursPattern.IRREGULAR
    )


def weeks_of(count: int, rate: int = 1200) -> list[Timesheet]:
    return [week(750, rate=rate, start=MONDAY + timedelta(weeks=n)) for n in range(count)]


@pytest.mark.parametrize(
    ("timesheets", "usual", "hours", "pay"),
    [
        ([], 3750, 0, 0),
        (weeks_of(1), 3750, 404, 4846),  # 5.6 × 37.5 h = 210 h a year; a week's share is 4.0385 h, £48.4615
        (weeks_of(52), 3750, 21000, 252000),  # a full year: 5.6 weeks of 37.5 hours, at £12.00
        (weeks_of(26), 1000, 2800, 33600),  # half a year of a 10-hour week: 28 hours
        (weeks_of(4), 0, 0, 0),
    ],
)
def test_regular_holiday_is_5_6_weeks_a_year_pro_rata(timesheets, usual, hours, pay):
    assert holiday_accrued(timesheets, HoursPattern.REGULAR, usual) == HolidayAccrual(hours=hours, pay_pence=pay)


def test_regular_holiday_is_paid_at_the_latest_timesheets_rate_whatever_the_order():
    earlier = week(750, rate=1200, start=MONDAY)
    later = week(750, rate=1500, start=MONDAY + timedelta(weeks=1))
    accrual = holiday_accrued([later, earlier], HoursPattern.REGULAR, 3750)
    # 2 weeks of 210 h a year is 8.0769 h, at £15.00 is £121.15
    assert accrual == HolidayAccrual(hours=808, pay_pence=12115)


@pytest.mark.parametrize("usual", [None, -1, 16801])
def test_regular_holiday_needs_sensible_usual_hours(usual):
    with pytest.raises(ValueError):
        holiday_accrued([week(750)], HoursPattern.REGULAR, usual)


def test_hours_pattern_values():
    assert [p.value for p in HoursPattern] == ["regular", "irregular"]


@pytest.mark.parametrize(
    ("paid", "status", "difference"),
    [
        (10000, WageStatus.MATCHES, 0),
        (10100, WageStatus.MATCHES, 100),  # up to £1 either way is payroll rounding
        (9900, WageStatus.MATCHES, -100),
        (10101, WageStatus.OVERPAID, 101),
        (9899, WageStatus.UNDERPAID, -101),
        (0, WageStatus.NOTHING_PAID, -10000),
    ],
)
def test_wage_check_against_the_timesheets(paid, status, difference):
    check = wage_check([week(1000, rate=1000)], paid)  # gross £100.00
    assert (check.gross_pence, check.paid_pence, check.difference_pence, check.status) == (
        10000,
        paid,
        difference,
        status,
    )


def test_wage_check_adds_up_each_weeks_gross_pay():
    check = wage_check([week(33, 33, 33, 33, 33, 33, 33, rate=150), week(750, start=MONDAY + timedelta(weeks=1))], 0)
    assert check.gross_pence == 347 + 12375


@pytest.mark.parametrize(
    ("timesheets", "paid", "status"),
    [
        ([], 5000, WageStatus.NO_TIMESHEETS),
        ([], 1, WageStatus.NO_TIMESHEETS),  # wages with no timesheet at all need looking at, however small
        ([], 0, WageStatus.MATCHES),
        ([week(50, rate=100)], 0, WageStatus.NOTHING_PAID),  # 50p owed and nothing paid
        ([week(0)], 0, WageStatus.MATCHES),
        ([week(0)], 100, WageStatus.MATCHES),
        ([week(0)], 101, WageStatus.OVERPAID),
    ],
)
def test_wage_check_edge_cases(timesheets, paid, status):
    assert wage_check(timesheets, paid).status is status


def test_wage_check_refuses_negative_wages():
    with pytest.raises(ValueError):
        wage_check([week(750)], -1)


def test_wage_status_values():
    assert [s.value for s in WageStatus] == ["matches", "underpaid", "overpaid", "nothing_paid", "no_timesheets"]


def test_copy_last_week_keeps_the_hours_and_rate():
    previous = week(750, 800, 0, 0, 330, 0, 0, rate=1725)
    copied = copy_last_week(previous, MONDAY + timedelta(weeks=1))
    assert copied == Timesheet(MONDAY + timedelta(weeks=1), (750, 800, 0, 0, 330, 0, 0), 1725)


def test_copy_last_week_needs_a_monday():
    with pytest.raises(ValueError):
        copy_last_week(week(750), MONDAY + timedelta(days=8))


def test_payroll_rows_are_sorted_by_week():
    later = week(750, rate=1650, start=MONDAY + timedelta(weeks=1))
    earlier = week(800, 800, rate=1200)
    assert payroll_rows("Sam Jones", [later, earlier]) == [
        PayrollRow("Sam Jones", MONDAY, (800, 800, 0, 0, 0, 0, 0), 1600, 1200, 19200),
        PayrollRow("Sam Jones", MONDAY + timedelta(weeks=1), (750, 0, 0, 0, 0, 0, 0), 750, 1650, 12375),
    ]


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_payroll_csv_columns_and_formats():
    rows = payroll_rows("Sam Jones", [week(750, 800, 0, 0, 5, 0, 2400, rate=1650)])
    assert read_csv(payroll_csv(rows, HEADERS)) == [
        HEADERS,
        [
            "Sam Jones",
            "2025-04-07",
            *["7.50", "8.00", "0.00", "0.00", "0.05", "0.00", "24.00"],
            "39.55",
            "16.50",
            "652.58",  # 39.55 h × £16.50 = £652.575, rounded half up
        ],
    ]


def test_payroll_csv_of_no_rows_is_just_the_headers():
    assert payroll_csv([], HEADERS) == ",".join(HEADERS) + "\r\n"


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ('=HYPERLINK("http://evil.example","Click")', '\'=HYPERLINK("http://evil.example","Click")'),
        ("+44 7700 900123", "'+44 7700 900123"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("O'Brien, Pat", "O'Brien, Pat"),  # commas and apostrophes inside a name are fine, just quoted
        ('Sam "Sunny" Jones', 'Sam "Sunny" Jones'),
        ("Siân Ellis-Jones", "Siân Ellis-Jones"),
    ],
)
def test_payroll_csv_guards_names_against_formula_injection(name, written):
    [_, row] = read_csv(payroll_csv(payroll_rows(name, [week(750)]), HEADERS))
    assert row[0] == written


def test_payroll_csv_guards_translated_headers_too():
    [header, *_] = read_csv(payroll_csv([], ["=cmd", *HEADERS[1:]]))
    assert header[0] == "'=cmd"


@pytest.mark.parametrize("headers", [[], HEADERS[:-1], [*HEADERS, "Extra"]])
def test_payroll_csv_needs_twelve_headers(headers):
    with pytest.raises(ValueError):
        payroll_csv([], headers)


@pytest.mark.parametrize(
    ("text", "hundredths"),
    [
        ("7.5", 750),
        ("7.50", 750),
        ("8", 800),
        ("0", 0),
        ("", 0),
        ("   ", 0),
        (" 7.5 ", 750),
        ("07.5", 750),
        ("0.05", 5),
        ("0.5", 50),
        ("24", 2400),
        ("24.00", 2400),
        ("7:30", 750),
        ("7:20", 733),  # 33.33 hundredths rounds down
        ("7:40", 767),  # 66.67 rounds up
        ("0:01", 2),
        ("0:03", 5),
        ("7:00", 700),
        ("24:00", 2400),
        ("0:59", 98),
    ],
)
def test_hours_from_text_reads_decimals_and_hours_and_minutes(text, hundredths):
    assert hours_from_text(text) == hundredths


@pytest.mark.parametrize(
    "text",
    [
        "-1",
        "-0.5",
        "7.505",
        "7.",
        ".5",
        "7,5",
        "abc",
        "7h",
        "7 hours",
        "1e1",
        "nan",
        "inf",
        "24.01",
        "25",
        "100",
        "24:01",
        "7:60",
        "7:5",
        "7:",
        ":30",
        "7:30:00",
        "٧",  # an Arabic-Indic seven: int() would read it, the form should not
        "７",  # a full-width seven
        "7.5.0",
    ],
)
def test_hours_from_text_refuses_anything_else(text):
    with pytest.raises(ValueError):
        hours_from_text(text)


@pytest.mark.parametrize(
    ("hundredths", "text"),
    [(750, "7.5"), (800, "8"), (733, "7.33"), (0, "0"), (5, "0.05"), (50, "0.5"), (2400, "24"), (1010, "10.1")],
)
def test_hours_text_drops_trailing_zeros(hundredths, text):
    assert hours_text(hundredths) == text


def test_hours_text_refuses_negative_hours():
    with pytest.raises(ValueError):
        hours_text(-1)


@given(timesheet=timesheets)
def test_gross_pay_is_total_hours_times_rate_rounded_half_up(timesheet):
    exact = Fraction(sum(timesheet.hours) * timesheet.rate_pence, 100)
    as_decimal = Decimal(sum(timesheet.hours) * timesheet.rate_pence) / 100  # exact: a division by 100
    assert gross_pay(timesheet) == as_decimal.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert gross_pay(timesheet) == int((exact + Fraction(1, 2)) // 1)


@given(weeks=st.lists(timesheets, max_size=8))
def test_irregular_holiday_never_exceeds_12_07_percent_plus_a_hundredth(weeks):
    worked = sum(map(total_hours, weeks))
    accrual = holiday_accrued(weeks, HoursPattern.IRREGULAR)
    assert worked * 1207 - 5000 <= accrual.hours * 10000 <= worked * 1207 + 10000
    exact_pay = sum(Fraction(total_hours(t) * 1207 * t.rate_pence, 1_000_000) for t in weeks)
    assert abs(accrual.pay_pence - exact_pay) <= Fraction(len(weeks), 2)  # at most half a penny a week


@given(weeks=st.lists(timesheets, min_size=1, max_size=60), usual=st.integers(min_value=0, max_value=16800))
def test_regular_holiday_is_within_half_a_hundredth_of_the_exact_share(weeks, usual):
    accrual = holiday_accrued(weeks, HoursPattern.REGULAR, usual)
    exact = Fraction(usual * 56 * len(weeks), 520)
    assert abs(accrual.hours - exact) <= Fraction(1, 2)


@given(weeks=st.lists(timesheets, max_size=8), name=st.text(max_size=30))
def test_payroll_csv_money_reads_back_exactly(weeks, name):
    rows = payroll_rows(name, weeks)
    [header, *written] = read_csv(payroll_csv(rows, HEADERS))
    assert header == HEADERS
    assert len(written) == len(rows)
    for row, line in zip(rows, written, strict=True):
        assert Decimal(line[-1]) == Decimal(row.gross_pence) / 100
        assert Decimal(line[-2]) == Decimal(row.rate_pence) / 100
        assert [Decimal(cell) * 100 for cell in line[2:10]] == [*row.hours, row.total_hours]
        assert line[0] == ("'" + name if name.startswith(("=", "+", "-", "@", "\t", "\r", "\n")) else name)


@given(hundredths=st.integers(min_value=0, max_value=2400))
def test_hours_text_round_trips(hundredths):
    assert hours_from_text(hours_text(hundredths)) == hundredths


@given(hundredths=st.integers(min_value=0, max_value=2400))
def test_two_place_hours_round_trip(hundredths):
    whole, part = divmod(hundredths, 100)
    assert hours_from_text(f"{whole}.{part:02d}") == hundredths


@given(hours=st.integers(min_value=0, max_value=23), minutes=st.integers(min_value=0, max_value=59))
def test_clock_hours_are_within_half_a_hundredth(hours, minutes):
    exact = Fraction(hours * 60 + minutes, 60) * 100
    assert abs(hours_from_text(f"{hours}:{minutes:02d}") - exact) <= Fraction(1, 2)


@given(paid=st.integers(min_value=0, max_value=10**7), weeks=st.lists(timesheets, max_size=4))
def test_wage_check_difference_is_paid_minus_gross(paid, weeks):
    check = wage_check(weeks, paid)
    assert check.difference_pence == paid - sum(map(gross_pay, weeks))
    if check.status is WageStatus.MATCHES:
        assert abs(check.difference_pence) <= 100
