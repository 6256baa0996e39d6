"""shipit events -> the common view (``agentstream.types.common``).

One small function per event kind, looked up by class. shipit's runtime streams the
answer as ``text_delta`` chunks, reports reasoning whole (``reasoning_completed``),
announces a tool call with its arguments (``tool_called``) and its end with
``tool_completed`` / ``tool_failed`` / ``tool_denied``, and keeps a running total of
usage (``usage_tick``, and ``run_completed`` at the end). A run ends with
``run_completed`` (or ``run_cancelled`` then ``run_completed``), or ``run_failed``.
Bookkeeping events (steps, tool groups, output pieces, the summary) map to nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..._common_fast import ReasoningDelta, TextDelta, ToolCallArgumentsDelta
from ...types import common
from ...types import shipit as s

__all__ = ["normalize", "usage_of"]

P = "shipit"
Common = Any  # one of the common view's event classes


def _text(e: s.TextDeltaEvent) -> list[Common]:
    if not e.payload.chunk:
        return []
    return [TextDelta(platform=P, raw_type=e.type, text=e.payload.chunk)]


def _reasoning_delta(e: s.ReasoningDeltaEvent) -> list[Common]:
    text = e.payload.get("chunk") or e.message
    return [ReasoningDelta(platform=P, raw_type=e.type, text=str(text))] if text else []


def _reasoning(e: s.ReasoningCompletedEvent) -> list[Common]:
    text = e.payload.content
    return [ReasoningDelta(platform=P, raw_type=e.type, text=text)] if text else []


def _call_id(payload: Any) -> str | None:
    return payload.call_id or payload.tool_call_id  # type: ignore[no-any-return]


def _tool_called(e: s.ToolCalledEvent) -> list[Common]:
    call_id = _call_id(e.payload)
    if call_id is None:
        return []
    name = e.payload.tool or ""
    arguments = e.payload.arguments
    return [
        common.ToolCallStarted(
            platform=P, raw_type=e.type, call_id=call_id, name=name, arguments=arguments
        )
    ]


def _tool_input(e: s.ToolInputDeltaEvent) -> list[Common]:
    return [
        ToolCallArgumentsDelta(
            platform=P,
            raw_type=e.type,
            call_id=e.payload.call_id,
            delta=e.payload.delta,
            name=e.payload.tool,
        )
    ]


def _tool_done(e: s.ToolCompletedEvent | s.ToolFailedEvent) -> list[Common]:
    call_id = _call_id(e.payload)
    if call_id is None:
        return []
    failed = e.type == "tool_failed" or bool(e.payload.error)
    result = e.payload.error if failed and e.payload.error else e.payload.output
    return [
        common.ToolCallFinished(
            platform=P,
            raw_type=e.type,
            call_id=call_id,
            name=e.payload.tool,
            result=result,
            is_error=failed,
        )
    ]


def _tool_denied(e: s.ToolDeniedEvent) -> list[Common]:
    return [
        common.ToolCallFinished(
            platform=P,
            raw_type=e.type,
            call_id=e.payload.call_id,
            name=e.payload.tool,
            result=e.payload.reason,
            is_error=True,
            status="denied",
        )
    ]


def _action_queued(e: s.ActionQueuedEvent) -> list[Common]:
    p = e.payload
    if p.auto_approved or not p.action_id:
        return []
    return [
        common.ActionRequired(
            platform=P,
            raw_type=e.type,
            kind="approval",
            request_id=p.action_id,
            call_id=p.call_id,
            tool_name=p.tool,
            prompt=p.title,
        )
    ]


def usage_of(raw: Mapping[str, Any] | None) -> common.Usage | None:
    """shipit's usage totals (OpenAI or Anthropic key names) as the common Usage."""
    if not raw:
        return None
    inputs = raw.get("input_tokens", raw.get("prompt_tokens"))
    outputs = raw.get("output_tokens", raw.get("completion_tokens"))
    if inputs is None and outputs is None:
        return None
    return common.Usage(
        input_tokens=int(inputs or 0),
        output_tokens=int(outputs or 0),
        cache_read_tokens=raw.get("cache_read_input_tokens"),
        cache_creation_tokens=raw.get("cache_creation_input_tokens"),
        cost_usd=raw.get("estimated_cost_usd"),
    )


def _wire_usage(e: Any) -> Mapping[str, Any] | None:
    raw = e.raw.get("payload", {})
    usage = raw.get("usage") if isinstance(raw, dict) else None
    return usage if isinstance(usage, dict) else None


def _usage_tick(e: s.UsageTickEvent) -> list[Common]:
    usage = usage_of(_wire_usage(e))  # the wire keys: providers name them differently
    if usage is None:
        return []
    return [common.UsageReported(platform=P, raw_type=e.type, usage=usage, cumulative=True)]


def _completed(e: s.RunCompletedEvent) -> list[Common]:
    p = e.payload
    if p.guardrail_blocked:
        reason = "guardrail"
    elif p.cancelled:
        reason = "cancelled"
    else:
        reason = p.summary.finish_reason if p.summary and p.summary.finish_reason else "end_turn"
    return [
        common.TurnEnded(
            platform=P, raw_type=e.type, stop_reason=reason, usage=usage_of(_wire_usage(e))
        )
    ]


def _cancelled(e: s.RunCancelledEvent) -> list[Common]:
    return [common.TurnEnded(platform=P, raw_type=e.type, stop_reason="cancelled")]


def _failed(e: s.RunFailedEvent) -> list[Common]:
    p = e.payload
    return [
        common.StreamError(
            platform=P,
            raw_type=e.type,
            message=p.error or e.message or "the run failed",
            code=p.error_type,
            retryable=p.retryable,
        )
    ]


def _server_error(e: s.ErrorEvent) -> list[Common]:
    return [
        common.StreamError(
            platform=P, raw_type=e.type, message=e.error, code="server_error", retryable=False
        )
    ]


_MAP: dict[type, Callable[[Any], list[Common]]] = {
    s.TextDeltaEvent: _text,
    s.ReasoningDeltaEvent: _reasoning_delta,
    s.ReasoningCompletedEvent: _reasoning,
    s.ToolCalledEvent: _tool_called,
    s.ToolInputDeltaEvent: _tool_input,
    s.ToolCompletedEvent: _tool_done,
    s.ToolFailedEvent: _tool_done,
    s.ToolDeniedEvent: _tool_denied,
    s.ActionQueuedEvent: _action_queued,
    s.UsageTickEvent: _usage_tick,
    s.RunCompletedEvent: _completed,
    s.RunCancelledEvent: _cancelled,
    s.RunFailedEvent: _failed,
    s.ErrorEvent: _server_error,
}


def normalize(event: Any) -> list[Common]:
    """The common-view events one shipit event stands for (often one, often none)."""
    handler = _MAP.get(type(event))
    return handler(event) if handler is not None else []
