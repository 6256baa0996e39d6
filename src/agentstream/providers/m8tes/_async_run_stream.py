"""AsyncRunStream: the stream of one m8tes run.

This file is the async source; its sync twin is generated from it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from ..._async import AsyncEventSource
from ..._async_stream import AsyncEventStream
from ..._exceptions import AgentStreamError, APITimeoutError, RunFailedError
from ._async_waits import answer_gate
from ._common import is_question
from ._deadline import AsyncDeadline
from ._gates import GATE_TYPES, waiting_error
from ._policy import RunResumePolicy
from ._run_stream import M8tesEvent, RunStreamParts

if TYPE_CHECKING:
    from ...types import m8tes
    from ._async_client import AsyncRuns

__all__ = ["AsyncRunStream"]


class AsyncRunStream(RunStreamParts, AsyncEventStream[M8tesEvent]):
    """The stream of one m8tes run: typed frames, resumed across drops by re-joining.

    Iterating it yields ``m8tes.AnyEvent | UnknownEvent``. ``run_id`` is known once the
    response headers arrive. When the run can no longer be joined (it finished while we
    were away), the run is fetched and StreamInterruptedError carries it.

    A gate (an approval or a question) is answered by ``on_approval`` / ``on_question``
    and the stream goes on; a gate nothing answers (not the callbacks, not the caller
    while iterating) ends the stream with ActionRequiredError, which says what waits and
    how to answer it. With ``timeout``, the whole stream ends with APITimeoutError after
    that many seconds (the run is cancelled first only with ``cancel_on_timeout``). With
    ``raise_on_error``, a run whose stream carried an error raises RunFailedError once it
    ends, carrying the run and its text.
    """

    def __init__(
        self,
        source: AsyncEventSource,
        policy: RunResumePolicy,
        runs: AsyncRuns,
        raise_on_error: bool,
        controls: dict[str, Any] | None = None,
    ) -> None:
        from ._adapter import M8tesAdapter  # with the generated types, on first use

        super().__init__(source, M8tesAdapter(policy))
        self._policy = policy
        self._runs = runs
        self.raise_on_error = raise_on_error
        controls = controls or {}
        self.on_approval = controls.get("on_approval")
        self.on_question = controls.get("on_question")
        self.timeout: float | None = controls.get("timeout")
        self.cancel_on_timeout = bool(controls.get("cancel_on_timeout", False))
        self._answered: set[str] = set()

    async def _events(self) -> AsyncIterator[M8tesEvent]:
        inner = super()._events()
        deadline = AsyncDeadline(self.timeout, self._source.aclose)
        try:
            async for event in deadline.steps(inner):
                yield event
                if getattr(event, "type", None) in GATE_TYPES:
                    await self._gate(event)
        except AgentStreamError as exc:
            if deadline.expired:
                raise await self._timed_out() from exc
            raise
        finally:
            await deadline.finish(inner)
        if deadline.expired:
            raise await self._timed_out()
        await self._check_failed()

    async def _gate(self, event: Any) -> None:
        """Answer the gate `event` names, unless it was answered already."""
        request_id = getattr(event, "request_id", None)
        if self.run_id is None or request_id is None or request_id in self._answered:
            return
        for request in await self._runs.permissions(self.run_id):
            if request.request_id == request_id and request.status == "pending":
                await self._answer(request)
                self._answered.add(request_id)

    async def _answer(self, request: m8tes.PermissionRequest) -> None:
        run_id = self.run_id
        assert run_id is not None
        callback = self.on_question if is_question(request) else self.on_approval
        if callback is None:
            raise waiting_error(run_id, request)
        await answer_gate(self._runs, run_id, request, callback)

    async def _timed_out(self) -> APITimeoutError:
        run_id = self.run_id
        if self.cancel_on_timeout and run_id is not None:
            await self._runs.cancel(run_id)
            fate = "it was cancelled (cancel_on_timeout)"
        else:
            fate = (
                f"it goes on: cancel it with runs.cancel({run_id}) or pass cancel_on_timeout=True"
            )
        return APITimeoutError(f"run {run_id} did not finish within {self.timeout:g} s; {fate}")

    async def _check_failed(self) -> None:
        errors = self._acc.snapshot().errors
        if not (self.raise_on_error and errors):
            return
        run: m8tes.Run | None = None
        if self.run_id is not None:
            try:
                run = await self._runs.get(self.run_id)
            except AgentStreamError:
                run = None  # the error to raise is the run's, not this fetch's
        raise RunFailedError(
            f"run {self.run_id} failed: {errors[0].message}",
            errors=errors,
            text=self.text,
            run_id=self.run_id,
            run=run,
        )

    async def _interrupted(self, exc: AgentStreamError) -> AgentStreamError:
        if self._rejoin_refused(exc):
            assert self.run_id is not None
            return self._interruption(await self._runs.get(self.run_id))
        return exc
