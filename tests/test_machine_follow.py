"""The policy's ``follow`` seam: a success that is not a stream but says where it is."""

from __future__ import annotations

from collections.abc import Mapping

from agentstream._commands import Connect, Fail, Opened, Start
from agentstream._exceptions import RemoteProtocolError
from agentstream._machine import StreamMachine, StreamState
from agentstream._policy import LastEventIdPolicy, Request

ORIGINAL = Request(method="POST", url="https://api.example.com/runs/", body=b"{}")
JOIN = Request(url="https://api.example.com/runs/7/stream")


class Following(LastEventIdPolicy):
    def follow(self, status: int, headers: Mapping[str, str], body: bytes) -> Request | None:
        return JOIN if headers.get("idempotent-replay") == "true" and body else None


def test_follow_connects_to_where_the_stream_is() -> None:
    """A JSON answer the policy recognises becomes a Connect to the request it names."""
    machine = StreamMachine(ORIGINAL, policy=Following())
    machine.send(Start())
    headers = {"Content-Type": "application/json", "Idempotent-Replay": "true"}
    assert machine.send(Opened(200, headers, b'{"id": 7}')) == [Connect(JOIN)]
    assert machine.state is StreamState.CONNECTING


def test_without_follow_a_wrong_content_type_fails() -> None:
    """Any other non-stream success is a RemoteProtocolError naming the content type."""
    machine = StreamMachine(ORIGINAL, policy=Following())
    machine.send(Start())
    [command] = machine.send(Opened(200, {"Content-Type": "application/json"}, b"{}"))
    assert isinstance(command, Fail) and isinstance(command.error, RemoteProtocolError)
    assert "application/json" in str(command.error)
