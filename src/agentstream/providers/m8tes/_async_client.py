"""AsyncM8tes: the client of the m8tes Runs API.

This file is the async source; its sync twin is generated from it.
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, Literal, overload

import httpx
from typing_extensions import Self, Unpack

from ..._async import AsyncEventSource
from ..._async_http import AsyncHTTP
from ..._async_stream import AsyncEventStream
from ..._exceptions import AgentStreamError
from ..._manager import AsyncStreamManager
from ._async_waits import wait_for_run
from ._common import (
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
from ._policy import RunResumePolicy
from ._run_stream import M8tesEvent, RunStreamParts

if TYPE_CHECKING:
    from ...types import m8tes

__all__ = ["AsyncM8tes", "AsyncRunStream", "AsyncRuns"]


class AsyncRunStream(RunStreamParts, AsyncEventStream[M8tesEvent]):
    """The stream of one m8tes run: typed frames, resumed across drops by re-joining.

    Iterating it yields ``m8tes.AnyEvent | UnknownEvent``. ``run_id`` is known once the
    response headers arrive. When the run can no longer be joined (it finished while we
    were away), the run is fetched and StreamInterruptedError carries it. With
    ``raise_on_error``, a run whose stream carried an error raises RunFailedError once
    it ends.
    """

    def __init__(
        self,
        source: AsyncEventSource,
        policy: RunResumePolicy,
        runs: AsyncRuns,
        raise_on_error: bool,
    ) -> None:
        from ._adapter import M8tesAdapter  # with the generated types, on first use

        super().__init__(source, M8tesAdapter(policy))
        self._policy = policy
        self._runs = runs
        self.raise_on_error = raise_on_error

    async def _interrupted(self, exc: AgentStreamError) -> AgentStreamError:
        if self._rejoin_refused(exc):
            assert self.run_id is not None
            return self._interruption(await self._runs.get(self.run_id))
        return exc


class AsyncRuns:
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
        **options: Unpack[RunOptions],
    ) -> AsyncStreamManager[AsyncRunStream]: ...

    @overload
    def create(
        self,
        *,
        message: str,
        stream: Literal[False],
        raise_on_error: bool = False,
        idempotency_key: str | None = None,
        **options: Unpack[RunOptions],
    ) -> Coroutine[Any, Any, m8tes.Run]: ...

    def create(
        self,
        *,
        message: str,
        stream: bool = True,
        raise_on_error: bool = False,
        idempotency_key: str | None = None,
        **options: Unpack[RunOptions],
    ) -> AsyncStreamManager[AsyncRunStream] | Coroutine[Any, Any, m8tes.Run]:
        """Start a run. Streams by default; ``stream=False`` returns the Run at once."""
        payload = body(message, stream, dict(options))
        headers = idempotency_headers(idempotency_key)
        if not stream:
            return self._run(self._http.request("POST", "/runs/", json=payload, headers=headers))
        return self._stream("POST", "/runs/", payload, headers, None, raise_on_error)

    async def stream_text(
        self,
        *,
        message: str,
        raise_on_error: bool = False,
        idempotency_key: str | None = None,
        **options: Unpack[RunOptions],
    ) -> AsyncIterator[str]:
        """Start a run and yield its text as it streams: the one-liner. With
        `raise_on_error`, a run that reports an error raises RunFailedError at its end."""
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
        self, run_id: int, *, raise_on_error: bool = False
    ) -> AsyncStreamManager[AsyncRunStream]:
        """Join a running run: its frames from the start, then live."""
        return self._stream(
            "GET", f"/runs/{run_ref(run_id)}/stream", None, {}, run_id, raise_on_error
        )

    @overload
    def reply(
        self,
        run_id: int,
        *,
        message: str,
        stream: Literal[True] = True,
        raise_on_error: bool = False,
        idempotency_key: str | None = None,
        **options: Unpack[ReplyOptions],
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
        **options: Unpack[ReplyOptions],
    ) -> Coroutine[Any, Any, m8tes.Run]: ...

    def reply(
        self,
        run_id: int,
        *,
        message: str,
        stream: bool = True,
        raise_on_error: bool = False,
        idempotency_key: str | None = None,
        **options: Unpack[ReplyOptions],
    ) -> AsyncStreamManager[AsyncRunStream] | Coroutine[Any, Any, m8tes.Run]:
        """Continue a finished run with a new message (a new turn)."""
        path, payload = f"/runs/{run_ref(run_id)}/reply", body(message, stream, dict(options))
        headers = idempotency_headers(idempotency_key)
        if not stream:
            return self._run(self._http.request("POST", path, json=payload, headers=headers))
        return self._stream("POST", path, payload, headers, run_id, raise_on_error)

    async def get(self, run_id: int) -> m8tes.Run:
        """The run as it is now (status, output, usage)."""
        return await self._run(self._http.request("GET", f"/runs/{run_ref(run_id)}"))

    async def list(self, *, limit: int = 20, **filters: Any) -> AsyncIterator[m8tes.Run]:
        """Every run, newest first, fetching pages of `limit` as the iteration goes."""
        params: dict[str, Any] = {"limit": limit, **filters}
        seen: set[object] = set()
        while True:
            data = await self._http.request("GET", "/runs/", params=params)
            page = as_run_page(data)
            for run in page.data:
                yield run
            if not page.has_more or not page.data:
                return
            params["starting_after"] = next_cursor(page, seen)

    async def cancel(self, run_id: int) -> m8tes.Run:
        """Cancel the run; return it as it is after the cancel."""
        await self._http.request("POST", f"/runs/{run_ref(run_id)}/cancel")
        return await self.get(run_id)

    async def permissions(self, run_id: int) -> builtins.list[m8tes.PermissionRequest]:
        """The run's permission requests (approvals and questions), pending or answered."""
        data = await self._http.request("GET", f"/runs/{run_ref(run_id)}/permissions")
        return [as_permission(item) for item in data or []]

    async def approve(
        self,
        run_id: int,
        *,
        request_id: str,
        decision: Literal["allow", "deny"] = "allow",
        remember: bool = False,
        reason: str | None = None,
    ) -> m8tes.PermissionRequest:
        """Allow or deny a gated tool call; `remember` allows that tool from now on."""
        payload: dict[str, Any] = {"request_id": request_id, "decision": decision}
        payload["remember"] = remember
        if reason is not None:
            payload["reason"] = reason
        data = await self._http.request("POST", f"/runs/{run_ref(run_id)}/approve", json=payload)
        return as_permission(data)

    async def answer(
        self, run_id: int, *, answers: dict[str, str], request_id: str | None = None
    ) -> dict[str, Any]:
        """Answer the run's question(s): question text -> the chosen option's label."""
        payload: dict[str, Any] = {"answers": answers}
        if request_id is not None:
            payload["request_id"] = request_id
        return await self._http.request("POST", f"/runs/{run_ref(run_id)}/answer", json=payload)  # type: ignore[no-any-return]

    async def poll(
        self,
        run_id: int,
        *,
        interval: float = 1.0,
        timeout: float = 600.0,
        raise_on_error: bool = True,
        cancel_on_timeout: bool = False,
    ) -> m8tes.Run:
        """Wait until the run reaches a terminal status; return it.

        Raises:
            APITimeoutError: not terminal within `timeout` seconds (the run is cancelled
                first when `cancel_on_timeout`).
            RunFailedError: the run failed and `raise_on_error`.
        """
        return await wait_for_run(
            self, run_id, None, None, interval, timeout, raise_on_error, cancel_on_timeout, False
        )

    async def wait(
        self,
        run_id: int,
        *,
        on_approval: Callable[[m8tes.PermissionRequest], bool | str] | None = None,
        on_question: Callable[[m8tes.PermissionRequest], dict[str, str]] | None = None,
        interval: float = 1.0,
        timeout: float = 600.0,
        raise_on_error: bool = True,
        cancel_on_timeout: bool = False,
    ) -> m8tes.Run:
        """Poll until the run ends, answering approvals and questions with the callbacks.

        `on_approval` returns True/"allow" or False/"deny"; `on_question` returns the
        answers (question text -> option label). Without the callback a waiting run is
        returned as it is, for the caller to handle.
        """
        return await wait_for_run(
            self,
            run_id,
            on_approval,
            on_question,
            interval,
            timeout,
            raise_on_error,
            cancel_on_timeout,
            True,
        )

    async def _run(self, pending: Awaitable[Any]) -> m8tes.Run:
        return as_run(await pending)

    def _stream(
        self,
        method: str,
        path: str,
        payload: dict[str, Any] | None,
        headers: dict[str, str],
        run_id: int | None,
        raise_on_error: bool,
    ) -> AsyncStreamManager[AsyncRunStream]:
        client = self._client
        policy = RunResumePolicy(client.base_url, run_id)
        source = self._http.event_source(
            path,
            method=method,
            headers=headers,
            json=payload,
            read_timeout=client.stream_read_timeout,
            max_reconnect_attempts=client.max_stream_reconnects,
            retry=client.reconnect_delay,
            policy=policy,
        )
        stream = AsyncRunStream(source, policy, self, raise_on_error)
        return AsyncStreamManager(stream)


class AsyncM8tes:
    """The m8tes Runs API client.

    Args:
        api_key: the key (``m8_...``); default ``M8TES_API_KEY``.
        base_url: default ``M8TES_BASE_URL``, else ``https://api.m8tes.ai/api/v2``.
        timeout: seconds to connect, and to wait for a JSON answer.
        max_retries: retries of a failed request that is safe to repeat.
        stream_read_timeout: seconds without any byte before a stream is re-joined.
        max_stream_reconnects: failed re-joins in a row before giving up.
        reconnect_delay: the base delay (s) before a re-join; failures in a row double it.
        client: an httpx.AsyncClient to use; the caller keeps ownership.
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
        )
        self._runs = AsyncRuns(self)

    @property
    def runs(self) -> AsyncRuns:
        """``client.runs``: create, join, reply to, inspect and steer runs."""
        return self._runs

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool, when this client made it."""
        await self._http.aclose()

    def __repr__(self) -> str:
        return f"<AsyncM8tes {self.base_url}>"
