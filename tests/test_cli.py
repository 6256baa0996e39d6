"""The agentstream command: demo, run, replay, tail, against real servers on loopback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import agentstream
from agentstream._cli import main
from tests.sse_server import Reply, Send, SSEServer, frame


def test_demo_streams_the_scripted_run(capsys: pytest.CaptureFixture[str]) -> None:
    """`agentstream demo` streams the demo scenario through the real client: text, tool
    calls as they start and finish, and a summary with run id, tokens and time."""
    assert main(["demo", "--plain", "--speed", "0"]) == 0
    out = capsys.readouterr().out
    assert "Here are your 3 unread support threads" in out
    assert "-> gmail_search" in out and "<- zendesk_get_ticket ok" in out
    assert "run 1 | stop: end_turn | tools: 2 | tokens: 5120 in / 730 out" in out


def test_demo_json_prints_one_event_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    """--json prints every event as one JSON object per line, wire names kept."""
    assert main(["demo", "--json", "--speed", "0"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    assert lines[0]["type"] == "metadata" and lines[-1]["type"] == "done"
    assert any("toolCallId" in line for line in lines)


def test_run_against_a_server(m8tes_emulator: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """`agentstream run` talks to any m8tes-compatible server; a failed run exits 1."""
    base = ["--base-url", m8tes_emulator.base_url, "--api-key", "test-key", "--plain"]
    assert main(["run", "Triage my support inbox", *base]) == 0
    assert "stop: end_turn" in capsys.readouterr().out
    assert main(["run", "[scenario:failure]", *base]) == 1
    assert "error: Gmail token expired" in capsys.readouterr().out


def test_run_reports_errors(m8tes_emulator: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """A wrong key is reported as the typed error, without a traceback or the key."""
    code = main(["run", "hi", "--base-url", m8tes_emulator.base_url, "--api-key", "nope"])
    err = capsys.readouterr().err
    assert code == 1 and "AuthenticationError" in err and "nope" not in err


def test_an_unreachable_server_names_the_cli_option(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the CLI, the way to fix the URL is --base-url or the variable, not
    ``base_url=``; the library's own message is unchanged."""
    import socket

    with socket.socket() as sock:  # a port with nothing listening
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/api/v2"
    monkeypatch.delenv("M8TES_BASE_URL", raising=False)
    base = ["--base-url", url, "--api-key", "k"]
    assert main(["run", "hi", *base, "--timeout", "10"]) == 1
    err = capsys.readouterr().err
    assert "UnreachableError" in err and url in err
    assert "comes from --base-url or M8TES_BASE_URL" in err and "base_url=" not in err
    import agentstream

    with pytest.raises(agentstream.UnreachableError, match="comes from base_url= or M8TES"):
        agentstream.M8tes(api_key="k", base_url=url, first_connect_timeout=0.2).runs.get(1)


def test_replay_renders_a_recorded_stream(
    m8tes_emulator: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`agentstream replay FILE` renders a recorded m8tes stream, or prints it as JSON."""
    client = agentstream.M8tes(api_key="test-key", base_url=m8tes_emulator.base_url)
    with client.runs.create(message="Triage my support inbox") as stream:
        text = stream.until_done().text
    client.close()
    frames = m8tes_emulator.frames(stream.run_id)
    recording = tmp_path / "run.sse"
    recording.write_bytes(b"".join(agentstream.encode(json.dumps(f)) for f in frames))
    assert main(["replay", str(recording), "--plain"]) == 0
    out = capsys.readouterr().out
    assert text.splitlines()[0] in out and "stop: end_turn | tools: 2" in out
    assert main(["replay", str(recording), "--json"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == len(frames)


def test_tail_prints_any_sse_endpoint(capsys: pytest.CaptureFixture[str]) -> None:
    """`agentstream tail URL` prints events until the server says 204 (no more)."""
    with SSEServer() as server:
        events = frame("hello", id="1") + frame("world", event="greeting", id="2")
        server.script("/feed", [Reply(body=[Send(events)]), Reply(status=204)])
        assert main(["tail", server.url("/feed"), "-H", "X-Token: abc"]) == 0
        assert server.requests("/feed")[0].headers["X-Token"] == "abc"
    assert capsys.readouterr().out.splitlines() == ["message\t1\thello", "greeting\t2\tworld"]


def test_serve_offers_every_emulator() -> None:
    """`agentstream serve` lists exactly the platforms that have an emulator."""
    from agentstream._cli import SERVE_PLATFORMS
    from agentstream.testing._serve import EMULATORS

    assert sorted(SERVE_PLATFORMS) == sorted(EMULATORS)


def test_bad_input_is_one_line_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing file, a header without a colon, a port in use: one line and a status."""
    import socket

    assert main(["replay", str(tmp_path / "missing.sse")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("agentstream: No such file") and "missing.sse" in err
    assert main(["tail", "http://127.0.0.1:9/s", "-H", "no-colon"]) == 2
    assert "needs the form 'Name: value'" in capsys.readouterr().err
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "m8tes", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in err and "Traceback" not in err


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """`agentstream replay FILE --json | head -1`: no BrokenPipeError traceback."""
    import subprocess
    import sys

    recorded = tmp_path / "run.sse"
    frames = [{"type": "text-delta", "id": "t", "delta": str(n)} for n in range(20000)]
    recorded.write_bytes(b"".join(frame(json.dumps(f)) for f in frames))
    code = (
        "import sys; from agentstream._cli import main;"
        f" sys.exit(main(['replay', {str(recorded)!r}, '--json']))"
    )
    reader = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert reader.stdout is not None
    reader.stdout.readline()
    reader.stdout.close()  # the reader goes away, as head does
    _, err = reader.communicate(timeout=30)
    assert b"Traceback" not in err and b"BrokenPipe" not in err


@pytest.mark.parametrize("platform", ["everruns", "managed-agents"])
def test_demo_streams_every_platform(platform: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`agentstream demo --platform NAME` streams the same scenario through that
    platform's client and emulator: the same text, tools and usage, a session summary."""
    assert main(["demo", "--platform", platform, "--plain", "--speed", "0"]) == 0
    out = capsys.readouterr().out
    assert "Here are your 3 unread support threads" in out
    assert "-> gmail_search" in out and "<- zendesk_get_ticket ok" in out
    assert "| stop: end_turn | tools: 2 | tokens: 5120 in / 730 out" in out
    assert "session " in out.splitlines()[-1]


def test_demo_offers_every_demo() -> None:
    from agentstream._cli import DEMO_PLATFORMS
    from agentstream._demos import DEMOS

    assert list(DEMO_PLATFORMS) == list(DEMOS)


def test_demo_without_the_server_extra_says_what_to_install() -> None:
    """Without starlette (a plain `pip install agentstream`), the demo says which extra
    to install, in one line, instead of an 18-line traceback."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['starlette'] = None;"
        " from agentstream._cli import main; sys.exit(main(['demo']))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "pip install 'agentstream[server]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_demo_streams_through_the_real_shipit_server(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--platform", "shipit", "--plain"]) == 0
    out = capsys.readouterr().out
    assert "Here are your 3 unread support threads" in out
    assert "| stop: end_turn | tools: 2 |" in out
