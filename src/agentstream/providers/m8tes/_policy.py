"""How an m8tes run's stream resumes: re-join and skip what was already delivered.

m8tes streams carry no cursor: frames are data-only, without ``id:``. What the platform
offers instead is ``GET /runs/{id}/stream``, which replays the run from its first frame
and then continues live. So after a drop the policy re-joins the run and skips exactly as
many real frames as it has delivered (keep-alives don't count: they are never delivered
and never replayed), and the caller sees one unbroken stream.

The run id comes from the ``X-Run-Id`` header of the first response (or, failing that,
the ``metadata`` frame), so it is known before the first event.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import orjson

from ..._policy import Request, Verdict
from ..._sse import ServerSentEvent

#: The frames after which a run's stream is complete.
TERMINAL_TYPES = frozenset(
    {
        "done",
        "error",
        "cancelled",
        "sdk_error",
        "AGENT_RUNNER_DIED",
        "RUNNER_LIFECYCLE_ERROR",
        "SANDBOX_BOOT_TIMEOUT",
        "SANDBOX_QUOTA_EXHAUSTED",
        "SANDBOX_UNAVAILABLE",
        "SNAPSHOT_VERSION_MISMATCH",
    }
)
#: Heartbeats and join markers: not events of the run, never counted.
CONTROL_TYPES = frozenset({"keep-alive", "ping", "replay_complete"})
#: Headers of a create/reply that a re-join (a GET) must not repeat.
BODY_HEADERS = frozenset({"content-type", "content-length", "idempotency-key"})
DONE_SENTINEL = "[DONE]"


class RunResumePolicy:
    """Resume an m8tes run stream by re-joining it (see the module docstring).

    Args:
        base_url: the API base, e.g. ``https://api.m8tes.ai/api/v2``.
        run_id: the run, when joining an existing one; else learnt from the response.
    """

    reconnect_delay = 0.0

    def __init__(self, base_url: str, run_id: int | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.run_id = run_id
        #: Real frames delivered so far, across every connection.
        self.delivered = 0
        #: Parsed JSON of delivered frames, by ``id()`` of their ServerSentEvent, so the
        #: typed layer need not parse them again. Entries are popped as they are used.
        self.parsed: dict[int, Any] = {}
        self._connections = 0
        self._skip = 0
        self._headers: Mapping[str, str] = {}
        self._query = ""

    def request(self, original: Request, last_event_id: str) -> Request:
        """The original request first; once the run id is known, ``GET /runs/{id}/stream``
        with the original's headers (but those of its body) and query (the caller's
        ``extra_query``)."""
        self._connections += 1
        self._headers = original.headers
        self._query = urlsplit(original.url).query
        if self._connections == 1 or self.run_id is None:
            return original
        return self._join()

    def _join(self) -> Request:
        headers = {k: v for k, v in self._headers.items() if k.lower() not in BODY_HEADERS}
        url = f"{self.base_url}/runs/{self.run_id}/stream"
        return Request(url=f"{url}?{self._query}" if self._query else url, headers=headers)

    def follow(self, status: int, headers: Mapping[str, str], body: bytes) -> Request | None:
        """A repeated create (the same Idempotency-Key, after a connection lost before
        its answer) is answered with the run's JSON and ``Idempotent-Replay``: join it."""
        if "idempotent-replay" not in headers:
            return None
        try:
            run = orjson.loads(body)
        except orjson.JSONDecodeError:
            return None
        if not isinstance(run, dict) or not isinstance(run.get("id"), int):
            return None
        self.run_id = run["id"]
        return self._join()

    def opened(self, status: int, headers: Mapping[str, str]) -> Request | None:
        """Learn the run id from ``X-Run-Id``; a re-join starts counting frames again."""
        run_id = headers.get("x-run-id")
        if run_id is not None and run_id.isdigit():
            self.run_id = int(run_id)
        # A (re-)join replays from the first frame: skip what the caller already has.
        self._skip = self.delivered
        return None

    def backfill(self, status: int, body: bytes) -> list[ServerSentEvent]:
        """Nothing to reconcile: a re-join replays the run from its start."""
        return []

    def classify(self, event: ServerSentEvent) -> Verdict:
        """Keep-alives are CONTROL, the first frames of a re-join (already delivered)
        SKIP, then DELIVER; ``done``/``error``/``cancelled`` are TERMINAL."""
        data = event.data
        if data == DONE_SENTINEL:
            parsed: Any = {"type": "done"}
        else:
            try:
                parsed = orjson.loads(data)
            except orjson.JSONDecodeError:
                parsed = None
        kind = parsed.get("type") if isinstance(parsed, dict) else None
        if not isinstance(kind, str):  # a frame with `"type": []` is data, not a crash
            kind = None
        if kind in CONTROL_TYPES:
            return Verdict.CONTROL
        if self._skip:
            self._skip -= 1
            return Verdict.SKIP
        self.delivered += 1
        self.parsed[id(event)] = parsed
        if kind == "metadata" and self.run_id is None:
            self._learn_run_id(parsed)
        return Verdict.TERMINAL if kind in TERMINAL_TYPES else Verdict.DELIVER

    def _learn_run_id(self, frame: dict[str, Any]) -> None:
        payload = frame.get("payload")
        run_id = payload.get("run_id") if isinstance(payload, dict) else None
        if isinstance(run_id, int):
            self.run_id = run_id

    def ended(self) -> bool:
        """A run's stream is complete only at its terminal frame: anything else re-joins."""
        # A run's stream is complete only at a terminal frame; an end before it is a
        # drop, and the run is re-joined.
        return False
