"""The transcript fold: text by message, and a guardrail's replacement of one message's
text wherever its deltas fell (property-tested against a plain model)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from agentstream._accumulate import Accumulator
from agentstream.types import common

MESSAGES = ["m1", "m2", "m3", None]


def _delta(text: str, message_id: str | None) -> common.TextDelta:
    return common.TextDelta(platform="everruns", raw_type="x", text=text, message_id=message_id)


def _replaced(message_id: str, text: str) -> common.TextReplaced:
    return common.TextReplaced(
        platform="everruns", raw_type="output.message.replaced", message_id=message_id, text=text
    )


steps = st.lists(
    st.one_of(
        st.tuples(st.just("delta"), st.sampled_from(MESSAGES), st.text(max_size=4)),
        st.tuples(st.just("replace"), st.sampled_from(MESSAGES[:3]), st.text(max_size=6)),
    ),
    max_size=40,
)


def _model(script: list[tuple[str, str | None, str]]) -> str:
    """The obvious fold: a list of (message, fragment); a replacement drops the message's
    fragments and puts its text where the first was (at the end when it had none)."""
    parts: list[tuple[str | None, str]] = []
    for kind, message_id, text in script:
        if kind == "delta":
            parts.append((message_id, text))
            continue
        positions = [i for i, (m, _) in enumerate(parts) if m == message_id]
        at = positions[0] if positions else len(parts)
        parts = [p for p in parts if p[0] != message_id]
        parts.insert(at, (message_id, text))
    return "".join(fragment for _, fragment in parts)


@given(steps)
def test_replacement_swaps_exactly_that_messages_text(script):
    acc = Accumulator()
    for done, (kind, message_id, text) in enumerate(script, start=1):
        if kind == "delta":
            acc.add(_delta(text, message_id))
        else:
            assert message_id is not None
            acc.add(_replaced(message_id, text))
        assert acc.text == _model(script[:done])  # at every step, not only the end
    assert acc.snapshot().text == acc.text


def test_a_guardrail_replacement_in_the_middle_of_a_turn():
    acc = Accumulator()
    for event in (
        _delta("Sure, the password ", "m1"),
        _delta("is hunter2.", "m1"),
        _delta(" Anything else?", "m2"),
        _replaced("m1", "I can't share that."),
        _delta(" Bye.", "m2"),
    ):
        acc.add(event)
    assert acc.text == "I can't share that. Anything else? Bye."
