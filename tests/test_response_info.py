"""The request id and response headers are reachable the same way on every platform:
``stream.request_id`` / ``stream.response_headers`` on every stream, and
``client.last_response`` (status_code, headers, request_id) after every JSON call, in
the calling thread or task; ``client.with_options(timeout=..., max_retries=...)`` is a
copy on the same connection pool. Against the emulators over loopback."""

from __future__ import annotations

import asyncio
import pydoc
import threading
from collections.abc import Iterator
from typing import Any

import pytest

import agentstream
from agentstream.providers.everruns import AsyncEverruns, Everruns
from agentstream.providers.managed_agents import ManagedAgents
from agentstream.testing import EverrunsEmulator, M8tesEmulator, ManagedAgentsEmulator

KEY = "test-key"


@pytest.fixture(scope="module")
def m8tes_server() -> Iterator[M8tesEmulator]:
    with M8tesEmulator(api_key=KEY, speed=0) as emulator:
        yield emulator


def test_m8tes_streams_and_results_carry_the_request_id(m8tes_server: M8tesEmulator) -> None:
    client = agentstream.M8tes(api_key=KEY, base_url=m8tes_server.base_url)
    assert client.last_response is None
    with client.runs.create(message="Triage my inbox") as stream:
        assert stream.request_id is None and stream.response_headers == {}  # not open yet
        stream.until_done()
    assert stream.request_id and stream.request_id.startswith("req_")
    assert stream.response_headers["x-request-id"] == stream.request_id
    assert stream.response_headers["content-type"].startswith("text/event-stream")
    run = client.runs.get(stream.run_id)
    info = client.last_response
    assert info is not None and info.status_code == 200 and info.method == "GET"
    assert info.request_id == info.headers["x-request-id"] != stream.request_id
    assert info.url == f"{m8tes_server.base_url}/runs/{run.id}"
    other = agentstream.M8tes(api_key=KEY, base_url=m8tes_server.base_url)
    assert other.last_response is None  # another client's calls are not its own


def test_last_response_is_per_thread(m8tes_server: M8tesEmulator) -> None:
    client = agentstream.M8tes(api_key=KEY, base_url=m8tes_server.base_url)
    run = client.runs.create(message="hi", stream=False)
    mine = client.last_response
    seen: list[Any] = []
    thread = threading.Thread(target=lambda: seen.append(client.last_response))
    thread.start()
    thread.join()
    assert seen == [None] and mine is not None and mine.status_code in (200, 201)
    assert run.id


def test_everruns_async_last_response_and_stream_request_id() -> None:
    async def main() -> None:
        with EverrunsEmulator(api_key=KEY, speed=0) as emulator:
            async with AsyncEverruns(api_key=KEY, base_url=emulator.base_url) as client:
                session = await client.sessions.create()
                created = client.last_response
                assert created is not None and created.request_id
                assert created.status_code in (200, 201) and created.method == "POST"
                async with client.sessions.turn(session.id, message="hi") as stream:
                    await stream.until_done()
                assert stream.request_id and stream.request_id != created.request_id

    asyncio.run(main())


def test_managed_agents_request_id_header() -> None:
    """Anthropic's header is ``request-id``: the same attribute finds it."""
    with (
        ManagedAgentsEmulator(api_key=KEY, speed=0) as emulator,
        ManagedAgents(api_key=KEY, base_url=emulator.base_url) as client,
    ):
        session = client.sessions.create(agent="agent_1", environment_id="env_1")
        info = client.last_response
        assert info is not None and info.request_id == info.headers["request-id"]
        with client.sessions.turn(session.id, message="hi") as stream:
            stream.until_done()
        assert stream.request_id == stream.response_headers["request-id"]


def test_with_options_copies_share_the_pool(m8tes_server: M8tesEmulator) -> None:
    client = agentstream.M8tes(api_key=KEY, base_url=m8tes_server.base_url, max_retries=2)
    fast = client.with_options(timeout=5, max_retries=0)
    assert type(fast) is agentstream.M8tes and fast is not client
    assert (fast.timeout, fast._http.max_retries) == (5, 0)
    assert (client.timeout, client._http.max_retries) == (30.0, 2)  # the original is as it was
    assert fast._http.session is client._http.session
    run = fast.runs.create(message="hi", stream=False)
    assert client.last_response is fast.last_response is not None  # one family
    fast.close()  # the copy does not close the shared pool
    assert client.runs.get(run.id).id == run.id
    client.close()


@pytest.mark.parametrize(
    "make",
    [
        lambda: Everruns(api_key=KEY, base_url="http://h/api"),
        lambda: Everruns.agent(agent_url="http://h/a", credential=KEY),
        lambda: AsyncEverruns(api_key=KEY, base_url="http://h/api"),
        lambda: ManagedAgents(api_key=KEY, base_url="http://h"),
        lambda: agentstream.Shipit(base_url="http://h"),
        lambda: agentstream.AsyncShipit(base_url="http://h"),
        lambda: agentstream.AsyncM8tes(api_key=KEY, base_url="http://h/api/v2"),
    ],
)
def test_every_client_has_with_options(make: Any) -> None:
    client = make()
    copy = client.with_options(timeout=3)
    assert copy.timeout == 3 and copy._http.timeout == 3 and client._http.timeout != 3
    assert copy._http.max_retries == client._http.max_retries
    assert copy._http.family is client._http.family
    pool = "client" if hasattr(client._http, "client") else "session"
    assert getattr(copy._http, pool) is getattr(client._http, pool)
    assert not getattr(copy._http, f"owns_{pool}")


CLIENT_CLASSES = [
    (agentstream.M8tes, agentstream.AsyncM8tes, "runs"),
    (Everruns, AsyncEverruns, "sessions"),
    (ManagedAgents, agentstream.AsyncManagedAgents, "sessions"),
    (agentstream.Shipit, agentstream.AsyncShipit, "chat"),
]


@pytest.mark.parametrize("sync_class, async_class, resource", CLIENT_CLASSES)
def test_every_client_shares_one_base(sync_class: Any, async_class: Any, resource: str) -> None:
    """with_options, last_response, closing and the repr are written once (in
    ClientBase / AsyncClientBase); a copy's resources speak through the copy."""
    from agentstream._async_client_base import AsyncClientBase
    from agentstream._sync_client_base import ClientBase

    for cls, base in ((sync_class, ClientBase), (async_class, AsyncClientBase)):
        assert issubclass(cls, base)
        shared = {"with_options", "last_response", "__enter__", "__exit__", "close"}
        shared |= {"__aenter__", "__aexit__", "aclose"}
        if cls not in (Everruns, AsyncEverruns):  # its repr says which API it speaks
            shared.add("__repr__")
        assert not shared & set(vars(cls))
    url = "http://h/api/v2" if sync_class is agentstream.M8tes else "http://h/api"
    client = sync_class(api_key=KEY, base_url=url)
    copy = client.with_options(max_retries=0)
    own = getattr(copy, resource)
    assert own is not getattr(client, resource)
    holder = getattr(own, "_client", None) or own._completions._client
    assert holder is copy and holder._http is copy._http
    assert repr(copy).startswith(f"<{sync_class.__name__} ") and repr(copy).endswith(f"{url}>")
    help_text = pydoc.render_doc(async_class, renderer=pydoc.plaintext)
    assert "A copy of this client with another `timeout`" in help_text
    assert "Close the connection pool, when this client made it." in help_text
    client.close()
