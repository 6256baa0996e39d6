"""The shipit typed layer: wire frame -> generated class -> common view.

Both of shipit's SSE formats decode here: the framed transcript of ``POST /v1/stream``
(``id: <sequence>``, ``event: <type>``, data with ``durability``/``generation``/
``sequence`` around the event) and the plain packet format (``sse_event_packet``:
``event: <type>``, the event's ``to_dict()`` with sorted keys; ``event: agent_result``
for the result, whose data has no ``type``: the event name gives it). The frame's extra
keys stay on the event's ``raw``; ``[DONE]`` decodes as ``DoneEvent``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..._converter import structure_event
from ..._exceptions import EventDecodeError
from ..._sse import ServerSentEvent
from ...types import UnknownEvent
from ._normalize import normalize
from ._policy import TERMINAL_NAMES, ShipitResumePolicy, parse_frame

if TYPE_CHECKING:
    from ...types import shipit

__all__ = ["ShipitAdapter", "decode_event"]

_MISSING = object()


def decode_event(
    frame: ServerSentEvent | dict[str, Any], *, strict: bool = False
) -> shipit.AnyEvent | UnknownEvent:
    """Decode one shipit frame (either SSE format), or one event's JSON, into its class.

    A type the schema does not know becomes ``UnknownEvent``; in lenient mode so does a
    known type whose payload does not fit (carrying the error). Never raises unless
    `strict`.

    Raises:
        EventDecodeError: `strict` and the payload does not fit its type.
    """
    if isinstance(frame, ServerSentEvent):
        event: shipit.AnyEvent | UnknownEvent = _decode(parse_frame(frame), frame, strict)
    else:
        event = structure_event("shipit", frame, strict=strict)
    return event


def _decode(parsed: Any, sse: ServerSentEvent, strict: bool) -> Any:
    if not isinstance(parsed, dict):
        error = EventDecodeError("a shipit frame's data is not a JSON object")
        return UnknownEvent(type=sse.event, data={"data": sse.data}, error=error)
    # `message` is the SSE default name: it says nothing about the type.
    name = sse.event if sse.event != "message" else None
    return structure_event("shipit", parsed, event_type=name, strict=strict)


class ShipitAdapter:
    """Decodes shipit frames, reusing the JSON the resume policy already parsed.

    ``durability`` is that of the last frame decoded (``canonical``, ``provisional``,
    or None in the plain format).
    """

    platform = "shipit"

    def __init__(self, policy: ShipitResumePolicy, *, strict: bool = False) -> None:
        self.policy = policy
        self.strict = strict
        self.durability: str | None = None

    def decode(self, sse: ServerSentEvent) -> Any:
        """The typed event of one delivered frame."""
        parsed = self.policy.parsed.pop(id(sse), _MISSING)
        if parsed is _MISSING:
            parsed = parse_frame(sse)
        durability = parsed.get("durability") if isinstance(parsed, dict) else None
        self.durability = durability if isinstance(durability, str) else None
        return _decode(parsed, sse, self.strict)

    normalize = staticmethod(normalize)

    @staticmethod
    def is_terminal(event: Any) -> bool:
        """``done``, ``error`` and ``agent_result`` end a shipit stream."""
        return getattr(event, "type", None) in TERMINAL_NAMES
