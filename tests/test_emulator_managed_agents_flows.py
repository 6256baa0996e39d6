"""The Managed Agents emulator's turns and faults: every scenario step in the platform's
vocabulary, the pauses for custom tools and confirmations, interrupt, failure, usage,
and the framework's faults on its streams and JSON endpoints (PROVIDERS.md §3)."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from agentstream import SSEDecoder
from agentstream.testing import FAULTS_HEADER, Faults
from tests.test_emulator_managed_agents import (
    HEADERS,
    LOOKUP,
    SLOW,
    Api,
    error_of,
    strict,
    text,
    wait_idle,
)

DEMO_TYPES = [
    "user.message",
    "session.status_running",
    "span.model_request_start",
    "agent.thinking",
    *["agent.tool_use", "agent.tool_result"] * 2,
    "agent.message",
    "span.model_request_end",
    "session.usage",
    "session.status_idle",
]


@pytest.fixture
def emulator(emulator_factory):
    return emulator_factory("managed-agents", scenarios=[LOOKUP, SLOW], keepalive_interval=0.2)


@pytest.fixture
def api(emulator):
    with httpx.Client(base_url=emulator.base_url, headers=HEADERS, timeout=10) as client:
        yield Api(client)


def turn(api: Api, message: str, reason: str = "end_turn") -> tuple[str, list[dict[str, Any]]]:
    """A new session that ran `message` until it stopped: its id and its events."""
    session = api.create()
    with api.stream(session["id"]) as reader:
        api.send(session["id"], text(message))
        events = reader.until("session.status_idle", reason)
    return session["id"], events


def of(events: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [event for event in events if event["type"] == kind]


def test_the_demo_turn_in_the_platforms_vocabulary(api):
    session_id, events = turn(api, "Triage my inbox")
    assert [e["type"] for e in events] == DEMO_TYPES
    uses, results = of(events, "agent.tool_use"), of(events, "agent.tool_result")
    assert [u["name"] for u in uses] == ["gmail_search", "zendesk_get_ticket"]
    assert all(u["evaluated_permission"] == "allow" for u in uses)
    assert [r["tool_use_id"] for r in results] == [u["id"] for u in uses]
    assert results[1]["is_error"] is False and '"ACME-1042"' in results[1]["content"][0]["text"]
    [start], [end] = of(events, "span.model_request_start"), of(events, "span.model_request_end")
    assert end["model_request_start_id"] == start["id"]
    assert (end["model_usage"]["input_tokens"], end["model_usage"]["output_tokens"]) == (5120, 730)
    [usage] = of(events, "session.usage")
    assert usage["usage"]["input_tokens"] == 5120 and usage["usage"]["output_tokens"] == 730
    session = api.client.get(f"/v1/sessions/{session_id}").json()
    assert session["status"] == "idle" and session["usage"]["output_tokens"] == 730
    assert api.history(session_id) == events


def test_a_custom_tool_pauses_the_session_until_its_result(api):
    session_id, events = turn(api, "[scenario:lookup] how many?", "requires_action")
    [call] = of(events, "agent.custom_tool_use")
    assert (call["name"], call["input"]) == ("count_tickets", {"queue": "support"})
    assert events[-1]["stop_reason"] == {"type": "requires_action", "event_ids": [call["id"]]}
    assert api.client.get(f"/v1/sessions/{session_id}").json()["status"] == "idle"
    path = f"/v1/sessions/{session_id}/events"
    wrong = {"type": "user.custom_tool_result", "custom_tool_use_id": "sevt_other"}
    error_of(api.client.post(path, json={"events": [wrong]}), 400, "invalid_request_error")
    confirm = {"type": "user.tool_confirmation", "tool_use_id": call["id"], "result": "allow"}
    error_of(api.client.post(path, json={"events": [confirm]}), 400, "invalid_request_error")
    with api.stream(session_id) as reader:
        answer = {"type": "user.custom_tool_result", "custom_tool_use_id": call["id"]}
        api.send(session_id, answer | {"content": [{"type": "text", "text": "42"}]})
        rest = reader.until("session.status_idle")
    assert [e["type"] for e in rest][:2] == ["user.custom_tool_result", "session.status_running"]
    assert of(rest, "agent.message")[0]["content"] == [{"type": "text", "text": "Done."}]
    assert rest[-1]["stop_reason"] == {"type": "end_turn"}


@pytest.mark.parametrize("verdict", ["allow", "deny"])
def test_tool_confirmation_allow_runs_the_tool_and_deny_refuses_it(api, verdict):
    session_id, events = turn(api, "Send the weekly report", "requires_action")
    [call] = of(events, "agent.tool_use")
    assert call["name"] == "gmail_send" and call["evaluated_permission"] == "ask"
    assert call["evaluation"] == {"type": "always_ask"}
    assert events[-1]["stop_reason"]["event_ids"] == [call["id"]]
    assert events[-2]["type"] == "span.model_request_end"
    confirmation = {"type": "user.tool_confirmation", "tool_use_id": call["id"], "result": verdict}
    if verdict == "deny":
        confirmation["deny_message"] = "Use staging instead"
    with api.stream(session_id) as reader:
        api.send(session_id, confirmation)
        rest = reader.until("session.status_idle")
    assert [e["type"] for e in rest][:3] == [
        "user.tool_confirmation",
        "session.status_running",
        "agent.tool_result",
    ]
    result = rest[2]
    assert result["tool_use_id"] == call["id"]
    if verdict == "allow":
        assert result["is_error"] is False
        assert result["content"] == [{"type": "text", "text": "Message sent (id msg_5521)"}]
    else:
        assert result["is_error"] is True and "Use staging instead" in result["content"][0]["text"]
    assert rest[-1]["stop_reason"] == {"type": "end_turn"}


def test_a_question_is_a_custom_tool_call_answered_like_one(api):
    session_id, events = turn(api, "Which segment?", "requires_action")
    [call] = of(events, "agent.custom_tool_use")
    assert call["name"] == "AskUserQuestion"
    [question] = call["input"]["questions"]
    assert [o["label"] for o in question["options"]] == ["Enterprise", "SMB"]
    answer = {"type": "user.custom_tool_result", "custom_tool_use_id": call["id"]}
    api.send(session_id, answer | {"content": [{"type": "text", "text": "SMB"}]})
    assert of(wait_idle(api, session_id), "agent.message")[-1]["content"][0]["text"].startswith(
        "Thanks"
    )


def test_failure_is_a_terminal_session_error_then_terminated(api):
    session = api.create()
    with api.stream(session["id"]) as reader:
        api.send(session["id"], text("My expired token"))
        events = reader.until("session.status_terminated")
    [result] = of(events, "agent.tool_result")
    assert result["is_error"] is True and result["content"][0]["text"] == "Gmail token expired"
    [end] = of(events, "span.model_request_end")
    assert end["is_error"] is True
    [error] = of(events, "session.error")
    assert error["error"] == {
        "type": "unknown_error",
        "message": "Gmail token expired",
        "retry_status": {"type": "terminal"},
    }
    assert events[-2:] == [error, events[-1]]
    assert api.client.get(f"/v1/sessions/{session['id']}").json()["status"] == "terminated"
    path = f"/v1/sessions/{session['id']}/events"
    error_of(api.client.post(path, json={"events": [text("again")]}), 409, "invalid_request_error")


def test_interrupt_stops_the_running_turn(api):
    session = api.create()
    with api.stream(session["id"]) as reader:
        api.send(session["id"], text("[scenario:slow] go"))
        reader.until("agent.message")
        api.send(session["id"], {"type": "user.interrupt"})
        rest = reader.until("session.status_idle")
    assert [e["type"] for e in rest] == [
        "user.interrupt",
        "span.model_request_end",
        "session.status_idle",
    ]
    assert rest[1]["is_error"] is True and rest[2]["stop_reason"] == {"type": "end_turn"}
    time.sleep(0.05)
    assert api.history(session["id"])[-1] == rest[-1]  # nothing after the interrupt
    assert api.client.get(f"/v1/sessions/{session['id']}").json()["status"] == "idle"


def test_a_message_sent_while_running_is_queued_behind_the_turn(api):
    session = api.create()
    with api.stream(session["id"]) as reader:
        api.send(session["id"], text("Triage my inbox"), text("Triage again"))
        reader.until("session.status_idle")
        second = reader.until("session.status_idle")
    assert [e["type"] for e in second][:2] == ["session.status_running", "span.model_request_start"]


# Faults ------------------------------------------------------------------------------


def raw_stream(api: Api, session_id: str, message: str, faults: str | None) -> tuple[bytes, bool]:
    """The stream's bytes while `message` runs, and whether the body ended cleanly."""
    headers = {FAULTS_HEADER: faults} if faults else {}
    body, clean = b"", True
    path = f"/v1/sessions/{session_id}/events/stream"
    with api.client.stream("GET", path, headers=headers) as response:
        assert response.status_code == 200
        api.send(session_id, text(message))
        try:
            for chunk in response.iter_raw():
                body += chunk
                if b"session.status_idle" in body and body.endswith((b"\n\n", b"\r\n\r\n")):
                    break
        except httpx.RemoteProtocolError:
            clean = False
    return body, clean


def decoded(body: bytes) -> list[dict[str, Any]]:
    return [strict(item.json()) for item in SSEDecoder().feed(body) if item.event != "ping"]


def test_drop_after_events_cuts_the_body_without_its_end(api):
    session = api.create()
    body, clean = raw_stream(api, session["id"], "Triage my inbox", "drop_after_events=2")
    assert not clean
    assert [e["type"] for e in decoded(body)] == ["user.message", "session.status_running"]


def test_drop_after_bytes_stops_mid_frame(api):
    session = api.create()
    body, clean = raw_stream(api, session["id"], "Triage my inbox", "drop_after_bytes=40")
    assert not clean and len(body) == 40 and decoded(body) == []


def test_split_bom_and_crlf_change_the_bytes_not_the_events(api):
    session = api.create()
    plain, _ = raw_stream(api, session["id"], "Triage my inbox", None)
    other = api.create()
    body, clean = raw_stream(api, other["id"], "Triage my inbox", "split=7,bom=1,crlf=1")
    assert clean and body.startswith("\ufeff".encode()) and b"\r\n" in body
    types = [e["type"] for e in decoded(body)]
    assert types == [e["type"] for e in decoded(plain)] and types[-1] == "session.status_idle"


def test_stall_sends_nothing_not_even_pings_then_drops(api):
    session = api.create()
    started = time.monotonic()
    body, clean = raw_stream(api, session["id"], "Triage", "stall_after_events=1,stall_seconds=0.6")
    assert not clean and 0.5 < time.monotonic() - started < 5
    assert [e["type"] for e in decoded(body)] == ["user.message"] and b"ping" not in body


def test_error_statuses_with_retry_after_on_streams_and_json(api, emulator):
    session = api.create()
    path = f"/v1/sessions/{session['id']}/events/stream"
    emulator.faults = Faults(status=503, retry_after=2, times=1)
    with api.client.stream("GET", path) as response:
        response.read()
        assert response.headers["retry-after"] == "2"
        error_of(response, 503, "api_error")
    with api.client.stream("GET", path) as response:
        assert response.status_code == 200  # `times` is spent
    emulator.faults = None
    limited = api.client.post(
        "/v1/sessions",
        json={"agent": "a", "environment_id": "e"},
        headers={FAULTS_HEADER: "status=429,retry_after=3"},
    )
    assert limited.headers["retry-after"] == "3"
    error_of(limited, 429, "rate_limit_error")
    bad = api.client.get(path, headers={FAULTS_HEADER: "explode=1"})
    error_of(bad, 400, "invalid_request_error")


def test_interrupt_while_waiting_drops_the_required_action(api):
    session_id, events = turn(api, "Send the weekly report", "requires_action")
    [call] = of(events, "agent.tool_use")
    sent = api.send(session_id, {"type": "user.interrupt"})
    history = api.history(session_id)
    assert history[-2] == sent[0] and history[-1]["stop_reason"] == {"type": "end_turn"}
    confirm = {"type": "user.tool_confirmation", "tool_use_id": call["id"], "result": "allow"}
    path = f"/v1/sessions/{session_id}/events"
    error_of(api.client.post(path, json={"events": [confirm]}), 400, "invalid_request_error")


def test_a_turn_cut_by_a_restart_ends_with_retries_exhausted(emulator_factory, tmp_path):
    database = tmp_path / "ma.sqlite"
    first = emulator_factory("managed-agents", database=database, scenarios=[SLOW])
    with httpx.Client(base_url=first.base_url, headers=HEADERS, timeout=10) as client:
        session = Api(client).create()
        with Api(client).stream(session["id"]) as reader:
            Api(client).send(session["id"], text("[scenario:slow] go"))
            reader.until("agent.message")
    first.stop()
    second = emulator_factory("managed-agents", database=database, scenarios=[SLOW])
    with httpx.Client(base_url=second.base_url, headers=HEADERS, timeout=10) as client:
        api = Api(client)
        history = api.history(session["id"])
        assert [e["type"] for e in history[-3:]] == [
            "span.model_request_end",
            "session.error",
            "session.status_idle",
        ]
        assert history[-2]["error"]["retry_status"] == {"type": "exhausted"}
        assert history[-1]["stop_reason"] == {"type": "retries_exhausted"}
        assert client.get(f"/v1/sessions/{session['id']}").json()["status"] == "idle"
        api.send(session["id"], text("Triage my inbox"))  # the session goes on
        wait_idle(api, session["id"])
