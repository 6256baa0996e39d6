"""The pytest plugin's documented example runs as written: its docstring's code, saved as
a test file, passes in a pytest run of its own (the plugin loads through its entry point,
as in a user's project)."""

from __future__ import annotations

import inspect
import textwrap

import pytest

from agentstream.testing import pytest_plugin

pytest_plugins = ["pytester"]


def _example() -> str:
    doc = inspect.getdoc(pytest_plugin) or ""
    block = doc.split("::\n", 1)[1].split("\n- ``m8tes_emulator``", 1)[0]
    return textwrap.dedent(block)


def test_the_plugin_docstring_example_passes(pytester: pytest.Pytester) -> None:
    code = _example()
    assert code.count("def test_") == 3 and "Faults(drop_after_events=3" in code
    pytester.makepyfile(test_plugin_example=code)
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider", timeout=120)
    result.assert_outcomes(passed=3)
