"""Helpers for the Everruns emulator tests (no tests here): raw HTTP against both APIs,
SSE reading with every frame strictly decoded against the generated types, and waits."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from agentstream import Comment, ServerSentEvent, SSEDecoder
from agentstream._converter import structure, structure_event
from agentstream.types import everruns

KEY = "test-key"
MANAGEMENT = {"Authorization": KEY}
AGENT = {"Authorization": f"Bearer {KEY}"}
EVENT_ID = r"event_[0-9a-f]{32}"


def text_message(text: str) -> dict[str, Any]:
    return {"message": {"role": "user", "content": [{"type": "text", "text": text}]}}


def checked(item: ServerSentEvent) -> dict[str, Any]:
    """An SSE event's JSON, strictly validated: lifecycle frames against their frame
    class, events against their type's class, with ``event:`` and ``id:`` agreeing."""
    data = item.json()
    if item.event in ("connected", "disconnecting"):
        structure_event("everruns", data, event_type=item.event, strict=True)
        return {"type": item.event, **data}
    assert item.event == data["type"] and item.id == data["id"], item
    structure_event("everruns", data, strict=True)
    return data


class Received:
    """What one SSE request got: frames (events and comments, in order), and how it ended."""

    def __init__(self) -> None:
        self.status = 0
        self.headers: httpx.Headers = httpx.Headers()
        self.items: list[ServerSentEvent | Comment] = []
        self.raw = b""
        self.error: Exception | None = None
        self.clean_end = False

    @property
    def events(self) -> list[ServerSentEvent]:
        return [i for i in self.items if isinstance(i, ServerSentEvent)]

    @property
    def data(self) -> list[dict[str, Any]]:
        return [checked(e) for e in self.events]

    @property
    def session_events(self) -> list[dict[str, Any]]:
        return [d for d in self.data if d["type"] not in ("connected", "disconnecting")]

    @property
    def types(self) -> list[str]:
        return [d["type"] for d in self.data]


class Api:
    """httpx against one emulator; `agent` selects the agent execution API."""

    def __init__(self, emulator: Any, *, agent: bool = False, **headers: str) -> None:
        self.emulator = emulator
        self.agent = agent
        self.base = emulator.agent_url if agent else emulator.base_url + "/v1"
        self.client = httpx.Client(
            headers={**(AGENT if agent else MANAGEMENT), **headers}, timeout=10
        )

    def close(self) -> None:
        self.client.close()

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.client.get(self.base + path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> httpx.Response:
        return self.client.post(self.base + path, json=body, **kwargs)

    def session(self, **body: Any) -> str:
        response = self.post("/sessions", body)
        assert response.status_code == 201, response.text
        structure(response.json(), everruns.Session, strict=True)
        return str(response.json()["id"])

    def send(self, session_id: str, text: str, **kwargs: Any) -> httpx.Response:
        return self.post(f"/sessions/{session_id}/messages", text_message(text), **kwargs)

    def status(self, session_id: str) -> str:
        data = self.get(f"/sessions/{session_id}").json()
        return str(data["status"])

    def wait_status(self, session_id: str, status: str, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while self.status(session_id) != status:
            assert time.monotonic() < deadline, f"session never became {status}"
            time.sleep(0.01)

    def events(self, session_id: str, **params: Any) -> list[dict[str, Any]]:
        response = self.get(f"/sessions/{session_id}/events", params=params)
        assert response.status_code == 200, response.text
        if not self.agent:
            structure(response.json(), everruns.EventList, strict=True)
        return list(response.json()["data"])

    def sse(
        self,
        session_id: str,
        params: Any = None,
        *,
        until: Callable[[Received], bool] | None = None,
        headers: dict[str, str] | None = None,
        during: Callable[[], Any] | None = None,
    ) -> Received:
        """Read ``.../sse`` until `until(received)` holds, or the body ends.

        `during` runs once the response has started (to act while connected)."""
        got = Received()
        decoder = SSEDecoder(comments=True)
        url = f"{self.base}/sessions/{session_id}/sse"
        with self.client.stream("GET", url, params=params, headers=headers or {}) as response:
            got.status, got.headers = response.status_code, response.headers
            if response.status_code != 200:
                got.raw = response.read()
                return got
            if during is not None:
                during()
            try:
                for chunk in response.iter_raw():
                    got.raw += chunk
                    got.items += decoder.feed(chunk)
                    if until is not None and until(got):
                        return got
                got.items += decoder.feed_eof()
                got.clean_end = True
            except httpx.RemoteProtocolError as exc:
                got.error = exc
        return got


def has(kind: str) -> Callable[[Received], bool]:
    """`until` for Api.sse: stop once an event of `kind` arrived."""
    return lambda got: any(e.event == kind for e in got.events)
