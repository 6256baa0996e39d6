"""The platform registries against the provider documentation: every documented event
type has a class, every registered type is documented (or a documented addition), and
``PROVIDERS.md`` lists each type verbatim.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from agentstream._converter import PLATFORMS

ROOT = Path(__file__).resolve().parent.parent
PROVIDER_TYPES = Path(__file__).resolve().parent / "data" / "provider_event_types.json"
PROVIDERS_MD = ROOT.parent / "shared" / "PROVIDERS.md"
PROVIDER_PLATFORMS = ("m8tes", "everruns", "managed_agents", "shipit")

#: Event types registered although PROVIDERS.md does not list them, with the reason.
DOCUMENTED_ADDITIONS: dict[str, dict[str, str]] = {
    "m8tes": {},
    "everruns": {},
    "managed_agents": {},
    "shipit": {
        "step": "emitted by shipit-agent 2.2.1 (runtime.py) although neither in its EventType "
        "Literal nor among PROVIDERS.md's 'emitted types not in the Literal' (schema $comment)",
        "done": "the framed transcript's end frame (`event: done`, `data: [DONE]`, §5.3)",
        "error": "AgentServer's in-band failure frame on /v1/stream (`event: error`)",
        "agent_result": "the plain packet format's result frame (`sse_result_packet`, §5.3)",
    },
}

#: PROVIDERS.md's shorthands (verbatim) -> the listed types that appear only through them.
SHORTHANDS = {
    "`reasoning-start`/`-end`": ["reasoning-end"],
    "`thinking-start`/`-end`": ["thinking-end"],
    "`plan-start`/`-end`": ["plan-end"],
    "`task.message.sent`/`.received`": ["task.message.received"],
    "`budget.warning|paused|exhausted|resumed`": [
        "budget.paused",
        "budget.exhausted",
        "budget.resumed",
    ],
    "`voice.session.started|ended|failed`": ["voice.session.ended", "voice.session.failed"],
    "`voice.input_transcript.delta|completed`": ["voice.input_transcript.completed"],
    "`voice.output_transcript.delta|completed`": ["voice.output_transcript.completed"],
}


# --- registries against PROVIDERS.md ------------------------------------------------


def _provider_types() -> dict[str, list[str]]:
    data: dict[str, list[str]] = json.loads(PROVIDER_TYPES.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("platform", PROVIDER_PLATFORMS)
def test_registry_matches_providers_md(platform: str) -> None:
    listed = _provider_types()[platform]
    assert len(listed) == len(set(listed)), "duplicate in provider_event_types.json"
    additions = DOCUMENTED_ADDITIONS[platform]
    assert not set(additions) & set(listed), "an addition is listed after all"
    registry = set(PLATFORMS[platform].EVENT_TYPES)
    assert sorted(registry - set(listed) - set(additions)) == [], "undocumented extra types"
    assert sorted(set(listed) - registry) == [], "documented types without a class"
    assert sorted(set(additions) - registry) == [], "stale DOCUMENTED_ADDITIONS entry"


def test_provider_lists_keep_the_documents_order() -> None:
    lists = _provider_types()
    assert lists["shipit"].index("run_cancelled") == 33, "the 34 EventType values come first"
    assert lists["managed_agents"][-2:] == ["event_start", "event_delta"]
    assert lists["everruns"][-2:] == ["connected", "disconnecting"]


def _expand(shorthand: str) -> list[str]:
    """`a.b|c` -> a.b, a.c; `x-start`/`-end` -> x-start, x-end; `a.b`/`.c` -> a.b, a.c."""
    first, *rest = shorthand.replace("`", "").split("/")
    if "|" in first:
        head, _, alternatives = first.rpartition(".")
        return [f"{head}.{alt}" for alt in alternatives.split("|")]
    return [first] + [first.rsplit(part[0], 1)[0] + part for part in rest]


@pytest.mark.skipif(
    not PROVIDERS_MD.exists(),
    reason=f"{PROVIDERS_MD} is absent (it sits next to the repo on dev machines and in CI)",
)
def test_listed_types_appear_verbatim_in_providers_md() -> None:
    doc = PROVIDERS_MD.read_text(encoding="utf-8")
    for shorthand, expanded in SHORTHANDS.items():
        assert shorthand in doc
        assert set(expanded) <= set(_expand(shorthand)), shorthand
    via_shorthand = {wire_type for expanded in SHORTHANDS.values() for wire_type in expanded}
    missing = [
        f"{platform}: {wire_type}"
        for platform in PROVIDER_PLATFORMS
        for wire_type in _provider_types()[platform]
        if wire_type not in via_shorthand
        and not re.search(r"(?<![\w.-])" + re.escape(wire_type) + r"(?![\w-]|\.\w)", doc)
    ]
    assert missing == []
