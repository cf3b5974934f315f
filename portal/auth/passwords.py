"""Passwords a guesser would try first: NCSC's password guidance (block common ones, favour length, no composition
rules) and NIST SP 800-63B 3.1.1.2 (block context-specific words: the service's name, the person's own details)."""

import enum
import functools
import re
from collections.abc import Iterable
from pathlib import Path

COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
SERVICE_NAMES = ("Choice and Control",)
# The error message (in English) offers this as an example, so someone will type it: it must be refused too.
EXAMPLE_PASSPHRASE = "otter lantern biscuit"
# Shorter pieces of a name ("Al", "Jo") are too short to guess from, and would refuse too much.
SHORTEST_PERSONAL_WORD = 3

_EDGE_DIGITS = re.compile(r"^\d+|\d+$")
_REPEATED = re.compile(r"^(.+?)\1+$")
_WORD_SEPARATORS = re.compile(r"[^\w]+|_")


class Guessable(enum.Enum):
    COMMON = "on the common password list, or close to it"
    ABOUT_THEM = "made from the person's name or email address, or the service's name"


@functools.cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("# "))


def _squashed(text: str) -> str:
    """Lower case, letters and digits only: "Pass word!" and "password" are the same guess."""
    return "".join(character for character in text.lower() if character.isalnum())


def _stem(squashed: str) -> str:
    """Without digits at either end: "sunshine1985" is tried straight after "sunshine"."""
    return _EDGE_DIGITS.sub("", squashed)


def words_about(*details: str) -> frozenset[str]:
    """The person's details (name, email address) as a guesser would use them: whole, and word by word."""
    words: set[str] = set()
    for detail in details:
        local_part = detail.partition("@")[0]
        for text in (detail, local_part, *_WORD_SEPARATORS.split(local_part)):
            squashed = _squashed(text)
            if len(squashed) >= SHORTEST_PERSONAL_WORD:
                words.add(squashed)
    return frozenset(words)


def guessable(password: str, personal_words: Iterable[str] = ()) -> Guessable | None:
    """Why the password is easy to guess, or None. Compared without case, spaces, punctuation or edge digits."""
    squashed = _squashed(password)
    candidates = {password.lower().strip(), squashed, _stem(squashed)} - {""}
    if candidates & (common_passwords() | {_squashed(EXAMPLE_PASSPHRASE)}):
        return Guessable.COMMON
    if any(_REPEATED.match(text) for text in (password.lower(), squashed)):
        return Guessable.COMMON  # "aaaaaaaaaa", "abcabcabcabc", "passwordpassword"
    if candidates & {*personal_words, *(_squashed(name) for name in SERVICE_NAMES)}:
        return Guessable.ABOUT_THEM
    return None
