"""AgentServer's OpenAI-compatible endpoint: its chunks, typed, side-band included.

A streamed ``POST /v1/chat/completions`` sends data-only frames: a role chunk, content
chunks, a chunk with ``finish_reason: "stop"``, then ``data: [DONE]``. Between them,
chunks with an empty delta carry shipit's side-band, a top-level ``"shipit": {"type":
<event>, **payload}`` for tool calls and results, usage, compaction, cancellation and
guardrails; an OpenAI client ignores the key. Here such a chunk becomes the typed shipit
event it stands for (``ToolCalledEvent``, ``UsageTickEvent``, ...), every other chunk a
``ChatCompletionChunk``, and an in-band error (``{"error": {"message"}}``) an
``ErrorEvent``. The request starts a run, so it is never repeated: no resume.
"""

from __future__ import annotations

from typing import Any

from ..._converter import structure, structure_event
from ..._exceptions import EventDecodeError
from ..._sse import ServerSentEvent
from ...types import UnknownEvent, common
from ._normalize import normalize
from ._policy import ChatPolicy, parse_frame

__all__ = ["ChatAdapter", "decode_chunk"]

P = "shipit"


def decode_chunk(data: Any, *, strict: bool = False) -> Any:
    """One chunk's JSON -> ``ChatCompletionChunk``, the side-band's shipit event, an
    ``ErrorEvent`` or ``DoneEvent``; ``UnknownEvent`` for anything else.

    Raises:
        EventDecodeError: `strict` and the chunk does not fit its type.
    """
    from ...types import shipit

    if not isinstance(data, dict):
        error = EventDecodeError("a chat chunk's data is not a JSON object")
        return UnknownEvent(type=None, data={"data": data}, error=error)
    if data.get("type") == "done":
        return shipit.DoneEvent()
    error_body = data.get("error")
    if error_body is not None:
        message = error_body.get("message") if isinstance(error_body, dict) else error_body
        return structure_event("shipit", {"type": "error", "error": str(message)}, strict=strict)
    side_band = data.get("shipit")
    if isinstance(side_band, dict):
        return structure_event("shipit", _envelope(side_band, data), strict=strict)
    try:
        return structure(data, shipit.ChatCompletionChunk, strict=strict)
    except EventDecodeError as exc:
        if strict:
            raise
        return UnknownEvent(type=data.get("object"), data=data, error=exc)


def _envelope(side_band: dict[str, Any], chunk: dict[str, Any]) -> dict[str, Any]:
    """The side-band as a shipit event: its type, the rest as payload, the chunk's time."""
    payload = {k: v for k, v in side_band.items() if k != "type"}
    created = chunk.get("created")
    timestamp = float(created) if isinstance(created, (int, float)) else 0.0
    return {
        "type": side_band.get("type"),
        "message": "",
        "payload": payload,
        "timestamp": timestamp,
    }


class ChatAdapter:
    """Decodes chat chunks (see ``decode_chunk``) and maps them to the common view."""

    platform = "shipit"

    def __init__(self, policy: ChatPolicy, *, strict: bool = False) -> None:
        self.policy = policy
        self.strict = strict

    def decode(self, sse: ServerSentEvent) -> Any:
        """The typed form of one delivered chunk."""
        parsed = self.policy.parsed.pop(id(sse), None)
        return decode_chunk(parsed if parsed is not None else parse_frame(sse), strict=self.strict)

    @staticmethod
    def normalize(event: Any) -> list[Any]:
        """Content -> text, ``finish_reason`` -> the turn's end, side-band -> its meaning."""
        choices = getattr(event, "choices", None)
        if choices is None or getattr(event, "object", None) is None:
            return normalize(event)
        out: list[Any] = []
        for choice in choices:
            if choice.delta.content:
                out.append(
                    common.TextDelta(platform=P, raw_type="chunk", text=choice.delta.content)
                )
            if choice.finish_reason:
                out.append(
                    common.TurnEnded(platform=P, raw_type="chunk", stop_reason=choice.finish_reason)
                )
        return out

    @staticmethod
    def is_terminal(event: Any) -> bool:
        """``[DONE]`` ends the stream (an in-band error is followed by it)."""
        return getattr(event, "type", None) == "done"
