"""Hostile servers and careless callers: every bad input ends in a typed error or a typed
event, never a crash from deep inside, over real loopback HTTP where a server is involved."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

import agentstream
from agentstream import UnknownEvent
from agentstream.types import structure_event
from tests.m8tes_helpers import Driver
from tests.sse_server import Reply, Send, SSEServer, frame


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def server() -> Iterator[SSEServer]:
    with SSEServer() as srv:
        yield srv


def _m8tes_frames(*frames: dict[str, Any]) -> Reply:
    body = b"".join(frame(json.dumps(f)) for f in frames)
    return Reply(headers={"X-Run-Id": "7"}, body=[Send(body)])


def test_a_frame_with_a_non_string_type_is_an_unknown_event(mode: str, server: SSEServer) -> None:
    """`{"type": []}` in an m8tes stream arrives as UnknownEvent; the stream goes on."""
    server.script(
        "/runs/",
        _m8tes_frames(
            {"type": "text-delta", "id": "t", "delta": "hi"},
            {"type": []},
            {"type": "done", "stop_reason": "end_turn"},
        ),
    )
    driver = Driver(mode, server.base_url)
    try:
        run = driver.collect("create", message="x")
    finally:
        driver.close()
    assert run.error is None
    odd = [e for e in run.events if isinstance(e, UnknownEvent)]
    assert len(odd) == 1 and odd[0].type is None and odd[0].data == {"type": []}
    assert odd[0].error is not None and run.text == "hi"


def test_a_non_string_type_is_a_decode_error_when_strict() -> None:
    with pytest.raises(agentstream.EventDecodeError, match="type must be a string"):
        structure_event("m8tes", {"type": {"a": 1}}, strict=True)
