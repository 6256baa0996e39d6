"""UnknownEvent: what an event becomes when its type has no class (or, leniently, when
its payload does not fit its class). Unknown events never crash and never vanish."""

from __future__ import annotations

from typing import Any

import attrs


@attrs.frozen(kw_only=True)
class UnknownEvent:
    """An event the SDK has no class for.

    Attributes:
        type: the wire type (None when the payload had none).
        data: the whole payload, untouched.
        error: why decoding failed, when the type *is* known but the payload did not
            fit its class (lenient mode only; strict mode raises instead).
    """

    type: str | None
    data: dict[str, Any]
    error: Exception | None = attrs.field(default=None, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """The payload as it was on the wire."""
        return self.data
