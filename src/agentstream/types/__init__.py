"""Typed events and resources of every platform, generated from ``schema/``.

One module per platform (``m8tes``, ``everruns``, ``managed_agents``, ``shipit``) plus
``common``, the normalized view. Each has ``EVENT_TYPES`` (wire type -> class),
``RESOURCE_TYPES``, ``PARAM_TYPES`` and the ``AnyEvent`` union. Events of a type the
SDK does not know arrive as ``UnknownEvent``. The platform modules are imported on first
use (``from agentstream.types import everruns``, or the attribute).

``structure_event(platform, data)`` decodes one wire payload into its class; it is the
building block for a platform agentstream does not ship (see the README, "Adding a
platform"). ``structure(data, cls)`` decodes a resource; ``unstructure(obj)`` goes back.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._unknown import UnknownEvent

if TYPE_CHECKING:
    from .._converter import structure, structure_event, unstructure
    from . import common, everruns, m8tes, managed_agents, shipit

__all__ = [
    "UnknownEvent",
    "common",
    "everruns",
    "m8tes",
    "managed_agents",
    "shipit",
    "structure",
    "structure_event",
    "unstructure",
]

_MODULES = frozenset({"common", "everruns", "m8tes", "managed_agents", "shipit"})
_CONVERTER = frozenset({"structure", "structure_event", "unstructure"})


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _CONVERTER:
        return getattr(importlib.import_module("agentstream._converter"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
