"""The options each API's session endpoints take: anything else is refused with a
TypeError before a request is made (nothing is passed through unchecked)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..._http import EXTRAS
from ._common import Endpoint

__all__ = ["check_session_options"]

#: ``POST /v1/sessions`` on the management API.
MANAGEMENT_CREATE = frozenset(
    {
        "harness_id",
        "harness_name",
        "agent_id",
        "agent_name",
        "title",
        "locale",
        "model_id",
        "parallel_tool_calls",
        "tags",
        "capabilities",
        "tools",
        "initial_files",
    }
)
#: ``POST /sessions`` on the agent execution API.
AGENT_CREATE = frozenset({"title"})
#: The filters of ``GET /v1/sessions`` (the agent API's list has none).
MANAGEMENT_LIST = frozenset({"agent_id", "search"})


def check_session_options(
    endpoint: Endpoint, options: Mapping[str, Any], *, listing: bool = False
) -> None:
    """Raise TypeError naming the options `endpoint`'s API does not have."""
    if listing:
        allowed = frozenset() if endpoint.agent else MANAGEMENT_LIST
    else:
        allowed = AGENT_CREATE if endpoint.agent else MANAGEMENT_CREATE
    unknown = sorted(set(options) - allowed)
    if unknown:
        what = "sessions.list" if listing else "sessions.create"
        api = "agent execution" if endpoint.agent else "management"
        valid = ", ".join(sorted(allowed | EXTRAS))
        raise TypeError(
            f"{what} on the {api} API has no option(s): {', '.join(unknown)}; valid: {valid}"
        )
    if (
        not listing
        and options.get("harness_id") is not None
        and options.get("harness_name") is not None
    ):
        raise TypeError("pass harness_id or harness_name, not both")
    if (
        not listing
        and options.get("agent_id") is not None
        and options.get("agent_name") is not None
    ):
        raise TypeError("pass agent_id or agent_name, not both")
