import codecs
import csv
import io
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.domain.statement_import import (
    ColumnMapping,
    Direction,
    DuplicateReason,
    ExistingEntry,
    LineProblem,
    ParsedStatement,
    PlanItemWords,
    ProblemCode,
    RawStatement,
    StatementError,
    StatementErrorCode,
    StatementLine,
    find_duplicates,
    guess_mapping,
    parse_lines,
    read_statement,
    suggest_plan_item,
)

TODAY = date(2026, 11, 10)

# Nationwide-style: a preamble of account details, a blank line, then the header; pounds signs in UTF-8.
TWO_COLUMN_WITH_PREAMBLE = (
    b'"Account Name:","FlexDirect ****12345"\r\n'
    b'"Account Balance:","\xc2\xa31,234.56"\r\n'
    b'"Available Balance: ","\xc2\xa31,234.56"\r\n'
    b"\r\n"
    b'"Date","Description","Paid out","Paid in","Balance"\r\n'
    b'"03 Nov 2026","ANYTOWN HOME CARE","\xc2\xa3120.00","","\xc2\xa31,114.56"\r\n'
    b'"04 Nov 2026","ANYSHIRE COUNCIL DIRECT PAYMENT","","\xc2\xa31,503.38","\xc2\xa32,617.94"\r\n'
    b'"05 Nov 2026","CARD PAYMENT TO SWIMMING POOL","\xc2\xa34.5","","\xc2\xa32,613.44"\r\n'
)

# Starling-style: one signed Amount column and a separate counterparty.
SIGNED_AMOUNT = (
    b"Date,Counter Party,Reference,Type,Amount (GBP),Balance (GBP)\n"
    b"01/11/2026,Jo Smith,PA WAGES WEEK 44,FASTER PAYMENT,-240.00,760.00\n"
    b"02/11/2026,Anyshire Council,DIRECT PAYMENT,FASTER PAYMENT,1000.00,1760.00\n"
)

SEMICOLONS = (
    b"Account: Jo Bloggs\n"
    b"Sort code: 12-34-56\n"
    b"Date;Description;Amount;Balance\n"
    b"2026-11-01;TESCO STORES 2041;-12.50;100.00\n"
    b"2026-11-02;ANYTOWN TAXIS;-8.00;92.00\n"
)


def raw(*rows: tuple[str, ...], headers: tuple[str, ...] = ("Date", "Description", "Amount")) -> RawStatement:
    return RawStatement(headers=headers, rows=tuple((number, row) for number, row in enumerate(rows, start=2)))


SIGNED = ColumnMapping(date=0, description=1, amount=2)
TWO_COLUMNS = ColumnMapping(date=0, description=1, paid_out=2, paid_in=3)
TWO_COLUMN_HEADERS = ("Date", "Description", "Paid out", "Paid in")


def line(number: int, on: date, pence: int, direction: Direction = Direction.OUT, text: str = "TESCO") -> StatementLine:
    return StatementLine(number, on, text, "", pence, direction)


# ---- reading the file ----------------------------------------------------------------------------


def test_a_two_column_file_with_a_preamble_reads_from_its_header_with_file_line_numbers():
    statement = read_statement(TWO_COLUMN_WITH_PREAMBLE)
    assert statement.headers == ("Date", "Description", "Paid out", "Paid in", "Balance")
    assert [number for number, _ in statement.rows] == [6, 7, 8]
    assert statement.rows[0][1] == ("03 Nov 2026", "ANYTOWN HOME CARE", "£120.00", "", "£1,114.56")


def test_the_two_column_file_parses_cleanly_to_the_penny():
    statement = read_statement(TWO_COLUMN_WITH_PREAMBLE)
    mapping = guess_mapping(statement.headers)
    assert mapping == ColumnMapping(date=0, description=1, paid_out=2, paid_in=3)
    parsed = parse_lines(statement, mapping, TODAY)
    assert parsed.is_clean
    assert parsed.lines == (
        StatementLine(6, date(2026, 11, 3), "ANYTOWN HOME CARE", "", 12000, Direction.OUT),
        StatementLine(7, date(2026, 11, 4), "ANYSHIRE COUNCIL DIRECT PAYMENT", "", 150338, Direction.IN),
        StatementLine(8, date(2026, 11, 5), "CARD PAYMENT TO SWIMMING POOL", "", 450, Direction.OUT),
    )


def test_a_single_signed_amount_column_gives_the_direction_by_its_sign():
    statement = read_statement(SIGNED_AMOUNT)
    mapping = guess_mapping(statement.headers)
    assert mapping == ColumnMapping(date=0, description=2, amount=4, payee=1)
    parsed = parse_lines(statement, mapping, TODAY)
    assert parsed.problems == ()
    assert parsed.lines == (
        StatementLine(2, date(2026, 11, 1), "PA WAGES WEEK 44", "Jo Smith", 24000, Direction.OUT),
        StatementLine(3, date(2026, 11, 2), "DIRECT PAYMENT", "Anyshire Council", 100000, Direction.IN),
    )


def test_a_semicolon_file_with_a_preamble_is_sniffed():
    statement = read_statement(SEMICOLONS)
    assert statement.headers == ("Date", "Description", "Amount", "Balance")
    assert statement.rows[0] == (4, ("2026-11-01", "TESCO STORES 2041", "-12.50", "100.00"))


def test_a_tab_separated_file_is_sniffed():
    statement = read_statement(b"Date\tDetails\tAmount\n01/11/2026\tBOOTS 1234\t-3.99\n")
    assert statement.rows == ((2, ("01/11/2026", "BOOTS 1234", "-3.99")),)


def test_a_semicolon_in_every_description_does_not_fool_the_sniffer():
    content = b'Date,Description,Paid out,Paid in\r\n01/01/2026,;,0.01,\r\n01/01/2026,;,,"\xc2\xa31,000.00"\r\n'
    statement = read_statement(content)
    assert statement.headers == ("Date", "Description", "Paid out", "Paid in")
    assert statement.rows[1] == (3, ("01/01/2026", ";", "", "£1,000.00"))


def test_a_utf8_bom_is_accepted():
    statement = read_statement(codecs.BOM_UTF8 + SIGNED_AMOUNT)
    assert statement.headers[0] == "Date"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_a_bom_is_decoded(encoding):
    # Excel's "Unicode text" export: UTF-16 with a BOM, tab separated.
    bom = codecs.BOM_UTF16_LE if encoding == "utf-16-le" else codecs.BOM_UTF16_BE
    text = "Date\tDescription\tAmount\r\n03/11/2026\tCAFÉ NERO £\t-2.95\r\n"
    statement = read_statement(bom + text.encode(encoding))
    assert statement.rows == ((2, ("03/11/2026", "CAFÉ NERO £", "-2.95")),)


@pytest.mark.parametrize(
    ("content", "line_number"),
    [
        (b"Date,Description,Amount\n01/11/2026,Cinema \xa312,-12.00\n", 2),  # Windows-1252 pound sign
        (b"\xa3\n", 1),
        (b"Date,Description,Amount\r\n01/11/2026,A,-1.00\r\n02/11/2026,CAF\xc9,-1.00\r\n", 3),
        (b"Date,Description,Amount\r01/11/2026,A,-1.00\r02/11/2026,CAF\xe9,-1.00\r", 3),  # old Mac line ends
    ],
)
def test_a_file_that_is_not_utf8_says_on_which_line(content, line_number):
    with pytest.raises(StatementError) as raised:
        read_statement(content)
    assert raised.value.code is StatementErrorCode.NOT_UTF8
    assert raised.value.line_number == line_number


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n",
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00",  # an old .xls
        b"Date,Description,Amount\n01/11/2026,\x00\x00,-1.00\n",
        "Date,Description,Amount\n".encode("utf-16-le"),  # UTF-16 without a BOM: NUL bytes everywhere
    ],
)
def test_a_binary_or_other_file_is_not_a_csv(content):
    with pytest.raises(StatementError) as raised:
        read_statement(content)
    assert raised.value.code is StatementErrorCode.NOT_CSV


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", StatementErrorCode.EMPTY),
        (b"  \r\n\t\n", StatementErrorCode.EMPTY),
        (codecs.BOM_UTF8 + b"\n", StatementErrorCode.EMPTY),
        (codecs.BOM_UTF16_LE, StatementErrorCode.EMPTY),
        (b",,,\n,,\n", StatementErrorCode.EMPTY),
        (b"Date,Description,Paid out,Paid in,Balance\r\n", StatementErrorCode.NO_LINES),
        (b"Date,Description,Amount\n\n , , \n", StatementErrorCode.NO_LINES),
        (b'"Account Name:","Jo"\r\n\r\n"Date","Description","Amount"\r\n', StatementErrorCode.NO_LINES),
    ],
)
def test_a_file_with_nothing_to_import_is_refused(content, code):
    with pytest.raises(StatementError) as raised:
        read_statement(content)
    assert raised.value.code is code
    assert raised.value.line_number is None


def test_too_many_lines_is_refused_and_exactly_the_limit_is_not():
    content = b"Date,Description,Amount\n" + b"01/11/2026,TESCO,-1.00\n" * 3
    assert len(read_statement(content, max_lines=3).rows) == 3
    with pytest.raises(StatementError) as raised:
        read_statement(content, max_lines=2)
    assert raised.value.code is StatementErrorCode.TOO_MANY_LINES


def test_a_very_long_file_is_refused_without_reading_it_all():
    content = b"Date,Description,Amount\n" + b"01/11/2026,TESCO,-1.00\n" * 100_000
    with pytest.raises(StatementError) as raised:
        read_statement(content)
    assert raised.value.code is StatementErrorCode.TOO_MANY_LINES


def test_blank_rows_are_skipped_and_cells_stripped():
    content = b"Date , Description ,Amount\n\n 01/11/2026 ,  TESCO  , -1.00 \n,,\n02/11/2026,BOOTS,-2.00\n"
    statement = read_statement(content)
    assert statement.headers == ("Date", "Description", "Amount")
    assert statement.rows == ((3, ("01/11/2026", "TESCO", "-1.00")), (5, ("02/11/2026", "BOOTS", "-2.00")))


def test_a_quoted_cell_across_lines_keeps_the_line_the_row_starts_on():
    content = b'Date,Description,Amount\n01/11/2026,"TESCO\nSTORES",-1.00\n02/11/2026,BOOTS,-2.00\n'
    statement = read_statement(content)
    assert [number for number, _ in statement.rows] == [2, 4]
    assert statement.rows[0][1][1] == "TESCO\nSTORES"


def test_without_a_date_header_the_first_non_blank_row_is_the_header():
    statement = read_statement(b"\nWhen,What,How much\n01/11/2026,TESCO,-1.00\n")
    assert statement.headers == ("When", "What", "How much")
    assert guess_mapping(statement.headers) is None


def test_a_preamble_line_with_a_date_cell_but_too_few_cells_is_not_the_header():
    content = b"Statement date,01/11/2026\nDate,Description,Amount\n01/11/2026,TESCO,-1.00\n"
    statement = read_statement(content)
    assert statement.headers == ("Date", "Description", "Amount")


# ---- guessing the columns ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            ("Date", "Transaction type", "Description", "Paid out", "Paid in", "Balance"),
            ColumnMapping(date=0, description=2, paid_out=3, paid_in=4),
        ),
        (
            ("Transaction Date", "Transaction Type", "Sort Code", "Account Number", "Transaction Description")
            + ("Debit Amount", "Credit Amount", "Balance"),
            ColumnMapping(date=0, description=4, paid_out=5, paid_in=6),
        ),
        (
            ("Date", "Counter Party", "Reference", "Type", "Amount (GBP)", "Balance (GBP)"),
            ColumnMapping(date=0, description=2, amount=4, payee=1),
        ),
        (("Number", "Date", "Account", "Amount", "Subcategory", "Memo"), ColumnMapping(1, 5, amount=3)),
        ((" Date", " Type", " Description", " Value", " Balance"), ColumnMapping(0, 2, amount=3)),
        (("Posted Date", "Payee", "Amount (£)"), ColumnMapping(date=0, description=1, amount=2)),
        (("DATE:", "DETAILS", "MONEY OUT (£)", "MONEY IN (£)"), ColumnMapping(0, 1, paid_out=2, paid_in=3)),
        (("Value date", "Narrative", "Withdrawals", "Deposits"), ColumnMapping(0, 1, paid_out=2, paid_in=3)),
        (("Date", "Merchant", "Spent"), ColumnMapping(date=0, description=1, paid_out=2)),
        (("Posting date", "Particulars", "Received"), ColumnMapping(date=0, description=1, paid_in=2)),
        (("Date", "Value Date", "Details", "Out", "In"), ColumnMapping(0, 2, paid_out=3, paid_in=4)),
        # The signed amount is preferred when an export has both (Monzo).
        (
            ("Transaction ID", "Date", "Time", "Type", "Name", "Amount", "Description", "Money Out", "Money In"),
            ColumnMapping(date=1, description=6, amount=5, payee=4),
        ),
    ],
)
def test_guess_mapping_reads_the_banks_header_styles(headers, expected):
    assert guess_mapping(headers) == expected


@pytest.mark.parametrize(
    "headers",
    [
        ("Date", "Description", "Balance"),  # a balance is never an amount
        ("Description", "Amount"),
        ("Date", "Amount", "Balance"),
        ("When", "What", "How much"),
        (),
    ],
)
def test_guess_mapping_gives_up_when_a_column_cannot_be_found(headers):
    assert guess_mapping(headers) is None


@pytest.mark.parametrize(
    ("mapping", "complete"),
    [
        (ColumnMapping(0, 1, amount=2), True),
        (ColumnMapping(0, 1, paid_out=2), True),
        (ColumnMapping(0, 1, paid_in=3), True),
        (ColumnMapping(0, 1), False),
        (ColumnMapping(0, 1, payee=2), False),
        (ColumnMapping(-1, 1, amount=2), False),
    ],
)
def test_a_mapping_is_complete_with_a_date_a_description_and_money(mapping, complete):
    assert mapping.is_complete() is complete


def test_parse_lines_refuses_an_incomplete_mapping():
    with pytest.raises(ValueError, match="mapping"):
        parse_lines(raw(("01/11/2026", "TESCO", "-1.00")), ColumnMapping(0, 1), TODAY)


# ---- dates and amounts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("03/11/2026", date(2026, 11, 3)),
        ("3/1/2026", date(2026, 1, 3)),
        ("03/11/26", date(2026, 11, 3)),
        ("2026-11-03", date(2026, 11, 3)),
        ("2026-11-03T23:59:59", date(2026, 11, 3)),
        ("2026-11-03 08:15:00", date(2026, 11, 3)),
        ("03-11-2026", date(2026, 11, 3)),
        ("03.11.2026", date(2026, 11, 3)),
        ("03 Nov 2026", date(2026, 11, 3)),
        ("3 november 2026", date(2026, 11, 3)),
        ("03-NOV-2026", date(2026, 11, 3)),
        ("29 Feb 2024", date(2024, 2, 29)),
        ("01/01/2000", date(2000, 1, 1)),
        ("11/11/2026", TODAY + timedelta(days=1)),  # a day ahead is allowed: banks post overnight
    ],
)
def test_dates_are_read_day_first(cell, expected):
    parsed = parse_lines(raw((cell, "TESCO", "-1.00")), SIGNED, TODAY)
    assert parsed.problems == ()
    assert parsed.lines[0].occurred_on == expected


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("31/02/2026", ProblemCode.BAD_DATE),
        ("2026-13-01", ProblemCode.BAD_DATE),
        ("yesterday", ProblemCode.BAD_DATE),
        ("11/25/2026", ProblemCode.BAD_DATE),  # US order: there is no month 25
        ("", ProblemCode.BAD_DATE),
        ("03 Nev 2026", ProblemCode.BAD_DATE),
        ("03-11-26", ProblemCode.BAD_DATE),  # two-digit years only with slashes
        ("31/12/1999", ProblemCode.BAD_DATE),
        ("12/11/2026", ProblemCode.FUTURE_DATE),
        ("2027-01-01", ProblemCode.FUTURE_DATE),
    ],
)
def test_bad_and_future_dates_are_problems(cell, code):
    parsed = parse_lines(raw((cell, "TESCO", "-1.00")), SIGNED, TODAY)
    assert parsed.lines == ()
    assert parsed.problems == (LineProblem(2, code, "Date", cell),)


@pytest.mark.parametrize(
    ("cell", "pence", "direction"),
    [
        ("12.50", 1250, Direction.IN),
        ("£12.50", 1250, Direction.IN),
        ("1,234.56", 123456, Direction.IN),
        ("-12.50", 1250, Direction.OUT),
        ("-£12.50", 1250, Direction.OUT),
        ("(12.50)", 1250, Direction.OUT),
        ("(£1,012.50)", 101250, Direction.OUT),
        ("12.50 DR", 1250, Direction.OUT),
        ("12.50dr", 1250, Direction.OUT),
        ("12.50 CR", 1250, Direction.IN),
        ("12.5", 1250, Direction.IN),
        ("+7", 700, Direction.IN),
        ("0.01", 1, Direction.IN),
        ("\u22124.00", 400, Direction.OUT),  # Excel's minus sign
    ],
)
def test_amounts_in_a_signed_column(cell, pence, direction):
    parsed = parse_lines(raw(("01/11/2026", "TESCO", cell)), SIGNED, TODAY)
    assert parsed.problems == ()
    assert (parsed.lines[0].amount_pence, parsed.lines[0].direction) == (pence, direction)


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("twelve", ProblemCode.BAD_AMOUNT),
        ("12.505", ProblemCode.BAD_AMOUNT),
        ("12,50", ProblemCode.BAD_AMOUNT),  # a decimal comma is refused, not read as 1,250
        ("1.2.3", ProblemCode.BAD_AMOUNT),
        ("(12.50", ProblemCode.BAD_AMOUNT),
        ("-12.50 CR", ProblemCode.BAD_AMOUNT),
        ("--1", ProblemCode.BAD_AMOUNT),
        ("0.00", ProblemCode.ZERO_AMOUNT),
        ("-0", ProblemCode.ZERO_AMOUNT),
        ("", ProblemCode.NO_AMOUNT),
    ],
)
def test_amounts_that_are_not_money_are_problems(cell, code):
    parsed = parse_lines(raw(("01/11/2026", "TESCO", cell)), SIGNED, TODAY)
    assert parsed.problems == (LineProblem(2, code, "Amount", cell),)


@pytest.mark.parametrize(
    ("paid_out", "paid_in", "pence", "direction"),
    [
        ("12.50", "", 1250, Direction.OUT),
        ("", "£503.38", 50338, Direction.IN),
        ("12.50", "0.00", 1250, Direction.OUT),  # some banks write 0.00 in the column not used
        ("12.50 DR", "", 1250, Direction.OUT),
    ],
)
def test_two_columns_give_the_direction_by_the_column(paid_out, paid_in, pence, direction):
    statement = raw(("01/11/2026", "TESCO", paid_out, paid_in), headers=TWO_COLUMN_HEADERS)
    parsed = parse_lines(statement, TWO_COLUMNS, TODAY)
    assert parsed.problems == ()
    assert (parsed.lines[0].amount_pence, parsed.lines[0].direction) == (pence, direction)


@pytest.mark.parametrize(
    ("paid_out", "paid_in", "problem"),
    [
        ("", "", LineProblem(2, ProblemCode.NO_AMOUNT, None, "")),
        ("12.50", "3.00", LineProblem(2, ProblemCode.BOTH_AMOUNTS, None, "12.50 / 3.00")),
        ("-12.50", "", LineProblem(2, ProblemCode.NEGATIVE_IN_COLUMN, "Paid out", "-12.50")),
        ("", "(3.00)", LineProblem(2, ProblemCode.NEGATIVE_IN_COLUMN, "Paid in", "(3.00)")),
        ("ten", "", LineProblem(2, ProblemCode.BAD_AMOUNT, "Paid out", "ten")),
        ("0.00", "", LineProblem(2, ProblemCode.ZERO_AMOUNT, "Paid out", "0.00")),
    ],
)
def test_two_column_problems(paid_out, paid_in, problem):
    statement = raw(("01/11/2026", "TESCO", paid_out, paid_in), headers=TWO_COLUMN_HEADERS)
    assert parse_lines(statement, TWO_COLUMNS, TODAY) == ParsedStatement(lines=(), problems=(problem,))


def test_a_negative_paid_out_column_from_a_real_file_names_the_column():
    content = b"Date,Description,Paid out,Paid in,Balance\n01/11/2026,TESCO,-12.50,,87.50\n"
    statement = read_statement(content)
    parsed = parse_lines(statement, guess_mapping(statement.headers), TODAY)
    assert parsed.problems == (LineProblem(2, ProblemCode.NEGATIVE_IN_COLUMN, "Paid out", "-12.50"),)


def test_a_paid_out_only_statement():
    statement = raw(("01/11/2026", "TESCO", "4.00"), headers=("Date", "Description", "Spent"))
    parsed = parse_lines(statement, ColumnMapping(0, 1, paid_out=2), TODAY)
    assert parsed.lines == (line(2, date(2026, 11, 1), 400),)


def test_a_short_row_is_a_missing_column_naming_the_first_missing_one():
    statement = raw(("01/11/2026", "TESCO", "12.50"), headers=TWO_COLUMN_HEADERS)
    parsed = parse_lines(statement, TWO_COLUMNS, TODAY)
    assert parsed.problems == (LineProblem(2, ProblemCode.MISSING_COLUMN, "Paid in", ""),)


def test_an_unused_column_beyond_a_short_row_is_not_missing():
    statement = raw(("01/11/2026", "TESCO", "-1.00"), headers=("Date", "Description", "Amount", "Paid in"))
    parsed = parse_lines(statement, ColumnMapping(0, 1, amount=2, paid_in=3), TODAY)
    assert parsed.is_clean


def test_a_line_needs_a_description_or_a_payee():
    headers = ("Date", "Description", "Amount", "Payee")
    mapping = ColumnMapping(0, 1, amount=2, payee=3)
    statement = raw(("01/11/2026", "", "-1.00", "Jo"), ("01/11/2026", "", "-1.00", ""), headers=headers)
    parsed = parse_lines(statement, mapping, TODAY)
    assert parsed.lines == (StatementLine(2, date(2026, 11, 1), "", "Jo", 100, Direction.OUT),)
    assert parsed.problems == (LineProblem(3, ProblemCode.NO_DESCRIPTION, "Description", ""),)


def test_every_problem_of_every_line_is_reported_in_file_order():
    statement = raw(
        ("31/02/2026", "", "ten"),
        ("01/11/2026", "TESCO", "-1.00"),
        ("2027-01-01", "BOOTS", "0"),
        ("01/11/2026",),
    )
    parsed = parse_lines(statement, SIGNED, TODAY)
    assert parsed.lines == (line(3, date(2026, 11, 1), 100),)
    assert parsed.problems == (
        LineProblem(2, ProblemCode.BAD_DATE, "Date", "31/02/2026"),
        LineProblem(2, ProblemCode.BAD_AMOUNT, "Amount", "ten"),
        LineProblem(2, ProblemCode.NO_DESCRIPTION, "Description", ""),
        LineProblem(4, ProblemCode.FUTURE_DATE, "Date", "2027-01-01"),
        LineProblem(4, ProblemCode.ZERO_AMOUNT, "Amount", "0"),
        LineProblem(5, ProblemCode.MISSING_COLUMN, "Description", ""),
    )
    assert not parsed.is_clean


def test_a_problem_value_is_cut_to_60_characters():
    parsed = parse_lines(raw(("x" * 200, "TESCO", "-1.00")), SIGNED, TODAY)
    assert parsed.problems[0].value == "x" * 60


def test_a_column_beyond_the_header_has_no_name():
    statement = RawStatement(headers=("Date",), rows=((2, ("01/11/2026", "TESCO", "nope")),))
    assert parse_lines(statement, SIGNED, TODAY).problems == (LineProblem(2, ProblemCode.BAD_AMOUNT, None, "nope"),)


def test_is_clean_needs_at_least_one_line():
    assert not ParsedStatement(lines=(), problems=()).is_clean
    assert ParsedStatement(lines=(line(2, TODAY, 1),), problems=()).is_clean


# ---- duplicates ----------------------------------------------------------------------------------


def recorded(on: date, pence: int, direction: Direction = Direction.OUT) -> ExistingEntry:
    return ExistingEntry(on, pence, direction, "Tesco food shop")


@pytest.mark.parametrize(
    ("days_later", "flagged"),
    [(-4, False), (-3, True), (0, True), (3, True), (4, False)],
)
def test_an_entry_recorded_by_hand_matches_within_three_days(days_later, flagged):
    on = date(2026, 11, 5)
    result = find_duplicates([line(2, on, 2000)], [recorded(on + timedelta(days=days_later), 2000)])
    assert result == ({2: DuplicateReason.ALREADY_RECORDED} if flagged else {})


def test_a_recorded_entry_needs_the_same_amount_and_direction():
    on = date(2026, 11, 5)
    existing = [recorded(on, 2001), recorded(on, 2000, Direction.IN)]
    assert find_duplicates([line(2, on, 2000)], existing) == {}


def test_one_recorded_entry_matches_only_one_of_two_genuine_payments():
    on = date(2026, 11, 5)
    lines = [line(2, on, 2000, text="CASH MACHINE"), line(3, on, 2000, text="JO SMITH PA")]
    assert find_duplicates(lines, [recorded(on, 2000)]) == {2: DuplicateReason.ALREADY_RECORDED}


def test_matching_pairs_as_many_lines_as_possible():
    # The first line could take either entry; taking the earlier leaves the later for the second line.
    lines = [line(2, date(2026, 11, 3), 2000, text="A"), line(3, date(2026, 11, 8), 2000, text="B")]
    existing = [recorded(date(2026, 11, 1), 2000), recorded(date(2026, 11, 5), 2000)]
    assert find_duplicates(lines, existing) == {
        2: DuplicateReason.ALREADY_RECORDED,
        3: DuplicateReason.ALREADY_RECORDED,
    }


def test_an_exact_repeat_in_the_file_flags_the_later_line():
    on = date(2026, 11, 5)
    lines = [line(2, on, 2000), line(3, on, 2000, text="BOOTS"), line(4, on, 2000), line(5, on, 2000, Direction.IN)]
    assert find_duplicates(lines, []) == {4: DuplicateReason.REPEATED_IN_FILE}


def test_a_repeat_that_was_also_recorded_twice_is_already_recorded():
    on = date(2026, 11, 5)
    lines = [line(2, on, 2000), line(3, on, 2000)]
    assert find_duplicates(lines, [recorded(on, 2000)]) == {
        2: DuplicateReason.ALREADY_RECORDED,
        3: DuplicateReason.REPEATED_IN_FILE,
    }
    assert find_duplicates(lines, [recorded(on, 2000), recorded(on, 2000)]) == {
        2: DuplicateReason.ALREADY_RECORDED,
        3: DuplicateReason.ALREADY_RECORDED,
    }


# ---- plan items ----------------------------------------------------------------------------------

PLAN = [
    PlanItemWords("care", "Personal care in the morning Anytown Home Care Ltd"),
    PlanItemWords("pa", "Personal assistant wages Jo Smith"),
    PlanItemWords("swim", "Swimming sessions Anytown Leisure Centre"),
]


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("ANYTOWN HOME CARE", "care"),
        ("ANYTOWN HOMECA", "care"),  # cut short by the bank
        ("CARD PAYMENT TO ANYTOWN HOMECARE LTD", "care"),
        ("JO SMITH PA WAGES", "pa"),
        ("ANYTOWN LEISURE CEN", "swim"),
        ("SWIMMIN", "swim"),
        ("ANYTOWN", None),  # in two items' words: a tie is not guessed
        ("TESCO STORES 2041", None),
        ("", None),
    ],
)
def test_suggest_plan_item(description, expected):
    assert suggest_plan_item(line(2, TODAY, 100, text=description), PLAN) == expected


def test_the_payee_counts_towards_the_suggestion():
    statement_line = StatementLine(2, TODAY, "FASTER PAYMENT", "Jo Smith", 24000, Direction.OUT)
    assert suggest_plan_item(statement_line, PLAN) == "pa"


def test_money_in_is_never_matched_to_a_plan_item():
    assert suggest_plan_item(line(2, TODAY, 100, Direction.IN, "ANYTOWN HOME CARE"), PLAN) is None


def test_the_same_key_twice_is_not_a_tie():
    items = [PlanItemWords("care", "Anytown Home Care"), PlanItemWords("care", "Anytown Carers")]
    assert suggest_plan_item(line(2, TODAY, 100, text="ANYTOWN"), items) == "care"


def test_short_and_common_words_do_not_match():
    items = [PlanItemWords("a", "The card payment for Jo"), PlanItemWords("b", "Gardening")]
    assert suggest_plan_item(line(2, TODAY, 100, text="THE CARD PAYMENT FOR JO"), items) is None


# ---- properties ----------------------------------------------------------------------------------

descriptions = st.text(
    alphabet=st.characters(categories=("L", "N"), include_characters="\n ,.;'\"&-/()£*#\t"), min_size=1, max_size=40
).map(str.strip)
statement_lines = st.lists(
    st.tuples(
        st.dates(min_value=date(2000, 1, 1), max_value=TODAY + timedelta(days=1)),
        st.integers(min_value=1, max_value=10**11 - 1),
        st.sampled_from(Direction),
        descriptions.filter(bool),
    ),
    min_size=1,
    max_size=20,
)
date_formats = st.sampled_from(
    [
        lambda on: on.strftime("%d/%m/%Y"),
        lambda on: on.isoformat(),
        lambda on: on.strftime("%d %b %Y"),
        lambda on: f"{on.day}.{on.month}.{on.year}",
    ]
)
amount_formats = st.sampled_from([lambda p: f"{p // 100}.{p % 100:02d}", lambda p: f"£{p // 100:,}.{p % 100:02d}"])


@settings(max_examples=200)
@given(rows=statement_lines, format_date=date_formats, format_amount=amount_formats)
def test_a_written_statement_reads_back_exactly(rows, format_date, format_amount):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["Date", "Description", "Paid out", "Paid in"])
    for on, pence, direction, description in rows:
        money = [format_amount(pence), ""] if direction is Direction.OUT else ["", format_amount(pence)]
        writer.writerow([format_date(on), description, *money])
    statement = read_statement(buffer.getvalue().encode())
    parsed = parse_lines(statement, guess_mapping(statement.headers), TODAY)
    assert parsed.problems == ()
    assert [(ln.occurred_on, ln.amount_pence, ln.direction, ln.description) for ln in parsed.lines] == rows
    assert [ln.line_number for ln in parsed.lines] == sorted({ln.line_number for ln in parsed.lines})


csv_like_bytes = st.one_of(
    st.binary(max_size=600),
    st.text(alphabet=st.sampled_from(list(',;\t"\r\n £-.()/0123456789DateCRabc\x00é')), max_size=600).map(str.encode),
    st.tuples(st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE]), st.binary()).map(
        b"".join
    ),
)


@settings(max_examples=300)
@given(content=csv_like_bytes)
def test_any_bytes_either_read_or_raise_a_statement_error(content):
    try:
        statement = read_statement(content)
    except StatementError as error:
        assert isinstance(error.code, StatementErrorCode)
        return
    assert statement.rows
    assert all(number >= 1 for number, _ in statement.rows)


cells = st.text(alphabet=st.sampled_from(list(" £-.,()/0123456789DRCNovT:x")), max_size=14)
raw_statements = st.builds(
    RawStatement,
    headers=st.lists(cells, max_size=6).map(tuple),
    rows=st.lists(
        st.tuples(st.integers(min_value=1, max_value=10**6), st.lists(cells, max_size=7).map(tuple)), max_size=8
    ).map(tuple),
)
columns = st.integers(min_value=0, max_value=6)
mappings = st.builds(
    ColumnMapping,
    date=columns,
    description=columns,
    amount=st.none() | columns,
    paid_out=st.none() | columns,
    paid_in=columns,
    payee=st.none() | columns,
)


@settings(max_examples=300)
@given(statement=raw_statements, mapping=mappings)
def test_parse_lines_never_raises_and_accounts_for_every_row(statement, mapping):
    parsed = parse_lines(statement, mapping, TODAY)
    good = {ln.line_number for ln in parsed.lines}
    bad = {problem.line_number for problem in parsed.problems}
    assert good | bad == {number for number, _ in statement.rows}
    assert all(ln.amount_pence > 0 for ln in parsed.lines)
    assert all(len(problem.value) <= 60 for problem in parsed.problems)
