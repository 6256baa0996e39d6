"""What the sync and async Everruns clients share: configuration from the environment,
the two APIs' paths and headers, request bodies and queries, and the checks made before
any request (event type filters, unknown options).

Everruns has two APIs, and one client type speaks either (see ``Endpoint``):

- the **management API** (``Everruns(api_key=...)``): a personal access token sent as
  ``Authorization: <token>`` (as the official SDK sends it; the documentation's curl
  examples add ``Bearer``, which the platform accepts too), ``X-Org-Id``, paths under
  ``/v1``;
- the **agent execution API** (``Everruns.agent(agent_url=..., credential=...)``): an
  agent credential sent as ``Authorization: Bearer <credential>``, an optional
  ``End-User`` header, paths directly under the agent's URL.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ..._config import base_url_hint, check_base_url
from ..._exceptions import AgentStreamError, ConfigError
from ..._http import EXTRAS, segment

if TYPE_CHECKING:
    from ...types import everruns

DEFAULT_API_URL = "https://app.everruns.com/api"
#: At most this many values in each of ``types`` and ``exclude`` (the platform's limit).
MAX_FILTER_VALUES = 25
#: The events after which a turn changes no more.
TURN_END_TYPES = frozenset({"turn.completed", "turn.failed", "turn.cancelled", "turn.sealed"})
#: SSE lifecycle frames: framing, not session events (never valid filter values).
LIFECYCLE_TYPES = frozenset({"connected", "disconnecting"})
#: Session statuses in which no turn is running or waiting.
IDLE_STATUSES = frozenset({"idle", "started"})
#: A session in this status waits for the client (tool results, approvals, answers).
WAITING_STATUS = "waitingfortoolresults"
#: The filters of ``GET /v1/sessions/{id}/events`` besides ``types``/``exclude``.
LIST_FILTERS = frozenset(
    {
        "since_id",
        "limit",
        "before_sequence",
        "after_sequence",
        "around",
        "window",
        "from_ts",
        "to_ts",
        "turn_id",
        "exec_id",
        "trace_id",
        "tags",
        "tool_name",
        "q",
        "order_desc",
    }
)
#: What the agent execution API's event list takes.
AGENT_LIST_FILTERS = frozenset({"after_sequence", "limit"})
#: The engine-authored client-side tools that stand for a question and an approval.
QUESTION_TOOL, APPROVAL_TOOL = "ask_user", "approve_tool_call"
#: ``POST .../tool-results`` answered 409 "not waiting for tool results": the session is
#: still settling into its waiting state. Retried this many times, the delay doubling.
TOOL_RESULT_RETRIES, TOOL_RESULT_DELAY = 6, 0.1


class EverrunsConfigError(ConfigError):
    """The client lacks what it needs (a credential), its URL lacks a scheme, or it was
    asked for an endpoint its API does not have (``events.summary`` on the agent
    execution API)."""


class EventTypeError(AgentStreamError, ValueError):
    """A ``types``/``exclude`` filter names an unknown event type, or too many; raised
    before any request is made."""


@attrs.frozen(kw_only=True)
class Endpoint:
    """Where one of the two APIs is and how to speak to it.

    Attributes:
        base_url: the URL every path is appended to.
        headers: sent with every request (credential, org, end user).
        prefix: the path prefix of the session endpoints (``/v1`` on the management API).
        agent: True for the agent execution API.
        hint: where the URL comes from, for an UnreachableError's message.
    """

    base_url: str
    headers: Mapping[str, str]
    prefix: str
    agent: bool
    hint: str = ""

    def session_path(self, session_id: str, tail: str = "") -> str:
        """The path of a session's endpoint, e.g. ``/v1/sessions/<id>/events``."""
        return f"{self.prefix}/sessions/{segment(session_id, 'a session id')}{tail}"

    def management_only(self, what: str) -> None:
        """Refuse, before any request, an endpoint the agent execution API lacks."""
        if self.agent:
            raise EverrunsConfigError(
                f"{what} is an endpoint of the management API only; "
                "use Everruns(api_key=...) rather than Everruns.agent(...)"
            )


def management(api_key: str | None, base_url: str | None, org_id: str | None) -> Endpoint:
    """Arguments first, then ``EVERRUNS_API_KEY`` / ``EVERRUNS_API_URL`` /
    ``EVERRUNS_ORG_ID``, then the default URL."""
    key = api_key or os.environ.get("EVERRUNS_API_KEY")
    if not key:
        raise EverrunsConfigError("no API key: pass api_key= or set EVERRUNS_API_KEY")
    url = _checked(base_url or os.environ.get("EVERRUNS_API_URL") or DEFAULT_API_URL, "API")
    headers = {"Authorization": key, "Accept": "application/json"}
    org = org_id or os.environ.get("EVERRUNS_ORG_ID")
    if org:
        headers["X-Org-Id"] = org
    hint = base_url_hint("base_url=", "EVERRUNS_API_URL")
    return Endpoint(base_url=url, headers=headers, prefix="/v1", agent=False, hint=hint)


def agent(agent_url: str | None, credential: str | None, end_user: str | None) -> Endpoint:
    """Arguments first, then ``EVERRUNS_AGENT_URL`` and ``EVERRUNS_AGENT_KEY``."""
    url = agent_url or os.environ.get("EVERRUNS_AGENT_URL")
    if not url:
        raise EverrunsConfigError("no agent URL: pass agent_url= or set EVERRUNS_AGENT_URL")
    key = credential or os.environ.get("EVERRUNS_AGENT_KEY")
    if not key:
        raise EverrunsConfigError("no agent credential: pass credential= or set EVERRUNS_AGENT_KEY")
    url = _checked(url, "AGENT")
    headers = {"Authorization": f"Bearer {key}", "Accept": "application/json"}
    if end_user:
        headers["End-User"] = end_user
    hint = base_url_hint("agent_url=", "EVERRUNS_AGENT_URL")
    return Endpoint(base_url=url, headers=headers, prefix="", agent=True, hint=hint)


def _checked(url: str, kind: str) -> str:
    """`url` once it has a scheme and a host (EverrunsConfigError with the fix if not)."""
    try:
        return check_base_url(url, f"EVERRUNS_{kind}_URL")
    except ConfigError as exc:
        message = str(exc)
        if kind == "AGENT":
            message = message.replace("base_url=", "agent_url=")
        raise EverrunsConfigError(message) from None


def idempotency_headers(given: str | None) -> dict[str, str]:
    """One key per send, reused by every retry of it."""
    return {"Idempotency-Key": given or f"agentstream-{uuid.uuid4()}"}


def message_body(
    text: str | None,
    content: Sequence[Mapping[str, Any]] | None,
    controls: Mapping[str, Any] | None,
    metadata: Mapping[str, Any] | None,
    tags: Sequence[str] | None,
) -> dict[str, Any]:
    """The body of ``POST .../messages``: a user message of `text` or `content` parts."""
    if (text is None) == (content is None):
        raise TypeError("pass text= or content=, exactly one of them")
    parts = (
        [{"type": "text", "text": text}] if text is not None else [dict(p) for p in content or ()]
    )
    body: dict[str, Any] = {"message": {"role": "user", "content": parts}}
    for name, value in (("controls", controls), ("metadata", metadata), ("tags", tags)):
        if value is not None:
            body[name] = dict(value) if isinstance(value, Mapping) else list(value)
    return body


def session_body(options: Mapping[str, Any]) -> dict[str, Any]:
    """The body of ``POST .../sessions``: the options given, None values left out."""
    return {name: value for name, value in options.items() if value is not None}


def check_types(values: Iterable[str] | None, name: str) -> list[str] | None:
    """`values` as a list, after the platform's rules: known event types, at most 25.

    Raises:
        EventTypeError: an unknown type (the message names it) or too many.
    """
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    listed = list(values)
    from ...types import everruns  # the generated registry knows every type

    unknown = [v for v in listed if v not in everruns.EVENT_TYPES or v in LIFECYCLE_TYPES]
    if unknown:
        raise EventTypeError(f"{name}: unknown Everruns event type(s): {', '.join(unknown)}")
    if len(listed) > MAX_FILTER_VALUES:
        raise EventTypeError(f"{name}: at most {MAX_FILTER_VALUES} types, not {len(listed)}")
    return listed


def list_params(endpoint: Endpoint, filters: Mapping[str, Any]) -> dict[str, Any]:
    """The query of ``GET .../events``, checked: unknown options raise TypeError."""
    allowed = AGENT_LIST_FILTERS if endpoint.agent else LIST_FILTERS | {"types", "exclude"}
    unknown = sorted(set(filters) - allowed)
    if unknown:
        api = "the agent execution API" if endpoint.agent else "events.list"
        valid = ", ".join(sorted(allowed | EXTRAS))
        raise TypeError(f"unexpected option(s) for {api}: {', '.join(unknown)}; valid: {valid}")
    params: dict[str, Any] = {}
    for name, value in filters.items():
        if value is None:
            continue
        if name in ("types", "exclude"):
            value = check_types(value, name)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        params[name] = value
    return params


def tool_outcome(call_id: str, outcome: Any, error: BaseException | None) -> dict[str, Any]:
    """One entry of ``tool_results``: the handler's value, or its error as text."""
    if error is not None:
        return {"tool_call_id": call_id, "error": f"{type(error).__name__}: {error}"}
    return {"tool_call_id": call_id, "result": outcome}


def results_body(results: Iterable[Any]) -> dict[str, Any]:
    """``{"tool_results": [...]}`` from dicts or ToolResult objects."""
    entries = []
    for item in results:
        entry = item if isinstance(item, Mapping) else attrs.asdict(item)
        entries.append({k: v for k, v in entry.items() if v is not None or k == "result"})
    if not entries:
        raise ValueError("no tool results to submit")
    return {"tool_results": entries}


def is_not_waiting(exc: BaseException) -> bool:
    """The 409 the platform answers while a session is not (yet) waiting for results."""
    from ..._exceptions import ConflictError

    return isinstance(exc, ConflictError) and "not waiting for tool results" in str(exc).lower()


def requested_calls(event: Any) -> list[everruns.ToolCall]:
    """The calls a ``tool.call_requested`` event asks for: ``data.tool_calls``, or the
    ``tool_call`` parts of ``data.message`` (the two shapes the platform uses)."""
    from ...types import everruns

    data = event.data
    if data.tool_calls:
        return list(data.tool_calls)
    parts = data.message.content if data.message is not None else []
    return [
        everruns.ToolCall(id=p.id, name=p.name or "", arguments=p.arguments or {})
        for p in parts
        if p.type == "tool_call" and p.id is not None
    ]


# The generated types and the converter load with the first answer, not with the client:
# `from agentstream import Everruns` stays cheap.


def _structure(data: Any, name: str) -> Any:
    from ..._converter import structure
    from ...types import everruns

    return structure(data, getattr(everruns, name))


def as_session(data: Any) -> everruns.Session:
    """A Session answer, decoded (fields the model lacks, like ``pending_questions``,
    are kept in the answer only)."""
    session: everruns.Session = _structure(data, "Session")
    return session


def as_message(data: Any) -> everruns.Message:
    """A Message answer, decoded."""
    message: everruns.Message = _structure(data, "Message")
    return message


def as_summary(data: Any) -> everruns.EventsSummary:
    """An ``events/summary`` answer, decoded."""
    summary: everruns.EventsSummary = _structure(data, "EventsSummary")
    return summary


def as_events(data: Any) -> list[Any]:
    """The events of a list answer, each decoded into its generated class."""
    from ..._converter import structure_event

    items = data.get("data", []) if isinstance(data, dict) else []
    return [structure_event("everruns", item) for item in items]
