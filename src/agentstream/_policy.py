"""Resume policies: how a stream is re-joined, and what each incoming event means.

The stream machine (``_machine.py``) knows the SSE rules; a ResumePolicy knows one
platform's. It is pure: it never does IO, it only answers questions.

- ``request(original, last_event_id)``: the request for the next connection. The first
  connection asks too, so a policy can add its cursor to the very first request.
- ``opened(status, headers)``: a connection opened. The policy resets its per-connection
  state and may ask for one extra request to reconcile history (a *backfill*).
- ``backfill(status, body)``: the answer to that request; returns the events to deliver
  that the caller has not seen, and, last, the request for the next page if there is one.
- ``classify(event)``: DELIVER, SKIP (a duplicate), CONTROL (a heartbeat or lifecycle
  frame: neither delivered nor progress), TERMINAL (deliver it, then the stream is
  complete), or RECONNECT (drop this connection and come back after ``reconnect_delay``
  seconds, without counting it as a failure).
- ``ended()``: the body ended cleanly; True if that completes the stream, False to
  reconnect.
- ``follow(status, headers, body)``: a success that is not an event stream; the request
  that leads to the stream, or None (then it is an error). m8tes answers a repeated
  create (same ``Idempotency-Key``) with the run's JSON: the policy joins the run.

How each platform's strategy fits (PROVIDERS.md §6):

- **Generic (Last-Event-ID)** — LastEventIdPolicy below: the machine tracks the SSE
  ``id:`` and the policy sends it back as the ``Last-Event-ID`` header; every event is
  delivered; a clean end reconnects (WHATWG) unless told otherwise.
- **Everruns (``since_id`` query parameter)**: ``request`` rewrites the URL with
  ``since_id=<JSON id of the last delivered event>`` (the policy keeps that cursor from
  what it classified DELIVER); ``connected`` is CONTROL, ``disconnecting`` is RECONNECT
  with ``reconnect_delay = retry_ms / 1000``; an event whose id was already delivered is
  SKIP (belt and braces: the server promises no duplicates).
- **m8tes (replay from the start, skip what was delivered)**: ``request`` turns the
  original ``POST /runs/`` into ``GET /runs/{id}/stream`` once the run id is known (from
  the ``X-Run-Id`` header seen in ``opened``, or the ``metadata`` frame); ``opened``
  resets a per-connection frame counter; ``classify`` returns CONTROL for keep-alive
  frames, SKIP for the first N real frames of a re-join (N = frames already delivered),
  DELIVER after that, TERMINAL for ``done``/``error``/``cancelled``.
- **Claude Managed Agents (attach, list history, dedupe by id)**: ``opened`` returns the
  ``GET .../events`` request as a backfill; ``backfill`` returns the listed events whose
  ids were never delivered; ``classify`` returns SKIP for any event id already
  delivered (from history or the stream) and CONTROL for ``ping``.
- **shipit (integer sequence, provisional frames dropped)**: the SSE ``id:`` is the
  sequence; ``stream_hello`` is CONTROL (a new ``generation`` resets the cursor);
  after a reconnect, ``classify`` returns SKIP for provisional frames and for canonical
  frames whose sequence is not above the last delivered one; ``[DONE]`` is TERMINAL.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import attrs

from ._exceptions import redact_headers
from ._sse import ServerSentEvent

__all__ = ["LastEventIdPolicy", "Request", "ResumePolicy", "Verdict"]


@attrs.frozen(kw_only=True)
class Request:
    """An HTTP request, as data. Drivers turn it into a requests/httpx call."""

    method: str = "GET"
    url: str
    headers: Mapping[str, str] = attrs.field(factory=dict)
    body: bytes | None = None

    def with_headers(self, extra: Mapping[str, str]) -> Request:
        """A copy with the `extra` headers set, replacing any of the same name (any case)."""
        merged = dict(self.headers)
        lowered = {k.lower(): k for k in merged}
        for name, value in extra.items():
            merged.pop(lowered.get(name.lower(), name), None)
            merged[name] = value
        return attrs.evolve(self, headers=merged)

    def with_query(self, **params: str | Sequence[str] | None) -> Request:
        """A copy with the query parameters set: each replaces every value of its name;
        a sequence gives repeated keys (``types=["a", "b"]``); None removes the name."""
        parts = urlsplit(self.url)
        kept = parse_qsl(parts.query, keep_blank_values=True)
        kept = [(k, v) for k, v in kept if k not in params]
        for name, value in params.items():
            if isinstance(value, str):
                kept.append((name, value))
            elif value is not None:
                kept.extend((name, item) for item in value)
        return attrs.evolve(self, url=urlunsplit(parts._replace(query=urlencode(kept))))

    def without_header(self, name: str) -> Request:
        """A copy without the header `name` (any case); self if it has none."""
        kept = {k: v for k, v in self.headers.items() if k.lower() != name.lower()}
        return self if len(kept) == len(self.headers) else attrs.evolve(self, headers=kept)

    def __repr__(self) -> str:
        body = f", body=<{len(self.body)} bytes>" if self.body is not None else ""
        return (
            f"Request(method={self.method!r}, url={self.url!r}, "
            f"headers={redact_headers(self.headers)!r}{body})"
        )


def header_value(last_event_id: str) -> str:
    """The `last_event_id` a ``Last-Event-ID`` header can carry: HTTP trims whitespace
    around a field value, so an id sent as ``id:  5`` (two spaces: the value is " 5")
    goes as ``5``, which is what the server receives in any case; an id with a control
    character cannot be sent at all and gives "" (no header: the server starts over)."""
    value = last_event_id.strip(" \t")
    if any((ord(char) < 0x20 and char != "\t") or char == "\x7f" for char in value):
        return ""
    return value


class Verdict(enum.Enum):
    """What an incoming event means for the stream."""

    #: A new event: deliver it.
    DELIVER = "deliver"
    #: Already delivered on an earlier connection: drop it silently.
    SKIP = "skip"
    #: A heartbeat or lifecycle frame: neither delivered nor counted as progress.
    CONTROL = "control"
    #: The last event of the stream: deliver it, then finish.
    TERMINAL = "terminal"
    #: The server asks us to reconnect (connection cycling): not a failure.
    RECONNECT = "reconnect"


# Python 3.11 looks an enum member up in ~80 ns (a module global: ~15), as much as the
# rest of a small chunk's bookkeeping: the per-event paths (here, the machine) read these.
_DELIVER = Verdict.DELIVER
_SKIP = Verdict.SKIP
_TERMINAL = Verdict.TERMINAL


class ResumePolicy(Protocol):
    """A platform's resume rules. See the module docstring for how each platform fits."""

    #: Seconds to wait before the reconnect a RECONNECT verdict asked for.
    reconnect_delay: float

    def request(self, original: Request, last_event_id: str) -> Request:
        """The request for the next connection; the first connection asks too, so a
        policy can add its cursor to the very first request."""

    def opened(self, status: int, headers: Mapping[str, str]) -> Request | None:
        """A connection opened: reset per-connection state; return a backfill request to
        reconcile history, or None."""

    def backfill(self, status: int, body: bytes) -> Sequence[ServerSentEvent | Request]:
        """The answer to the backfill request: the events to deliver that the caller has
        not seen, in order; a Request last asks for the next page of history (its answer
        comes back to ``backfill`` too)."""

    def classify(self, event: ServerSentEvent) -> Verdict:
        """What `event` is: DELIVER, SKIP (a duplicate), CONTROL, TERMINAL or RECONNECT."""

    def ended(self) -> bool:
        """The body ended cleanly: True if that completes the stream, False to reconnect."""

    def follow(self, status: int, headers: Mapping[str, str], body: bytes) -> Request | None:
        """A success that is not an event stream: the request that leads to the stream,
        or None (then it is an error)."""


class LastEventIdPolicy:
    """The WHATWG behaviour: resume with the ``Last-Event-ID`` header.

    Args:
        reconnect: reconnect when the body ends cleanly (the spec's behaviour). False
            makes a clean end finish the stream.
        is_terminal: an optional predicate; an event for which it is true is delivered
            and then ends the stream (for servers that end with a ``[DONE]`` sentinel).
    """

    reconnect_delay = 0.0

    def __init__(
        self,
        *,
        reconnect: bool = True,
        is_terminal: Callable[[ServerSentEvent], bool] | None = None,
    ) -> None:
        self.reconnect = reconnect
        self.is_terminal = is_terminal

    def request(self, original: Request, last_event_id: str) -> Request:
        """Send the last event id back as ``Last-Event-ID`` (no header for an empty one)."""
        # "If the event source's last event ID string is not the empty string, set
        # `Last-Event-ID` to the last event ID string, encoded as UTF-8."
        value = header_value(last_event_id)
        if value:
            return original.with_headers({"Last-Event-ID": value})
        # An empty id (never set, or reset by the server) means no header at all.
        return original.without_header("Last-Event-ID")

    def opened(self, status: int, headers: Mapping[str, str]) -> Request | None:
        """No backfill: the server replays from ``Last-Event-ID``."""
        return None

    def backfill(self, status: int, body: bytes) -> list[ServerSentEvent]:
        """Nothing to reconcile (there is no backfill request)."""
        return []

    def classify(self, event: ServerSentEvent) -> Verdict:
        """Every event is delivered; ``is_terminal`` events end the stream."""
        if self.is_terminal is not None and self.is_terminal(event):
            return _TERMINAL
        return _DELIVER

    def ended(self) -> bool:
        """A clean end reconnects unless ``reconnect=False``."""
        return not self.reconnect

    def follow(self, status: int, headers: Mapping[str, str], body: bytes) -> Request | None:
        """A non-stream answer is an error: nothing leads on to a stream."""
        return None
