"""The ```python examples of a Markdown page (README.md, docs/*.md): extracted, and checked
with ``mypy --strict`` in one run, each example its own module. Every page's tests use it,
so what users copy is typed as precisely as the package is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def examples(page: Path) -> list[str]:
    """The page's python examples, in order."""
    return re.findall(r"```python\n(.*?)```", page.read_text(), flags=re.DOTALL)


def assert_mypy_strict(page: Path, tmp_path: Path) -> None:
    """Every example of `page` passes ``mypy --strict`` (the project's cache is reused)."""
    mypy_api = pytest.importorskip("mypy.api")
    files = []
    for index, code in enumerate(examples(page)):
        path = tmp_path / f"{page.stem.replace('-', '_').lower()}_example_{index}.py"
        path.write_text(code)
        files.append(str(path))
    assert files, f"{page.name} has no python examples"
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
    assert status == 0, f"{page.name} examples fail mypy --strict:\n{stdout}{stderr}"
