"""What the sync and async Managed Agents clients share and that does no IO:
configuration, headers, the error envelope, request bodies and queries, and the
constructors of the events a client sends."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import attrs

from ..._config import base_url_hint, check_base_url
from ..._exceptions import ActionRequiredError, APIStatusError, ConfigError, status_error
from ..._http import EXTRAS, RequestExtras, unexpected

if TYPE_CHECKING:
    from ...types import UnknownEvent
    from ...types import managed_agents as ma

DEFAULT_BASE_URL = "https://api.anthropic.com"
API_VERSION = "2023-06-01"
BETA = "managed-agents-2026-04-01"
#: The anthropic SDK's error types, by the status it gives each (an in-stream
#: ``event: error`` carries no status of its own).
ERROR_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "billing_error": 402,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "overloaded_error": 529,
}
#: An event to send: a generated params class, or its wire dict.
EventParam = Mapping[str, Any] | Any
#: Stop reasons that end a turn (``requires_action`` is answered, not an end).
TURN_ENDS = frozenset({"end_turn", "retries_exhausted", "budget_reached", "refusal"})


class ClientConfigError(ConfigError):
    """The client is missing something it needs (an API key), or its base URL lacks a
    scheme or a host."""


#: What an UnreachableError says about where the URL comes from.
URL_HINT = base_url_hint("base_url=", "ANTHROPIC_BASE_URL")


class ActionNotHandledError(ActionRequiredError):
    """A turn stopped for an action nobody answers: a custom tool without a handler, or a
    tool confirmation without ``on_confirmation``. `event` (also ``request``) is the
    pending event; an ActionRequiredError, as on every platform."""

    def __init__(self, message: str, *, event: Any) -> None:
        super().__init__(message, request=event)
        self.event = event


@attrs.frozen(kw_only=True)
class TurnOutcome:
    """How a turn ended.

    Attributes:
        stop_reason: ``end_turn``, ``retries_exhausted``, ``budget_reached``,
            ``refusal``, ``terminated`` (the session ended) or ``deleted``.
        event: the event that ended it (``session.status_idle``,
            ``session.status_terminated`` or ``session.deleted``).
        detail: the refusal's explanation, when the platform gave one.
    """

    stop_reason: str
    event: Any = None
    detail: str | None = None

    @property
    def ok(self) -> bool:
        """True when the agent finished its turn (``end_turn``)."""
        return self.stop_reason == "end_turn"


def resolve(api_key: str | None, base_url: str | None) -> tuple[str, str]:
    """Arguments first, then ``ANTHROPIC_API_KEY`` / ``ANTHROPIC_BASE_URL``, then the
    default URL. The base is the API root: paths start with ``/v1``."""
    key = api_key or os.environ.get("ANTHROPIC_API_KEY")
    if not key:
        raise ClientConfigError("no API key: pass api_key= or set ANTHROPIC_API_KEY")
    url = base_url or os.environ.get("ANTHROPIC_BASE_URL") or DEFAULT_BASE_URL
    try:
        return key, check_base_url(url, "ANTHROPIC_BASE_URL")
    except ConfigError as exc:
        raise ClientConfigError(str(exc)) from None


def base_headers(api_key: str, workspace_id: str | None, betas: Sequence[str]) -> dict[str, str]:
    """The headers every request carries; the Managed Agents beta always among the betas."""
    beta = ",".join(dict.fromkeys([*betas, BETA]))
    headers = {
        "x-api-key": api_key,
        "anthropic-version": API_VERSION,
        "anthropic-beta": beta,
        "Accept": "application/json",
    }
    if workspace_id is not None:
        headers["anthropic-workspace-id"] = workspace_id
    return headers


def refine(error: APIStatusError) -> APIStatusError:
    """Read Anthropic's envelope (``{"type": "error", "error": {"type", "message"},
    "request_id"}``) into the error: ``code`` is the error type; the request id comes
    from the body or the ``request-id`` header."""
    body = error.body
    if isinstance(body, dict):
        inner = body.get("error")
        if isinstance(inner, dict) and error.code is None:
            error.code = inner.get("type")
        if error.request_id is None and isinstance(body.get("request_id"), str):
            error.request_id = body["request_id"]
    if error.request_id is None:
        error.request_id = error.headers.get("request-id")
    return error


def stream_error(data: str) -> APIStatusError:
    """The typed error of an in-stream ``event: error`` frame; its status follows from
    the error type as the anthropic SDK's errors map them (500 when unknown)."""
    try:
        body: Any = json.loads(data)
    except ValueError:
        body = data
    inner = body.get("error") if isinstance(body, dict) else None
    kind = inner.get("type") if isinstance(inner, dict) else None
    message = inner.get("message") if isinstance(inner, dict) else None
    request_id = body.get("request_id") if isinstance(body, dict) else None
    return status_error(
        str(message or "the stream reported an error"),
        status_code=ERROR_STATUS.get(str(kind), 500),
        body=body,
        request_id=request_id if isinstance(request_id, str) else None,
        code=kind if isinstance(kind, str) else None,
    )


# -- queries --------------------------------------------------------------------------


def stamp(value: str | datetime) -> str:
    """A timestamp filter as RFC 3339 text (a naive datetime is taken as UTC)."""
    if isinstance(value, str):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class EventListFilters(RequestExtras, total=False):
    """The filters of ``sessions.events.list`` (bracket names on the wire), and the
    request extras."""

    created_at_gt: str | datetime
    created_at_gte: str | datetime
    created_at_lt: str | datetime
    created_at_lte: str | datetime
    limit: int
    order: Literal["asc", "desc"]
    page: str
    types: Sequence[str]


class SessionListFilters(RequestExtras, total=False):
    """The filters of ``sessions.list``, and the request extras."""

    agent_id: str
    agent_version: int
    created_at_gt: str | datetime
    created_at_gte: str | datetime
    created_at_lt: str | datetime
    created_at_lte: str | datetime
    deployment_id: str
    include_archived: bool
    limit: int
    memory_store_id: str
    order: Literal["asc", "desc"]
    page: str
    statuses: Sequence[str]


class SessionCreateOptions(RequestExtras, total=False):
    """The optional fields of ``sessions.create``, and the request extras."""

    budget: Mapping[str, Any] | None
    initial_events: Sequence[EventParam]
    metadata: Mapping[str, str]
    resources: Sequence[Mapping[str, Any]]
    title: str | None
    vault_ids: Sequence[str]


class SessionUpdateOptions(RequestExtras, total=False):
    """The fields ``sessions.update`` may change, and the request extras."""

    agent: Any
    budget: Mapping[str, Any] | None
    metadata: Mapping[str, str | None] | None
    title: str | None
    vault_ids: Sequence[str]


_ARRAYS = frozenset({"types", "statuses"})


def query(filters: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    """Wire query parameters: ``created_at_gt`` -> ``created_at[gt]``, ``types`` ->
    ``types[]`` (one value each), booleans as ``true``/``false``.

    Raises:
        TypeError: an option the endpoint does not take.
    """
    unknown = set(filters) - set(allowed)
    if unknown:
        valid = ", ".join(sorted(set(allowed) | EXTRAS))
        names = ", ".join(sorted(unknown))
        raise TypeError(f"unexpected keyword argument(s): {names}; valid: {valid}")
    out: dict[str, Any] = {}
    for name, value in filters.items():
        if value is None:
            continue
        if name.startswith("created_at_"):
            out[f"created_at[{name.removeprefix('created_at_')}]"] = stamp(value)
        elif name in _ARRAYS:
            out[name + "[]"] = [value] if isinstance(value, str) else list(value)
        elif isinstance(value, bool):
            out[name] = "true" if value else "false"
        else:
            out[name] = value
    return out


def check_options(options: Mapping[str, Any], cls: type, what: str) -> dict[str, Any]:
    """`options` when every name is one of the TypedDict `cls`'s keys.

    Raises:
        TypeError: an unknown option (so that a typo never goes unnoticed).
    """
    unknown = set(options) - set(cls.__annotations__)
    if unknown:
        raise unexpected(what, unknown, cls.__annotations__)
    return dict(options)


# -- answers, decoded (the generated types load with the first answer) ---------------


def as_session(data: Any) -> ma.Session:
    """A session answer, decoded."""
    from ..._converter import structure
    from ...types import managed_agents

    session: ma.Session = structure(data, managed_agents.Session)
    return session


def as_event(data: Any) -> Any:
    """One listed or sent event, decoded into its generated class (or UnknownEvent)."""
    from ..._converter import structure_event

    return structure_event("managed_agents", data)


def page_parts(data: Any) -> tuple[list[Any], str | None]:
    """The items and the next cursor of a page answer."""
    if not isinstance(data, dict):
        return [], None
    items = data.get("data") or []
    cursor = data.get("next_page")
    return list(items), cursor if isinstance(cursor, str) and cursor else None


#: What iterating a Managed Agents stream yields (an annotation: the generated types
#: load with the first event, not with the client).
ManagedAgentsEvent: TypeAlias = "ma.AnyEvent | UnknownEvent"
#: A custom tool's handler: the tool's input -> its result (a string, content blocks,
#: or any JSON value); an async client also takes coroutine functions. Raising sends
#: the error as an ``is_error`` result.
ToolHandler: TypeAlias = Callable[[dict[str, Any]], Any]
#: Answers a tool confirmation: True allows, False denies, a string denies with that
#: message; gets the ``agent.tool_use`` / ``agent.mcp_tool_use`` event.
ConfirmationHandler: TypeAlias = Callable[[Any], Any]
PENDING_TYPES = frozenset({"agent.custom_tool_use", "agent.tool_use", "agent.mcp_tool_use"})


def confirmation(event: Any, verdict: Any) -> Any:
    """The ``user.tool_confirmation`` for `verdict` (see ConfirmationHandler)."""
    from ._params import tool_confirmation

    if verdict is True or verdict == "allow":
        return tool_confirmation(event.id, "allow")
    message = verdict if isinstance(verdict, str) and verdict else None
    return tool_confirmation(event.id, "deny", deny_message=message)


def unhandled(event: Any) -> ActionNotHandledError:
    """The error of a pending action nobody answers, naming it."""
    name = getattr(event, "name", "?")
    if event.type == "agent.custom_tool_use":
        hint = f"pass tools={{{name!r}: handler}}"
        what = f"custom tool {name!r}"
    else:
        hint = "pass on_confirmation="
        what = f"confirmation of tool {name!r}"
    return ActionNotHandledError(
        f"the turn waits for the {what} (event {event.id}) and nothing answers it: {hint}",
        event=event,
    )


#: How a turn ends when it failed (a refusal or a spent budget is an answer, not this).
FAILED_STOPS = frozenset({"retries_exhausted", "terminated"})


def turn_failure(outcome: TurnOutcome | None, errors: Sequence[Any]) -> str | None:
    """Why the turn failed (its first error, or how it ended), or None when it did not."""
    if errors:
        return f"the turn failed: {errors[0].message}"
    if outcome is not None and outcome.stop_reason in FAILED_STOPS:
        return f"the turn failed: it ended by {outcome.stop_reason}"
    return None


def outcome_of(event: Any) -> TurnOutcome:
    """The outcome a turn's last event gives it."""
    kind = event.type
    if kind == "session.status_idle":
        details = getattr(event, "stop_details", None)
        return TurnOutcome(
            stop_reason=event.stop_reason.type,
            event=event,
            detail=getattr(details, "explanation", None),
        )
    return TurnOutcome(
        stop_reason="deleted" if kind == "session.deleted" else "terminated", event=event
    )
