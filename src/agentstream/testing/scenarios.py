"""Scripted agent turns as data: the scenario DSL every emulator renders.

A scenario is a list of steps that says what the agent does in one turn; each emulator
turns the steps into its platform's wire vocabulary (for m8tes: ``text-delta``,
``tool-call-start``, ``permission_request`` ...). Steps are plain frozen values, so a
scenario can be declared at module level, compared, and replayed after a restart::

    from agentstream.testing import Scenario, say, think, tool, usage

    refund = Scenario(
        "refund",
        [
            think("The customer asks about a refund; look the order up first."),
            tool("orders_lookup", {"order": "A-17"}, result={"status": "refunded"}),
            say("Your refund went out on Monday."),
            usage(input_tokens=900, output_tokens=40),
        ],
        keywords=["refund"],
    )

A message picks its scenario with a tag, ``[scenario:refund]``, or by containing one of
a scenario's keywords; otherwise the emulator's default scenario (``"demo"``) runs. So
any client, ours or a vendor's, drives a scenario with the platform's ordinary API.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeAlias

import attrs

__all__ = [
    "AskApproval",
    "AskQuestion",
    "ClientTool",
    "Fail",
    "Say",
    "Scenario",
    "Sleep",
    "Step",
    "Think",
    "Tool",
    "Usage",
    "ask_approval",
    "ask_question",
    "client_tool",
    "fail",
    "register_scenario",
    "registered_scenarios",
    "say",
    "sleep",
    "think",
    "tool",
    "usage",
]


@attrs.frozen
class Say:
    """The agent streams `text` to the user."""

    text: str


@attrs.frozen
class Think:
    """The agent streams visible reasoning."""

    text: str


@attrs.frozen
class Tool:
    """The agent calls tool `name` with `input`; it answers `result`, or fails with `error`."""

    name: str
    input: dict[str, Any]
    result: Any = "ok"
    error: str | None = None


@attrs.frozen
class ClientTool:
    """The agent calls a tool that the client runs: the turn pauses until the client
    submits the result. Platforms without client-side tools play it as a tool answering
    `result`."""

    name: str
    input: dict[str, Any]
    result: Any = "ok"


@attrs.frozen
class AskApproval:
    """A gated tool call: the run pauses until the call is approved or denied.

    An allowed call answers `result`; a denied one answers an error result.
    """

    tool: str
    input: dict[str, Any]
    result: Any = "ok"


@attrs.frozen
class AskQuestion:
    """The agent asks the user multiple-choice questions and pauses until answered.

    Each question is ``{"question", "header", "options": [{"label", "description"}],
    "multiSelect"}``, the shape of the ``AskUserQuestion`` tool's input.
    """

    questions: tuple[dict[str, Any], ...]


@attrs.frozen
class Fail:
    """The run fails with `message` (and a machine-readable `code`); nothing follows it."""

    message: str
    code: str | None = None


@attrs.frozen
class Usage:
    """The agent reports token usage so far (added to the run's totals)."""

    input_tokens: int
    output_tokens: int


@attrs.frozen
class Sleep:
    """The agent works silently for `seconds` (keep-alives still flow)."""

    seconds: float


Step: TypeAlias = Say | Think | Tool | ClientTool | AskApproval | AskQuestion | Fail | Usage | Sleep


def say(text: str) -> Say:
    """Stream `text` as the agent's answer, in word-sized deltas of 1-20 characters."""
    if not text:
        raise ValueError("say() needs some text")
    return Say(text)


def think(text: str) -> Think:
    """Stream `text` as the agent's reasoning."""
    if not text:
        raise ValueError("think() needs some text")
    return Think(text)


def tool(
    name: str,
    input: Mapping[str, Any] | None = None,
    *,
    result: Any = "ok",
    error: str | None = None,
) -> Tool:
    """Call tool `name`; its input JSON is streamed in pieces, then `result` (or `error`)."""
    return Tool(name, dict(input or {}), result, error)


def client_tool(
    name: str, input: Mapping[str, Any] | None = None, *, result: Any = "ok"
) -> ClientTool:
    """Call `name` on the client's side (Everruns ``tool.call_requested``, Managed Agents
    ``agent.custom_tool_use``): the turn waits for the client's result. `result` is what
    a platform without client-side tools answers instead."""
    return ClientTool(name, dict(input or {}), result)


def ask_approval(
    tool: str, input: Mapping[str, Any] | None = None, *, result: Any = "ok"
) -> AskApproval:
    """Call `tool` behind an approval gate: the run waits for an approve call."""
    return AskApproval(tool, dict(input or {}), result)


def ask_question(
    questions: str | Mapping[str, Any] | Sequence[str | Mapping[str, Any]],
    *,
    options: Sequence[str] = ("Yes", "No"),
) -> AskQuestion:
    """Ask the user one or more questions; the run waits for an answer call.

    A question given as a plain string gets `options` as its choices; a mapping is taken
    as the full ``AskUserQuestion`` shape.
    """
    items = [questions] if isinstance(questions, str | Mapping) else list(questions)
    if not items:
        raise ValueError("ask_question() needs at least one question")
    return AskQuestion(tuple(_question(item, options) for item in items))


def _question(item: str | Mapping[str, Any], options: Sequence[str]) -> dict[str, Any]:
    if isinstance(item, Mapping):
        return dict(item)
    return {
        "question": item,
        "header": item.split()[0][:12] if item.split() else "Question",
        "options": [{"label": label, "description": ""} for label in options],
        "multiSelect": False,
    }


def fail(message: str, *, code: str | None = None) -> Fail:
    """End the run as failed with `message`; must be a scenario's last step."""
    return Fail(message, code)


def usage(*, input_tokens: int, output_tokens: int) -> Usage:
    """Report token usage; the run's totals and its cost follow from these."""
    if input_tokens < 0 or output_tokens < 0:
        raise ValueError("token counts cannot be negative")
    return Usage(input_tokens, output_tokens)


def sleep(seconds: float) -> Sleep:
    """Work silently for `seconds` (a cancel interrupts it)."""
    if seconds < 0:
        raise ValueError("cannot sleep a negative time")
    return Sleep(float(seconds))


def _steps(steps: Iterable[Step]) -> tuple[Step, ...]:
    return tuple(steps)


def _lower_all(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(word.lower() for word in words)


@attrs.frozen
class Scenario:
    """A named, scripted agent turn.

    Args:
        name: what ``[scenario:NAME]`` in a message selects.
        steps: what the agent does, in order.
        keywords: a message containing one of these (case-insensitive) selects it too.
    """

    name: str
    steps: tuple[Step, ...] = attrs.field(converter=_steps)
    keywords: tuple[str, ...] = attrs.field(default=(), converter=_lower_all)

    def __attrs_post_init__(self) -> None:
        if not re.fullmatch(r"[\w.-]+", self.name):
            raise ValueError(f"scenario name {self.name!r} must be letters, digits, _ . or -")
        # A failed run has nothing after its error, so a step after fail() could never run.
        if any(isinstance(step, Fail) for step in self.steps[:-1]):
            raise ValueError(f"scenario {self.name!r}: fail() must be the last step")


_REGISTRY: dict[str, Scenario] = {}


def register_scenario(scenario: Scenario, *, replace: bool = False) -> Scenario:
    """Make `scenario` available to every emulator (per-emulator ``scenarios=`` win).

    Raises:
        ValueError: a scenario with that name exists and `replace` is false.
    """
    if scenario.name in _REGISTRY and not replace:
        raise ValueError(f"scenario {scenario.name!r} is already registered")
    _REGISTRY[scenario.name] = scenario
    return scenario


def registered_scenarios() -> dict[str, Scenario]:
    """A copy of the global registry, by name."""
    return dict(_REGISTRY)


_TAG = re.compile(r"\[scenario:([\w.-]+)\]")


class UnknownScenario(LookupError):
    """A message named a scenario that no registry holds."""


class ScenarioBook:
    """The scenarios one emulator knows: its own first, then the global registry."""

    def __init__(self, own: Iterable[Scenario] = (), *, default: str = "demo") -> None:
        self.own = {scenario.name: scenario for scenario in own}
        self.default = default

    def get(self, name: str) -> Scenario | None:
        return self.own.get(name) or _REGISTRY.get(name)

    def select(self, message: str) -> Scenario:
        """The scenario `message` asks for.

        Raises:
            UnknownScenario: the message's tag, or the default, names no scenario.
        """
        tag = _TAG.search(message)
        name = tag.group(1) if tag else self._by_keyword(message.lower()) or self.default
        scenario = self.get(name)
        if scenario is None:
            known = ", ".join(sorted({*self.own, *_REGISTRY}))
            raise UnknownScenario(f"unknown scenario {name!r}; known: {known}")
        return scenario

    def _by_keyword(self, message: str) -> str | None:
        for scenario in [*self.own.values(), *_REGISTRY.values()]:
            if any(word in message for word in scenario.keywords):
                return scenario.name
        return None


# Word-ish deltas, like a model's tokens: a word with its trailing space, short words
# merged with the next one, long ones cut. Deterministic, so tests can count frames.
_WORDS = re.compile(r"\S+\s*|\s+")
MAX_PIECE = 20
_MERGE_BELOW = 10


def text_pieces(text: str) -> list[str]:
    """Split `text` into deltas of 1-20 characters that join back to `text`."""
    words: list[str] = []
    for word in _WORDS.findall(text):
        words.extend(word[i : i + MAX_PIECE] for i in range(0, len(word), MAX_PIECE))
    pieces: list[str] = []
    for word in words:
        if pieces and len(pieces[-1]) + len(word) <= _MERGE_BELOW:
            pieces[-1] += word
        else:
            pieces.append(word)
    return pieces


def json_pieces(text: str, size: int = 16) -> list[str]:
    """Split a JSON document into `size`-character pieces, as tool input is streamed."""
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]
