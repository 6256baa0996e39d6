"""Every Python example in docs/managed-agents.md runs against the emulator (through
ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL, as a user would) and passes ``mypy --strict``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from agentstream.testing.managed_agents import ManagedAgentsEmulator
from tests.doc_examples import assert_mypy_strict, examples

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "managed-agents.md"
EXAMPLES = examples(DOC)


def test_the_docs_show_each_feature() -> None:
    joined = "\n".join(EXAMPLES)
    for name in (
        "turn(",
        "on_confirmation",
        "tools=",
        "stream_text",
        "poll(",
        "AsyncManagedAgents",
    ):
        assert name in joined
    assert len(EXAMPLES) >= 6


@pytest.mark.parametrize("code", EXAMPLES, ids=[f"example-{i}" for i in range(len(EXAMPLES))])
def test_docs_example_runs(
    code: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with ManagedAgentsEmulator(keepalive_interval=0.5) as emulator:
        monkeypatch.setenv("ANTHROPIC_API_KEY", emulator.api_key)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", emulator.base_url)
        namespace: dict[str, Any] = {"__name__": "docs_example"}
        exec(compile(code, str(DOC), "exec"), namespace)
    if "print(" in code:
        assert capsys.readouterr().out.strip()


def test_docs_examples_pass_mypy_strict(tmp_path: Path) -> None:
    """One mypy run over every example, each as its own module."""
    assert_mypy_strict(DOC, tmp_path)
