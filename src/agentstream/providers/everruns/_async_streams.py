"""AsyncSessionStream and AsyncTurnStream: the streams of an Everruns session.

This file is the async source; its sync twin is generated from it.

A session stream reads ``GET .../sse`` from its cursor on and never ends by itself (a
session outlives its turns). A turn stream is the stream of one turn: it takes the
session's cursor, sends the message, then reads from that cursor until the turn the
message started ends, answering client-side tool calls with the handlers it was given
and approvals and questions with its callbacks; a request nothing answers ends it with
ActionRequiredError (see ``_gates.py``), never a silent wait.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Mapping
from typing import TYPE_CHECKING, Any

import anyio

from ..._async import AsyncEventSource
from ..._async_stream import AsyncEventStream
from ._common import WAITING_STATUS, tool_outcome
from ._gates import answers, decision, kind, waiting_error
from ._policy import SessionResumePolicy
from ._stream_parts import EverrunsEvent, SessionStreamParts

if TYPE_CHECKING:
    from ...types import everruns
    from ._async_client import AsyncEverruns

__all__ = ["AsyncSessionStream", "AsyncTurnStream"]

#: A client-side tool: called with the call's arguments; its return value (any JSON) is
#: the result. An exception it raises is sent back as the call's error.
ToolHandler = Callable[[dict[str, Any]], Any]
#: ``on_approval`` / ``on_question``: called with the ``everruns.ToolCall`` the session
#: waits on; see ``_gates.py`` for what each returns.
GateHandler = Callable[["everruns.ToolCall"], Any]
#: Looks at a session that may still be settling into its waiting state this many
#: times, 0.1 s doubling, before it counts as answered elsewhere.
SETTLE_CHECKS = 3


class AsyncSessionStream(SessionStreamParts, AsyncEventStream[EverrunsEvent]):
    """The events of one Everruns session: typed, resumed with ``since_id`` across
    drops, stalls and the server's connection cycling.

    Iterating it yields ``everruns.AnyEvent | UnknownEvent``. ``cursor`` is the id of the
    last event delivered: a later ``events.stream(session_id, since_id=cursor)`` goes on
    from there. A session stream has no last event: stop reading (or close it) when you
    have what you need.
    """

    def __init__(
        self,
        source: AsyncEventSource,
        policy: SessionResumePolicy,
        session_id: str,
        *,
        raise_on_error: bool = False,
    ) -> None:
        from ._adapter import EverrunsAdapter  # with the generated types, on first use

        super().__init__(source, EverrunsAdapter(policy))
        self._policy = policy
        self._session_id = session_id
        self.raise_on_error = raise_on_error


class AsyncTurnStream(AsyncSessionStream):
    """One turn of a session, from the message that starts it to its end.

    The message is sent when the stream is first read (so a ``with`` block that never
    reads sends nothing). Before sending, the session's cursor is taken, and the stream
    reads from it: no event of the turn can be missed, however fast the agent answers.
    The stream ends after ``turn.completed``, ``turn.failed``, ``turn.cancelled`` or
    ``turn.sealed`` of that turn. With ``raise_on_error``, a failed turn raises
    RunFailedError at its end.

    When the turn waits on the client (``tool.call_requested``), `tools` handlers answer
    client-side tool calls, ``on_approval`` answers an ``approve_tool_call`` request
    through ``tool_approvals`` and ``on_question`` an ``ask_user`` question through
    ``question_answers``; the turn goes on. A request none of them answers, and that the
    caller did not answer while iterating either, ends the stream with
    ActionRequiredError, which says what waits and how to answer it.
    """

    def __init__(
        self,
        source: AsyncEventSource,
        policy: SessionResumePolicy,
        session_id: str,
        *,
        send: Mapping[str, Any],
        api: AsyncEverruns,
        tools: Mapping[str, ToolHandler] | None,
        raise_on_error: bool,
        on_approval: GateHandler | None = None,
        on_question: GateHandler | None = None,
    ) -> None:
        super().__init__(source, policy, session_id, raise_on_error=raise_on_error)
        self._send = dict(send)
        self._client = api
        self._tools = dict(tools or {})
        self.on_approval = on_approval
        self.on_question = on_question
        self._begun = False
        #: The message that started the turn, once sent.
        self.message: Any = None

    async def _events(self) -> AsyncIterator[EverrunsEvent]:
        if not self._begun:
            await self._begin()
        inner = super()._events()
        try:
            async for event in inner:
                left: list[everruns.ToolCall] = []
                if getattr(event, "type", None) == "tool.call_requested":
                    left = await self._answer(event)
                yield event
                for call in left:
                    await self._check_answered(call)
        finally:
            aclose = getattr(inner, "aclose", None)  # a generator: its cleanup closes
            if aclose is not None:
                await aclose()

    async def _begin(self) -> None:
        """Take the cursor, then send the message (in that order: see the class)."""
        self._begun = True
        policy = self._policy
        client = self._client
        if policy.cursor is None:
            policy.cursor = await client.events.last_id(self._session_id)
            policy.replay = policy.cursor is None  # an empty session: from its start
        self.message = await client.messages.create(self._session_id, **self._send)
        policy.message_id = self.message.id

    async def _answer(self, event: Any) -> list[everruns.ToolCall]:
        """Answer the calls this event requests with the handlers and callbacks; return
        those nothing here answers."""
        from ._common import requested_calls

        if not hasattr(event, "id"):  # an UnknownEvent: nothing reliable to answer
            return []
        client, session_id = self._client, self._session_id
        results, left = [], []
        for call in requested_calls(event):
            handler = self._tools.get(call.name)
            what = kind(call)
            if handler is not None:
                try:
                    outcome = await _call(handler, call.arguments)
                except Exception as exc:  # the agent is told, the turn goes on
                    results.append(tool_outcome(call.id, None, exc))
                else:
                    results.append(tool_outcome(call.id, outcome, None))
            elif what == "approval" and self.on_approval is not None:
                verdict = await _call(self.on_approval, call)
                await client.tool_approvals.submit(session_id, {call.id: decision(verdict)})
            elif what == "question" and self.on_question is not None:
                given = answers(call, await _call(self.on_question, call))
                await client.question_answers.submit(
                    session_id,
                    answers=given or (),
                    tool_call_id=call.id,
                    status="declined" if given is None else "answered",
                )
            else:
                left.append(call)
        if results:
            await client.tool_results.submit(session_id, results)
        return left

    async def _check_answered(self, call: everruns.ToolCall) -> None:
        """After the caller saw `call`: it was answered (through this client, or the
        session no longer waits), or the stream ends with ActionRequiredError."""
        client = self._client
        delay = 0.1
        for check in range(SETTLE_CHECKS):
            if call.id in client._answered:
                return
            session = await client.sessions.get(self._session_id)
            if session.status == WAITING_STATUS:
                if call.id in client._answered:
                    return
                raise waiting_error(self._session_id, call)
            if session.status != "active" or check == SETTLE_CHECKS - 1:
                return  # the turn went on or ended: answered elsewhere
            await anyio.sleep(delay)  # the session may still be settling into waiting
            delay *= 2


async def _call(handler: Callable[[Any], Any], argument: Any) -> Any:
    """Call a handler; a coroutine function's result is awaited (the async client)."""
    outcome = handler(argument)
    if inspect.isawaitable(outcome):
        return await outcome
    return outcome
