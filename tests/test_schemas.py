"""Checks every JSON Schema under ``schema/``, for every platform directory.

Each file must load, be a valid Draft 2020-12 schema whose ``$id`` matches its path, and
have every ``$ref`` resolve. Each event schema must name its wire type in
``properties.type.const`` (the file name without ``.json``), have a title and a description,
and carry exactly one example that validates; each resource schema must carry exactly one
valid example too. Titles must be unique within a platform.

Refs are resolved through a ``referencing`` registry holding every file under its ``$id``, so
``"../defs.json#/$defs/Name"`` works exactly as a code generator or a validator would see it.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

SCHEMA_ROOT = Path(__file__).resolve().parent.parent / "schema"
ID_PREFIX = "https://agentstream.dev/schema/"
DRAFT_URI = "https://json-schema.org/draft/2020-12/schema"

ALL_FILES = sorted(SCHEMA_ROOT.rglob("*.json"))
EVENT_FILES = [p for p in ALL_FILES if p.parent.name == "events"]
RESOURCE_FILES = [p for p in ALL_FILES if p.parent.name == "resources"]
PLATFORMS = (
    sorted(p.name for p in SCHEMA_ROOT.iterdir() if p.is_dir()) if SCHEMA_ROOT.is_dir() else []
)

# Keywords whose value is one subschema, a list of subschemas, or a name -> subschema map.
# Everything else (examples, const, enum, default, ...) is data and is not walked for $ref.
_ONE = frozenset(
    {
        "additionalProperties",
        "items",
        "contains",
        "not",
        "if",
        "then",
        "else",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "contentSchema",
    }
)
_MANY = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_MAP = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})


def _rel(path: Path) -> str:
    return path.relative_to(SCHEMA_ROOT).as_posix()


def _ids(paths: list[Path]) -> list[str]:
    return [_rel(p) for p in paths]


@cache
def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _registry() -> Registry[Any]:
    """All loadable schema files, keyed by their ``$id`` (broken files fail their own tests)."""
    resources = []
    for path in ALL_FILES:
        try:
            schema = _load(path)
        except (OSError, ValueError):
            continue
        if isinstance(schema, dict) and isinstance(schema.get("$id"), str):
            resources.append((schema["$id"], DRAFT202012.create_resource(schema)))
    return Registry().with_resources(resources)


def _validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(
        schema,
        registry=_registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def _refs(schema: Any, base: str, where: str = "#") -> list[tuple[str, str, str]]:
    """Every ``$ref`` in ``schema`` as (location, base URI, ref), following nested ``$id``."""
    if not isinstance(schema, dict):
        return []
    if isinstance(schema.get("$id"), str):
        base = urljoin(base, schema["$id"])
    found = []
    if isinstance(schema.get("$ref"), str):
        found.append((where, base, schema["$ref"]))
    for key, value in schema.items():
        if key in _ONE:
            found += _refs(value, base, f"{where}/{key}")
        elif key in _MANY and isinstance(value, list):
            for i, sub in enumerate(value):
                found += _refs(sub, base, f"{where}/{key}/{i}")
        elif key in _MAP and isinstance(value, dict):
            for name, sub in value.items():
                found += _refs(sub, base, f"{where}/{key}/{name}")
    return found


@pytest.mark.parametrize("path", ALL_FILES, ids=_ids(ALL_FILES))
def test_is_a_valid_draft_2020_12_schema(path: Path) -> None:
    schema = _load(path)
    assert isinstance(schema, dict), "a schema file must hold a JSON object"
    assert schema.get("$schema") == DRAFT_URI
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", ALL_FILES, ids=_ids(ALL_FILES))
def test_id_matches_the_file_path(path: Path) -> None:
    assert _load(path).get("$id") == ID_PREFIX + _rel(path)


@pytest.mark.parametrize("path", ALL_FILES, ids=_ids(ALL_FILES))
def test_every_ref_resolves(path: Path) -> None:
    schema = _load(path)
    unresolved = []
    for where, base, ref in _refs(schema, schema["$id"]):
        try:
            _registry().resolver(base_uri=base).lookup(ref)
        except Unresolvable as exc:
            unresolved.append(f"{where}: {ref!r} ({type(exc).__name__})")
    assert not unresolved, "unresolved $ref:\n" + "\n".join(unresolved)


@pytest.mark.parametrize("path", EVENT_FILES, ids=_ids(EVENT_FILES))
def test_event_type_const_is_the_file_name(path: Path) -> None:
    schema = _load(path)
    wire_type = path.name.removesuffix(".json")  # stems may contain dots: output.message.delta
    assert schema.get("type") == "object"
    assert schema.get("properties", {}).get("type", {}).get("const") == wire_type


@pytest.mark.parametrize(
    "path", EVENT_FILES + RESOURCE_FILES, ids=_ids(EVENT_FILES + RESOURCE_FILES)
)
def test_has_title_and_description(path: Path) -> None:
    schema = _load(path)
    for key in ("title", "description"):
        value = schema.get(key)
        assert isinstance(value, str), f"missing {key}"
        assert value.strip(), f"empty {key}"


@pytest.mark.parametrize(
    "path", EVENT_FILES + RESOURCE_FILES, ids=_ids(EVENT_FILES + RESOURCE_FILES)
)
def test_has_exactly_one_valid_example(path: Path) -> None:
    schema = _load(path)
    examples = schema.get("examples")
    assert isinstance(examples, list), "missing examples"
    assert len(examples) == 1, f"expected exactly one example, found {len(examples)}"
    try:
        errors = sorted(_validator(schema).iter_errors(examples[0]), key=lambda e: list(e.path))
    except Unresolvable:
        errors = None  # asserted outside the handler to keep the huge chained repr out
    assert errors is not None, "cannot validate the example: a $ref does not resolve"
    assert not errors, "example does not validate:\n" + "\n".join(
        f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors
    )


@pytest.mark.parametrize("platform", PLATFORMS)
def test_titles_are_unique_within_a_platform(platform: str) -> None:
    titles = Counter(
        schema["title"]
        for path in ALL_FILES
        if _rel(path).split("/")[0] == platform
        and isinstance(schema := _load(path), dict)
        and isinstance(schema.get("title"), str)
    )
    duplicates = sorted(title for title, count in titles.items() if count > 1)
    assert not duplicates, f"titles used more than once: {duplicates}"
