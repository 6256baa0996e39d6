"""ScriptedLLM: a shipit LLM that plays the scenario DSL through the real runtime.

Theory of operation. shipit's LLM protocol is one method, ``complete(*, messages,
tools, system_prompt, metadata, text_delta_callback, tool_input_callback, ...)``,
called once per model step; it returns an ``LLMResponse(content, tool_calls,
reasoning_content, usage)``. The runtime does the rest: it emits ``text_delta`` for
each chunk given to the callback, ``reasoning_started``/``reasoning_completed`` for
``reasoning_content``, ``usage_tick`` for ``usage``, runs every tool call against the
agent's tools (``tool_called``, ``tool_output_*``, ``tool_completed``/``tool_failed``)
and calls ``complete`` again, until a step answers without tool calls
(``final_answer``, ``run_summary``, ``run_completed``). An exception from ``complete``
ends the run with ``run_failed``.

So a scenario is cut into model steps: each step runs up to and including a batch of
consecutive tool calls, and the last one holds what follows the last batch. Which step
a call is for is read from the messages, not kept in the LLM: it is the number of
assistant tool-call turns since the run's user message. That keeps one ScriptedLLM
correct across any number of runs, and across an agent that keeps history.

The tools must exist on the agent for the runtime to call them; ``tools()`` gives one
per tool name the scripts use, each answering the scripted result (or raising the
scripted error) for the call the LLM just made.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from . import _shipit_compat as shipit
from .scenarios import (
    AskApproval,
    AskQuestion,
    ClientTool,
    Fail,
    Say,
    Scenario,
    ScenarioBook,
    Sleep,
    Step,
    Think,
    Tool,
    Usage,
    json_pieces,
    text_pieces,
)

__all__ = ["ScriptedFailure", "ScriptedLLM", "ScriptedTool", "ScriptedToolError"]

#: The name an ``ask_question`` step calls: shipit's server cannot pause for an answer,
#: so the question is played as a tool answering each question's first option.
QUESTION_TOOL = "AskUserQuestion"
_REMINDER = "\n\n[Reminder — not a new request:"
_ids = itertools.count(1)


class ScriptedFailure(RuntimeError):
    """Raised from ``complete()`` by a ``fail()`` step; shipit reports it as ``run_failed``.

    A step with a `code` raises a subclass named after the code, so the code is what
    ``run_failed``'s ``error_type`` says.
    """


class ScriptedToolError(RuntimeError):
    """Raised by a scripted tool whose step has an ``error``; shipit emits ``tool_failed``."""


_FAILURES: dict[str, type[ScriptedFailure]] = {}


def _failure(step: Fail) -> ScriptedFailure:
    name = step.code or ScriptedFailure.__name__
    if name not in _FAILURES:
        _FAILURES[name] = type(name, (ScriptedFailure,), {"__module__": __name__})
    return _FAILURES[name](step.message)


class _Call:
    """One scripted tool call: what the model asks for and what the tool answers."""

    def __init__(self, name: str, arguments: dict[str, Any], result: Any, error: str | None):
        self.name, self.arguments, self.result, self.error = name, arguments, result, error


def _call_of(step: Step) -> _Call | None:
    """The tool call a step makes, or None for a step that is not a call."""
    if isinstance(step, Tool):
        return _Call(step.name, step.input, step.result, step.error)
    if isinstance(step, ClientTool):
        return _Call(step.name, step.input, step.result, None)
    if isinstance(step, AskApproval):
        return _Call(step.tool, step.input, step.result, None)
    if isinstance(step, AskQuestion):
        answers = {q.get("question", ""): _first_label(q) for q in step.questions}
        return _Call(QUESTION_TOOL, {"questions": list(step.questions)}, {"answers": answers}, None)
    return None


def _first_label(question: dict[str, Any]) -> str:
    options = question.get("options") or [{}]
    return str(options[0].get("label", ""))


def model_steps(steps: Sequence[Step]) -> list[list[Step]]:
    """Cut a scenario into model steps, each ending after a batch of tool calls."""
    cut: list[list[Step]] = [[]]
    for step in steps:
        current = cut[-1]
        if current and _call_of(current[-1]) is not None and _call_of(step) is None:
            cut.append(current := [])
        current.append(step)
    return cut


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content blocks
        return " ".join(str(b.get("text", "")) for b in content if isinstance(b, dict))
    return str(content or "")


def run_position(messages: Sequence[Any]) -> tuple[str, int]:
    """The run's prompt and which model step this call is, read from `messages`.

    The run's user message is the last user message the runtime did not add itself
    (its reminders are marked ``internal`` or ride on the prompt after ``_REMINDER``);
    every assistant turn with tool calls after it is one model step done.
    """
    start = -1
    for index in range(len(messages) - 1, -1, -1):
        message = shipit.coerce(messages[index])
        if message.role == "user" and not (message.metadata or {}).get("internal"):
            start = index
            break
    prompt = _text(shipit.coerce(messages[start]).content) if start >= 0 else ""
    done = sum(
        1
        for raw in messages[start + 1 :]
        if (m := shipit.coerce(raw)).role == "assistant" and m.tool_calls
    )
    return prompt.split(_REMINDER, 1)[0], done


class ScriptedLLM:
    """A shipit LLM that plays a scenario: text, reasoning, tool calls, usage, a failure.

    Args:
        script: what every run plays: a ``Scenario`` or a list of steps (``say``,
            ``think``, ``tool``, ``usage``, ``sleep``, ``fail``; ``client_tool`` and
            ``ask_approval`` play as ordinary tools, ``ask_question`` as a tool named
            ``AskUserQuestion`` answering each question's first option). None: each
            run's prompt picks a scenario, by ``[scenario:NAME]`` tag or keyword, from
            `scenarios` and then the registered ones, as the emulators do.
        scenarios: scenarios a prompt can pick (when `script` is None).
        default_scenario: what a prompt that picks nothing plays.

    Give the agent ``llm.tools()`` so that the scripted calls reach a tool (ShipitServer
    does this by itself).
    """

    def __init__(
        self,
        script: Scenario | Iterable[Step] | None = None,
        *,
        scenarios: Iterable[Scenario] = (),
        default_scenario: str = "demo",
    ) -> None:
        if script is not None and not isinstance(script, Scenario):
            script = Scenario("scripted", list(script))
        self.script: Scenario | None = script
        self.book = ScenarioBook(scenarios, default=default_scenario)
        self._lock = threading.Lock()
        self._pending: list[_Call] = []
        self._wake = threading.Event()

    def complete(
        self,
        *,
        messages: list[Any],
        tools: list[dict[str, Any]] | None = None,
        system_prompt: str | None = None,
        metadata: dict[str, Any] | None = None,
        text_delta_callback: Callable[[str], bool | None] | None = None,
        tool_input_callback: Callable[[str, str, str], bool | None] | None = None,
        require_tool_call: bool = False,
    ) -> Any:
        """Play the model step `messages` are at (shipit's ``LLM.complete``).

        Raises:
            ScriptedFailure: the step ends with ``fail()``.
            UnknownScenario: the prompt names no known scenario.
        """
        prompt, done = run_position(messages)
        steps = model_steps(self.scenario_for(prompt).steps)
        if done >= len(steps):  # the runtime asked again after the script ended
            return shipit.LLMResponse(content="")
        return self._play(steps[done], text_delta_callback, tool_input_callback)

    def scenario_for(self, prompt: str) -> Scenario:
        """The scenario a run with `prompt` plays."""
        return self.script if self.script is not None else self.book.select(prompt)

    def tools(self) -> list[ScriptedTool]:
        """One shipit tool per tool name in the scripts this LLM can play."""
        if self.script is not None:
            scripts = [self.script]
        else:
            scripts = [*self.book.own.values(), *_registered()]
        names = {c.name: None for s in scripts for step in s.steps if (c := _call_of(step))}
        return [ScriptedTool(name, self) for name in names]

    def interrupt(self) -> None:
        """Cut short every ``sleep()`` step in progress (the server is stopping)."""
        with self._lock:
            wake, self._wake = self._wake, threading.Event()
        wake.set()

    def take_result(self, name: str, arguments: dict[str, Any]) -> _Call | None:
        """The scripted call a tool invocation answers: same name and arguments first."""
        with self._lock:
            matches = [c for c in self._pending if c.name == name]
            exact = [c for c in matches if c.arguments == arguments]
            if not matches:
                return None
            chosen = (exact or matches)[0]
            self._pending.remove(chosen)
            return chosen

    def _play(
        self,
        steps: list[Step],
        on_text: Callable[[str], bool | None] | None,
        on_tool_input: Callable[[str, str, str], bool | None] | None,
    ) -> Any:
        reasoning: list[str] = []
        text: list[str] = []
        calls: list[Any] = []
        pending: list[_Call] = []
        tokens = [0, 0]
        for step in steps:
            if isinstance(step, Think):
                reasoning.append(step.text)
            elif isinstance(step, Say):
                text.append(step.text)
                _stream(step.text, on_text)
            elif isinstance(step, Usage):
                tokens = [tokens[0] + step.input_tokens, tokens[1] + step.output_tokens]
            elif isinstance(step, Sleep):
                self._wake.wait(step.seconds)
            elif isinstance(step, Fail):
                raise _failure(step)
            elif (call := _call_of(step)) is not None:
                calls.append(_tool_call(call, len(calls), on_tool_input))
                pending.append(call)
        with self._lock:
            self._pending = pending
        return shipit.LLMResponse(
            content="".join(text),
            tool_calls=calls,
            reasoning_content="\n\n".join(reasoning) or None,
            usage=_usage(*tokens) if any(tokens) else {},
        )


def _registered() -> list[Scenario]:
    from .scenarios import registered_scenarios

    return list(registered_scenarios().values())


def _stream(text: str, on_text: Callable[[str], bool | None] | None) -> None:
    """Give the runtime `text` in token-sized pieces; it answers False to stop early."""
    if on_text is None:
        return
    for piece in text_pieces(text):
        if on_text(piece) is False:
            return


def _tool_call(
    call: _Call, index: int, on_tool_input: Callable[[str, str, str], bool | None] | None
) -> Any:
    """A shipit ``ToolCall``, its arguments first streamed as JSON pieces if asked for."""
    call_id = f"call_scripted_{next(_ids):04d}"
    if on_tool_input is not None:
        for piece in json_pieces(json.dumps(call.arguments)):
            if on_tool_input(call_id, call.name, piece) is False:
                break
    return shipit.ToolCall(name=call.name, arguments=dict(call.arguments), id=call_id, index=index)


def _usage(input_tokens: int, output_tokens: int) -> dict[str, int]:
    """Usage under the keys shipit's accounting reads (``prompt_tokens``, ...)."""
    return {
        "prompt_tokens": input_tokens,
        "completion_tokens": output_tokens,
        "total_tokens": input_tokens + output_tokens,
    }


class ScriptedTool:
    """A shipit tool (its ``Tool`` protocol) answering what the script says.

    Its schema accepts any object, so shipit never rejects the scripted arguments.
    """

    def __init__(self, name: str, llm: ScriptedLLM) -> None:
        self.name = name
        self.description = f"Scripted tool {name}: answers what the test's scenario says."
        self.prompt_instructions = "Call it when the scenario does."
        self._llm = llm

    def schema(self) -> dict[str, Any]:
        parameters = {"type": "object", "properties": {}, "additionalProperties": True}
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": parameters,
            },
        }

    def run(self, context: Any, **arguments: Any) -> Any:
        """The scripted result as a ``ToolOutput`` (JSON unless it is a string).

        Raises:
            ScriptedToolError: the step has an ``error``.
        """
        call = self._llm.take_result(self.name, arguments)
        if call is not None and call.error is not None:
            raise ScriptedToolError(call.error)
        result = "ok" if call is None else call.result
        text = result if isinstance(result, str) else json.dumps(result)
        return shipit.ToolOutput(text=text)
