"""Every Python example in docs/shipit.md runs against the real shipit-agent server
(through SHIPIT_BASE_URL, as a user would; the EventSource example against a
ResumingShipitServer), and passes ``mypy --strict``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("shipit_agent")

from agentstream.testing import say, think, tool, usage
from agentstream.testing.shipit import ResumingShipitServer, ScriptedLLM, ShipitServer
from tests.doc_examples import assert_mypy_strict, examples

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "shipit.md"
EXAMPLES = examples(DOC)
PLACEHOLDER = "http://127.0.0.1:8400"
SCRIPT = [
    think("The user asks about A-17."),
    say("Let me look. "),
    tool("orders_lookup", {"order": "A-17"}, result={"status": "refunded"}),
    say("Your refund went out on Monday."),
    usage(input_tokens=900, output_tokens=40),
]


@pytest.fixture(scope="module")
def server() -> Iterator[ShipitServer]:
    with ShipitServer(llm=ScriptedLLM(SCRIPT)) as running:
        yield running


def test_the_docs_show_every_entry_point() -> None:
    joined = "\n".join(EXAMPLES)
    for name in ("AsyncShipit", "stream_text", "run(", "chat.completions", "resume=True"):
        assert name in joined, name
    for name in ("ShipitResumePolicy", "decode_event", "health()", "ShipitServer"):
        assert name in joined, name


@pytest.mark.parametrize("code", EXAMPLES, ids=[f"example-{i}" for i in range(len(EXAMPLES))])
def test_the_example_runs(
    code: str,
    server: ShipitServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SHIPIT_BASE_URL", server.base_url)
    monkeypatch.delenv("SHIPIT_API_KEY", raising=False)
    if PLACEHOLDER in code:
        with ResumingShipitServer(llm=ScriptedLLM(SCRIPT)) as resuming:
            resuming.play("go")
            _run(code.replace(PLACEHOLDER, resuming.base_url))
        assert "DoneEvent" in capsys.readouterr().out
        return
    namespace = _run(code)
    for name, test in namespace.items():
        if name == "test_with_the_fixture":
            with ShipitServer() as echo:
                test(echo)
        elif name.startswith("test_") and callable(test):
            test()
    if "print(" in code:
        assert capsys.readouterr().out.strip()


def _run(code: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "shipit_docs_example"}
    exec(compile(code, str(DOC), "exec"), namespace)
    return namespace


def test_the_examples_pass_mypy_strict(tmp_path: Path) -> None:
    """One mypy run over every example, each as its own module."""
    assert_mypy_strict(DOC, tmp_path)
