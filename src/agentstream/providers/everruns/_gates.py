"""What an Everruns turn stream does at a gate (an ``approve_tool_call`` approval, an
``ask_user`` question, a client-side tool call nothing handles), and the error it ends
with when nothing answers. No IO: the streams do the requests.

The callbacks are the m8tes ones, adapted to Everruns' requests: ``on_approval(call)``
returns True / "allow" (or "allow_always"), False / "deny" / "reject" (or
"reject_always"); ``on_question(call)`` returns {question text or id: option label (or a
list of labels)}, a list of ``{"id", "selected"}`` answers, or None to decline. `call`
is the ``everruns.ToolCall`` the session waits on (``call.arguments`` holds the gated
tool and its input, or the questions).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from ..._exceptions import ActionRequiredError
from ._common import APPROVAL_TOOL, QUESTION_TOOL

if TYPE_CHECKING:
    from ...types import everruns

__all__ = ["answers", "decision", "kind", "waiting_error"]

Decision = Literal["allow", "allow_always", "reject", "reject_always"]


def kind(call: everruns.ToolCall) -> Literal["approval", "question", "tool"]:
    """What the session waits for: a person's approval, an answer, or a tool result."""
    if call.name == APPROVAL_TOOL:
        return "approval"
    if call.name == QUESTION_TOOL:
        return "question"
    return "tool"


def decision(verdict: Any) -> Decision:
    """An ``on_approval`` answer as the API's decision: True or "allow" allows."""
    if verdict in ("allow_always", "reject_always"):
        return verdict  # type: ignore[no-any-return]
    return "allow" if verdict is True or verdict == "allow" else "reject"


def answers(call: everruns.ToolCall, verdict: Any) -> list[dict[str, Any]] | None:
    """An ``on_question`` answer as ``question_answers`` entries; None declines.

    Raises:
        TypeError: a verdict of another shape (the message says which shapes work).
    """
    if verdict is None:
        return None
    questions = _questions(call)
    if isinstance(verdict, Mapping):
        out = []
        for question in questions:
            text, qid = question.get("question"), question.get("id")
            chosen = verdict.get(text) if text in verdict else verdict.get(qid)
            if chosen is None:
                continue
            labels = [chosen] if isinstance(chosen, str) else list(chosen)
            out.append({"id": qid, "selected": labels})
        return out
    if isinstance(verdict, list) and all(isinstance(item, Mapping) for item in verdict):
        return [dict(item) for item in verdict]
    raise TypeError(
        "on_question must return {question text or id: option label}, a list of"
        f' {{"id", "selected"}} answers, or None to decline; got {type(verdict).__name__}'
    )


def waiting_error(session_id: str, call: everruns.ToolCall) -> ActionRequiredError:
    """The error that ends a turn at a gate nothing answers: what waits, how to answer."""
    sid, cid = session_id, call.id
    what = kind(call)
    if what == "approval":
        gated = call.arguments.get("tool") if isinstance(call.arguments, dict) else None
        waits = f"approval of the tool call {gated!r}"
        how = (
            f"pass on_approval= to the turn, or answer with client.tool_approvals.submit("
            f"{sid!r}, {{{cid!r}: 'allow' or 'reject'}})"
        )
    elif what == "question":
        asked = " / ".join(repr(q.get("question")) for q in _questions(call) if q.get("question"))
        waits = f"an answer to {asked or 'a question'}"
        how = (
            f"pass on_question= to the turn, or answer with client.question_answers.submit("
            f'{sid!r}, answers=[{{"id": question_id, "selected": [label]}}],'
            f" tool_call_id={cid!r})"
        )
    else:
        waits = f"the result of the client-side tool {call.name!r}"
        how = (
            f"pass tools={{{call.name!r}: handler}} to the turn, or answer with"
            f' client.tool_results.submit({sid!r}, [{{"tool_call_id": {cid!r}, "result": ...}}])'
        )
    return ActionRequiredError(
        f"session {sid} waits for {waits} (request {cid}): {how}; then stream the rest"
        f" with client.events.stream({sid!r}, since_id=stream.cursor)",
        request=call,
        session_id=sid,
    )


def _questions(call: everruns.ToolCall) -> list[dict[str, Any]]:
    arguments = call.arguments if isinstance(call.arguments, dict) else {}
    items = arguments.get("questions")
    return [q for q in items or [] if isinstance(q, dict)]
