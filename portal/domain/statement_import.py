"""Importing a statement CSV: dates read day first, money in whole pence, every bad line reported, nothing guessed."""

import bisect
import codecs
import collections
import csv
import enum
import functools
import io
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from portal.domain.money import pounds_to_pence


class StatementErrorCode(enum.StrEnum):
    EMPTY = "empty"
    NOT_UTF8 = "not_utf8"
    NOT_CSV = "not_csv"
    TOO_MANY_LINES = "too_many_lines"
    NO_LINES = "no_lines"


class StatementError(Exception):
    """A file that cannot be read as a statement at all; `line_number` is set where one line is to blame."""

    def __init__(self, code: StatementErrorCode, line_number: int | None = None) -> None:
        super().__init__(code.value if line_number is None else f"{code.value} (line {line_number})")
        self.code = code
        self.line_number = line_number


class ProblemCode(enum.StrEnum):
    BAD_DATE = "bad_date"
    FUTURE_DATE = "future_date"
    BAD_AMOUNT = "bad_amount"
    ZERO_AMOUNT = "zero_amount"
    NO_AMOUNT = "no_amount"
    BOTH_AMOUNTS = "both_amounts"
    NEGATIVE_IN_COLUMN = "negative_in_column"
    MISSING_COLUMN = "missing_column"
    NO_DESCRIPTION = "no_description"


class Direction(enum.StrEnum):
    OUT = "out"
    IN = "in"


class DuplicateReason(enum.StrEnum):
    ALREADY_RECORDED = "already_recorded"
    REPEATED_IN_FILE = "repeated_in_file"


@dataclass(frozen=True)
class RawStatement:
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]


@dataclass(frozen=True)
class ColumnMapping:
    """Which column (0-based) holds what. When `amount` is set, `paid_out` and `paid_in` are ignored."""

    date: int
    description: int
    amount: int | None = None
    paid_out: int | None = None
    paid_in: int | None = None
    payee: int | None = None

    def is_complete(self) -> bool:
        optional = (self.amount, self.paid_out, self.paid_in, self.payee)
        if min(self.date, self.description, *(column for column in optional if column is not None)) < 0:
            return False
        return self.amount is not None or self.paid_out is not None or self.paid_in is not None

    def used_columns(self) -> tuple[int, ...]:
        money = (self.amount,) if self.amount is not None else (self.paid_out, self.paid_in)
        return tuple(column for column in (self.date, self.description, *money, self.payee) if column is not None)


@dataclass(frozen=True)
class StatementLine:
    line_number: int
    occurred_on: date
    description: str
    payee: str
    amount_pence: int
    direction: Direction


@dataclass(frozen=True)
class LineProblem:
    line_number: int
    code: ProblemCode
    column: str | None
    value: str


@dataclass(frozen=True)
class ParsedStatement:
    lines: tuple[StatementLine, ...]
    problems: tuple[LineProblem, ...]

    @property
    def is_clean(self) -> bool:
        return not self.problems and bool(self.lines)


@dataclass(frozen=True)
class ExistingEntry:
    occurred_on: date
    amount_pence: int
    direction: Direction
    text: str


@dataclass(frozen=True)
class PlanItemWords:
    key: str
    words: str


# ---- reading the file ----------------------------------------------------------------------------

# PDF, ZIP (so XLSX and ODS), old Excel (OLE2) and gzip: files people upload by mistake.
_NOT_CSV_SIGNATURES = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x1f\x8b")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_DELIMITERS = (",", ";", "\t")
_SNIFF_CHARS = 4096
# Preamble (account name, sort code, balances) is a few lines; a header further down is not looked for.
_HEADER_SEARCH_ROWS = 20
# The same line breaks the csv module splits on, so NOT_UTF8's line number matches the file's lines.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def read_statement(content: bytes, max_lines: int = 5000) -> RawStatement:
    """The header and the non-blank data rows (cells stripped) of a CSV statement, each with its line number."""
    rows = _read_rows(_decode(content), max_lines + _HEADER_SEARCH_ROWS + 1)
    if not rows:
        raise StatementError(StatementErrorCode.EMPTY)
    header = _header_index(rows)
    data = rows[header + 1 :]
    if len(data) > max_lines:
        raise StatementError(StatementErrorCode.TOO_MANY_LINES)
    if not data:
        raise StatementError(StatementErrorCode.NO_LINES)
    return RawStatement(headers=rows[header][1], rows=tuple(data))


def _decode(content: bytes) -> str:
    if not content.strip():
        raise StatementError(StatementErrorCode.EMPTY)
    if content.startswith(_NOT_CSV_SIGNATURES):
        raise StatementError(StatementErrorCode.NOT_CSV)
    if content.startswith(_UTF16_BOMS):
        encoding, body = "utf-16", content  # Excel's "Unicode text"; the codec reads and drops the BOM
    elif b"\x00" in content:
        raise StatementError(StatementErrorCode.NOT_CSV)
    else:
        encoding, body = "utf-8", content.removeprefix(codecs.BOM_UTF8)
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as error:
        before = body[: error.start].decode(encoding, errors="replace")
        raise StatementError(StatementErrorCode.NOT_UTF8, len(_LINE_BREAK.findall(before)) + 1) from None
    if "\x00" in text:
        raise StatementError(StatementErrorCode.NOT_CSV)
    if not text.strip():
        raise StatementError(StatementErrorCode.EMPTY)
    return text


def _consistency(sample: str, delimiter: str) -> tuple[int, int]:
    """How many rows have the commonest number of cells, and that number; (0, 0) if it is a single cell."""
    try:
        counts = collections.Counter(
            len(cells) for cells in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter) if any(cells)
        )
    except csv.Error:
        return 0, 0
    rows, cells = max(((rows, cells) for cells, rows in counts.items()), default=(0, 0))
    return (rows, cells) if cells > 1 else (0, 0)


def _sniff_delimiter(text: str) -> str:
    lines = io.StringIO(text[:_SNIFF_CHARS], newline="").readlines()
    if len(text) > _SNIFF_CHARS and len(lines) > 1:
        lines.pop()  # cut part-way through: an odd last line would spoil the count
    sample = "".join(lines)
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        sniffed = ","
    # The sniffer is easily misled (by preamble, or a ";" in every description), so it is checked: the
    # delimiter that splits most rows into the same number of cells wins, and the sniffer's choice on a tie.
    scores = {delimiter: _consistency(sample, delimiter) for delimiter in _DELIMITERS}
    best = max(scores.values())
    if scores.get(sniffed) == best:
        return sniffed
    return next(delimiter for delimiter in _DELIMITERS if scores[delimiter] == best)


def _read_rows(text: str, limit: int) -> list[tuple[int, tuple[str, ...]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    rows: list[tuple[int, tuple[str, ...]]] = []
    line_number = 1
    try:
        for cells in reader:
            stripped = tuple(cell.strip() for cell in cells)
            if any(stripped):
                rows.append((line_number, stripped))
            if len(rows) >= limit:
                raise StatementError(StatementErrorCode.TOO_MANY_LINES)
            line_number = reader.line_num + 1  # a quoted cell can span lines: a row starts after the last one
    except csv.Error:
        raise StatementError(StatementErrorCode.NOT_CSV) from None
    return rows


def _header_index(rows: Sequence[tuple[int, tuple[str, ...]]]) -> int:
    for index, (_, cells) in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        filled = sum(1 for cell in cells if cell)
        if filled >= 3 and any(_normalise_header(cell) in _HEADER_DATE_NAMES for cell in cells):
            return index
    return 0


# ---- guessing the columns ------------------------------------------------------------------------

# Each list is in order of preference: a card's transaction date is nearer the real day than the posting date.
_DATE_NAMES = (
    "date",
    "transaction date",
    "started date",
    "posted date",
    "posting date",
    "value date",
    "completed date",
)
_HEADER_DATE_NAMES = frozenset({*_DATE_NAMES, "posted"})
_DESCRIPTION_NAMES = (
    "description",
    "transaction description",
    "details",
    "narrative",
    "memo",
    "particulars",
    "reference",
)
_PAYEE_NAMES = ("payee", "payee name", "merchant", "merchant name", "name", "counterparty", "counter party")
_AMOUNT_NAMES = ("amount", "transaction amount", "value")
_PAID_OUT_NAMES = (
    "paid out",
    "money out",
    "debit",
    "debit amount",
    "debits",
    "withdrawals",
    "withdrawal",
    "out",
    "spent",
)
_PAID_IN_NAMES = ("paid in", "money in", "credit", "credit amount", "credits", "deposits", "deposit", "in", "received")
_WORD_BREAK = re.compile(r"[\W_]+")


def _normalise_header(text: str) -> str:
    return " ".join(word for word in _WORD_BREAK.split(text.lower()) if word and word != "gbp")


def _find(headers: Sequence[str], names: Sequence[str]) -> int | None:
    for name in names:
        if name in headers:
            return headers.index(name)
    return None


def guess_mapping(headers: Sequence[str]) -> ColumnMapping | None:
    """Columns found by their header names, or None when the date, the description or the money is not found."""
    names = [_normalise_header(header) for header in headers]
    date_column = _find(names, _DATE_NAMES)
    description = _find(names, _DESCRIPTION_NAMES)
    payee = _find(names, _PAYEE_NAMES)
    if description is None:
        description, payee = payee, None
    amount = _find(names, _AMOUNT_NAMES)
    paid_out = None if amount is not None else _find(names, _PAID_OUT_NAMES)
    paid_in = None if amount is not None else _find(names, _PAID_IN_NAMES)
    if date_column is None or description is None or (amount, paid_out, paid_in) == (None, None, None):
        return None
    return ColumnMapping(
        date=date_column, description=description, amount=amount, paid_out=paid_out, paid_in=paid_in, payee=payee
    )


# ---- dates and amounts ---------------------------------------------------------------------------

_EARLIEST = date(2000, 1, 1)
_TIME = r"(?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
# Day first, always: a statement from a UK bank never means 11/25 as November the 25th.
_NUMERIC_DATES = (
    re.compile(r"(?P<d>[0-9]{1,2})/(?P<m>[0-9]{1,2})/(?P<y>[0-9]{4}|[0-9]{2})" + _TIME),
    re.compile(r"(?P<d>[0-9]{1,2})(?P<sep>[.-])(?P<m>[0-9]{1,2})(?P=sep)(?P<y>[0-9]{4})" + _TIME),
    re.compile(r"(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})" + _TIME),
)
_NAMED_MONTH_DATE = re.compile(r"(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?[ -](?P<month>[a-z]+)\.?,?[ -](?P<y>[0-9]{4})", re.I)
_MONTH_NAMES = "january february march april may june july august september october november december".split()
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)} | {
    name[:3]: number for number, name in enumerate(_MONTH_NAMES, start=1)
}
_MONTHS["sept"] = 9
_AMOUNT = re.compile(
    r"(?P<open>\()?\s*(?P<sign>[-+\u2212])?\s*£?\s*(?P<number>[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?P<close>\))?"
    r"\s*(?P<suffix>DR|CR)?",
    re.I,
)
_SUFFIX = re.compile(r"\s*(?:DR|CR)$", re.I)
_MAX_VALUE = 60


def _make_date(year: str, month: int, day: str) -> date | None:
    try:
        return date(int(year) + (2000 if len(year) == 2 else 0), month, int(day))
    except ValueError:
        return None


def _parse_date(text: str) -> date | None:
    for pattern in _NUMERIC_DATES:
        match = pattern.fullmatch(text)
        if match:
            return _make_date(match["y"], int(match["m"]), match["d"])
    match = _NAMED_MONTH_DATE.fullmatch(text)
    if match and match["month"].lower() in _MONTHS:
        return _make_date(match["y"], _MONTHS[match["month"].lower()], match["d"])
    return None


def _signed_pence(text: str) -> int | None:
    """Pence from "12.50", "£1,234.56", "-12.50", "(12.50)", "12.50 DR" or "12.50 CR"; negative is money out."""
    match = _AMOUNT.fullmatch(text.strip())
    if match is None or bool(match["open"]) != bool(match["close"]):
        return None
    # "-12.50 CR" or "(-12.50)" says two things at once: refused rather than guessed.
    if sum(1 for mark in (match["open"], match["sign"], match["suffix"]) if mark) > 1:
        return None
    try:
        pence = int(pounds_to_pence(match["number"]))
    except ValueError:
        return None
    negative = bool(match["open"]) or match["sign"] in ("-", "\u2212") or (match["suffix"] or "").upper() == "DR"
    return -pence if negative else pence


# ---- checking each row ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    line_number: int
    cells: tuple[str, ...]
    headers: tuple[str, ...]

    def problem(self, code: ProblemCode, column: int | None, value: str = "") -> LineProblem:
        name = self.headers[column] if column is not None and column < len(self.headers) else None
        return LineProblem(line_number=self.line_number, code=code, column=name, value=value[:_MAX_VALUE])


def _read_date(row: _Row, column: int, today: date, problems: list[LineProblem]) -> date | None:
    raw = row.cells[column]
    occurred_on = _parse_date(raw)
    if occurred_on is None or occurred_on < _EARLIEST:
        problems.append(row.problem(ProblemCode.BAD_DATE, column, raw))
        return None
    if (occurred_on - today).days > 1:
        problems.append(row.problem(ProblemCode.FUTURE_DATE, column, raw))
        return None
    return occurred_on


def _read_signed_column(row: _Row, column: int, problems: list[LineProblem]) -> tuple[int, Direction] | None:
    raw = row.cells[column]
    pence = _signed_pence(raw) if raw else None
    if pence is None:
        problems.append(row.problem(ProblemCode.BAD_AMOUNT if raw else ProblemCode.NO_AMOUNT, column, raw))
        return None
    if pence == 0:
        problems.append(row.problem(ProblemCode.ZERO_AMOUNT, column, raw))
        return None
    return abs(pence), Direction.OUT if pence < 0 else Direction.IN


def _read_two_columns(row: _Row, mapping: ColumnMapping, problems: list[LineProblem]) -> tuple[int, Direction] | None:
    found: list[tuple[int, Direction, int]] = []
    before = len(problems)
    for column, direction in ((mapping.paid_out, Direction.OUT), (mapping.paid_in, Direction.IN)):
        raw = "" if column is None else row.cells[column]
        if column is None or not raw:
            continue
        # The column says which way the money went, so a DR or CR after the number adds nothing.
        pence = _signed_pence(_SUFFIX.sub("", raw))
        if pence is None:
            problems.append(row.problem(ProblemCode.BAD_AMOUNT, column, raw))
        elif pence < 0:
            problems.append(row.problem(ProblemCode.NEGATIVE_IN_COLUMN, column, raw))
        else:
            found.append((pence, direction, column))
    if len(problems) > before:
        return None
    return _one_amount(row, mapping, found, problems)


def _one_amount(
    row: _Row, mapping: ColumnMapping, found: list[tuple[int, Direction, int]], problems: list[LineProblem]
) -> tuple[int, Direction] | None:
    # Some banks write 0.00 in the unused column, so a zero there counts as empty.
    money = [(pence, direction) for pence, direction, _ in found if pence > 0]
    if len(money) == 1:
        return money[0]
    if money:
        both = " / ".join(row.cells[column] for _, _, column in found)
        problems.append(row.problem(ProblemCode.BOTH_AMOUNTS, None, both))
    elif found:
        problems.append(row.problem(ProblemCode.ZERO_AMOUNT, found[0][2], row.cells[found[0][2]]))
    else:
        problems.append(row.problem(ProblemCode.NO_AMOUNT, None))
    return None


def _parse_row(row: _Row, mapping: ColumnMapping, today: date, problems: list[LineProblem]) -> StatementLine | None:
    missing = [column for column in mapping.used_columns() if column >= len(row.cells)]
    if missing:
        problems.append(row.problem(ProblemCode.MISSING_COLUMN, min(missing)))
        return None
    before = len(problems)
    occurred_on = _read_date(row, mapping.date, today, problems)
    if mapping.amount is not None:
        money = _read_signed_column(row, mapping.amount, problems)
    else:
        money = _read_two_columns(row, mapping, problems)
    description = row.cells[mapping.description]
    payee = row.cells[mapping.payee] if mapping.payee is not None else ""
    if not description and not payee:
        problems.append(row.problem(ProblemCode.NO_DESCRIPTION, mapping.description))
    if occurred_on is None or money is None or len(problems) > before:
        return None
    return StatementLine(row.line_number, occurred_on, description, payee, amount_pence=money[0], direction=money[1])


def parse_lines(statement: RawStatement, mapping: ColumnMapping, today: date) -> ParsedStatement:
    """Every row checked: the good ones as lines, and every problem of every other row, in file order.

    Raises ValueError for a mapping that is not complete (the caller checks `is_complete` first).
    """
    if not mapping.is_complete():
        raise ValueError("the column mapping needs a date, a description and an amount column")
    lines: list[StatementLine] = []
    problems: list[LineProblem] = []
    for line_number, cells in statement.rows:
        line = _parse_row(_Row(line_number, cells, statement.headers), mapping, today, problems)
        if line is not None:
            lines.append(line)
    return ParsedStatement(lines=tuple(lines), problems=tuple(problems))


# ---- duplicates ----------------------------------------------------------------------------------

# A card payment can take a few days to post, so the bank's date may lag the day the person wrote down.
_SAME_PAYMENT_DAYS = 3


def _already_recorded(lines: Sequence[StatementLine], existing: Sequence[ExistingEntry]) -> set[int]:
    unused: dict[tuple[int, Direction], list[date]] = {}
    for entry in existing:
        unused.setdefault((entry.amount_pence, entry.direction), []).append(entry.occurred_on)
    for dates in unused.values():
        dates.sort()
    matched: set[int] = set()
    # In date order, each line takes the earliest entry still free in its window: the most lines get a match.
    for line in sorted(lines, key=lambda line: (line.occurred_on, line.line_number)):
        dates = unused.get((line.amount_pence, line.direction), [])
        index = bisect.bisect_left(dates, line.occurred_on - timedelta(days=_SAME_PAYMENT_DAYS))
        if index < len(dates) and (dates[index] - line.occurred_on).days <= _SAME_PAYMENT_DAYS:
            del dates[index]
            matched.add(line.line_number)
    return matched


def find_duplicates(lines: Sequence[StatementLine], existing: Sequence[ExistingEntry]) -> dict[int, DuplicateReason]:
    """Lines that look already recorded (one line per recorded entry) or repeat an earlier line of the file."""
    flagged = dict.fromkeys(_already_recorded(lines, existing), DuplicateReason.ALREADY_RECORDED)
    seen: set[tuple[date, int, Direction, str, str]] = set()
    for line in lines:
        key = (line.occurred_on, line.amount_pence, line.direction, line.description, line.payee)
        if key in seen and line.line_number not in flagged:
            flagged[line.line_number] = DuplicateReason.REPEATED_IN_FILE
        seen.add(key)
    return dict(sorted(flagged.items()))


# ---- plan items ----------------------------------------------------------------------------------

_STOP_WORDS = frozenset({"the", "and", "ltd", "limited", "plc", "for", "with", "card", "payment", "ref"})
# Banks cut descriptions short ("ANYTOWN HOMECA"), so a long enough start of a word counts as the word.
_PREFIX_LENGTH = 5


def _words(text: str) -> list[str]:
    return [word for word in _WORD_BREAK.split(text.lower()) if len(word) >= 3 and word not in _STOP_WORDS]


def _same_word(one: str, other: str) -> bool:
    if one == other:
        return True
    short, long = (one, other) if len(one) < len(other) else (other, one)
    return len(short) >= _PREFIX_LENGTH and long.startswith(short)


@functools.lru_cache(maxsize=256)
def _item_words(words: str) -> frozenset[str]:
    """An item's words, and each two neighbours run together, as a bank may write "Home Care" as "HOMECARE"."""
    plain = _words(words)
    return frozenset({*plain, *(first + second for first, second in itertools.pairwise(plain))})


def _score(line_words: frozenset[str], item_words: frozenset[str]) -> int:
    return sum(1 for word in line_words if any(_same_word(word, candidate) for candidate in item_words))


def suggest_plan_item(line: StatementLine, items: Sequence[PlanItemWords]) -> str | None:
    """The key of the plan item sharing the most words with a money-out line; None if none, or on a tie."""
    if line.direction is not Direction.OUT:
        return None
    line_words = frozenset(_words(f"{line.payee} {line.description}"))
    best: dict[str, int] = {}
    for item in items:
        best[item.key] = max(best.get(item.key, 0), _score(line_words, _item_words(item.words)))
    top = max(best.values(), default=0)
    winners = [key for key, score in best.items() if score == top]
    return winners[0] if top >= 1 and len(winners) == 1 else None
