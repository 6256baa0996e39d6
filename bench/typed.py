"""Typed decoding: bytes -> generated attrs classes through ``structure_event`` against
bytes -> dicts, on m8tes ``text-delta`` frames."""

from __future__ import annotations

from collections.abc import Callable

from agentstream import SSEDecoder
from agentstream._converter import structure_event
from bench import corpus
from bench.report import Section
from bench.timing import fmt_ratio, fmt_seconds, interleaved


def _dicts(chunks: list[bytes]) -> Callable[[], object]:
    def run() -> object:
        decoder = SSEDecoder()
        for chunk in chunks:
            for ev in decoder.feed(chunk):
                ev.json()  # type: ignore[union-attr]
        return None

    return run


def _typed(chunks: list[bytes], strict: bool) -> Callable[[], object]:
    def run() -> object:
        decoder = SSEDecoder()
        for chunk in chunks:
            for ev in decoder.feed(chunk):
                structure_event("m8tes", ev.json(), strict=strict)  # type: ignore[union-attr]
        return None

    return run


def run(events: int, rounds: int) -> tuple[Section, float]:
    chunks = corpus.fixed(corpus.deltas(events), 64 * 1024)
    first = SSEDecoder().feed(chunks[0])[0].json()  # type: ignore[union-attr]
    sample = structure_event("m8tes", first, strict=True)
    assert type(sample).__name__ == "TextDeltaEvent", sample
    contenders = [
        ("bytes → dicts (`.json()`)", _dicts(chunks)),
        ("bytes → attrs (`structure_event`, lenient)", _typed(chunks, strict=False)),
        ("bytes → attrs (`structure_event`, strict)", _typed(chunks, strict=True)),
    ]
    timed = interleaved(contenders, contenders[0][0], rounds)
    rows = [
        [
            name,
            fmt_seconds(timed.median(name)),
            f"{events / timed.median(name):,.0f}",
            fmt_ratio(timed.ratio(name)),
        ]
        for name, _ in contenders
    ]
    text = (
        f"{events:,} m8tes `text-delta` frames in 64 KiB chunks, decoded by SSEDecoder; each"
        " event's JSON parsed to a dict, then (typed) turned into the generated"
        " `TextDeltaEvent` attrs class; every result is dropped at once, as a consumer"
        " would. Ratio: median over pairs run back to back of the time relative to the dict decode."
    )
    section = Section("Typed decode", text, ["pipeline", "median", "events/s", "vs dicts"], rows)
    return section, timed.ratio(contenders[1][0])
