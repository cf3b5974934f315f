"""Fuzzing the statement importer (#10): any bytes at all give a statement, per-line problems, or a StatementError."""

import codecs
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.domain.statement_import import (
    ColumnMapping,
    ExistingEntry,
    PlanItemWords,
    StatementError,
    find_duplicates,
    guess_mapping,
    parse_lines,
    read_statement,
    suggest_plan_item,
)

FUZZ = settings(
    max_examples=200, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
TODAY = date(2026, 11, 20)

CELLS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "01/11/2026",
            "31/02/2026",
            "2026-11-01",
            "1 Nov 2026",
            "0000-00-00",
            "12.50",
            "-12.50",
            "£1,234.56",
            "(5.00)",
            "1e309",
            "NaN",
            "99999999999999999999999",
            '=HYPERLINK("http://x")',
            "+SUM(A1:A9)",
            "-2+3",
            "@cmd",
            "\x00",
            "\u202eevil",
            "👩\u200d👩\u200d👧",
        ]
    ),
)
HEADERS = st.lists(
    st.one_of(st.sampled_from(["Date", "Description", "Paid out", "Paid in", "Amount", "Payee", "Balance"]), st.text()),
    min_size=1,
    max_size=7,
)


@st.composite
def csv_files(draw) -> bytes:
    headers = draw(HEADERS)
    width = draw(st.integers(1, 8))
    rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=width), max_size=15))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))

    def line(cells):
        quoted = [f'"{cell}"' if draw(st.booleans()) else cell for cell in cells]
        return delimiter.join(quoted)

    text = "\n".join([line(headers), *(line(row) for row in rows)])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16", "cp1252"]))
    raw = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        raw = draw(st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b"%PDF", b"PK\x03\x04", b"\r\n\r\n"])) + raw
    return raw


MAPPINGS = st.builds(
    ColumnMapping,
    date=st.integers(-2, 8),
    description=st.integers(-2, 8),
    amount=st.none() | st.integers(-2, 8),
    paid_out=st.none() | st.integers(-2, 8),
    paid_in=st.none() | st.integers(-2, 8),
    payee=st.none() | st.integers(-2, 8),
)


def _read(content: bytes, max_lines: int = 50):
    try:
        return read_statement(content, max_lines)
    except StatementError as problem:
        assert problem.code is not None  # the documented error, with its reason for the person
        return None


@FUZZ
@given(content=st.one_of(st.binary(max_size=3000), csv_files()), mapping=MAPPINGS)
def test_any_file_is_read_or_refused_with_a_statement_error_and_never_raises_anything_else(content, mapping):
    statement = _read(content)
    if statement is None:
        return
    guessed = guess_mapping(statement.headers)
    for chosen in filter(None, [guessed, mapping]):
        if not chosen.is_complete():
            continue
        parsed = parse_lines(statement, chosen, TODAY)
        for line in parsed.lines:
            assert line.amount_pence >= 0 and isinstance(line.amount_pence, int)
        numbers = {n for n, _row in statement.rows}
        assert {problem.line_number for problem in parsed.problems} <= numbers  # each problem names a real line
        existing = [
            ExistingEntry(line.occurred_on, line.amount_pence, line.direction, line.description)
            for line in parsed.lines[:3]
        ]
        find_duplicates(parsed.lines, existing)
        for line in parsed.lines[:3]:
            suggest_plan_item(line, [PlanItemWords("pa", "Personal assistant"), PlanItemWords("x", line.description)])


@settings(max_examples=5, deadline=None, derandomize=True, database=None)
@given(rows=st.integers(60, 200), width=st.integers(1, 40))
def test_a_huge_file_is_refused_as_too_many_lines(rows, width):
    content = ("Date,Description,Amount\n" + "01/11/2026,SHOP,1.00\n" * rows + "x" * width).encode()
    assert _read(content, max_lines=50) is None


def test_a_100k_character_cell_is_read_or_refused_cleanly():
    content = f"Date,Description,Amount\n01/11/2026,{'x' * 100_000},1.00\n".encode()
    statement = _read(content)
    if statement is not None:
        parse_lines(statement, guess_mapping(statement.headers), TODAY)
