"""The scenarios only the Everruns emulator knows (kept out of the global registry:
``guardrail`` uses the Everruns-only ``Replace`` step, which other emulators cannot play).

- ``guardrail``: the agent starts to leak a password; a guardrail replaces the answer
  (``output.message.replaced``).
- ``client-tool``: the turn waits for the client to run ``calendar_lookup`` and post
  its result to ``/tool-results``.
"""

from __future__ import annotations

from typing import cast

from ._everruns_player import Replace
from .scenarios import Scenario, Step, client_tool, say, usage

__all__ = ["CLIENT_TOOL", "GUARDRAIL"]

GUARDRAIL = Scenario(
    "guardrail",
    cast(
        "list[Step]",
        [
            say("Sure. The staging database password is hunter2, and the user is admin."),
            Replace("I can't share credentials. Ask your administrator for access."),
            usage(input_tokens=410, output_tokens=38),
        ],
    ),
    keywords=["database password"],
)
CLIENT_TOOL = Scenario(
    "client-tool",
    [
        say("Let me look at your calendar.\n\n"),
        client_tool("calendar_lookup", {"date": "2026-05-04"}, result=["09:00 standup"]),
        say("You have one meeting that day: the 09:00 standup."),
        usage(input_tokens=980, output_tokens=61),
    ],
    keywords=["my calendar"],
)
