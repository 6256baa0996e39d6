"""The events a client sends: wire encoding, and small constructors of the common ones
(generated params classes, from ``schema/managed_agents/params``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

from ._common import EventParam

if TYPE_CHECKING:
    from ...types import managed_agents as ma


def encode_events(events: Iterable[EventParam]) -> list[dict[str, Any]]:
    """Wire dicts of `events` (generated params classes or dicts with a ``type``).

    Raises:
        TypeError: an event that is neither, or a dict without a ``type``.
    """
    from ..._converter import unstructure

    out = []
    for event in events:
        if attrs.has(type(event)):
            out.append(unstructure(event))
        elif isinstance(event, Mapping) and isinstance(event.get("type"), str):
            out.append(dict(event))
        else:
            raise TypeError(f"not a session event: {event!r:.80}")
    if not out:
        raise ValueError("events: send at least one event")
    return out


def _params(name: str, **fields: Any) -> Any:
    from ..._converter import structure
    from ...types import managed_agents

    kept = {k: v for k, v in fields.items() if v is not None}
    return structure(kept, getattr(managed_agents, name))


def text_blocks(content: str | Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Content blocks: a string is one text block; blocks are kept as they are."""
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    return [dict(block) for block in content]


def user_message(content: str | Sequence[Mapping[str, Any]]) -> ma.UserMessageParams:
    """A ``user.message``: a string becomes one text block."""
    params: ma.UserMessageParams = _params("UserMessageParams", content=text_blocks(content))
    return params


def system_message(text: str) -> ma.SystemMessageParams:
    """A ``system.message`` with one text block."""
    params: ma.SystemMessageParams = _params("SystemMessageParams", content=text_blocks(text))
    return params


def interrupt(session_thread_id: str | None = None) -> ma.UserInterruptParams:
    """A ``user.interrupt`` of the session (or of one thread)."""
    params: ma.UserInterruptParams = _params(
        "UserInterruptParams", session_thread_id=session_thread_id
    )
    return params


def custom_tool_result(
    custom_tool_use_id: str, content: Any = None, *, is_error: bool | None = None
) -> ma.UserCustomToolResultParams:
    """A ``user.custom_tool_result``: a string, blocks, or any JSON value (sent as text)."""
    params: ma.UserCustomToolResultParams = _params(
        "UserCustomToolResultParams",
        custom_tool_use_id=custom_tool_use_id,
        content=result_blocks(content),
        is_error=is_error,
    )
    return params


def tool_result(
    tool_use_id: str, content: Any = None, *, is_error: bool | None = None
) -> ma.UserToolResultParams:
    """A ``user.tool_result`` (self-hosted environments run built-in tools themselves)."""
    params: ma.UserToolResultParams = _params(
        "UserToolResultParams",
        tool_use_id=tool_use_id,
        content=result_blocks(content),
        is_error=is_error,
    )
    return params


def tool_confirmation(
    tool_use_id: str, result: Literal["allow", "deny"], *, deny_message: str | None = None
) -> ma.UserToolConfirmationParams:
    """A ``user.tool_confirmation``: allow, or deny with an optional message."""
    params: ma.UserToolConfirmationParams = _params(
        "UserToolConfirmationParams",
        tool_use_id=tool_use_id,
        result=result,
        deny_message=deny_message,
    )
    return params


def define_outcome(
    description: str, rubric: str | Mapping[str, Any], *, max_iterations: int | None = None
) -> ma.UserDefineOutcomeParams:
    """A ``user.define_outcome``; a string rubric is a text rubric."""
    shaped = {"type": "text", "content": rubric} if isinstance(rubric, str) else dict(rubric)
    params: ma.UserDefineOutcomeParams = _params(
        "UserDefineOutcomeParams",
        description=description,
        rubric=shaped,
        max_iterations=max_iterations,
    )
    return params


def result_blocks(value: Any) -> list[dict[str, Any]] | None:
    """A tool's return value as result content: None stays None, a string is one text
    block, a list of blocks stays, anything else is sent as its JSON text."""
    if value is None:
        return None
    if isinstance(value, str):
        return text_blocks(value)
    if isinstance(value, list) and all(isinstance(b, Mapping) and "type" in b for b in value):
        return [dict(b) for b in value]
    return text_blocks(json.dumps(value, default=str))
