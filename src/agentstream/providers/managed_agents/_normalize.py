"""Managed Agents events -> the common view (``agentstream.types.common``).

One small function per event type. The one piece of state is the text of
``event_delta`` previews: a stored ``agent.message`` that merely completes its previews
adds only the missing remainder (``iter_text()`` and ``.text`` never repeat text);
one that differs from them replaces them (``TextReplaced``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import attrs

from ..._common_fast import ReasoningDelta, TextDelta
from ...types import common

__all__ = ["Normalizer", "block_text"]

P = "managed_agents"
Common = Any  # one of the common view's event classes


def block_text(content: Any) -> str:
    """The text of a list of content blocks (other blocks contribute nothing)."""
    parts = []
    for block in content or ():
        text = getattr(block, "text", None)
        if text is None and isinstance(block, dict):
            text = block.get("text")
        if isinstance(text, str):
            parts.append(text)
    return "".join(parts)


def _usage(u: Any, *, cache_creation: int | None = None) -> common.Usage:
    return common.Usage(
        input_tokens=getattr(u, "input_tokens", None) or 0,
        output_tokens=getattr(u, "output_tokens", None) or 0,
        cache_read_tokens=getattr(u, "cache_read_input_tokens", None),
        cache_creation_tokens=cache_creation,
    )


class Normalizer:
    """Maps one stream's events to the common view, remembering preview text."""

    def __init__(self) -> None:
        self._previews: dict[str, str] = {}  # message id -> preview text so far
        self._kinds: dict[str, str] = {}  # previewed event id -> agent.message|thinking

    def __call__(self, event: Any) -> list[Common]:
        handler = _HANDLERS.get(getattr(event, "type", None) or "")
        return handler(self, event) if handler is not None else []

    # -- messages and previews ------------------------------------------------------

    def _start(self, e: Any) -> list[Common]:
        self._kinds[e.event.id] = e.event.type
        if e.event.type == "agent.message":
            self._previews.setdefault(e.event.id, "")
        return []

    def _delta(self, e: Any) -> list[Common]:
        text = getattr(e.delta.content, "text", "") or ""
        if self._kinds.get(e.event_id) == "agent.thinking":
            return [ReasoningDelta(platform=P, raw_type=e.type, text=text)]
        if not text:
            return []
        # A delta without its start (the stream opened mid-message) starts the preview.
        self._previews[e.event_id] = self._previews.get(e.event_id, "") + text
        return [TextDelta(platform=P, raw_type=e.type, text=text, message_id=e.event_id)]

    def _message(self, e: Any) -> list[Common]:
        full = block_text(e.content)
        self._kinds.pop(e.id, None)
        shown = self._previews.pop(e.id, "")
        if full.startswith(shown):
            rest = full[len(shown) :]
            if not rest:
                return []
            return [
                TextDelta(platform=P, raw_type=e.type, text=rest, event_id=e.id, message_id=e.id)
            ]
        return [
            common.TextReplaced(
                platform=P,
                raw_type=e.type,
                message_id=e.id,
                text=full,
                event_id=e.id,
                reason="the stored message differs from its previews",
            )
        ]

    def _thinking(self, e: Any) -> list[Common]:
        # The platform's thinking event carries no text: an empty delta marks it.
        self._kinds.pop(e.id, None)
        return [ReasoningDelta(platform=P, raw_type=e.type, text="", event_id=e.id)]

    # -- tools ----------------------------------------------------------------------

    def _tool_use(self, e: Any, kind: str) -> list[Common]:
        out: list[Common] = [
            common.ToolCallStarted(
                platform=P,
                raw_type=e.type,
                call_id=e.id,
                name=e.name,
                arguments=dict(e.input or {}),
                kind=kind,
                event_id=e.id,
            )
        ]
        asks = kind == "custom" or getattr(e, "evaluated_permission", None) == "ask"
        if asks:
            out.append(
                common.ActionRequired(
                    platform=P,
                    raw_type=e.type,
                    kind="custom_tool_result" if kind == "custom" else "approval",
                    request_id=e.id,
                    event_id=e.id,
                    call_id=e.id,
                    tool_name=e.name,
                    arguments=dict(e.input or {}),
                )
            )
        return out

    def _tool_result(self, e: Any, call_id: str) -> list[Common]:
        return [
            common.ToolCallFinished(
                platform=P,
                raw_type=e.type,
                call_id=call_id,
                result=block_text(e.content) if e.content is not None else None,
                is_error=bool(e.is_error),
                event_id=e.id,
            )
        ]

    # -- the session ----------------------------------------------------------------

    def _idle(self, e: Any) -> list[Common]:
        details = getattr(e, "stop_details", None)
        return [
            common.TurnEnded(
                platform=P,
                raw_type=e.type,
                stop_reason=getattr(e.stop_reason, "type", None) or "end_turn",
                detail=getattr(details, "explanation", None),
                event_id=e.id,
            )
        ]

    def _ended(self, e: Any, reason: str) -> list[Common]:
        return [common.TurnEnded(platform=P, raw_type=e.type, stop_reason=reason, event_id=e.id)]

    def _error(self, e: Any) -> list[Common]:
        retry = getattr(getattr(e.error, "retry_status", None), "type", None)
        return [
            common.StreamError(
                platform=P,
                raw_type=e.type,
                message=getattr(e.error, "message", None) or "session error",
                retryable=retry == "retrying",
                code=getattr(e.error, "type", None),
                event_id=e.id,
            )
        ]

    def _span_usage(self, e: Any) -> list[Common]:
        u = e.model_usage
        usage = _usage(u, cache_creation=getattr(u, "cache_creation_input_tokens", None))
        return [common.UsageReported(platform=P, raw_type=e.type, usage=usage, cumulative=False)]

    def _session_usage(self, e: Any) -> list[Common]:
        u = e.usage
        cache = getattr(u, "cache_creation", None)
        created = None
        if cache is not None:
            created = (getattr(cache, "ephemeral_1h_input_tokens", None) or 0) + (
                getattr(cache, "ephemeral_5m_input_tokens", None) or 0
            )
        usage = _usage(u, cache_creation=created)
        cost = getattr(u, "list_cost", None)
        if cost is not None and getattr(cost, "currency", "USD") == "USD":
            with contextlib.suppress(TypeError, ValueError):  # an amount that is no number
                usage = attrs.evolve(usage, cost_usd=float(cost.amount))
        return [common.UsageReported(platform=P, raw_type=e.type, usage=usage, cumulative=True)]


_HANDLERS: dict[str, Callable[[Normalizer, Any], list[Common]]] = {
    "event_start": Normalizer._start,
    "event_delta": Normalizer._delta,
    "agent.message": Normalizer._message,
    "agent.thinking": Normalizer._thinking,
    "agent.tool_use": lambda n, e: n._tool_use(e, "builtin"),
    "agent.mcp_tool_use": lambda n, e: n._tool_use(e, "mcp"),
    "agent.custom_tool_use": lambda n, e: n._tool_use(e, "custom"),
    "agent.tool_result": lambda n, e: n._tool_result(e, e.tool_use_id),
    "agent.mcp_tool_result": lambda n, e: n._tool_result(e, e.mcp_tool_use_id),
    "user.custom_tool_result": lambda n, e: n._tool_result(e, e.custom_tool_use_id),
    "user.tool_result": lambda n, e: n._tool_result(e, e.tool_use_id),
    "session.status_idle": Normalizer._idle,
    "session.status_terminated": lambda n, e: n._ended(e, "terminated"),
    "session.deleted": lambda n, e: n._ended(e, "deleted"),
    "session.error": Normalizer._error,
    "span.model_request_end": Normalizer._span_usage,
    "session.usage": Normalizer._session_usage,
}
