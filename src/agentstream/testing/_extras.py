"""The optional dependencies of the emulators, and the one-line error that names what to
install when one is missing (instead of a ModuleNotFoundError deep in an import)."""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["INSTALL", "MissingExtraError", "install_hint", "load"]

#: Top-level module -> what installs it.
INSTALL = {
    "starlette": "the server extra: pip install 'agentstream[server]'",
    "uvicorn": "the server extra: pip install 'agentstream[server]'",
    "shipit_agent": "shipit-agent: pip install shipit-agent",
}


class MissingExtraError(ModuleNotFoundError):
    """An optional dependency is missing; the message (one line) says what to install."""


def install_hint(exc: ModuleNotFoundError, what: str) -> MissingExtraError | None:
    """A MissingExtraError saying in one line that `what` needs an optional dependency
    and how to install it; None when `exc` is not about one of them."""
    if isinstance(exc, MissingExtraError):
        return exc
    missing = (exc.name or "").split(".")[0]
    install = INSTALL.get(missing)
    if install is None:
        return None
    return MissingExtraError(f"{what} needs {install} ({missing} is not installed)", name=exc.name)


def load(module: str, name: str, what: str | None = None) -> Any:
    """``module.name``, imported now.

    Raises:
        MissingExtraError: an optional dependency is missing; the message names the
            extra to install.
    """
    try:
        return getattr(importlib.import_module(module, __package__), name)
    except ModuleNotFoundError as exc:
        better = install_hint(exc, what or name)
        if better is None:
            raise
        raise better from None
