"""What RunStream and AsyncRunStream share: everything but the fetch of the run."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from ..._exceptions import AgentStreamError, ConflictError, StreamInterruptedError
from ..._stream import StreamCore
from ._policy import RunResumePolicy

if TYPE_CHECKING:
    from ...types import UnknownEvent, m8tes

#: What iterating an m8tes run stream yields (an annotation: the generated types load
#: with the first event, not with the client).
M8tesEvent: TypeAlias = "m8tes.AnyEvent | UnknownEvent"


class RunStreamParts(StreamCore[M8tesEvent]):
    """The run id, the resume cursor, and the end-of-stream rules of an m8tes run."""

    _policy: RunResumePolicy
    raise_on_error: bool

    @property
    def run_id(self) -> int | None:
        """The run's id, once the response headers (or the first frame) gave it."""
        return self._policy.run_id

    @property
    def cursor(self) -> int:
        """Frames delivered so far: a re-join skips this many."""
        return self._policy.delivered

    def _rejoin_refused(self, exc: AgentStreamError) -> bool:
        """A 409 on a re-join: the run finished while we were away."""
        return isinstance(exc, ConflictError) and self.run_id is not None and bool(self.delivered)

    def _interruption(self, run: m8tes.Run) -> StreamInterruptedError:
        return StreamInterruptedError(
            f"run {self.run_id} can no longer be joined (status {run.status})",
            delivered=self.delivered,
            run_id=self.run_id,
            run=run,
        )
