"""The m8tes Runs API: ``M8tes`` / ``AsyncM8tes`` and their run streams."""

from ._async_client import AsyncM8tes, AsyncRuns, AsyncRunStream
from ._client import M8tes, Runs, RunStream
from ._policy import RunResumePolicy

__all__ = [
    "AsyncM8tes",
    "AsyncRunStream",
    "AsyncRuns",
    "M8tes",
    "RunResumePolicy",
    "RunStream",
    "Runs",
]
