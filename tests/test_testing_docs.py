"""The examples in the docstrings of ``agentstream.testing.scenarios``, ``faults`` and the
emulators (``m8tes``, ``everruns``, ``managed_agents``, ``shipit``) run as written: every
literal block (after ``::``) that is Python is extracted and executed; the others (an
HTTP header line) are named here, so a new example cannot slip by untested."""

from __future__ import annotations

import ast
import inspect
import textwrap
from types import ModuleType
from typing import Any

import pytest

from agentstream.testing import Scenario, everruns, faults, m8tes, managed_agents, scenarios, shipit

MODULES = (scenarios, faults, m8tes, everruns, managed_agents, shipit)
MODULE_NAMES = ("scenarios", "faults", "m8tes", "everruns", "managed_agents", "shipit")
#: Literal blocks that are not Python, by their text.
NOT_PYTHON = {"X-Emulator-Faults: drop_after_events=3,crlf=1"}


def docstrings(module: ModuleType) -> list[tuple[str, str]]:
    """(where, docstring) of the module and of everything defined in it."""
    found = [(module.__name__, inspect.getdoc(module) or "")]
    for name, value in vars(module).items():
        if getattr(value, "__module__", None) == module.__name__ and inspect.getdoc(value):
            found.append((f"{module.__name__}.{name}", inspect.getdoc(value) or ""))
    return found


def literal_blocks(doc: str) -> list[str]:
    """The reST literal blocks of `doc`: the indented lines after a paragraph ending
    in ``::``, dedented."""
    blocks, lines = [], doc.splitlines()
    for index, line in enumerate(lines):
        if not line.rstrip().endswith("::"):
            continue
        body: list[str] = []
        for following in lines[index + 1 :]:
            if following.strip() and not following.startswith((" ", "\t")):
                break
            body.append(following)
        blocks.append(textwrap.dedent("\n".join(body)).strip("\n"))
    return blocks


def is_python(code: str) -> bool:
    try:
        ast.parse(code)
    except SyntaxError:
        return False
    return True


EXAMPLES = [
    (where, block)
    for module in MODULES
    for where, doc in docstrings(module)
    for block in literal_blocks(doc)
]


def test_the_examples_are_found() -> None:
    wheres = {where for where, _ in EXAMPLES}
    assert {f"agentstream.testing.{module}" for module in MODULE_NAMES} <= wheres
    others = [block for _, block in EXAMPLES if not is_python(block)]
    assert set(others) == NOT_PYTHON, others


@pytest.mark.parametrize(
    "code",
    [block for _, block in EXAMPLES if is_python(block)],
    ids=[where for where, block in EXAMPLES if is_python(block)],
)
def test_a_docstring_example_runs_as_written(code: str) -> None:
    namespace: dict[str, Any] = {"__name__": "docstring_example"}
    exec(compile(code, "<docstring>", "exec"), namespace)
    made = [value for value in namespace.values() if isinstance(value, Scenario)]
    assert made or "assert " in code  # it built something, or checked what it did
