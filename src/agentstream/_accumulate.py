"""Folding a stream's normalized events into a transcript: text, reasoning, tool calls,
usage, stop reason, errors.

``Accumulator.add(event)`` takes the common view's events (``agentstream.types.common``)
one by one; ``snapshot()`` returns an immutable ``Transcript``. No IO, no clock: the same
events in give the same transcript out, whatever the platform and however the text was
split into deltas.

Text is kept as a list of fragments and joined only when read, then kept joined, so a
stream of n deltas costs O(n) to accumulate (``+=`` on a growing string would be O(n²)).
Where the text of each message lies in it is kept as character ranges (one per run of
consecutive deltas of that message), so that a ``TextReplaced`` (a guardrail rewrote a
message after it streamed) swaps exactly that message's text for the replacement.
"""

from __future__ import annotations

from typing import Any

import attrs
import orjson

from .types import common

__all__ = ["Accumulator", "ToolCall", "Transcript"]


_TEXT_DELTA = common.TextDelta


class _Text:
    """Append-only text: fragments joined on read, once."""

    __slots__ = ("_parts",)

    def __init__(self) -> None:
        self._parts: list[str] = []

    def append(self, fragment: str) -> None:
        self._parts.append(fragment)

    def __str__(self) -> str:
        if len(self._parts) > 1:
            self._parts = ["".join(self._parts)]
        return self._parts[0] if self._parts else ""


@attrs.frozen(kw_only=True)
class ToolCall:
    """One tool call as the stream told it.

    Attributes:
        call_id: the platform's id of the call.
        name: the tool's name, once known.
        arguments: the arguments as streamed JSON text (fragments joined).
        input: the arguments as an object, when given whole or when the text parses.
        result: the tool's output, once finished.
        is_error: whether the tool failed, once finished.
        status: ``"running"`` until it finishes, then the platform's status or
            ``"completed"`` / ``"failed"``.
    """

    call_id: str
    name: str | None = None
    arguments: str = ""
    input: dict[str, Any] | None = None
    result: Any = None
    is_error: bool | None = None
    status: str = "running"


@attrs.frozen(kw_only=True)
class Transcript:
    """Everything a stream said, folded into one value."""

    text: str = ""
    reasoning: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    actions: tuple[common.ActionRequired, ...] = ()
    usage: common.Usage | None = None
    stop_reason: str | None = None
    errors: tuple[common.StreamError, ...] = ()
    done: bool = False


class _Call:
    __slots__ = ("arguments", "call_id", "input", "is_error", "name", "result", "status")

    def __init__(self, call_id: str) -> None:
        self.call_id = call_id
        self.name: str | None = None
        self.arguments = _Text()
        self.input: dict[str, Any] | None = None
        self.result: Any = None
        self.is_error: bool | None = None
        self.status = "running"

    def freeze(self) -> ToolCall:
        arguments = str(self.arguments)
        return ToolCall(
            call_id=self.call_id,
            name=self.name,
            arguments=arguments,
            input=self.input if self.input is not None else _parse_object(arguments),
            result=self.result,
            is_error=self.is_error,
            status=self.status,
        )


def _parse_object(text: str) -> dict[str, Any] | None:
    if not text:
        return None
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


class _Spans:
    """Which message each stretch of the transcript text came from, in order: a list of
    ``[message id, length]`` segments, one per run of consecutive deltas of a message
    (None for deltas without one). Kept in stream order, not as offsets, so that empty
    deltas and empty replacements keep their place too."""

    __slots__ = ("_last", "segments")

    def __init__(self) -> None:
        self.segments: list[list[Any]] = []
        self._last: list[Any] | None = None  # the segment the previous delta extended

    def add(self, message_id: str | None, size: int) -> None:
        last = self._last
        if last is not None and last[0] == message_id:
            last[1] += size
        else:
            self._last = [message_id, size]
            self.segments.append(self._last)

    def replace(self, text: str, message_id: str, replacement: str) -> str:
        """`text` with `message_id`'s segments cut out and `replacement` put where the
        first of them was (at the end when the message streamed nothing)."""
        pieces: list[str] = []
        kept: list[list[Any]] = []
        position = 0
        placed = False
        for segment in self.segments:
            mid, size = segment
            if mid == message_id:
                if not placed:
                    pieces.append(replacement)
                    kept.append([message_id, len(replacement)])
                    placed = True
            else:
                pieces.append(text[position : position + size])
                kept.append(segment)
            position += size
        if not placed:
            pieces.append(replacement)
            kept.append([message_id, len(replacement)])
        self.segments = kept
        self._last = None
        return "".join(pieces)


class Accumulator:
    """The mutable builder behind ``Transcript``; see the module docstring."""

    def __init__(self) -> None:
        self._text = _Text()
        self._spans = _Spans()
        self._reasoning = _Text()
        self._calls: dict[str, _Call] = {}
        self._actions: dict[str, common.ActionRequired] = {}  # one per request id
        self._errors: list[common.StreamError] = []
        self.usage: common.Usage | None = None
        self.stop_reason: str | None = None
        self.done = False

    @property
    def text(self) -> str:
        return str(self._text)

    @property
    def reasoning(self) -> str:
        return str(self._reasoning)

    def add(self, event: Any) -> None:
        """Fold one common-view event in. Other objects are ignored."""
        kind = type(event)
        if kind is _TEXT_DELTA:  # once per token: _Text.append and _Spans.add inlined
            text = event.text
            self._text._parts.append(text)
            last, message_id = self._spans._last, event.message_id
            if last is not None and last[0] == message_id:
                last[1] += len(text)
            else:
                self._spans.add(message_id, len(text))
        elif kind is common.TextReplaced:
            new = self._spans.replace(str(self._text), event.message_id, event.text)
            self._text = _Text()
            self._text.append(new)
        elif kind is common.ReasoningDelta:
            self._reasoning.append(event.text)
        elif kind is common.ToolCallStarted:
            call = self._call(event.call_id)
            call.name = event.name
            if event.arguments is not None:
                call.input = event.arguments
        elif kind is common.ToolCallArgumentsDelta:
            call = self._call(event.call_id)
            call.arguments.append(event.delta)
            call.name = call.name or event.name
        elif kind is common.ToolCallFinished:
            self._finish_call(event)
        elif kind is common.ActionRequired:
            self._actions.setdefault(event.request_id, event)
        elif kind is common.StreamError:
            self._errors.append(event)
        elif kind is common.UsageReported:
            self.usage = event.usage if event.cumulative else _add_usage(self.usage, event.usage)
        elif kind is common.TurnEnded:
            self.stop_reason = event.stop_reason
            self.done = True
            if event.usage is not None:
                self.usage = event.usage

    def _call(self, call_id: str) -> _Call:
        call = self._calls.get(call_id)
        if call is None:
            call = self._calls[call_id] = _Call(call_id)
        return call

    def _finish_call(self, event: common.ToolCallFinished) -> None:
        call = self._call(event.call_id)
        call.name = call.name or event.name
        call.result = event.result
        call.is_error = event.is_error
        call.status = event.status or ("failed" if event.is_error else "completed")

    def tool_call(self, call_id: str) -> ToolCall:
        """One tool call as told so far (only its id when the stream never named it)."""
        call = self._calls.get(call_id)
        return call.freeze() if call is not None else ToolCall(call_id=call_id)

    def arguments_complete(self, call_id: str) -> bool:
        """Whether the call's arguments are whole: given at its start as an object, or
        streamed text that parses as a JSON object (which no further piece can extend)."""
        call = self._calls.get(call_id)
        if call is None:
            return False
        return call.input is not None or _parse_object(str(call.arguments)) is not None

    def snapshot(self) -> Transcript:
        """The transcript so far, as an immutable value."""
        return Transcript(
            text=self.text,
            reasoning=self.reasoning,
            tool_calls=tuple(call.freeze() for call in self._calls.values()),
            actions=tuple(self._actions.values()),
            usage=self.usage,
            stop_reason=self.stop_reason,
            errors=tuple(self._errors),
            done=self.done,
        )


def _add_usage(total: common.Usage | None, more: common.Usage) -> common.Usage:
    if total is None:
        return more

    def plus(a: Any, b: Any) -> Any:
        return b if a is None else a if b is None else a + b

    return common.Usage(
        input_tokens=total.input_tokens + more.input_tokens,
        output_tokens=total.output_tokens + more.output_tokens,
        cache_read_tokens=plus(total.cache_read_tokens, more.cache_read_tokens),
        cache_creation_tokens=plus(total.cache_creation_tokens, more.cache_creation_tokens),
        cost_usd=plus(total.cost_usd, more.cost_usd),
    )
