"""The Everruns emulator against the platform's documentation (PROVIDERS.md §1), over
loopback with raw httpx: SSE framing, resume, filters, each scenario step's events,
pauses and their answers, cancel, idempotency, auth and error envelopes."""

from __future__ import annotations

import itertools
import json
import re
import threading
import time

import httpx
import pytest

from agentstream import Comment
from agentstream._converter import structure
from agentstream.testing import Faults, Scenario, say, sleep
from agentstream.types import everruns

from .test_emulator_everruns_helpers import EVENT_ID, Api, has, text_message

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
def api(everruns_emulator):
    client = Api(everruns_emulator)
    yield client
    client.close()


@pytest.fixture
def agent(everruns_emulator):
    client = Api(everruns_emulator, agent=True)
    yield client
    client.close()


def shape(types: list[str]) -> list[str]:
    return [kind for kind, _ in itertools.groupby(types)]


def finished_turn(api: Api, text: str) -> tuple[str, list[dict]]:
    """Run a turn to its end and return (session id, every event of the session)."""
    session = api.session()
    assert api.send(session, text).status_code == 201
    api.wait_status(session, "idle")
    return session, api.events(session)


DEMO_SHAPE = [
    *["session.started", "input.message", "session.activated", "turn.started"],
    *["reason.started", "reason.thinking.started", "reason.thinking.delta"],
    *["reason.thinking.completed", "reason.completed"],
    *["act.started", "tool.started", "tool.output.delta", "tool.completed", "act.completed"],
    *["reason.started", "reason.completed"],
    *["act.started", "tool.started", "tool.output.delta", "tool.completed", "act.completed"],
    *["reason.started", "output.message.started", "output.message.delta"],
    *["output.message.completed", "reason.completed", "turn.completed", "session.idled"],
]


def test_live_stream_framing_and_the_demo_vocabulary(api):
    session = api.session()
    got = api.sse(session, until=has("session.idled"), during=lambda: api.send(session, "Triage"))
    assert got.status == 200 and got.headers["content-type"].startswith("text/event-stream")
    assert got.raw.startswith(b'event: connected\ndata: {"status":"connected"}\n\n')
    first = got.events[0]
    assert (first.event, first.id, first.retry) == ("connected", "", None)
    events = got.session_events  # live: session.started came before the subscription
    assert shape([e["type"] for e in events]) == DEMO_SHAPE[1:]
    for item in got.events[1:]:
        assert re.fullmatch(EVENT_ID, item.id) and item.retry in (100, 500)
    # retry: 100 ms while the turn runs, 500 ms once the session is idle again.
    assert got.events[1].retry == 100 and got.events[-1].retry == 500
    assert [e["sequence"] for e in events] == list(range(2, len(events) + 2))
    assert [e["id"] for e in events] == sorted(e["id"] for e in events)
    turn = events[2]["data"]["turn_id"]
    assert all(e["context"]["turn_id"] == turn for e in events[:-1])
    deltas = [e["data"] for e in events if e["type"] == "output.message.delta"]
    assert all(d["accumulated"].endswith(d["delta"]) for d in deltas)
    answer = next(e for e in events if e["type"] == "output.message.completed")["data"]
    assert answer["message"]["content"][0]["text"] == deltas[-1]["accumulated"]
    assert answer["message"]["role"] == "agent"
    completed = next(e for e in events if e["type"] == "turn.completed")["data"]
    assert completed["usage"] == {"input_tokens": 5120, "output_tokens": 730}
    assert (completed["iterations"], completed["tool_call_count"]) == (3, 2)
    started = next(e for e in events if e["type"] == "tool.started")["data"]["tool_call"]
    assert started["name"] == "gmail_search" and started["arguments"]["max_results"] == 10
    assert api.status(session) == "idle"


def test_heartbeat_comments_and_the_connection_cycle(emulator_factory):
    emulator = emulator_factory("everruns", heartbeat_interval=0.05, cycle_interval=0.4)
    api = Api(emulator)
    session = api.session()
    started = time.monotonic()
    got = api.sse(session, {"after_sequence": 0})
    assert got.clean_end and 0.4 <= time.monotonic() - started < 3
    assert got.types == ["connected", "session.started", "disconnecting"]
    assert got.data[-1] == {"type": "disconnecting", "reason": "connection_cycle", "retry_ms": 100}
    assert got.raw.endswith(
        b'event: disconnecting\ndata: {"reason":"connection_cycle","retry_ms":100}\n\n'
    )
    beats = [i for i in got.items if isinstance(i, Comment)]
    assert len(beats) >= 3 and {b.text for b in beats} == {"heartbeat"}
    assert b"\n: heartbeat\n\n" in got.raw
    api.close()


def test_since_id_resumes_without_gaps_or_duplicates(api):
    session, logged = finished_turn(api, "Triage my inbox")
    seen: list[dict] = []
    cursor: dict = {"after_sequence": 0}
    for _ in range(20):  # each connection drops after 7 frames (connected included)
        before = len(seen)
        got = api.sse(
            session,
            cursor,
            headers={"X-Emulator-Faults": "drop_after_events=7"},
            until=lambda got, before=before: before + len(got.session_events) == len(logged),
        )
        assert got.error is not None or len(seen) + len(got.session_events) == len(logged)
        seen += got.session_events
        if len(seen) == len(logged):
            break
        cursor = {"since_id": seen[-1]["id"]}
    assert seen == logged
    # since_id is exclusive and needs not be an id of this session: ids are ordered.
    tail = api.sse(session, {"since_id": logged[-3]["id"]}, until=has("session.idled"))
    assert tail.session_events == logged[-2:]


def test_types_and_exclude_filters(api):
    session, logged = finished_turn(api, "Triage my inbox")
    wanted = {"types": ["turn.started", "turn.completed", "tool.completed"], "after_sequence": 0}
    got = api.sse(session, wanted, until=has("turn.completed"))
    assert got.types == [
        "connected",
        "turn.started",
        "tool.completed",
        "tool.completed",
        "turn.completed",
    ]
    excluded = {"exclude": ["output.message.delta", "reason.thinking.delta", "tool.output.delta"]}
    got = api.sse(session, {**excluded, "after_sequence": 0}, until=has("session.idled"))
    assert len(got.session_events) == len(logged) - sum("delta" in e["type"] for e in logged)
    both = {
        "types": ["tool.started", "tool.completed"],
        "exclude": ["tool.started"],
        "after_sequence": 0,
    }
    assert api.sse(session, both, until=has("tool.completed")).types[1:] == ["tool.completed"]
    listed = api.events(session, types=["turn.completed"], exclude=["turn.started"])
    assert [e["type"] for e in listed] == ["turn.completed"]


@pytest.mark.parametrize(
    "params",
    [
        {"types": ["turn.exploded"]},
        {"exclude": ["nope"]},
        {"types": ["turn.started"] * 26},
        {"exclude": ["turn.started"] * 26},
        {"since_id": "event_123"},
        {"since_id": "event_" + "0" * 32, "after_sequence": 0},
        {"after_sequence": "soon"},
    ],
)
def test_bad_stream_queries_are_400_with_the_envelope(api, params):
    session = api.session()
    got = api.sse(session, params)
    assert got.status == 400
    error = structure(json.loads(got.raw), everruns.ErrorEnvelope, strict=True).error
    assert error.code == "invalid_request" and error.message
    if not {"since_id", "after_sequence"} <= params.keys():  # the list takes both cursors
        assert api.get(f"/sessions/{session}/events", params=params).status_code == 400


def test_twenty_five_filter_values_are_accepted(api):
    session = api.session()
    kinds = sorted(everruns.EVENT_TYPES.keys() - {"connected", "disconnecting"})[:25]
    assert api.get(f"/sessions/{session}/events", params={"types": kinds}).status_code == 200


def test_failure_and_tool_errors(api):
    session, events = finished_turn(api, "[scenario:failure]")
    failed = next(e for e in events if e["type"] == "tool.completed")["data"]
    assert (failed["success"], failed["status"], failed["error"]) == (
        False,
        "error",
        "Gmail token expired",
    )
    assert "result" not in failed
    stderr = [e["data"]["stream"] for e in events if e["type"] == "tool.output.delta"]
    assert set(stderr) == {"stderr"}
    assert [e["type"] for e in events[-2:]] == ["turn.failed", "session.idled"]
    assert events[-2]["data"]["error_code"] == "integration_auth_failed"
    assert "turn.completed" not in {e["type"] for e in events}
    assert api.get(f"/sessions/{session}/events/summary").json()["error_count"] == 2


def test_guardrail_replaces_the_streamed_answer(api):
    _, events = finished_turn(api, "What is the database password?")
    replaced = next(e for e in events if e["type"] == "output.message.replaced")["data"]
    completed = next(e for e in events if e["type"] == "output.message.completed")["data"]
    assert replaced["message_id"] == completed["message"]["id"]
    assert replaced["replacement"].startswith("I can't share credentials")
    done = next(e for e in events if e["type"] == "turn.completed")["data"]
    assert done["final_answer_preview"] == replaced["replacement"]


def test_client_tool_pauses_until_tool_results(api):
    session = api.session()
    conflict = api.post(
        f"/sessions/{session}/tool-results", {"tool_results": [{"tool_call_id": "x"}]}
    )
    assert (
        conflict.status_code == 409
        and "not waiting for tool results" in conflict.json()["error"]["message"]
    )
    api.send(session, "[scenario:client-tool]")
    got = api.sse(session, {"after_sequence": 0}, until=has("tool.call_requested"))
    requested = got.session_events[-1]["data"]["tool_calls"]
    assert requested[0]["name"] == "calendar_lookup" and requested[0]["arguments"] == {
        "date": "2026-05-04"
    }
    assert api.status(session) == "waitingfortoolresults"
    unknown = api.post(
        f"/sessions/{session}/tool-results", {"tool_results": [{"tool_call_id": "call_x"}]}
    )
    assert unknown.status_code == 400
    body = {
        "tool_results": [{"tool_call_id": requested[0]["id"], "result": {"events": ["standup"]}}]
    }
    accepted = api.post(f"/sessions/{session}/tool-results", body)
    assert accepted.json() == {"accepted": 1, "status": "active"}
    rest = api.sse(session, {"since_id": got.session_events[-1]["id"]}, until=has("session.idled"))
    assert rest.types[1:3] == ["tool.completed", "act.completed"] and "turn.completed" in rest.types
    assert rest.session_events[0]["data"]["result"] == [
        {"type": "text", "text": '{"events": ["standup"]}'}
    ]


@pytest.mark.parametrize(("decision", "succeeded"), [("allow", True), ("reject", False)])
def test_approval_gate_and_tool_approvals(api, decision, succeeded):
    session = api.session()
    api.send(session, "[scenario:approval]")
    got = api.sse(session, {"after_sequence": 0}, until=has("tool.call_requested"))
    gated = [e for e in got.session_events if e["type"] == "tool.completed"][-1]["data"]
    assert gated["tool_name"] == "gmail_send" and gated["error"].startswith(
        "tool_approval_required"
    )
    request = got.session_events[-1]["data"]["tool_calls"][0]
    assert request["name"] == "approve_tool_call" and request["id"].startswith("tool_approval_")
    approvals = f"/sessions/{session}/tool-approvals"
    assert api.post(f"/sessions/{session}/question-answers", {}).status_code == 404
    wrong = api.post(
        approvals, {"decisions": [{"tool_call_id": "tool_approval_x", "decision": "allow"}]}
    )
    assert wrong.status_code == 404
    bad = api.post(approvals, {"decisions": [{"tool_call_id": request["id"], "decision": "maybe"}]})
    assert bad.status_code == 422
    answer = api.post(
        approvals, {"decisions": [{"tool_call_id": request["id"], "decision": decision}]}
    )
    assert answer.json() == {
        "resolved": [{"tool_call_id": request["id"], "tool": "gmail_send", "outcome": decision}],
        "status": "active",
    }
    api.wait_status(session, "idle")
    rest = api.events(session, since_id=got.session_events[-1]["id"])
    retried = [e["data"] for e in rest if e["type"] == "tool.completed"][-1]
    assert retried["tool_name"] == "gmail_send" and retried["success"] is succeeded
    assert api.post(approvals, {"decisions": []}).status_code == 409


def test_question_pauses_until_answered(api, agent):
    session = agent.session()
    agent.send(session, "Which segment should the report cover?")
    got = agent.sse(session, {"after_sequence": 0}, until=has("tool.call_requested"))
    call = got.session_events[-1]["data"]["tool_calls"][0]
    question = call["arguments"]["questions"][0]
    assert call["name"] == "ask_user" and [o["label"] for o in question["options"]] == [
        "Enterprise",
        "SMB",
    ]
    assert [q["id"] for q in agent.get(f"/sessions/{session}").json()["pending_questions"]] == [
        call["id"]
    ]
    answers = f"/sessions/{session}/question-answers"
    invalid = agent.post(answers, {"answers": [{"id": question["id"], "selected": ["Mid-market"]}]})
    assert invalid.status_code == 400
    ok = agent.post(
        answers,
        {"tool_call_id": call["id"], "answers": [{"id": question["id"], "selected": ["SMB"]}]},
    )
    assert ok.json() == {"status": "answered", "answered_by": "user", "session_status": "active"}
    agent.wait_status(session, "idle")
    result = next(e for e in agent.events(session) if e["type"] == "tool.completed")["data"][
        "result"
    ]
    assert '"selected": ["SMB"]' in result[0]["text"]
    assert agent.post(answers, {"answers": []}).status_code == 409


def test_cancel_and_a_message_that_steers(emulator_factory):
    slow = Scenario("slow", [say("Working on it."), sleep(30), say("never said")])
    emulator = emulator_factory("everruns", scenarios=[slow])
    api = Api(emulator)
    session = api.session()
    api.send(session, "[scenario:slow]")
    api.sse(session, {"after_sequence": 0}, until=has("output.message.completed"))
    steer = api.send(session, "Also check the spam folder")
    assert steer.status_code == 201 and api.status(session) == "active"
    assert api.post(f"/sessions/{session}/cancel").json()["status"] == "cancelled"
    events = api.events(session)
    assert [e["type"] for e in events[-3:]] == ["input.message", "turn.cancelled", "session.idled"]
    assert events[-2]["data"]["reason"] == "User requested"
    assert api.post(f"/sessions/{session}/cancel").status_code == 409
    api.close()


def test_a_message_while_waiting_abandons_the_pending_call(api):
    session = api.session()
    api.send(session, "[scenario:client-tool]")
    api.wait_status(session, "waitingfortoolresults")
    api.send(session, "Never mind, just say hi")
    api.wait_status(session, "idle")
    kinds = [e["type"] for e in api.events(session)]
    at = kinds.index("transcript.repaired")
    assert kinds[at : at + 4] == [
        "transcript.repaired",
        "tool.completed",
        "turn.cancelled",
        "session.idled",
    ]
    assert kinds.count("turn.completed") == 1 and kinds[-1] == "session.idled"


def test_idempotency_key_returns_the_first_answer(agent):
    session = agent.session()
    key = {"Idempotency-Key": "send-1"}
    first = agent.send(session, "[scenario:question]", headers=key)
    again = agent.send(session, "[scenario:question]", headers=key)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert again.headers["Idempotent-Replay"] == "true"
    assert agent.send(session, "something else", headers=key).status_code == 409
    turns = [e for e in agent.events(session) if e["type"] == "turn.started"]
    assert len(turns) == 1
    created = [
        agent.post("/sessions", {"title": "t"}, headers={"Idempotency-Key": "s"}) for _ in range(2)
    ]
    assert created[0].json()["id"] == created[1].json()["id"]


def test_agent_api_list_events_pages_by_sequence(agent):
    session, _ = finished_turn(agent, "Triage")
    page = agent.events(session, after_sequence=3, limit=5)
    assert [e["sequence"] for e in page] == [4, 5, 6, 7, 8]
    assert agent.get(f"/sessions/{session}/events", params={"limit": 501}).status_code == 400
    assert agent.get("/sessions").json()["data"][0]["id"] == session
    assert agent.get("").json()["streaming"] is True


def test_management_list_filters_and_paging(api):
    session, logged = finished_turn(api, "Triage my inbox")
    newest = api.events(session, limit=3)
    assert newest == logged[-3:]
    assert api.events(session, after_sequence=2, limit=2) == logged[2:4]
    assert api.events(session, order_desc="true", limit=2) == logged[:-3:-1]
    tools = api.events(session, tool_name="zendesk_get_ticket")
    assert {e["type"] for e in tools} >= {"tool.started", "tool.completed"}
    assert all(
        e["data"].get("tool_name", "zendesk_get_ticket") == "zendesk_get_ticket" for e in tools
    )
    anchor = logged[10]["id"]
    assert api.events(session, around=anchor, window=1) == logged[9:12]
    assert len(api.events(session, q="ACME-1042")) >= 2
    turn = logged[3]["data"]["turn_id"]
    assert len(api.events(session, turn_id=turn)) == len(logged) - 2
    summary = api.get(f"/sessions/{session}/events/summary").json()
    structure(summary, everruns.EventsSummary, strict=True)
    assert summary["total"] == len(logged) and summary["turn_count"] == 1
    listed = api.get("/sessions", params={"search": ""}).json()
    structure(listed, everruns.SessionList, strict=True)
    assert listed["total"] == 1 and listed["data"][0]["status"] == "idle"
    messages = api.get(f"/sessions/{session}/messages").json()["data"]
    assert [m["role"] for m in messages] == ["user", "agent"]


def test_auth_errors_and_not_found_use_the_envelope(everruns_emulator, api, agent):
    def envelope(response, status: int, code: str) -> None:
        assert response.status_code == status, response.text
        structure(response.json(), everruns.ErrorEnvelope, strict=True)
        assert response.json()["error"]["code"] == code and response.headers["X-Request-Id"]

    base = everruns_emulator.base_url
    envelope(httpx.get(base + "/v1/sessions"), 401, "unauthorized")
    envelope(
        httpx.get(base + "/v1/sessions", headers={"Authorization": "nope"}), 401, "unauthorized"
    )
    bearer = httpx.get(
        base + "/v1/sessions", headers={"Authorization": "Bearer test-key", "X-Org-Id": "org_1"}
    )
    assert bearer.status_code == 200
    envelope(
        httpx.get(everruns_emulator.agent_url + "/sessions", headers={"Authorization": "test-key"}),
        401,
        "unauthorized",
    )
    wrong_channel = everruns_emulator.base_url + "/v1/channels/apichan_" + "0" * 32 + "/sessions"
    envelope(
        httpx.get(wrong_channel, headers={"Authorization": "Bearer test-key"}), 404, "not_found"
    )
    envelope(api.get("/sessions/session_" + "a" * 32), 404, "not_found")
    envelope(api.get("/sessions/nonsense/events"), 404, "not_found")
    envelope(api.post("/sessions/session_1/messages", text_message("hi")), 404, "not_found")
    envelope(api.get("/no/such/path"), 404, "not_found")
    session = api.session()
    envelope(
        api.client.post(f"{api.base}/sessions/{session}/messages", content=b"{no"),
        400,
        "invalid_body",
    )
    envelope(
        api.post(f"/sessions/{session}/messages", {"message": {"role": "user"}}),
        422,
        "validation_error",
    )
    envelope(api.send(session, "[scenario:nope]"), 422, "unknown_scenario")
    huge = text_message("x" * (1 << 20))
    envelope(api.post(f"/sessions/{session}/messages", huge), 413, "payload_too_large")
    # An end user only sees its own sessions on the agent API.
    alice = Api(everruns_emulator, agent=True, **{"End-User": "alice"})
    mine = alice.session()
    assert alice.get(f"/sessions/{mine}").status_code == 200
    envelope(agent.get(f"/sessions/{mine}"), 404, "not_found")
    alice.close()


def test_restart_on_the_same_database_keeps_history(tmp_path):
    from agentstream.testing import EverrunsEmulator

    database = tmp_path / "everruns.sqlite3"
    slow = Scenario("slow", [say("Working."), sleep(30)])
    with EverrunsEmulator(database=database, scenarios=[slow]) as first:
        api = Api(first)
        done, logged = finished_turn(api, "Triage my inbox")
        parked = api.session()
        api.send(parked, "[scenario:approval]")
        api.wait_status(parked, "waitingfortoolresults")
        busy = api.session()
        api.send(busy, "[scenario:slow]")
        api.sse(busy, {"after_sequence": 0}, until=has("output.message.completed"))
        api.close()
    with EverrunsEmulator(database=database, scenarios=[slow]) as second:
        api = Api(second)
        assert api.events(done) == logged and second.events(done) == logged
        resumed = api.sse(done, {"since_id": logged[5]["id"]}, until=has("session.idled"))
        assert resumed.session_events == logged[6:]
        request = api.events(parked)[-1]["data"]["tool_calls"][0]["id"]
        body = {"decisions": [{"tool_call_id": request, "decision": "allow"}]}
        assert api.post(f"/sessions/{parked}/tool-approvals", body).status_code == 200
        api.wait_status(parked, "idle")
        lost = api.events(busy)
        assert [e["type"] for e in lost[-2:]] == ["turn.failed", "session.idled"]
        assert lost[-2]["data"]["error_code"] == "runner_restarted"
        # New ids still sort after the old ones.
        again = api.send(done, "hi")
        assert again.status_code == 201
        api.wait_status(done, "idle")
        ids = [e["id"] for e in api.events(done)]
        assert ids == sorted(ids) and len(ids) > len(logged)
        api.close()


def test_faults_on_the_event_stream(everruns_emulator, api):
    session, logged = finished_turn(api, "Triage my inbox")
    everruns_emulator.faults = Faults(status=503, retry_after=2, times=1)
    refused = api.sse(session, {"after_sequence": 0})
    assert refused.status == 503 and refused.headers["Retry-After"] == "2"
    assert b'"code":"service_unavailable"' in refused.raw
    bent = api.sse(
        session,
        {"after_sequence": 0},
        until=has("session.idled"),
        headers={"X-Emulator-Faults": "bom=1,crlf=1,split=7"},
    )
    assert bent.raw.startswith(b"\xef\xbb\xbfevent: connected\r\n")
    assert bent.session_events == logged
    cut = api.sse(
        session, {"after_sequence": 0}, headers={"X-Emulator-Faults": "drop_after_bytes=300"}
    )
    assert cut.error is not None and len(cut.raw) == 300
    started = time.monotonic()
    stalled = api.sse(
        session,
        {"after_sequence": 0},
        headers={"X-Emulator-Faults": "stall_after_events=2,stall_seconds=0.3"},
    )
    assert stalled.error is not None and time.monotonic() - started >= 0.3
    assert stalled.types == ["connected", "session.started"]
    bad = api.sse(session, headers={"X-Emulator-Faults": "explode=1"})
    assert bad.status == 400


def test_stop_is_bounded_with_streams_open(emulator_factory):
    emulator = emulator_factory("everruns")
    api = Api(emulator)
    session = api.session()
    results = []

    def read() -> None:
        results.append(api.sse(session))

    reader = threading.Thread(target=read)
    reader.start()
    time.sleep(0.2)
    started = time.monotonic()
    emulator.stop()
    reader.join(5)
    assert time.monotonic() - started < 3 and results and results[0].error is not None
    api.close()
