"""The CLI a new user meets: --version, serve's key and export line, the no-key message,
``--record`` of run and tail read back by replay, and replay of --json output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import agentstream
from agentstream._cli import main
from tests.sse_server import Reply, Send, SSEServer, frame


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"agentstream {agentstream.__version__}"


def test_run_without_a_key_names_the_flag_and_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("M8TES_API_KEY", raising=False)
    assert main(["run", "hi", "--base-url", "http://127.0.0.1:9/api/v2"]) == 2
    err = capsys.readouterr().err
    assert err == "agentstream: no API key: pass --api-key or set M8TES_API_KEY\n"


@pytest.mark.parametrize(
    ("platform", "url_var", "key_var"),
    [
        ("m8tes", "M8TES_BASE_URL", "M8TES_API_KEY"),
        ("everruns", "EVERRUNS_API_URL", "EVERRUNS_API_KEY"),
        ("managed-agents", "ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY"),
    ],
)
def test_serve_prints_the_key_and_an_export_line(platform: str, url_var: str, key_var: str) -> None:
    command = [sys.executable, "-m", "agentstream", "serve", platform, "--port", "0"]
    with subprocess.Popen(
        [*command, "--api-key", "k-123"], stderr=subprocess.PIPE, text=True, env=os.environ
    ) as server:
        try:
            assert server.stderr is not None
            lines = [server.stderr.readline() for _ in range(3)]
        finally:
            server.terminate()
            server.wait(timeout=10)
    assert lines[1] == "API key: k-123\n"
    export = lines[2].split()
    assert export[0] == "export" and export[2] == f"{key_var}=k-123"
    assert export[1].startswith(f"{url_var}=http://127.0.0.1:")


def test_run_record_replays(
    m8tes_emulator: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """run --record saves the events as they arrived, timed; replay renders the file,
    and replay reads run's --json output too, to the same events."""
    base = ["--base-url", m8tes_emulator.base_url, "--api-key", "test-key", "--plain"]
    recording = tmp_path / "run.sse"
    assert main(["run", "Triage my support inbox", *base, "--record", str(recording)]) == 0
    live = capsys.readouterr().out
    text = recording.read_text()
    assert text.startswith(": +0.") and '"type": "done"' in text.replace('":"', '": "')
    assert main(["replay", str(recording), "--plain"]) == 0
    replayed = capsys.readouterr().out
    assert "stop: end_turn | tools: 2" in replayed
    assert live.splitlines()[0] == replayed.splitlines()[0]
    as_json = tmp_path / "run.jsonl"
    assert main(["run", "Triage my support inbox", *base, "--json"]) == 0
    as_json.write_text(capsys.readouterr().out)
    assert main(["replay", str(as_json), "--json"]) == 0
    assert capsys.readouterr().out == as_json.read_text()
    assert main(["replay", str(recording), "--json"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == len(as_json.read_text().splitlines())


def test_tail_record_replays(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    frames = [{"type": "text-delta", "id": "t", "delta": "hi "}, {"type": "done"}]
    with SSEServer() as server:
        events = b"".join(frame(json.dumps(f), id=str(n)) for n, f in enumerate(frames))
        once = [Reply(body=[Send(events)]), Reply(status=204)]
        server.script("/feed", once + once)
        recording = tmp_path / "tail.sse"
        started = time.monotonic()
        assert main(["tail", server.url("/feed"), "--record", str(recording)]) == 0
        assert time.monotonic() - started < 10
        capsys.readouterr()
        assert main(["tail", server.url("/feed"), "--json"]) == 0
    tail_json = tmp_path / "tail.jsonl"
    tail_json.write_text(capsys.readouterr().out)
    assert recording.read_text().count(": +") == 2
    for source in (recording, tail_json):
        assert main(["replay", str(source), "--plain"]) == 0
        out = capsys.readouterr().out
        assert "hi" in out and "stop: end_turn" in out, (source, out)
