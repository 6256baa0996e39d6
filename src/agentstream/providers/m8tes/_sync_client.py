# Generated from _async_client.py by codegen/unasync.py (`make codegen`): do not edit.
"""M8tes: the client of the m8tes Runs API.

This file is generated from the async source; edit that one.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Literal, overload

import requests
from typing_extensions import Unpack

from ..._config import FIRST_CONNECT_TIMEOUT
from ..._http import RequestExtras, check_extras, pop_extras, read_extras
from ..._redirects import MAX_REDIRECTS
from ..._sync_client_base import ClientBase
from ..._sync_http import SyncHTTP
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
from ._sync_waits import Waits

if TYPE_CHECKING:
    from ...types import m8tes
    from ._sync_run_stream import RunStream

__all__ = ["M8tes", "Runs"]


class Runs(Waits):
    """``client.runs``: create, join, reply to, inspect and steer runs."""

    def __init__(self, client: M8tes) -> None:
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
    ) -> RunStream: ...

    @overload
    def create(
        self,
        *,
        message: str,
        stream: Literal[False],
        raise_on_error: bool = False,
        idempotency_key: str | None = None,
        **options: Unpack[RunCallOptions],
    ) -> m8tes.Run: ...

    def create(
        self,
        *,
        message: str,
        stream: bool = True,
        raise_on_error: bool = False,
        idempotency_key: str | None = None,
        **options: Any,
    ) -> RunStream | m8tes.Run:
        """Start a run. Streams by default; ``stream=False`` returns the Run at once.

        Options: the documented ones (``RunOptions``), ``extra_body`` /
        ``extra_headers`` / ``extra_query``, and for a stream ``on_approval``,
        ``on_question``, ``timeout``, ``cancel_on_timeout`` (see ``StreamControls``).

        Raises:
            TypeError: an option that is none of these (the message names them).
        """
        call = split("runs.create", options, RunOptions, stream)
        return self._send("/runs/", message, stream, call, idempotency_key, None, raise_on_error)

    def stream_text(
        self,
        *,
        message: str,
        raise_on_error: bool = True,
        idempotency_key: str | None = None,
        **options: Unpack[RunStreamOptions],
    ) -> Iterator[str]:
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
        with manager as run:
            yield from run.iter_text()

    def stream(
        self, run_id: int, *, raise_on_error: bool = False, **options: Unpack[JoinOptions]
    ) -> RunStream:
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
    ) -> RunStream: ...

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
    ) -> m8tes.Run: ...

    def reply(
        self,
        run_id: int,
        *,
        message: str,
        stream: bool = True,
        raise_on_error: bool = False,
        idempotency_key: str | None = None,
        **options: Any,
    ) -> RunStream | m8tes.Run:
        """Continue a finished run with a new message (a new turn). Options: as
        ``create``'s, with ``ReplyOptions`` for the documented ones.

        Raises:
            TypeError: an unknown option (the message names the valid ones).
        """
        call = split("runs.reply", options, ReplyOptions, stream)
        path = f"/runs/{run_ref(run_id)}/reply"
        return self._send(path, message, stream, call, idempotency_key, run_id, raise_on_error)

    def get(self, run_id: int, **extras: Unpack[RequestExtras]) -> m8tes.Run:
        """The run as it is now (status, output, usage). Extras: see ``RequestExtras``."""
        path = f"/runs/{run_ref(run_id)}"
        return self._run(self._http.request("GET", path, **check_extras("runs.get", extras)))

    def list(self, *, limit: int = 20, **filters: Any) -> Iterator[m8tes.Run]:
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
            data = self._http.request("GET", "/runs/", params=params, **extras)
            page = as_run_page(data)
            yield from page.data
            if not page.has_more or not page.data:
                return
            params["starting_after"] = next_cursor(page, seen)

    def cancel(self, run_id: int, **extras: Unpack[RequestExtras]) -> m8tes.Run:
        """Cancel the run; return it as it is after the cancel (the extras go with the
        cancel; its headers and query with the read after it too)."""
        path = f"/runs/{run_ref(run_id)}/cancel"
        self._http.request("POST", path, **check_extras("runs.cancel", extras))
        return self.get(run_id, **read_extras(extras))

    def permissions(
        self, run_id: int, **extras: Unpack[RequestExtras]
    ) -> builtins.list[m8tes.PermissionRequest]:
        """The run's permission requests (approvals and questions), pending or answered."""
        path = f"/runs/{run_ref(run_id)}/permissions"
        data = self._http.request("GET", path, **check_extras("runs.permissions", extras))
        return [as_permission(item) for item in data or []]

    def approve(
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
        return as_permission(self._http.request("POST", path, json=payload, **extras))

    def answer(
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
        return self._http.request("POST", path, json=payload, **extras)  # type: ignore[no-any-return]

    def _run(self, pending: Any) -> m8tes.Run:
        return as_run(pending)

    def _send(
        self,
        path: str,
        message: str,
        stream: bool,
        call: Call,
        idempotency_key: str | None,
        run_id: int | None,
        raise_on_error: bool,
    ) -> RunStream | m8tes.Run:
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
    ) -> RunStream:
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
        from ._sync_run_stream import RunStream  # the stream layer: with the first stream

        stream = RunStream(source, policy, self, raise_on_error, call.controls)
        return stream


class M8tes(ClientBase):
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
        session: a requests.Session to use; the caller keeps ownership.

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
        session: requests.Session | None = None,
    ) -> None:
        key, self.base_url = resolve(api_key, base_url)
        self.timeout = timeout
        self.stream_read_timeout = stream_read_timeout
        self.max_stream_reconnects = max_stream_reconnects
        self.reconnect_delay = reconnect_delay
        self._http = SyncHTTP(
            self.base_url,
            auth_headers(key),
            timeout=timeout,
            max_retries=max_retries,
            session=session,
            secret_headers=secret_headers,
            max_redirects=max_redirects,
            first_connect_timeout=first_connect_timeout,
            hint=URL_HINT,
            idle_timeout=idle_timeout,
        )
        self._bind()

    def _bind(self) -> None:
        self._runs = Runs(self)

    @property
    def runs(self) -> Runs:
        """``client.runs``: create, join, reply to, inspect and steer runs."""
        return self._runs
