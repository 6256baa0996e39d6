"""The m8tes typed layer: wire frame -> generated class -> common view."""

from __future__ import annotations

from typing import Any

import orjson

from ..._converter import structure_event
from ..._exceptions import EventDecodeError
from ..._sse import ServerSentEvent
from ...types import UnknownEvent
from ._normalize import normalize
from ._policy import DONE_SENTINEL, TERMINAL_TYPES, RunResumePolicy

_MISSING = object()


class M8tesAdapter:
    """Decodes m8tes frames, reusing the JSON the resume policy already parsed."""

    platform = "m8tes"

    def __init__(self, policy: RunResumePolicy, *, strict: bool = False) -> None:
        self.policy = policy
        self.strict = strict

    def decode(self, sse: ServerSentEvent) -> Any:
        parsed = self.policy.parsed.pop(id(sse), _MISSING)
        if parsed is _MISSING:
            parsed = _parse(sse.data)
        if not isinstance(parsed, dict):
            error = EventDecodeError("an m8tes frame's data is not a JSON object")
            return UnknownEvent(type=None, data={"data": sse.data}, error=error)
        return structure_event("m8tes", parsed, strict=self.strict)

    normalize = staticmethod(normalize)

    @staticmethod
    def is_terminal(event: Any) -> bool:
        return getattr(event, "type", None) in TERMINAL_TYPES


def _parse(data: str) -> Any:
    if data == DONE_SENTINEL:
        return {"type": "done"}
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
