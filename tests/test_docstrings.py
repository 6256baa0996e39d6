"""Every public class, method and property of the package has a docstring: ``help()`` on
anything a user can reach says what it is."""

from __future__ import annotations

import inspect
import pydoc
from collections.abc import Iterator

import agentstream
import agentstream.testing
from agentstream.providers import everruns, managed_agents, shipit
from agentstream.providers import m8tes as m8tes_provider

#: Modules whose public names are walked (the generated types have their own test:
#: their docstrings come from the schemas).
MODULES = (agentstream, m8tes_provider, everruns, managed_agents, shipit, agentstream.testing)


def _members(cls: type) -> Iterator[tuple[str, object]]:
    """Public attributes defined by `cls` or a base of ours (not object, not the stdlib)."""
    for klass in cls.__mro__:
        if not klass.__module__.startswith("agentstream"):
            continue
        for name, value in vars(klass).items():
            if not name.startswith("_"):
                yield f"{klass.__qualname__}.{name}", value


def _undocumented() -> list[str]:
    missing: set[str] = set()
    for module in MODULES:
        for name in module.__all__:
            value = getattr(module, name)
            is_code = inspect.isclass(value) or inspect.isfunction(value)
            if is_code and not inspect.getdoc(value):
                missing.add(f"{module.__name__}.{name}")
            if not inspect.isclass(value) or issubclass(value, BaseException):
                continue
            for qualname, member in _members(value):
                function = member.fget if isinstance(member, property) else member
                if isinstance(function, (staticmethod, classmethod)):
                    function = function.__func__
                is_method = callable(function) and not inspect.isclass(function)
                if is_method and not (getattr(function, "__doc__", None) or "").strip():
                    missing.add(qualname)
    return sorted(missing)


def test_every_public_callable_has_a_docstring() -> None:
    assert _undocumented() == []


def test_the_client_help_shows_its_resources() -> None:
    """``help(M8tes)`` shows ``.runs`` with what it is for, sync and async."""
    for client in (agentstream.M8tes, agentstream.AsyncM8tes):
        text = pydoc.render_doc(client, renderer=pydoc.plaintext)
        assert "runs\n" in text and "create, join, reply to" in text
