"""ShipitResumePolicy, pure: no sockets. A small model of a resuming shipit app (hello
with the generation and ``id: 0``, frames with their sequence, ``replay_from`` on a
reconnect, ``done``) is cut at random points; whatever the cuts, the caller gets every
frame of the first connection up to the cut, then each missed canonical event exactly
once, in order, and never a provisional frame of a resumed connection."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from agentstream import ServerSentEvent
from agentstream._policy import Request, Verdict
from agentstream.providers.shipit import ShipitResumePolicy, decode_event
from agentstream.types import UnknownEvent, shipit

CANONICAL = ("run_started", "tool_called", "tool_completed", "final_answer", "run_completed")
PROVISIONAL = ("text_delta", "usage_tick", "step_started", "tool_output_delta")
ORIGINAL = Request(method="POST", url="http://127.0.0.1:1/v1/stream", body=b"{}")


def hello(generation: str) -> ServerSentEvent:
    data = {
        "type": "stream_hello",
        "durability": "control",
        "generation": generation,
        "sequence": 0,
        "message": "Stream opened",
        "payload": {"generation": generation, "discard_provisional": True},
        "timestamp": 1.0,
    }
    return ServerSentEvent(event="stream_hello", data=json.dumps(data), id="0")


def frame(kind: str, sequence: int, generation: str = "g1") -> ServerSentEvent:
    durability = "canonical" if kind in CANONICAL else "provisional"
    payload: dict[str, Any] = {"chunk": "x"} if kind == "text_delta" else {}
    data = {
        "type": kind,
        "durability": durability,
        "generation": generation,
        "sequence": sequence,
        "message": "",
        "payload": payload,
        "timestamp": 1.0,
    }
    return ServerSentEvent(event=kind, data=json.dumps(data), id=str(sequence))


DONE = ServerSentEvent(event="done", data="[DONE]")


def connection(
    kinds: list[str], last_id: str | None, generation: str = "g1"
) -> list[ServerSentEvent]:
    """What the resuming app sends: hello, every frame or replay_from(last_id), done."""
    numbered = [(i, k) for i, k in enumerate(kinds, start=1)]
    if last_id is not None:
        numbered = [(i, k) for i, k in numbered if i > int(last_id) and k in CANONICAL]
    return [hello(generation), *(frame(k, i, generation) for i, k in numbered), DONE]


def play(
    kinds: list[str], cuts: list[int], policy: ShipitResumePolicy, generation: str = "g1"
) -> tuple[list[ServerSentEvent], list[str | None]]:
    """Connect until done; connection n is cut after cuts[n] frames. Returns what was
    delivered and the Last-Event-ID of each request."""
    delivered: list[ServerSentEvent] = []
    sent: list[str | None] = []
    for attempt in range(len(cuts) + 3):
        request = policy.request(ORIGINAL, "")
        last_id = dict(request.headers).get("Last-Event-ID")
        sent.append(last_id)
        frames = connection(kinds, last_id, generation)
        if attempt < len(cuts):
            frames = frames[: cuts[attempt]]
        for sse in frames:
            verdict = policy.classify(sse)
            if verdict in (Verdict.DELIVER, Verdict.TERMINAL):
                delivered.append(sse)
            if verdict is Verdict.TERMINAL:
                return delivered, sent
            assert verdict is not Verdict.RECONNECT
        assert not policy.ended(), "a framed stream cut before done must reconnect"
    raise AssertionError("never reached done")


kinds_strategy = st.lists(st.sampled_from(CANONICAL + PROVISIONAL), min_size=1, max_size=25)


@settings(max_examples=300, deadline=None)
@given(kinds=kinds_strategy, cuts=st.lists(st.integers(0, 30), max_size=4))
def test_any_drop_points_deliver_the_record_once_and_in_order(
    kinds: list[str], cuts: list[int]
) -> None:
    delivered, sent = play(kinds, cuts, ShipitResumePolicy())
    assert delivered[-1] is DONE
    sequences = [json.loads(e.data)["sequence"] for e in delivered[:-1]]
    assert sequences == sorted(set(sequences)), "a duplicate or out of order"
    canonical = [i for i, k in enumerate(kinds, start=1) if k in CANONICAL]
    assert [s for s in sequences if kinds[s - 1] in CANONICAL] == canonical
    # Before the first cut every frame arrives; after it, only canonical ones.
    first = cuts[0] - 1 if cuts else len(kinds)
    provisional = [s for s in sequences if kinds[s - 1] not in CANONICAL]
    assert all(s <= max(first, 0) for s in provisional)
    # Every resume asked from the last delivered frame, never from the hello's id 0
    # unless nothing had been delivered.
    assert sent[0] is None
    assert all(value is not None for value in sent[1:])


def test_the_hello_is_control_and_its_id_does_not_reset_the_cursor() -> None:
    policy = ShipitResumePolicy()
    policy.request(ORIGINAL, "")
    assert policy.classify(hello("g1")) is Verdict.CONTROL
    assert policy.classify(frame("run_started", 1)) is Verdict.DELIVER
    assert policy.classify(frame("text_delta", 2)) is Verdict.DELIVER
    resumed = policy.request(ORIGINAL, "0")  # the machine's cursor: the hello reset it
    assert dict(resumed.headers)["Last-Event-ID"] == "2"
    assert policy.classify(hello("g1")) is Verdict.CONTROL
    assert policy.classify(frame("text_delta", 3)) is Verdict.SKIP
    assert policy.classify(frame("tool_called", 2)) is Verdict.SKIP
    assert policy.classify(frame("tool_called", 4)) is Verdict.DELIVER
    assert policy.classify(DONE) is Verdict.TERMINAL
    assert policy.generation == "g1" and policy.last_sequence == 4


def test_a_drop_before_any_frame_rejoins_from_zero_rather_than_running_again() -> None:
    policy = ShipitResumePolicy()
    assert "Last-Event-ID" not in dict(policy.request(ORIGINAL, "").headers)
    assert dict(policy.request(ORIGINAL, "").headers)["Last-Event-ID"] == "0"


def test_a_new_generation_resets_the_cursor_and_asks_again_from_zero() -> None:
    policy = ShipitResumePolicy()
    policy.request(ORIGINAL, "")
    policy.classify(hello("g1"))
    for sequence in (1, 2, 3):
        assert policy.classify(frame("run_started", sequence)) is Verdict.DELIVER
    policy.request(ORIGINAL, "")
    # Asked from 3, the restarted server would replay its own events above 3 only.
    assert policy.classify(hello("g2")) is Verdict.RECONNECT
    assert policy.restarts == 1 and policy.last_sequence == 0
    again = policy.request(ORIGINAL, "")
    assert dict(again.headers)["Last-Event-ID"] == "0"
    assert policy.classify(hello("g2")) is Verdict.CONTROL
    assert policy.classify(frame("run_started", 1, "g2")) is Verdict.DELIVER


@settings(max_examples=100, deadline=None)
@given(kinds=kinds_strategy, cut=st.integers(1, 26))
def test_after_a_restart_the_new_record_arrives_whole(kinds: list[str], cut: int) -> None:
    policy = ShipitResumePolicy()
    policy.request(ORIGINAL, "")
    for sse in connection(kinds, None, "g1")[:cut]:
        policy.classify(sse)
    delivered = []
    for _ in range(3):
        last_id = dict(policy.request(ORIGINAL, "").headers)["Last-Event-ID"]
        verdicts = []
        for sse in connection(kinds, last_id, "g2"):
            verdict = policy.classify(sse)
            verdicts.append(verdict)
            if verdict is Verdict.RECONNECT:
                break
            if verdict is not Verdict.SKIP and verdict is not Verdict.CONTROL:
                delivered.append(sse)
        if verdicts[-1] is Verdict.TERMINAL:
            break
    canonical = [i for i, k in enumerate(kinds, start=1) if k in CANONICAL]
    assert [json.loads(e.data)["sequence"] for e in delivered[:-1]] == canonical


def test_without_resume_a_clean_end_finishes_the_source() -> None:
    policy = ShipitResumePolicy(resume=False)
    policy.request(ORIGINAL, "")
    policy.classify(hello("g1"))
    assert policy.ended() is True


def test_plain_packets_are_all_delivered_and_agent_result_ends_them() -> None:
    policy = ShipitResumePolicy()
    event = {"message": "", "payload": {"chunk": "hi"}, "timestamp": 1.0, "type": "text_delta"}
    plain = ServerSentEvent(event="text_delta", data=json.dumps(event, sort_keys=True))
    result = ServerSentEvent(event="agent_result", data=json.dumps({"output": "hi"}))
    assert [policy.classify(plain), policy.classify(plain)] == [Verdict.DELIVER] * 2
    assert policy.classify(result) is Verdict.TERMINAL
    assert policy.ended() is True


def test_decode_event_reads_both_formats_and_never_crashes() -> None:
    framed = decode_event(frame("text_delta", 3))
    assert isinstance(framed, shipit.TextDeltaEvent) and framed.payload.chunk == "x"
    assert framed.raw["durability"] == "provisional"
    plain = {"message": "", "payload": {"chunk": "hi"}, "timestamp": 1.0, "type": "text_delta"}
    assert isinstance(decode_event(plain), shipit.TextDeltaEvent)
    result = decode_event(ServerSentEvent(event="agent_result", data='{"output": "ok"}'))
    assert isinstance(result, shipit.AgentResultEvent) and result.output == "ok"
    assert isinstance(decode_event(DONE), shipit.DoneEvent)
    error = decode_event(ServerSentEvent(event="error", data='{"error": "boom"}'))
    assert isinstance(error, shipit.ErrorEvent) and error.error == "boom"
    novel = decode_event({"type": "brand_new", "message": "", "payload": {}, "timestamp": 1})
    assert isinstance(novel, UnknownEvent) and novel.type == "brand_new"
    broken = decode_event(ServerSentEvent(event="text_delta", data="{not json"))
    assert isinstance(broken, UnknownEvent) and broken.error is not None
    misfit = decode_event({"type": "text_delta", "message": "", "payload": 7, "timestamp": 1})
    assert isinstance(misfit, UnknownEvent) and misfit.error is not None


def test_every_emitted_type_decodes_to_its_class() -> None:
    """The ~30 types shipit emits beyond its Literal each have a generated class."""
    beyond = [
        "step_started", "planning_started", "planning_completed", "interactive_request",
        "tool_retry", "context_snapshot", "rag_sources", "action_queued", "agent_decision",
        "agent_observation", "artifact_created", "budget_exhausted", "budget_unavailable",
        "connection_requested", "guardrail_triggered", "lockdown_engaged",
        "model_output_recovered", "progress_summary_failed", "prompt_blocked",
        "skills_selected", "stop_blocked", "stop_hook_error", "stop_unresolved",
        "sub_agent_event", "tool_call_healed", "tool_calls_ignored", "tool_input_started",
        "tool_output_started", "tool_skipped_duplicate", "verify_required", "verify_skipped",
    ]  # fmt: skip
    for kind in beyond:
        assert kind in shipit.EVENT_TYPES, kind
        event = decode_event({"type": kind, "message": "", "payload": {}, "timestamp": 1.0})
        assert event is not None  # a class, or UnknownEvent with the error: never a crash
