"""Typed events and resources of every platform, generated from ``schema/``.

One module per platform (``m8tes``, ``everruns``, ``managed_agents``, ``shipit``) plus
``common``, the normalized view. Each has ``EVENT_TYPES`` (wire type -> class),
``RESOURCE_TYPES``, ``PARAM_TYPES`` and the ``AnyEvent`` union. Events of a type the
SDK does not know arrive as ``UnknownEvent``.
"""

from . import common, everruns, m8tes, managed_agents, shipit
from ._unknown import UnknownEvent

__all__ = ["UnknownEvent", "common", "everruns", "m8tes", "managed_agents", "shipit"]
