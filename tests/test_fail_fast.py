"""A server that is not there is said so at once: a first connection that cannot be made
fails within first_connect_timeout (a few seconds) with UnreachableError naming the URL
(no query, no secret) and, for platform clients, the base URL's environment variable; a
stream that was open keeps the longer reconnect budget; a base URL without its scheme or
(m8tes) its path is refused when the client is made, with the fix."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable
from typing import Any

import pytest

import agentstream
from agentstream import _exceptions as err
from agentstream._config import FIRST_CONNECT_TIMEOUT, StreamConfig, check_base_url
from agentstream._http import RetryPolicy
from agentstream.providers.everruns import Everruns, EverrunsConfigError
from agentstream.providers.m8tes._common import ClientConfigError
from agentstream.providers.managed_agents import ManagedAgents
from tests.conftest import collect
from tests.machine_helpers import Pair, Response, refused

KEY = "sk-test-secret-0000"


def closed_port() -> int:
    """A loopback port with nothing listening (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def dead(path: str = "") -> str:
    return f"http://127.0.0.1:{closed_port()}{path}"


# -- the pure rule ---------------------------------------------------------------------


def test_a_stream_never_opened_gives_up_at_first_connect_timeout() -> None:
    config = StreamConfig(max_reconnect_attempts=None, first_connect_timeout=5.0)
    pair = Pair(*[refused()] * 20, config=config, random=lambda: 1.0).run()
    assert pair.waits == [1.0, 2.0]  # a third wait (4 s) would end past 5 s
    error = pair.error
    assert isinstance(error, err.UnreachableError)
    assert isinstance(error, err.APIConnectionError)
    assert isinstance(error, err.ReconnectExhausted)  # what callers caught before
    assert error.attempts == 3 and isinstance(error.last_cause, err.APIConnectionError)
    assert str(error).startswith("could not connect to https://api.example.com/stream (3 ")


def test_after_a_connection_opened_the_long_budget_applies() -> None:
    config = StreamConfig(max_reconnect_attempts=None, max_reconnect_time=60.0)
    script = [Response(chunks=[b"data: a\n\n"]), *[refused()] * 6]
    pair = Pair(*script, config=config, random=lambda: 1.0).run()
    # Past first_connect_timeout: the server was reached before.
    assert sum(pair.waits) > FIRST_CONNECT_TIMEOUT and len(pair.waits) >= 4
    assert type(pair.error) is err.ReconnectExhausted


def test_a_status_on_the_first_connection_is_not_unreachable() -> None:
    """A 503 means something answers: the retry budget is the usual one."""
    config = StreamConfig(max_reconnect_attempts=2)
    pair = Pair(*[Response(status=503)] * 3, config=config, random=lambda: 0.0).run()
    assert type(pair.error) is err.ReconnectExhausted


def test_json_retries_of_a_server_never_reached_stop_with_unreachable() -> None:
    policy = RetryPolicy(5, first_connect_timeout=2.0, hint="check X_URL")
    cause = err.APIConnectionError("ConnectError: refused")
    assert policy.give_up("http://h/p?k=v", 1, 0.5, cause, 1.0, True) is None
    final = policy.give_up("http://h/p?k=v", 2, 1.5, cause, 1.0, True)
    assert isinstance(final, err.UnreachableError)
    assert str(final) == (
        "could not connect to http://h/p (2 attempt(s) in 1.5 s): APIConnectionError:"
        " ConnectError: refused; check X_URL"
    )
    policy.reached = True  # it answered once: max_retries alone decides
    assert policy.give_up("http://h/p", 2, 100.0, cause, 1.0, True) is None
    assert policy.connect_timeout(30.0) == 30.0


# -- over loopback: a port with nothing listening --------------------------------------


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_event_source_on_a_dead_port_fails_within_a_few_seconds(mode: str) -> None:
    url = dead("/stream?token=query-secret")
    out = collect(mode, url)  # the defaults: what the README example does
    assert isinstance(out.error, err.UnreachableError), out.error
    assert out.elapsed < FIRST_CONNECT_TIMEOUT + 1.5
    assert url.split("?")[0] in str(out.error)
    assert "query-secret" not in str(out.error)


def _m8tes(mode: str, url: str) -> Any:
    cls = agentstream.M8tes if mode == "sync" else agentstream.AsyncM8tes
    return cls(api_key=KEY, base_url=url)


def _everruns(mode: str, url: str) -> Any:
    from agentstream.providers.everruns import AsyncEverruns

    cls = Everruns if mode == "sync" else AsyncEverruns
    return cls.agent(agent_url=url, credential=KEY)


def _managed(mode: str, url: str) -> Any:
    from agentstream.providers.managed_agents import AsyncManagedAgents

    cls = ManagedAgents if mode == "sync" else AsyncManagedAgents
    return cls(api_key=KEY, base_url=url)


def _shipit(mode: str, url: str) -> Any:
    cls = agentstream.Shipit if mode == "sync" else agentstream.AsyncShipit
    return cls(api_key=KEY, base_url=url)


async def _drain_async(manager: Any) -> None:
    if asyncio.iscoroutine(manager):  # Managed Agents lists the baseline first
        manager = await manager
    async with manager as stream:
        async for _ in stream:
            pass


def _drain(mode: str, manager: Any) -> None:
    if mode == "sync":
        with manager as stream:
            for _ in stream:
                pass
    else:
        asyncio.run(_drain_async(manager))


def _call(mode: str, make: Callable[[], Any]) -> None:
    if mode == "sync":
        make()
    else:

        async def run() -> None:
            await make()

        asyncio.run(run())


#: platform -> (client factory, path prefix, variable, a stream opener, a JSON call)
PLATFORMS: dict[str, tuple[Any, str, str, Any, Any]] = {
    "m8tes": (
        _m8tes,
        "/api/v2",
        "M8TES_BASE_URL",
        lambda c: c.runs.create(message="hi"),
        lambda c: c.runs.get(7),
    ),
    "everruns": (
        _everruns,
        "/api/v1/channels/ch",
        "EVERRUNS_AGENT_URL",
        lambda c: c.events.stream("session_1"),
        lambda c: c.sessions.get("session_1"),
    ),
    "managed_agents": (
        _managed,
        "",
        "ANTHROPIC_BASE_URL",
        lambda c: c.sessions.events.stream("sesn_1"),
        lambda c: c.sessions.retrieve("sesn_1"),
    ),
    "shipit": (
        _shipit,
        "",
        "SHIPIT_BASE_URL",
        lambda c: c.stream(prompt="hi"),
        lambda c: c.health(),
    ),
}


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("what", ["stream", "json"])
@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_a_platform_client_on_a_dead_port_names_the_url_and_variable(
    platform: str, what: str, mode: str
) -> None:
    make, prefix, variable, stream, call = PLATFORMS[platform]
    base = dead(prefix)
    client = make(mode, base)
    start = time.monotonic()
    with pytest.raises(err.UnreachableError) as caught:
        if what == "stream":
            _drain(mode, stream(client))
        else:
            _call(mode, lambda: call(client))
    elapsed = time.monotonic() - start
    assert elapsed < FIRST_CONNECT_TIMEOUT + 1.5, elapsed
    message = str(caught.value)
    assert base in message and variable in message, message
    assert KEY not in message and KEY not in repr(caught.value.last_cause)


# -- base URLs refused at construction, with the fix ---------------------------------------


def test_an_m8tes_base_url_without_its_path_is_refused_with_the_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(ClientConfigError) as caught:
        agentstream.M8tes(api_key=KEY, base_url="http://127.0.0.1:8765")
    assert str(caught.value) == (
        "the base URL 'http://127.0.0.1:8765' (from base_url= or M8TES_BASE_URL) lacks the"
        " API's path: use 'http://127.0.0.1:8765/api/v2'"
    )
    monkeypatch.setenv("M8TES_BASE_URL", "http://127.0.0.1:8765/")
    with pytest.raises(agentstream.ConfigError, match=r"M8TES_BASE_URL.*/api/v2"):
        agentstream.AsyncM8tes(api_key=KEY)


@pytest.mark.parametrize(
    ("make", "variable"),
    [
        (lambda url: agentstream.M8tes(api_key=KEY, base_url=url + "/api/v2"), "M8TES_BASE_URL"),
        (lambda url: Everruns(api_key=KEY, base_url=url), "EVERRUNS_API_URL"),
        (lambda url: Everruns.agent(agent_url=url, credential=KEY), "EVERRUNS_AGENT_URL"),
        (lambda url: ManagedAgents(api_key=KEY, base_url=url), "ANTHROPIC_BASE_URL"),
        (lambda url: agentstream.Shipit(base_url=url), "SHIPIT_BASE_URL"),
    ],
)
def test_a_base_url_without_a_scheme_is_refused_with_the_fix(
    make: Callable[[str], Any], variable: str
) -> None:
    with pytest.raises(agentstream.ConfigError) as caught:
        make("localhost:8765")
    message = str(caught.value)
    assert variable in message and "https://localhost:8765" in message, message
    assert "scheme" in message


def test_check_base_url_keeps_secrets_out_and_trims_the_slash() -> None:
    assert check_base_url("http://h:1/api/v2/", "V", path="/api/v2") == "http://h:1/api/v2"
    with pytest.raises(err.ConfigError) as caught:
        check_base_url("ftp://user:pw@h/x?token=t", "V")
    assert "pw" not in str(caught.value) and "token" not in str(caught.value)
    with pytest.raises(EverrunsConfigError, match="agent_url= or EVERRUNS_AGENT_URL"):
        Everruns.agent(agent_url="everruns.example/api", credential=KEY)
