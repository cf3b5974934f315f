"""For fuzz tests that break one part of a real file: every place in its parsed tree."""


def paths_in(value, path=()):
    """Each path (keys and list indexes) to a value in a tree of dicts and lists, the root first."""
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths_in(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths_in(child, (*path, index))
