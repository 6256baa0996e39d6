"""What the sync and async m8tes clients share: configuration, request bodies, and the
pure rules for runs (terminal statuses, what a poll sees)."""

from __future__ import annotations

import os
import uuid
from typing import TYPE_CHECKING, Any, Literal, TypedDict

from ..._config import base_url_hint, check_base_url
from ..._exceptions import ConfigError, LocalProtocolError, RemoteProtocolError, RunFailedError

if TYPE_CHECKING:
    from ...types import m8tes

DEFAULT_BASE_URL = "https://api.m8tes.ai/api/v2"
#: The path every endpoint of the Runs API lives under (part of the base URL).
API_PATH = "/api/v2"
#: What an UnreachableError says about where the URL comes from.
URL_HINT = base_url_hint("base_url=", "M8TES_BASE_URL")
#: Statuses after which a run changes no more (until a reply starts a new turn).
TERMINAL_STATUSES = frozenset({"completed", "failed", "cancelled", "closed"})
WAITING_STATUSES = frozenset({"awaiting_approval"})
#: The tool name m8tes gives a question (including plan approvals).
QUESTION_TOOL = "AskUserQuestion"


class RunOptions(TypedDict, total=False):
    """The documented options of ``POST /runs/`` besides ``message`` and ``stream``."""

    teammate_id: int
    tools: list[str]
    name: str
    instructions: str
    user_id: str
    metadata: dict[str, Any]
    memory: Any
    history: Any
    task_setup_tools: Any
    feedback: Any
    human_in_the_loop: Any
    permission_mode: Literal["autonomous", "approval", "plan"]
    model: str
    effort: str
    email_inbox: Any
    email_notifications: Any
    output_schema: dict[str, Any]
    max_turns: int
    skill: str


class ReplyOptions(TypedDict, total=False):
    """The documented options of ``POST /runs/{id}/reply`` besides ``message``/``stream``."""

    tools: list[str]
    permission_mode: Literal["autonomous", "approval", "plan"]
    task_setup_tools: Any
    feedback: Any
    human_in_the_loop: Any
    skill: str
    reset_auto_recovery: bool


class ClientConfigError(ConfigError):
    """The client is missing something it needs (an API key), or its base URL lacks
    the scheme or the API's path (``/api/v2``)."""


def resolve(api_key: str | None, base_url: str | None) -> tuple[str, str]:
    """Arguments first, then ``M8TES_API_KEY`` / ``M8TES_BASE_URL``, then the default URL.

    Raises:
        ClientConfigError: no key, a key no header can carry, or a base URL without
            its scheme or its path (``http://host:8000`` for ``http://host:8000/api/v2``).
    """
    key = api_key or os.environ.get("M8TES_API_KEY")
    if not key:
        raise ClientConfigError("no API key: pass api_key= or set M8TES_API_KEY")
    if not key.isascii() or not key.isprintable() or key != key.strip():
        raise ClientConfigError(
            "the API key has characters no HTTP header can carry (non-ASCII, spaces or"
            " control characters): check the value of api_key= or M8TES_API_KEY"
        )
    url = base_url or os.environ.get("M8TES_BASE_URL") or DEFAULT_BASE_URL
    try:
        return key, check_base_url(url, "M8TES_BASE_URL", path=API_PATH)
    except ConfigError as exc:
        raise ClientConfigError(str(exc)) from None


def run_ref(run_id: object) -> str:
    """`run_id` as a path segment: m8tes run ids are positive integers, and anything else
    (``"../../admin/keys"``) is refused before a request carries the key elsewhere.

    Raises:
        LocalProtocolError: not a positive int.
    """
    if type(run_id) is not int or run_id < 1:
        raise LocalProtocolError(f"a run id is a positive int, not {run_id!r:.40}")
    return str(run_id)


def next_cursor(page: m8tes.RunPage, seen: set[object]) -> object:
    """The ``starting_after`` of the page after `page`; `seen` holds the cursors used.

    Raises:
        RemoteProtocolError: the server gave a cursor it gave before (paging would loop).
    """
    after = page.next_starting_after
    cursor: object = after if after is not None else page.data[-1].id
    if cursor in seen:
        raise RemoteProtocolError(f"the run list repeated its page cursor {cursor!r:.40}")
    seen.add(cursor)
    return cursor


def auth_headers(api_key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_key}", "Accept": "application/json"}


def body(message: str, stream: bool, options: dict[str, Any]) -> dict[str, Any]:
    return {"message": message, "stream": stream, **options}


def idempotency_headers(given: str | None) -> dict[str, str]:
    """One key per create/reply, reused by every retry of it."""
    return {"Idempotency-Key": given or f"agentstream-{uuid.uuid4()}"}


def check_run(run: m8tes.Run, raise_on_error: bool) -> m8tes.Run:
    if raise_on_error and run.status == "failed":
        raise RunFailedError(run.error or f"run {run.id} failed", run_id=run.id, run=run)
    return run


def is_question(request: m8tes.PermissionRequest) -> bool:
    return request.tool_name == QUESTION_TOOL


# The generated types and the converter load with the first answer, not with the client:
# `from agentstream import M8tes` stays cheap.


def _structure(data: Any, name: str) -> Any:
    from ..._converter import structure
    from ...types import m8tes

    return structure(data, getattr(m8tes, name))


def as_run(data: Any) -> m8tes.Run:
    """A Run answer, decoded."""
    run: m8tes.Run = _structure(data, "Run")
    return run


def as_run_page(data: Any) -> m8tes.RunPage:
    """A page of ``GET /runs/``, decoded."""
    page: m8tes.RunPage = _structure(data, "RunPage")
    return page


def as_permission(data: Any) -> m8tes.PermissionRequest:
    """A permission request, decoded."""
    request: m8tes.PermissionRequest = _structure(data, "PermissionRequest")
    return request
