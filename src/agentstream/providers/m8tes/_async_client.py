"""AsyncM8tes: the client of the m8tes Runs API.

This file is the async source; its sync twin is generated from it.
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Awaitable, Coroutine, Iterable
from typing import TYPE_CHECKING, Any, Literal, overload

import httpx
from typing_extensions import Unpack

from ..._async_client_base import AsyncClientBase
from ..._async_http import AsyncHTTP
from ..._config import FIRST_CONNECT_TIMEOUT
from ..._http import RequestExtras, check_extras, pop_extras, read_extras
from ..._manager import AsyncStreamManager
from ..._redirects import MAX_REDIRECTS
from ._async_waits import AsyncWaits
from ._common import (
    URL_HINT,
    ReplyOptions,
    RunOptions,
    as_permission,
    as_run,
    as_run_page,
    auth_headers,
    body,
    idempotency_headers,
    next_cursor,
    resolve,
    run_ref,
)
from ._options import (
    Call,
    JoinOptions,
    ReplyCallOptions,
    ReplyStreamOptions,
    RunCallOptions,
    RunStreamOptions,
    list_query,
    split,
)
from ._policy import RunResumePolicy

if TYPE_CHECKING:
    from ...types import m8tes
    from ._async_run_stream import AsyncRunStream

__all__ = ["AsyncM8tes", "AsyncRuns"]


class AsyncRuns(AsyncWaits):
    """``client.runs``: create, join, reply to, inspect and steer runs."""

    def __init__(self, client: AsyncM8tes) -> None:
        self._client = client
        self._http = client._http

    @overload
    def create(
        self,
        *,
        message: str,
        stream: Literal[True] = True,
        raise_on_error: bool = False,
        idempotency_key: str | None = None,
        **options: Unpack[RunStreamOptions],
    ) -> AsyncStreamManager[AsyncRunStream]: ...

    @overload
    def create(
        self,
        *,
        message: str,
        stream: Literal[False],
        raise_on_error: bool = False,
        idempotency_key: str | None = None,
        **options: Unpack[RunCallOptions],
    ) -> Coroutine[Any, Any, m8tes.Run]: ...

    def create(
        self,
        *,
        message: str,
        stream: bool = True,
        raise_on_error: bool = False,
        idempotency_key: str | None = None,
        **options: Any,
    ) -> AsyncStreamManager[AsyncRunStream] | Coroutine[Any, Any, m8tes.Run]:
        """Start a run. Streams by default; ``stream=False`` returns the Run at once.

        Options: the documented ones (``RunOptions``), ``extra_body`` /
        ``extra_headers`` / ``extra_query``, and for a stream ``on_approval``,
        ``on_question``, ``timeout``, ``cancel_on_timeout`` (see ``StreamControls``).

        Raises:
            TypeError: an option that is none of these (the message names them).
        """
        call = split("runs.create", options, RunOptions, stream)
        return self._send("/runs/", message, stream, call, idempotency_key, None, raise_on_error)

    async def stream_text(
        self,
        *,
        message: str,
        raise_on_error: bool = True,
        idempotency_key: str | None = None,
        **options: Unpack[RunStreamOptions],
    ) -> AsyncIterator[str]:
        """Start a run and yield its text as it streams: the one-liner.

        A run that fails raises RunFailedError at its end (with the run and its text;
        ``raise_on_error=False`` to just stop); a gate without its callback raises
        ActionRequiredError; ``timeout=`` bounds the whole run (APITimeoutError).
        """
        manager = self.create(
            message=message,
            raise_on_error=raise_on_error,
            idempotency_key=idempotency_key,
            **options,
        )
        async with manager as run:
            async for text in run.iter_text():
                yield text

    def stream(
        self, run_id: int, *, raise_on_error: bool = False, **options: Unpack[JoinOptions]
    ) -> AsyncStreamManager[AsyncRunStream]:
        """Join a running run: its frames from the start, then live. Options: see
        ``JoinOptions`` (the stream controls and the request extras)."""
        call = split("runs.stream", options, None, True)
        path = call.path(f"/runs/{run_ref(run_id)}/stream")
        return self._stream("GET", path, None, call, run_id, raise_on_error)

    @overload
    def reply(
        self,
        run_id: int,
        *,
        message: str,
        stream: Literal[True] = True,
        raise_on_error: bool = False,
        idempotency_key: str | None = None,
        **options: Unpack[ReplyStreamOptions],
    ) -> AsyncStreamManager[AsyncRunStream]: ...

    @overload
    def reply(
        self,
        run_id: int,
        *,
        message: str,
        stream: Literal[False],
        raise_on_error: bool = False,
        idempotency_key: str | None = None,
        **options: Unpack[ReplyCallOptions],
    ) -> Coroutine[Any, Any, m8tes.Run]: ...

    def reply(
        self,
        run_id: int,
        *,
        message: str,
        stream: bool = True,
        raise_on_error: bool = False,
        idempotency_key: str | None = None,
        **options: Any,
    ) -> AsyncStreamManager[AsyncRunStream] | Coroutine[Any, Any, m8tes.Run]:
        """Continue a finished run with a new message (a new turn). Options: as
        ``create``'s, with ``ReplyOptions`` for the documented ones.

        Raises:
            TypeError: an unknown option (the message names the valid ones).
        """
        call = split("runs.reply", options, ReplyOptions, stream)
        path = f"/runs/{run_ref(run_id)}/reply"
        return self._send(path, message, stream, call, idempotency_key, run_id, raise_on_error)

    async def get(self, run_id: int, **extras: Unpack[RequestExtras]) -> m8tes.Run:
        """The run as it is now (status, output, usage). Extras: see ``RequestExtras``."""
        path = f"/runs/{run_ref(run_id)}"
        return await self._run(self._http.request("GET", path, **check_extras("runs.get", extras)))

    async def list(self, *, limit: int = 20, **filters: Any) -> AsyncIterator[m8tes.Run]:
        """Every run, newest first, fetching pages of `limit` as the iteration goes.
        Filters: ``teammate_id``, ``agent_id``, ``task_id``, ``user_id``, ``status``,
        ``sort``, ``archived``, ``exclude_platform_runs``, ``include_end_user_runs``,
        ``fields``; and the request extras (every page's request carries them).

        Raises:
            TypeError: an unknown filter (the message names the valid ones).
        """
        extras = pop_extras(filters)
        params: dict[str, Any] = {"limit": limit, **list_query(filters)}
        seen: set[object] = set()
        while True:
            data = await self._http.request("GET", "/runs/", params=params, **extras)
            page = as_run_page(data)
            for run in page.data:
                yield run
            if not page.has_more or not page.data:
                return
            params["starting_after"] = next_cursor(page, seen)

    async def cancel(self, run_id: int, **extras: Unpack[RequestExtras]) -> m8tes.Run:
        """Cancel the run; return it as it is after the cancel (the extras go with the
        cancel; its headers and query with the read after it too)."""
        path = f"/runs/{run_ref(run_id)}/cancel"
        await self._http.request("POST", path, **check_extras("runs.cancel", extras))
        return await self.get(run_id, **read_extras(extras))

    async def permissions(
        self, run_id: int, **extras: Unpack[RequestExtras]
    ) -> builtins.list[m8tes.PermissionRequest]:
        """The run's permission requests (approvals and questions), pending or answered."""
        path = f"/runs/{run_ref(run_id)}/permissions"
        data = await self._http.request("GET", path, **check_extras("runs.permissions", extras))
        return [as_permission(item) for item in data or []]

    async def approve(
        self,
        run_id: int,
        *,
        request_id: str,
        decision: Literal["allow", "deny"] = "allow",
        remember: bool = False,
        reason: str | None = None,
        **extras: Unpack[RequestExtras],
    ) -> m8tes.PermissionRequest:
        """Allow or deny a gated tool call; `remember` allows that tool from now on."""
        payload: dict[str, Any] = {"request_id": request_id, "decision": decision}
        payload["remember"] = remember
        if reason is not None:
            payload["reason"] = reason
        path = f"/runs/{run_ref(run_id)}/approve"
        extras = check_extras("runs.approve", extras)
        return as_permission(await self._http.request("POST", path, json=payload, **extras))

    async def answer(
        self,
        run_id: int,
        *,
        answers: dict[str, str],
        request_id: str | None = None,
        **extras: Unpack[RequestExtras],
    ) -> dict[str, Any]:
        """Answer the run's question(s): question text -> the chosen option's label."""
        payload: dict[str, Any] = {"answers": answers}
        if request_id is not None:
            payload["request_id"] = request_id
        path = f"/runs/{run_ref(run_id)}/answer"
        extras = check_extras("runs.answer", extras)
        return await self._http.request("POST", path, json=payload, **extras)  # type: ignore[no-any-return]

    async def _run(self, pending: Awaitable[Any]) -> m8tes.Run:
        return as_run(await pending)

    def _send(
        self,
        path: str,
        message: str,
        stream: bool,
        call: Call,
        idempotency_key: str | None,
        run_id: int | None,
        raise_on_error: bool,
    ) -> AsyncStreamManager[AsyncRunStream] | Coroutine[Any, Any, m8tes.Run]:
        payload = body(message, stream, call.body)
        headers = {**idempotency_headers(idempotency_key), **call.headers}
        if not stream:
            sent = self._http.request(
                "POST", path, json=payload, headers=headers, params=call.query
            )
            return self._run(sent)
        return self._stream("POST", call.path(path), payload, call, run_id, raise_on_error, headers)

    def _stream(
        self,
        method: str,
        path: str,
        payload: dict[str, Any] | None,
        call: Call,
        run_id: int | None,
        raise_on_error: bool,
        headers: dict[str, str] | None = None,
    ) -> AsyncStreamManager[AsyncRunStream]:
        client = self._client
        policy = RunResumePolicy(client.base_url, run_id)
        source = self._http.event_source(
            path,
            method=method,
            headers=headers if headers is not None else call.headers,
            json=payload,
            read_timeout=client.stream_read_timeout,
            max_reconnect_attempts=client.max_stream_reconnects,
            retry=client.reconnect_delay,
            policy=policy,
        )
        from ._async_run_stream import AsyncRunStream  # the stream layer: with the first stream

        stream = AsyncRunStream(source, policy, self, raise_on_error, call.controls)
        return AsyncStreamManager(stream)


class AsyncM8tes(AsyncClientBase):
    """The m8tes Runs API client.

    Args:
        api_key: the key (``m8_...``); default ``M8TES_API_KEY``.
        base_url: default ``M8TES_BASE_URL``, else ``https://api.m8tes.ai/api/v2``.
        timeout: seconds to connect, and to wait for a JSON answer.
        max_retries: retries of a failed request that is safe to repeat.
        stream_read_timeout: seconds without any byte before a stream is re-joined.
        max_stream_reconnects: failed re-joins in a row before giving up.
        reconnect_delay: the base delay (s) before a re-join; failures in a row double it.
        idle_timeout: seconds a stream may go without a real event (keep-alives don't
            count) before StreamIdleTimeout; None (the default): no limit.
        secret_headers: header names that are secrets besides Authorization, Cookie,
            X-Api-Key and the like: none follows a redirect to another origin.
        max_redirects: redirects followed per request (RemoteProtocolError past it).
        first_connect_timeout: seconds (retries included) to reach a server never
            reached before UnreachableError names the URL and ``M8TES_BASE_URL``.
        client: an httpx.AsyncClient to use; the caller keeps ownership.

    Raises:
        ClientConfigError: no API key, or a base URL without its scheme or its path.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 2,
        stream_read_timeout: float = 60.0,
        max_stream_reconnects: int = 5,
        reconnect_delay: float = 0.5,
        idle_timeout: float | None = None,
        secret_headers: Iterable[str] = (),
        max_redirects: int = MAX_REDIRECTS,
        first_connect_timeout: float | None = FIRST_CONNECT_TIMEOUT,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        key, self.base_url = resolve(api_key, base_url)
        self.timeout = timeout
        self.stream_read_timeout = stream_read_timeout
        self.max_stream_reconnects = max_stream_reconnects
        self.reconnect_delay = reconnect_delay
        self._http = AsyncHTTP(
            self.base_url,
            auth_headers(key),
            timeout=timeout,
            max_retries=max_retries,
            client=client,
            secret_headers=secret_headers,
            max_redirects=max_redirects,
            first_connect_timeout=first_connect_timeout,
            hint=URL_HINT,
            idle_timeout=idle_timeout,
        )
        self._bind()

    def _bind(self) -> None:
        self._runs = AsyncRuns(self)

    @property
    def runs(self) -> AsyncRuns:
        """``client.runs``: create, join, reply to, inspect and steer runs."""
        return self._runs
