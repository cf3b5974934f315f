"""What browsers send, as the portal reads it: form fields and query strings with no NUL characters."""

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items

NUL, REPLACEMENT = "\x00", "\ufffd"


def _without_nul(value):
    return value.replace(NUL, REPLACEMENT) if isinstance(value, str) else value  # uploaded files are left as they are


class _WithoutNul(ImmutableMultiDict):
    def __init__(self, mapping=None):
        pairs = None if mapping is None else [(_without_nul(k), _without_nul(v)) for k, v in iter_multi_items(mapping)]
        super().__init__(pairs)


class PortalRequest(Request):
    """Nobody types a NUL, and PostgreSQL cannot store one in text (SQLite can), so a save with one was a 500 there.
    As HTML does with a NUL in a page, it becomes U+FFFD "�" as the form and query string are read: a choice with one
    is still refused as not a choice, and text keeps a visible mark where it was, on either database."""

    parameter_storage_class = _WithoutNul
