"""Turn datamodel-code-generator's dataclasses into agentstream's attrs classes.

The generator has no attrs output, and a template alone can't fix its imports or its
``field(default_factory=...)`` (which under attrs would be a silent bogus default), so
this step rewrites, line by line:

- ``@dataclass`` -> ``@attrs.frozen(kw_only=True)``; the dataclasses import -> ``attrs``;
- ``field(default_factory=X)`` -> ``attrs.field(factory=X)``;
- a ``# wire: <name>`` marker (from our template) -> ``attrs.field(metadata={"wire": ...})``
  keeping any default, so the converter can rename fields without hand-written hooks;

and then adds, to each event class, the ``raw`` view of the wire dict it came from, and
at the end the registries (wire type -> class) and the ``AnyEvent`` union.
"""

from __future__ import annotations

import ast
import re

HEADER = '''"""{title} types, generated from schema/{platform}/ by codegen/. DO NOT EDIT.

Regenerate with ``make codegen``; ``make check`` fails when this file is stale.
"""
'''
WIRE = re.compile(r"^(?P<head>\s+\w+: .+?)(?: = (?P<default>.+?))?  # wire: (?P<wire>\S+)$")
FACTORY = re.compile(r"\bfield\(default_factory=")
#: Inherited required fields come out as ``field(kw_only=True)``; attrs classes here are
#: keyword-only already, so the marker goes.
KW_ONLY = re.compile(r" = field\((?:kw_only=True)?\)")
RAW_FIELD = '''
    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)
'''


class PostprocessError(Exception):
    """The generator's output is not in the shape this step expects."""


#: The generator gives every one-value Literal a default (we ask it to, for ``type``);
#: any other such field is required on the wire and must stay required here.
LITERAL_DEFAULT = re.compile(
    r"^(?P<head>\s+(?!type:)\w+: Literal\[(?P<v>[^\]]+)\]) = (?P=v)(?P<tail>\s.*)?$"
)


def _field_line(line: str) -> str:
    line = KW_ONLY.sub("", line)
    literal = LITERAL_DEFAULT.match(line)
    if literal is not None:
        line = literal["head"] + (literal["tail"] or "")
    match = WIRE.match(line)
    if match is None:
        return FACTORY.sub("attrs.field(factory=", line)
    head, default, wire = match["head"], match["default"], match["wire"]
    metadata = f'metadata={{"wire": "{wire}"}}'
    if default is None:
        return f"{head} = attrs.field({metadata})"
    if default.startswith("field(default_factory="):
        inner = default.removeprefix("field(default_factory=").removesuffix(")")
        return f"{head} = attrs.field(factory={inner}, {metadata})"
    return f"{head} = attrs.field(default={default}, {metadata})"


def _rewrite(source: str) -> list[str]:
    lines = []
    for line in source.splitlines():
        if line.startswith("# ") and not lines:
            continue  # the generator's own header
        if line.startswith("from dataclasses import"):
            lines.append("import attrs")
        elif line == "@dataclass":
            lines.append("@attrs.frozen(kw_only=True)")
        elif line.startswith("Model: TypeAlias = "):
            continue  # the bundle's root, which is not a type
        else:
            lines.append(_field_line(line))
    return lines


def _add_raw(lines: list[str], classes: set[str]) -> list[str]:
    """Insert the ``raw`` view after the body of every event class (bottom up)."""
    tree = ast.parse("\n".join(lines))
    ends = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name in classes:
            fields = {
                stmt.target.id
                for stmt in node.body
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
            }
            if fields & {"raw", "_raw"}:
                raise PostprocessError(f"{node.name} has a wire field named raw")
            assert node.end_lineno is not None
            ends.append(node.end_lineno)
    for end in sorted(ends, reverse=True):
        lines[end:end] = RAW_FIELD.splitlines()
    return lines


def _registry(name: str, mapping: dict[str, str]) -> list[str]:
    rows = [f'    "{wire}": {cls},' for wire, cls in sorted(mapping.items())]
    return ["", "", f"{name}: dict[str, type[Any]] = {{", *rows, "}"]


def postprocess(source: str, platform: str, index: dict[str, dict[str, str]]) -> str:
    """Rewrite the generator's module for `platform`; `index` maps wire types to classes."""
    if "@dataclass(" in source:
        raise PostprocessError("unexpected dataclass arguments; update the template")
    events = index["events"]
    lines = _add_raw(_rewrite(source), set(events.values()))
    title = platform.replace("_", " ").title().replace("M8Tes", "m8tes")
    body = "\n".join(lines).lstrip("\n")
    union = " | ".join(sorted(set(events.values())))
    tail = [
        *_registry("EVENT_TYPES", events),
        *_registry("RESOURCE_TYPES", index["resources"]),
        *_registry("PARAM_TYPES", index["params"]),
        "",
        "",
        "#: Every event class of this platform.",
        f"AnyEvent: TypeAlias = {union}",
        "",
    ]
    imports = "from typing import Any, TypeAlias\n\nfrom ._base import wire_dict\n"
    return (
        HEADER.format(title=title, platform=platform)
        + "\nfrom __future__ import annotations\n\n"
        + imports
        + body.replace("from __future__ import annotations\n", "", 1)
        + "\n".join(tail)
    )
