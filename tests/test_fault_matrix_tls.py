"""An https -> http downgrade over real loopback, for every client of the fault matrix
(streams and JSON calls, sync and async): a TLS server on 127.0.0.1 (its certificate
made at test time, trusted by the client's own session or httpx client) redirects to
plain http on the same host and port, so the scheme alone changes. Every secret
header the client sends reaches the https leg and none reaches the http one; a
redirect that stays on the https origin keeps them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from agentstream import AgentStreamError, APIStatusError
from tests.fault_matrix_entries import ENTRIES
from tests.fault_matrix_entry import FAULTY, Entry, Transport
from tests.fault_matrix_faults import FAULTS, Scene
from tests.fault_matrix_runner import error_texts, expected, read, secrets_in
from tests.fault_matrix_server import LoopServer, Recorded, Step, head, json_reply
from tests.fault_matrix_tls import LoopbackTLS

#: Seconds any case may take.
BOUND = 3.0
#: Drop after events 1 and 2, then redirect the reconnect to `scene.elsewhere`.
RESUME_ELSEWHERE = next(fault for fault in FAULTS if fault.name == "redirect_elsewhere")
MODES = ("sync", "async")
NOT_FOUND = b'{"error":{"message":"no such thing","code":"not_found_error"}}'


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> LoopbackTLS:
    return LoopbackTLS(Path(tmp_path_factory.mktemp("tls")))


@pytest.fixture
def session(tls: LoopbackTLS) -> Iterator[Transport]:
    """What the clients are given: a session and an httpx client that trust the cert."""
    requests_session = tls.session()
    yield Transport(session=requests_session, client_factory=tls.async_client)
    requests_session.close()


def cases() -> list[object]:
    return [
        pytest.param(entry, mode, id=f"{entry.name}-{mode}") for entry in ENTRIES for mode in MODES
    ]


def check_no_secret_sent(entry: Entry, requests: list[Recorded]) -> None:
    for request in requests:
        assert not secrets_in(request.wire(), entry.secrets.values()), request
        assert not {name.lower() for name in entry.secrets} & set(request.headers), request


@pytest.mark.timeout(30)
@pytest.mark.parametrize(("entry", "mode"), cases())
def test_stream_resumed_over_a_downgrade_sends_no_secret(
    tls: LoopbackTLS, session: Transport, entry: Entry, mode: str
) -> None:
    scene = Scene(entry, RESUME_ELSEWHERE)
    with LoopServer(scene.handle, tls=tls.server_context(), plain_too=True) as server:
        scene.elsewhere = server.plain_origin
        out = read(entry, mode, server.origin, session)
    assert out.elapsed < BOUND, out
    assert out.error is None, out
    assert out.markers == expected(entry)  # resumed on the http leg, nothing twice
    streams = [r for r in server.requests if entry.is_stream(r.path)]
    secure, plain = [r for r in streams if r.tls], [r for r in server.requests if not r.tls]
    assert len(secure) == 2 and plain, server.requests
    for name, value in entry.secrets.items():
        assert secure[0].headers.get(name.lower()) == value, name
    check_no_secret_sent(entry, plain)
    if entry.has_cursor:  # the cursor is no secret: it crossed the redirect
        assert entry.cursor(plain[0]) == FAULTY - 1


def call_json(entry: Entry, mode: str, base: str, transport: Transport) -> BaseException | None:
    """Make the entry's JSON call; the typed error it ends with (None: it succeeded)."""
    try:
        if mode == "sync":
            entry.json_sync(base, transport)
        else:
            asyncio.run(asyncio.wait_for(_json_async(entry, base, transport), 15))
    except AgentStreamError as exc:
        return exc
    return None


async def _json_async(entry: Entry, base: str, transport: Transport) -> None:
    assert transport.client_factory is not None
    transport.client = transport.client_factory()
    try:
        await entry.json_async(base, transport)
    finally:
        await transport.client.aclose()


@pytest.mark.timeout(30)
@pytest.mark.parametrize("where", ["downgrade", "same_origin"])
@pytest.mark.parametrize(("entry", "mode"), cases())
def test_json_call_redirected(
    tls: LoopbackTLS, session: Transport, entry: Entry, mode: str, where: str
) -> None:
    """A JSON call redirected (302) from https to http loses its secrets; one
    redirected to another path of the https origin keeps them."""

    def handler(request: Recorded) -> Iterable[Step]:
        if request.tls and not request.path.startswith("/moved"):
            target = server.plain_origin if where == "downgrade" else "/moved"
            return [head(302, {"Location": target + request.target, "Content-Length": "0"})]
        return [json_reply(404, NOT_FOUND)]

    server = LoopServer(handler, tls=tls.server_context(), plain_too=True)
    with server:
        started = time.monotonic()
        error = call_json(entry, mode, server.origin, session)
        elapsed = time.monotonic() - started
    assert elapsed < BOUND
    assert isinstance(error, APIStatusError) and error.status_code == 404, error
    for text in error_texts(error):
        assert not secrets_in(text, entry.secrets.values()), text
    first, followed = server.requests
    sent = {name: value for name, value in entry.secrets.items() if name.lower() in first.headers}
    assert sent, first  # the client's own credentials went to the https origin
    assert all(first.headers[name.lower()] == value for name, value in sent.items())
    if where == "downgrade":
        assert not followed.tls
        check_no_secret_sent(entry, [followed])
    else:
        assert followed.tls and followed.path.startswith("/moved")
        for name, value in sent.items():
            assert followed.headers.get(name.lower()) == value, name
