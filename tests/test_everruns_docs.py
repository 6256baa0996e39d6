"""Every Python example in docs/everruns.md runs against the Everruns emulator (through
the environment variables the client reads, as a user would) and passes mypy --strict."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from agentstream.testing import EverrunsEmulator
from tests.doc_examples import assert_mypy_strict, examples

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "everruns.md"
EXAMPLES = examples(DOC)
KEY = "test-key"


@pytest.fixture(scope="module")
def emulator() -> Any:
    with EverrunsEmulator(api_key=KEY, speed=0) as emulator:
        yield emulator


def test_doc_has_examples() -> None:
    """The page shows turns sync and async, stream_text, poll, tools, resume, replaced
    text and the agent API."""
    joined = "\n".join(EXAMPLES)
    for name in ("AsyncEverruns", "stream_text", "poll", "tools=", "since_id", "text_replaced"):
        assert name in joined
    assert "Everruns.agent(" in joined and len(EXAMPLES) >= 7


@pytest.mark.parametrize("code", EXAMPLES, ids=[f"example-{i}" for i in range(len(EXAMPLES))])
def test_doc_example_runs(
    code: str,
    emulator: EverrunsEmulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The example runs to completion and prints something."""
    monkeypatch.setenv("EVERRUNS_API_KEY", emulator.api_key)
    monkeypatch.setenv("EVERRUNS_API_URL", emulator.base_url)
    monkeypatch.setenv("EVERRUNS_AGENT_URL", emulator.agent_url)
    monkeypatch.setenv("EVERRUNS_AGENT_KEY", emulator.api_key)
    monkeypatch.delenv("EVERRUNS_ORG_ID", raising=False)
    exec(compile(code, str(DOC), "exec"), {"__name__": "doc_example"})
    assert capsys.readouterr().out.strip()


def test_doc_examples_pass_mypy_strict(tmp_path: Path) -> None:
    """One mypy run over every example, each as its own module."""
    assert_mypy_strict(DOC, tmp_path)
