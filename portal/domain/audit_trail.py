"""The audit trail read back (issue #8): what kind of thing each event is, the facts its sentence may use,
and a search's dates as London days. The sentences themselves are in portal/audit/wording.py.

An event's `detail` is whatever its writer stored, in any version of the portal: nothing here trusts its shape.
"""

import csv
import enum
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeGuard
from zoneinfo import ZoneInfo

from portal.domain.money import Pence
from portal.domain.pa_pay import FORMULA_TRIGGERS

LONDON = ZoneInfo("Europe/London")


class Kind(enum.StrEnum):
    VIEW = "view"  # council staff looked at a record
    CHANGE = "change"  # something in a record was added or changed
    DECISION = "decision"  # the council decided (or the portal worked something out)
    SIGN_IN = "sign_in"
    ACCOUNT = "account"  # settings, signed-in devices, data downloads, closing the account
    HELPER = "helper"  # helpers and representatives: invited, accepted, changed, ended
    DIRECTORY = "directory"  # staff changes to the directory of services: nobody's record
    AUDIT = "audit"  # staff reading the audit log itself


class PersonGroup(enum.StrEnum):
    """The kinds a person filters their own history by: fewer, plainer groups than the staff search has."""

    VIEWS = "views"
    CHANGES = "changes"
    DECISIONS = "decisions"
    SIGN_INS = "sign_ins"


PERSON_GROUPS: Mapping[PersonGroup, frozenset[Kind]] = {
    # Reading the audit log about someone is looking at their record too.
    PersonGroup.VIEWS: frozenset({Kind.VIEW, Kind.AUDIT}),
    PersonGroup.CHANGES: frozenset({Kind.CHANGE, Kind.ACCOUNT, Kind.HELPER}),
    PersonGroup.DECISIONS: frozenset({Kind.DECISION}),
    PersonGroup.SIGN_INS: frozenset({Kind.SIGN_IN}),
}

VIEWED = "record.viewed"
SIGNED_OUT_EVERYWHERE = "sessions.ended_everywhere"


def phrase_key(action: str, detail: Mapping[str, object]) -> str:
    """Which sentence an event takes: a staff view is worded by the part of the record looked at, and signing
    out everywhere by whether the device it was done on stayed signed in."""
    record = detail.get("record")
    if action == VIEWED and isinstance(record, str):
        return f"{VIEWED}:{record}"
    if action == SIGNED_OUT_EVERYWHERE and detail.get("this_device") is False:
        return f"{SIGNED_OUT_EVERYWHERE}:others"
    return action


def action_of(key: str) -> str:
    """The action code a phrase key is about ("record.viewed:plan" is a "record.viewed")."""
    return key.partition(":")[0]


def guessed_kind(action: str) -> Kind:
    """For an action this version has no words for (an older or newer portal wrote it)."""
    return Kind.VIEW if action.endswith(".viewed") else Kind.CHANGE


@dataclass(frozen=True)
class Money:
    pence: Pence


# The detail fields a sentence may use, by the placeholder each fills and the type it must have.
FACTS: Mapping[str, tuple[str, type]] = {
    "amount_pence": ("amount", Money),
    "annual_pence": ("annual", Money),
    "previous_pence": ("previous", Money),
    "weekly_pence": ("weekly", Money),
    "final_budget_pence": ("final", Money),
    "week": ("week", date),
    "starts_on": ("starts", date),
    "held_on": ("held", date),
    "version": ("version", int),
    "question": ("question", str),
    "name": ("name", str),
    "helper": ("helper", str),
}


def facts(detail: Mapping[str, object]) -> dict[str, Money | date | int | str]:
    """The detail's facts, typed; one missing or of the wrong type is left out (its sentence has a plainer form)."""
    found: dict[str, Money | date | int | str] = {}
    for field, (placeholder, kind) in FACTS.items():
        value = detail.get(field)
        if kind is Money and _whole_number(value):
            found[placeholder] = Money(Pence(value))
        elif kind is date and isinstance(value, str):
            try:
                found[placeholder] = date.fromisoformat(value)
            except ValueError:
                continue
        elif kind is int and _whole_number(value):
            found[placeholder] = value
        elif kind is str and isinstance(value, str) and value.strip():
            found[placeholder] = value
    return found


def _whole_number(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def money_fields(detail: Mapping[str, object]) -> dict[str, Pence]:
    """Every field of a detail that holds pence (its name says so), for showing in pounds beside the raw figure."""
    return {field: Pence(value) for field, value in detail.items() if field.endswith("_pence") and _whole_number(value)}


def day_starts(day: date) -> datetime:
    """Midnight at the start of a London day, in UTC: the log stores UTC, people think in local days."""
    return datetime.combine(day, time(), LONDON).astimezone(UTC)


def search_window(since: date | None, until: date | None) -> tuple[datetime | None, datetime | None]:
    """From the start of `since` to the end of `until`, both London days, both included."""
    return (
        day_starts(since) if since else None,
        day_starts(until + timedelta(days=1)) if until else None,
    )


def spreadsheet_cell(value: object) -> str:
    """Names and reasons are typed by people: a cell starting = + - @ would run as a formula in a spreadsheet."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def audit_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A search of the log as CSV: every cell guarded against formulas; a detail is written as its JSON."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([spreadsheet_cell(header) for header in headers])
    for row in rows:
        writer.writerow([spreadsheet_cell(_as_text(cell)) for cell in row])
    return out.getvalue()


def _as_text(cell: object) -> object:
    if isinstance(cell, Mapping | list):
        return json.dumps(cell, ensure_ascii=False, sort_keys=True, default=str)
    return cell
