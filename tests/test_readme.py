"""Every Python example in the README runs, against a real server on loopback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.sse_server import Drop, Reply, Send, SSEServer, frame

README = Path(__file__).resolve().parent.parent / "README.md"
EXAMPLES = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)
PLACEHOLDER = "http://127.0.0.1:8000"


def test_readme_has_examples() -> None:
    """The README shows a sync, an async and a decoder example."""
    assert len(EXAMPLES) >= 3
    assert any("AsyncEventSource" in code for code in EXAMPLES)


@pytest.mark.parametrize("code", EXAMPLES, ids=[f"example-{i}" for i in range(len(EXAMPLES))])
def test_readme_example_runs(code: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The example runs to completion, through a dropped connection, printing each event."""
    first = frame('{"n": 1}', id="1") + frame('{"n": 2}', id="2")
    rest = frame('{"n": 3}', id="3") + frame('{"n": 4}', event="done", id="4")
    with SSEServer() as server:
        server.script(
            "/stream",
            [Reply(body=[Send(first), Send(b'data: {"n"'), Drop()]), Reply(body=[Send(rest)])],
        )
        exec(compile(code.replace(PLACEHOLDER, server.base_url), "README.md", "exec"), {})
        if PLACEHOLDER in code:
            requests = server.requests("/stream")
            assert [r.headers.get("Last-Event-ID") for r in requests] == [None, "2"]
            assert len({(r.method, r.body) for r in requests}) == 1
            out = capsys.readouterr().out
            assert "3" in out and "4" in out
