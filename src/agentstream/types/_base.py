"""What every generated types module imports: the bridge to the converter."""

from __future__ import annotations

from typing import Any


def wire_dict(obj: Any) -> dict[str, Any]:
    """`obj` as a wire dict (wire names, absent optional fields left out)."""
    from .._converter import unstructure  # lazy: the converter imports the types

    result: dict[str, Any] = unstructure(obj)
    return result
