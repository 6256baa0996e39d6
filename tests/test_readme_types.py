"""Every Python example in the README passes ``mypy --strict``: what users copy is typed
as precisely as the package is (a stream yields its platform's events, not Any)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

mypy_api = pytest.importorskip("mypy.api")

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
EXAMPLES = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)


def test_readme_examples_pass_mypy_strict(tmp_path: Path) -> None:
    """One mypy run over every example, each as its own module."""
    files = []
    for index, code in enumerate(EXAMPLES):
        path = tmp_path / f"readme_example_{index}.py"
        path.write_text(code)
        files.append(str(path))
    stdout, stderr, status = mypy_api.run(
        [
            "--strict",
            "--python-version=3.10",
            "--no-error-summary",
            "--config-file=",
            f"--cache-dir={ROOT / '.mypy_cache'}",
            *files,
        ]
    )
    assert status == 0, f"README examples fail mypy --strict:\n{stdout}{stderr}"
    assert len(files) >= 6
