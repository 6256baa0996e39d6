"""The m8tes emulator against the platform's documentation, over loopback, with raw
requests (PROVIDERS.md §2): frames, headers, run JSON, flows and error envelopes."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from agentstream import ServerSentEvent, SSEDecoder
from agentstream._converter import structure, structure_event
from agentstream.testing import Scenario, say, sleep
from agentstream.types import m8tes

AUTH = {"Authorization": "Bearer test-key"}

# The demo turn, consecutive repeats folded: what PROVIDERS.md §2.2/2.3 describe.
DEMO_SHAPE = [
    "metadata",
    *["reasoning-start", "reasoning-delta", "reasoning-end"],
    *[
        "tool-call-start",
        "tool-call-delta",
        "tool-call-end",
        "tool-result-start",
        "tool-result-end",
    ],
    *[
        "tool-call-start",
        "tool-call-delta",
        "tool-call-end",
        "tool-result-start",
        "tool-result-end",
    ],
    *["text-start", "text-delta", "text-end"],
    *["metadata", "run_metrics", "done"],
]


def decode(decoder: SSEDecoder, chunk: bytes) -> Iterator[dict[str, Any]]:
    """The frames `chunk` completes, each validated strictly against its generated class."""
    for item in decoder.feed(chunk):
        assert type(item) is ServerSentEvent and item.event == "message"
        frame = json.loads(item.data)
        structure_event("m8tes", frame, strict=True)
        yield frame


def iter_frames(response: requests.Response) -> Iterator[dict[str, Any]]:
    # One iter_content generator per response: closing an abandoned one closes the
    # connection, so the caller keeps this iterator for the whole stream.
    decoder = SSEDecoder()
    for chunk in response.iter_content(None):
        yield from decode(decoder, chunk)


def until(frames: Iterator[dict[str, Any]], frame_type: str) -> list[dict[str, Any]]:
    """The frames up to and including the first of `frame_type`."""
    seen = []
    for frame in frames:
        seen.append(frame)
        if frame["type"] == frame_type:
            return seen
    raise AssertionError(f"the stream ended before a {frame_type!r} frame")


def shape(frames: list[dict[str, Any]]) -> list[str]:
    return [kind for kind, _ in itertools.groupby(frame["type"] for frame in frames)]


class Api:
    """requests, authenticated, with paths relative to the emulator's base URL."""

    def __init__(self, session: requests.Session, base: str) -> None:
        self.session = session
        self.base = base

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.get(self.base + path, **kwargs)

    def post(
        self, path: str, body: dict[str, Any] | None = None, **kwargs: Any
    ) -> requests.Response:
        return self.session.post(self.base + path, json=body, **kwargs)

    def stream(self, path: str, body: dict[str, Any], **kwargs: Any) -> requests.Response:
        return self.session.post(self.base + path, json=body, stream=True, **kwargs)

    def run(self, run_id: int) -> dict[str, Any]:
        data = self.get(f"/runs/{run_id}").json()
        structure(data, m8tes.Run, strict=True)
        return data


@pytest.fixture
def api(m8tes_emulator):
    with requests.Session() as session:
        session.headers.update(AUTH)
        yield Api(session, m8tes_emulator.base_url)


def demo(api: Api) -> tuple[requests.Response, bytes, list[dict[str, Any]]]:
    with api.stream("/runs/", {"message": "Triage my inbox"}) as response:
        raw = response.content
    return response, raw, list(decode(SSEDecoder(), raw))


def test_demo_stream_is_the_documented_frame_sequence(api):
    response, raw, frames = demo(api)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    # Data-only frames, `data: {json}` and a blank line, nothing else on the wire.
    assert raw.startswith(b'data: {"type": "metadata", "payload": {"run_id": ')
    assert {line.split(b":")[0] for line in raw.split(b"\n") if line} == {b"data"}
    assert shape(frames) == DEMO_SHAPE
    assert frames[0]["payload"] == {"run_id": int(response.headers["X-Run-Id"])}
    calls = [f for f in frames if f["type"] == "tool-call-start"]
    assert [(c["toolName"], c["toolCallId"]) for c in calls] == [
        ("gmail_search", "tc_1"),
        ("zendesk_get_ticket", "tc_2"),
    ]
    pieces = [
        f["delta"] for f in frames if f["type"] == "tool-call-delta" and f["toolCallId"] == "tc_1"
    ]
    assert len(pieces) > 1  # the input JSON is streamed in pieces
    assert json.loads("".join(pieces)) == {"query": "is:unread label:support", "max_results": 10}
    deltas = [f["delta"] for f in frames if f["type"] == "text-delta"]
    assert all(1 <= len(d) <= 20 for d in deltas) and len(deltas) > 10
    assert {f["id"] for f in frames if f["type"].startswith("text-")} == {"txt_1"}
    assert frames[-2]["stop_reason"] == "end_turn" and frames[-2]["input_tokens_used"] == 5120
    assert frames[-1] == {
        "type": "done",
        "stop_reason": "end_turn",
        "completion_state": "complete",
        "unresolved_tool_use_ids": [],
    }


def test_the_finished_run_has_output_and_usage(api):
    response, _, frames = demo(api)
    run = api.run(int(response.headers["X-Run-Id"]))
    assert run["status"] == "completed" and run["stop_reason"] == "end_turn"
    assert run["output"] == "".join(f["delta"] for f in frames if f["type"] == "text-delta")
    assert run["usage"] == {
        "input_tokens": 5120,
        "output_tokens": 730,
        "cache_read_tokens": 0,
        "cache_creation_tokens": 0,
        "total_tokens": 5850,
        "cost_usd": "0.0263",
    }
    assert run["created_at"].endswith("Z") and run["error"] is None


def test_non_streaming_create_answers_the_running_run(api):
    response = api.post("/runs/", {"message": "Triage my inbox", "stream": False})
    run = response.json()
    structure(run, m8tes.Run, strict=True)
    assert response.status_code == 200 and run["status"] == "running" and run["output"] is None
    with api.get(f"/runs/{run['id']}/stream", stream=True) as joined:
        list(iter_frames(joined))  # wait for the end without polling
    assert api.run(run["id"])["status"] == "completed"


def test_idempotency_key_replays_the_same_run(api):
    key = {"Idempotency-Key": "job-7"}
    body = {"message": "Send the weekly report [scenario:approval]"}
    with api.stream("/runs/", body, headers=key) as first:
        until(iter_frames(first), "awaiting_approval")
        again = api.post("/runs/", body, headers=key)
        assert again.status_code == 200 and again.headers["Idempotent-Replay"] == "true"
        assert again.json()["id"] == int(first.headers["X-Run-Id"])
        assert again.json()["status"] == "awaiting_approval"
        reused = api.post("/runs/", {"message": "other"}, headers=key)
        assert (
            reused.status_code == 409 and reused.json()["error"]["code"] == "idempotency_key_reuse"
        )
        api.post(f"/runs/{again.json()['id']}/cancel")
    finished = api.post("/runs/", body, headers=key)
    assert finished.status_code == 409
    assert finished.json()["error"]["code"] == "idempotent_replay_terminal"


def test_join_replays_the_turn_from_its_start_then_goes_live(api):
    body = {"message": "[scenario:approval]"}
    with api.stream("/runs/", body) as created:
        original = iter_frames(created)
        before = until(original, "awaiting_approval")
        run_id = before[0]["payload"]["run_id"]
        with api.get(f"/runs/{run_id}/stream", stream=True) as joined:
            assert joined.headers["X-Run-Id"] == str(run_id)
            replay = iter_frames(joined)
            assert until(replay, "replay_complete") == [*before, {"type": "replay_complete"}]
            gate = before[-1]["request_id"]
            decision = {"request_id": gate, "decision": "allow", "remember": False}
            api.post(f"/runs/{run_id}/approve", decision)
            live_after_join = list(replay)
        rest = list(original)
    assert live_after_join == rest and rest[-1]["type"] == "done"


def test_joining_a_finished_run_is_409_and_an_unknown_one_404(api):
    run_id = api.post("/runs/", {"message": "hi", "stream": False}).json()["id"]
    with api.get(f"/runs/{run_id}/stream", stream=True) as joined:
        list(iter_frames(joined))
    finished = api.get(f"/runs/{run_id}/stream")
    assert finished.status_code == 409 and finished.json()["error"]["code"] == "run_not_active"
    assert api.get("/runs/999/stream").status_code == 404


@pytest.mark.parametrize(
    ("decision", "result"),
    [
        ("allow", "Message sent (id msg_5521)"),
        ("deny", {"error": "Permission denied by the user: not today"}),
    ],
)
def test_approval_pauses_the_run_until_decided(api, decision, result):
    with api.stream("/runs/", {"message": "Send the weekly report"}) as response:
        frames = iter_frames(response)
        gate = until(frames, "awaiting_approval")
        run_id, call_id = gate[0]["payload"]["run_id"], gate[-1]["tool_use_id"]
        assert gate[-2] == {
            "type": "permission_request",
            "request_id": "perm_1",
            "tool_use_id": call_id,
        }
        assert api.run(run_id)["status"] == "awaiting_approval"
        pending = api.get(f"/runs/{run_id}/permissions").json()
        structure(pending[0], m8tes.PermissionRequest, strict=True)
        assert pending[0]["status"] == "pending" and pending[0]["tool_name"] == "gmail_send"
        body = {
            "request_id": "perm_1",
            "decision": decision,
            "remember": False,
            "reason": "not today",
        }
        answer = api.post(f"/runs/{run_id}/approve", body).json()
        assert (
            answer["status"] == ("allowed" if decision == "allow" else "denied")
            and answer["resumed"]
        )
        rest = list(frames)
    assert rest[0] == {"type": "permission_resolved", "request_id": "perm_1"}
    assert rest[2] == {"type": "tool-result-end", "toolCallId": call_id, "result": result}
    assert rest[-1]["type"] == "done" and api.run(run_id)["status"] == "completed"
    again = api.post(
        f"/runs/{run_id}/approve", {**body, "decision": "allow" if decision == "deny" else "deny"}
    )
    assert again.status_code == 409
    assert again.json()["error"]["details"] == {"error_code": "gate_resolved_otherwise"}


def test_remembered_approval_is_auto_allowed_next_time(api):
    with api.stream("/runs/", {"message": "[scenario:approval]"}) as response:
        frames = iter_frames(response)
        run_id = until(frames, "awaiting_approval")[0]["payload"]["run_id"]
        body = {"request_id": "perm_1", "decision": "allow", "remember": True}
        api.post(f"/runs/{run_id}/approve", body)
        list(frames)
    with api.stream("/runs/", {"message": "[scenario:approval]"}) as response:
        second = list(iter_frames(response))
    assert "awaiting_approval" not in shape(second) and "permission_auto_allowed" in shape(second)


def test_question_pauses_until_answered(api):
    with api.stream("/runs/", {"message": "[scenario:question]"}) as response:
        frames = iter_frames(response)
        asked = until(frames, "awaiting_approval")
        run_id = asked[0]["payload"]["run_id"]
        assert asked[1]["toolName"] == "AskUserQuestion"
        gate = api.get(f"/runs/{run_id}/permissions").json()[0]
        question = gate["tool_input"]["questions"][0]
        assert [o["label"] for o in question["options"]] == ["Enterprise", "SMB"]
        answers = {question["question"]: "SMB"}
        reply = api.post(f"/runs/{run_id}/answer", {"answers": answers})
        assert reply.json() == {"status": "ok", "resumed": True}
        rest = list(frames)
    assert rest[2]["result"] == {"answers": answers} and rest[-1]["type"] == "done"
    late = api.post(f"/runs/{run_id}/answer", {"answers": answers})
    assert late.status_code == 409 and late.json()["error"]["code"] == "run_not_awaiting"


def test_failure_ends_with_the_error_frame(api):
    with api.stream("/runs/", {"message": "[scenario:failure]"}) as response:
        frames = list(iter_frames(response))
    assert frames[-1] == {"type": "error", "error": "Gmail token expired"}
    assert "done" not in shape(frames) and "run_metrics" not in shape(frames)
    run = api.run(frames[0]["payload"]["run_id"])
    assert (run["status"], run["error"], run["error_code"]) == (
        "failed",
        "Gmail token expired",
        "integration_auth_failed",
    )
    assert run["failure_kind"] == "error" and run["can_continue"] is True


def test_cancel_ends_the_stream_with_a_cancelled_frame(emulator_factory):
    slow = Scenario("slow", [say("Working on it."), sleep(30), say("never said")])
    emulator = emulator_factory(scenarios=[slow])
    with requests.Session() as session:
        session.headers.update(AUTH)
        api = Api(session, emulator.base_url)
        with api.stream("/runs/", {"message": "[scenario:slow]"}) as response:
            frames = iter_frames(response)
            run_id = until(frames, "text-end")[0]["payload"]["run_id"]
            assert api.run(run_id)["status"] == "running"
            cancelled = api.post(f"/runs/{run_id}/cancel")
            assert cancelled.json()["status"] == "cancelled"
            assert list(frames) == [{"type": "cancelled"}]
        assert api.post(f"/runs/{run_id}/cancel").status_code == 409
        assert api.run(run_id)["can_continue"] is True


def test_reply_streams_a_new_turn_of_the_same_run(api):
    with api.stream("/runs/", {"message": "Triage my inbox"}) as response:
        first_turn = list(iter_frames(response))  # read to the end: the turn is over
    run_id = first_turn[0]["payload"]["run_id"]
    busy = api.post(f"/runs/{run_id}/reply", {"message": "[scenario:approval]", "stream": False})
    with api.stream(f"/runs/{run_id}/reply", {"message": "And the next one?"}) as response:
        assert busy.status_code == 200 and response.status_code == 409
    api.post(f"/runs/{run_id}/cancel")
    with api.stream(f"/runs/{run_id}/reply", {"message": "Thanks, triage again"}) as response:
        frames = list(iter_frames(response))
    assert response.headers["X-Run-Id"] == str(run_id) and shape(frames) == DEMO_SHAPE
    assert frames[0]["payload"] == {"run_id": run_id}
    run = api.run(run_id)
    assert run["status"] == "completed" and run["usage"]["input_tokens"] > 5120


def test_list_pages_newest_first(api):
    ids = [api.post("/runs/", {"message": "hi", "stream": False}).json()["id"] for _ in range(5)]
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"starting_after": cursor} if cursor else {})}
        page = api.get("/runs/", params=params).json()
        structure(page, m8tes.RunPage, strict=True)
        seen += [run["id"] for run in page["data"]]
        if not page["has_more"]:
            assert page["next_starting_after"] is None
            break
        cursor = page["next_starting_after"]
        assert cursor == page["data"][-1]["id"]
    assert seen == ids[::-1]
    assert api.get("/runs", params={"status": "nope"}).json()["data"] == []


def test_error_envelopes(api):
    def envelope(response: requests.Response, status: int, code: str) -> None:
        assert response.status_code == status, response.text
        error = response.json()["error"]
        assert error["code"] == code and error["message"]
        assert error["request_id"].startswith("req_")
        structure(response.json(), m8tes.ErrorEnvelope, strict=True)

    url = api.base + "/runs/"
    envelope(requests.post(url, json={"message": "hi"}), 401, "invalid_api_key")
    wrong = requests.get(url, headers={"Authorization": "Bearer m8_wrong"})
    envelope(wrong, 401, "invalid_api_key")
    assert wrong.headers["WWW-Authenticate"] == "Bearer"
    envelope(api.get("/runs/12345"), 404, "not_found")
    envelope(api.get("/nothing-here"), 404, "not_found")
    envelope(api.post("/runs/", {}), 422, "validation_error")
    envelope(api.post("/runs/", {"message": None}), 422, "validation_error")
    envelope(api.post("/runs/", {"message": "hi", "stream": "yes"}), 422, "validation_error")
    not_json = api.session.post(url, data=b"{no", headers={"Content-Type": "application/json"})
    envelope(not_json, 422, "validation_error")
    envelope(api.post("/runs/", {"message": "[scenario:nope]"}), 422, "unknown_scenario")
    envelope(api.get("/runs/", params={"limit": 0}), 422, "validation_error")
    run_id = api.post("/runs/", {"message": "[scenario:approval]", "stream": False}).json()["id"]
    bad = {"request_id": "perm_1", "decision": "maybe", "remember": False}
    envelope(api.post(f"/runs/{run_id}/approve", bad), 422, "validation_error")
    unknown = {"request_id": "perm_9", "decision": "allow", "remember": False}
    envelope(api.post(f"/runs/{run_id}/approve", unknown), 404, "not_found")


def test_keep_alive_frames_while_a_run_is_parked(emulator_factory):
    emulator = emulator_factory(keepalive_interval=0.05)
    with requests.post(
        emulator.base_url + "/runs/",
        json={"message": "[scenario:question]"},
        headers=AUTH,
        stream=True,
    ) as response:
        frames = iter_frames(response)
        until(frames, "awaiting_approval")
        assert [next(frames), next(frames)] == [{"type": "keep-alive"}] * 2


def test_huge_ids_and_bodies_get_the_envelope(m8tes_emulator: Any) -> None:
    """An id above SQLite's integers is a 404, a body above the cap a 413: both in the
    platform's envelope, never a 500 or a body read into memory whole."""
    headers = {"Authorization": f"Bearer {m8tes_emulator.api_key}"}
    url = m8tes_emulator.base_url
    huge = requests.get(f"{url}/runs/{2**64}", headers=headers, timeout=5)
    assert huge.status_code == 404 and huge.json()["error"]["code"] == "not_found"
    body = b'{"message": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    headers["Content-Type"] = "application/json"
    big = requests.post(f"{url}/runs/", data=body, headers=headers, timeout=10)
    assert big.status_code == 413 and big.json()["error"]["code"] == "payload_too_large"
