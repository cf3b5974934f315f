"""Check Open Referral UK 3.0 records against the vendored, pinned schemas (portal/oruk/schema/)."""

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.protocols import Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"


@dataclass(frozen=True)
class Problem:
    record: str  # the record's id, or its position when it has no usable id
    field: str  # a JSON path inside the record, like $.cost_options[0].amount
    message: str

    def __str__(self) -> str:
        return f"{self.record}: {self.field}: {self.message}"


def _schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    return loaded


@cache
def _validator(name: str) -> Validator:
    schema = _schema(name)
    # The ORUK files declare no $schema: they are written for JSON Schema 2020-12.
    registry: Registry[Any] = Registry().with_resources(
        (other, Resource.from_contents(_schema(other), default_specification=DRAFT202012))
        for other in ("taxonomy.json", "taxonomy_term.json")
    )
    validator = Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())
    return validator


def _nul_characters(value: object, path: str = "$") -> Iterator[str]:
    """Where a NUL character hides: the schema allows it, PostgreSQL cannot store it in text, no service needs it."""
    if isinstance(value, str) and "\x00" in value:
        yield path
    elif isinstance(value, Mapping):
        for key, child in value.items():
            yield from _nul_characters(key, path)
            yield from _nul_characters(child, f"{path}.{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _nul_characters(child, f"{path}[{index}]")


def _problems(name: str, record: object, position: int) -> list[Problem]:
    label = record.get("id") if isinstance(record, Mapping) else None
    where = str(label) if isinstance(label, str) and label else f"record {position + 1}"
    errors = sorted(_validator(name).iter_errors(record), key=lambda e: list(e.absolute_path))
    nul = [Problem(where, path, "contains a NUL character") for path in _nul_characters(record)]
    return [Problem(where, error.json_path, error.message) for error in errors] + nul


def service_problems(record: object, position: int = 0) -> list[Problem]:
    return _problems("service.json", record, position)


def taxonomy_problems(record: object, position: int = 0) -> list[Problem]:
    return _problems("taxonomy.json", record, position)


def duplicate_ids(records: Iterable[Mapping[str, Any]]) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for record in records:
        service_id = record.get("id")
        if isinstance(service_id, str) and service_id in seen:
            problems.append(Problem(service_id, "$.id", "the same id is given to two services"))
        if isinstance(service_id, str):
            seen.add(service_id)
    return problems


def read_services(text: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Services from an ORUK JSON file: a list of services, one service, or a paged list (`contents`).

    Every record is checked; the problems name the record's id and the field. Nothing is half-read:
    with any problem, the caller should import nothing.
    """
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError as error:
        return [], [Problem("(file)", f"line {error.lineno}, column {error.colno}", f"not valid JSON: {error.msg}")]
    if isinstance(loaded, dict) and isinstance(loaded.get("contents"), list):
        loaded = loaded["contents"]
    records = loaded if isinstance(loaded, list) else [loaded]
    problems = [problem for position, record in enumerate(records) for problem in service_problems(record, position)]
    if not records:
        problems.append(Problem("(file)", "$", "there are no services in the file"))
    if not problems:
        problems = duplicate_ids(records)
    return (records if not problems else []), problems
