"""Every Python example in the README runs: m8tes examples against the emulator (through
M8TES_API_KEY / M8TES_BASE_URL, as a user would), EventSource examples against a real SSE
server on loopback, pytest examples with the plugin's fixture."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from agentstream.testing import EverrunsEmulator, M8tesEmulator, ManagedAgentsEmulator
from tests.doc_examples import examples
from tests.sse_server import Drop, Reply, Send, SSEServer, frame

README = Path(__file__).resolve().parent.parent / "README.md"
EXAMPLES = examples(README)
PLACEHOLDER = "http://127.0.0.1:8000"


def test_readme_has_examples() -> None:
    """The README shows the m8tes client sync and async, EventSource, and the decoder."""
    assert len(EXAMPLES) >= 6
    joined = "\n".join(EXAMPLES)
    for name in ("AsyncM8tes", "stream_text", "stream=False", "poll", "AsyncEventSource"):
        assert name in joined


def _run(code: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "readme_example"}
    exec(compile(code, "README.md", "exec"), namespace)
    return namespace


def _run_sse_example(code: str, capsys: pytest.CaptureFixture[str]) -> None:
    first = frame('{"n": 1}', id="1") + frame('{"n": 2}', id="2")
    rest = frame('{"n": 3}', id="3") + frame('{"n": 4}', event="done", id="4")
    with SSEServer() as server:
        script = [Reply(body=[Send(first), Send(b'data: {"n"'), Drop()]), Reply(body=[Send(rest)])]
        server.script("/stream", script)
        _run(code.replace(PLACEHOLDER, server.base_url))
        requests = server.requests("/stream")
        if "with_query" in code:  # the ResumePolicy example resumes from a query parameter
            assert [r.query for r in requests] == ["", "after=2"]
        else:
            assert [r.headers.get("Last-Event-ID") for r in requests] == [None, "2"]
        assert len({(r.method, r.body) for r in requests}) == 1
    out = capsys.readouterr().out
    assert "3" in out and "4" in out


@pytest.mark.parametrize("code", EXAMPLES, ids=[f"example-{i}" for i in range(len(EXAMPLES))])
def test_readme_example_runs(
    code: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The example runs to completion against a real server and prints what it says."""
    if PLACEHOLDER in code:
        _run_sse_example(code, capsys)
        return
    if "Everruns" in code:
        with EverrunsEmulator() as everruns:
            monkeypatch.setenv("EVERRUNS_API_KEY", everruns.api_key)
            monkeypatch.setenv("EVERRUNS_API_URL", everruns.base_url)
            monkeypatch.delenv("EVERRUNS_ORG_ID", raising=False)
            _run(code)
    elif "Shipit" in code:
        from agentstream.testing.shipit import ScriptedLLM, ShipitServer

        with ShipitServer(llm=ScriptedLLM()) as shipit:
            monkeypatch.setenv("SHIPIT_BASE_URL", shipit.base_url)
            monkeypatch.delenv("SHIPIT_API_KEY", raising=False)
            _run(code)
    elif "ManagedAgents" in code:
        with ManagedAgentsEmulator() as agents:
            monkeypatch.setenv("ANTHROPIC_API_KEY", agents.api_key)
            monkeypatch.setenv("ANTHROPIC_BASE_URL", agents.base_url)
            _run(code)
    else:
        with M8tesEmulator() as emulator:
            monkeypatch.setenv("M8TES_API_KEY", emulator.api_key)
            monkeypatch.setenv("M8TES_BASE_URL", emulator.base_url)
            namespace = _run(code)
            for name, test in namespace.items():
                if name.startswith("test_") and callable(test):
                    test(emulator)
    if "print(" in code:
        assert capsys.readouterr().out.strip()
