"""Waiting for an m8tes run: the polling loop behind ``runs.poll()`` and ``runs.wait()``,
and the answering of its approvals and questions.

This file is the async source; its sync twin is generated from it.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import anyio
from typing_extensions import Unpack

from ..._exceptions import APITimeoutError
from ..._http import RequestExtras, check_extras, read_extras
from ._common import TERMINAL_STATUSES, WAITING_STATUSES, check_run, is_question
from ._gates import decision

if TYPE_CHECKING:
    from ...types import m8tes
    from ._async_client import AsyncRuns

__all__ = ["AsyncWaits", "answer_gate", "wait_for_run"]


class AsyncWaits:
    """``runs.poll`` and ``runs.wait``: waiting for a run to end (a base of AsyncRuns)."""

    async def poll(
        self,
        run_id: int,
        *,
        interval: float = 1.0,
        timeout: float = 600.0,
        raise_on_error: bool = True,
        cancel_on_timeout: bool = False,
        **extras: Unpack[RequestExtras],
    ) -> m8tes.Run:
        """Wait until the run reaches a terminal status; return it. The request extras
        go with every GET it makes (the headers and the query with a cancel too).

        Raises:
            APITimeoutError: not terminal within `timeout` seconds (the run is cancelled
                first when `cancel_on_timeout`).
            RunFailedError: the run failed and `raise_on_error`.
        """
        return await wait_for_run(
            cast("AsyncRuns", self),
            run_id,
            None,
            None,
            interval,
            timeout,
            raise_on_error,
            cancel_on_timeout,
            False,
            check_extras("runs.poll", extras),
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
        **extras: Unpack[RequestExtras],
    ) -> m8tes.Run:
        """Poll until the run ends, answering approvals and questions with the callbacks.

        `on_approval` returns True/"allow" or False/"deny"; `on_question` returns the
        answers (question text -> option label). Without the callback a waiting run is
        returned as it is, for the caller to handle. The request extras go with every
        GET it makes (the run, its permissions); the headers and the query with the
        answers and a cancel too.
        """
        return await wait_for_run(
            cast("AsyncRuns", self),
            run_id,
            on_approval,
            on_question,
            interval,
            timeout,
            raise_on_error,
            cancel_on_timeout,
            True,
            check_extras("runs.wait", extras),
        )


async def wait_for_run(
    runs: AsyncRuns,
    run_id: int,
    on_approval: Callable[[m8tes.PermissionRequest], bool | str] | None,
    on_question: Callable[[m8tes.PermissionRequest], dict[str, str]] | None,
    interval: float,
    timeout: float,
    raise_on_error: bool,
    cancel_on_timeout: bool,
    hand_back: bool,
    extras: RequestExtras | None = None,
) -> m8tes.Run:
    """The polling loop behind ``runs.poll()`` and ``runs.wait()``. A run waiting on a
    human is handed back (when `hand_back` and no callback answers it) or polled on."""
    extras = extras or {}
    deadline = time.monotonic() + timeout
    while True:
        run = await runs.get(run_id, **extras)
        if run.status in TERMINAL_STATUSES:
            return check_run(run, raise_on_error)
        if (
            hand_back
            and run.status in WAITING_STATUSES
            and not await _resolve(runs, run_id, on_approval, on_question, extras)
        ):
            return run
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            if cancel_on_timeout:
                await runs.cancel(run_id, **read_extras(extras))
            raise APITimeoutError(f"run {run_id} did not finish within {timeout:g} s")
        await anyio.sleep(min(interval, remaining))


async def _resolve(
    runs: AsyncRuns,
    run_id: int,
    on_approval: Callable[[m8tes.PermissionRequest], bool | str] | None,
    on_question: Callable[[m8tes.PermissionRequest], dict[str, str]] | None,
    extras: RequestExtras,
) -> bool:
    """Answer the pending requests; False when one has no callback."""
    for request in await runs.permissions(run_id, **extras):
        if request.status != "pending":
            continue
        callback = on_question if is_question(request) else on_approval
        if callback is None:
            return False
        await answer_gate(runs, run_id, request, callback, read_extras(extras))
    return True


async def answer_gate(
    runs: AsyncRuns,
    run_id: int,
    request: m8tes.PermissionRequest,
    callback: Callable[..., Any],
    extras: RequestExtras | None = None,
) -> None:
    """Answer one pending gate with `callback`'s verdict (awaited when it is awaitable):
    a question's answers, or an approval's allow or deny (True or "allow" allows)."""
    verdict = callback(request)
    if inspect.isawaitable(verdict):
        verdict = await verdict
    more = extras or {}
    if is_question(request):
        await runs.answer(run_id, answers=verdict, request_id=request.request_id, **more)
    else:
        verdict = decision(verdict)
        await runs.approve(run_id, request_id=request.request_id, decision=verdict, **more)
