# Generated from _async_waits.py by codegen/unasync.py (`make codegen`): do not edit.
"""Waiting for an m8tes run: the polling loop behind ``runs.poll()`` and ``runs.wait()``,
and the answering of its approvals and questions.

This file is generated from the async source; edit that one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from ..._exceptions import APITimeoutError
from ._common import TERMINAL_STATUSES, WAITING_STATUSES, check_run, is_question

if TYPE_CHECKING:
    from ...types import m8tes
    from ._sync_client import Runs

__all__ = ["wait_for_run"]


def wait_for_run(
    runs: Runs,
    run_id: int,
    on_approval: Callable[[m8tes.PermissionRequest], bool | str] | None,
    on_question: Callable[[m8tes.PermissionRequest], dict[str, str]] | None,
    interval: float,
    timeout: float,
    raise_on_error: bool,
    cancel_on_timeout: bool,
    hand_back: bool,
) -> m8tes.Run:
    """The polling loop behind ``runs.poll()`` and ``runs.wait()``. A run waiting on a
    human is handed back (when `hand_back` and no callback answers it) or polled on."""
    deadline = time.monotonic() + timeout
    while True:
        run = runs.get(run_id)
        if run.status in TERMINAL_STATUSES:
            return check_run(run, raise_on_error)
        if (
            hand_back
            and run.status in WAITING_STATUSES
            and not _resolve(runs, run_id, on_approval, on_question)
        ):
            return run
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            if cancel_on_timeout:
                runs.cancel(run_id)
            raise APITimeoutError(f"run {run_id} did not finish within {timeout:g} s")
        time.sleep(min(interval, remaining))


def _resolve(
    runs: Runs,
    run_id: int,
    on_approval: Callable[[m8tes.PermissionRequest], bool | str] | None,
    on_question: Callable[[m8tes.PermissionRequest], dict[str, str]] | None,
) -> bool:
    """Answer the pending requests; False when one has no callback."""
    for request in runs.permissions(run_id):
        if request.status != "pending":
            continue
        if is_question(request):
            if on_question is None:
                return False
            runs.answer(run_id, answers=on_question(request), request_id=request.request_id)
        else:
            if on_approval is None:
                return False
            verdict = on_approval(request)
            decision: Literal["allow", "deny"] = (
                "allow" if verdict is True or verdict == "allow" else "deny"
            )
            runs.approve(run_id, request_id=request.request_id, decision=decision)
    return True
