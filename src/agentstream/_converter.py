"""One cattrs converter for every platform's generated types.

``structure_event(platform, data)`` is what the streams call for every event, so the
work is done once per class: cattrs generates a structure and an unstructure function
for each attrs class the first time it meets it, and dispatch is a dict lookup on the
wire ``type`` through the platform's generated registry (cattrs' own union
disambiguation guesses from field names, which is unsafe for these classes).
"""

from __future__ import annotations

import importlib
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import Any, Literal, Union

import attrs
import cattrs
import cattrs.v
from cattrs.cols import list_structure_factory
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.strategies import configure_union_passthrough

from ._builders import builder_for
from ._exceptions import EventDecodeError
from .types._unknown import UnknownEvent

__all__ = [
    "PLATFORMS",
    "configure_converter",
    "make_converter",
    "structure",
    "structure_event",
    "unstructure",
]


class _Platforms(Mapping[str, types.ModuleType]):
    """Platform name -> its generated module (EVENT_TYPES, RESOURCE_TYPES, PARAM_TYPES),
    each imported on first use: a program that streams one platform never pays for the
    classes of the others, and the converter's hooks are factories that build each
    class's functions the first time it is met."""

    NAMES = ("common", "everruns", "m8tes", "managed_agents", "shipit")

    def __init__(self) -> None:
        self._loaded: dict[str, types.ModuleType] = {}

    def __getitem__(self, name: str) -> types.ModuleType:
        try:
            return self._loaded[name]  # the per-event path: one dict lookup
        except KeyError:
            if name not in self.NAMES:
                raise
        module = self._loaded[name] = importlib.import_module(f"agentstream.types.{name}")
        return module

    def __iter__(self) -> Iterator[str]:
        return iter(self.NAMES)

    def __len__(self) -> int:
        return len(self.NAMES)


PLATFORMS: Mapping[str, types.ModuleType] = _Platforms()
_NONE = type(None)


def _union_members(tp: Any) -> tuple[Any, ...] | None:
    if typing.get_origin(tp) in (Union, types.UnionType):
        return typing.get_args(tp)
    return None


@cache
def _tag_of(cls: type) -> str | None:
    """The value of `cls`'s ``type: Literal[...]`` field, if it has exactly one."""
    hint = typing.get_type_hints(cls).get("type")
    args = typing.get_args(hint) if typing.get_origin(hint) is Literal else ()
    return args[0] if len(args) == 1 and isinstance(args[0], str) else None


def _tagged_members(tp: Any) -> list[type] | None:
    """The members of a union of attrs classes that each carry a distinct ``type`` tag."""
    members = _union_members(tp)
    if members is None:
        return None
    classes = [m for m in members if m is not _NONE]
    if len(classes) < 2 or not all(attrs.has(m) and _tag_of(m) for m in classes):
        return None
    if len({_tag_of(m) for m in classes}) != len(classes):
        return None  # two variants share a tag: dispatching on it would be a guess
    return classes


def _is_list(tp: Any) -> bool:
    origin: Any = typing.get_origin(tp)
    return origin is list


def _exact(kind: type) -> Callable[[Any, Any], Any]:
    def check(value: Any, _: Any) -> Any:
        if type(value) is not kind:
            raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    return check


def _number(value: Any, _: Any) -> float:
    if type(value) is float:
        return value
    if type(value) is int:  # JSON has one number type: 2 is a fine float
        return float(value)
    raise TypeError(f"expected a number, got {type(value).__name__}")


_SCALARS: dict[type, Callable[[Any, Any], Any]] = {
    str: _exact(str),
    int: _exact(int),
    bool: _exact(bool),
    float: _number,
}


def configure_converter(converter: cattrs.Converter, *, strict: bool) -> None:
    """Install agentstream's rules on `converter`:

    - attrs classes get generated structure/unstructure functions; fields whose wire
      name differs (``attrs.field(metadata={"wire": "toolCallId"})``) are renamed;
    - unstructuring leaves out optional fields that are None: on these platforms an
      absent field and a null one mean the same;
    - strict: unknown keys are an error; lenient: they are ignored (``.raw`` keeps them);
    - a union of attrs classes tagged by ``type`` dispatches on ``data["type"]``; an
      unknown tag is an error when strict and stays a plain dict when lenient;
    - unions of str, int, float, bool and None pass through as they are;
    - a str, int, float or bool field takes a value of that JSON type only (an int for a
      float): cattrs' default would turn ``null`` into ``"None"`` and ``5`` into ``"5"``,
      and that text would land in the transcript. A wrong type is an error (strict) or
      an UnknownEvent carrying it (lenient);
    - a list field takes a JSON array only: cattrs' default would make a string a list of
      its characters and an object the list of its keys.
    """
    configure_union_passthrough(str | int | float | bool | None, converter)
    for scalar, check in _SCALARS.items():
        converter.register_structure_hook(scalar, check)

    def structure_list(tp: Any) -> Callable[[Any, Any], Any]:
        items = list_structure_factory(tp, converter)

        def structure(value: Any, kind: Any) -> Any:
            if type(value) is not list:
                raise TypeError(f"expected a list, got {type(value).__name__}")
            return items(value, kind)

        return structure

    converter.register_structure_hook_factory(_is_list, structure_list)

    def structure_attrs(cls: type) -> Callable[[Any, Any], Any]:
        renames: dict[str, Any] = {
            a.name: override(rename=a.metadata["wire"])
            for a in attrs.fields(cls)
            if "wire" in a.metadata
        }
        return make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=strict, **renames)

    def unstructure_attrs(cls: type) -> Callable[[Any], Any]:
        fields: dict[str, Any] = {
            a.name: override(rename=a.metadata.get("wire"), omit_if_default=a.default is None)
            for a in attrs.fields(cls)
            if a.init
        }
        return make_dict_unstructure_fn(cls, converter, **fields)

    def structure_tagged(tp: Any) -> Callable[[Any, Any], Any]:
        members = _tagged_members(tp) or []
        table = {_tag_of(m): m for m in members}
        optional = _NONE in (_union_members(tp) or ())

        def structure(data: Any, _: Any) -> Any:
            if data is None and optional:
                return None
            cls = table.get(data.get("type")) if isinstance(data, Mapping) else None
            if cls is None:
                if strict:
                    raise ValueError(f"unknown variant {data!r:.80} for {tp}")
                return data
            return converter.structure(data, cls)

        return structure

    converter.register_structure_hook_factory(attrs.has, structure_attrs)
    converter.register_unstructure_hook_factory(attrs.has, unstructure_attrs)
    converter.register_structure_hook_factory(
        lambda tp: _tagged_members(tp) is not None, structure_tagged
    )


def make_converter(*, strict: bool = False, detailed: bool = True) -> cattrs.Converter:
    """A converter with agentstream's rules (see ``configure_converter``)."""
    converter = cattrs.Converter(detailed_validation=detailed, forbid_extra_keys=strict)
    configure_converter(converter, strict=strict)
    return converter


# The lenient converter skips cattrs' detailed validation: it is the hot path, and when
# it fails the strict-path converter below is asked again, only to explain why.
_LENIENT = make_converter(strict=False, detailed=False)
_LENIENT_DETAILED = make_converter(strict=False)
_STRICT = make_converter(strict=True)


def _wire_name(cls: Any, name: str) -> str:
    try:
        field = attrs.fields_dict(cls)[name]
    except (TypeError, KeyError, attrs.exceptions.NotAnAttrsClassError):
        return name
    wire: str = field.metadata.get("wire", name)
    return wire


def _messages(exc: BaseException, path: str = "$") -> list[str]:
    """cattrs' error tree as ``"<problem> @ <path>"`` lines, with *wire* field names
    (``cattrs.transform_error`` would name the Python attributes)."""
    if isinstance(exc, cattrs.IterableValidationError):
        indexed, without = exc.group_exceptions()
        lines = [m for sub, note in indexed for m in _messages(sub, f"{path}[{note.index!r}]")]
    elif isinstance(exc, cattrs.ClassValidationError):
        named, without = exc.group_exceptions()
        lines = [
            m
            for sub, field in named
            for m in _messages(sub, f"{path}.{_wire_name(exc.cl, field.name)}")
        ]
    else:
        return [f"{cattrs.v.format_exception(exc, None)} @ {path}"]
    return lines + [f"{cattrs.v.format_exception(sub, None)} @ {path}" for sub in without]


def _explain(exc: Exception, event_type: str | None) -> EventDecodeError:
    messages = _messages(exc) if isinstance(exc, cattrs.BaseValidationError) else []
    detail = "; ".join(messages) or f"{type(exc).__name__}: {exc}"
    path = messages[0].rsplit(" @ ", 1)[-1] if messages else ""
    error = EventDecodeError(
        f"cannot decode {event_type!r} event: {detail}", event_type=event_type, path=path
    )
    error.__cause__ = exc
    return error


#: Event class -> its direct builder (or None), as builder_for gives it.
_BUILT: dict[type, Any] = {}
_UNKNOWN: Any = object()
#: Platform name -> its EVENT_TYPES registry, filled on first use.
_EVENT_TYPES: dict[str, Mapping[str, Any]] = {}


def structure_event(
    platform: str,
    data: dict[str, Any],
    *,
    event_type: str | None = None,
    strict: bool = False,
) -> Any:
    """Decode one wire event of `platform` into its generated class.

    Dispatch is on ``data["type"]``, or on `event_type` (the SSE ``event:`` name) for
    payloads without one. An unknown type becomes ``UnknownEvent(type, data)``. A known
    type whose payload does not fit raises EventDecodeError when `strict`; leniently it
    becomes an UnknownEvent carrying that error, so nothing is ever dropped.

    Raises:
        EventDecodeError: strict mode only; the message names the bad field's path.
        KeyError: `platform` is not one of PLATFORMS.
    """
    try:
        registry = _EVENT_TYPES[platform]  # the per-event path: one dict lookup
    except KeyError:
        registry = _EVENT_TYPES[platform] = PLATFORMS[platform].EVENT_TYPES
    if not isinstance(data, dict):
        error = EventDecodeError(f"an event must be a JSON object, not {type(data).__name__}")
        return UnknownEvent(type=event_type, data={"data": data}, error=error)
    wire_type = data.get("type", event_type)
    if not isinstance(wire_type, str) and wire_type is not None:
        error = EventDecodeError(
            f"an event's type must be a string, not {type(wire_type).__name__}", path="$.type"
        )
        if strict:
            raise error
        return UnknownEvent(type=None, data=data, error=error)
    cls = registry.get(wire_type) if wire_type is not None else None
    if cls is None:
        return UnknownEvent(type=wire_type if isinstance(wire_type, str) else None, data=data)
    if strict:
        try:
            event = _STRICT.structure(data, cls)
        except Exception as exc:
            raise _explain(exc, wire_type) from exc
    else:
        build = _BUILT.get(cls, _UNKNOWN)
        if build is _UNKNOWN:
            build = _BUILT[cls] = builder_for(cls)
        if build is not None:
            event = build(data)
            if event is not None:
                return event
        try:
            event = _LENIENT.structure(data, cls)
        except Exception:
            try:
                _LENIENT_DETAILED.structure(data, cls)
            except Exception as exc:
                return UnknownEvent(type=wire_type, data=data, error=_explain(exc, wire_type))
            raise  # pragma: no cover - the two converters agree
    object.__setattr__(event, "_raw", data)
    return event


def structure(data: Any, cls: type[Any], *, strict: bool = False) -> Any:
    """Decode a resource (a run, a session, a page) into `cls`.

    Raises:
        EventDecodeError: the data does not fit `cls`.
    """
    try:
        return (_STRICT if strict else _LENIENT_DETAILED).structure(data, cls)
    except Exception as exc:
        raise _explain(exc, getattr(cls, "__name__", str(cls))) from exc


def unstructure(obj: Any) -> Any:
    """`obj` back to its wire form: wire names, optional None fields left out."""
    if isinstance(obj, UnknownEvent):
        return obj.data
    return _LENIENT.unstructure(obj)
