"""Every platform client's constructor takes idle_timeout, secret_headers and
max_redirects (as EventSource does) and hands them to its streams and its JSON calls:
an idle stream ends with StreamIdleTimeout, a header marked secret does not follow a
redirect to another origin, and a redirect past max_redirects is a RemoteProtocolError.
Over loopback, against the emulators and scripted servers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import pytest

import agentstream
from agentstream.providers.everruns import AsyncEverruns, Everruns
from agentstream.providers.managed_agents import AsyncManagedAgents, ManagedAgents
from agentstream.testing import (
    EverrunsEmulator,
    Faults,
    M8tesEmulator,
    ManagedAgentsEmulator,
)
from tests.sse_server import Reply, SSEServer

KEY = "test-key"
OPTIONS: dict[str, Any] = {
    "idle_timeout": 7.5,
    "secret_headers": ["X-Tenant"],
    "max_redirects": 3,
}
CLIENTS: dict[str, Callable[..., Any]] = {
    "m8tes": lambda **o: agentstream.M8tes(api_key=KEY, base_url="http://h/api/v2", **o),
    "async-m8tes": lambda **o: agentstream.AsyncM8tes(api_key=KEY, base_url="http://h/api/v2", **o),
    "everruns": lambda **o: Everruns(api_key=KEY, base_url="http://h/api", **o),
    "everruns-agent": lambda **o: Everruns.agent(agent_url="http://h/a", credential=KEY, **o),
    "async-everruns": lambda **o: AsyncEverruns(api_key=KEY, base_url="http://h/api", **o),
    "managed-agents": lambda **o: ManagedAgents(api_key=KEY, base_url="http://h", **o),
    "async-managed-agents": lambda **o: AsyncManagedAgents(api_key=KEY, base_url="http://h", **o),
    "shipit": lambda **o: agentstream.Shipit(base_url="http://h", **o),
    "async-shipit": lambda **o: agentstream.AsyncShipit(base_url="http://h", **o),
}


@pytest.mark.parametrize("name", sorted(CLIENTS))
def test_every_constructor_takes_the_options_and_its_streams_get_them(name: str) -> None:
    client = CLIENTS[name](**OPTIONS)
    http = client._http
    assert http.idle_timeout == 7.5 and http.max_redirects == 3
    assert "x-tenant" in http.secret_headers and "authorization" in http.secret_headers
    from agentstream._policy import LastEventIdPolicy

    source = http.event_source(
        "/s", policy=LastEventIdPolicy(), read_timeout=30, max_reconnect_attempts=1, retry=0.1
    )
    assert source._machine.config.idle_timeout == 7.5
    assert source.max_redirects == 3 and "x-tenant" in source.secret_headers


def _m8tes_idle(mode: str, emulator: M8tesEmulator) -> Any:
    options = {"api_key": KEY, "base_url": emulator.base_url, "idle_timeout": 0.5}
    if mode == "sync":
        with agentstream.M8tes(**options) as client, client.runs.create(message="hi") as s:
            return list(s)

    async def main() -> Any:
        async with (
            agentstream.AsyncM8tes(**options) as client,
            client.runs.create(message="hi") as stream,
        ):
            return [event async for event in stream]

    return asyncio.run(main())


def _everruns_idle(mode: str, emulator: EverrunsEmulator) -> Any:
    options = {"api_key": KEY, "base_url": emulator.base_url, "idle_timeout": 0.5}
    if mode == "sync":
        with Everruns(**options) as client:
            session = client.sessions.create()
            with client.sessions.turn(session.id, message="hi") as stream:
                return list(stream)

    async def main() -> Any:
        async with AsyncEverruns(**options) as client:
            session = await client.sessions.create()
            async with client.sessions.turn(session.id, message="hi") as stream:
                return [event async for event in stream]

    return asyncio.run(main())


def _managed_idle(mode: str, emulator: ManagedAgentsEmulator) -> Any:
    """An idle session's stream: nothing but pings arrive, and pings are no progress."""
    options = {"api_key": KEY, "base_url": emulator.base_url, "idle_timeout": 0.5}
    if mode == "sync":
        with ManagedAgents(**options) as client:
            session = client.sessions.create(agent="agent_1", environment_id="env_1")
            with client.sessions.events.stream(session.id) as stream:
                return list(stream)

    async def main() -> Any:
        async with AsyncManagedAgents(**options) as client:
            session = await client.sessions.create(agent="agent_1", environment_id="env_1")
            async with await client.sessions.events.stream(session.id) as stream:
                return [event async for event in stream]

    return asyncio.run(main())


IDLE = {
    "m8tes": (M8tesEmulator, _m8tes_idle),
    "everruns": (EverrunsEmulator, _everruns_idle),
    "managed-agents": (ManagedAgentsEmulator, _managed_idle),
}


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("platform", sorted(IDLE))
def test_idle_timeout_ends_a_stalled_platform_stream(platform: str, mode: str) -> None:
    emulator_class, run = IDLE[platform]
    faults = Faults(stall_after_events=0, stall_seconds=5)
    with emulator_class(api_key=KEY, speed=0, faults=faults) as emulator:
        start = time.monotonic()
        with pytest.raises(agentstream.StreamIdleTimeout, match=r"0\.5 s \(idle_timeout\)"):
            run(mode, emulator)
        assert time.monotonic() - start < 4


def test_a_secret_header_does_not_follow_a_redirect_to_another_origin() -> None:
    """m8tes JSON call with extra_headers: X-Tenant, marked secret, stays home."""
    with SSEServer() as home, SSEServer() as elsewhere:
        target = elsewhere.url("/api/v2/runs/7")
        home.script("/api/v2/runs/7", Reply(status=307, headers={"Location": target}, body=b""))
        run = (
            b'{"id": 7, "status": "completed", "teammate_id": null, "output": "", "error": null,'
            b' "user_id": null, "metadata": {}, "created_at": "2026-01-01T00:00:00Z",'
            b' "updated_at": "2026-01-01T00:00:00Z"}'
        )
        elsewhere.script(
            "/api/v2/runs/7", Reply(headers={"Content-Type": "application/json"}, body=run)
        )
        for secret in ([], ["X-Tenant"]):
            client = agentstream.M8tes(
                api_key=KEY, base_url=home.url("/api/v2"), secret_headers=secret
            )
            client._http.headers["X-Tenant"] = "acme"  # as a proxy set-up would add it
            assert client.runs.get(7).status == "completed"
        plain, marked = elsewhere.requests("/api/v2/runs/7")
        assert plain.headers.get("X-Tenant") == "acme"
        assert marked.headers.get("X-Tenant") is None
        assert marked.headers.get("Authorization") is None  # a default secret, always


@pytest.mark.parametrize("make", [CLIENTS["everruns"], CLIENTS["shipit"]], ids=["ev", "shipit"])
def test_max_redirects_bounds_json_calls(make: Callable[..., Any]) -> None:
    with SSEServer() as server:
        loop = Reply(status=302, headers={"Location": server.url("/loop")}, body=b"")
        server.script("/loop", [loop] * 5)
        client = make(max_redirects=1)
        client._http.base_url = server.url("").rstrip("/")
        with pytest.raises(agentstream.RemoteProtocolError, match="redirect"):
            client._http.request("GET", "/loop")
        assert len(server.requests("/loop")) == 2  # the request and one redirect
