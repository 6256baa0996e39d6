"""The one place that imports shipit-agent, so a missing install fails with a hint.

shipit-agent is an optional dependency (the ``compat`` group), and it ships without a
``py.typed`` marker. Every shipit name the testing helpers use is imported here, once,
behind a narrow ``type: ignore``; the rest of the package sees plain ``Any`` values and
typed wrappers instead of an untyped library. Importing this module without shipit
installed raises ``ShipitNotInstalled``, a ``ModuleNotFoundError`` that says what to
install, instead of a traceback from deep inside a fixture.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = [
    "INSTALL_HINT",
    "AgentEvent",
    "AgentServer",
    "LLMResponse",
    "ShipitNotInstalled",
    "SimpleEchoLLM",
    "ToolCall",
    "ToolOutput",
    "build_agent",
    "canonical",
    "coerce",
    "done_frame",
    "event_sse",
    "hello_sse",
    "packet_sse",
    "replay_from",
    "result_packet_sse",
]

INSTALL_HINT = "the shipit helpers need shipit-agent: pip install shipit-agent"


class ShipitNotInstalled(ModuleNotFoundError):
    """shipit-agent is not installed; the message says how to install it."""


try:
    from shipit_agent import Agent  # type: ignore[import-untyped]
    from shipit_agent.llms.base import (  # type: ignore[import-untyped]
        LLMResponse,
        coerce_message,
    )
    from shipit_agent.llms.simple import SimpleEchoLLM  # type: ignore[import-untyped]
    from shipit_agent.models import (  # type: ignore[import-untyped]
        AgentEvent,
        AgentResult,
        ToolCall,
    )
    from shipit_agent.packets import (  # type: ignore[import-untyped]
        sse_event_packet,
        sse_result_packet,
    )
    from shipit_agent.serve import AgentServer  # type: ignore[import-untyped]
    from shipit_agent.streaming import (  # type: ignore[import-untyped]
        Durability,
        classify,
        frame,
        hello_frame,
        replay_from,
        sse,
    )
    from shipit_agent.tools.base import ToolOutput  # type: ignore[import-untyped]
except ModuleNotFoundError as exc:  # pragma: no cover - exercised with shipit hidden
    if not (exc.name or "").startswith("shipit_agent"):
        raise
    raise ShipitNotInstalled(INSTALL_HINT, name="shipit_agent") from exc

#: The frame that ends a ``/v1/stream`` transcript (written by AgentServer as a literal).
DONE_FRAME = "event: done\ndata: [DONE]\n\n"

#: Agent options that keep a test run hermetic: no project files, skills or rules read
#: from disk, no tracing backend; the run is the LLM and the tools, nothing else.
HERMETIC_AGENT_OPTIONS: dict[str, Any] = {
    "auto_project_memory": False,
    "auto_project_skills": False,
    "auto_project_rules": False,
    "auto_use_skills": False,
    "observability": False,
}


def build_agent(llm: Any, tools: Iterable[Any], prompt: str, options: dict[str, Any]) -> Any:
    """A shipit ``Agent`` for tests: hermetic defaults, which `options` may override."""
    return Agent(llm=llm, tools=list(tools), prompt=prompt, **{**HERMETIC_AGENT_OPTIONS, **options})


def coerce(message: Any) -> Any:
    """A shipit ``Message`` from whatever the runtime passed (it accepts dicts too)."""
    return coerce_message(message)


def canonical(event_type: str) -> bool:
    """Whether shipit replays `event_type` on a reconnect (its ``classify``)."""
    return bool(classify(event_type) is Durability.CANONICAL)


def event_sse(event: Any, sequence: int, generation: str) -> str:
    """One transcript frame, exactly as ``streaming.sse`` writes it, in `generation`."""
    framed = frame(event, sequence=sequence)
    framed.generation = generation
    return str(sse(framed))


def hello_sse(generation: str) -> str:
    """The ``stream_hello`` control frame that opens a transcript, in `generation`."""
    hello = hello_frame()
    hello.generation = generation
    hello.payload["generation"] = generation
    return str(sse(hello))


def done_frame() -> str:
    """The terminating ``event: done`` / ``data: [DONE]`` frame."""
    return DONE_FRAME


def packet_sse(event: Any) -> str:
    """One event in the plain packet format (``packets.sse_event_packet``)."""
    return str(sse_event_packet(event))


def result_packet_sse(events: list[Any]) -> str:
    """The ``agent_result`` frame of the plain format for a run made of `events`."""
    output = ""
    for event in events:
        if event.type == "run_completed":
            output = str(event.payload.get("output") or "")
    return str(sse_result_packet(AgentResult(output=output, events=list(events))))
