"""The Jargon buster's search: words, abbreviations, other names and common misspellings, in the reader's language."""

import difflib
import unicodedata
from collections.abc import Iterable

from portal.content.schema import Glossary, GlossaryTerm
from portal.templating import translate


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if c.isalnum() or c.isspace()).strip()


def _names(term: GlossaryTerm) -> list[str]:
    """Everything a person might type for a term: its name in English and in their language, and the rest."""
    return [_plain(name) for name in (term.name, translate(term.name), *term.also_called, *term.misspellings)]


def matching_terms(glossary: Glossary, words: str) -> list[GlossaryTerm]:
    """Terms whose names contain the words, or (for a typo) come close to them; all terms when no words."""
    wanted = _plain(words)
    if not wanted:
        return list(glossary.terms)
    found = []
    for term in glossary.terms:
        names = _names(term)
        explanation = _plain(translate(term.explanation))
        if any(wanted in name for name in names) or (len(wanted) > 3 and wanted in explanation):
            found.append(term)
    if found:
        return found
    close = {name: term for term in glossary.terms for name in _names(term)}
    nearest = [close[name] for name in difflib.get_close_matches(wanted, list(close), n=8, cutoff=0.75) if name]
    return list(dict.fromkeys(nearest))[:5]  # one entry a term, nearest first


def terms_by_letter(terms: Iterable[GlossaryTerm]) -> list[tuple[str, list[GlossaryTerm]]]:
    """A to Z by the name as the reader sees it."""
    letters: dict[str, list[GlossaryTerm]] = {}
    for term in sorted(terms, key=lambda t: _plain(translate(t.name))):
        letter = (_plain(translate(term.name))[:1] or "#").upper()
        letters.setdefault(letter, []).append(term)
    return list(letters.items())
