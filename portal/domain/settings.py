"""A person's settings: how the council contacts them, and how pages look for them (issue #8).

The choices are fixed here; the words for them live with the pages, so they can be translated.
"""

import re

CONTACT_METHODS = ("email", "phone", "letter")
# "standard" is stored as no choice at all, so an account that never chose gets the standard size.
TEXT_SIZES = ("standard", "large", "largest")
CONTRASTS = ("standard", "high")

PHONE_LONGEST = 40  # the column's length; a real number with spaces is well under it
# Spaces, hyphens and brackets are how people write numbers ("(01632) 960 001"); they carry no meaning.
_SEPARATORS = re.compile(r"[ \-()]")
# UK numbers: 0 then 9 or 10 digits (Ofcom's national format), or the same after +44 or 0044 without the 0.
_UK_NUMBER = re.compile(r"(?:0|\+44|0044)[1-9]\d{8,9}", re.ASCII)


def uk_phone_number(typed: str) -> str | None:
    """The number tidied (spaces collapsed, ends trimmed) if it is a UK number, else None.

    "+44 (0)20 …" is common and means "+44 20 …": the "(0)" is dropped before checking.
    """
    tidy = " ".join(typed.split())
    if not tidy or len(tidy) > PHONE_LONGEST or not tidy.isprintable():
        return None
    digits = _SEPARATORS.sub("", tidy.replace("(0)", ""))
    return tidy if _UK_NUMBER.fullmatch(digits) else None


def page_classes(text_size: str | None, high_contrast: bool) -> tuple[str, ...]:
    """The classes on <html> that make every page larger or higher in contrast (styles in portal/assets/app.scss)."""
    classes = []
    if text_size in TEXT_SIZES and text_size != "standard":
        classes.append(f"cc-text-{text_size}")
    if high_contrast:
        classes.append("cc-high-contrast")
    return tuple(classes)
