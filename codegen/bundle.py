"""Bundle one platform's schema files into a single JSON Schema document.

datamodel-code-generator turns a directory into one module per file; we want one module
per platform, with one flat namespace of classes. So every file (events, resources,
params) and every shared definition becomes an entry of one ``$defs`` map, keyed by its
``title`` (or its definition name), and every ``$ref`` is rewritten to point inside it.

Rewrites besides the refs, so the generated classes hold exactly what the wire carries
and unstructure back to the same JSON:
- ``format`` is dropped: timestamps stay the ISO strings the platform sent;
- ``examples``, ``$comment``, ``$schema`` and ``$id`` are dropped (docs, not types);
- ``allOf`` of object schemas is flattened into one object (the generator handles the
  composition inconsistently: sometimes a base class, sometimes nothing);
- an object with no properties (a payload the platform does not document), or one
  marked ``"x-agentstream-open": true``, becomes an open ``dict[str, Any]`` rather than
  a class that would drop what it does not name.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DROPPED = {"examples", "$comment", "$schema", "$id", "format"}
KINDS = ("events", "resources", "params")
#: A schema keyword of ours: the object is generated as ``dict[str, Any]``, untyped.
OPEN_MARK = "x-agentstream-open"


class BundleError(Exception):
    """Two schemas want the same class name, or a reference points nowhere."""


def _rewrite(node: Any, local: dict[str, str], shared: Names, where: Path) -> Any:
    """Copy `node`, dropping doc-only keys and pointing every $ref into the bundle."""
    if isinstance(node, list):
        return [_rewrite(item, local, shared, where) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in DROPPED or key == "$defs":
            continue
        if key == "$ref":
            out[key] = _resolve(value, local, shared, where)
        elif key in ("properties", "patternProperties"):
            # Property names are data, not schema keywords: never drop them.
            out[key] = {name: _rewrite(sub, local, shared, where) for name, sub in value.items()}
        else:
            out[key] = _rewrite(value, local, shared, where)
    return out


class Names:
    """The names a $ref can reach: shared definitions, and whole files (by resolved
    path: ``params/user.message.json`` and ``events/user.message.json`` differ)."""

    def __init__(self, defs: set[str], files: dict[Path, str]) -> None:
        self.defs = defs
        self.files = files

    def __contains__(self, name: str) -> bool:
        return name in self.defs


def _resolve(ref: str, local: dict[str, str], shared: Names, where: Path) -> str:
    target, _, pointer = ref.partition("#")
    name = pointer.removeprefix("/$defs/")
    if target == "" and name in local:
        return f"#/$defs/{local[name]}"
    if (target.endswith("defs.json") or target == "") and name in shared:
        return f"#/$defs/{name}"
    whole = (where.parent / target).resolve() if target and not pointer else None
    if whole in shared.files:  # a whole file, relative to the one that refers to it
        return f"#/$defs/{shared.files[whole]}"
    raise BundleError(f"{where}: unresolvable $ref {ref!r}")


def bundle(platform_dir: Path) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    """Return the bundled schema and, per kind, a map wire type or file stem -> class name."""
    defs_file = platform_dir / "defs.json"
    shared_defs: dict[str, Any] = (
        json.loads(defs_file.read_text())["$defs"] if defs_file.exists() else {}
    )
    files = {
        path.resolve(): json.loads(path.read_text())["title"]
        for kind in KINDS
        for path in (platform_dir / kind).glob("*.json")
    }
    shared = Names(set(shared_defs), files)
    bundled: dict[str, Any] = {
        name: _rewrite(schema, {}, shared, defs_file) for name, schema in shared_defs.items()
    }
    index: dict[str, dict[str, str]] = {}
    for kind in KINDS:
        index[kind] = {}
        for path in sorted((platform_dir / kind).glob("*.json")):
            schema = json.loads(path.read_text())
            title = schema["title"]
            local = {name: sub.get("title", name) for name, sub in schema.get("$defs", {}).items()}
            for name, sub in schema.get("$defs", {}).items():
                _add(bundled, local[name], _rewrite(sub, local, shared, path), path)
            body = _rewrite(schema, local, shared, path)
            alias = _alias_of(body)
            if alias is None:
                _add(bundled, title, body, path)
            index[kind][path.name.removesuffix(".json")] = alias or title
    for name, schema in bundled.items():
        bundled[name] = _normalize(schema, bundled)
    root = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": bundled}
    return root, index


def _normalize(node: Any, bundled: dict[str, Any]) -> Any:
    """Flatten object ``allOf``s and open up property-less objects, recursively."""
    if isinstance(node, list):
        return [_normalize(item, bundled) for item in node]
    if not isinstance(node, dict):
        return node
    if node.get(OPEN_MARK):
        # Said explicitly by the schema: keep this object as it came (a list of events
        # of any type, say, to be decoded one by one through the registry).
        kept = {key: node[key] for key in ("title", "description") if key in node}
        return {**kept, "type": "object", "additionalProperties": {}}
    node = {key: _normalize(value, bundled) for key, value in node.items()}
    if "allOf" in node:
        node = _flatten(node, bundled)
    if (
        node.get("type") == "object"
        and not node.get("properties")
        and not any(key in node for key in ("allOf", "anyOf", "oneOf", "$ref"))
        and node.get("additionalProperties", True) is True
    ):
        node.pop("properties", None)
        node["additionalProperties"] = {}
    return node


def _flatten(node: dict[str, Any], bundled: dict[str, Any]) -> dict[str, Any]:
    if not node.get("properties") and node.get("additionalProperties", True) is True:
        # An undocumented payload that merely mentions common keys is still open.
        open_node = {key: node[key] for key in ("title", "description") if key in node}
        return {**open_node, "type": "object", "additionalProperties": {}}
    parts = []
    for part in node["allOf"]:
        if "$ref" in part:
            part = bundled[part["$ref"].removeprefix("#/$defs/")]
        if part.get("type", "object") != "object" or set(part) - OBJECT_KEYS:
            return node  # not a plain object composition: leave it to the generator
        parts.append(part)
    merged = {key: value for key, value in node.items() if key != "allOf"}
    properties: dict[str, Any] = {}
    required: list[str] = []
    for part in [*parts, node]:
        properties.update(part.get("properties", {}))
        required += [name for name in part.get("required", []) if name not in required]
    merged.update(type="object", properties=properties, required=required)
    return merged


#: Keys an object schema may have and still be merged into another by ``_flatten``.
OBJECT_KEYS = {"type", "properties", "required", "additionalProperties", "title", "description"}


def _alias_of(schema: dict[str, Any]) -> str | None:
    """The definition a file merely points to (a resource that *is* a shared type)."""
    if set(schema) <= {"$ref", "title", "description"} and "$ref" in schema:
        ref: str = schema["$ref"]
        return ref.removeprefix("#/$defs/")
    return None


def _add(bundled: dict[str, Any], name: str, schema: Any, path: Path) -> None:
    if name in bundled and bundled[name] != schema:
        raise BundleError(f"{path}: class name {name!r} is already taken")
    bundled[name] = schema
