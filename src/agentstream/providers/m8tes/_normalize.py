"""m8tes frames -> the common view (``agentstream.types.common``).

One small function per frame kind, looked up by class; frames with no common meaning
(block starts and ends, sandbox lifecycle, internal frames) map to nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..._common_fast import ReasoningDelta, TextDelta, ToolCallArgumentsDelta
from ...types import common
from ...types import m8tes as m

__all__ = ["normalize"]

P = "m8tes"
Common = Any  # one of the common view's event classes


def _text(e: m.TextDeltaEvent) -> list[Common]:
    return [TextDelta(platform=P, raw_type=e.type, text=e.delta, message_id=e.id)]


def _reasoning(e: Any) -> list[Common]:
    text = e.delta if e.delta is not None else e.text
    return [ReasoningDelta(platform=P, raw_type=e.type, text=text or "")]


def _tool_start(e: m.ToolCallStartEvent) -> list[Common]:
    return [
        common.ToolCallStarted(
            platform=P, raw_type=e.type, call_id=e.tool_call_id, name=e.tool_name
        )
    ]


def _tool_delta(e: m.ToolCallDeltaEvent) -> list[Common]:
    return [
        ToolCallArgumentsDelta(platform=P, raw_type=e.type, call_id=e.tool_call_id, delta=e.delta)
    ]


def _tool_result(e: m.ToolResultEndEvent) -> list[Common]:
    result = e.result
    is_error = isinstance(result, dict) and "error" in result and len(result) == 1
    return [
        common.ToolCallFinished(
            platform=P, raw_type=e.type, call_id=e.tool_call_id, result=result, is_error=is_error
        )
    ]


def _gate(e: m.PermissionRequestEvent | m.AwaitingApprovalEvent) -> list[Common]:
    return [
        common.ActionRequired(
            platform=P,
            raw_type=e.type,
            kind="approval",
            request_id=e.request_id,
            call_id=e.tool_use_id,
        )
    ]


def _error(e: Any) -> list[Common]:
    message = getattr(e, "error", None) or getattr(e, "message", None) or e.type
    code = None if e.type == "error" else e.type
    return [
        common.StreamError(platform=P, raw_type=e.type, message=message, code=code, retryable=False)
    ]


def _done(e: m.DoneEvent) -> list[Common]:
    return [common.TurnEnded(platform=P, raw_type=e.type, stop_reason=e.stop_reason or "end_turn")]


def _cancelled(e: m.CancelledEvent) -> list[Common]:
    return [common.TurnEnded(platform=P, raw_type=e.type, stop_reason="cancelled")]


def _metrics(e: m.RunMetricsEvent) -> list[Common]:
    if e.input_tokens_used is None and e.output_tokens_used is None:
        return []
    usage = common.Usage(
        input_tokens=e.input_tokens_used or 0,
        output_tokens=e.output_tokens_used or 0,
        cost_usd=e.claude_token_cost_usd,
    )
    return [common.UsageReported(platform=P, raw_type=e.type, usage=usage, cumulative=True)]


def _metadata(e: m.MetadataEvent) -> list[Common]:
    usage = e.payload.usage if e.payload is not None else None
    if usage is None or usage.input_tokens is None:
        return []
    total = common.Usage(
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens or 0,
        cache_read_tokens=usage.cache_read_tokens,
        cache_creation_tokens=usage.cache_creation_tokens,
    )
    return [common.UsageReported(platform=P, raw_type=e.type, usage=total, cumulative=True)]


def _claude_delta(e: m.ClaudeContentBlockDeltaEvent) -> list[Common]:
    delta = e.delta
    if delta.type == "text_delta" and delta.text is not None:
        return [TextDelta(platform=P, raw_type=e.type, text=delta.text)]
    if delta.type in ("thinking_delta", "plan_delta") and delta.text is not None:
        return [ReasoningDelta(platform=P, raw_type=e.type, text=delta.text)]
    return []


def _claude_tool_use(e: m.ClaudeToolUseEvent) -> list[Common]:
    return [
        common.ToolCallStarted(
            platform=P, raw_type=e.type, call_id=e.id, name=e.name, arguments=e.input
        )
    ]


def _claude_tool_result(e: m.ClaudeToolResultEvent) -> list[Common]:
    call_id = e.tool_use_id or e.id
    if call_id is None:
        return []
    result = e.content if e.content is not None else e.result
    return [
        common.ToolCallFinished(
            platform=P, raw_type=e.type, call_id=call_id, result=result, is_error=False
        )
    ]


_MAP: dict[type, Callable[[Any], list[Common]]] = {
    m.TextDeltaEvent: _text,
    m.ReasoningDeltaEvent: _reasoning,
    m.ThinkingDeltaEvent: _reasoning,
    m.PlanDeltaEvent: _reasoning,
    m.ToolCallStartEvent: _tool_start,
    m.ToolCallDeltaEvent: _tool_delta,
    m.ToolResultEndEvent: _tool_result,
    m.PermissionRequestEvent: _gate,
    m.AwaitingApprovalEvent: _gate,
    m.ErrorEvent: _error,
    m.SdkErrorEvent: _error,
    m.AgentRunnerDiedEvent: _error,
    m.RunnerLifecycleErrorEvent: _error,
    m.SandboxBootTimeoutEvent: _error,
    m.SandboxQuotaExhaustedEvent: _error,
    m.SandboxUnavailableEvent: _error,
    m.SnapshotVersionMismatchEvent: _error,
    m.DoneEvent: _done,
    m.CancelledEvent: _cancelled,
    m.RunMetricsEvent: _metrics,
    m.MetadataEvent: _metadata,
    m.ClaudeContentBlockDeltaEvent: _claude_delta,
    m.ClaudeToolUseEvent: _claude_tool_use,
    m.ClaudeToolResultEvent: _claude_tool_result,
}


def normalize(event: Any) -> list[Common]:
    """The common-view events one m8tes event stands for (often one, often none)."""
    handler = _MAP.get(type(event))
    return handler(event) if handler is not None else []
