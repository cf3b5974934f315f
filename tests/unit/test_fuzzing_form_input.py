"""Fuzzing how numbers sent back by pages are read (#10): the number or the default, never an error."""

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.form_input import whole_number


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(sent=st.one_of(st.none(), st.integers(), st.text(), st.sampled_from(["²", "٣", "9" * 5000, "-1", " 7", "1e3"])))
def test_any_value_is_a_whole_number_in_range_or_the_default(sent):
    found = whole_number(sent, default=-1, most=1000)
    assert found == -1 or (0 <= found <= 1000 and str(found) == sent.lstrip("0").rjust(1, "0"))


def test_plain_digits_are_read():
    assert [whole_number(sent, default=-1) for sent in ["0", "7", "0042", "1000000000", "1000000001"]] == [
        0,
        7,
        42,
        10**9,
        -1,
    ]
