"""How a shipit stream resumes, and what each of its frames is.

shipit frames a run for SSE (``shipit_agent.streaming``): a ``stream_hello`` first
(``id: 0``, durability ``control``, carrying the server's *generation*), then one frame
per event with ``id: <sequence>`` (1, 2, ...) and a durability: *canonical* events are
the record and are replayed to a client that reconnects; *provisional* ones (text
deltas, usage ticks, tool output pieces) describe a moment that has passed and are
not. ``event: done`` / ``data: [DONE]`` ends the transcript. A server that restarted
has a new generation, and whatever a client drew from provisional frames is stale.

What the policy does with that:

- It keeps its own high-water mark, the sequence of the last frame it delivered. The
  browser-style cursor cannot be used: the hello's ``id: 0`` resets the SSE last event
  id, so a drop right after a resumed hello would ask for everything again.
- A reconnect asks with ``Last-Event-ID: <mark>`` (``0`` when nothing was delivered:
  without the header a POST would start a new run). On a resumed connection a frame at
  or below the mark is a duplicate (SKIP), and so is every provisional frame: it
  belongs to work whose beginning was lost, which shipit says to discard.
- A hello with a new generation resets the mark. If the connection was a resume, it
  was asked for from the old mark, so the policy reconnects at once from 0 (RECONNECT):
  the new server's canonical record arrives whole.
- ``done``, ``error`` and (in the plain packet format) ``agent_result`` end the stream.

shipit's own ``AgentServer`` does not re-join: every POST is a new run. So the client
builds this policy with ``resume=False`` for it: a clean end before ``done`` completes
the source (the stream then reports the interruption) and the source never reconnects.
Frames without a sequence (the plain ``sse_event_packet`` format) are all delivered.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from ..._policy import Request, Verdict
from ..._sse import ServerSentEvent

__all__ = ["DONE_SENTINEL", "TERMINAL_NAMES", "ChatPolicy", "ShipitResumePolicy", "parse_frame"]

DONE_SENTINEL = "[DONE]"
#: Frames after which the stream is complete (by ``type`` or by SSE event name).
TERMINAL_NAMES = frozenset({"done", "error", "agent_result"})
_DONE: dict[str, Any] = {"type": "done"}
_SKIP = Verdict.SKIP
_DELIVER = Verdict.DELIVER


def parse_frame(sse: ServerSentEvent) -> Any:
    """A frame's data as JSON (``[DONE]`` as ``{"type": "done"}``); None if it is not JSON."""
    data = sse.data
    if data == DONE_SENTINEL:
        return dict(_DONE)
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return None


class ShipitResumePolicy:
    """The resume rules of a shipit stream (see the module docstring).

    Usable with any event source: ``EventSource(url, policy=ShipitResumePolicy())``
    resumes a shipit app that serves ``Last-Event-ID`` from ``replay_from``.

    Args:
        resume: reconnect after a drop, asking with ``Last-Event-ID`` (an app that
            re-joins); False for a server that runs the request again instead.
        last_sequence: resume an earlier stream from this sequence (its last frame).
        generation: the generation that earlier stream was in, if known.
    """

    reconnect_delay = 0.0

    def __init__(
        self, *, resume: bool = True, last_sequence: int = 0, generation: str | None = None
    ) -> None:
        self.resume = resume
        #: The sequence of the last frame delivered (the high-water mark).
        self.last_sequence = last_sequence
        #: The server's stream generation, from the latest hello.
        self.generation = generation
        #: Generation changes seen (a restarted server); the stream drops stale state.
        self.restarts = 0
        #: Connections made so far.
        self.connections = 0
        #: Parsed JSON of delivered frames by ``id()`` of their ServerSentEvent, so that
        #: the typed layer need not parse them again; popped as they are used.
        self.parsed: dict[int, Any] = {}
        self._resumed = last_sequence > 0
        self._plain = False

    @property
    def resumed(self) -> bool:
        """Whether the current connection is a resume (provisional frames are skipped)."""
        return self._resumed

    def request(self, original: Request, last_event_id: str) -> Request:
        """The original request first; a resume adds ``Last-Event-ID: <mark>``."""
        self.connections += 1
        if self.connections > 1:
            self._resumed = True
        if not self._resumed:
            return original.without_header("Last-Event-ID")
        return original.with_headers({"Last-Event-ID": str(self.last_sequence)})

    def opened(self, status: int, headers: Mapping[str, str]) -> Request | None:
        """No backfill: the server replays what was missed."""
        return None

    def backfill(self, status: int, body: bytes) -> list[ServerSentEvent]:
        """Nothing to reconcile (there is no backfill request)."""
        return []

    def classify(self, event: ServerSentEvent) -> Verdict:
        """CONTROL for the hello (RECONNECT when it shows a new generation mid-resume),
        SKIP for duplicates and for provisional frames after a resume, TERMINAL for the
        end frames, DELIVER otherwise."""
        parsed = parse_frame(event)
        if not isinstance(parsed, dict):
            self.parsed[id(event)] = parsed
            return Verdict.TERMINAL if event.event in TERMINAL_NAMES else _DELIVER
        kind = parsed.get("type", event.event)
        if kind == "stream_hello" or parsed.get("durability") == "control":
            return self._hello(parsed)
        sequence = parsed.get("sequence")
        if type(sequence) is int and "durability" in parsed:
            if sequence <= self.last_sequence:
                return _SKIP
            if self._resumed and parsed["durability"] != "canonical":
                return _SKIP
            self.last_sequence = sequence
        else:
            self._plain = True  # the packet format: no sequence, nothing to resume from
        self.parsed[id(event)] = parsed
        if kind in TERMINAL_NAMES or event.event in TERMINAL_NAMES:
            return Verdict.TERMINAL
        return _DELIVER

    def _hello(self, frame: dict[str, Any]) -> Verdict:
        payload = frame.get("payload")
        generation = frame.get("generation")
        if generation is None and isinstance(payload, dict):
            generation = payload.get("generation")
        if not isinstance(generation, str):
            return Verdict.CONTROL
        known, self.generation = self.generation, generation
        if known is None or known == generation:
            return Verdict.CONTROL
        # A restarted server: its sequences start again, what we hold is stale.
        self.restarts += 1
        stale, self.last_sequence = self.last_sequence, 0
        if self._resumed and stale:
            return Verdict.RECONNECT  # this connection was asked for from the old mark
        return Verdict.CONTROL

    def ended(self) -> bool:
        """A clean end before the end frame: reconnect when resuming (unless the stream is
        in the plain format, which has no sequence to resume from); else the source ends
        (and the stream reports the interruption)."""
        return not self.resume or self._plain

    def follow(self, status: int, headers: Mapping[str, str], body: bytes) -> Request | None:
        """A non-stream answer is an error."""
        return None


class ChatPolicy:
    """A chat stream's rules: every chunk is delivered, ``[DONE]`` ends it, no resume."""

    reconnect_delay = 0.0

    def __init__(self) -> None:
        self.parsed: dict[int, Any] = {}

    def request(self, original: Request, last_event_id: str) -> Request:
        """The request as given: a repeat would start another run."""
        return original

    def opened(self, status: int, headers: Mapping[str, str]) -> Request | None:
        """No backfill."""
        return None

    def backfill(self, status: int, body: bytes) -> list[ServerSentEvent]:
        """Nothing to reconcile."""
        return []

    def classify(self, event: ServerSentEvent) -> Verdict:
        """TERMINAL for ``[DONE]``; DELIVER for every chunk."""
        parsed = parse_frame(event)
        self.parsed[id(event)] = parsed
        if isinstance(parsed, dict) and parsed.get("type") == "done" and len(parsed) == 1:
            return Verdict.TERMINAL
        return Verdict.DELIVER

    def ended(self) -> bool:
        """A clean end completes the source (the stream reports a missing ``[DONE]``)."""
        return True

    def follow(self, status: int, headers: Mapping[str, str], body: bytes) -> Request | None:
        """A non-stream answer is an error."""
        return None
