"""Every Python example in the README passes ``mypy --strict``: what users copy is typed
as precisely as the package is (a stream yields its platform's events, not Any)."""

from __future__ import annotations

from pathlib import Path

from tests.doc_examples import ROOT, assert_mypy_strict, examples


def test_readme_examples_pass_mypy_strict(tmp_path: Path) -> None:
    """One mypy run over every example, each as its own module."""
    assert len(examples(ROOT / "README.md")) >= 6
    assert_mypy_strict(ROOT / "README.md", tmp_path)
