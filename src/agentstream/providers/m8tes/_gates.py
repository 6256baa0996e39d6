"""What a run stream does at a gate (a tool approval or a question), and the error it
ends with when nothing answers the gate. No IO: the streams do the requests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from ..._exceptions import ActionRequiredError
from ._common import is_question

if TYPE_CHECKING:
    from ...types import m8tes

__all__ = ["GATE_TYPES", "decision", "waiting_error"]

#: The frame after which a run waits for a human (``permission_request`` announces the
#: request just before it; a caller iterating the stream may answer at either, so the
#: stream looks at the gate only once this one was handed out).
GATE_TYPES = frozenset({"awaiting_approval"})


def decision(verdict: Any) -> Literal["allow", "deny"]:
    """An ``on_approval`` answer as the API's decision: True or "allow" allows."""
    return "allow" if verdict is True or verdict == "allow" else "deny"


def waiting_error(run_id: int | None, request: m8tes.PermissionRequest) -> ActionRequiredError:
    """The error that ends a stream at a gate nothing answers: what waits, how to answer."""
    rid = request.request_id
    if is_question(request):
        what = f"an answer to {_questions(request)}"
        how = (
            f"pass on_question= to the stream, or answer with runs.answer({run_id},"
            f" answers={{question: option_label}}, request_id={rid!r}) or"
            f" runs.wait({run_id}, on_question=...)"
        )
    else:
        what = f"approval of the tool call {request.tool_name!r}"
        how = (
            f"pass on_approval= to the stream, or answer with runs.approve({run_id},"
            f" request_id={rid!r}, decision='allow' or 'deny') or"
            f" runs.wait({run_id}, on_approval=...)"
        )
    return ActionRequiredError(
        f"run {run_id} waits for {what} (request {rid}): {how}",
        request=request,
        run_id=run_id,
    )


def _questions(request: m8tes.PermissionRequest) -> str:
    tool_input = request.tool_input
    items = tool_input.get("questions") if isinstance(tool_input, dict) else None
    texts = [q.get("question") for q in items or [] if isinstance(q, dict) and q.get("question")]
    return " / ".join(repr(text) for text in texts) or "a question"
