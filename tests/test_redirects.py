"""Secrets never follow a redirect elsewhere: the rule (``_redirects.py``) without
sockets, then both event sources and both JSON clients over loopback, with a second
server on another port as the redirect target recording what arrived."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest

from agentstream import LocalProtocolError, RemoteProtocolError
from agentstream._async_http import AsyncHTTP
from agentstream._policy import Request
from agentstream._redirects import (
    Redirects,
    cross_origin,
    next_request,
    public_url,
    secret_names,
)
from agentstream._sync_http import SyncHTTP
from tests.conftest import collect
from tests.sse_server import Reply, Send, SSEServer, frame

pytestmark = pytest.mark.timeout(10)

SECRETS = {
    "X-Api-Key": "key-1",
    "Authorization": "Bearer tok-1",
    "Cookie": "session=c-1",
    "Proxy-Authorization": "Basic p-1",
    "X-Token": "mine-1",  # secret because the caller says so
}
PLAIN = {"X-Trace": "t-1"}
SECRET_VALUES = ("key-1", "tok-1", "c-1", "p-1", "mine-1")


# -- the rule -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "target", "cross"),
    [
        ("https://a.test/x", "https://a.test/y?z=1", False),
        ("https://a.test:443/x", "https://A.TEST/y", False),
        ("http://a.test/x", "http://a.test:80/y", False),
        ("https://a.test/x", "http://a.test/x", True),  # downgrade
        ("http://a.test/x", "https://a.test/x", True),  # upgrade: another origin too
        ("https://a.test/x", "https://a.test:8443/x", True),
        ("https://a.test/x", "https://b.test/x", True),
        ("https://a.test/x", "https://a.test.evil/x", True),
    ],
)
def test_what_is_another_origin(source: str, target: str, cross: bool) -> None:
    assert cross_origin(source, target) is cross


def _request(method: str = "POST", url: str = "https://a.test/s") -> Request:
    headers = {**SECRETS, **PLAIN, "Content-Type": "application/json"}
    return Request(method=method, url=url, headers=headers, body=b"{}")


@pytest.mark.parametrize("location", ["http://a.test/s", "https://b.test/s", "https://a.test:1/s"])
def test_secrets_are_dropped_on_a_downgrade_or_another_origin(location: str) -> None:
    hop = next_request(_request(), 307, location, secret_names(["x-token"]))
    assert hop.url == location and hop.method == "POST" and hop.body == b"{}"
    assert dict(hop.headers) == {**PLAIN, "Content-Type": "application/json"}


def test_secrets_stay_on_the_same_origin_and_a_relative_location() -> None:
    hop = next_request(_request(), 308, "/t?x=1", secret_names(["x-token"]))
    assert hop.url == "https://a.test/t?x=1"
    assert dict(hop.headers) == dict(_request().headers)


@pytest.mark.parametrize(
    ("status", "method", "expected"),
    [
        (303, "POST", "GET"),
        (303, "PUT", "GET"),
        (303, "HEAD", "HEAD"),
        (302, "POST", "GET"),
        (301, "POST", "GET"),
        (302, "PUT", "PUT"),
        (307, "POST", "POST"),
        (308, "POST", "POST"),
    ],
)
def test_the_method_and_body_after_each_status(status: int, method: str, expected: str) -> None:
    hop = next_request(_request(method), status, "/t")
    assert hop.method == expected
    if expected == method:
        assert hop.body == b"{}" and "Content-Type" in hop.headers
    else:
        assert hop.body is None and "Content-Type" not in hop.headers


def test_secrets_dropped_once_stay_dropped_back_on_the_first_origin() -> None:
    redirects = Redirects(_request(), secret_names(["X-Token"]))
    assert redirects.follow(307, {"Location": "https://b.test/t"}) is not None
    back = redirects.follow(307, {"location": "https://a.test/s"})
    assert back is not None and dict(back.headers) == {**PLAIN, "Content-Type": "application/json"}


def test_what_is_not_followed_and_what_is_refused() -> None:
    redirects = Redirects(_request(), limit=2)
    assert redirects.follow(200, {"Location": "/t"}) is None
    assert redirects.follow(302, {}) is None  # no Location: the 3xx is the answer
    assert redirects.follow(304, {"Location": "/t"}) is None
    with pytest.raises(RemoteProtocolError, match="not an http"):
        redirects.follow(302, {"Location": "file:///etc/passwd"})
    redirects.follow(302, {"Location": "/a"})
    with pytest.raises(RemoteProtocolError, match=r"more than 2 redirects from https://a\.test/s"):
        redirects.follow(302, {"Location": "/b"})


def test_public_url_keeps_no_credentials() -> None:
    assert public_url("https://u:p@a.test:8443/x/y?token=1#f") == "https://a.test:8443/x/y"
    with pytest.raises(LocalProtocolError, match="list of header names"):
        secret_names("X-Token")


# -- event sources over loopback ------------------------------------------------------


@pytest.fixture
def servers() -> Iterator[tuple[SSEServer, SSEServer]]:
    with SSEServer() as first, SSEServer() as other:
        yield first, other


def _no_secrets(headers: Any) -> None:
    names = {name.lower() for name in headers}
    assert not names & {"x-api-key", "authorization", "cookie", "proxy-authorization", "x-token"}
    assert headers["x-trace"] == "t-1"


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_an_event_source_keeps_its_secrets_from_another_origin(
    mode: str, servers: tuple[SSEServer, SSEServer], status: int, path: str
) -> None:
    first, other = servers
    first.script(path, Reply(status=status, headers={"Location": other.url(path)}, body=b""))
    other.script(path, Reply(body=[Send(frame("a"))]))
    out = collect(
        mode,
        first.url(path),
        method="POST",
        json={"q": 1},
        headers={**SECRETS, **PLAIN},
        secret_headers=["x-token"],
        reconnect=False,
    )
    assert out.error is None and out.data == ["a"]
    (arrived,) = other.requests(path)
    _no_secrets(arrived.headers)
    if status in (307, 308):
        assert arrived.method == "POST" and arrived.json() == {"q": 1}
    else:
        assert arrived.method == "GET" and arrived.body == b""
        assert "content-type" not in {name.lower() for name in arrived.headers}


def test_the_callers_own_client_credentials_stay_home(
    mode: str, servers: tuple[SSEServer, SSEServer], path: str
) -> None:
    """Headers set on the caller's requests.Session / httpx.AsyncClient are secrets too:
    we follow redirects ourselves, so we strip them as the libraries would."""
    first, other = servers
    first.script(path, Reply(status=307, headers={"Location": other.url(path)}, body=b""))
    other.script(path, Reply(body=[Send(frame("a"))]))
    own = {"X-Api-Key": "key-1", "Authorization": "Bearer t-1", "Cookie": "s=c-1"}
    out = collect(mode, first.url(path), headers=PLAIN, caller_http=own, reconnect=False)
    assert out.error is None and out.data == ["a"]
    (went,) = first.requests(path)
    assert went.headers["x-api-key"] == "key-1" and went.headers["authorization"] == "Bearer t-1"
    (arrived,) = other.requests(path)
    _no_secrets(arrived.headers)


def test_an_event_source_keeps_its_secrets_on_its_own_origin(
    mode: str, servers: tuple[SSEServer, SSEServer], path: str
) -> None:
    first, _ = servers
    first.script(path, Reply(status=302, headers={"Location": f"{path}/there"}, body=b""))
    first.script(f"{path}/there", Reply(body=[Send(frame("a"))]))
    out = collect(mode, first.url(path), headers=SECRETS, reconnect=False)
    assert out.data == ["a"]
    (arrived,) = first.requests(f"{path}/there")
    assert arrived.headers["x-api-key"] == "key-1" and arrived.headers["cookie"] == "session=c-1"


def test_a_redirect_loop_fails_at_once_with_a_typed_error(
    mode: str, servers: tuple[SSEServer, SSEServer], path: str
) -> None:
    first, _ = servers
    first.script(path, Reply(status=302, headers={"Location": f"{path}?token=hunter2"}, body=b""))
    out = collect(mode, first.url(path), max_redirects=3, retry=0.01)
    assert isinstance(out.error, RemoteProtocolError), out.error
    assert str(out.error) == f"more than 3 redirects from {first.url(path)} (max_redirects)"
    assert len(first.requests(path)) == 4 and out.elapsed < 2  # never reconnected


# -- JSON clients over loopback -------------------------------------------------------


def _json_call(mode: str, base_url: str, method: str, path: str, **options: Any) -> Any:
    headers = {**SECRETS, **PLAIN}
    http_options = {"secret_headers": ["X-Token"], **options.pop("http", {})}
    if mode == "sync":
        http = SyncHTTP(base_url, headers, timeout=2, max_retries=0, **http_options)
        try:
            return http.request(method, path, **options)
        finally:
            http.close()

    async def main() -> Any:
        ahttp = AsyncHTTP(base_url, headers, timeout=2, max_retries=0, **http_options)
        try:
            return await ahttp.request(method, path, **options)
        finally:
            await ahttp.aclose()

    return asyncio.run(main())


@pytest.mark.parametrize(("status", "method"), [(302, "GET"), (303, "POST"), (307, "POST")])
def test_a_json_call_follows_a_redirect_without_its_secrets(
    mode: str, servers: tuple[SSEServer, SSEServer], path: str, status: int, method: str
) -> None:
    """Both twins follow redirects the same way (the async one used to hand the 3xx
    back), and neither takes a secret header to the other origin."""
    first, other = servers
    first.script(path, Reply(status=status, headers={"Location": other.url(path)}, body=b""))
    json_reply = Reply(headers={"Content-Type": "application/json"}, body=b'{"ok": true}')
    other.script(path, json_reply)
    got = _json_call(
        mode, first.base_url, method, path, json={"q": 1} if method == "POST" else None
    )
    assert got == {"ok": True}
    (arrived,) = other.requests(path)
    _no_secrets(arrived.headers)
    expected = "POST" if status == 307 else "GET"
    assert arrived.method == expected
    assert arrived.body == (b'{"q":1}' if expected == "POST" else b"")


def test_a_json_redirect_loop_is_a_typed_error(
    mode: str, servers: tuple[SSEServer, SSEServer], path: str
) -> None:
    first, _ = servers
    first.script(path, Reply(status=307, headers={"Location": path}, body=b""))
    start = time.monotonic()
    with pytest.raises(RemoteProtocolError, match=r"more than 2 redirects .* \(max_redirects\)"):
        _json_call(mode, first.base_url, "GET", path, http={"max_redirects": 2})
    assert len(first.requests(path)) == 3 and time.monotonic() - start < 2
