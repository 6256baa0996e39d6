"""The clients of the fault matrix: one Entry per client family (the generic event
source and each platform present), and ENTRIES, the list the matrix runs. A new
platform joins the matrix by adding its Entry here: its wire (how an event is framed,
where a request says to resume) and how to open its stream, sync and async.

Every entry streams the same story: events 1..N whose text is ``e1``, ``e2``, ... (the
last one is the platform's end of stream where it has one, read back as ``end``). An
item that could not be decoded (an UnknownEvent, or for the generic source data that is
not JSON) reads back as ``?``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import agentstream
from agentstream import AsyncEventSource, EventSource
from agentstream._async_http import AsyncHTTP
from agentstream._sync_http import SyncHTTP
from tests.fault_matrix_entry import (
    HEADERS_TIMEOUT,
    IDLE_TIMEOUT,
    READ_TIMEOUT,
    RECONNECTS,
    RETRY,
    SECRET,
    Entry,
    PlatformEntry,
    Transport,
    dump,
    sse,
)

if TYPE_CHECKING:
    from tests.fault_matrix_server import Recorded

__all__ = ["ENTRIES", "Everruns", "Generic", "M8tes", "ManagedAgents", "Shipit"]


class Generic(Entry):
    """EventSource / AsyncEventSource with ``Last-Event-ID``."""

    name = "generic"
    max_event_bytes = 64 * 1024
    secrets = {  # noqa: RUF012
        "Authorization": f"Bearer {SECRET}-bearer",
        "X-Api-Key": f"{SECRET}-key",
        "Cookie": f"sid={SECRET}-cookie",
    }

    def is_stream(self, path: str) -> bool:
        return path == "/events"

    def payload(self, n: int, last: bool) -> bytes:
        return dump({"n": n, "text": "@@TEXT@@"})

    def frame(self, n: int, data: bytes, last: bool) -> bytes:
        return sse(data, id=str(n))

    def cursor(self, request: Recorded) -> int | None:
        last = request.headers.get("last-event-id")
        return int(last) if last else None

    def _options(self) -> dict[str, Any]:
        return {
            "headers": self.secrets,
            "retry": RETRY,
            "connect_timeout": HEADERS_TIMEOUT,
            "headers_timeout": HEADERS_TIMEOUT,
            "read_timeout": READ_TIMEOUT,
            "idle_timeout": IDLE_TIMEOUT,
            "max_event_bytes": self.max_event_bytes,
            "max_reconnect_attempts": RECONNECTS,
        }

    def open_sync(self, base: str, transport: Transport) -> Any:
        return EventSource(base + "/events", session=transport.session, **self._options())

    def open_async(self, base: str, transport: Transport) -> Any:
        return AsyncEventSource(base + "/events", client=transport.client, **self._options())

    def json_sync(self, base: str, transport: Transport) -> Any:
        http = SyncHTTP(base, self.secrets, **self._json_options(), session=transport.session)
        try:
            return http.request("GET", "/v1/thing")
        finally:
            http.close()

    async def json_async(self, base: str, transport: Transport) -> Any:
        http = AsyncHTTP(base, self.secrets, **self._json_options(), client=transport.client)
        try:
            return await http.request("GET", "/v1/thing")
        finally:
            await http.aclose()

    def _json_options(self) -> dict[str, Any]:
        return {"timeout": HEADERS_TIMEOUT, "max_retries": 0}

    def marker(self, item: Any) -> str:
        try:
            return str(json.loads(item.data)["text"])
        except ValueError:
            return "?"


class M8tes(PlatformEntry):
    """M8tes / AsyncM8tes run streams: ``POST /runs/``, re-joined by replaying the run."""

    name = "m8tes"
    sync_class, async_class = agentstream.M8tes, agentstream.AsyncM8tes
    prefix = "/api/v2"
    terminal = True
    has_cursor = False
    secrets = {  # noqa: RUF012
        "Authorization": f"Bearer {SECRET}-m8",
        "X-Api-Key": f"{SECRET}-extra-key",
        "Cookie": f"sid={SECRET}-m8-cookie",
    }
    extra = {"X-Api-Key": secrets["X-Api-Key"], "Cookie": secrets["Cookie"]}  # noqa: RUF012

    def is_stream(self, path: str) -> bool:
        return path in ("/api/v2/runs/", "/api/v2/runs/7/stream")

    def stream_headers(self) -> dict[str, str]:
        return {"X-Run-Id": "7"}

    def payload(self, n: int, last: bool) -> bytes:
        if last:
            return dump({"type": "done", "stop_reason": "end_turn", "note": "@@TEXT@@"})
        return dump({"type": "text-delta", "id": f"txt_{n}", "delta": "@@TEXT@@"})

    def frame(self, n: int, data: bytes, last: bool) -> bytes:
        return sse(data)

    def api_key(self) -> str:
        return self.secrets["Authorization"].removeprefix("Bearer ")

    def open_stream(self, client: Any) -> Any:
        return client.runs.create(message="go", extra_headers=self.extra)

    def json_call(self, client: Any) -> Any:
        return client.runs.get(7)

    def text_of(self, raw: dict[str, Any]) -> str:
        return "end" if raw.get("type") == "done" else str(raw.get("delta"))


EVERRUNS_SESSION = "session_01933b5a000070008000000000000003"


def _event_id(n: int) -> str:
    return f"event_01933b5a0000700080000000{n:08x}"


class Everruns(PlatformEntry):
    """Everruns / AsyncEverruns session event streams, resumed with ``since_id``."""

    name = "everruns"
    sync_class, async_class = agentstream.Everruns, agentstream.AsyncEverruns
    prefix = "/api"
    secrets = {"Authorization": f"{SECRET}-pat"}  # noqa: RUF012

    def is_stream(self, path: str) -> bool:
        return path == f"/api/v1/sessions/{EVERRUNS_SESSION}/sse"

    def prologue(self) -> bytes:
        return sse(b'{"status":"connected"}', event="connected")

    def payload(self, n: int, last: bool) -> bytes:
        return dump(
            {
                "id": _event_id(n),
                "type": "output.message.delta",
                "ts": f"2026-05-01T10:30:{n:02d}.000Z",
                "session_id": EVERRUNS_SESSION,
                "sequence": n,
                "context": {"turn_id": "turn_1"},
                "data": {
                    "turn_id": "turn_1",
                    "message_id": "message_1",
                    "delta": "@@TEXT@@",
                    "accumulated": "",
                },
            }
        )

    def frame(self, n: int, data: bytes, last: bool) -> bytes:
        return sse(data, event="output.message.delta", id=_event_id(n))

    def cursor(self, request: Recorded) -> int | None:
        since = request.param("since_id")
        return int(since.rsplit("_", 1)[1][-8:], 16) if since else None

    def api_key(self) -> str:
        return self.secrets["Authorization"]

    def open_stream(self, client: Any) -> Any:
        return client.events.stream(EVERRUNS_SESSION)

    def json_call(self, client: Any) -> Any:
        return client.sessions.get(EVERRUNS_SESSION)

    def text_of(self, raw: dict[str, Any]) -> str:
        return str(raw["data"]["delta"])


MA_EVENTS = "/v1/sessions/sesn_1/events"


class ManagedAgents(PlatformEntry):
    """ManagedAgents / AsyncManagedAgents session streams: reopen, list since the
    cursor, dedupe by id."""

    name = "managed_agents"
    sync_class, async_class = agentstream.ManagedAgents, agentstream.AsyncManagedAgents
    terminal = True
    has_cursor = False
    backfills = True
    secrets = {"X-Api-Key": f"{SECRET}-anthropic"}  # noqa: RUF012

    def is_stream(self, path: str) -> bool:
        return path == MA_EVENTS + "/stream"

    def payload(self, n: int, last: bool) -> bytes:
        common = {"id": f"sevt_{n:02d}", "processed_at": f"2026-04-07T04:11:{n:02d}.000Z"}
        if last:
            return dump({"type": "session.status_terminated", **common, "note": "@@TEXT@@"})
        content = [{"type": "text", "text": "@@TEXT@@"}]
        return dump({"type": "agent.message", **common, "content": content})

    def frame(self, n: int, data: bytes, last: bool) -> bytes:
        kind = "session.status_terminated" if last else "agent.message"
        return sse(data, event=kind)

    def side(self, request: Recorded, stored: list[bytes]) -> bytes | None:
        """The event list: the baseline (empty: the session starts now) and the
        backfills (every stored event at or after ``created_at[gte]``)."""
        if request.path != MA_EVENTS:
            return None
        if request.param("order") == "desc":
            return b'{"data":[],"next_page":null}'
        since = request.param("created_at[gte]") or ""
        listed = []
        for data in stored:
            try:
                event = json.loads(data)
            except ValueError:
                continue  # a frame cut on purpose was never a stored event
            if event["processed_at"] >= since:
                listed.append(event)
        return json.dumps({"data": listed, "next_page": None}).encode()

    def is_backfill(self, request: Recorded) -> bool:
        return request.path == MA_EVENTS and request.param("order") == "asc"

    def api_key(self) -> str:
        return self.secrets["X-Api-Key"]

    def open_stream(self, client: Any) -> Any:
        return client.sessions.events.stream("sesn_1")

    def json_call(self, client: Any) -> Any:
        return client.sessions.retrieve("sesn_1")

    def text_of(self, raw: dict[str, Any]) -> str:
        if raw.get("type") == "session.status_terminated":
            return "end"
        return str(raw["content"][0]["text"])


class Shipit(PlatformEntry):
    """Shipit / AsyncShipit ``POST /v1/stream`` with ``resume=True``: ``Last-Event-ID``
    carries the sequence of the last canonical frame."""

    name = "shipit"
    sync_class, async_class = agentstream.Shipit, agentstream.AsyncShipit
    terminal = True
    secrets = {"Authorization": f"Bearer {SECRET}-shipit"}  # noqa: RUF012

    def is_stream(self, path: str) -> bool:
        return path == "/v1/stream"

    def prologue(self) -> bytes:
        hello = {
            "type": "stream_hello",
            "durability": "control",
            "generation": "g1",
            "sequence": 0,
            "message": "Stream opened",
            "payload": {"generation": "g1", "discard_provisional": True},
            "timestamp": 1.0,
        }
        return sse(dump(hello), event="stream_hello", id="0")

    def payload(self, n: int, last: bool) -> bytes:
        if last:
            return b"[DONE]"
        frame = {
            "type": "tool_completed",
            "durability": "canonical",
            "generation": "g1",
            "sequence": n,
            "message": "@@TEXT@@",
            "payload": {"tool": "lookup", "output": "ok", "iteration": 1},
            "timestamp": 1.0,
        }
        return dump(frame)

    def frame(self, n: int, data: bytes, last: bool) -> bytes:
        if last:
            return sse(b"[DONE]", event="done")
        return sse(data, event="tool_completed", id=str(n))

    def cursor(self, request: Recorded) -> int | None:
        last = request.headers.get("last-event-id")
        return int(last) or None if last else None

    def api_key(self) -> str:
        return self.secrets["Authorization"].removeprefix("Bearer ")

    def open_stream(self, client: Any) -> Any:
        return client.stream(prompt="go", resume=True)

    def json_call(self, client: Any) -> Any:
        return client.health()

    def text_of(self, raw: dict[str, Any]) -> str:
        return "end" if raw.get("type") == "done" else str(raw.get("message"))


#: Every client family in the matrix. A new platform joins by adding its Entry here.
ENTRIES: list[Entry] = [Generic(), M8tes(), Everruns(), ManagedAgents(), Shipit()]
