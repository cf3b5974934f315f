"""A Babel extractor for the content files, so questions and hints are translated like the pages are.

Registered in babel.cfg; `make translations` runs it over content/. Only the keys people read are taken.
"""

from collections.abc import Iterator
from typing import IO

import yaml

READABLE_KEYS = frozenset({"title", "summary", "text", "hint", "why", "label", "answer_without_help_reminder"})


def _strings(node: yaml.Node, keys: frozenset[str]) -> Iterator[tuple[int, str]]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value in keys and isinstance(value, yaml.ScalarNode) and value.value.strip():
                yield value.start_mark.line + 1, value.value.strip()
            else:
                yield from _strings(value, keys)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _strings(item, keys)


def extract_content(
    fileobj: IO[bytes], keywords: object, comment_tags: object, options: dict[str, str] | None
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel's extractor protocol: (line, function name, message, comments) for each readable string.

    babel.cfg may name the keys to take (`keys = name description`); JSON files are read as YAML.
    """
    keys = frozenset((options or {}).get("keys", "").split()) or READABLE_KEYS
    root = yaml.compose(fileobj.read().decode("utf-8"))
    if root is not None:
        for line, text in _strings(root, keys):
            yield line, "_", text, []
