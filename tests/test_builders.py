"""The lenient fast path (``_builders.py``) can only ever produce what cattrs does: for
every event schema's example, and for that example with any field (nested ones too)
replaced by a value of any JSON kind, the builder either declines (None) or builds an
event equal to cattrs' with the same wire dict kept in ``raw``."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentstream._builders import builder_for
from agentstream._converter import _LENIENT, PLATFORMS, structure_event
from agentstream.types import UnknownEvent

ROOT = Path(__file__).resolve().parent.parent


def example(path: Path) -> tuple[type | None, dict[str, Any]]:
    """The event class of a schema's example (None for a control frame such as
    Everruns' ``connected``, which has no ``type`` and is not an event) and the example."""
    data = json.loads(path.read_text(encoding="utf-8"))["examples"][0]
    platform = path.parent.parent.name
    return PLATFORMS[platform].EVENT_TYPES.get(data.get("type")), data


EVENT_FILES = [
    path
    for path in sorted((ROOT / "schema").glob("*/events/*.json"))
    if example(path)[0] is not None
]


def cattrs_view(data: dict[str, Any], cls: type) -> Any:
    try:
        return _LENIENT.structure(data, cls)
    except Exception:
        return None


def same_as_cattrs(cls: type, data: dict[str, Any]) -> None:
    build = builder_for(cls)
    if build is None:
        return
    built = build(data)
    expected = cattrs_view(data, cls)
    if built is None:
        return  # declined: cattrs decides, as structure_event does
    assert expected is not None, f"built {built!r} where cattrs refuses"
    assert built == expected
    assert built.raw is data


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*prefix, index)
            yield from paths(item, (*prefix, index))


def replaced(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(data)
    node: Any = out
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return out


WRONG = [None, 5, 2.5, True, "x", [], ["x"], {}, {"a": 1}]


@pytest.mark.parametrize("path", EVENT_FILES, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_the_builder_agrees_with_cattrs_on_every_field(path: Path) -> None:
    cls, data = example(path)
    assert cls is not None
    same_as_cattrs(cls, data)
    for where in paths(data):
        for wrong in WRONG:
            same_as_cattrs(cls, replaced(data, where, wrong))


def test_most_event_classes_have_a_builder() -> None:
    classes = {cls for name in PLATFORMS for cls in PLATFORMS[name].EVENT_TYPES.values()}
    built = [cls for cls in classes if builder_for(cls) is not None]
    assert len(built) >= 0.6 * len(classes), (len(built), len(classes))


def test_nested_events_take_the_fast_path() -> None:
    """The Everruns envelope (``data`` and ``context`` objects) is built directly."""
    cls = PLATFORMS["everruns"].EVENT_TYPES["output.message.delta"]
    assert builder_for(cls) is not None


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(EVENT_FILES), st.data())
def test_any_value_anywhere(path: Path, data: st.DataObject) -> None:
    cls, example_data = example(path)
    assert cls is not None
    spots = list(paths(example_data))
    if not spots:
        return
    where = data.draw(st.sampled_from(spots))
    same_as_cattrs(cls, replaced(example_data, where, data.draw(JSON)))


def test_a_string_is_never_a_list_of_characters() -> None:
    """A list field given a string is an error (lenient: an UnknownEvent carrying it),
    not the list of its characters; an object is not the list of its keys."""
    for wrong in ("notalist", {"a": 1}):
        event = structure_event(
            "managed_agents", {"type": "agent.message", "id": "e1", "content": wrong}
        )
        assert isinstance(event, UnknownEvent) and event.error is not None, wrong


def test_fast_constructors_make_what_the_classes_make() -> None:
    """The per-token common events made by ``_common_fast`` equal (and repr as) the
    classes' own, with defaults and without."""
    from agentstream import _common_fast
    from agentstream.types import common

    for name in _common_fast.__all__:
        cls, make = getattr(common, name), getattr(_common_fast, name)
        assert make is not cls  # a real fast path, not the class handed back
        fields = {a.alias: a for a in attrs.fields(cls) if a.init}
        required = {k: f"v-{k}" for k, a in fields.items() if a.default is attrs.NOTHING}
        optional = {k: f"o-{k}" for k, a in fields.items() if a.default is None}
        for kwargs in (required, {**required, **optional}):
            built, expected = make(**kwargs), cls(**kwargs)
            assert type(built) is cls and built == expected and repr(built) == repr(expected)
            assert built.raw == expected.raw
