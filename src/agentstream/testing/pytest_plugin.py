"""pytest fixtures for agentstream's emulators; registered as the ``agentstream`` plugin.

Installed with agentstream, so the fixtures are simply there::

    import requests

    import agentstream
    from agentstream.testing import Faults


    def test_demo_run(m8tes_emulator):
        response = requests.post(
            m8tes_emulator.base_url + "/runs/",
            json={"message": "Triage my inbox", "stream": False},
            headers={"Authorization": "Bearer test-key"},
        )
        assert response.json()["status"] == "running"


    def test_a_dropped_stream_is_rejoined(emulator_factory):
        # The run must still be going when the client re-joins it: deltas 5 ms apart,
        # and a re-join at most 20 ms after the drop (reconnect_delay caps the jittered
        # wait). A finished run is refused (409), as on the real platform, and the
        # stream would end in StreamInterruptedError.
        flaky = emulator_factory(speed=0.005, faults=Faults(drop_after_events=3, times=1))
        client = agentstream.M8tes(
            api_key="test-key", base_url=flaky.base_url, reconnect_delay=0.02
        )
        with client.runs.create(message="Triage my inbox") as stream:
            text = "".join(stream.iter_text())
        assert stream.stats.reconnects == 1 and "Refund not received" in text


    def test_more_emulators_with_options(emulator_factory, tmp_path):
        durable = emulator_factory(database=tmp_path / "runs.sqlite3", speed=0.01)
        everruns = emulator_factory("everruns")
        assert durable.base_url != everruns.base_url

- ``m8tes_emulator``: a fresh, in-memory M8tesEmulator per test, API key ``test-key``,
  ``speed=0`` (no delay between deltas).
- ``everruns_emulator``, ``managed_agents_emulator``: the same for those platforms;
  ``shipit_server``: the real shipit ``AgentServer`` (needs shipit-agent).
- ``emulator_factory(platform="m8tes", **options)``: starts another emulator with the
  given Emulator options (same defaults); every one is stopped after the test.

The emulators are imported when a fixture is used, so this plugin costs nothing (and
needs no server extra) in test suites that don't use them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ._emulator import Emulator
    from .everruns import EverrunsEmulator
    from .m8tes import M8tesEmulator
    from .managed_agents import ManagedAgentsEmulator
    from .shipit import ShipitServer

__all__ = [
    "emulator_factory",
    "everruns_emulator",
    "m8tes_emulator",
    "managed_agents_emulator",
    "shipit_server",
]

EmulatorFactory = Callable[..., "Emulator"]


def _require(module: str, name: str, fixture: str) -> Any:
    """``module.name``; without its optional dependency, the test errors with one line
    naming what to install (no traceback through the imports)."""
    from ._extras import MissingExtraError, load

    try:
        return load(module, name, f"the {fixture} fixture")
    except MissingExtraError as exc:
        missing = str(exc)
    pytest.fail(missing, pytrace=False)  # outside the except: no chained exception shown


@pytest.fixture
def m8tes_emulator() -> Iterator[M8tesEmulator]:
    """A fresh m8tes emulator (in memory, API key ``test-key``), stopped after the test."""
    cls = _require(".m8tes", "M8tesEmulator", "m8tes_emulator")
    with cls(api_key="test-key") as emulator:
        yield emulator


@pytest.fixture
def everruns_emulator() -> Iterator[EverrunsEmulator]:
    """A fresh Everruns emulator (in memory, API key ``test-key``), stopped after the test."""
    cls = _require(".everruns", "EverrunsEmulator", "everruns_emulator")
    with cls(api_key="test-key") as emulator:
        yield emulator


@pytest.fixture
def managed_agents_emulator() -> Iterator[ManagedAgentsEmulator]:
    """A fresh Claude Managed Agents emulator (in memory, API key ``test-key``), stopped
    after the test."""
    cls = _require(".managed_agents", "ManagedAgentsEmulator", "managed_agents_emulator")
    with cls(api_key="test-key") as emulator:
        yield emulator


@pytest.fixture
def shipit_server() -> Iterator[ShipitServer]:
    """The real shipit-agent ``AgentServer`` on 127.0.0.1 with shipit's echo LLM, stopped
    after the test (needs ``pip install shipit-agent``)."""
    cls = _require(".shipit", "ShipitServer", "shipit_server")
    with cls() as server:
        yield server


@pytest.fixture
def emulator_factory() -> Iterator[EmulatorFactory]:
    """Start more emulators: ``emulator_factory("m8tes", speed=0.01, faults=...)``."""
    from ._serve import EMULATORS

    started: list[Emulator] = []

    def make(platform: str = "m8tes", **options: Any) -> Emulator:
        options.setdefault("api_key", "test-key")
        if platform not in EMULATORS:
            raise ValueError(f"no emulator for {platform!r}; known: {', '.join(EMULATORS)}")
        module, name = EMULATORS[platform]
        cls = _require(module, name, "emulator_factory")
        emulator: Emulator = cls(**options).start()
        started.append(emulator)
        return emulator

    yield make
    for emulator in reversed(started):
        emulator.stop()
