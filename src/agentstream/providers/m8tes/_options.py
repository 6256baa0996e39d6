"""The keyword options of the m8tes run calls, checked: the documented request options
(``RunOptions``/``ReplyOptions``), what a run stream takes (``StreamControls``) and the
per-call request extras (``RequestExtras``). A name in none of them is refused with a
TypeError naming the valid ones, so that a typo (``modle=``) never reaches the server;
``extra_body=`` sends a field the SDK does not know, on purpose.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypedDict
from urllib.parse import urlencode

import attrs

from ..._http import EXTRAS, RequestExtras, unexpected
from ._common import ReplyOptions, RunOptions

if TYPE_CHECKING:
    from ...types import m8tes

__all__ = [
    "LIST_FILTERS",
    "Call",
    "JoinOptions",
    "ReplyCallOptions",
    "ReplyStreamOptions",
    "RequestExtras",
    "RunCallOptions",
    "RunStreamOptions",
    "StreamControls",
    "list_query",
    "split",
]

#: The filters of ``GET /runs/`` (besides ``limit`` and the cursor).
LIST_FILTERS = frozenset(
    {
        "teammate_id",
        "agent_id",
        "task_id",
        "user_id",
        "status",
        "sort",
        "archived",
        "exclude_platform_runs",
        "include_end_user_runs",
        "fields",
    }
)


class StreamControls(TypedDict, total=False):
    """What a run stream takes besides the request.

    Keys:
        on_approval: answers a tool approval while streaming (``PermissionRequest`` ->
            True/"allow" or False/"deny"). Without it, an approval ends the stream with
            ActionRequiredError.
        on_question: answers a question while streaming (``PermissionRequest`` ->
            {question text: option label}). Without it, a question ends the stream with
            ActionRequiredError.
        timeout: seconds the whole stream may take (connecting, waiting, re-joining):
            past it APITimeoutError. None (the default): no overall limit.
        cancel_on_timeout: cancel the run before raising that APITimeoutError (by
            default the run goes on).
    """

    on_approval: Callable[[m8tes.PermissionRequest], Any]
    on_question: Callable[[m8tes.PermissionRequest], Any]
    timeout: float | None
    cancel_on_timeout: bool


class RunCallOptions(RunOptions, RequestExtras, total=False):
    """``runs.create(stream=False)``: the request options and the extras."""


class RunStreamOptions(RunOptions, RequestExtras, StreamControls, total=False):
    """A streaming ``runs.create``: request options, extras and stream controls."""


class ReplyCallOptions(ReplyOptions, RequestExtras, total=False):
    """``runs.reply(stream=False)``: the request options and the extras."""


class ReplyStreamOptions(ReplyOptions, RequestExtras, StreamControls, total=False):
    """A streaming ``runs.reply``: request options, extras and stream controls."""


class JoinOptions(RequestExtras, StreamControls, total=False):
    """``runs.stream(run_id)``: the extras and the stream controls."""


@attrs.frozen
class Call:
    """One call's options, sorted: what goes in the body, the stream controls, and the
    request extras."""

    body: dict[str, Any]
    controls: dict[str, Any]
    headers: dict[str, str]
    query: dict[str, Any]

    def path(self, path: str) -> str:
        """`path` with the extra query parameters, if any."""
        return f"{path}?{urlencode(self.query, doseq=True)}" if self.query else path


_CONTROLS = frozenset(StreamControls.__annotations__)


def split(what: str, options: Mapping[str, Any], request: type | None, stream: bool) -> Call:
    """Sort `options` of the call `what` (``"runs.create"``): `request` is the TypedDict
    of its documented body options (None: it takes none).

    Raises:
        TypeError: a name that is none of them (the message names the valid ones), or a
            stream control on a call that does not stream.
    """
    documented = frozenset(request.__annotations__) if request is not None else frozenset()
    allowed = documented | EXTRAS | (_CONTROLS if stream else frozenset())
    unknown = sorted(set(options) - allowed)
    if unknown:
        hint = " (they apply to streams only)" if set(unknown) <= _CONTROLS else ""
        raise TypeError(
            f"{what}() got unexpected keyword argument(s): {', '.join(unknown)}{hint}; valid:"
            f" {', '.join(sorted(allowed))}. To send a field the SDK does not know, pass"
            " extra_body={...}"
        )
    body = {name: value for name, value in options.items() if name in documented}
    body.update(options.get("extra_body") or {})
    controls = {name: value for name, value in options.items() if name in _CONTROLS}
    return Call(
        body=body,
        controls=controls,
        headers=dict(options.get("extra_headers") or {}),
        query=dict(options.get("extra_query") or {}),
    )


def list_query(filters: Mapping[str, Any]) -> dict[str, Any]:
    """The query of ``runs.list`` from its filters (None values left out).

    Raises:
        TypeError: a name that is no filter (the message names the valid ones and
            ``limit``).
    """
    unknown = set(filters) - LIST_FILTERS
    if unknown:
        raise unexpected("runs.list", unknown, LIST_FILTERS | {"limit"})
    return {name: value for name, value in filters.items() if value is not None}
