# Generated from _async_resources.py by codegen/unasync.py (`make codegen`): do not edit.
"""The resources of Everruns besides sessions: messages, events, tool results, tool
approvals and question answers.

This file is generated from the async source; edit that one.
"""

from __future__ import annotations

import builtins
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from typing_extensions import Unpack

from ..._http import RequestExtras, check_extras, pop_extras
from ..._sync_http import SyncHTTP
from ._common import (
    TOOL_RESULT_DELAY,
    TOOL_RESULT_RETRIES,
    Endpoint,
    as_events,
    as_message,
    as_summary,
    check_types,
    idempotency_headers,
    is_not_waiting,
    list_params,
    message_body,
    results_body,
)
from ._policy import SessionResumePolicy
from ._sync_streams import SessionStream

if TYPE_CHECKING:
    from ...types import everruns
    from ._sync_client import Everruns

__all__ = [
    "Events",
    "Messages",
    "QuestionAnswers",
    "ToolApprovals",
    "ToolResults",
]

#: Page size of ``events.iter`` on the agent execution API (its largest).
AGENT_PAGE = 500


class Messages:
    """``client.messages``: send user messages to a session."""

    def __init__(self, client: Everruns) -> None:
        self._endpoint: Endpoint = client._endpoint
        self._http: SyncHTTP = client._http

    def create(
        self,
        session_id: str,
        *,
        text: str | None = None,
        content: Sequence[Mapping[str, Any]] | None = None,
        controls: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
        tags: Sequence[str] | None = None,
        idempotency_key: str | None = None,
        **extras: Unpack[RequestExtras],
    ) -> everruns.Message:
        """Send a user message (`text`, or `content` parts); return it as stored.

        An idle session starts a turn; a running one takes the message in. The send
        carries an ``Idempotency-Key`` (yours, or a fresh one reused by every retry), so
        a retried send never adds the message twice.
        """
        body = message_body(text, content, controls, metadata, tags)
        path = self._endpoint.session_path(session_id, "/messages")
        headers = idempotency_headers(idempotency_key)
        extras = check_extras("messages.create", extras)
        data = self._http.request("POST", path, json=body, headers=headers, **extras)
        return as_message(data)


class Events:
    """``client.events``: a session's event log, as a live stream or as pages."""

    def __init__(self, client: Everruns) -> None:
        self._client = client
        self._endpoint: Endpoint = client._endpoint
        self._http: SyncHTTP = client._http

    def stream(
        self,
        session_id: str,
        *,
        since_id: str | None = None,
        types: Iterable[str] | None = None,
        exclude: Iterable[str] | None = None,
        replay: bool = False,
        raise_on_error: bool = False,
        **extras: Unpack[RequestExtras],
    ) -> SessionStream:
        """The session's events after `since_id` (exclusive), then live, resumed across
        every drop; without `since_id` it starts live, or with `replay` at the session's
        first event. `types` keeps only those types, `exclude` then drops some. The
        request extras go on every connection's request (the cursor joins their query).

        Raises:
            TypeError: an unknown keyword (the message names the valid ones).
            EventTypeError: at once, before any request, for an unknown type in
                `types`/`exclude` or more than 25 in either.
        """
        extras = check_extras("events.stream", extras)
        policy = SessionResumePolicy(
            since_id=since_id,
            replay=replay,
            types=check_types(types, "types"),
            exclude=check_types(exclude, "exclude"),
        )
        source = self._client._source(session_id, policy, extras)
        stream = SessionStream(source, policy, session_id, raise_on_error=raise_on_error)
        return stream

    def list(self, session_id: str, **filters: Any) -> builtins.list[Any]:
        """One page of the session's events, decoded, oldest first (unless
        ``order_desc``). The management API takes ``since_id``, ``types``, ``exclude``,
        ``limit``, ``before_sequence``, ``after_sequence``, ``around``, ``window``,
        ``from_ts``, ``to_ts``, ``turn_id``, ``exec_id``, ``trace_id``, ``tags``,
        ``tool_name``, ``q`` and ``order_desc``; the agent execution API
        ``after_sequence`` and ``limit``. Both take the request extras.

        Raises:
            TypeError: an option the API does not have (nothing is passed through
                unchecked; the message names the valid ones).
            EventTypeError: an unknown event type in ``types``/``exclude``.
        """
        extras = pop_extras(filters)
        params = list_params(self._endpoint, filters)
        path = self._endpoint.session_path(session_id, "/events")
        return as_events(self._http.request("GET", path, params=params, **extras))

    def iter(
        self,
        session_id: str,
        *,
        since_id: str | None = None,
        types: Iterable[str] | None = None,
        exclude: Iterable[str] | None = None,
        page_size: int = 200,
        **extras: Unpack[RequestExtras],
    ) -> Iterator[Any]:
        """Every event after `since_id` (or from the start), oldest first, fetching
        pages as the iteration goes: the polling fallback to ``stream``. The request
        extras go with every page's request."""
        filters: dict[str, Any] = {"types": types, "exclude": exclude}
        filters.update(check_extras("events.iter", extras))
        agent = self._endpoint.agent
        if agent and (types is not None or exclude is not None):
            raise TypeError("the agent execution API's event list takes no types/exclude")
        after = 0
        cursor = since_id
        while True:
            if agent:
                page = self.list(session_id, after_sequence=after, limit=AGENT_PAGE, **extras)
            else:
                cursor_filter = {"since_id": cursor} if cursor else {"after_sequence": 0}
                page = self.list(session_id, limit=page_size, **cursor_filter, **filters)
            yield from page
            if not page:
                return
            last = page[-1]
            cursor, after = getattr(last, "id", None), getattr(last, "sequence", None) or 0

    def last_id(self, session_id: str, **extras: Unpack[RequestExtras]) -> str | None:
        """The id of the session's newest event (None for an empty log): the cursor a
        stream opened now would start after."""
        extras = check_extras("events.last_id", extras)
        if not self._endpoint.agent:
            newest = self.list(session_id, limit=1, order_desc=True, **extras)
            return getattr(newest[0], "id", None) if newest else None
        last: str | None = None
        after = 0
        while True:  # the agent API pages forward only
            page = self.list(session_id, after_sequence=after, limit=AGENT_PAGE, **extras)
            if not page:
                return last
            last, after = getattr(page[-1], "id", last), getattr(page[-1], "sequence", 0) or 0

    def summary(self, session_id: str, **extras: Unpack[RequestExtras]) -> everruns.EventsSummary:
        """Counts of the session's events by type, errors and turns (management API)."""
        self._endpoint.management_only("events.summary")
        path = self._endpoint.session_path(session_id, "/events/summary")
        extras = check_extras("events.summary", extras)
        return as_summary(self._http.request("GET", path, **extras))


class ToolResults:
    """``client.tool_results``: answer the client-side tool calls a turn waits for."""

    def __init__(self, client: Everruns) -> None:
        self._endpoint: Endpoint = client._endpoint
        self._http: SyncHTTP = client._http
        self._answered = client._answered

    def submit(
        self, session_id: str, results: Iterable[Any], **extras: Unpack[RequestExtras]
    ) -> dict[str, Any]:
        """Send results (``{"tool_call_id", "result"}`` or ``{"tool_call_id", "error"}``
        dicts, or ``everruns.ToolResult``); the turn resumes. A 409 "not waiting for tool
        results" (the session is still settling) is retried 6 times, 0.1 s doubling.
        Management API only."""
        self._endpoint.management_only("tool_results.submit")
        path = self._endpoint.session_path(session_id, "/tool-results")
        body = results_body(results)
        extras = check_extras("tool_results.submit", extras)
        delay = TOOL_RESULT_DELAY
        for attempt in range(TOOL_RESULT_RETRIES + 1):
            try:
                answer: dict[str, Any] = self._http.request("POST", path, json=body, **extras)
                self._answered.update(r["tool_call_id"] for r in body["tool_results"])
                return answer
            except Exception as exc:
                if attempt == TOOL_RESULT_RETRIES or not is_not_waiting(exc):
                    raise
            time.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover


class ToolApprovals:
    """``client.tool_approvals``: decide on tool calls that need a person's approval."""

    def __init__(self, client: Everruns) -> None:
        self._endpoint: Endpoint = client._endpoint
        self._http: SyncHTTP = client._http
        self._answered = client._answered

    def submit(
        self,
        session_id: str,
        decisions: Mapping[str, Literal["allow", "allow_always", "reject", "reject_always"]],
        **extras: Unpack[RequestExtras],
    ) -> dict[str, Any]:
        """Decide: request id (the ``tool_call_id`` of the ``approve_tool_call``
        request) -> ``allow``, ``allow_always``, ``reject`` or ``reject_always``."""
        body = {"decisions": [{"tool_call_id": k, "decision": v} for k, v in decisions.items()]}
        path = self._endpoint.session_path(session_id, "/tool-approvals")
        extras = check_extras("tool_approvals.submit", extras)
        answer: dict[str, Any] = self._http.request("POST", path, json=body, **extras)
        self._answered.update(decisions)
        return answer


class QuestionAnswers:
    """``client.question_answers``: answer the questions the agent asked."""

    def __init__(self, client: Everruns) -> None:
        self._endpoint: Endpoint = client._endpoint
        self._http: SyncHTTP = client._http
        self._answered = client._answered

    def submit(
        self,
        session_id: str,
        *,
        answers: Sequence[Mapping[str, Any]] = (),
        tool_call_id: str | None = None,
        status: Literal["answered", "declined"] = "answered",
        **extras: Unpack[RequestExtras],
    ) -> dict[str, Any]:
        """Answer (``[{"id": question id, "selected": [labels]}]``) or decline the
        pending question set; `tool_call_id` names it when given."""
        body: dict[str, Any] = {"status": status, "answers": [dict(a) for a in answers]}
        if tool_call_id is not None:
            body["tool_call_id"] = tool_call_id
        path = self._endpoint.session_path(session_id, "/question-answers")
        extras = check_extras("question_answers.submit", extras)
        answer: dict[str, Any] = self._http.request("POST", path, json=body, **extras)
        if tool_call_id is not None:
            self._answered.add(tool_call_id)
        return answer
