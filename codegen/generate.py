"""Generate ``src/agentstream/types/<platform>.py`` from ``schema/<platform>/``, and the
sync twins of the async sources (``unasync.py``).

    python -m codegen            # regenerate every platform
    python -m codegen --check    # fail (exit 1) when the committed output is stale

Pipeline, per platform:
1. ``bundle.py`` folds the platform's schema files into one document (one module, one
   flat namespace of classes).
2. The pinned datamodel-code-generator writes dataclasses through our template
   (``templates/dataclass.jinja2``), which marks every field whose wire name differs
   from its Python name with ``# wire: <name>``.
3. ``postprocess.py`` turns the dataclasses into frozen, keyword-only attrs classes,
   the markers into ``attrs.field(metadata={"wire": ...})``, and appends the registries.
4. ruff formats the result.
"""

from __future__ import annotations

import argparse
import difflib
import json
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

from codegen import unasync
from codegen.bundle import bundle
from codegen.postprocess import postprocess

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema"
OUTPUT = ROOT / "src" / "agentstream" / "types"
TEMPLATES = Path(__file__).resolve().parent / "templates"
PLATFORMS = ("m8tes", "everruns", "managed_agents", "shipit", "common")
#: The generator's output changes between releases: pin it, and say so loudly.
GENERATOR_VERSION = "0.89.0"
OPTIONS = [
    "--input-file-type=jsonschema",
    "--output-model-type=dataclasses.dataclass",
    "--target-python-version=3.10",
    "--use-standard-collections",
    "--use-union-operator",
    "--snake-case-field",
    "--disable-timestamp",
    "--formatters=builtin",
    "--use-one-literal-as-default",
    "--enum-field-as-literal=all",
    "--use-schema-description",
    "--use-field-description",
    f"--custom-template-dir={TEMPLATES}",
]


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def generate(platform: str) -> str:
    """Return the formatted module for `platform`."""
    schema, index = bundle(SCHEMA / platform)
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp, f"{platform}.json"), Path(tmp, f"{platform}.py")
        source.write_text(json.dumps(schema, indent=1))
        subprocess.run(
            [_bin("datamodel-codegen"), f"--input={source}", f"--output={target}", *OPTIONS],
            check=True,
            capture_output=True,
        )
        target.write_text(postprocess(target.read_text(), platform, index))
        subprocess.run([_bin("ruff"), "format", "--quiet", str(target)], check=True)
        subprocess.run(
            [_bin("ruff"), "check", "--quiet", "--fix", "--select=I,F401", str(target)],
            check=True,
        )
        return target.read_text()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the output is stale")
    args = parser.parse_args(argv)
    if version("datamodel-code-generator") != GENERATOR_VERSION:
        print(f"codegen needs datamodel-code-generator=={GENERATOR_VERSION}", file=sys.stderr)
        return 2
    outputs = {OUTPUT / f"{platform}.py": generate(platform) for platform in PLATFORMS}
    outputs |= unasync.generate()
    stale = []
    for path, fresh in outputs.items():
        current = path.read_text() if path.exists() else ""
        if fresh == current:
            continue
        if args.check:
            stale.append(path)
            diff = difflib.unified_diff(
                current.splitlines(), fresh.splitlines(), str(path), "fresh", lineterm=""
            )
            print("\n".join(list(diff)[:40]), file=sys.stderr)
        else:
            path.write_text(fresh)
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        names = ", ".join(str(p.relative_to(ROOT)) for p in stale)
        print(f"generated code is stale: {names}; run `make codegen`", file=sys.stderr)
        return 1
    return 0
