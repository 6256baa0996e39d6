"""The public surface: ``agentstream.__all__``, and the sync/async twins' parity."""

from __future__ import annotations

import ast
import asyncio
import inspect
import types
from pathlib import Path
from typing import get_type_hints

import pytest

import agentstream
from agentstream import AsyncEventSource, EventSource
from agentstream._eventsource import BaseEventSource, EventSourceOptions

#: Async name -> sync name, for the names that differ between the twins.
ASYNC_TO_SYNC = {
    "aclose": "close",
    "aiter_with_comments": "iter_with_comments",
    "__aiter__": "__iter__",
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
}
PROTOCOL = {"__iter__", "__enter__", "__exit__", "__aiter__", "__aenter__", "__aexit__"}


def names_bound_in_init() -> set[str]:
    """Every name the package's ``__init__.py`` binds at top level, from its source."""
    tree = ast.parse(Path(agentstream.__file__).read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
    return names


def test_all_is_sorted_and_unique():
    assert agentstream.__all__ == sorted(agentstream.__all__)
    assert len(set(agentstream.__all__)) == len(agentstream.__all__)


def test_every_all_entry_exists():
    missing = [name for name in agentstream.__all__ if not hasattr(agentstream, name)]
    assert missing == []


def test_all_is_complete():
    public = {
        name
        for name, value in vars(agentstream).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    public |= {n for n in names_bound_in_init() if not n.startswith("_")}
    public -= {"annotations"}  # a `from __future__ import annotations`, if ever added
    assert sorted(public - set(agentstream.__all__)) == []


def test_exported_errors_are_agentstream_errors():
    for name in agentstream.__all__:
        value = getattr(agentstream, name)
        if isinstance(value, type) and issubclass(value, BaseException):
            assert issubclass(value, agentstream.AgentStreamError), name


def public_members(cls: type) -> dict[str, object]:
    """Public names (and the iteration/context protocol dunders) -> their raw attribute."""
    out: dict[str, object] = {}
    for klass in reversed(cls.__mro__[:-1]):  # without object
        out |= {n: v for n, v in vars(klass).items() if not n.startswith("_") or n in PROTOCOL}
    return out


def kind(value: object) -> str:
    if isinstance(value, property):
        return "property"
    if isinstance(value, (staticmethod, classmethod)):
        return type(value).__name__
    if callable(value):
        return "method"
    return "attribute"


def test_twins_have_the_same_public_names():
    sync = public_members(EventSource)
    async_ = {ASYNC_TO_SYNC.get(n, n): v for n, v in public_members(AsyncEventSource).items()}
    assert sorted(sync) == sorted(async_)
    assert {n: kind(v) for n, v in sync.items()} == {n: kind(v) for n, v in async_.items()}


def test_twins_have_the_same_public_instance_attributes():
    sync = EventSource("http://127.0.0.1:9/")
    async_ = AsyncEventSource("http://127.0.0.1:9/")
    try:
        sync_attrs = {n for n in vars(sync) if not n.startswith("_")}
        async_attrs = {n for n in vars(async_) if not n.startswith("_")}
        assert sync_attrs == async_attrs
    finally:
        sync.close()
        asyncio.run(async_.aclose())


def test_async_twin_methods_are_coroutines_where_they_do_io():
    for name in ("aclose", "restart", "__aenter__", "__aexit__"):
        assert inspect.iscoroutinefunction(getattr(AsyncEventSource, name)), name
    assert inspect.isasyncgenfunction(AsyncEventSource.__aiter__)
    assert not inspect.iscoroutinefunction(AsyncEventSource.aiter_with_comments)
    for name in ("close", "restart", "__enter__", "__exit__", "iter_with_comments"):
        assert not inspect.iscoroutinefunction(getattr(EventSource, name)), name


def init_params(cls: type) -> list[tuple[str, inspect._ParameterKind, object]]:
    params = inspect.signature(cls.__init__).parameters.values()
    return [(p.name, p.kind, p.default) for p in params]


def test_twins_init_parameters_match_except_session_and_client():
    sync = init_params(EventSource)
    async_ = [
        ("session" if name == "client" else name, kind_, default)
        for name, kind_, default in init_params(AsyncEventSource)
    ]
    assert sync == async_
    assert "session" in [name for name, _, _ in sync]
    assert "client" in [name for name, _, _ in init_params(AsyncEventSource)]


def test_options_typeddict_matches_the_base_constructor():
    base = inspect.signature(BaseEventSource.__init__).parameters
    keyword = {n for n, p in base.items() if p.kind is inspect.Parameter.KEYWORD_ONLY}
    assert set(get_type_hints(EventSourceOptions)) == keyword
    assert not EventSourceOptions.__required_keys__


def test_documented_defaults():
    es = EventSource("http://127.0.0.1:9/stream")
    try:
        assert es.url == "http://127.0.0.1:9/stream"
        assert es.last_event_id == ""
        assert es.retry is None  # until the server sends `retry:`
        assert es.state is agentstream.StreamState.IDLE
        assert not es.closed
        assert es.connect_timeout == 10.0
    finally:
        es.close()
    assert es.closed


def test_both_twins_refuse_body_and_json_together():
    for cls in (EventSource, AsyncEventSource):
        with pytest.raises(agentstream.LocalProtocolError):
            cls("http://127.0.0.1:9/", body=b"x", json={"x": 1})
