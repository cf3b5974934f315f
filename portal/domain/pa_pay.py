"""Paying personal assistants: timesheets, gross pay, 5.6 weeks' holiday (council PA guidance; Working Time Regs)."""

import csv
import enum
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from portal.domain.money import Pence

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_HOURS_A_DAY = 2400  # hundredths: 24 hours
MAX_HOURS_A_WEEK = MAX_HOURS_A_DAY * len(DAYS)
WEEKS_A_YEAR = 52
HOLIDAY_WEEKS_TENTHS = 56  # 5.6 weeks' paid holiday a year, in tenths of a week so it stays an integer
IRREGULAR_ACCRUAL_BASIS_POINTS = 1207  # 12.07% = 5.6 / (52 - 5.6), as the council's guidance rounds it
PAYROLL_COLUMNS = 12  # PA, week starting, Monday..Sunday, total hours, hourly rate, gross pay
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")  # a spreadsheet would run a cell starting with these


def _round_half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


@dataclass(frozen=True)
class Timesheet:
    week_start: date  # a Monday
    hours: tuple[int, ...]  # 7 values, hundredths of an hour, Monday first
    rate_pence: int  # the plan's hourly rate

    def __post_init__(self) -> None:
        # A list passed in would make the "frozen" timesheet mutable and unhashable, so keep a tuple.
        object.__setattr__(self, "hours", tuple(self.hours))
        if len(self.hours) != len(DAYS):
            raise ValueError("a timesheet has exactly 7 days")
        if any(not isinstance(h, int) or isinstance(h, bool) or not 0 <= h <= MAX_HOURS_A_DAY for h in self.hours):
            raise ValueError("hours in a day must be whole hundredths from 0 to 2400")
        if self.rate_pence < 0:
            raise ValueError("an hourly rate cannot be negative")
        if self.week_start.weekday() != 0:
            raise ValueError("a timesheet's week starts on a Monday")


def total_hours(timesheet: Timesheet) -> int:
    """The week's hours, in hundredths."""
    return sum(timesheet.hours)


def gross_pay(timesheet: Timesheet) -> Pence:
    """Total hours × hourly rate, rounded to the nearest penny (half up) once for the week, not per day."""
    return Pence(_round_half_up(total_hours(timesheet) * timesheet.rate_pence, 100))


class HoursPattern(enum.StrEnum):
    REGULAR = "regular"
    IRREGULAR = "irregular"


@dataclass(frozen=True)
class HolidayAccrual:
    hours: int  # hundredths
    pay_pence: Pence


def holiday_accrued(
    timesheets: Sequence[Timesheet], pattern: HoursPattern, usual_weekly_hours: int | None = None
) -> HolidayAccrual:
    """Paid holiday built up over these timesheets.

    IRREGULAR: 12.07% of the hours worked. Hours are rounded half up to the hundredth once, on the total;
    pay is worked out per timesheet from the exact (unrounded) accrued hours at that week's rate, rounded
    half up to the penny per timesheet, then summed, so weeks at different rates are each paid right.

    REGULAR: a year's entitlement is 5.6 × the usual weekly hours (required), accrued pro rata for the weeks
    covered (one week per timesheet): entitlement × weeks / 52. Hours are rounded half up to the hundredth
    once; pay is the exact accrued hours × the latest timesheet's rate, rounded half up to the penny once.
    """
    if pattern is HoursPattern.IRREGULAR:
        hours = _round_half_up(sum(map(total_hours, timesheets)) * IRREGULAR_ACCRUAL_BASIS_POINTS, 10000)
        pay = sum(
            _round_half_up(total_hours(t) * IRREGULAR_ACCRUAL_BASIS_POINTS * t.rate_pence, 10000 * 100)
            for t in timesheets
        )
        return HolidayAccrual(hours=hours, pay_pence=Pence(pay))
    if usual_weekly_hours is None:
        raise ValueError("regular hours need the usual weekly hours")
    if not 0 <= usual_weekly_hours <= MAX_HOURS_A_WEEK:
        raise ValueError("usual weekly hours must be from 0 to 168 hours")
    if not timesheets:
        return HolidayAccrual(hours=0, pay_pence=Pence(0))
    # hundredths × tenths of a week × weeks / (52 weeks × 10): the exact accrual without a float
    accrued_numerator = usual_weekly_hours * HOLIDAY_WEEKS_TENTHS * len(timesheets)
    accrued_denominator = WEEKS_A_YEAR * 10
    latest_rate = max(timesheets, key=lambda t: t.week_start).rate_pence
    return HolidayAccrual(
        hours=_round_half_up(accrued_numerator, accrued_denominator),
        pay_pence=Pence(_round_half_up(accrued_numerator * latest_rate, accrued_denominator * 100)),
    )


class WageStatus(enum.StrEnum):
    MATCHES = "matches"
    UNDERPAID = "underpaid"
    OVERPAID = "overpaid"
    NOTHING_PAID = "nothing_paid"
    NO_TIMESHEETS = "no_timesheets"


WAGE_TOLERANCE_PENCE = 100  # payroll rounds tax, NI and pension separately, so allow up to £1 either way


@dataclass(frozen=True)
class WageCheck:
    gross_pence: Pence
    paid_pence: Pence
    difference_pence: int  # paid − gross: positive = paid more than the timesheets
    status: WageStatus


def wage_check(timesheets: Sequence[Timesheet], wages_paid_pence: int) -> WageCheck:
    """Compare what was paid for a PA with the gross pay on their timesheets.

    Gross pay is before tax and National Insurance, but the account usually shows the PA's net wages and,
    separately, the payments to HMRC. So `wages_paid_pence` must be everything paid for this PA over the
    same weeks: net wages plus the HMRC (tax, NI) payments attributable to them.
    """
    if wages_paid_pence < 0:
        raise ValueError("wages paid cannot be negative")
    gross = sum(map(gross_pay, timesheets))
    difference = wages_paid_pence - gross
    if not timesheets and wages_paid_pence > 0:
        status = WageStatus.NO_TIMESHEETS
    elif wages_paid_pence == 0 and gross > 0:
        status = WageStatus.NOTHING_PAID
    elif abs(difference) <= WAGE_TOLERANCE_PENCE:
        status = WageStatus.MATCHES
    else:
        status = WageStatus.UNDERPAID if difference < 0 else WageStatus.OVERPAID
    return WageCheck(Pence(gross), Pence(wages_paid_pence), difference, status)


def copy_last_week(previous: Timesheet, new_week_start: date) -> Timesheet:
    """The same hours and rate for another week (ValueError unless `new_week_start` is a Monday)."""
    return Timesheet(week_start=new_week_start, hours=previous.hours, rate_pence=previous.rate_pence)


@dataclass(frozen=True)
class PayrollRow:
    pa_name: str
    week_start: date
    hours: tuple[int, ...]  # 7 values, hundredths, Monday first
    total_hours: int  # hundredths
    rate_pence: int
    gross_pence: Pence


def payroll_rows(pa_name: str, timesheets: Sequence[Timesheet]) -> list[PayrollRow]:
    """One row per timesheet for the payroll service, earliest week first."""
    return [
        PayrollRow(pa_name, t.week_start, t.hours, total_hours(t), t.rate_pence, gross_pay(t))
        for t in sorted(timesheets, key=lambda t: t.week_start)
    ]


def _two_places(hundredths: int) -> str:
    # Hours in hundredths and money in pence are both "units and two decimal places".
    whole, part = divmod(hundredths, 100)
    return f"{whole}.{part:02d}"


def _safe_text(text: str) -> str:
    # An apostrophe makes a spreadsheet show the cell as text instead of running it as a formula.
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def payroll_csv(rows: Sequence[PayrollRow], headers: Sequence[str]) -> str:
    """CSV for the payroll service; `headers` are the 12 translated column labels in the order written.

    Columns: PA, week starting (ISO date), Monday..Sunday hours, total hours, hourly rate (£), gross pay (£).
    Hours and pounds are written with two decimal places ("7.50", "123.45"); text cells are guarded against
    formula injection. Lines end CRLF (RFC 4180); no byte-order mark is added.
    """
    if len(headers) != PAYROLL_COLUMNS:
        raise ValueError(f"payroll CSV needs {PAYROLL_COLUMNS} headers, got {len(headers)}")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_safe_text(header) for header in headers])
    for row in rows:
        writer.writerow(
            [_safe_text(row.pa_name), row.week_start.isoformat()]
            + [_two_places(h) for h in row.hours]
            + [_two_places(row.total_hours), _two_places(row.rate_pence), _two_places(row.gross_pence)]
        )
    return out.getvalue()


_DECIMAL_HOURS = re.compile(r"([0-9]{1,2})(?:\.([0-9]{1,2}))?")
_CLOCK_HOURS = re.compile(r"([0-9]{1,2}):([0-5][0-9])")


def hours_from_text(text: str) -> int:
    """Read hours typed as "7.5", "7.50", "8", "0", "" (none) or "7:30" (hours:minutes) as hundredths.

    Minutes become hundredths rounded half up (7:20 is 733). ValueError for anything else, or over 24 hours.
    """
    value = text.strip()
    if not value:
        return 0
    if decimal := _DECIMAL_HOURS.fullmatch(value):
        whole, part = decimal.groups()
        hundredths = int(whole) * 100 + int((part or "0").ljust(2, "0"))
    elif clock := _CLOCK_HOURS.fullmatch(value):
        hundredths = int(clock[1]) * 100 + _round_half_up(int(clock[2]) * 100, 60)
    else:
        raise ValueError(f"not a number of hours: {text!r}")
    if hundredths > MAX_HOURS_A_DAY:
        raise ValueError(f"more than 24 hours: {text!r}")
    return hundredths


def hours_text(hundredths: int) -> str:
    """Hours for a form field or a page, without trailing zeros: 750 is "7.5", 800 is "8", 733 is "7.33"."""
    if hundredths < 0:
        raise ValueError("hours cannot be negative")
    whole, part = divmod(hundredths, 100)
    return str(whole) if part == 0 else f"{whole}.{part:02d}".rstrip("0")
