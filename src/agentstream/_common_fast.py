"""Fast constructors of the common-view events made once per token (a text, reasoning
or tool-arguments delta): the normalizers of every platform call these instead of the
classes, at about half the cost of a frozen attrs ``__init__`` (``_builders``)."""

from __future__ import annotations

from ._builders import fast_constructor
from .types import common

__all__ = ["ReasoningDelta", "TextDelta", "ToolCallArgumentsDelta"]

TextDelta = fast_constructor(common.TextDelta)
ReasoningDelta = fast_constructor(common.ReasoningDelta)
ToolCallArgumentsDelta = fast_constructor(common.ToolCallArgumentsDelta)
