"""Everruns events -> the common view (``agentstream.types.common``).

One small function per event class; events with no common meaning (lifecycle frames,
reason/act brackets, session bookkeeping) map to nothing. Text comes from the
``delta`` of each ``output.message.delta``, never its ``accumulated`` (which repeats
everything before it); a guardrail's ``output.message.replaced`` becomes TextReplaced,
so the transcript shows the replacement. Usage comes from ``turn.completed`` only: the
per-message usage of ``output.message.completed`` is part of it and would count twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from ..._common_fast import ReasoningDelta, TextDelta
from ...types import common
from ...types import everruns as e
from ._common import APPROVAL_TOOL, QUESTION_TOOL, requested_calls

__all__ = ["normalize"]

P = "everruns"
Common = Any  # one of the common view's event classes
#: Turn failures the platform (or a retry) may get past.
RETRYABLE_CODES = frozenset({"provider_rate_limited", "provider_overloaded", "provider_timeout"})


def _usage(usage: e.TokenUsage | None) -> common.Usage | None:
    if usage is None:
        return None
    return common.Usage(
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        cache_read_tokens=usage.cache_read_tokens,
        cache_creation_tokens=usage.cache_creation_tokens,
        cost_usd=usage.actual_cost_usd
        if usage.actual_cost_usd is not None
        else usage.estimated_cost_usd,
    )


def _text(ev: e.OutputMessageDeltaEvent) -> list[Common]:
    d = ev.data
    return [
        TextDelta(
            platform=P, raw_type=ev.type, text=d.delta, message_id=d.message_id, event_id=ev.id
        )
    ]


def _thinking(ev: e.ReasonThinkingDeltaEvent) -> list[Common]:
    return [ReasoningDelta(platform=P, raw_type=ev.type, text=ev.data.delta, event_id=ev.id)]


def _replaced(ev: e.OutputMessageReplacedEvent) -> list[Common]:
    d = ev.data
    return [
        common.TextReplaced(
            platform=P,
            raw_type=ev.type,
            message_id=d.message_id,
            text=d.replacement,
            reason=d.reason_code,
            event_id=ev.id,
        )
    ]


def _tool_started(ev: e.ToolStartedEvent) -> list[Common]:
    call = ev.data.tool_call
    return [
        common.ToolCallStarted(
            platform=P,
            raw_type=ev.type,
            call_id=call.id,
            name=call.name,
            arguments=call.arguments,
            kind="builtin",
            event_id=ev.id,
        )
    ]


def _tool_completed(ev: e.ToolCompletedEvent) -> list[Common]:
    d = ev.data
    result: Any = [_part(p) for p in d.result] if d.result is not None else d.error
    return [
        common.ToolCallFinished(
            platform=P,
            raw_type=ev.type,
            call_id=d.tool_call_id,
            name=d.tool_name,
            is_error=not d.success,
            result=result,
            status=d.status,
            event_id=ev.id,
        )
    ]


def _part(part: e.ContentPart) -> dict[str, Any]:
    return {k: v for k, v in attrs.asdict(part).items() if v is not None}


def _requested(ev: e.ToolCallRequestedEvent) -> list[Common]:
    """Each requested call: a client-side tool call started, and an action required."""
    out: list[Common] = []
    for call in requested_calls(ev):
        if call.name == APPROVAL_TOOL:
            kind, prompt = "approval", call.arguments.get("reason")
        elif call.name == QUESTION_TOOL:
            kind, prompt = "question", _questions(call.arguments)
        else:
            kind, prompt = "custom_tool_result", None
            out.append(
                common.ToolCallStarted(
                    platform=P,
                    raw_type=ev.type,
                    call_id=call.id,
                    name=call.name,
                    arguments=call.arguments,
                    kind="custom",
                    event_id=ev.id,
                )
            )
        out.append(
            common.ActionRequired(
                platform=P,
                raw_type=ev.type,
                kind=kind,
                request_id=call.id,
                call_id=call.id,
                tool_name=call.name,
                arguments=call.arguments,
                prompt=prompt if isinstance(prompt, str) else None,
                event_id=ev.id,
            )
        )
    return out


def _questions(arguments: dict[str, Any]) -> str | None:
    asked = arguments.get("questions")
    if not isinstance(asked, list):
        return None
    texts = [q.get("question") for q in asked if isinstance(q, dict)]
    return "\n".join(t for t in texts if isinstance(t, str)) or None


def _completed(ev: e.TurnCompletedEvent) -> list[Common]:
    out: list[Common] = []
    usage = _usage(ev.data.usage)
    if usage is not None:
        out.append(
            common.UsageReported(
                platform=P, raw_type=ev.type, usage=usage, cumulative=False, event_id=ev.id
            )
        )
    out.append(
        common.TurnEnded(platform=P, raw_type=ev.type, stop_reason="end_turn", event_id=ev.id)
    )
    return out


def _failed(ev: e.TurnFailedEvent) -> list[Common]:
    d = ev.data
    return [
        common.StreamError(
            platform=P,
            raw_type=ev.type,
            message=d.error,
            code=d.error_code,
            retryable=d.error_code in RETRYABLE_CODES,
            event_id=ev.id,
        ),
        common.TurnEnded(
            platform=P, raw_type=ev.type, stop_reason="error", detail=d.error, event_id=ev.id
        ),
    ]


def _cancelled(ev: e.TurnCancelledEvent) -> list[Common]:
    return [
        common.TurnEnded(
            platform=P,
            raw_type=ev.type,
            stop_reason="cancelled",
            detail=ev.data.reason,
            event_id=ev.id,
        )
    ]


def _sealed(ev: e.TurnSealedEvent) -> list[Common]:
    d = ev.data
    reason = "budget_reached" if d.reason == "budget" else d.reason
    return [
        common.TurnEnded(
            platform=P, raw_type=ev.type, stop_reason=reason, detail=d.detail, event_id=ev.id
        )
    ]


_MAP: dict[type, Callable[[Any], list[Common]]] = {
    e.OutputMessageDeltaEvent: _text,
    e.ReasonThinkingDeltaEvent: _thinking,
    e.OutputMessageReplacedEvent: _replaced,
    e.ToolStartedEvent: _tool_started,
    e.ToolCompletedEvent: _tool_completed,
    e.ToolCallRequestedEvent: _requested,
    e.TurnCompletedEvent: _completed,
    e.TurnFailedEvent: _failed,
    e.TurnCancelledEvent: _cancelled,
    e.TurnSealedEvent: _sealed,
}


def normalize(event: Any) -> list[Common]:
    """The common-view events one Everruns event stands for (often one, often none)."""
    handler = _MAP.get(type(event))
    return handler(event) if handler is not None else []
