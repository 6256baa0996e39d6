"""Plays scenarios as Managed Agents turns: each DSL step becomes the platform's events.

A ``user.message`` starts a turn: ``session.status_running``, then the steps, then
``session.status_idle`` with ``stop_reason: end_turn``. The steps render as:

- ``say`` -> ``agent.message`` (one text block); streams opened with
  ``event_deltas[]=agent.message`` first get ``event_start`` and word-sized
  ``event_delta`` previews under the same event id;
- ``think`` -> ``agent.thinking`` (it carries no text on this platform); its preview is
  start-only, as the SDK documents;
- ``tool`` -> ``agent.tool_use`` (``evaluated_permission: allow``) then
  ``agent.tool_result`` (``is_error`` and the error text for a failing tool);
- ``client_tool`` -> ``agent.custom_tool_use``, then ``session.status_idle`` with
  ``requires_action`` naming it, until a ``user.custom_tool_result`` answers it;
- ``ask_approval`` -> ``agent.tool_use`` with ``evaluated_permission: ask`` and
  ``evaluation: always_ask``, idle ``requires_action`` until ``user.tool_confirmation``;
  allow -> the tool's ``agent.tool_result``; deny -> an ``agent.tool_result`` with
  ``is_error: true`` whose text carries the ``deny_message`` (a convention: the
  documentation says only that a denied call does not run);
- ``ask_question`` -> a custom tool call named ``AskUserQuestion`` with the questions
  as its input, answered like any custom tool (the platform has no question event);
- ``usage`` -> ``span.model_request_end`` for the open ``span.model_request_start``
  with the step's tokens, then ``session.usage`` with the session's totals;
- ``fail`` -> ``session.error`` (``retry_status: terminal``), then
  ``session.status_terminated``: the session accepts no more messages.

Agent events are wrapped in model-request spans: one opens before the first agent
event of a turn (or after a usage report), and an open span is closed when the turn
stops, with estimated tokens, ``is_error`` when it failed or was interrupted.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from ._managed_agents_http import MaError
from ._managed_agents_sessions import LiveSession, Sessions, Subscriber, usage_json
from .scenarios import (
    AskApproval,
    AskQuestion,
    ClientTool,
    Fail,
    Say,
    ScenarioBook,
    Sleep,
    Think,
    Tool,
    UnknownScenario,
    Usage,
    text_pieces,
)

__all__ = ["QUESTION_TOOL", "Player"]

QUESTION_TOOL = "AskUserQuestion"
#: A tool "executes" for this many delta delays before its result arrives.
TOOL_LATENCY = 10
#: Session error types whose objects need nothing but a message and a retry status.
PLAIN_ERRORS = frozenset(
    {
        "unknown_error",
        "model_overloaded_error",
        "model_rate_limited_error",
        "model_request_failed_error",
        "billing_error",
        "tool_use_limit_reached_error",
        "compaction_limit_reached_error",
    }
)


def text_content(value: Any) -> list[dict[str, Any]]:
    """A tool result as content blocks: text as it is, anything else as JSON."""
    text = value if isinstance(value, str) else json.dumps(value)
    return [{"type": "text", "text": text}]


class Player:
    """Starts, pauses, resumes and stops turns by playing their scenarios."""

    def __init__(self, sessions: Sessions, scenarios: ScenarioBook, speed: float) -> None:
        self.sessions = sessions
        self.scenarios = scenarios
        self.speed = speed
        self._players: dict[type, Callable[[LiveSession, Any, int], Awaitable[bool]]] = {
            Say: self._play_say,
            Think: self._play_think,
            Tool: self._play_tool,
            ClientTool: self._play_client_tool,
            AskApproval: self._play_ask_approval,
            AskQuestion: self._play_ask_question,
            Fail: self._play_fail,
            Usage: self._play_usage,
            Sleep: self._play_sleep,
        }

    # Checks, before a sent event is logged ------------------------------------------

    def check_message(self, live: LiveSession, text: str) -> str:
        """The scenario a message would start.

        Raises:
            MaError: 409 for a terminated session; 400 for an unknown scenario tag.
        """
        if live.record.status == "terminated":
            raise MaError(409, f"Session {live.record.id} is terminated; it accepts no messages.")
        try:
            return self.scenarios.select(text).name
        except UnknownScenario as exc:
            raise MaError(400, str(exc)) from None

    def check_answer(self, live: LiveSession, event_id: str, kind: str, field: str) -> None:
        """Raises MaError 400 unless `event_id` awaits an answer of `kind`."""
        entry = live.record.pending.get(event_id)
        if entry is None or entry["kind"] != kind:
            waits = "a tool confirmation" if kind == "confirm" else "a custom tool result"
            raise MaError(400, f"{field}: event {event_id!r} is not awaiting {waits}.")

    # What sent events do -------------------------------------------------------------

    def message(self, live: LiveSession, scenario: str) -> None:
        """Start a turn, or queue it behind the running one.

        A message that arrives while the session waits on a required action abandons
        the action: the session moves on to the new turn.
        """
        record = live.record
        if record.status == "running":
            record.queued.append(scenario)
            self.sessions.save(live)
            return
        record.pending.clear()
        record.scenario, record.step, record.reported = scenario, 0, False
        self._running(live)
        self.sessions.start(live, lambda: self._advance(live))

    def interrupt(self, live: LiveSession) -> None:
        """Stop the running turn (or drop a required action): the session idles."""
        record = live.record
        if record.status == "running":
            if live.task is not None:
                live.task.cancel()
            record.queued.clear()
            self._close_span(live, is_error=True)
        elif not record.pending:
            return
        record.pending.clear()
        self._idle(live, {"type": "end_turn"})

    def answer_custom(self, live: LiveSession, event_id: str) -> None:
        live.record.pending.pop(event_id)
        self._resume(live, None)

    def confirm(
        self, live: LiveSession, event_id: str, allow: bool, deny_message: str | None
    ) -> None:
        entry = live.record.pending.pop(event_id)
        scenario = self.scenarios.get(live.record.scenario or "")
        step = scenario.steps[entry["step"]] if scenario else None
        if allow:
            result = step.result if isinstance(step, AskApproval) else "ok"
            answer = {"tool_use_id": event_id, "content": text_content(result), "is_error": False}
        else:
            reason = "The user denied this tool call" + (
                f": {deny_message}" if deny_message else "."
            )
            answer = {"tool_use_id": event_id, "content": text_content(reason), "is_error": True}
        self._resume(live, answer)

    def _resume(self, live: LiveSession, tool_result: dict[str, Any] | None) -> None:
        if live.record.pending:  # more answers to wait for
            self.sessions.save(live)
            return
        self._running(live)

        async def work() -> None:
            if tool_result is not None:
                if tool_result["is_error"] is False:
                    await self._pause(TOOL_LATENCY)
                self.sessions.emit(live, {"type": "agent.tool_result", **tool_result})
            await self._advance(live)

        self.sessions.start(live, work)

    def recover(self) -> None:
        """After a restart: a session that was running lost its turn; it idles, its
        retries exhausted. Sessions waiting on an action keep waiting."""
        for _, data in self.sessions.log.sessions():
            if data["status"] != "running":
                continue
            live = self.sessions.get(data["id"])
            assert live is not None
            self._close_span(live, is_error=True)
            error = _error("unknown_error", "The session was running when the emulator stopped.")
            error["retry_status"] = {"type": "exhausted"}
            self.sessions.emit(live, {"type": "session.error", "error": error})
            self._idle(live, {"type": "retries_exhausted"})

    # Status --------------------------------------------------------------------------

    def _running(self, live: LiveSession) -> None:
        record = live.record
        record.status, record.running_since = "running", self.sessions.clock.tick()
        self.sessions.save(live)
        self.sessions.emit(live, {"type": "session.status_running"})

    def _stop_clock(self, live: LiveSession) -> None:
        record = live.record
        record.active_seconds = self.sessions.active_seconds(record)
        record.running_since = None

    def _idle(self, live: LiveSession, stop_reason: dict[str, Any]) -> None:
        self._stop_clock(live)
        live.record.status = "idle"
        self.sessions.save(live)
        self.sessions.emit(live, {"type": "session.status_idle", "stop_reason": stop_reason})

    # Turns ---------------------------------------------------------------------------

    async def _advance(self, live: LiveSession) -> None:
        record = live.record
        scenario = self.scenarios.get(record.scenario or "")
        steps = scenario.steps if scenario else (Fail(f"unknown scenario {record.scenario!r}"),)
        while record.step < len(steps):
            index = record.step
            record.step += 1
            parked = await self._players[type(steps[index])](live, steps[index], index)
            if parked or record.status != "running":
                return
            self.sessions.save(live)
        self._close_span(live)
        self._idle(live, {"type": "end_turn"})
        if record.queued:
            self.message(live, record.queued.pop(0))

    async def _pause(self, factor: int = 1) -> None:
        # Even at speed 0 this yields, so that many sessions share the loop fairly.
        await asyncio.sleep(self.speed * factor)

    def _open_span(self, live: LiveSession) -> None:
        if live.record.span_id is None:
            start = self.sessions.emit(live, {"type": "span.model_request_start"})
            live.record.span_id = start["id"]

    def _close_span(
        self, live: LiveSession, tokens: tuple[int, int] | None = None, *, is_error: bool = False
    ) -> None:
        record = live.record
        if record.span_id is None:
            return
        if tokens is None:  # the turn stopped before reporting usage: an estimate
            tokens = (0, 0) if record.reported else (180, 40)
            record.input_tokens += tokens[0]
            record.output_tokens += tokens[1]
        model_usage = {
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
            "input_tokens": tokens[0],
            "output_tokens": tokens[1],
            "speed": "standard",
        }
        start_id, record.span_id = record.span_id, None
        end = {"model_request_start_id": start_id, "model_usage": model_usage, "is_error": is_error}
        self.sessions.emit(live, {"type": "span.model_request_end", **end})

    # Steps ---------------------------------------------------------------------------

    async def _play_say(self, live: LiveSession, step: Say, index: int) -> bool:
        self._open_span(live)
        event_id = self.sessions.clock.new_id("sevt")
        watchers = self._start_preview(live, "agent.message", event_id)
        for piece in text_pieces(step.text):
            await self._pause()
            delta = {
                "type": "content_delta",
                "index": 0,
                "content": {"type": "text", "text": piece},
            }
            frame = {"type": "event_delta", "event_id": event_id, "delta": delta}
            self.sessions.preview_to(watchers, frame)
        content = [{"type": "text", "text": step.text}]
        self.sessions.emit(live, {"type": "agent.message", "content": content}, event_id)
        return False

    async def _play_think(self, live: LiveSession, step: Think, index: int) -> bool:
        self._open_span(live)
        event_id = self.sessions.clock.new_id("sevt")
        self._start_preview(live, "agent.thinking", event_id)
        await self._pause(len(text_pieces(step.text)))
        self.sessions.emit(live, {"type": "agent.thinking"}, event_id)
        return False

    def _start_preview(self, live: LiveSession, kind: str, event_id: str) -> list[Subscriber]:
        """Open a preview on the streams that want `kind`; deltas go to those only, so a
        stream opened mid-preview never gets a delta without its start."""
        frame = {"type": "event_start", "event": {"type": kind, "id": event_id}}
        return self.sessions.preview(live, kind, frame)

    async def _play_tool(self, live: LiveSession, step: Tool, index: int) -> bool:
        self._open_span(live)
        call = {"name": step.name, "input": step.input, "evaluated_permission": "allow"}
        call["evaluation"] = {"type": "always_allow"}
        tool_use_id = self.sessions.emit(live, {"type": "agent.tool_use", **call})["id"]
        await self._pause(TOOL_LATENCY)
        failed = step.error is not None
        content = text_content(step.error if failed else step.result)
        result = {"tool_use_id": tool_use_id, "content": content, "is_error": failed}
        self.sessions.emit(live, {"type": "agent.tool_result", **result})
        return False

    async def _play_client_tool(self, live: LiveSession, step: ClientTool, index: int) -> bool:
        return self._custom_call(live, step.name, step.input, index)

    async def _play_ask_question(self, live: LiveSession, step: AskQuestion, index: int) -> bool:
        return self._custom_call(live, QUESTION_TOOL, {"questions": list(step.questions)}, index)

    def _custom_call(
        self, live: LiveSession, name: str, tool_input: dict[str, Any], index: int
    ) -> bool:
        self._open_span(live)
        call = {"type": "agent.custom_tool_use", "name": name, "input": tool_input}
        self._park(live, self.sessions.emit(live, call)["id"], "custom", index)
        return True

    async def _play_ask_approval(self, live: LiveSession, step: AskApproval, index: int) -> bool:
        self._open_span(live)
        call = {"name": step.tool, "input": step.input, "evaluated_permission": "ask"}
        call["evaluation"] = {"type": "always_ask"}
        tool_use = self.sessions.emit(live, {"type": "agent.tool_use", **call})
        self._park(live, tool_use["id"], "confirm", index)
        return True

    def _park(self, live: LiveSession, event_id: str, kind: str, index: int) -> None:
        live.record.pending[event_id] = {"kind": kind, "step": index}
        self._close_span(live)
        self._idle(live, {"type": "requires_action", "event_ids": [event_id]})

    async def _play_usage(self, live: LiveSession, step: Usage, index: int) -> bool:
        record = live.record
        record.input_tokens += step.input_tokens
        record.output_tokens += step.output_tokens
        record.reported = True
        self._open_span(live)
        self._close_span(live, (step.input_tokens, step.output_tokens))
        self.sessions.emit(live, {"type": "session.usage", "usage": usage_json(record)})
        return False

    async def _play_fail(self, live: LiveSession, step: Fail, index: int) -> bool:
        self._close_span(live, is_error=True)
        kind = step.code if step.code in PLAIN_ERRORS else "unknown_error"
        self.sessions.emit(live, {"type": "session.error", "error": _error(kind, step.message)})
        self._stop_clock(live)
        live.record.status = "terminated"
        live.record.queued.clear()
        self.sessions.save(live)
        self.sessions.emit(live, {"type": "session.status_terminated"})
        return False

    async def _play_sleep(self, live: LiveSession, step: Sleep, index: int) -> bool:
        await asyncio.sleep(step.seconds)
        return False


def _error(kind: str, message: str) -> dict[str, Any]:
    return {"type": kind, "message": message, "retry_status": {"type": "terminal"}}
