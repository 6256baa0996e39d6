"""Redirects and deadlines, as pure rules shared by the four IO classes (EventSource,
AsyncEventSource, SyncHTTP, AsyncHTTP), which never let requests or httpx follow a
redirect themselves: each hop is decided here and sent by the driver.

- Which statuses are followed: 301, 302, 303, 307 and 308 with a ``Location``.
- The next method and body: 303 turns anything but HEAD into a GET without a body, and
  so do 301 and 302 for a POST (what browsers, requests and httpx do); 307 and 308 keep
  the method and the body.
- Which headers survive: on a hop to another origin (scheme, host or port), which an
  https -> http downgrade always is, every secret header is dropped (Authorization,
  Proxy-Authorization, Cookie, X-Api-Key, Api-Key, and any the caller names), and they
  stay dropped for the rest of the chain, even back on the first origin.
- How many: ``max_redirects`` hops per request (10 by default); one more is a
  RemoteProtocolError, as is a Location that is not http(s).

Messages name URLs by ``public_url``: without the query string, the fragment and any
user:password, which may carry credentials.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urljoin, urlsplit

import attrs

from ._exceptions import (
    SECRET_HEADERS,
    LocalProtocolError,
    RemoteProtocolError,
    public_url,
)
from ._policy import Request

__all__ = [
    "HEADERS_TIMEOUT",
    "MAX_REDIRECTS",
    "REDIRECT_STATUSES",
    "Redirects",
    "cross_origin",
    "next_request",
    "public_url",
    "secret_names",
]

#: Redirects followed for one request before RemoteProtocolError.
MAX_REDIRECTS = 10
#: The statuses that are followed when they carry a Location.
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
#: Seconds an event source waits for a response's headers, by default.
HEADERS_TIMEOUT = 30.0
_DEFAULT_PORTS = {"http": 80, "https": 443}
#: Headers that describe a body, dropped with it.
_BODY_HEADERS = frozenset({"content-type", "content-length", "content-encoding"})


def secret_names(extra: Iterable[str] = ()) -> frozenset[str]:
    """The secret header names, lowercase: SECRET_HEADERS and the caller's `extra`.

    Raises:
        LocalProtocolError: `extra` is a string (one name must be in a list) or holds
            something that is not a string.
    """
    if isinstance(extra, (str, bytes)):
        raise LocalProtocolError("secret_headers must be a list of header names, not a string")
    names = list(extra)
    for name in names:
        if not isinstance(name, str):
            raise LocalProtocolError(f"secret_headers must hold str names, not {name!r:.40}")
    return SECRET_HEADERS | {name.lower() for name in names}


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS.get(scheme)


def cross_origin(source: str, target: str) -> bool:
    """True when `target` is another origin than `source`: another scheme (so any
    https -> http downgrade), host or port (an explicit default port is the same)."""
    return _origin(source) != _origin(target)


def next_request(
    request: Request, status: int, location: str, secret: frozenset[str] = SECRET_HEADERS
) -> Request:
    """The request a redirect leads to: `location` resolved against the request's URL,
    the method and body the status says, and no secret header when the origin changes.

    Raises:
        RemoteProtocolError: the location is not an http(s) URL.
    """
    try:
        url = urljoin(request.url, location.strip())
        scheme = urlsplit(url).scheme.lower()
        _origin(url)  # a bad port raises here
    except ValueError:
        scheme = ""
    if scheme not in _DEFAULT_PORTS or not urlsplit(url).hostname:
        raise RemoteProtocolError(
            f"a {status} redirect from {public_url(request.url)} to a location that is"
            " not an http(s) URL"
        )
    method, body = request.method, request.body
    if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
        method, body = "GET", None
    dropped: set[str] = set()
    if body is None and request.body is not None:
        dropped |= _BODY_HEADERS
    if cross_origin(request.url, url):
        dropped |= secret
    headers = {k: v for k, v in request.headers.items() if k.lower() not in dropped}
    return attrs.evolve(request, method=method, url=url, headers=headers, body=body)


class Redirects:
    """The redirects of one request: follows each hop by ``next_request`` and counts.

    Args:
        request: the request as first sent.
        secret: the secret header names (``secret_names()``).
        limit: the hops allowed (``max_redirects``).
    """

    def __init__(
        self, request: Request, secret: frozenset[str] = SECRET_HEADERS, limit: int = MAX_REDIRECTS
    ) -> None:
        self.first = request.url
        self.request = request
        self.secret = secret
        self.limit = limit
        self.count = 0
        #: True once a hop went to another origin: from then on the HTTP client's own
        #: credentials (its default headers, auth and cookies) must not go either.
        self.crossed = False

    def follow(self, status: int, headers: Mapping[str, str]) -> Request | None:
        """The next request when this response is a redirect to follow, else None.

        Raises:
            RemoteProtocolError: more than `limit` redirects, or a location that is not
                an http(s) URL.
        """
        if status not in REDIRECT_STATUSES:
            return None
        location = next((v for k, v in headers.items() if k.lower() == "location"), "")
        if not location.strip():
            return None
        self.count += 1
        if self.count > self.limit:
            raise RemoteProtocolError(
                f"more than {self.limit} redirects from {public_url(self.first)} (max_redirects)"
            )
        previous = self.request
        self.request = next_request(previous, status, location, self.secret)
        self.crossed = self.crossed or cross_origin(previous.url, self.request.url)
        return self.request
