"""AsyncEverruns: the client of both Everruns APIs, and its sessions resource.

This file is the async source; its sync twin is generated from it.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import anyio
import httpx
from typing_extensions import Self, Unpack

from ..._async import AsyncEventSource
from ..._async_client_base import AsyncClientBase
from ..._async_http import AsyncHTTP
from ..._config import FIRST_CONNECT_TIMEOUT
from ..._exceptions import APITimeoutError
from ..._http import RequestExtras, check_extras, pop_extras
from ..._manager import AsyncStreamManager
from ..._redirects import MAX_REDIRECTS
from ._async_resources import (
    AsyncEvents,
    AsyncMessages,
    AsyncQuestionAnswers,
    AsyncToolApprovals,
    AsyncToolResults,
)
from ._async_streams import AsyncTurnStream, GateHandler, ToolHandler
from ._common import (
    IDLE_STATUSES,
    WAITING_STATUS,
    Endpoint,
    agent,
    as_session,
    management,
    message_body,
    session_body,
)
from ._options import check_session_options
from ._policy import SessionResumePolicy

if TYPE_CHECKING:
    from ...types import everruns

__all__ = ["AsyncEverruns", "AsyncSessions"]

#: A session in this status waits for the client (tool results, approvals, answers).
WAITING = WAITING_STATUS


class AsyncSessions:
    """``client.sessions``: create, inspect, cancel sessions; run turns in them."""

    def __init__(self, client: AsyncEverruns) -> None:
        self._client = client
        self._endpoint: Endpoint = client._endpoint
        self._http: AsyncHTTP = client._http

    async def create(
        self, *, idempotency_key: str | None = None, **options: Any
    ) -> everruns.Session:
        """Start a session. The management API takes ``harness_id``, ``harness_name``,
        ``agent_id``, ``agent_name``, ``title``, ``locale``, ``model_id``,
        ``parallel_tool_calls``, ``tags``, ``capabilities``, ``tools`` and
        ``initial_files``; the agent execution API ``title``. Both take the request
        extras (``extra_body``, ``extra_headers``, ``extra_query``).

        Raises:
            TypeError: an option the API does not have (the message names the valid ones).
        """
        extras = pop_extras(options)
        check_session_options(self._endpoint, options)
        path = self._endpoint.prefix + "/sessions"
        headers = {} if idempotency_key is None else {"Idempotency-Key": idempotency_key}
        body = session_body(options)
        data = await self._http.request("POST", path, json=body, headers=headers, **extras)
        return as_session(data)

    async def get(self, session_id: str, **extras: Unpack[RequestExtras]) -> everruns.Session:
        """The session as it is now (its ``status`` says whether a turn is running)."""
        path = self._endpoint.session_path(session_id)
        extras = check_extras("sessions.get", extras)
        return as_session(await self._http.request("GET", path, **extras))

    async def list(self, *, page_size: int = 50, **filters: Any) -> AsyncIterator[everruns.Session]:
        """Every session (the management API filters by ``agent_id`` and ``search``),
        fetching pages of `page_size` as the iteration goes; the request extras go with
        every page's request."""
        extras = pop_extras(filters)
        check_session_options(self._endpoint, filters, listing=True)
        path = self._endpoint.prefix + "/sessions"
        params: dict[str, Any] = {"limit": page_size, **filters}
        if not self._endpoint.agent:
            params["offset"] = 0
        while True:
            data = await self._http.request("GET", path, params=params, **extras)
            items = data.get("data") or []
            for item in items:
                yield as_session(item)
            if self._endpoint.agent:
                token = data.get("next_page_token")
                if not token or not items:
                    return
                params["page_token"] = token
            else:
                params["offset"] += len(items)
                if not items or params["offset"] >= data.get("total", 0):
                    return

    async def cancel(self, session_id: str, **extras: Unpack[RequestExtras]) -> dict[str, Any]:
        """Cancel the running turn (``turn.cancelled`` follows, then idle)."""
        path = self._endpoint.session_path(session_id, "/cancel")
        extras = check_extras("sessions.cancel", extras)
        answer: dict[str, Any] = await self._http.request("POST", path, **extras)
        return answer

    def turn(
        self,
        session_id: str,
        *,
        message: str | None = None,
        content: Sequence[Mapping[str, Any]] | None = None,
        tools: Mapping[str, ToolHandler] | None = None,
        on_approval: GateHandler | None = None,
        on_question: GateHandler | None = None,
        controls: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
        raise_on_error: bool = False,
        **extras: Unpack[RequestExtras],
    ) -> AsyncStreamManager[AsyncTurnStream]:
        """Send a message and stream the turn it starts, to that turn's end.

        The session's cursor is taken before the send, so no event of the turn is
        missed. `tools` maps client-side tool names to handlers: each
        ``tool.call_requested`` for one of them is answered through
        ``tool_results.submit`` (a handler that raises sends an error result) and the
        turn goes on. `on_approval` answers a tool approval (the ``everruns.ToolCall``
        of ``approve_tool_call`` -> True/"allow", False/"reject", "allow_always",
        "reject_always"), `on_question` a question (its ``ask_user`` call -> {question
        text: option label}, or None to decline). A request nothing answers ends the
        stream with ActionRequiredError saying what waits and how to answer it. With
        `raise_on_error`, a failed turn raises RunFailedError.

        The request extras (``extra_body``, ``extra_headers``, ``extra_query``) go on
        the stream's request (``GET .../sse``), on its first connection and on every
        reconnect, not on the message's ``POST``: to send extras with the message, call
        ``messages.create`` with them and then ``events.stream``.

        Raises:
            TypeError: an unknown keyword (the message names the valid ones).
        """
        extras = check_extras("sessions.turn", extras)
        if tools:
            self._endpoint.management_only("client-side tools (tool_results.submit)")
        send: dict[str, Any] = {"controls": controls, "idempotency_key": idempotency_key}
        if content is not None:
            send["content"] = content
        else:
            send["text"] = message
        message_body(message, content, None, None, None)  # refuse a bad call at once
        policy = SessionResumePolicy()
        client = self._client
        stream = AsyncTurnStream(
            client._source(session_id, policy, extras),
            policy,
            session_id,
            send=send,
            api=client,
            tools=tools,
            raise_on_error=raise_on_error,
            on_approval=on_approval,
            on_question=on_question,
        )
        return AsyncStreamManager(stream)

    async def stream_text(
        self,
        session_id: str,
        *,
        message: str,
        tools: Mapping[str, ToolHandler] | None = None,
        on_approval: GateHandler | None = None,
        on_question: GateHandler | None = None,
        raise_on_error: bool = True,
        **extras: Unpack[RequestExtras],
    ) -> AsyncIterator[str]:
        """Send a message and yield the turn's text as it streams: the one-liner. A turn
        that fails raises RunFailedError at its end (``raise_on_error=False`` to just
        stop); a tool approval or question without its callback (see ``turn``) raises
        ActionRequiredError. The request extras go on the stream's request, as
        ``turn``'s do."""
        extras = check_extras("sessions.stream_text", extras)
        manager = self.turn(
            session_id,
            message=message,
            tools=tools,
            on_approval=on_approval,
            on_question=on_question,
            raise_on_error=raise_on_error,
            **extras,
        )
        async with manager as turn:
            async for text in turn.iter_text():
                yield text

    async def poll(
        self,
        session_id: str,
        *,
        timeout: float = 600.0,
        interval: float = 1.0,
        **extras: Unpack[RequestExtras],
    ) -> everruns.Session:
        """Wait until the session no longer runs a turn; return it. A session waiting
        for the client (``waitingfortoolresults``) is returned too: it cannot go on
        until you answer. The request extras go with every GET it makes.

        Raises:
            APITimeoutError: still running after `timeout` seconds.
        """
        extras = check_extras("sessions.poll", extras)
        deadline = time.monotonic() + timeout
        while True:
            session = await self.get(session_id, **extras)
            if session.status in IDLE_STATUSES or session.status == WAITING:
                return session
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise APITimeoutError(
                    f"session {session_id} still {session.status} after {timeout:g} s"
                )
            await anyio.sleep(min(interval, remaining))


class AsyncEverruns(AsyncClientBase):
    """The Everruns client, for either of the platform's APIs.

    ``AsyncEverruns(...)`` speaks the management API with a personal access token;
    ``AsyncEverruns.agent(...)`` speaks an agent's execution API with its credential.
    Both have the same resources and the same streams.

    Args:
        api_key: the personal access token; default ``EVERRUNS_API_KEY``.
        base_url: default ``EVERRUNS_API_URL``, else ``https://app.everruns.com/api``.
        org_id: sent as ``X-Org-Id``; default ``EVERRUNS_ORG_ID`` (none if unset).
        timeout: seconds to connect, and to wait for a JSON answer.
        max_retries: retries of a failed request that is safe to repeat.
        stream_read_timeout: seconds without a byte (heartbeats count) before a stream
            is declared stale and resumed: 45, as the platform advises.
        max_stream_reconnects: failed reconnects in a row before a stream gives up.
        reconnect_delay: the base delay (s) before a reconnect, until the server's
            ``retry:`` says otherwise; failures in a row double it (full jitter).
        idle_timeout: seconds a stream may go without a real event (heartbeats and
            ``connected``/``disconnecting`` don't count) before StreamIdleTimeout; None
            (the default): no limit (a session stream is quiet between turns).
        secret_headers: header names that are secrets besides Authorization, Cookie,
            X-Api-Key and the like: none follows a redirect to another origin.
        max_redirects: redirects followed per request (RemoteProtocolError past it).
        first_connect_timeout: seconds (retries included) to reach a server never
            reached before UnreachableError names the URL and its variable.
        client: an httpx.AsyncClient to use; the caller keeps ownership.

    Raises:
        EverrunsConfigError: no credential, or a URL without its scheme or host.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        org_id: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 2,
        stream_read_timeout: float = 45.0,
        max_stream_reconnects: int = 10,
        reconnect_delay: float = 1.0,
        idle_timeout: float | None = None,
        secret_headers: Iterable[str] = (),
        max_redirects: int = MAX_REDIRECTS,
        first_connect_timeout: float | None = FIRST_CONNECT_TIMEOUT,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        endpoint = management(api_key, base_url, org_id)
        http = AsyncHTTP(
            endpoint.base_url,
            endpoint.headers,
            timeout=timeout,
            max_retries=max_retries,
            client=client,
            secret_headers=secret_headers,
            max_redirects=max_redirects,
            first_connect_timeout=first_connect_timeout,
            hint=endpoint.hint,
            idle_timeout=idle_timeout,
        )
        self._setup(endpoint, http, stream_read_timeout)
        self.max_stream_reconnects = max_stream_reconnects
        self.reconnect_delay = reconnect_delay

    @classmethod
    def agent(
        cls,
        *,
        agent_url: str | None = None,
        credential: str | None = None,
        end_user: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 2,
        stream_read_timeout: float = 45.0,
        max_stream_reconnects: int = 10,
        reconnect_delay: float = 1.0,
        idle_timeout: float | None = None,
        secret_headers: Iterable[str] = (),
        max_redirects: int = MAX_REDIRECTS,
        first_connect_timeout: float | None = FIRST_CONNECT_TIMEOUT,
        client: httpx.AsyncClient | None = None,
    ) -> Self:
        """A client of one agent's execution API: `agent_url` (default
        ``EVERRUNS_AGENT_URL``), the agent `credential` (default ``EVERRUNS_AGENT_KEY``,
        sent as a Bearer token), and an optional `end_user` (the ``End-User`` header:
        that user sees only their own sessions). Other arguments: see the class."""
        new = cls.__new__(cls)
        endpoint = agent(agent_url, credential, end_user)
        http = AsyncHTTP(
            endpoint.base_url,
            endpoint.headers,
            timeout=timeout,
            max_retries=max_retries,
            client=client,
            secret_headers=secret_headers,
            max_redirects=max_redirects,
            first_connect_timeout=first_connect_timeout,
            hint=endpoint.hint,
            idle_timeout=idle_timeout,
        )
        new._setup(endpoint, http, stream_read_timeout)
        new.max_stream_reconnects = max_stream_reconnects
        new.reconnect_delay = reconnect_delay
        return new

    def _setup(self, endpoint: Endpoint, http: AsyncHTTP, stream_read_timeout: float) -> None:
        #: The ids of the requests answered through this client (and its copies).
        self._answered: set[str] = set()
        self._endpoint = endpoint
        self.base_url = endpoint.base_url
        self.timeout = http.timeout
        self.stream_read_timeout = stream_read_timeout
        self._http = http
        self._bind()

    def _bind(self) -> None:
        self._sessions = AsyncSessions(self)
        self._messages = AsyncMessages(self)
        self._events = AsyncEvents(self)
        self._tool_results = AsyncToolResults(self)
        self._tool_approvals = AsyncToolApprovals(self)
        self._question_answers = AsyncQuestionAnswers(self)

    @property
    def is_agent(self) -> bool:
        """True when this client speaks an agent's execution API."""
        return self._endpoint.agent

    @property
    def sessions(self) -> AsyncSessions:
        """``client.sessions``: create, inspect, cancel sessions; run turns in them."""
        return self._sessions

    @property
    def messages(self) -> AsyncMessages:
        """``client.messages``: send user messages to a session."""
        return self._messages

    @property
    def events(self) -> AsyncEvents:
        """``client.events``: a session's event log, as a live stream or as pages."""
        return self._events

    @property
    def tool_results(self) -> AsyncToolResults:
        """``client.tool_results``: answer the client-side tool calls a turn waits for."""
        return self._tool_results

    @property
    def tool_approvals(self) -> AsyncToolApprovals:
        """``client.tool_approvals``: decide on tool calls that need approval."""
        return self._tool_approvals

    @property
    def question_answers(self) -> AsyncQuestionAnswers:
        """``client.question_answers``: answer the questions the agent asked."""
        return self._question_answers

    def _source(
        self, session_id: str, policy: SessionResumePolicy, extras: RequestExtras | None = None
    ) -> AsyncEventSource:
        """The SSE source of a session's stream, resumed by `policy`; `extras` on every
        connection's request."""
        return self._http.event_source(
            self._endpoint.session_path(session_id, "/sse"),
            extras=extras,
            read_timeout=self.stream_read_timeout,
            max_reconnect_attempts=self.max_stream_reconnects,
            retry=self.reconnect_delay,
            policy=policy,
        )

    def __repr__(self) -> str:
        api = "agent" if self._endpoint.agent else "management"
        return f"<AsyncEverruns {api} {self.base_url}>"
