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

from ._common import ReplyOptions, RunOptions

if TYPE_CHECKING:
    from ...types import m8tes

__all__ = [
    "Call",
    "JoinOptions",
    "ReplyCallOptions",
    "ReplyStreamOptions",
    "RequestExtras",
    "RunCallOptions",
    "RunStreamOptions",
    "StreamControls",
    "split",
]


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


class RequestExtras(TypedDict, total=False):
    """Per-call additions to the request, for what the SDK does not know yet.

    Keys:
        extra_body: fields merged into the JSON body (they win over the SDK's).
        extra_headers: headers added to this call's request.
        extra_query: query parameters added to this call's URL.
    """

    extra_body: Mapping[str, Any]
    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, Any]


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
_EXTRAS = frozenset(RequestExtras.__annotations__)


def split(what: str, options: Mapping[str, Any], request: type | None, stream: bool) -> Call:
    """Sort `options` of the call `what` (``"runs.create"``): `request` is the TypedDict
    of its documented body options (None: it takes none).

    Raises:
        TypeError: a name that is none of them (the message names the valid ones), or a
            stream control on a call that does not stream.
    """
    documented = frozenset(request.__annotations__) if request is not None else frozenset()
    allowed = documented | _EXTRAS | (_CONTROLS if stream else frozenset())
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
