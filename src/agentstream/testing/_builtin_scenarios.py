"""The built-in scenarios every emulator knows, registered when agentstream.testing loads.

- ``demo`` (the default): a support-triage turn, a little reasoning, an inbox search and
  a ticket lookup, then the streamed answer.
- ``approval``: sending an email needs the user's approval.
- ``question``: the agent asks which customer segment to report on.
- ``failure``: a tool's token expired and the run fails.
"""

from __future__ import annotations

from .scenarios import (
    Scenario,
    ask_approval,
    ask_question,
    fail,
    register_scenario,
    say,
    think,
    tool,
    usage,
)

__all__ = ["APPROVAL", "DEMO", "FAILURE", "QUESTION"]

DEMO = Scenario(
    "demo",
    [
        think(
            "The user wants their unread support mail triaged. I'll search the inbox "
            "first, then open the ticket the most urgent thread refers to."
        ),
        tool(
            "gmail_search",
            {"query": "is:unread label:support", "max_results": 10},
            result="3 threads found: 'Refund not received' (ticket ACME-1042), "
            "'Login loop on the mobile app', 'Copy of March invoice'",
        ),
        tool(
            "zendesk_get_ticket",
            {"ticket_id": "ACME-1042"},
            result={
                "id": "ACME-1042",
                "status": "open",
                "priority": "high",
                "subject": "Refund not received",
                "requester": "dana@example.com",
                "age_days": 6,
            },
        ),
        say(
            "Here are your 3 unread support threads, triaged:\n\n"
            "1. Refund not received (ACME-1042): high priority, open for 6 days. "
            "Dana is still waiting for her refund; reply today.\n"
            "2. Login loop on the mobile app: medium priority; route it to the app team.\n"
            "3. Copy of March invoice: low priority; billing can send it."
        ),
        usage(input_tokens=5120, output_tokens=730),
    ],
    keywords=["triage"],
)

APPROVAL = Scenario(
    "approval",
    [
        say("I've drafted the weekly report. Sending it needs your approval.\n\n"),
        ask_approval(
            "gmail_send",
            {"to": "ops@example.com", "subject": "Weekly report", "body": "Tickets closed: 42."},
            result="Message sent (id msg_5521)",
        ),
        say("The send step is settled; the report draft stays in your outbox either way."),
        usage(input_tokens=2210, output_tokens=184),
    ],
    keywords=["send the weekly report"],
)

QUESTION = Scenario(
    "question",
    [
        ask_question(
            "Which customer segment should the report cover?", options=["Enterprise", "SMB"]
        ),
        say("Thanks, building the report for that segment now."),
        usage(input_tokens=1430, output_tokens=96),
    ],
    keywords=["which segment"],
)

FAILURE = Scenario(
    "failure",
    [
        say("Checking the support inbox..."),
        tool("gmail_search", {"query": "is:unread"}, error="Gmail token expired"),
        fail("Gmail token expired", code="integration_auth_failed"),
    ],
    keywords=["expired token"],
)

for _builtin in (DEMO, APPROVAL, QUESTION, FAILURE):
    register_scenario(_builtin)
