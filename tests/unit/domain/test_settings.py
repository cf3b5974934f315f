import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.settings import PHONE_LONGEST, page_classes, uk_phone_number


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("07700900982", "07700900982"),
        ("07700 900 982", "07700 900 982"),
        ("  07700   900 982 ", "07700 900 982"),
        ("01632 960 001", "01632 960 001"),
        ("(01632) 960001", "(01632) 960001"),
        ("0169 77 12345", "0169 77 12345"),  # a ten-digit number: some areas still have them
        ("+44 808 157 0192", "+44 808 157 0192"),
        ("+447700900982", "+447700900982"),
        ("+44 (0)20 7946 0000", "+44 (0)20 7946 0000"),
        ("0044 20 7946 0000", "0044 20 7946 0000"),
        ("020-7946-0000", "020-7946-0000"),
    ],
)
def test_uk_numbers_are_accepted_and_kept_as_typed(typed, kept):
    assert uk_phone_number(typed) == kept


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "phone me",
        "7700900982",  # no leading 0
        "077009009",  # too short: 9 digits after the 0 is the fewest
        "077009009821",  # too long
        "00 7700 900982",  # a 0 after the first 0
        "+1 415 555 0100",  # not a UK number
        "+44 07700 900982",  # +44 replaces the 0
        "07700.900.982",
        "07700 900 982 ext 2",
        "07700\x00900982",
        "07700\u202e900982",  # a right-to-left override
        "٠٧٧٠٠٩٠٠٩٨٢",  # digits, but not the ones a council phone system dials
        "0" * 10_000,
        "0 " * (PHONE_LONGEST // 2 + 1) + "7700900982",
    ],
)
def test_anything_else_is_not_a_uk_number(typed):
    assert uk_phone_number(typed) is None


@given(st.text(max_size=200))
def test_a_number_that_is_accepted_fits_its_column_and_is_printable(typed):
    kept = uk_phone_number(typed)
    if kept is not None:
        assert len(kept) <= PHONE_LONGEST
        assert kept.isprintable() and kept == kept.strip()


@pytest.mark.parametrize(
    ("text_size", "high_contrast", "classes"),
    [
        (None, False, ()),
        ("standard", False, ()),
        ("large", False, ("cc-text-large",)),
        ("largest", True, ("cc-text-largest", "cc-high-contrast")),
        (None, True, ("cc-high-contrast",)),
        ("huge", False, ()),  # never a class from an unexpected value
        ('large" onload="x', False, ()),
    ],
)
def test_page_classes(text_size, high_contrast, classes):
    assert page_classes(text_size, high_contrast) == classes
