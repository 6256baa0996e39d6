"""Request bodies and query values of the Everruns emulator, checked before use.

Each helper raises the platform's error (``ApiError``) for a value it cannot accept:
422 for a body of the wrong shape, 400 for a bad query value or answers that do not
match what was asked (as the platform answers them).
"""

from __future__ import annotations

from typing import Any

from ._http import ApiError, parse_body

__all__ = ["DECISIONS", "answers", "decisions", "parse", "query_int", "session_fields"]

#: What a person may decide about a gated tool call.
DECISIONS = ("allow", "allow_always", "reject", "reject_always")


def parse(body: Any, cls: type[Any]) -> Any:
    if not isinstance(body, dict):
        raise ApiError(422, "validation_error", "the body must be a JSON object")
    return parse_body(body, cls)


def query_int(raw: str | None, name: str, default: int) -> int:
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, "invalid_request", f"{name} must be an integer") from None
    if value < 0:
        raise ApiError(400, "invalid_request", f"{name} must be >= 0")
    return value


def session_fields(body: dict[str, Any]) -> dict[str, Any]:
    """The session fields the emulator keeps from a create body (the rest is ignored).

    Raises:
        ApiError: 422 for a field of the wrong type.
    """
    fields: dict[str, Any] = {}
    for name in ("title", "agent_id", "harness_id", "model_id"):
        value = body.get(name)
        if value is not None and not isinstance(value, str):
            raise ApiError(422, "validation_error", f"{name} must be a string")
        if value is not None:
            fields[name] = value
    tags = body.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise ApiError(422, "validation_error", "tags must be a list of strings")
    fields["tags"] = tags
    if body.get("metadata") is not None:
        raise ApiError(400, "invalid_request", "Session metadata is not supported by this host")
    return fields


def decisions(body: Any) -> dict[str, str]:
    """``{"decisions": [{"tool_call_id", "decision"}]}`` as call id -> decision.

    Raises:
        ApiError: 422 for a malformed body or an unknown decision.
    """
    items = body.get("decisions") if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise ApiError(422, "validation_error", "decisions must be a list")
    decisions: dict[str, str] = {}
    for item in items:
        call_id = item.get("tool_call_id") if isinstance(item, dict) else None
        decision = item.get("decision") if isinstance(item, dict) else None
        if not isinstance(call_id, str) or decision not in DECISIONS:
            raise ApiError(
                422,
                "validation_error",
                f"each decision needs a tool_call_id and one of {', '.join(DECISIONS)}",
            )
        decisions[call_id] = decision
    return decisions


def answers(questions: list[dict[str, Any]], answers: Any, status: str) -> list[dict[str, Any]]:
    """Check the answers against what was asked (labels offered, each question once).

    Raises:
        ApiError: 400 naming the mismatch.
    """
    if status == "declined":
        return []
    if not isinstance(answers, list) or not all(isinstance(a, dict) for a in answers):
        raise ApiError(422, "validation_error", "answers must be a list of objects")
    asked = {q["id"]: q for q in questions}
    given = {a.get("id"): a for a in answers}
    if len(given) != len(answers) or set(given) != set(asked):
        raise ApiError(400, "invalid_answers", "answer every asked question exactly once")
    for question_id, answer in given.items():
        offered = {o["label"] for o in asked[question_id]["options"]}
        selected = answer.get("selected") or []
        if not isinstance(selected, list) or not set(selected) <= offered:
            raise ApiError(
                400, "invalid_answers", f"question {question_id!r} was not asked with that option"
            )
        if not selected or (len(selected) > 1 and not asked[question_id]["multi_select"]):
            raise ApiError(400, "invalid_answers", f"question {question_id!r} needs one selection")
    return [{"id": a["id"], "selected": a.get("selected"), "other_text": None} for a in answers]
