"""``GET .../events`` and ``GET .../events/summary``: the event log as JSON pages.

The management API's list takes the filters the official SDK sends (cursors,
``types``/``exclude``, time range, correlation ids, ``tags``, ``tool_name``, full-text
``q``) and pages as the SDK describes it: with a forward cursor (``since_id`` or
``after_sequence``) ``limit`` takes the first events after it; without one, ``limit``
pages backwards from the newest (or from ``before_sequence``). Results are oldest
first unless ``order_desc=true``; ``total`` counts every match, before paging.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import attrs
import orjson
from starlette.datastructures import QueryParams

from ._everruns_stream import EVENT_ID, bad_request, int_param, type_filter

__all__ = ["EventQuery", "agent_page", "summary"]

Event = dict[str, Any]
MAX_LIMIT = 1000
AGENT_DEFAULT_LIMIT, AGENT_MAX_LIMIT = 100, 500


def _timestamp(raw: str | None, name: str) -> datetime | None:
    if raw is None:
        return None
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise bad_request(f"{name} must be an RFC 3339 time, not {raw!r}") from None


def _event_id(raw: str | None, name: str) -> str | None:
    if raw is not None and not EVENT_ID.fullmatch(raw):
        raise bad_request(f"{name} must be an event id (event_<32 hex>), not {raw!r}")
    return raw


def _tool_names(event: Event) -> set[str]:
    data = event.get("data")
    if not isinstance(data, dict):
        return set()
    names = {data.get("tool_name"), (data.get("tool_call") or {}).get("name")}
    names |= {call.get("name") for call in data.get("tool_calls") or [] if isinstance(call, dict)}
    return {name for name in names if isinstance(name, str)}


def _context_is(name: str, value: str) -> Callable[[Event], bool]:
    return lambda event: bool(event["context"].get(name) == value)


@attrs.frozen(kw_only=True)
class EventQuery:
    """The management list's filters and paging, parsed and validated."""

    checks: tuple[Callable[[Event], bool], ...]
    forward: bool
    limit: int | None
    around: str | None
    window: int
    order_desc: bool

    @classmethod
    def parse(cls, query: QueryParams) -> EventQuery:
        """Read the query of ``GET /v1/sessions/{id}/events``.

        Raises:
            ApiError: 400 for any malformed or unknown value.
        """
        since_id = _event_id(query.get("since_id"), "since_id")
        after, before = int_param(query, "after_sequence"), int_param(query, "before_sequence")
        limit = int_param(query, "limit", minimum=1)
        if limit is not None and limit > MAX_LIMIT:
            raise bad_request(f"limit must be between 1 and {MAX_LIMIT}")
        checks = [*cls._cursor_checks(since_id, after, before), *cls._field_checks(query)]
        around = _event_id(query.get("around"), "around")
        window = int_param(query, "window") or 0
        if query.get("window") is not None and around is None:
            raise bad_request("window needs around")
        order = query.get("order_desc", "false").lower()
        if order not in ("true", "false"):
            raise bad_request("order_desc must be true or false")
        return cls(
            checks=tuple(checks),
            forward=since_id is not None or after is not None,
            limit=limit,
            around=around,
            window=window,
            order_desc=order == "true",
        )

    @staticmethod
    def _cursor_checks(
        since_id: str | None, after: int | None, before: int | None
    ) -> list[Callable[[Event], bool]]:
        checks: list[Callable[[Event], bool]] = []
        if since_id is not None:
            checks.append(lambda e: e["id"] > since_id)
        if after is not None:
            checks.append(lambda e: e["sequence"] > after)
        if before is not None:
            checks.append(lambda e: e["sequence"] < before)
        return checks

    @staticmethod
    def _field_checks(query: QueryParams) -> list[Callable[[Event], bool]]:
        checks: list[Callable[[Event], bool]] = []
        types = type_filter(query.getlist("types"), "types")
        exclude = type_filter(query.getlist("exclude"), "exclude")
        if types:
            checks.append(lambda e: e["type"] in types)
        if exclude:
            checks.append(lambda e: e["type"] not in exclude)
        start, end = (
            _timestamp(query.get("from_ts"), "from_ts"),
            _timestamp(query.get("to_ts"), "to_ts"),
        )
        if start is not None:
            checks.append(lambda e: _timestamp(e["ts"], "ts") >= start)  # type: ignore[operator]
        if end is not None:
            checks.append(lambda e: _timestamp(e["ts"], "ts") <= end)  # type: ignore[operator]
        for name in ("turn_id", "exec_id", "trace_id"):
            value = query.get(name)
            if value is not None:
                checks.append(_context_is(name, value))
        tags = set(query.getlist("tags"))
        if tags:
            checks.append(lambda e: bool(tags & set(e.get("tags") or [])))
        tool_name = query.get("tool_name")
        if tool_name is not None:
            checks.append(lambda e: tool_name in _tool_names(e))
        text = (query.get("q") or "").lower()
        if text:
            checks.append(lambda e: text in orjson.dumps(e["data"]).decode().lower())
        return checks

    def page(self, events: Sequence[Event]) -> dict[str, Any]:
        """``{"data": [...], "total": n}`` for this query over a session's log."""
        matched = [event for event in events if all(check(event) for check in self.checks)]
        data = matched
        if self.around is not None:
            at = next((i for i, e in enumerate(matched) if e["id"] == self.around), None)
            if at is None:
                raise bad_request(f"around names no event of this session: {self.around}")
            data = matched[max(0, at - self.window) : at + self.window + 1]
        elif self.limit is not None:
            data = matched[: self.limit] if self.forward else matched[-self.limit :]
        return {"data": data[::-1] if self.order_desc else data, "total": len(matched)}


def agent_page(events: Sequence[Event], query: QueryParams) -> dict[str, Any]:
    """The agent API's list: ``after_sequence`` (exclusive) and ``limit`` (1..500).

    Raises:
        ApiError: 400 for a bad value.
    """
    after = int_param(query, "after_sequence") or 0
    limit = int_param(query, "limit", minimum=1) or AGENT_DEFAULT_LIMIT
    if limit > AGENT_MAX_LIMIT:
        raise bad_request(f"limit must be between 1 and {AGENT_MAX_LIMIT}")
    return {"data": [event for event in events if event["sequence"] > after][:limit]}


def summary(events: Sequence[Event]) -> dict[str, Any]:
    """Counts of a session's events, as ``GET .../events/summary`` answers them."""
    counts = Counter(event["type"] for event in events)
    errors = sum(
        event["type"] == "turn.failed"
        or (isinstance(event["data"], dict) and event["data"].get("success") is False)
        for event in events
    )
    return {
        "by_type": [{"count": n, "event_type": kind} for kind, n in sorted(counts.items())],
        "error_count": errors,
        "first_ts": events[0]["ts"] if events else None,
        "last_ts": events[-1]["ts"] if events else None,
        "total": len(events),
        "turn_count": counts["turn.started"],
    }
