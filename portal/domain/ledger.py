"""The budget account's ledger: money in, money spent, and corrections, with every balance worked out from entries.

DESIGN.md: financial records are append-only. A mistake is never edited or deleted; it is put right with a
reversing entry linked to the original (and, if needed, a new entry with the right figures). domain.md §4:
auditors check that payments received are correct and that spending matches the plan, so the ledger keeps both.
"""

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from portal.domain.money import Pence


class EntryKind(enum.StrEnum):
    COUNCIL_PAYMENT = "council payment"  # the council's payment into the account, every 4 weeks in advance
    CONTRIBUTION = "contribution"  # the person's own contribution, paid in (domain.md §3: DPs are paid net)
    MONEY_IN = "money in"  # anything else paid in, like a refund from a provider
    SPENDING = "spending"


MONEY_IN_KINDS = frozenset({EntryKind.COUNCIL_PAYMENT, EntryKind.CONTRIBUTION, EntryKind.MONEY_IN})


class LedgerError(ValueError):
    """A correction that would not put the ledger right: the code says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Entry:
    id: int
    kind: EntryKind
    occurred_on: date
    amount_pence: int  # always more than zero: which way the money went comes from `kind`
    reverses_id: int | None = None  # a correction: it undoes the entry with this id, exactly
    plan_item_key: str | None = None  # the plan item spending was for; None is "something else"
    has_receipt: bool = False
    paid_by_card: bool = False  # prepaid card spending: the council sees the transaction, no receipt needed
    words: str = ""  # who was paid and what for, as one text, for the flags that read it

    def __post_init__(self) -> None:
        # The direction of the money comes from the kind alone: a zero or minus amount would turn it round.
        if self.amount_pence <= 0:
            raise ValueError("a ledger entry's amount is more than zero")

    @property
    def is_correction(self) -> bool:
        return self.reverses_id is not None

    @property
    def effect_pence(self) -> int:
        """What the entry does to the balance: money in adds, spending takes away, a correction does the opposite."""
        sign = 1 if self.kind in MONEY_IN_KINDS else -1
        return sign * self.amount_pence * (-1 if self.is_correction else 1)


@dataclass(frozen=True)
class Totals:
    received_pence: Pence  # money in, less any money in that was corrected away
    spent_pence: Pence  # spending, less any spending that was corrected away
    balance_pence: Pence  # received minus spent: what is in the account


def totals(entries: Iterable[Entry]) -> Totals:
    """Received, spent and the balance, from the entries alone (the balance is never stored)."""
    received = spent = 0
    for entry in entries:
        if entry.kind in MONEY_IN_KINDS:
            received += entry.effect_pence
        else:
            spent -= entry.effect_pence
    return Totals(Pence(received), Pence(spent), Pence(received - spent))


def balance(entries: Iterable[Entry]) -> Pence:
    return Pence(sum(entry.effect_pence for entry in entries))


def corrected_ids(entries: Iterable[Entry]) -> frozenset[int]:
    """The entries that a correction has undone."""
    return frozenset(entry.reverses_id for entry in entries if entry.reverses_id is not None)


def standing(entries: Sequence[Entry]) -> list[Entry]:
    """Entries that still count: neither a correction nor corrected. Their effects add up to the balance too."""
    undone = corrected_ids(entries)
    return [entry for entry in entries if not entry.is_correction and entry.id not in undone]


def correction_for(original: Entry, entries: Sequence[Entry], new_id: int, on: date) -> Entry:
    """The entry that undoes `original` exactly. A correction cannot itself be corrected, nor an entry twice."""
    if original.is_correction:
        raise LedgerError("correction_of_a_correction")
    if original.id in corrected_ids(entries):
        raise LedgerError("already_corrected")
    return Entry(
        id=new_id,
        kind=original.kind,
        occurred_on=on,
        amount_pence=original.amount_pence,
        reverses_id=original.id,
        plan_item_key=original.plan_item_key,
        words=original.words,
    )


@dataclass(frozen=True)
class StatementLine:
    entry: Entry
    balance_after_pence: Pence


@dataclass(frozen=True)
class Statement:
    starts_on: date
    ends_on: date
    opening_balance_pence: Pence
    lines: tuple[StatementLine, ...]
    money_in_pence: Pence
    money_out_pence: Pence
    closing_balance_pence: Pence


def statement(entries: Iterable[Entry], starts_on: date, ends_on: date) -> Statement:
    """A period's statement: the balance brought forward, each entry with the balance after it, and the totals.

    Entries are in date order, then in the order they were recorded. Closing = opening + in − out, always.
    """
    if ends_on < starts_on:
        raise ValueError("a statement ends on or after the day it starts")
    ordered = sorted(entries, key=lambda entry: (entry.occurred_on, entry.id))
    opening = sum(entry.effect_pence for entry in ordered if entry.occurred_on < starts_on)
    running, money_in, money_out, lines = opening, 0, 0, []
    for entry in ordered:
        if not starts_on <= entry.occurred_on <= ends_on:
            continue
        running += entry.effect_pence
        if entry.effect_pence > 0:
            money_in += entry.effect_pence
        else:
            money_out -= entry.effect_pence
        lines.append(StatementLine(entry, Pence(running)))
    return Statement(
        starts_on=starts_on,
        ends_on=ends_on,
        opening_balance_pence=Pence(opening),
        lines=tuple(lines),
        money_in_pence=Pence(money_in),
        money_out_pence=Pence(money_out),
        closing_balance_pence=Pence(running),
    )
