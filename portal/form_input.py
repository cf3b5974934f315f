"""Whole numbers read from what a browser sent back: revision counters in hidden fields, page numbers, choices."""


def whole_number(sent: object, default: int, most: int = 10**9) -> int:
    """The number, or `default` for anything else: a missing field (the form's own int), a sign, a decimal point,
    '²' or other digits `int()` refuses, or thousands of digits (which `int()` refuses too, or a database cannot hold).
    """
    if not isinstance(sent, str) or not sent.isascii() or not sent.isdigit() or len(sent) > len(str(most)):
        return default
    number = int(sent)
    return number if number <= most else default
