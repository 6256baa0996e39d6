"""The Managed Agents typed layer: wire frame -> generated class -> common view."""

from __future__ import annotations

from typing import Any

import orjson

from ..._converter import structure_event
from ..._exceptions import EventDecodeError
from ..._sse import ServerSentEvent
from ...types import UnknownEvent
from ._common import refine, stream_error
from ._normalize import Normalizer
from ._policy import SessionResumePolicy

_MISSING = object()


class ManagedAgentsAdapter:
    """Decodes frames (reusing the JSON the resume policy parsed), raises an in-stream
    ``event: error`` as its typed status error, and ends where the policy ended."""

    platform = "managed_agents"

    def __init__(self, policy: SessionResumePolicy, *, strict: bool = False) -> None:
        self.policy = policy
        self.strict = strict
        self.normalize = Normalizer()

    def decode(self, sse: ServerSentEvent) -> Any:
        """The frame's generated event (UnknownEvent when it has no class).

        Raises:
            APIStatusError: the frame is ``event: error``.
        """
        if sse.event == "error":
            raise refine(stream_error(sse.data))
        parsed = self.policy.parsed.pop(id(sse), _MISSING)
        if parsed is _MISSING:
            try:
                parsed = orjson.loads(sse.data)
            except orjson.JSONDecodeError:
                parsed = None
        if not isinstance(parsed, dict):
            error = EventDecodeError("a Managed Agents frame's data is not a JSON object")
            return UnknownEvent(type=sse.event, data={"data": sse.data}, error=error)
        return structure_event("managed_agents", parsed, event_type=sse.event, strict=self.strict)

    def is_terminal(self, event: Any) -> bool:
        """The event the policy ended the stream with."""
        terminal = self.policy.terminal_id
        return terminal is not None and getattr(event, "id", "") == terminal
