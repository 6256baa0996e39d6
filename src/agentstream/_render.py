"""How the CLI shows a stream: live text, tool calls as they start and finish, and a
closing summary. rich on a terminal (the ``cli`` extra), plain text otherwise."""

from __future__ import annotations

import sys
from typing import Any

from ._accumulate import Accumulator, ToolCall, Transcript
from .types import common


def _rich_console() -> Any:
    try:
        from rich.console import Console
    except ImportError:  # the cli extra is not installed: plain text it is
        return None
    return Console(highlight=False, soft_wrap=True)


class Renderer:
    """Writes a stream to stdout as it arrives."""

    def __init__(self, *, plain: bool = False) -> None:
        use_rich = not plain and sys.stdout.isatty()
        self._console = _rich_console() if use_rich else None
        self._mid_line = False  # text was written without a newline yet

    def _write(self, text: str, style: str | None = None, *, end: str = "") -> None:
        if self._console is not None:
            self._console.print(text, style=style, end=end, markup=False)
        else:
            sys.stdout.write(text + end)
        sys.stdout.flush()

    def _line(self, text: str, style: str | None = None) -> None:
        if self._mid_line:
            self._write("", end="\n")
            self._mid_line = False
        self._write(text, style, end="\n")

    def banner(self, text: str) -> None:
        self._line(text, "dim")

    def text(self, fragment: str) -> None:
        self._write(fragment)
        self._mid_line = not fragment.endswith("\n")

    def reasoning(self, fragment: str) -> None:
        self._write(fragment, "italic dim")
        self._mid_line = not fragment.endswith("\n")

    def tool_started(self, call: ToolCall) -> None:
        self._line(f"-> {call.name or 'tool'} ({call.call_id})", "cyan")

    def tool_finished(self, call: ToolCall) -> None:
        mark = "x" if call.is_error else "ok"
        result = str(call.result)
        result = result if len(result) <= 80 else result[:77] + "..."
        self._line(
            f"<- {call.name or 'tool'} {mark}: {result}", "red" if call.is_error else "green"
        )

    def error(self, error: common.StreamError) -> None:
        self._line(f"error: {error.message}", "bold red")

    def common(self, item: Any, acc: Accumulator) -> None:
        """Render one common-view event (for replays, which have no live stream)."""
        kind = type(item)
        if kind is common.TextDelta:
            self.text(item.text)
        elif kind is common.ReasoningDelta:
            self.reasoning(item.text)
        elif kind is common.ToolCallStarted:
            self.tool_started(ToolCall(call_id=item.call_id, name=item.name))
        elif kind is common.ToolCallFinished:
            calls = {call.call_id: call for call in acc.snapshot().tool_calls}
            self.tool_finished(calls.get(item.call_id, ToolCall(call_id=item.call_id)))
        elif kind is common.StreamError:
            self.error(item)

    def summary(self, what: str | None, transcript: Transcript, elapsed: float) -> None:
        """The closing line: what ran (``run 7``, ``session ...``), stop, tools, tokens."""
        usage = transcript.usage
        tokens = f"{usage.input_tokens} in / {usage.output_tokens} out" if usage else "n/a"
        parts = [
            what,
            f"stop: {transcript.stop_reason or 'none'}",
            f"tools: {len(transcript.tool_calls)}",
            f"tokens: {tokens}",
            f"{elapsed:.2f} s" if elapsed else None,
        ]
        self._line("")
        self._line(" | ".join(p for p in parts if p), "bold")
