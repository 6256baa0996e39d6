"""The lenient fast path of ``structure_event``: a direct builder per generated class.

Most events on a stream are small (a text delta: a few strings, a tag, maybe a nested
``data`` and ``context`` object), and for them cattrs' generated function, which calls a
hook per field and then the attrs ``__init__``, costs more than decoding the SSE and the
JSON together. So for each class whose fields are all of the kinds below, with plain
defaults and no validators, converters or init hooks, a builder is generated once that
checks every value's exact type and sets the fields directly (as a frozen attrs
``__init__`` does). When a value is missing or of another type it returns None and the
event goes through cattrs, which coerces or explains: so the two paths can only ever
produce the same event.

Field kinds: str, int, float, bool and a Literal; ``Any``; ``dict[str, Any]``;
``list[str]``; a nested attrs class or a list of them (each with a builder of its own);
and any of those optional (``X | None``).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from typing import Any, Literal, TypeVar, Union

import attrs

__all__ = ["builder_for", "fast_constructor"]

Builder = Callable[[dict[str, Any]], Any]
T = TypeVar("T")

_SIMPLE = (str, int, float, bool)
_NONE = type(None)
_FACTORY: type = type(attrs.Factory(list))
_BUILDERS: dict[type, Builder | None] = {}
_NESTED: dict[type, Builder | None] = {}


def builder_for(cls: type) -> Builder | None:
    """The builder of event class `cls` (it sets ``_raw`` to the wire dict), or None."""
    try:
        return _BUILDERS[cls]
    except KeyError:
        build = _BUILDERS[cls] = _make_builder(cls, top=True)
        return build


def _nested_builder(cls: type) -> Builder | None:
    try:
        return _NESTED[cls]
    except KeyError:
        _NESTED[cls] = None  # a class that contains itself is left to cattrs
        build = _NESTED[cls] = _make_builder(cls, top=False)
        return build


def _optional(tp: Any) -> Any | None:
    """X for ``X | None``, else None."""
    if typing.get_origin(tp) in (Union, types.UnionType):
        members = typing.get_args(tp)
        if len(members) == 2 and _NONE in members:
            (inner,) = [m for m in members if m is not _NONE]
            return inner
    return None


def _check(v: str, tp: Any, names: dict[str, Any]) -> list[str] | None:
    """Source lines that return None unless value `v` fits `tp` exactly (and replace a
    nested object by its instance); None when `tp` is not a kind we build."""
    if tp is Any:
        return []
    if tp in _SIMPLE:
        return [f"if type({v}) is not {tp.__name__}: return None"]
    if typing.get_origin(tp) is Literal:
        names[f"_lit_{v}"] = typing.get_args(tp)
        return [f"if {v} not in _lit_{v}: return None"]
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is dict and args == (str, Any):
        return [f"if type({v}) is not dict: return None"]
    if origin is list and args == (str,):
        return [f"if type({v}) is not list or any(type(x) is not str for x in {v}): return None"]
    if attrs.has(tp) and (build := _nested_builder(tp)) is not None:
        names[f"_b_{v}"] = build
        return [
            f"if type({v}) is not dict: return None",
            f"{v} = _b_{v}({v})",
            f"if {v} is None: return None",
        ]
    if origin is list and len(args) == 1 and attrs.has(args[0]):
        build = _nested_builder(args[0])
        if build is None:
            return None
        names[f"_b_{v}"] = build
        return [
            f"if type({v}) is not list: return None",
            f"{v} = [_b_{v}(x) if type(x) is dict else None for x in {v}]",
            f"if any(x is None for x in {v}): return None",
        ]
    return None


def _field_check(v: str, tp: Any, names: dict[str, Any]) -> list[str] | None:
    inner = _optional(tp)
    if inner is None:
        return _check(v, tp, names)
    lines = _check(v, inner, names)
    if lines is None:
        return None
    return [f"if {v} is not None:", *(f"    {line}" for line in lines)] if lines else []


def _setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    """What sets field `name` of a (frozen) instance: its slot's ``__set__`` (the fastest
    way), else ``object.__setattr__`` as attrs' own __init__ uses."""
    for klass in cls.__mro__:
        slot = klass.__dict__.get(name)
        if isinstance(slot, types.MemberDescriptorType):
            setter: Callable[[Any, Any], None] = slot.__set__
            return setter
    return lambda obj, value: object.__setattr__(obj, name, value)


def _make_builder(cls: type, *, top: bool) -> Builder | None:
    """The builder of `cls`, or None when `cls` does not qualify. A top-level event
    keeps its wire dict in ``_raw``; a nested object has no ``_raw``, or a None one."""
    if hasattr(cls, "__attrs_pre_init__") or hasattr(cls, "__attrs_post_init__"):
        return None
    fields = attrs.fields_dict(cls)
    if top and "_raw" not in fields:
        return None
    attrs.resolve_types(cls)
    names: dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_missing": object()}
    lines = ["def build(o):"]
    sets = []
    for i, a in enumerate(attrs.fields(cls)):
        if not a.init:
            if a.name != "_raw" or a.default is not None:
                return None
            continue
        if a.validator is not None or a.converter is not None:
            return None
        if isinstance(a.default, _FACTORY):
            return None
        v = f"v{i}"
        check = _field_check(v, a.type, names)
        if check is None:
            return None
        wire = a.metadata.get("wire", a.name)
        # _missing is never of a kind we accept: a required field that is absent fails
        # its check (Any takes anything, so a required Any must be there).
        missing = "_missing" if a.default is attrs.NOTHING else f"_default{i}"
        names[f"_default{i}"] = a.default
        if a.default is attrs.NOTHING and a.type is Any:
            check = [f"if {v} is _missing: return None"]
        lines += [f"    {v} = o.get({wire!r}, {missing})", *(f"    {c}" for c in check)]
        names[f"_s{i}"] = _setter(cls, a.name)
        sets.append(f"    _s{i}(e, {v})")
    if "_raw" in fields:
        names["_s_raw"] = _setter(cls, "_raw")
        sets.append(f"    _s_raw(e, {'o' if top else 'None'})")
    lines += ["    e = _new(_cls)", *sets, "    return e"]
    exec(compile("\n".join(lines), f"<agentstream builder {cls.__qualname__}>", "exec"), names)
    builder: Builder = names["build"]
    return builder


def fast_constructor(cls: type[T]) -> Callable[..., T]:
    """A constructor for `cls` with the keyword signature of its attrs ``__init__`` that
    sets the slots directly: about half the cost of a frozen class's ``__init__``, for
    the common-view events made once per token. `cls` itself when it has anything
    ``__init__`` would do beyond setting fields (validators, converters, factories,
    init hooks)."""
    if hasattr(cls, "__attrs_pre_init__") or hasattr(cls, "__attrs_post_init__"):
        return cls
    names: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    params, sets = [], []
    fields: Any = attrs.fields(cls)  # type: ignore[arg-type]  # an attrs class
    for i, a in enumerate(fields):
        if a.validator is not None or a.converter is not None:
            return cls
        if isinstance(a.default, _FACTORY) or (not a.init and a.default is not None):
            return cls
        names[f"_s{i}"] = _setter(cls, a.name)
        if not a.init:
            sets.append(f"    _s{i}(e, None)")
            continue
        if a.default is attrs.NOTHING:
            params.append(a.alias)
        else:
            names[f"_d{i}"] = a.default
            params.append(f"{a.alias}=_d{i}")
        sets.append(f"    _s{i}(e, {a.alias})")
    lines = [f"def make(*, {', '.join(params)}):", "    e = _new(_cls)", *sets, "    return e"]
    source = "\n".join(lines)
    exec(compile(source, f"<agentstream constructor {cls.__qualname__}>", "exec"), names)
    make: Callable[..., T] = names["make"]
    return make
