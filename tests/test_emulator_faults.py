"""Fault injection on the m8tes emulator's streams, seen byte by byte with raw httpx."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest

from agentstream import ServerSentEvent, SSEDecoder, encode
from agentstream.testing import FAULTS_HEADER, Faults

pytestmark = pytest.mark.timeout(30)

AUTH = {"Authorization": "Bearer test-key"}


class Received:
    """What one stream request got: status, headers, body chunks as they arrived."""

    def __init__(self, response: httpx.Response) -> None:
        self.status = response.status_code
        self.headers = response.headers
        self.chunks: list[bytes] = []
        self.times: list[float] = []
        self.error: Exception | None = None
        try:
            for chunk in response.iter_raw():
                self.chunks.append(chunk)
                self.times.append(time.monotonic())
        except httpx.RemoteProtocolError as exc:
            self.error = exc

    @property
    def body(self) -> bytes:
        return b"".join(self.chunks)

    @property
    def dropped(self) -> bool:
        return self.error is not None and "incomplete chunked read" in str(self.error)

    def frames(self) -> list[dict[str, Any]]:
        decoder = SSEDecoder()
        items = decoder.feed(self.body) + decoder.feed_eof()
        return [json.loads(item.data) for item in items if type(item) is ServerSentEvent]


def stream(
    emulator, message: str = "Triage my inbox", faults: str | None = None, path: str = "/runs/"
) -> Received:
    headers = {**AUTH, **({FAULTS_HEADER: faults} if faults else {})}
    with httpx.Client(timeout=10) as client:
        if path == "/runs/":
            request = client.build_request(
                "POST", emulator.base_url + path, json={"message": message}, headers=headers
            )
        else:
            request = client.build_request("GET", emulator.base_url + path, headers=headers)
        response = client.send(request, stream=True)
        try:
            return Received(response)
        finally:
            response.close()


def logged_bytes(emulator, run_id: int) -> bytes:
    return b"".join(encode(json.dumps(frame)) for frame in emulator.frames(run_id))


def wait_for_status(emulator, run_id: int, status: str) -> None:
    deadline = time.monotonic() + 5
    while httpx.get(f"{emulator.base_url}/runs/{run_id}", headers=AUTH).json()["status"] != status:
        assert time.monotonic() < deadline, f"run {run_id} never became {status}"
        time.sleep(0.01)


def test_drop_after_events_cuts_the_body_without_its_end(m8tes_emulator):
    got = stream(m8tes_emulator, faults="drop_after_events=3")
    assert got.status == 200 and got.dropped
    assert [f["type"] for f in got.frames()] == ["metadata", "reasoning-start", "reasoning-delta"]
    # The run does not depend on the connection: it finishes in the background.
    wait_for_status(m8tes_emulator, int(got.headers["X-Run-Id"]), "completed")


def test_drop_after_bytes_stops_mid_frame(m8tes_emulator):
    got = stream(m8tes_emulator, faults="drop_after_bytes=100")
    run_id = int(got.headers["X-Run-Id"])
    wait_for_status(m8tes_emulator, run_id, "completed")
    assert got.dropped and got.body == logged_bytes(m8tes_emulator, run_id)[:100]
    assert not got.body.endswith(b"\n\n")


def test_a_dropped_client_rejoins_and_gets_the_whole_turn(m8tes_emulator):
    got = stream(m8tes_emulator, "[scenario:approval]", faults="drop_after_events=5")
    run_id = int(got.headers["X-Run-Id"])
    assert got.dropped and len(got.frames()) == 5
    # Once the run is parked on its gate, end the join right after the replay marker.
    wait_for_status(m8tes_emulator, run_id, "awaiting_approval")
    replayed = len(m8tes_emulator.frames(run_id)) + 1
    joined = stream(
        m8tes_emulator, path=f"/runs/{run_id}/stream", faults=f"drop_after_events={replayed}"
    )
    frames = joined.frames()
    assert frames[:5] == got.frames() and frames[-2:] == [
        {"type": "awaiting_approval", "request_id": "perm_1", "tool_use_id": "tc_1"},
        {"type": "replay_complete"},
    ]


def test_stall_sends_nothing_not_even_keep_alives_then_drops(emulator_factory):
    emulator = emulator_factory(keepalive_interval=0.05)
    started = time.monotonic()
    got = stream(emulator, "[scenario:question]", faults="stall_after_events=2,stall_seconds=0.4")
    assert got.dropped and 0.4 <= time.monotonic() - started < 3
    assert [f["type"] for f in got.frames()] == ["metadata", "tool-call-start"]
    assert b"keep-alive" not in got.body


def test_error_status_for_the_next_k_stream_requests(m8tes_emulator):
    m8tes_emulator.faults = Faults(status=503, retry_after=2, times=2)
    listing = httpx.get(m8tes_emulator.base_url + "/runs/", headers=AUTH)
    assert listing.status_code == 200  # only stream requests are faulted
    first, second, third = (stream(m8tes_emulator) for _ in range(3))
    for got in (first, second):
        assert got.status == 503 and got.headers["Retry-After"] == "2"
        assert json.loads(got.body)["error"]["code"] == "service_unavailable"
    assert third.status == 200 and third.frames()[-1]["type"] == "done"


def test_429_with_retry_after_per_request(m8tes_emulator):
    got = stream(m8tes_emulator, faults="status=429")
    assert got.status == 429 and got.headers["Retry-After"] == "1"
    error = json.loads(got.body)["error"]
    assert error["code"] == "rate_limited" and error["request_id"].startswith("req_")


def test_header_faults_count_requests_per_header_value(m8tes_emulator):
    header = "drop_after_events=2,times=1"
    assert stream(m8tes_emulator, faults=header).dropped
    again = stream(m8tes_emulator, faults=header)
    assert not again.dropped and again.frames()[-1]["type"] == "done"


def test_emulator_faults_apply_times_then_stop(m8tes_emulator):
    m8tes_emulator.faults = Faults(drop_after_events=1, times=1)
    assert stream(m8tes_emulator).dropped
    assert not stream(m8tes_emulator).dropped
    m8tes_emulator.faults = Faults(drop_after_events=1)  # no times: every stream
    assert stream(m8tes_emulator).dropped and stream(m8tes_emulator).dropped
    m8tes_emulator.faults = None
    assert not stream(m8tes_emulator).dropped


def test_split_writes_frames_in_small_pieces(m8tes_emulator):
    got = stream(m8tes_emulator, faults="split=7")
    run_id = int(got.headers["X-Run-Id"])
    assert len(got.chunks) > 100 and max(map(len, got.chunks)) <= 7
    assert got.body == logged_bytes(m8tes_emulator, run_id) and not got.dropped


def test_bom_and_crlf(m8tes_emulator):
    got = stream(m8tes_emulator, faults="bom=1,crlf=1,split=5")
    run_id = int(got.headers["X-Run-Id"])
    assert got.body.startswith(b"\xef\xbb\xbf" + b'data: {"type": "metadata"')
    assert got.body.count(b"\n") == got.body.count(b"\r\n") > 0
    assert got.body[3:].replace(b"\r\n", b"\n") == logged_bytes(m8tes_emulator, run_id)
    assert got.frames() == m8tes_emulator.frames(run_id)


def test_a_bad_fault_header_is_a_400(m8tes_emulator):
    got = stream(m8tes_emulator, faults="explode=1")
    assert got.status == 400 and json.loads(got.body)["error"]["code"] == "invalid_faults"


def test_faults_parse_validate_and_print():
    faults = Faults.parse("drop_after_bytes=10, bom=true,stall_seconds=0.5,retry_after=none")
    assert faults == Faults(drop_after_bytes=10, bom=True, stall_seconds=0.5, retry_after=None)
    assert Faults.parse(faults.to_header()) == faults
    assert Faults().to_header() == ""
    for bad in [
        "status=404",
        "stall_seconds=600",
        "split=0",
        "drop_after_events=-1",
        "bom=2",
        "drop",
    ]:
        with pytest.raises(ValueError):
            Faults.parse(bad)
