"""Generate the sync twins of agentstream's async sources.

Above the HTTP drivers, the async code is the single source: every ``_async_<name>.py``
listed by ``sources()`` is rewritten into ``_sync_<name>.py`` beside it, the way httpcore
generates its sync package with its unasync script. The drivers (``_async.py`` /
``_sync.py``) and the IO edges (``_httpx_io.py`` / ``_requests_io.py``) stay
hand-written: that is where httpx and requests really differ.

    python -m codegen            # regenerates these twins too
    python -m codegen --check    # and fails when one is stale

Why a script of our own rather than the ``unasync`` package: unasync maps tokens by name
(``AsyncFoo`` -> ``Foo``, ``async``/``await`` dropped, ``__aenter__`` -> ``__enter__``),
which covers most of it, but three things it cannot say: unwrapping a type with nested
brackets (``Coroutine[Any, Any, list[Run]]`` -> ``list[Run]``), the one async-only piece
(``AsyncStreamManager(stream)`` -> ``stream``, see ``_manager.py``), and the two names
where the libraries differ (an ``httpx.AsyncClient`` called ``client``, a
``requests.Session`` called ``session``). So: an ordered table of regular expressions,
one bracket-aware unwrap, then ruff (unused imports, import order, format). As in
httpcore's script, a rule that no source uses fails the run, so the table stays exact.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "agentstream"
#: Async sources outside providers/ (every providers/*/_async_*.py is a source too).
CORE_SOURCES = ("_async_client_base.py", "_async_http.py", "_async_stream.py")
HEADER = "# Generated from {source} by codegen/unasync.py (`make codegen`): do not edit.\n"

#: (pattern, replacement), applied in order. Specific rules come before general ones.
RULES: list[tuple[str, str]] = [
    # Each source says what it is in its docstring; so does each twin.
    (
        r"^This file is the async source; its sync twin is generated from it\.$",
        "This file is generated from the async source; edit that one.",
    ),
    # The async-only manager: its import goes, `AsyncStreamManager(x)` is just `x`.
    (r"^from \S+ import AsyncStreamManager\n", ""),
    (r"\bAsyncStreamManager\[(\w+)\]", r"\1"),
    (r"\bAsyncStreamManager\((\w+)\)", r"\1"),
    # An async client also takes async callbacks; a sync one calls plain functions only.
    (r"^ *if inspect\.isawaitable\((\w+)\):\n *(?:\1 = |return )await \1\n", ""),
    # Where httpx and requests differ in name.
    (r"\bclient: httpx\.AsyncClient \| None = None", "session: requests.Session | None = None"),
    (r"\bclient=client\b", "session=session"),
    (r"\bclient=self\.client\b", "session=self.session"),
    (r"\bself\.client\b", "self.session"),
    (r"\bowns_client\b", "owns_session"),
    (r"\bclient is None\b", "session is None"),
    (
        r"\bclient if client is not None else httpx\.AsyncClient\(\)",
        "session if session is not None else requests.Session()",
    ),
    (r"\b_httpx_io\b", "_requests_io"),
    (r"\bclient: an httpx\.AsyncClient\b", "session: a requests.Session"),
    (r"^import httpx$", "import requests"),
    (r"\bAsyncHTTP\b", "SyncHTTP"),
    (r"^import anyio$", "import time"),
    (r"\banyio\.sleep\b", "time.sleep"),
    # The language.
    (r"\basync def\b", "def"),
    (r"\basync with\b", "with"),
    (r"\basync for\b", "for"),
    (r"\bawait ", ""),
    (r"\b__aenter__\b", "__enter__"),
    (r"\b__aexit__\b", "__exit__"),
    (r"\b__aiter__\b", "__iter__"),
    (r"\baclose\b", "close"),
    (r"\baiter_with_comments\b", "iter_with_comments"),
    (r"\bAsyncIterator\b", "Iterator"),
    # An `async for` that re-yields each item is what `yield from` says in sync code.
    # (Only when the yield is the whole body: no deeper-indented line follows it.)
    (r"^( *)for (\w+) in ([^\n]+):\n *yield \2$(?!\n\1    )", r"\1yield from \3"),
    # Modules and names: _async -> _sync, AsyncX -> X.
    (r"\b_async\b", "_sync"),
    (r"\b_async_(?=\w)", "_sync_"),
    (r"\bAsync(?=[A-Z])", ""),
]
#: Generic types whose sync form is their last argument: `Coroutine[Any, Any, T]` -> T.
UNWRAP = ("Coroutine[Any, Any, ", "Awaitable[")


def sources() -> list[Path]:
    """Every async source: the core ones and each provider's ``_async_*.py``."""
    found = [PACKAGE / name for name in CORE_SOURCES]
    found += sorted((PACKAGE / "providers").glob("*/_async_*.py"))
    return found


def target(source: Path) -> Path:
    return source.with_name("_sync_" + source.name.removeprefix("_async_"))


def unwrap(text: str, opener: str) -> str:
    """Replace each ``<opener>...]`` by its last argument, brackets balanced."""
    while (start := text.find(opener)) != -1:
        depth, index = 1, start + len(opener)
        inner = index
        while depth:
            char = text[index]
            depth += {"[": 1, "]": -1}.get(char, 0)
            index += 1
        text = text[:start] + text[inner : index - 1] + text[index:]
    return text


def rewrite(text: str, used: set[int]) -> str:
    """`text` with every rule applied; the indexes of the rules that matched go to `used`."""
    for opener in UNWRAP:
        text = unwrap(text, opener)
    for index, (pattern, replacement) in enumerate(RULES):
        text, count = re.subn(pattern, replacement, text, flags=re.MULTILINE)
        if count:
            used.add(index)
    return _dedupe_imports(text)


def _dedupe_imports(text: str) -> str:
    """Drop a top-level ``import x`` line that repeats an earlier one (``import anyio``
    becomes ``import time`` in a module that already imports time)."""
    seen: set[str] = set()
    lines = []
    for line in text.splitlines(keepends=True):
        if line.startswith("import "):
            if line in seen:
                continue
            seen.add(line)
        lines.append(line)
    return "".join(lines)


def _ruff(path: Path) -> None:
    ruff = str(Path(sys.executable).with_name("ruff"))
    fix = [ruff, "check", "--quiet", "--fix", "--select=I,F401", str(path)]
    subprocess.run(fix, check=True, cwd=ROOT)
    subprocess.run([ruff, "format", "--quiet", str(path)], check=True, cwd=ROOT)


def generate() -> dict[Path, str]:
    """Target path -> its fresh text, for every source.

    Raises:
        SystemExit: a rule no source used (the table must not carry dead rules).
    """
    used: set[int] = set()
    fresh: dict[Path, str] = {}
    with tempfile.TemporaryDirectory(dir=ROOT) as tmp:
        for source in sources():
            text = HEADER.format(source=source.name) + rewrite(source.read_text(), used)
            # Formatted inside the project so that ruff reads its configuration.
            scratch = Path(tmp, target(source).name)
            scratch.write_text(text)
            _ruff(scratch)
            fresh[target(source)] = scratch.read_text()
    unused = [RULES[i][0] for i in range(len(RULES)) if i not in used]
    if unused:
        raise SystemExit(f"unasync rules no source uses: {unused}")
    return fresh
