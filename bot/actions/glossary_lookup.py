"""Which glossary terms and help topics a message comes closest to, for "did you mean…?" (no Rasa, no I/O)."""

import difflib
import re
from collections.abc import Iterable


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def closest(message: str, names: Iterable[tuple[str, str]], how_many: int = 3) -> list[str]:
    """Ids whose names share the most words with the message, typos forgiven; best first, at most `how_many`."""
    said = words(message)
    scored = []
    for ident, name in names:
        wanted = words(name)
        score = sum(
            1 for word in wanted if len(word) > 2 and difflib.get_close_matches(word, said, n=1, cutoff=0.8)
        ) / max(1, len(wanted))
        if score:
            scored.append((-score, ident))
    return [ident for _score, ident in sorted(scored)[:how_many]]
