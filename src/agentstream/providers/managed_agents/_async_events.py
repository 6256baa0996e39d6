"""Session events: send, list (cursor pages), stream (resumed), and the turn's tool loop.

This file is the async source; its sync twin is generated from it.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import orjson
from typing_extensions import Unpack

from ..._async import AsyncEventSource
from ..._async_stream import AsyncEventStream
from ..._exceptions import AgentStreamError, APIStatusError, RunFailedError
from ..._http import RequestExtras, check_extras, pop_extras, segment
from ._common import (
    PENDING_TYPES,
    ConfirmationHandler,
    EventListFilters,
    EventParam,
    ManagedAgentsEvent,
    ToolHandler,
    TurnOutcome,
    as_event,
    confirmation,
    outcome_of,
    query,
    refine,
    turn_failure,
    unhandled,
)
from ._params import custom_tool_result, encode_events
from ._policy import SessionResumePolicy

if TYPE_CHECKING:
    from ...types import managed_agents as ma
    from ._async_client import AsyncManagedAgents

__all__ = [
    "AsyncCursorPage",
    "AsyncEvents",
    "AsyncSessionStream",
    "AsyncThreadEvents",
    "AsyncThreads",
    "AsyncTurnStream",
]

T = TypeVar("T")
_EVENT_FILTERS = EventListFilters.__annotations__


class AsyncCursorPage(Generic[T]):
    """One page of a cursor-paged list. Iterating it goes through every later page too
    (auto-pagination); ``data`` is this page's items only."""

    def __init__(
        self,
        data: list[T],
        next_page: str | None,
        fetch: Callable[[str], Awaitable[AsyncCursorPage[T]]],
    ) -> None:
        self.data = data
        #: The cursor of the next page (None on the last page).
        self.next_page = next_page
        self._fetch = fetch

    def has_next_page(self) -> bool:
        """True when another page follows."""
        return self.next_page is not None

    async def get_next_page(self) -> AsyncCursorPage[T]:
        """The next page.

        Raises:
            StopIteration: this is the last page (check ``has_next_page()`` first).
        """
        if self.next_page is None:
            raise StopIteration("no next page")
        return await self._fetch(self.next_page)

    async def iter_pages(self) -> AsyncIterator[AsyncCursorPage[T]]:
        """This page and every later one, fetched as the iteration goes."""
        page = self
        while True:
            yield page
            if page.next_page is None:
                return
            page = await page.get_next_page()

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.data:
                yield item

    def __repr__(self) -> str:
        return f"<CursorPage of {len(self.data)}, next_page={self.next_page!r}>"


class AsyncSessionStream(AsyncEventStream[ManagedAgentsEvent]):
    """A session's (or thread's) event stream, resumed by attach, list and dedupe.

    Iterating yields ``managed_agents.AnyEvent | UnknownEvent``: every stored event
    after the stream was opened, exactly once and in order across reconnects, plus the
    ``event_start``/``event_delta`` previews asked for. It ends at ``session.deleted``
    or ``session.status_terminated``. An in-stream ``event: error`` raises its typed
    APIStatusError.
    """

    def __init__(self, source: AsyncEventSource, policy: SessionResumePolicy) -> None:
        from ._adapter import ManagedAgentsAdapter  # with the generated types, on first use

        super().__init__(source, ManagedAgentsAdapter(policy))
        self._policy = policy

    @property
    def cursor(self) -> str | None:
        """``processed_at`` of the last delivered event: a reconnect lists from there."""
        return self._policy.cursor

    async def _events(self) -> AsyncIterator[ManagedAgentsEvent]:
        try:
            async for sse in self._source:
                event = self._handle(sse)
                await self._react(event)
                yield event
                if self.completed:  # an end that came with a listing: stop here
                    break
        except AgentStreamError as exc:
            error = await self._interrupted(exc)
            if error is exc:
                raise
            raise error from exc
        finally:
            await self._source.aclose()
        self._check_complete()

    async def _react(self, event: Any) -> None:
        """What a delivered event makes this stream do (a turn answers actions)."""

    async def _interrupted(self, exc: AgentStreamError) -> AgentStreamError:
        return refine(exc) if isinstance(exc, APIStatusError) else exc


class AsyncTurnStream(AsyncSessionStream):
    """One turn: the message sent once the stream is open, then the agent's events
    until the session is idle with ``end_turn`` (or the turn ends otherwise: see
    ``outcome``). Actions the turn stops for are answered by the handlers given.

    Raises (while iterating):
        ActionNotHandledError: a pending custom tool or confirmation has no handler.
    """

    def __init__(
        self,
        source: AsyncEventSource,
        policy: SessionResumePolicy,
        events: AsyncEvents,
        session_id: str,
        tools: Mapping[str, ToolHandler],
        on_confirmation: ConfirmationHandler | None,
    ) -> None:
        super().__init__(source, policy)
        self.session_id = session_id
        self._sender = events
        self._tools = dict(tools)
        self._on_confirmation = on_confirmation
        self._pending: dict[str, Any] = {}
        self._answered: set[str] = set()
        #: How the turn ended, once it has (None while it runs).
        self.outcome: TurnOutcome | None = None
        #: Raise RunFailedError at the end of a turn that failed.
        self.raise_on_error = False

    def _check_complete(self) -> None:
        super()._check_complete()
        if self.raise_on_error:
            failure = turn_failure(self.outcome, self._acc.snapshot().errors)
            if failure is not None:
                raise RunFailedError(
                    failure,
                    errors=self._acc.snapshot().errors,
                    text=self.text,
                    session_id=self.session_id,
                    outcome=self.outcome,
                )

    async def _react(self, event: Any) -> None:
        kind = getattr(event, "type", None)
        if kind in PENDING_TYPES:
            self._pending[event.id] = event
        if self.completed:
            self.outcome = outcome_of(event)
        elif self._waits(event):
            await self._answer(event.stop_reason.event_ids)

    def _waits(self, event: Any) -> bool:
        """The session stopped, in this turn, for actions the client must answer."""
        return (
            getattr(event, "type", None) == "session.status_idle"
            and self._policy.started
            and event.stop_reason.type == "requires_action"
        )

    async def _answer(self, event_ids: Iterable[str]) -> None:
        """Answer every pending action at once, then the session runs on."""
        answers = []
        for event_id in event_ids:
            event = self._pending.get(event_id)
            if event_id in self._answered or event is None:
                continue
            answers.append(await self._answer_one(event))
            self._answered.add(event_id)
        if answers:
            await self._sender.send(self.session_id, events=answers)

    async def _answer_one(self, event: Any) -> Any:
        if event.type == "agent.custom_tool_use":
            handler = self._tools.get(event.name)
            if handler is None:
                raise unhandled(event)
            try:
                result = handler(dict(event.input or {}))
                if inspect.isawaitable(result):
                    result = await result
            except Exception as exc:  # the agent sees the failure and carries on
                return custom_tool_result(event.id, f"{type(exc).__name__}: {exc}", is_error=True)
            return custom_tool_result(event.id, result)
        if self._on_confirmation is None:
            raise unhandled(event)
        verdict = self._on_confirmation(event)
        if inspect.isawaitable(verdict):
            verdict = await verdict
        return confirmation(event, verdict)


class AsyncEvents:
    """``client.sessions.events``: send, list and stream a session's events."""

    def __init__(self, client: AsyncManagedAgents) -> None:
        self._client = client

    async def send(
        self, session_id: str, *, events: Sequence[EventParam], **extras: Unpack[RequestExtras]
    ) -> ma.SendEventsResponse:
        """Send user or system events (``user.message``, ``user.interrupt``,
        ``user.tool_confirmation``, ``user.custom_tool_result``, ``user.tool_result``,
        ``user.define_outcome``, ``system.message``): generated params classes, such as
        ``user_message("Hi")``, or their wire dicts. Returns them as stored."""
        from ..._converter import structure
        from ...types import managed_agents

        body = {"events": encode_events(events)}
        extras = check_extras("send", extras)
        data = await self._client._request("POST", _events_path(session_id), json=body, **extras)
        sent: ma.SendEventsResponse = structure(data or {}, managed_agents.SendEventsResponse)
        return sent

    async def list(
        self, session_id: str, **filters: Unpack[EventListFilters]
    ) -> AsyncCursorPage[ManagedAgentsEvent]:
        """A page of the session's stored events (ascending by processing time unless
        ``order="desc"``); iterate it to go through every page. Filters: ``types``,
        ``created_at_gt``/``gte``/``lt``/``lte`` (text or datetime), ``limit``, ``page``.

        Raises:
            TypeError: an unknown filter (the message names the valid ones).
        """
        options: dict[str, Any] = dict(filters)
        extras = pop_extras(options)
        params = query(options, _EVENT_FILTERS)
        return await self._client._page(_events_path(session_id), params, as_event, extras)

    async def stream(
        self,
        session_id: str,
        *,
        event_deltas: Sequence[str] | None = None,
        **extras: Unpack[RequestExtras],
    ) -> AsyncSessionStream:
        """The session's events from now on (from this call: open it, then send),
        resumed across drops without loss or repetition. `event_deltas`
        (``"agent.message"``, ``"agent.thinking"``) asks for previews of those events.
        Use the stream as a context manager, or close it. The request extras go on the
        stream's request, first connection and reconnects alike.

        Raises:
            TypeError: an unknown keyword (the message names the valid ones).
        """
        extras = check_extras("stream", extras)
        path = _events_path(session_id)
        baseline = await self._client._baseline(path, True)
        policy = self._client._policy(path, True, None, baseline)
        source = self._client._source(f"{path}/stream", event_deltas, policy, extras)
        return AsyncSessionStream(source, policy)

    def _turn(
        self,
        session_id: str,
        events: Sequence[EventParam],
        tools: Mapping[str, ToolHandler],
        on_confirmation: ConfirmationHandler | None,
        event_deltas: Sequence[str] | None,
        extras: RequestExtras,
    ) -> AsyncTurnStream:
        path = _events_path(session_id)
        body = orjson.dumps({"events": encode_events(events)})
        policy = self._client._policy(path, True, body, None)
        source = self._client._source(f"{path}/stream", event_deltas, policy, extras)
        return AsyncTurnStream(source, policy, self, session_id, tools, on_confirmation)


class AsyncThreadEvents:
    """``client.sessions.threads.events``: list and stream one thread's events."""

    def __init__(self, client: AsyncManagedAgents) -> None:
        self._client = client

    async def list(
        self,
        thread_id: str,
        *,
        session_id: str,
        limit: int | None = None,
        page: str | None = None,
        **extras: Unpack[RequestExtras],
    ) -> AsyncCursorPage[ManagedAgentsEvent]:
        """A page of the thread's events; iterate it to go through every page."""
        params = query({"limit": limit, "page": page}, ("limit", "page"))
        path = _thread_path(session_id, thread_id)
        return await self._client._page(path, params, as_event, check_extras("list", extras))

    async def stream(
        self,
        thread_id: str,
        *,
        session_id: str,
        event_deltas: Sequence[str] | None = None,
        **extras: Unpack[RequestExtras],
    ) -> AsyncSessionStream:
        """The thread's events from now on, resumed like a session's (its list takes no
        time filter, so a reconnect lists the thread again and skips what it has). The
        request extras go on the stream's request, first connection and reconnects."""
        extras = check_extras("stream", extras)
        path = _thread_path(session_id, thread_id)
        baseline = await self._client._baseline(path, False)
        policy = self._client._policy(path, False, None, baseline)
        stream_path = f"{_thread_base(session_id, thread_id)}/stream"
        source = self._client._source(stream_path, event_deltas, policy, extras)
        return AsyncSessionStream(source, policy)


class AsyncThreads:
    """``client.sessions.threads``: the session's threads (their events)."""

    def __init__(self, client: AsyncManagedAgents) -> None:
        self._events = AsyncThreadEvents(client)

    @property
    def events(self) -> AsyncThreadEvents:
        """``client.sessions.threads.events``: list and stream a thread's events."""
        return self._events


def _events_path(session_id: str) -> str:
    return f"/v1/sessions/{segment(session_id, 'a session id')}/events"


def _thread_base(session_id: str, thread_id: str) -> str:
    session, thread = segment(session_id, "a session id"), segment(thread_id, "a thread id")
    return f"/v1/sessions/{session}/threads/{thread}"


def _thread_path(session_id: str, thread_id: str) -> str:
    return f"{_thread_base(session_id, thread_id)}/events"
