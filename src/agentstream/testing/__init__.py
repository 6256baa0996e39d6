"""Emulators of the agent platforms, for offline, deterministic tests and demos.

- ``M8tesEmulator``, ``EverrunsEmulator``, ``ManagedAgentsEmulator``: each platform's API,
  served by uvicorn on 127.0.0.1 in a background thread; context managers, sync or
  async. ``serve("m8tes" | "everruns" | "managed-agents")`` runs one in the foreground.
- ``ShipitServer``: the real shipit-agent ``AgentServer`` (with ``ScriptedLLM`` playing a
  scenario through shipit's own runtime); ``ResumingShipitServer``: a server on shipit's
  streaming helpers that honours ``Last-Event-ID``. They need ``pip install shipit-agent``.
- A scenario DSL (``say``, ``think``, ``tool``, ``client_tool``, ``ask_approval``,
  ``ask_question``, ``fail``, ``usage``, ``sleep``) that scripts what the agent does; a
  message selects a scenario with ``[scenario:NAME]`` or one of its keywords.
- ``Faults``: dropped connections, stalls, error statuses, odd splits, BOM, CRLF, per
  emulator or per request (``X-Emulator-Faults`` header).
- A pytest plugin (``agentstream.testing.pytest_plugin``, loaded automatically) with the
  ``m8tes_emulator``, ``everruns_emulator``, ``managed_agents_emulator``,
  ``shipit_server`` and ``emulator_factory`` fixtures.

The emulators need the ``server`` extra (starlette, uvicorn); they are imported on first
use, so the scenario DSL and ``Faults`` work without it, and without it an emulator's
import fails with one line naming the extra (``pip install 'agentstream[server]'``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import _builtin_scenarios  # noqa: F401  (registers demo, approval, question, failure)
from ._extras import load
from .faults import HEADER as FAULTS_HEADER
from .faults import Faults
from .scenarios import (
    Scenario,
    ask_approval,
    ask_question,
    client_tool,
    fail,
    register_scenario,
    registered_scenarios,
    say,
    sleep,
    think,
    tool,
    usage,
)

if TYPE_CHECKING:
    from ._emulator import Emulator
    from ._serve import emulator_class, serve
    from .everruns import EverrunsEmulator
    from .m8tes import M8tesEmulator
    from .managed_agents import ManagedAgentsEmulator
    from .shipit import ResumingShipitServer, ScriptedLLM, ShipitServer

__all__ = [
    "FAULTS_HEADER",
    "Emulator",
    "EverrunsEmulator",
    "Faults",
    "M8tesEmulator",
    "ManagedAgentsEmulator",
    "ResumingShipitServer",
    "Scenario",
    "ScriptedLLM",
    "ShipitServer",
    "ask_approval",
    "ask_question",
    "client_tool",
    "emulator_class",
    "fail",
    "register_scenario",
    "registered_scenarios",
    "say",
    "serve",
    "sleep",
    "think",
    "tool",
    "usage",
]

_LAZY = {
    "Emulator": "._emulator",
    "M8tesEmulator": ".m8tes",
    "EverrunsEmulator": ".everruns",
    "ManagedAgentsEmulator": ".managed_agents",
    "ResumingShipitServer": ".shipit",
    "ScriptedLLM": ".shipit",
    "ShipitServer": ".shipit",
    "emulator_class": "._serve",
    "serve": "._serve",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return load(_LAZY[name], name, f"agentstream.testing.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
