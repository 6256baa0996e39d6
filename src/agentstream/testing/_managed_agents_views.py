"""What the Managed Agents endpoints read and write besides events: agent snapshots,
session updates and listings, the primary thread, and the checks on sent events.

Kept apart from the endpoints so each stays a few lines: these are plain functions of
a session record and a request body, with the platform's validation errors.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from ._managed_agents_http import MaError, query_int, query_list, query_order, query_time
from ._managed_agents_log import decode_cursor, encode_cursor
from ._managed_agents_player import Player
from ._managed_agents_sessions import LiveSession, SessionRecord, Sessions

__all__ = [
    "agent_snapshot",
    "apply_update",
    "check_send",
    "echo",
    "list_sessions",
    "thread_json",
]

#: The model every emulated agent claims to run.
MODEL = {"id": "claude-sonnet-4-6", "speed": "standard"}
_AGENT_KEYS = ("type", "id", "name", "version")
_UPDATABLE = frozenset({"agent", "budget", "metadata", "title", "vault_ids"})


def agent_snapshot(agent: str | dict[str, Any]) -> dict[str, Any]:
    """The resolved agent a session records: any agent id is accepted (the emulator
    keeps no agents), pinned at version 1 unless the reference names a version.

    Raises:
        MaError: 400 for a reference object without a string ``id``.
    """
    if isinstance(agent, dict):
        if not isinstance(agent.get("id"), str) or agent.get("type") not in (
            "agent",
            "agent_with_overrides",
        ):
            raise MaError(400, "agent: expected an agent id or {type: 'agent', id, version}")
        agent_id, version = agent["id"], agent.get("version", 1)
    else:
        agent_id, version = agent, 1
    if not agent_id:
        raise MaError(400, "agent: must not be empty")
    return {
        "type": "agent",
        "id": agent_id,
        "version": version if isinstance(version, int) else 1,
        "name": "Emulated agent",
        "description": None,
        "system": None,
        "model": dict(MODEL),
        "tools": [],
        "skills": [],
        "mcp_servers": [],
        "execution_identity": {"type": "service_account"},
        "multiagent": None,
    }


def apply_update(record: SessionRecord, body: dict[str, Any]) -> dict[str, Any]:
    """Apply ``POST /v1/sessions/{id}``; returns the changed fields for ``session.updated``.

    Metadata is merged key by key; a null value deletes its key.

    Raises:
        MaError: 400 for an unknown field or a value of the wrong type.
    """
    unknown = set(body) - _UPDATABLE
    if unknown:
        raise MaError(400, f"{sorted(unknown)[0]}: Extra inputs are not permitted")
    changed: dict[str, Any] = {}
    if "title" in body:
        _expect(body["title"], (str, type(None)), "title")
        record.title = changed["title"] = body["title"]
    if "metadata" in body:
        record.metadata = changed["metadata"] = _merge(record.metadata, body["metadata"])
    if "budget" in body:
        _expect(body["budget"], (dict, type(None)), "budget")
        record.budget = changed["budget"] = body["budget"]
    if "vault_ids" in body:
        _expect(body["vault_ids"], (list,), "vault_ids")
        record.vault_ids = [str(v) for v in body["vault_ids"]]
    if "agent" in body:
        record.agent = agent_snapshot(body["agent"])
        changed["agent"] = {key: record.agent[key] for key in _AGENT_KEYS}
    return changed


def _merge(metadata: dict[str, str], patch: Any) -> dict[str, str]:
    _expect(patch, (dict,), "metadata")
    merged = dict(metadata)
    for key, value in patch.items():
        _expect(value, (str, type(None)), f"metadata.{key}")
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def _expect(value: Any, kinds: tuple[type, ...], name: str) -> None:
    if not isinstance(value, kinds):
        raise MaError(400, f"{name}: invalid value {value!r:.60}")


def list_sessions(sessions: Sessions, request: Request) -> dict[str, Any]:
    """``GET /v1/sessions``: newest first by default, archived ones left out unless
    ``include_archived=true``, filtered by ``statuses[]``, ``agent_id`` and
    ``created_at[...]``; cursor pages like the event list."""
    order = query_order(request, "desc")
    limit = query_int(request, "limit", 20, 1, 1000)
    rows = _filtered(sessions, request)
    if order == "desc":
        rows.reverse()
    token = request.query_params.get("page")
    if token:
        cursor = decode_cursor(token)
        if cursor is None or cursor[0] != order:
            raise MaError(400, "page: invalid pagination cursor")
        after = cursor[1]
        rows = [r for r in rows if (r[0] > after if order == "asc" else r[0] < after)]
    page, more = rows[:limit], len(rows) > limit
    return {
        "data": [sessions.session_json(record) for _, record in page],
        "next_page": encode_cursor(order, page[-1][0]) if more else None,
        "prev_page": None,
    }


def _filtered(sessions: Sessions, request: Request) -> list[tuple[int, SessionRecord]]:
    params = request.query_params
    archived = params.get("include_archived", "false").lower() == "true"
    statuses = set(query_list(request, "statuses"))
    bounds = {
        op: query_time(params[f"created_at[{op}]"], f"created_at[{op}]")
        for op in ("gt", "gte", "lt", "lte")
        if f"created_at[{op}]" in params
    }
    rows = []
    for seq, data in sessions.log.sessions():
        live = sessions.get(data["id"])
        if live is None:
            continue
        record = live.record
        if record.archived_at is not None and not archived:
            continue
        if statuses and record.status not in statuses:
            continue
        if params.get("agent_id") not in (None, record.agent["id"]):
            continue
        if _outside(record.created_at, bounds):
            continue
        rows.append((seq, record))
    return rows


def _outside(stamp: str, bounds: dict[str, str]) -> bool:
    checks = {
        "gt": lambda b: stamp > b,
        "gte": lambda b: stamp >= b,
        "lt": lambda b: stamp < b,
        "lte": lambda b: stamp <= b,
    }
    return not all(checks[op](bound) for op, bound in bounds.items())


def thread_json(sessions: Sessions, live: LiveSession) -> dict[str, Any]:
    """The session's primary thread (``GET .../threads/{thread_id}``)."""
    record = live.record
    status = "idle" if record.status == "rescheduling" else record.status
    return {
        "type": "session_thread",
        "id": record.thread_id,
        "session_id": record.id,
        "agent": record.agent,
        "status": status,
        "parent_thread_id": None,
        "workflow_run_id": None,
        "stats": {"active_seconds": round(sessions.active_seconds(record), 6)},
        "usage": None,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "archived_at": None,
    }


def check_send(
    player: Player, live: LiveSession, events: list[dict[str, Any]]
) -> list[tuple[dict[str, Any], str | None]]:
    """Check every sent event against the session before any is logged; each event
    paired with the scenario it starts (messages only).

    Raises:
        MaError: 409 for a message to a terminated session; 400 for an unknown
            scenario, or an answer to an event that awaits none.
    """
    plan: list[tuple[dict[str, Any], str | None]] = []
    for event in events:
        kind, scenario = event["type"], None
        if kind == "user.message":
            text = " ".join(b["text"] for b in event["content"] if b.get("type") == "text")
            scenario = player.check_message(live, text)
        elif kind == "user.custom_tool_result":
            player.check_answer(live, event["custom_tool_use_id"], "custom", "custom_tool_use_id")
        elif kind == "user.tool_confirmation":
            player.check_answer(live, event["tool_use_id"], "confirm", "tool_use_id")
        plan.append((event, scenario))
    return plan


def echo(sessions: Sessions, live: LiveSession, event: dict[str, Any]) -> dict[str, Any]:
    """Log a sent event as the platform stores it (id and processed_at added; an
    outcome gets its ``outcome_id``) and stream it; the stored event."""
    if event["type"] == "user.define_outcome":
        event = {**event, "outcome_id": sessions.clock.new_id("outc")}
    return sessions.emit(live, event)
