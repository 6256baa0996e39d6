"""AsyncManagedAgents: the client of Claude Managed Agents sessions.

This file is the async source; its sync twin is generated from it.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
import httpx
from typing_extensions import Unpack

from ..._async import AsyncEventSource
from ..._async_client_base import AsyncClientBase
from ..._async_http import AsyncHTTP
from ..._config import FIRST_CONNECT_TIMEOUT
from ..._exceptions import APIStatusError, APITimeoutError
from ..._http import RequestExtras, check_extras, pop_extras, segment
from ..._manager import AsyncStreamManager
from ..._redirects import MAX_REDIRECTS
from ._async_events import AsyncCursorPage, AsyncEvents, AsyncThreads, AsyncTurnStream
from ._common import (
    URL_HINT,
    ConfirmationHandler,
    EventParam,
    SessionCreateOptions,
    SessionListFilters,
    SessionUpdateOptions,
    ToolHandler,
    as_session,
    base_headers,
    check_options,
    page_parts,
    query,
    refine,
    resolve,
)
from ._params import encode_events, user_message
from ._policy import SessionResumePolicy

if TYPE_CHECKING:
    from ...types import managed_agents as ma

__all__ = ["AsyncManagedAgents", "AsyncSessions"]

T = TypeVar("T")
#: Session statuses after which a poll stops waiting.
SETTLED = frozenset({"idle", "terminated"})
#: The events that start, pause or end a turn, and those that end it.
TURN_EVENTS = (
    "user.message",
    "user.interrupt",
    "user.custom_tool_result",
    "user.tool_confirmation",
    "user.tool_result",
    "session.status_running",
    "session.status_rescheduled",
    "session.status_idle",
    "session.status_terminated",
)
SETTLED_EVENTS = frozenset({"session.status_idle", "session.status_terminated"})
#: What turns and stream_text preview by default, so text streams as it is written.
TURN_DELTAS = ("agent.message",)


class AsyncSessions:
    """``client.sessions``: create, inspect and steer sessions; run turns."""

    def __init__(self, client: AsyncManagedAgents) -> None:
        self._client = client
        self._events = AsyncEvents(client)
        self._threads = AsyncThreads(client)

    @property
    def events(self) -> AsyncEvents:
        """``client.sessions.events``: send, list and stream a session's events."""
        return self._events

    @property
    def threads(self) -> AsyncThreads:
        """``client.sessions.threads``: a session's threads and their events."""
        return self._threads

    async def create(
        self,
        *,
        agent: str | Mapping[str, Any],
        environment_id: str,
        **options: Unpack[SessionCreateOptions],
    ) -> ma.Session:
        """Create a session (it starts idle). Options: ``budget``, ``initial_events``,
        ``metadata``, ``resources``, ``title``, ``vault_ids``, and the request extras.

        Raises:
            TypeError: an unknown option (the message names the valid ones).
        """
        extras = pop_extras(options)  # type: ignore[arg-type]
        body = check_options(options, SessionCreateOptions, "create")
        if "initial_events" in body:
            body["initial_events"] = encode_events(body["initial_events"])
        body.update(agent=agent, environment_id=environment_id)
        return as_session(await self._client._request("POST", "/v1/sessions", json=body, **extras))

    async def retrieve(self, session_id: str, **extras: Unpack[RequestExtras]) -> ma.Session:
        """The session as it is now (status, usage, stats)."""
        path = f"/v1/sessions/{_session(session_id)}"
        extras = check_extras("retrieve", extras)
        return as_session(await self._client._request("GET", path, **extras))

    async def update(self, session_id: str, **options: Unpack[SessionUpdateOptions]) -> ma.Session:
        """Change the session's ``agent``, ``budget``, ``metadata``, ``title`` or
        ``vault_ids``; returns it updated. Options: these and the request extras.

        Raises:
            TypeError: an unknown option (the message names the valid ones).
        """
        extras = pop_extras(options)  # type: ignore[arg-type]
        body = check_options(options, SessionUpdateOptions, "update")
        path = f"/v1/sessions/{_session(session_id)}"
        return as_session(await self._client._request("POST", path, json=body, **extras))

    async def list(self, **filters: Unpack[SessionListFilters]) -> AsyncCursorPage[ma.Session]:
        """A page of sessions (newest first unless ``order="asc"``); iterate it to go
        through every page.

        Raises:
            TypeError: an unknown filter (the message names the valid ones).
        """
        options: dict[str, Any] = dict(filters)
        extras = pop_extras(options)
        params = query(options, SessionListFilters.__annotations__)
        return await self._client._page("/v1/sessions", params, as_session, extras)

    async def delete(self, session_id: str, **extras: Unpack[RequestExtras]) -> dict[str, Any]:
        """Delete the session (its streams end with ``session.deleted``)."""
        path = f"/v1/sessions/{_session(session_id)}"
        data = await self._client._request("DELETE", path, **check_extras("delete", extras))
        return dict(data or {})

    async def archive(self, session_id: str, **extras: Unpack[RequestExtras]) -> ma.Session:
        """Archive the session: it stays readable and accepts no more events."""
        path = f"/v1/sessions/{_session(session_id)}/archive"
        data = await self._client._request("POST", path, **check_extras("archive", extras))
        return as_session(data)

    async def poll(
        self,
        session_id: str,
        *,
        timeout: float = 600.0,
        interval: float = 1.0,
        **extras: Unpack[RequestExtras],
    ) -> ma.Session:
        """Wait until the session is idle or terminated (after ``events.send``); return
        it. The request extras go with every GET it makes.

        Raises:
            APITimeoutError: still running after `timeout` seconds.
        """
        extras = check_extras("poll", extras)
        deadline = time.monotonic() + timeout
        while True:
            session = await self.retrieve(session_id, **extras)
            if session.status in SETTLED and await self._settled(session_id, extras):
                return session
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise APITimeoutError(
                    f"session {session_id} still {session.status} after {timeout:g} s"
                )
            await anyio.sleep(min(interval, remaining))

    async def _settled(self, session_id: str, extras: RequestExtras) -> bool:
        """Whether the newest turn event is an end. A session is still idle for a moment
        after a message is sent (the platform stores it first, then starts running), so
        its status alone would end a poll before the turn began."""
        events = self._events
        page = await events.list(session_id, order="desc", limit=1, types=TURN_EVENTS, **extras)
        return not page.data or page.data[0].type in SETTLED_EVENTS

    def turn(
        self,
        session_id: str,
        *,
        message: str | Sequence[Mapping[str, Any]] | None = None,
        events: Sequence[EventParam] = (),
        tools: Mapping[str, ToolHandler] | None = None,
        on_confirmation: ConfirmationHandler | None = None,
        event_deltas: Sequence[str] | None = TURN_DELTAS,
        raise_on_error: bool = False,
        **extras: Unpack[RequestExtras],
    ) -> AsyncStreamManager[AsyncTurnStream]:
        """Run one turn: open the stream, send `message` (and/or `events`), stream the
        agent's work until the session is idle with ``end_turn`` or the turn ends
        otherwise (``stream.outcome``). Custom tools are answered by ``tools[name]``,
        confirmations by `on_confirmation` (True allows, False or a message denies).
        With `raise_on_error`, a turn that failed (a ``session.error``, or an end by
        ``retries_exhausted`` or termination) raises RunFailedError at its end.

        The request extras go on the stream's request (``GET .../events/stream``), on
        its first connection and on every reconnect; the lists and the send it makes
        meanwhile carry ``extra_headers`` too, as they carry the client's headers.

        Raises:
            ValueError: nothing to send.
            TypeError: an unknown keyword (the message names the valid ones).
        """
        extras = check_extras("turn", extras)
        to_send = [*([user_message(message)] if message is not None else []), *events]
        if not to_send:
            raise ValueError("turn() needs a message or events to send")
        handlers = tools or {}
        stream = self._events._turn(
            session_id, to_send, handlers, on_confirmation, event_deltas, extras
        )
        stream.raise_on_error = raise_on_error
        return AsyncStreamManager(stream)

    async def stream_text(
        self,
        session_id: str,
        *,
        message: str | Sequence[Mapping[str, Any]],
        tools: Mapping[str, ToolHandler] | None = None,
        on_confirmation: ConfirmationHandler | None = None,
        raise_on_error: bool = True,
        **extras: Unpack[RequestExtras],
    ) -> AsyncIterator[str]:
        """Run one turn and yield the agent's text as it is written: the one-liner. A
        turn that fails raises RunFailedError at its end (``raise_on_error=False`` to
        just stop); a pending action nothing answers raises ActionNotHandledError. The
        request extras go on the stream's request, as ``turn``'s do."""
        extras = check_extras("stream_text", extras)
        manager = self.turn(
            session_id,
            message=message,
            tools=tools,
            on_confirmation=on_confirmation,
            raise_on_error=raise_on_error,
            **extras,
        )
        async with manager as stream:
            async for text in stream.iter_text():
                yield text


class AsyncManagedAgents(AsyncClientBase):
    """The Claude Managed Agents client (sessions and their events).

    Args:
        api_key: default ``ANTHROPIC_API_KEY``.
        base_url: the API root (paths start with ``/v1``); default ``ANTHROPIC_BASE_URL``,
            else ``https://api.anthropic.com``.
        workspace_id: sent as ``anthropic-workspace-id`` (for keys of several workspaces).
        betas: more ``anthropic-beta`` values (the Managed Agents one is always sent).
        timeout: seconds to connect, and to wait for a JSON answer.
        max_retries: retries of a failed request that is safe to repeat.
        stream_read_timeout: seconds without a byte (heartbeats count) before a stream
            reconnects.
        max_stream_reconnects: failed reconnects in a row before a stream gives up.
        reconnect_delay: the base delay (s) of a stream's full-jitter backoff.
        idle_timeout: seconds a stream may go without a real event (pings don't count)
            before StreamIdleTimeout; None (the default): no limit.
        secret_headers: header names that are secrets besides X-Api-Key, Authorization,
            Cookie and the like: none follows a redirect to another origin.
        max_redirects: redirects followed per request (RemoteProtocolError past it).
        first_connect_timeout: seconds (retries included) to reach a server never
            reached before UnreachableError names the URL and ``ANTHROPIC_BASE_URL``.
        client: an httpx.AsyncClient to use; the caller keeps ownership.

    Raises:
        ClientConfigError: no API key, or a base URL without its scheme or host.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        workspace_id: str | None = None,
        betas: Sequence[str] = (),
        timeout: float = 60.0,
        max_retries: int = 2,
        stream_read_timeout: float = 90.0,
        max_stream_reconnects: int = 5,
        reconnect_delay: float = 0.5,
        idle_timeout: float | None = None,
        secret_headers: Iterable[str] = (),
        max_redirects: int = MAX_REDIRECTS,
        first_connect_timeout: float | None = FIRST_CONNECT_TIMEOUT,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        key, self.base_url = resolve(api_key, base_url)
        self.stream_read_timeout = stream_read_timeout
        self.max_stream_reconnects = max_stream_reconnects
        self.reconnect_delay = reconnect_delay
        headers = base_headers(key, workspace_id, betas)
        self._http = AsyncHTTP(
            self.base_url,
            headers,
            timeout=timeout,
            max_retries=max_retries,
            client=client,
            secret_headers=secret_headers,
            max_redirects=max_redirects,
            first_connect_timeout=first_connect_timeout,
            hint=URL_HINT,
            idle_timeout=idle_timeout,
        )
        self.timeout = timeout
        self._bind()

    def _bind(self) -> None:
        self._sessions = AsyncSessions(self)

    @property
    def sessions(self) -> AsyncSessions:
        """``client.sessions``: sessions, their events and threads, turns."""
        return self._sessions

    # -- what the resources share ---------------------------------------------------

    async def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            return await self._http.request(method, path, **kwargs)
        except APIStatusError as exc:
            raise refine(exc) from None

    async def _page(
        self,
        path: str,
        params: dict[str, Any],
        decode: Callable[[Any], T],
        extras: RequestExtras | None = None,
    ) -> AsyncCursorPage[T]:
        async def fetch(token: str) -> AsyncCursorPage[T]:
            return await self._page(path, {**params, "page": token}, decode, extras)

        data = await self._request("GET", path, params=params, **(extras or {}))
        items, cursor = page_parts(data)
        return AsyncCursorPage([decode(item) for item in items], cursor, fetch)

    def _policy(
        self,
        list_path: str,
        filtered: bool,
        send: bytes | None,
        baseline: tuple[str | None, set[str]] | None,
    ) -> SessionResumePolicy:
        url = self.base_url + list_path
        sending = (url, send) if send else None
        return SessionResumePolicy(url, filtered=filtered, send=sending, baseline=baseline)

    async def _baseline(self, list_path: str, filtered: bool) -> tuple[str | None, set[str]]:
        """Where "now" is in an event list: the newest event's time and id (a thread's
        list has no order or filter: every id in it)."""
        if filtered:
            params: dict[str, Any] = {"order": "desc", "limit": 1}
            items, _ = page_parts(await self._request("GET", list_path, params=params))
            newest = items[0] if items and isinstance(items[0], dict) else {}
            at = newest.get("processed_at")
            ids = {newest["id"]} if isinstance(newest.get("id"), str) else set()
            return (at if isinstance(at, str) else None), ids
        seen: set[str] = set()
        params = {"limit": 1000}
        while True:
            items, cursor = page_parts(await self._request("GET", list_path, params=params))
            seen.update(str(item.get("id")) for item in items if isinstance(item, dict))
            if cursor is None:
                return None, seen
            params["page"] = cursor

    def _source(
        self,
        path: str,
        event_deltas: Sequence[str] | None,
        policy: SessionResumePolicy,
        extras: RequestExtras,
    ) -> AsyncEventSource:
        if event_deltas:
            path += "?" + "&".join(f"event_deltas%5B%5D={kind}" for kind in event_deltas)
        return self._http.event_source(
            path,
            extras=extras,
            read_timeout=self.stream_read_timeout,
            max_reconnect_attempts=self.max_stream_reconnects,
            retry=self.reconnect_delay,
            policy=policy,
        )


def _session(session_id: str) -> str:
    return segment(session_id, "a session id")
