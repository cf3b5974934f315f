"""Fuzzing the content loader (#10): a broken content file stops start-up with a ContentError naming the file and
the field, never a KeyError, TypeError or AttributeError from deep inside."""

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.content.load import ContentError, load_content
from tests.mutations import paths_in

CONTENT = Path(__file__).resolve().parents[3] / "content"
# Every file the loader reads (the directory's services are imported into the database instead, and fuzzed there).
FILES = sorted(
    str(path.relative_to(CONTENT))
    for path in CONTENT.rglob("*")
    if path.suffix in (".yml", ".json") and path.name != "services.json"
)
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

WRONG_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(["", "x" * 5000, "%(no_such_placeholder)s", "100%", "\x00", "2026-02-30", [], {}, [1, "a"]]),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@pytest.fixture(scope="module")
def content_copy(tmp_path_factory):
    root = tmp_path_factory.mktemp("content") / "content"
    shutil.copytree(CONTENT, root)
    return root


def _loads_or_names_the_file(root: Path, relative: str):
    try:
        load_content(root)
    except ContentError as problem:
        assert problem.path.name == Path(relative).name or problem.path == root / "ras", problem
        assert problem.field and problem.message
        assert str(root) in str(problem)


@FUZZ
@given(relative=st.sampled_from(FILES), data=st.data())
def test_a_mutated_content_file_is_loaded_or_named_in_a_content_error(content_copy, relative, data):
    path = content_copy / relative
    original = path.read_bytes()
    tree = yaml.load(original, Loader=Loader)
    for _ in range(data.draw(st.integers(1, 3))):
        where = data.draw(st.sampled_from([p for p in paths_in(tree) if p]))
        parent = tree
        for step in where[:-1]:
            parent = parent[step]
        if isinstance(parent, dict) and data.draw(st.booleans()):
            del parent[where[-1]]  # a key left out
        else:
            parent[where[-1]] = data.draw(WRONG_VALUES)  # a wrong type, a huge number, an unknown placeholder
        if not isinstance(tree, (dict, list)):
            break
    try:
        path.write_text(yaml.dump(tree, Dumper=Dumper, allow_unicode=True), encoding="utf-8")
        _loads_or_names_the_file(content_copy, relative)
    finally:
        path.write_bytes(original)


@FUZZ
@given(
    relative=st.sampled_from(FILES),
    text=st.one_of(
        st.text(max_size=200),
        st.binary(max_size=200).map(lambda raw: raw.decode("latin-1")),
        st.sampled_from(["", "[", "{a: [1, 2", "- - -", "a: &x [*x]", "!!python/object:os.system {}", "\t- tab"]),
    ),
    as_bytes=st.booleans(),
)
def test_random_text_in_a_content_file_is_named_in_a_content_error(content_copy, relative, text, as_bytes):
    path = content_copy / relative
    original = path.read_bytes()
    try:
        path.write_bytes(text.encode("latin-1", errors="replace") if as_bytes else text.encode())
        _loads_or_names_the_file(content_copy, relative)
    finally:
        path.write_bytes(original)
