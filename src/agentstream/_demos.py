"""What ``agentstream demo --platform NAME`` streams: each platform's emulator, its
client, and one turn of the ``demo`` scenario through the client's stream.

Each demo is a context manager giving the banner line, the stream (the platform's
stream object: the CLI renders it through the common view, the same for every
platform) and a function naming what ran once the stream is done. Everything is
imported on use: the CLI starts without the server libraries or any platform loaded.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["DEMOS", "Demo"]

#: (banner, stream, what ran) of a demo in progress.
Demo = tuple[str, Any, Callable[[], str | None]]


@contextlib.contextmanager
def m8tes(message: str, speed: float) -> Iterator[Demo]:
    from .providers.m8tes import M8tes
    from .testing import M8tesEmulator

    with (
        M8tesEmulator(speed=speed) as emulator,
        M8tes(api_key=emulator.api_key, base_url=emulator.base_url) as client,
        client.runs.create(message=message) as stream,
    ):
        banner = f"m8tes emulator on {emulator.base_url} (scenario: demo)"
        yield banner, stream, lambda: f"run {stream.run_id}"


@contextlib.contextmanager
def everruns(message: str, speed: float) -> Iterator[Demo]:
    from .providers.everruns import Everruns
    from .testing import EverrunsEmulator

    with (
        EverrunsEmulator(speed=speed) as emulator,
        Everruns(api_key=emulator.api_key, base_url=emulator.base_url) as client,
    ):
        session = client.sessions.create(title="agentstream demo")
        with client.sessions.turn(session.id, message=message) as stream:
            banner = f"Everruns emulator on {emulator.base_url} (scenario: demo)"
            yield banner, stream, lambda: f"session {session.id}"


@contextlib.contextmanager
def managed_agents(message: str, speed: float) -> Iterator[Demo]:
    from .providers.managed_agents import ManagedAgents
    from .testing import ManagedAgentsEmulator

    with (
        ManagedAgentsEmulator(speed=speed) as emulator,
        ManagedAgents(api_key=emulator.api_key, base_url=emulator.base_url) as client,
    ):
        session = client.sessions.create(agent="agent_demo", environment_id="env_demo")
        with client.sessions.turn(session.id, message=message) as stream:
            banner = f"Managed Agents emulator on {emulator.base_url} (scenario: demo)"
            yield banner, stream, lambda: f"session {session.id}"


@contextlib.contextmanager
def shipit(message: str, speed: float) -> Iterator[Demo]:
    # The real shipit AgentServer (shipit-agent installed), its runtime playing the demo.
    from .providers.shipit import Shipit
    from .testing.shipit import ScriptedLLM, ShipitServer

    with (
        ShipitServer(llm=ScriptedLLM()) as server,
        Shipit(base_url=server.base_url) as client,
        client.stream(prompt=message) as stream,
    ):
        banner = f"shipit AgentServer on {server.base_url} (scenario: demo)"
        yield banner, stream, lambda: f"generation {stream.generation}"


#: platform -> its demo, in the order `--platform` lists them.
DEMOS: dict[str, Callable[[str, float], contextlib.AbstractContextManager[Demo]]] = {
    "m8tes": m8tes,
    "everruns": everruns,
    "managed-agents": managed_agents,
    "shipit": shipit,
}
