"""The generated types against the schemas' own examples.

Every ``schema/<platform>/{events,resources,params}/*.json`` carries exactly one example;
each test below is parametrized over those files, so a failure names the schema file.
The converter rules themselves are tested in isolation in ``test_converter.py``; the
registries are checked against the provider documentation in ``test_types_providers.py``.
"""

from __future__ import annotations

import copy
import inspect
import json
import subprocess
import sys
import typing
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import pytest

from agentstream._converter import PLATFORMS, structure, structure_event, unstructure
from agentstream._exceptions import EventDecodeError
from agentstream.types import UnknownEvent, everruns, m8tes
from agentstream.types import managed_agents as ma

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema"

EVENT_FILES = sorted(SCHEMA.glob("*/events/*.json"))
RESOURCE_FILES = sorted(SCHEMA.glob("*/resources/*.json"))
PARAM_FILES = sorted(SCHEMA.glob("*/params/*.json"))


def drop_nulls(value: Any) -> Any:
    """`value` with every None-valued dict key removed, recursively.

    On these platforms an absent field and a null one mean the same, and the SDK
    normalizes accordingly: ``unstructure`` leaves out optional fields that are None,
    while an example may spell the null out (``"processed_at": null``) and a required
    nullable field is kept as null. Comparing both sides without nulls compares what the
    wire *means*, not how the sender spelt absence. List items are kept as they are.
    """
    if isinstance(value, dict):
        return {key: drop_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [drop_nulls(item) for item in value]
    return value


@cache
def _schema(path: Path) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def _example(path: Path) -> dict[str, Any]:
    """A fresh copy of the file's only example (tests may keep or mutate it)."""
    (example,) = _schema(path)["examples"]
    return copy.deepcopy(example)


def _platform(path: Path) -> str:
    return path.parent.parent.name


def _wire_type(path: Path) -> str:
    wire_type: str = _schema(path)["properties"]["type"]["const"]
    return wire_type


def _decode(path: Path, data: dict[str, Any], *, strict: bool) -> Any:
    """structure_event as a stream calls it: lifecycle frames without ``type`` get the
    SSE ``event:`` name as `event_type`."""
    event_type = None if "type" in data else _wire_type(path)
    return structure_event(_platform(path), data, event_type=event_type, strict=strict)


def _ids(paths: list[Path]) -> list[str]:
    return [p.relative_to(SCHEMA).as_posix() for p in paths]


#: Event schemas with a required field besides ``type``.
REQUIRED_FILES = [p for p in EVENT_FILES if set(_schema(p).get("required", [])) - {"type"}]


# --- examples ------------------------------------------------------------------------


@pytest.mark.parametrize("path", EVENT_FILES, ids=_ids(EVENT_FILES))
def test_event_example_decodes_into_its_class(path: Path) -> None:
    expected = PLATFORMS[_platform(path)].EVENT_TYPES[_wire_type(path)]
    for strict in (True, False):
        example = _example(path)
        event = _decode(path, example, strict=strict)
        assert type(event) is expected, (strict, getattr(event, "error", event))
        assert event.raw is example
        assert drop_nulls(unstructure(event)) == drop_nulls(_example(path)), strict


@pytest.mark.parametrize(
    "path", RESOURCE_FILES + PARAM_FILES, ids=_ids(RESOURCE_FILES + PARAM_FILES)
)
def test_resource_and_param_examples_round_trip(path: Path) -> None:
    module = PLATFORMS[_platform(path)]
    registry = module.RESOURCE_TYPES if path.parent.name == "resources" else module.PARAM_TYPES
    cls = registry[path.stem]
    obj = structure(_example(path), cls, strict=True)
    assert type(obj) is cls
    assert drop_nulls(unstructure(obj)) == drop_nulls(_example(path))


# --- strict and lenient decoding -----------------------------------------------------


def _missing_field_problem(path: Path, field: str) -> str | None:
    """What is wrong with decoding the example without `field`, or None."""
    payload = _example(path)
    del payload[field]
    try:
        _decode(path, payload, strict=True)
    except EventDecodeError as exc:
        if field not in str(exc) or field not in exc.path:
            return f"{field}: strict error does not name it: {exc} (path {exc.path!r})"
        if exc.event_type != _wire_type(path):
            return f"{field}: strict error has event_type {exc.event_type!r}"
    else:
        return f"{field}: strict mode accepted the payload without it"
    before = copy.deepcopy(payload)
    event = _decode(path, payload, strict=False)
    if not isinstance(event, UnknownEvent) or not isinstance(event.error, EventDecodeError):
        return f"{field}: lenient mode gave {event!r}, not an UnknownEvent with an error"
    if event.data is not payload or payload != before:
        return f"{field}: lenient mode did not keep the payload untouched"
    return None


@pytest.mark.parametrize("path", REQUIRED_FILES, ids=_ids(REQUIRED_FILES))
def test_missing_required_field(path: Path) -> None:
    fields = [field for field in _schema(path)["required"] if field != "type"]
    problems = [_missing_field_problem(path, field) for field in fields]
    assert [problem for problem in problems if problem] == []


@pytest.mark.parametrize("path", EVENT_FILES, ids=_ids(EVENT_FILES))
def test_extra_key_strict_rejects_lenient_keeps_in_raw(path: Path) -> None:
    payload = {**_example(path), "zz_not_in_schema": 1}
    with pytest.raises(EventDecodeError, match="zz_not_in_schema"):
        _decode(path, payload, strict=True)
    event = _decode(path, payload, strict=False)
    assert type(event) is PLATFORMS[_platform(path)].EVENT_TYPES[_wire_type(path)]
    assert event.raw is payload
    assert event.raw["zz_not_in_schema"] == 1


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "lenient"])
@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_unknown_type_round_trips_untouched(platform: str, strict: bool) -> None:
    data = {"type": "brand-new", "x": 1}
    event = structure_event(platform, data, strict=strict)
    assert event == UnknownEvent(type="brand-new", data={"type": "brand-new", "x": 1})
    assert event.data is data
    assert event.error is None
    assert unstructure(event) == {"type": "brand-new", "x": 1}

    untyped = structure_event(platform, {"x": 1}, strict=strict)
    assert untyped == UnknownEvent(type=None, data={"x": 1})


@pytest.mark.parametrize("bad_type", [["text-delta"], {"a": 1}])
def test_unhashable_type_value_is_an_unknown_event_not_a_crash(bad_type: Any) -> None:
    # UnknownEvent's contract: unknown events never crash and never vanish.
    data = {"type": bad_type, "x": 1}
    event = structure_event("m8tes", data)
    assert isinstance(event, UnknownEvent)
    assert event.data is data


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "lenient"])
def test_everruns_lifecycle_frames_dispatch_on_the_sse_event_name(strict: bool) -> None:
    connected = structure_event(
        "everruns", {"status": "connected"}, event_type="connected", strict=strict
    )
    assert type(connected) is everruns.EVENT_TYPES["connected"]
    assert unstructure(connected) == {"status": "connected"}

    frame = {"reason": "connection_cycle", "retry_ms": 100}
    disconnecting = structure_event("everruns", frame, event_type="disconnecting", strict=strict)
    assert type(disconnecting) is everruns.EVENT_TYPES["disconnecting"]
    assert disconnecting.raw is frame


# --- nested tagged unions and renamed fields -------------------------------------------

STOP_REASONS = {
    "end_turn": ({"type": "end_turn"}, ma.EndTurnStopReason),
    "requires_action": (
        {"type": "requires_action", "event_ids": ["sevt_1"]},
        ma.RequiresActionStopReason,
    ),
    "retries_exhausted": ({"type": "retries_exhausted"}, ma.RetriesExhaustedStopReason),
    "budget_reached": ({"type": "budget_reached"}, ma.BudgetReachedStopReason),
    "refusal": ({"type": "refusal"}, ma.RefusalStopReason),
}
IDLE = {"type": "session.status_idle", "id": "sevt_9", "processed_at": "2026-04-07T04:27:43Z"}


def test_stop_reason_variants_cover_the_generated_union() -> None:
    hint = typing.get_type_hints(ma.SessionStatusIdleEvent)["stop_reason"]
    assert set(typing.get_args(hint)) == {cls for _, cls in STOP_REASONS.values()}


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "lenient"])
@pytest.mark.parametrize("variant", sorted(STOP_REASONS))
def test_nested_tagged_union_variants(variant: str, strict: bool) -> None:
    stop_reason, cls = STOP_REASONS[variant]
    data = {**IDLE, "stop_reason": stop_reason}
    event = structure_event("managed_agents", data, strict=strict)
    assert type(event) is ma.SessionStatusIdleEvent
    assert type(event.stop_reason) is cls
    assert unstructure(event) == data


def test_nested_unknown_variant_lenient_stays_a_dict() -> None:
    stop_reason = {"type": "brand_new_reason", "detail": 1}
    data = {**IDLE, "stop_reason": stop_reason}
    event = structure_event("managed_agents", data)
    assert type(event) is ma.SessionStatusIdleEvent
    kept: Any = event.stop_reason  # annotated as the known variants only
    assert kept == stop_reason
    assert type(kept) is dict
    assert unstructure(event) == data


def test_nested_unknown_variant_strict_raises() -> None:
    data = {**IDLE, "stop_reason": {"type": "brand_new_reason"}}
    with pytest.raises(EventDecodeError, match="stop_reason") as info:
        structure_event("managed_agents", data, strict=True)
    assert "stop_reason" in info.value.path


def test_renamed_fields_m8tes_tool_call_start() -> None:
    cls = m8tes.EVENT_TYPES["tool-call-start"]
    wire = {"type": "tool-call-start", "toolCallId": "tc_1", "toolName": "gmail_search"}
    event = structure_event("m8tes", wire, strict=True)
    assert type(event) is cls
    assert (event.tool_call_id, event.tool_name) == ("tc_1", "gmail_search")
    assert unstructure(event) == wire
    built = cls(tool_call_id="tc_1", tool_name="gmail_search")
    assert unstructure(built) == wire
    assert built.raw == wire  # no wire dict to point to: the view is computed
    fields = attrs.fields_dict(cls)
    assert fields["tool_call_id"].metadata["wire"] == "toolCallId"
    assert fields["tool_name"].metadata["wire"] == "toolName"


# --- every generated class ----------------------------------------------------------


def _generated_classes(platform: str) -> list[Any]:
    module = PLATFORMS[platform]
    return [
        obj
        for obj in vars(module).values()
        if inspect.isclass(obj) and attrs.has(obj) and obj.__module__ == module.__name__
    ]


def _mutability_problem(cls: type) -> str | None:
    init_fields = [a for a in attrs.fields(cls) if a.init]
    if not all(a.kw_only for a in init_fields):
        return f"{cls.__name__}: a field is not keyword-only"
    try:
        cls(*[None] * max(len(init_fields), 1))
    except TypeError:
        pass
    else:
        return f"{cls.__name__}: positional construction worked"
    instance: Any = object.__new__(cls)  # no valid values are needed to prove frozenness
    try:
        setattr(instance, init_fields[0].name if init_fields else "anything", None)
    except attrs.exceptions.FrozenInstanceError:
        return None
    return f"{cls.__name__}: assigning an attribute worked"


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_generated_classes_are_frozen_and_keyword_only(platform: str) -> None:
    classes = _generated_classes(platform)
    assert set(PLATFORMS[platform].EVENT_TYPES.values()) <= set(classes)
    problems = [_mutability_problem(cls) for cls in classes]
    assert [problem for problem in problems if problem] == []


# --- codegen (last, so that it runs in the background of everything above) ---------


@pytest.fixture(scope="module", autouse=True)
def codegen_check(request: pytest.FixtureRequest) -> Iterator[subprocess.Popen[str] | None]:
    """``python -m codegen --check``, started when this module's first test runs.

    It takes several seconds (five generator runs), so it runs in the background while
    the other tests run; ``test_codegen_is_current`` waits for its result. It is only
    started when that test was selected."""
    if not any(item.name == "test_codegen_is_current" for item in request.session.items):
        yield None
        return
    python = ROOT / ".venv" / "bin" / "python"
    executable = str(python) if python.exists() else sys.executable
    command = [executable, "-m", "codegen", "--check"]
    with subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        yield proc
        if proc.returncode is None:  # the test did not run (the session stopped early)
            proc.communicate(timeout=120)


def test_codegen_is_current(codegen_check: subprocess.Popen[str] | None) -> None:
    assert codegen_check is not None
    _, stderr = codegen_check.communicate(timeout=120)
    assert codegen_check.returncode == 0, stderr[-3000:]


def _string_field(path: Path) -> str | None:
    """A plain string field (not the tag) that the file's example sets, if any."""
    example, schema = _example(path), _schema(path)
    for name, spec in schema.get("properties", {}).items():
        if spec.get("type") == "string" and name != "type" and name in example:
            return name
    return None


WITH_STRINGS = [p for p in EVENT_FILES if _string_field(p) is not None]


@pytest.mark.parametrize("path", WITH_STRINGS, ids=_ids(WITH_STRINGS))
def test_a_wrong_scalar_type_is_never_coerced(path: Path) -> None:
    """A str field given null, a number or an object is not turned into text: lenient
    decoding gives an UnknownEvent carrying the error, strict decoding raises. (cattrs'
    default str hook would make ``null`` the text "None", and it would reach .text.)"""
    name = _string_field(path)
    for wrong in (None, 5, {"a": 1}):
        bad = {**_example(path), name: wrong}
        event = _decode(path, bad, strict=False)
        assert isinstance(event, UnknownEvent) and event.error is not None, (name, wrong)
        with pytest.raises(EventDecodeError):
            _decode(path, bad, strict=True)


def test_most_events_have_a_string_field_to_check() -> None:
    assert len(WITH_STRINGS) > len(EVENT_FILES) // 2
