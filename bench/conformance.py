"""Spec conformance: every library on the named cases of ``tests/data/sse_cases.json``
(WHATWG examples and LaunchDarkly contract-test cases), fed whole and byte by byte."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench import peers
from bench.report import Section
from bench.timing import TimeLimit, time_limit

CASES = Path(__file__).parent.parent / "tests" / "data" / "sse_cases.json"


def _input(case: dict[str, Any]) -> bytes:
    if "input_hex" in case:
        return bytes.fromhex(case["input_hex"])
    data: bytes = case["input"].encode("utf-8")
    return data


def _outcome(peer: peers.Peer, chunks: list[bytes], expected: list[peers.Key]) -> str | None:
    """None when `peer` gives the expected events, else what went wrong."""
    try:
        with time_limit(2):
            got = list(peer.events(chunks or [b""]))
    except TimeLimit:
        return "hangs"
    except Exception as exc:
        return f"raises {type(exc).__name__}"
    return None if got == expected else "wrong events"


def run() -> Section:
    cases: list[dict[str, Any]] = json.loads(CASES.read_text(encoding="utf-8"))
    rows: list[list[str]] = []
    for peer in peers.PEERS:
        if peers.unavailable(peer):
            continue
        groups: dict[str, list[str]] = {}
        for case in cases:
            data = _input(case)
            expected = [(e["event"], e["data"], e["id"]) for e in case["events"]]
            whole = _outcome(peer, [data], expected)
            split = _outcome(peer, [data[i : i + 1] for i in range(len(data))], expected)
            if whole or split:
                how = whole or f"{split} byte by byte"
                groups.setdefault(case["name"].split(":")[0], []).append(how)
        failed = sum(len(hows) for hows in groups.values())
        shown = "; ".join(
            f"{group} \u00d7{len(hows)} ({', '.join(sorted(set(hows)))})"
            for group, hows in groups.items()
        )
        rows.append([peer.name, f"{len(cases) - failed}/{len(cases)}", shown or "—"])
    text = (
        "Each case's bytes fed whole and then one byte per chunk; a case passes when both"
        " give exactly the expected events (type, data, last event id). Failures are"
        " grouped by the case family (the prefix of the case name in the file)."
    )
    return Section(
        "Spec conformance: named cases", text, ["library", "passed", "failed cases"], rows
    )
