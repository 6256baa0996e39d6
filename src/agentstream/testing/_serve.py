"""Which emulator serves which platform, and ``serve()`` to run one in the foreground."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from ._extras import load

if TYPE_CHECKING:
    from ._emulator import Emulator

__all__ = ["EMULATORS", "ENV_VARS", "emulator_class", "serve"]

#: platform name -> (module, class) of its emulator, imported on first use.
EMULATORS: dict[str, tuple[str, str]] = {
    "m8tes": ("agentstream.testing.m8tes", "M8tesEmulator"),
    "everruns": ("agentstream.testing.everruns", "EverrunsEmulator"),
    "managed-agents": ("agentstream.testing.managed_agents", "ManagedAgentsEmulator"),
}

#: platform name -> the (base URL, API key) variables its client reads.
ENV_VARS: dict[str, tuple[str, str]] = {
    "m8tes": ("M8TES_BASE_URL", "M8TES_API_KEY"),
    "everruns": ("EVERRUNS_API_URL", "EVERRUNS_API_KEY"),
    "managed-agents": ("ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY"),
}


def emulator_class(platform: str) -> type[Emulator]:
    """The emulator class for `platform`.

    Raises:
        ValueError: no emulator for that platform.
        ModuleNotFoundError: the server extra is missing (the message says so).
    """
    if platform not in EMULATORS:
        raise ValueError(f"no emulator for {platform!r}; known: {', '.join(sorted(EMULATORS))}")
    module, name = EMULATORS[platform]
    cls: type[Emulator] = load(module, name, f"the {platform} emulator")
    return cls


def serve(
    platform: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    database: str | os.PathLike[str] | None = None,
    api_key: str = "test-key",
    speed: float = 0.02,
    **options: Any,
) -> None:
    """Run `platform`'s emulator in the foreground until Ctrl+C.

    The default `speed` streams at a readable pace, for demos; `options` are the
    other Emulator arguments (keepalive_interval, scenarios, faults, ...). It prints the
    API key and an ``export`` line of the platform's variables (``M8TES_BASE_URL`` and
    ``M8TES_API_KEY``, ``EVERRUNS_API_URL`` and ``EVERRUNS_API_KEY``,
    ``ANTHROPIC_BASE_URL`` and ``ANTHROPIC_API_KEY``).
    """
    emulator = emulator_class(platform)(
        host=host, port=port, database=database, api_key=api_key, speed=speed, **options
    )
    emulator.serve_forever(env=ENV_VARS.get(platform))
