"""Without the ``server`` extra (starlette and uvicorn not installed), the emulators, the
pytest fixtures, ``agentstream demo`` and ``agentstream serve`` say in one line which
extra to install, never a ModuleNotFoundError traceback. Each case runs in a subprocess
whose sitecustomize blocks the two imports (``sys.modules[name] = None``)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

INSTALL = "pip install 'agentstream[server]'"
BLOCK = "import sys\nsys.modules['starlette'] = None\nsys.modules['uvicorn'] = None\n"


@pytest.fixture
def blocked(tmp_path: Path) -> dict[str, str]:
    """An environment whose Python cannot import starlette or uvicorn."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(BLOCK)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
    return env


def run(
    env: dict[str, str], *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_the_block_works(blocked: dict[str, str]) -> None:
    """The simulation itself: starlette cannot be imported in that environment."""
    out = run(blocked, "-c", "import starlette")
    assert out.returncode == 1 and "ModuleNotFoundError" in out.stderr


@pytest.mark.parametrize(
    "argv", [["demo"], ["demo", "--platform", "everruns"], ["serve", "m8tes", "--port", "0"]]
)
def test_the_cli_names_the_extra_in_one_line(blocked: dict[str, str], argv: list[str]) -> None:
    out = run(blocked, "-m", "agentstream", *argv)
    assert out.returncode == 2, out
    [line] = out.stderr.strip().splitlines()
    assert line.startswith("agentstream: ") and INSTALL in line, line
    assert "Traceback" not in out.stderr


def test_importing_an_emulator_names_the_extra(blocked: dict[str, str]) -> None:
    code = textwrap.dedent(
        """
        from agentstream.testing import Faults, say  # the DSL works without the extra
        try:
            from agentstream.testing import M8tesEmulator
        except ModuleNotFoundError as exc:
            print(type(exc).__name__, exc, sep=": ")
        """
    )
    out = run(blocked, "-c", code)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == (
        "MissingExtraError: agentstream.testing.M8tesEmulator needs the server extra:"
        f" {INSTALL} (starlette is not installed)"
    )


def test_the_pytest_fixtures_name_the_extra(blocked: dict[str, str], tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "test_user.py").write_text(
        textwrap.dedent(
            """
            def test_with_the_emulator(m8tes_emulator):
                assert m8tes_emulator.base_url

            def test_with_the_factory(emulator_factory):
                assert emulator_factory("everruns").base_url
            """
        )
    )
    out = run(blocked, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(project), cwd=project)
    assert out.returncode == 1, out.stdout
    assert "1 failed, 1 error" in out.stdout, out.stdout  # the factory fails when called
    assert "During handling" not in out.stdout
    assert out.stdout.count(INSTALL) >= 2, out.stdout
    assert "the m8tes_emulator fixture needs the server extra" in out.stdout
    assert "the emulator_factory fixture needs the server extra" in out.stdout
    assert "Traceback" not in out.stdout and "site-packages" not in out.stdout
