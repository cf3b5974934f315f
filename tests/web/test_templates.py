"""Guards on the templates themselves: no visible words outside a translation call, no unused imports."""

import re
from pathlib import Path

import pytest
from jinja2 import Environment
from jinja2.ext import i18n

TEMPLATES = sorted(Path("portal").glob("**/templates/**/*.html"))
TAG = re.compile(r"<[^>]*>", re.S)
COMMENT = re.compile(r"<!--.*?-->", re.S)
LETTERS = re.compile(r"[^\W\d_]{2,}")


def visible_text_outside_translation(source: str) -> list[str]:
    """Words in the template's own text (outside {{ }} and {% %}) that a reader would see."""
    env = Environment(extensions=[i18n])
    # Stand a marker in for every Jinja expression or statement, so tags split by them rejoin whole.
    text = "".join(
        value if token == "data" else ("\x00" if token.endswith("_begin") else "")
        for _, token, value in env.lex(source)
    )
    return LETTERS.findall(TAG.sub(" ", COMMENT.sub(" ", text)))


@pytest.mark.parametrize("template", TEMPLATES, ids=str)
def test_no_untranslated_words_in_templates(template):
    source = template.read_text()
    # Attribute values are text too: aria-label and the like must go through a translation call.
    for attribute in re.findall(r'(?:aria-label|alt|title|placeholder)="([^"{]+)"', source):
        pytest.fail(f"{template}: untranslated attribute text {attribute!r}")
    assert visible_text_outside_translation(source) == [], template


@pytest.mark.parametrize("template", TEMPLATES, ids=str)
def test_no_unused_imports(template):
    source = template.read_text()
    for names in re.findall(r"{%-?\s*from\s+\S+\s+import\s+([\w, ]+?)(?:\s+with(?:out)?\s+context)?\s*-?%}", source):
        for name in (n.strip() for n in names.split(",")):
            assert len(re.findall(rf"\b{name}\b", source)) > 1, f"{template}: {name} is imported but not used"


def test_the_guard_catches_a_bare_word():
    assert visible_text_outside_translation("<p>Hello {{ _('world') }}</p>") == ["Hello"]
    assert visible_text_outside_translation("<p class='x'>{{ _('Hello') }}</p><!-- note -->") == []
