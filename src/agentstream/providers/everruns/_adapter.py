"""The Everruns typed layer: wire event -> generated class -> common view."""

from __future__ import annotations

from typing import Any

import orjson

from ..._converter import structure_event
from ..._exceptions import EventDecodeError
from ..._sse import ServerSentEvent
from ...types import UnknownEvent
from ._normalize import normalize
from ._policy import SessionResumePolicy

_MISSING = object()


class EverrunsAdapter:
    """Decodes Everruns events, reusing the JSON the resume policy already parsed."""

    platform = "everruns"

    def __init__(self, policy: SessionResumePolicy, *, strict: bool = False) -> None:
        self.policy = policy
        self.strict = strict

    def decode(self, sse: ServerSentEvent) -> Any:
        """The event's generated class (UnknownEvent for an unknown or malformed one)."""
        parsed = self.policy.parsed.pop(id(sse), _MISSING)
        if parsed is _MISSING:
            try:
                parsed = orjson.loads(sse.data)
            except orjson.JSONDecodeError:
                parsed = None
        if not isinstance(parsed, dict):
            error = EventDecodeError("an Everruns event's data is not a JSON object")
            return UnknownEvent(type=sse.event, data={"data": sse.data}, error=error)
        return structure_event("everruns", parsed, event_type=sse.event, strict=self.strict)

    normalize = staticmethod(normalize)

    def is_terminal(self, event: Any) -> bool:
        """The event that ended the awaited turn (a session stream has none)."""
        finished = self.policy.finished_id
        return finished is not None and getattr(event, "id", "") == finished
