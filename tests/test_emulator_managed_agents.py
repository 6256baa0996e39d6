"""The Managed Agents emulator against the platform's documentation and the anthropic
SDK's wire (PROVIDERS.md §3), over loopback with raw httpx: headers and errors,
sessions, sending and listing events, and streams that carry only new events.

Every event the emulator emits, listed or streamed, is decoded strictly against the
generated types (``agentstream.types.managed_agents``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from agentstream import ServerSentEvent, SSEDecoder
from agentstream._converter import structure, structure_event
from agentstream.testing import Scenario, client_tool, say, sleep
from agentstream.testing._managed_agents_http import BETA
from agentstream.types import managed_agents as ma

HEADERS = {"x-api-key": "test-key", "anthropic-version": "2023-06-01", "anthropic-beta": BETA}
# Fields the SDK's session has that the generated schema does not model yet.
UNMODELED_SESSION = {"stats", "outcome_evaluations", "deployment_id"}
UNMODELED_AGENT = {"description", "system", "model", "tools", "skills", "mcp_servers"}
UNMODELED_AGENT |= {"execution_identity", "multiagent"}
LOOKUP = Scenario(
    "lookup",
    [say("Let me count them."), client_tool("count_tickets", {"queue": "support"}), say("Done.")],
)
SLOW = Scenario("slow", [say("Working on it."), sleep(30), say("never")])


def strict(event: dict[str, Any]) -> dict[str, Any]:
    """`event`, after checking it against its generated class (no unknown keys)."""
    structure_event("managed_agents", event, strict=True)
    return event


def strict_session(data: dict[str, Any]) -> dict[str, Any]:
    session = {k: v for k, v in data.items() if k not in UNMODELED_SESSION}
    session["agent"] = {k: v for k, v in data["agent"].items() if k not in UNMODELED_AGENT}
    structure(session, ma.Session, strict=True)
    return data


def text(message: str) -> dict[str, Any]:
    return {"type": "user.message", "content": [{"type": "text", "text": message}]}


class Api:
    """httpx with the platform's headers, paths relative to ``/v1``."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def create(self, **body: Any) -> dict[str, Any]:
        response = self.client.post("/v1/sessions", json={"agent": "agent_1", **body} | _env(body))
        assert response.status_code == 200, response.text
        return strict_session(response.json())

    def send(self, session_id: str, *events: dict[str, Any]) -> list[dict[str, Any]]:
        response = self.client.post(f"/v1/sessions/{session_id}/events", json={"events": events})
        assert response.status_code == 200, response.text
        structure(response.json(), ma.SendEventsResponse, strict=True)
        return list(response.json()["data"])

    def history(self, session_id: str, **params: Any) -> list[dict[str, Any]]:
        response = self.client.get(f"/v1/sessions/{session_id}/events", params=params)
        assert response.status_code == 200, response.text
        structure(response.json(), ma.EventPage, strict=True)
        return [strict(event) for event in response.json()["data"]]

    def stream(self, session_id: str, path: str = "events/stream", **params: Any) -> Reader:
        return Reader(self.client, f"/v1/sessions/{session_id}/{path}", params)


def _env(body: dict[str, Any]) -> dict[str, Any]:
    return {} if "environment_id" in body else {"environment_id": "env_1"}


class Reader:
    """An open event stream: the events it delivers, each decoded strictly."""

    def __init__(self, client: httpx.Client, path: str, params: dict[str, Any]) -> None:
        self._cm = client.stream("GET", path, params=params)
        self.response = self._cm.__enter__()
        self.decoder = SSEDecoder()
        self.raw: list[ServerSentEvent] = []
        self._chunks = self.response.iter_bytes()

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self._cm.__exit__(None, None, None)

    def blocks(self) -> Iterator[ServerSentEvent]:
        for chunk in self._chunks:
            for item in self.decoder.feed(chunk):
                assert isinstance(item, ServerSentEvent)
                self.raw.append(item)
                yield item

    def events(self, *, pings: bool = False) -> Iterator[dict[str, Any]]:
        for block in self.blocks():
            data = json.loads(block.data)
            assert block.event == data["type"]  # `event: <type>` framing
            if block.event == "ping" and not pings:
                continue
            yield data if block.event == "ping" else strict(data)

    def until(self, kind: str, reason: str | None = None) -> list[dict[str, Any]]:
        """The events up to and including the first `kind` (an idle with `reason` as its
        stop reason, if given); bounded, since heartbeats keep a quiet stream alive."""
        seen, deadline = [], time.monotonic() + 10
        for event in self.events():
            seen.append(event)
            stop = event.get("stop_reason", {}).get("type")
            if event["type"] == kind and reason in (None, stop):
                return seen
            assert time.monotonic() < deadline, f"no {kind} yet: {[e['type'] for e in seen]}"
        raise AssertionError(f"the stream ended before {kind}: {[e['type'] for e in seen]}")


@pytest.fixture
def api(managed_agents_emulator):
    with httpx.Client(base_url=managed_agents_emulator.base_url, headers=HEADERS, timeout=10) as c:
        yield Api(c)


@pytest.fixture
def emulator(emulator_factory):
    return emulator_factory(
        "managed-agents", scenarios=[LOOKUP, SLOW], keepalive_interval=0.2, max_body_bytes=2048
    )


@pytest.fixture
def fast(emulator):
    with httpx.Client(base_url=emulator.base_url, headers=HEADERS, timeout=10) as c:
        yield Api(c)


# Headers and errors ------------------------------------------------------------------


def error_of(response: httpx.Response, status: int, kind: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["type"] == "error" and body["error"]["type"] == kind
    assert body["request_id"] == response.headers["request-id"]
    return str(body["error"]["message"])


@pytest.mark.parametrize(
    ("drop", "extra", "status", "kind"),
    [
        ("x-api-key", {}, 401, "authentication_error"),
        ("x-api-key", {"x-api-key": "wrong"}, 401, "authentication_error"),
        ("anthropic-version", {}, 400, "invalid_request_error"),
        ("anthropic-beta", {}, 400, "invalid_request_error"),
        (
            "anthropic-beta",
            {"anthropic-beta": "files-api-2025-04-14"},
            400,
            "invalid_request_error",
        ),
    ],
)
def test_auth_version_and_beta_headers_are_required(
    managed_agents_emulator, drop, extra, status, kind
):
    headers = {k: v for k, v in HEADERS.items() if k != drop} | extra
    response = httpx.get(managed_agents_emulator.base_url + "/v1/sessions", headers=headers)
    message = error_of(response, status, kind)
    if drop == "anthropic-beta":
        assert BETA in message


def test_a_bearer_token_and_a_beta_list_are_accepted(managed_agents_emulator):
    headers = {
        "authorization": "Bearer test-key",
        "anthropic-version": "2023-06-01",
        "anthropic-beta": f"files-api-2025-04-14, {BETA}",
    }
    response = httpx.get(managed_agents_emulator.base_url + "/v1/sessions", headers=headers)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/v1/sessions/sesn_nope", "/v1/sessions/..%2F..", "/v1/sessions/%00/events", "/v1/nothing"],
)
def test_unknown_and_malformed_ids_are_404_in_the_error_shape(api, path):
    error_of(api.client.get(path), 404, "not_found_error")


def test_bad_bodies_are_400_and_too_large_is_413(fast):
    post = fast.client.post
    error_of(post("/v1/sessions", content=b"{nope"), 400, "invalid_request_error")
    error_of(post("/v1/sessions", json=[1]), 400, "invalid_request_error")
    error_of(post("/v1/sessions", json={"agent": "a"}), 400, "invalid_request_error")
    extra = {"agent": "a", "environment_id": "e", "colour": "red"}
    assert "colour" in error_of(post("/v1/sessions", json=extra), 400, "invalid_request_error")
    big = {"agent": "a", "environment_id": "e", "title": "x" * 4096}
    error_of(post("/v1/sessions", json=big), 413, "request_too_large")
    session = fast.create()
    events_path = f"/v1/sessions/{session['id']}/events"

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while reading
        yield b'{"events": ['
        for _ in range(100):
            yield b'{"type": "user.message", "content": []},'

    error_of(post(events_path, content=chunks()), 413, "request_too_large")
    bad_event = {"events": [{"type": "user.sing", "content": []}]}
    error_of(post(events_path, json=bad_event), 400, "invalid_request_error")
    error_of(post(events_path, json={"events": []}), 400, "invalid_request_error")
    assert fast.history(session["id"]) == []  # nothing of that was logged
    error_of(fast.client.delete("/v1/sessions"), 405, "invalid_request_error")


# Sessions ------------------------------------------------------------------------------


def test_sessions_are_created_idle_and_retrieved(api):
    session = api.create(title="Triage", metadata={"team": "support"}, vault_ids=["vlt_1"])
    assert session["id"].startswith("sesn_") and session["type"] == "session"
    assert session["status"] == "idle" and session["title"] == "Triage"
    assert session["agent"]["id"] == "agent_1" and session["agent"]["type"] == "agent"
    assert session["environment_id"] == "env_1" and session["vault_ids"] == ["vlt_1"]
    again = api.client.get(f"/v1/sessions/{session['id']}").json()
    assert strict_session(again)["created_at"] == session["created_at"]
    pinned = api.create(agent={"type": "agent", "id": "agent_2", "version": 7})
    assert pinned["agent"]["version"] == 7


def test_update_merges_metadata_and_logs_session_updated(api):
    session = api.create(metadata={"a": "1", "b": "2"})
    path = f"/v1/sessions/{session['id']}"
    updated = api.client.post(path, json={"title": "New", "metadata": {"a": None, "c": "3"}})
    assert strict_session(updated.json())["metadata"] == {"b": "2", "c": "3"}
    assert updated.json()["title"] == "New"
    [event] = api.history(session["id"])
    assert event["type"] == "session.updated" and event["title"] == "New"
    error_of(api.client.post(path, json={"status": "running"}), 400, "invalid_request_error")


def test_list_pages_newest_first_and_filters(api):
    ids = [api.create()["id"] for _ in range(3)]
    seen, params = [], {"limit": 2}
    while True:
        page = api.client.get("/v1/sessions", params=params).json()
        seen += [strict_session(s)["id"] for s in page["data"]]
        if not page["next_page"]:
            break
        params = {"limit": 2, "page": page["next_page"]}
    assert seen == ids[::-1]
    oldest = api.client.get("/v1/sessions", params={"order": "asc", "limit": 1}).json()
    assert [s["id"] for s in oldest["data"]] == ids[:1]
    api.client.post(f"/v1/sessions/{ids[0]}/archive")
    listed = [s["id"] for s in api.client.get("/v1/sessions").json()["data"]]
    assert ids[0] not in listed
    everything = api.client.get("/v1/sessions", params={"include_archived": "true"}).json()
    assert ids[0] in [s["id"] for s in everything["data"]]
    running = api.client.get("/v1/sessions", params={"statuses[]": "running"}).json()
    assert running["data"] == []


def test_archive_keeps_history_but_refuses_events(api):
    session = api.create()
    archived = api.client.post(f"/v1/sessions/{session['id']}/archive").json()
    assert strict_session(archived)["archived_at"] is not None
    response = api.client.post(f"/v1/sessions/{session['id']}/events", json={"events": [text("x")]})
    error_of(response, 409, "invalid_request_error")


def test_delete_ends_open_streams_with_session_deleted(api):
    session = api.create()
    with api.stream(session["id"]) as reader:
        deleted = api.client.delete(f"/v1/sessions/{session['id']}").json()
        assert deleted == {"id": session["id"], "type": "session_deleted"}
        assert [e["type"] for e in reader.events()] == ["session.deleted"]  # then it ends
    error_of(api.client.get(f"/v1/sessions/{session['id']}"), 404, "not_found_error")


# Sending and listing -----------------------------------------------------------------


def test_send_echoes_stored_events_with_ids_and_times(api):
    session = api.create()
    sent = api.send(
        session["id"],
        {"type": "system.message", "content": [{"type": "text", "text": "Timezone: UTC"}]},
        {
            "type": "user.define_outcome",
            "description": "Tests pass",
            "rubric": {"type": "text", "content": "green"},
        },
    )
    assert [e["type"] for e in sent] == ["system.message", "user.define_outcome"]
    assert all(e["id"].startswith("sevt_") and e["processed_at"] for e in sent)
    assert sent[1]["outcome_id"].startswith("outc_")
    assert [strict(e) for e in sent] == api.history(session["id"])
    assert sent[0]["id"] < sent[1]["id"]  # time-ordered ids


def test_list_pages_filters_and_orders(api):
    session = api.create()
    api.send(session["id"], text("Triage my inbox"))
    everything = wait_idle(api, session["id"])
    ids = [e["id"] for e in everything]
    assert len(set(ids)) == len(ids) and ids == sorted(ids)
    stamps = [e["processed_at"] for e in everything]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    paged, params = [], {"limit": 3}
    while True:
        page = api.client.get(f"/v1/sessions/{session['id']}/events", params=params).json()
        paged += page["data"]
        if not page.get("next_page"):
            break
        params = {"limit": 3, "page": page["next_page"]}
    assert paged == everything
    assert api.history(session["id"], order="desc") == everything[::-1]
    kinds = ["agent.tool_use", "agent.message"]
    only = api.history(session["id"], **{"types[]": kinds})
    assert {e["type"] for e in only} == set(kinds) and len(only) == 3
    middle = stamps[4]
    assert api.history(session["id"], **{"created_at[gt]": middle}) == everything[5:]
    assert api.history(session["id"], **{"created_at[gte]": middle}) == everything[4:]
    assert api.history(session["id"], **{"created_at[lt]": middle}) == everything[:4]
    window = {"created_at[gte]": stamps[1], "created_at[lte]": middle.replace("Z", "+00:00")}
    assert api.history(session["id"], **window) == everything[1:5]
    path = f"/v1/sessions/{session['id']}/events"
    for bad in ({"page": "nope"}, {"limit": 0}, {"limit": 1001}, {"order": "up"}):
        error_of(api.client.get(path, params=bad), 400, "invalid_request_error")
    error_of(
        api.client.get(path, params={"created_at[gt]": "yesterday"}), 400, "invalid_request_error"
    )


def wait_idle(api: Api, session_id: str, reason: str = "end_turn") -> list[dict[str, Any]]:
    """The session's history once its latest turn has stopped (polled briefly)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        events = api.history(session_id)
        last = events[-1] if events else {}
        if last.get("type") == "session.status_idle" and last["stop_reason"]["type"] == reason:
            return events
        time.sleep(0.01)
    raise AssertionError(f"session {session_id} did not go idle ({reason})")


# Streams -----------------------------------------------------------------------------


def test_a_stream_carries_only_events_emitted_after_it_opens(fast):
    session = fast.create()
    fast.send(session["id"], text("Triage my inbox"))
    history = wait_idle(fast, session["id"])
    with fast.stream(session["id"]) as reader:
        assert reader.response.headers["content-type"].startswith("text/event-stream")
        first = next(reader.events(pings=True))
        assert first == {"type": "ping"}  # nothing replayed: a heartbeat comes first
        sent = fast.send(session["id"], text("[scenario:lookup] how many?"))
        got = reader.until("session.status_idle")
    assert got[0] == strict(sent[0])  # the user's event is echoed on the stream
    assert not {e["id"] for e in got} & {e["id"] for e in history}
    assert [e["type"] for e in got][1:3] == ["session.status_running", "span.model_request_start"]


def test_heartbeats_are_event_ping_at_the_configured_interval(fast):
    session = fast.create()
    with fast.stream(session["id"]) as reader:
        started = time.monotonic()
        pings = [next(reader.events(pings=True)) for _ in range(3)]
        elapsed = time.monotonic() - started
    assert pings == [{"type": "ping"}] * 3 and 0.5 <= elapsed < 3
    assert all(b.event == "ping" for b in reader.raw)


def test_event_deltas_preview_messages_before_the_buffered_event(api):
    session = api.create()
    with (
        api.stream(
            session["id"], **{"event_deltas[]": ["agent.message", "agent.thinking"]}
        ) as previews,
        api.stream(session["id"]) as plain,
    ):
        api.send(session["id"], text("Triage my inbox"))
        got = previews.until("session.status_idle")
        bare = plain.until("session.status_idle")
    message = next(e for e in got if e["type"] == "agent.message")
    start = got.index(
        {"type": "event_start", "event": {"type": "agent.message", "id": message["id"]}}
    )
    deltas = [e for e in got if e["type"] == "event_delta"]
    assert all(e["event_id"] == message["id"] for e in deltas) and len(deltas) > 1
    assert start < got.index(deltas[0]) and got.index(deltas[-1]) < got.index(message)
    assert "".join(d["delta"]["content"]["text"] for d in deltas) == message["content"][0]["text"]
    thinking = next(e for e in got if e["type"] == "agent.thinking")
    assert {"type": "event_start", "event": {"type": "agent.thinking", "id": thinking["id"]}} in got
    assert [e for e in got if e["type"] not in ("event_start", "event_delta")] == bare
    assert not any(e["type"].startswith("event_") for e in api.history(session["id"]))
    response = api.client.get(
        f"/v1/sessions/{session['id']}/events/stream", params={"event_deltas[]": "agent.tool_use"}
    )
    error_of(response, 400, "invalid_request_error")


def test_the_primary_thread_lists_and_streams_the_session(api):
    session = api.create()
    threads = api.client.get(f"/v1/sessions/{session['id']}/threads").json()["data"]
    [thread] = threads
    assert thread["id"].startswith("sthr_") and thread["session_id"] == session["id"]
    base = f"/v1/sessions/{session['id']}/threads/{thread['id']}"
    assert api.client.get(base).json() == thread | {"stats": api.client.get(base).json()["stats"]}
    with api.stream(session["id"], f"threads/{thread['id']}/stream") as reader:
        api.send(session["id"], text("Triage my inbox"))
        streamed = reader.until("session.status_idle")
    listed = api.client.get(base + "/events", params={"limit": 1000}).json()["data"]
    assert [strict(e) for e in listed] == streamed
    error_of(api.client.get(base.replace(thread["id"], "sthr_x")), 404, "not_found_error")
    error_of(api.client.post(base + "/archive"), 400, "invalid_request_error")


def test_restart_on_the_same_database_keeps_sessions_history_and_pauses(emulator_factory, tmp_path):
    database = tmp_path / "ma.sqlite"
    first = emulator_factory("managed-agents", database=database, scenarios=[LOOKUP])
    with httpx.Client(base_url=first.base_url, headers=HEADERS, timeout=10) as client:
        api = Api(client)
        session = api.create(title="kept")
        api.send(session["id"], text("[scenario:lookup] count"))
        before = wait_idle(api, session["id"], "requires_action")
    first.stop()
    second = emulator_factory("managed-agents", database=database, scenarios=[LOOKUP])
    with httpx.Client(base_url=second.base_url, headers=HEADERS, timeout=10) as client:
        api = Api(client)
        assert strict_session(client.get(f"/v1/sessions/{session['id']}").json())["title"] == "kept"
        assert api.history(session["id"]) == before
        call = next(e for e in before if e["type"] == "agent.custom_tool_use")
        answer = {"type": "user.custom_tool_result", "custom_tool_use_id": call["id"]}
        later = api.send(session["id"], answer | {"content": [{"type": "text", "text": "42"}]})
        after = wait_idle(api, session["id"])
    assert after[: len(before)] == before and later[0]["id"] > before[-1]["id"]
    assert after[-2]["type"] == "span.model_request_end"
    assert second.events(session["id"]) == after
