"""AsyncM8tes: the async client of the m8tes Runs API (httpx); the twin of ``_client.py``."""

from __future__ import annotations

import builtins
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Generator
from typing import Any, Literal, overload

import anyio
import httpx
from typing_extensions import Unpack

from ..._async import AsyncEventSource
from ..._converter import structure
from ..._exceptions import (
    AgentStreamError,
    APITimeoutError,
)
from ..._http import AsyncHTTP
from ..._stream import AsyncEventStream
from ...types import m8tes
from ._adapter import M8tesAdapter
from ._common import (
    TERMINAL_STATUSES,
    WAITING_STATUSES,
    ReplyOptions,
    RunOptions,
    auth_headers,
    body,
    check_run,
    idempotency_headers,
    is_question,
    resolve,
)
from ._policy import RunResumePolicy
from ._run_stream import RunStreamParts

__all__ = ["AsyncM8tes", "AsyncRunStream", "AsyncRuns"]


class AsyncRunStream(RunStreamParts, AsyncEventStream[Any]):
    """The stream of one m8tes run (httpx); see RunStream."""

    def __init__(
        self,
        source: AsyncEventSource,
        policy: RunResumePolicy,
        runs: AsyncRuns,
        raise_on_error: bool,
    ) -> None:
        super().__init__(source, M8tesAdapter(policy))
        self._policy = policy
        self._runs = runs
        self.raise_on_error = raise_on_error

    async def _interrupted(self, exc: AgentStreamError) -> AgentStreamError:
        if self._rejoin_refused(exc):
            assert self.run_id is not None
            return self._interruption(await self._runs.get(self.run_id))
        return exc


class AsyncRunStreamManager:
    """What ``create``/``reply``/``stream`` return: await it for the stream, or use it
    as ``async with ... as stream`` to have the stream closed on the way out."""

    def __init__(self, stream: AsyncRunStream) -> None:
        self._stream = stream

    def __await__(self) -> Generator[Any, None, AsyncRunStream]:
        return self._get().__await__()

    async def _get(self) -> AsyncRunStream:
        return self._stream

    async def __aenter__(self) -> AsyncRunStream:
        return self._stream

    async def __aexit__(self, *exc_info: object) -> None:
        await self._stream.aclose()


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
    ) -> AsyncRunStreamManager: ...

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
    ) -> AsyncRunStreamManager | Coroutine[Any, Any, m8tes.Run]:
        """Start a run. Streams by default; ``stream=False`` returns the Run at once."""
        payload = body(message, stream, dict(options))
        headers = idempotency_headers(idempotency_key)
        if not stream:
            return self._run(self._http.request("POST", "/runs/", json=payload, headers=headers))
        return self._stream("POST", "/runs/", payload, headers, None, raise_on_error)

    async def stream_text(
        self, *, message: str, **options: Unpack[RunOptions]
    ) -> AsyncIterator[str]:
        """Start a run and yield its text as it streams: the one-liner."""
        async with self.create(message=message, **options) as run:
            async for text in run.iter_text():
                yield text

    def stream(self, run_id: int, *, raise_on_error: bool = False) -> AsyncRunStreamManager:
        """Join a running run: its frames from the start, then live."""
        return self._stream("GET", f"/runs/{run_id}/stream", None, {}, run_id, raise_on_error)

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
    ) -> AsyncRunStreamManager: ...

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
    ) -> AsyncRunStreamManager | Coroutine[Any, Any, m8tes.Run]:
        """Continue a finished run with a new message (a new turn)."""
        path, payload = f"/runs/{run_id}/reply", body(message, stream, dict(options))
        headers = idempotency_headers(idempotency_key)
        if not stream:
            return self._run(self._http.request("POST", path, json=payload, headers=headers))
        return self._stream("POST", path, payload, headers, run_id, raise_on_error)

    async def get(self, run_id: int) -> m8tes.Run:
        return await self._run(self._http.request("GET", f"/runs/{run_id}"))

    async def list(self, *, limit: int = 20, **filters: Any) -> AsyncIterator[m8tes.Run]:
        """Every run, newest first, fetching pages of `limit` as the iteration goes."""
        params: dict[str, Any] = {"limit": limit, **filters}
        while True:
            data = await self._http.request("GET", "/runs/", params=params)
            page = structure(data, m8tes.RunPage)
            for run in page.data:
                yield run
            if not page.has_more or not page.data:
                return
            after = page.next_starting_after
            params["starting_after"] = after if after is not None else page.data[-1].id

    async def cancel(self, run_id: int) -> m8tes.Run:
        await self._http.request("POST", f"/runs/{run_id}/cancel")
        return await self.get(run_id)

    async def permissions(self, run_id: int) -> builtins.list[m8tes.PermissionRequest]:
        data = await self._http.request("GET", f"/runs/{run_id}/permissions")
        return [structure(item, m8tes.PermissionRequest) for item in data or []]

    async def approve(
        self,
        run_id: int,
        *,
        request_id: str,
        decision: Literal["allow", "deny"] = "allow",
        remember: bool = False,
        reason: str | None = None,
    ) -> m8tes.PermissionRequest:
        payload: dict[str, Any] = {"request_id": request_id, "decision": decision}
        payload["remember"] = remember
        if reason is not None:
            payload["reason"] = reason
        data = await self._http.request("POST", f"/runs/{run_id}/approve", json=payload)
        return structure(data, m8tes.PermissionRequest)  # type: ignore[no-any-return]

    async def answer(
        self, run_id: int, *, answers: dict[str, str], request_id: str | None = None
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {"answers": answers}
        if request_id is not None:
            payload["request_id"] = request_id
        return await self._http.request("POST", f"/runs/{run_id}/answer", json=payload)  # type: ignore[no-any-return]

    async def poll(
        self,
        run_id: int,
        *,
        interval: float = 1.0,
        timeout: float = 600.0,
        raise_on_error: bool = True,
        cancel_on_timeout: bool = False,
    ) -> m8tes.Run:
        """Wait until the run reaches a terminal status; return it (see Runs.poll)."""
        return await self._wait(
            run_id, None, None, interval, timeout, raise_on_error, cancel_on_timeout, False
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
        """Poll until the run ends, answering approvals and questions (see Runs.wait)."""
        return await self._wait(
            run_id,
            on_approval,
            on_question,
            interval,
            timeout,
            raise_on_error,
            cancel_on_timeout,
            True,
        )

    async def _wait(
        self,
        run_id: int,
        on_approval: Callable[[m8tes.PermissionRequest], bool | str] | None,
        on_question: Callable[[m8tes.PermissionRequest], dict[str, str]] | None,
        interval: float,
        timeout: float,
        raise_on_error: bool,
        cancel_on_timeout: bool,
        hand_back: bool,
    ) -> m8tes.Run:
        """The polling loop behind poll() and wait(). A run waiting on a human is handed
        back (when `hand_back` and no callback answers it) or polled on (poll())."""
        deadline = time.monotonic() + timeout
        while True:
            run = await self.get(run_id)
            if run.status in TERMINAL_STATUSES:
                return check_run(run, raise_on_error)
            if (
                hand_back
                and run.status in WAITING_STATUSES
                and not await self._resolve(run_id, on_approval, on_question)
            ):
                return run
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                if cancel_on_timeout:
                    await self.cancel(run_id)
                raise APITimeoutError(f"run {run_id} did not finish within {timeout:g} s")
            await anyio.sleep(min(interval, remaining))

    async def _resolve(
        self,
        run_id: int,
        on_approval: Callable[[m8tes.PermissionRequest], bool | str] | None,
        on_question: Callable[[m8tes.PermissionRequest], dict[str, str]] | None,
    ) -> bool:
        """Answer the pending requests; False when one has no callback."""
        for request in await self.permissions(run_id):
            if request.status != "pending":
                continue
            if is_question(request):
                if on_question is None:
                    return False
                await self.answer(
                    run_id, answers=on_question(request), request_id=request.request_id
                )
            else:
                if on_approval is None:
                    return False
                verdict = on_approval(request)
                decision: Literal["allow", "deny"] = (
                    "allow" if verdict is True or verdict == "allow" else "deny"
                )
                await self.approve(run_id, request_id=request.request_id, decision=decision)
        return True

    async def _run(self, pending: Awaitable[Any]) -> m8tes.Run:
        return structure(await pending, m8tes.Run)  # type: ignore[no-any-return]

    def _stream(
        self,
        method: str,
        path: str,
        payload: dict[str, Any] | None,
        headers: dict[str, str],
        run_id: int | None,
        raise_on_error: bool,
    ) -> AsyncRunStreamManager:
        client = self._client
        policy = RunResumePolicy(client.base_url, run_id)
        source = AsyncEventSource(
            client.base_url + path,
            method=method,
            headers={**self._http.headers, **headers},
            json=payload,
            client=self._http.client,
            connect_timeout=client.timeout,
            read_timeout=client.stream_read_timeout,
            max_reconnect_attempts=client.max_stream_reconnects,
            retry=client.reconnect_delay,
            policy=policy,
        )
        return AsyncRunStreamManager(AsyncRunStream(source, policy, self, raise_on_error))


class AsyncM8tes:
    """The m8tes Runs API client (async); see M8tes for the arguments."""

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
        self.runs = AsyncRuns(self)

    async def __aenter__(self) -> AsyncM8tes:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    def __repr__(self) -> str:
        return f"<AsyncM8tes {self.base_url}>"
