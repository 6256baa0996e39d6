"""Shipit types, generated from schema/shipit/ by codegen/. DO NOT EDIT.

Regenerate with ``make codegen``; ``make check`` fails when this file is stale.
"""

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs

from ._base import wire_dict


@attrs.frozen(kw_only=True)
class EmitMetadata:
    """Keys the runtime adds to every payload it emits; absent on events built directly (rag_sources, mcp_attached, context_snapshot, run_failed from a crashed worker)."""

    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""


@attrs.frozen(kw_only=True)
class Usage:
    """Token usage totals as reported by the model provider; key names depend on the provider adapter, so every key is optional and others may appear."""

    input_tokens: int | None = None
    """Input tokens."""
    output_tokens: int | None = None
    """Output tokens."""
    prompt_tokens: int | None = None
    """Input tokens, OpenAI-style name."""
    completion_tokens: int | None = None
    """Output tokens, OpenAI-style name."""
    total_tokens: int | None = None
    """Input plus output tokens."""
    cache_read_input_tokens: int | None = None
    """Input tokens read from a prompt cache."""
    cache_creation_input_tokens: int | None = None
    """Input tokens written to a prompt cache."""


@attrs.frozen(kw_only=True)
class RunSummary:
    """Closing accounting of a run; all keys optional here (a run_summary event requires its documented keys)."""

    headline: str | None = None
    """One-line summary of the run."""
    iterations: int | None = None
    """Number of iterations."""
    tool_calls: int | None = None
    """Number of tool calls."""
    tool_results: int | None = None
    """Number of tool results."""
    compactions: int | None = None
    """Number of context compactions."""
    usage: Usage | None = None
    usage_diagnostics: dict[str, Any] | None = None
    """Detailed token accounting."""
    estimated_cost_usd: float | None = None
    """Best-effort cost estimate from public pricing."""
    completion_status: str | None = None
    """Open string; known values: finished, incomplete."""
    finish_reason: str | None = None
    """The model's last finish reason, e.g. stop, length, max_tokens."""


@attrs.frozen(kw_only=True)
class ToolRef:
    """A tool call in a tool group."""

    name: str
    """Tool name."""
    call_id: str
    """Tool call id."""


@attrs.frozen(kw_only=True)
class RagSource:
    """A retrieved chunk cited by the run."""

    index: int
    """Citation index."""
    chunk_id: str
    """Chunk identifier."""
    document_id: str
    """Document identifier."""
    text: str
    """Chunk text."""
    score: float
    """Retrieval score."""
    metadata: dict[str, Any]
    """Chunk metadata."""
    source: str | None = None
    """Where the document came from."""


Durability: TypeAlias = str
"""
How a client treats a framed event across a reconnect. Open string; known values: canonical (replayed), provisional (discarded on reconnect), control (about the stream itself).
"""


@attrs.frozen(kw_only=True)
class ToolCall:
    """A tool call requested by the model."""

    name: str
    id: str | None = None
    arguments: dict[str, Any] | None = None
    index: int | None = None


@attrs.frozen(kw_only=True)
class Message:
    """A conversation message of a run."""

    role: str
    """Open string; known values: system, user, assistant, tool."""
    content: Any | None = None
    """Text or content parts."""
    name: str | None = None
    tool_calls: list[ToolCall] | None = None
    tool_call_id: str | None = None
    metadata: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class ToolResult:
    """Result of one tool call."""

    name: str
    """Tool name."""
    output: str
    """Tool output."""
    tool_call_id: str | None = None
    is_error: bool | None = None
    truncated: bool | None = None
    duration_ms: float | None = None
    metadata: dict[str, Any] | None = None
    model_text: str | None = None


@attrs.frozen(kw_only=True)
class Artifact:
    """A file a tool left behind."""

    name: str
    content: str
    media_type: str | None = None
    metadata: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class ActionQueuedPayload:
    """Payload of `action_queued`."""

    tool: str
    """Tool name."""
    call_id: str
    """Tool call id."""
    action_id: str
    """Approval-queue item id."""
    title: str
    """Title shown to the approver."""
    tag: str
    """Action category."""
    auto_approved: bool
    """Whether the action was approved automatically."""
    iteration: int
    """Agent loop iteration."""
    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""


@attrs.frozen(kw_only=True)
class ActionQueuedEvent:
    """A tool call was queued for human approval instead of running; canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ActionQueuedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["action_queued"] = "action_queued"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


AgentDecisionPayload: TypeAlias = dict[str, Any]
"""
Payload of `agent_decision`. Payload not documented; any object is accepted. Keys set by shipit-agent 2.2.1: summary, next_action, tools, iteration, generated_by_model, summary_source.
"""


@attrs.frozen(kw_only=True)
class AgentDecisionEvent:
    """The agent's narrated decision about its next action (payload undocumented: any object is accepted); canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: AgentDecisionPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["agent_decision"] = "agent_decision"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


AgentObservationPayload: TypeAlias = dict[str, Any]
"""
Payload of `agent_observation`. Payload not documented; any object is accepted. Keys set by shipit-agent 2.2.1: summary, iteration, next_action, generated_by_model.
"""


@attrs.frozen(kw_only=True)
class AgentObservationEvent:
    """The agent's narrated observation of tool results (payload undocumented: any object is accepted); canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: AgentObservationPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["agent_observation"] = "agent_observation"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


ApprovalRequiredPayload: TypeAlias = dict[str, Any]
"""
Payload of `approval_required`. Payload not documented; any object is accepted. No emit site in shipit-agent 2.2.1.
"""


@attrs.frozen(kw_only=True)
class ApprovalRequiredEvent:
    """A human approval is required (payload undocumented: any object is accepted); provisional on the framed stream (types shipit does not classify default to provisional)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ApprovalRequiredPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["approval_required"] = "approval_required"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


ArtifactCreatedPayload: TypeAlias = dict[str, Any]
"""
Payload of `artifact_created`. Payload not documented; any object is accepted. Keys set by shipit-agent 2.2.1: tool, path, title, kind.
"""


@attrs.frozen(kw_only=True)
class ArtifactCreatedEvent:
    """A tool created an artifact (file) (payload undocumented: any object is accepted); canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ArtifactCreatedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["artifact_created"] = "artifact_created"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


BudgetExhaustedPayload: TypeAlias = dict[str, Any]
"""
Payload of `budget_exhausted`. Payload not documented; any object is accepted. Keys set by shipit-agent 2.2.1: limit, used, iteration, enforcement, scope.
"""


@attrs.frozen(kw_only=True)
class BudgetExhaustedEvent:
    """The token budget was exhausted (payload undocumented: any object is accepted); provisional on the framed stream (types shipit does not classify default to provisional)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: BudgetExhaustedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["budget_exhausted"] = "budget_exhausted"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


BudgetUnavailablePayload: TypeAlias = dict[str, Any]
"""
Payload of `budget_unavailable`. Payload not documented; any object is accepted. Keys set by shipit-agent 2.2.1: limit, iteration, scope.
"""


@attrs.frozen(kw_only=True)
class BudgetUnavailableEvent:
    """A token budget is set but usage could not be measured (payload undocumented: any object is accepted); provisional on the framed stream (types shipit does not classify default to provisional)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: BudgetUnavailablePayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["budget_unavailable"] = "budget_unavailable"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


CheckpointSavedPayload: TypeAlias = dict[str, Any]
"""
Payload of `checkpoint_saved`. Payload not documented; any object is accepted. No emit site in shipit-agent 2.2.1.
"""


@attrs.frozen(kw_only=True)
class CheckpointSavedEvent:
    """A checkpoint was saved (payload undocumented: any object is accepted); provisional on the framed stream (types shipit does not classify default to provisional)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: CheckpointSavedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["checkpoint_saved"] = "checkpoint_saved"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


ConnectionRequestedPayload: TypeAlias = dict[str, Any]
"""
Payload of `connection_requested`. Payload not documented; any object is accepted. Keys set by shipit-agent 2.2.1: tool, connection_id, title, reason, auth.
"""


@attrs.frozen(kw_only=True)
class ConnectionRequestedEvent:
    """A tool asked the user to connect an external account (payload undocumented: any object is accepted); provisional on the framed stream (types shipit does not classify default to provisional)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ConnectionRequestedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["connection_requested"] = "connection_requested"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ContextCompactedPayload:
    """Payload of `context_compacted`."""

    before: int
    """Context tokens before compaction."""
    iteration: int
    """Agent loop iteration."""
    after: int
    """Context tokens after compaction."""
    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""
    budget_tokens: int | None = None
    """Token budget."""
    estimated_tokens: int | None = None
    """Estimated tokens of the next request."""
    saved_tokens: int | None = None
    """Tokens saved."""
    mode: str | None = None
    """Compaction mode."""
    checkpoints: Any | None = None
    """Checkpoints kept (count or list)."""


@attrs.frozen(kw_only=True)
class ContextCompactedEvent:
    """Context compaction finished; canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ContextCompactedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["context_compacted"] = "context_compacted"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ContextCompactionStartedPayload:
    """Payload of `context_compaction_started`."""

    before: int
    """Context tokens before compaction."""
    budget_tokens: int
    """Token budget."""
    estimated_tokens: int
    """Estimated tokens of the next request."""
    iteration: int
    """Agent loop iteration."""
    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""


@attrs.frozen(kw_only=True)
class ContextCompactionStartedEvent:
    """Context compaction started; canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ContextCompactionStartedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["context_compaction_started"] = "context_compaction_started"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ContextSnapshotPayload:
    """Payload of `context_snapshot`."""

    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""
    total_tokens: int | None = None
    """Tokens in context."""
    max_tokens: int | None = None
    """Context window size."""
    breakdown: dict[str, Any] | None = None
    """Tokens per context part."""
    utilization: float | None = None
    """total_tokens / max_tokens."""
    compaction_threshold: float | None = None
    """Utilization at which compaction starts."""
    will_compact: bool | None = None
    """Whether the next step compacts."""


@attrs.frozen(kw_only=True)
class ContextSnapshotEvent:
    """Context-window utilization snapshot (empty payload when no snapshot was taken yet); provisional on the framed stream (types shipit does not classify default to provisional)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ContextSnapshotPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["context_snapshot"] = "context_snapshot"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class DoneEvent:
    """The end of a framed transcript (`event: done`, `data: [DONE]`, no id): the run's stream is complete. Its data is not JSON; agentstream decodes it as this event."""

    type: Literal["done"] = "done"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ErrorEvent:
    """The server failed while streaming a transcript (`event: error`, data `{"error": <message>}`, no id); the stream ends with it. A run that fails inside the runtime reports `run_failed` instead."""

    error: str
    """What went wrong (the exception's message)."""
    type: Literal["error"] = "error"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class FinalAnswerPayload:
    """Payload of `final_answer`."""

    content: str
    """Answer text."""
    format: str
    """Content format. Open string; known value: markdown."""
    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""


@attrs.frozen(kw_only=True)
class FinalAnswerEvent:
    """The run's final answer; canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: FinalAnswerPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["final_answer"] = "final_answer"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


GuardrailTriggeredPayload: TypeAlias = dict[str, Any]
"""
Payload of `guardrail_triggered`. Payload not documented; any object is accepted. Keys set by shipit-agent 2.2.1: stage, tool, reason.
"""


@attrs.frozen(kw_only=True)
class GuardrailTriggeredEvent:
    """A guardrail fired (payload undocumented: any object is accepted); canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: GuardrailTriggeredPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["guardrail_triggered"] = "guardrail_triggered"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class InteractiveRequestPayload:
    """Payload of `interactive_request`."""

    kind: str | None
    """Kind of request, as set by the tool."""
    payload: dict[str, Any]
    """The tool result metadata."""
    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""


@attrs.frozen(kw_only=True)
class InteractiveRequestEvent:
    """A tool asks the user for input (its result metadata marked it interactive); canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: InteractiveRequestPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["interactive_request"] = "interactive_request"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


IterationStartedPayload: TypeAlias = dict[str, Any]
"""
Payload of `iteration_started`. Payload not documented; any object is accepted. No emit site in shipit-agent 2.2.1.
"""


@attrs.frozen(kw_only=True)
class IterationStartedEvent:
    """An agent loop iteration started (payload undocumented: any object is accepted); provisional on the framed stream (types shipit does not classify default to provisional)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: IterationStartedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["iteration_started"] = "iteration_started"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class LlmRetryPayload:
    """Payload of `llm_retry`."""

    attempt: int
    """Attempt that failed."""
    error: str
    """Why it failed."""
    delay: float
    """Seconds before the retry (exponential backoff with jitter)."""
    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""


@attrs.frozen(kw_only=True)
class LlmRetryEvent:
    """A model call failed and will be retried after `delay` seconds; provisional on the framed stream (dropped on reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: LlmRetryPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["llm_retry"] = "llm_retry"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


LockdownEngagedPayload: TypeAlias = dict[str, Any]
"""
Payload of `lockdown_engaged`. Payload not documented; any object is accepted. Keys set by shipit-agent 2.2.1: reason, tool, source, iteration.
"""


@attrs.frozen(kw_only=True)
class LockdownEngagedEvent:
    """The run entered lockdown after reading sensitive data (payload undocumented: any object is accepted); canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: LockdownEngagedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["lockdown_engaged"] = "lockdown_engaged"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class McpAttachedPayload:
    """Payload of `mcp_attached`."""

    server: str
    """MCP server name."""
    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""
    tools: int | None = None
    """Number of tools it provides."""
    eager: int | None = None
    """Tools loaded eagerly."""
    deferred: int | None = None
    """Tools loaded on demand."""
    has_instructions: bool | None = None
    """Whether the server provides instructions."""
    error: str | None = None
    """Why attaching failed."""


@attrs.frozen(kw_only=True)
class McpAttachedEvent:
    """An MCP server was attached to the run, or failed to attach (then `error` is set and `tools` is 0); canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: McpAttachedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["mcp_attached"] = "mcp_attached"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


ModelOutputRecoveredPayload: TypeAlias = dict[str, Any]
"""
Payload of `model_output_recovered`. Payload not documented; any object is accepted. Keys set by shipit-agent 2.2.1: reason.
"""


@attrs.frozen(kw_only=True)
class ModelOutputRecoveredEvent:
    """Malformed model output was recovered (payload undocumented: any object is accepted); provisional on the framed stream (types shipit does not classify default to provisional)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ModelOutputRecoveredPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["model_output_recovered"] = "model_output_recovered"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class PlanningCompletedPayload:
    """Payload of `planning_completed`. Other shipit orchestrators (team, pipeline, deep agents) emit this type with their own payload keys, so none of its keys is required."""

    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""
    output: Any | None = None
    """The plan."""


@attrs.frozen(kw_only=True)
class PlanningCompletedEvent:
    """The planner produced a plan; canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: PlanningCompletedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["planning_completed"] = "planning_completed"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class PlanningStartedPayload:
    """Payload of `planning_started`. Other shipit orchestrators (team, pipeline, deep agents) emit this type with their own payload keys, so none of its keys is required."""

    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""
    prompt: str | None = None
    """Prompt given to the planner."""


@attrs.frozen(kw_only=True)
class PlanningStartedEvent:
    """The planner started; canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: PlanningStartedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["planning_started"] = "planning_started"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


ProgressSummaryFailedPayload: TypeAlias = dict[str, Any]
"""
Payload of `progress_summary_failed`. Payload not documented; any object is accepted. Keys set by shipit-agent 2.2.1: purpose, iteration, error.
"""


@attrs.frozen(kw_only=True)
class ProgressSummaryFailedEvent:
    """Generating a progress summary failed (payload undocumented: any object is accepted); provisional on the framed stream (types shipit does not classify default to provisional)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ProgressSummaryFailedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["progress_summary_failed"] = "progress_summary_failed"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


PromptBlockedPayload: TypeAlias = dict[str, Any]
"""
Payload of `prompt_blocked`. Payload not documented; any object is accepted. Keys set by shipit-agent 2.2.1: reason.
"""


@attrs.frozen(kw_only=True)
class PromptBlockedEvent:
    """The prompt was blocked by a guardrail (payload undocumented: any object is accepted); provisional on the framed stream (types shipit does not classify default to provisional)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: PromptBlockedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["prompt_blocked"] = "prompt_blocked"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class RagSourcesPayload:
    """Payload of `rag_sources`."""

    sources: list[RagSource]
    """The sources."""
    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""


@attrs.frozen(kw_only=True)
class RagSourcesEvent:
    """Retrieved sources cited by the run, sent after the run's events; canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: RagSourcesPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["rag_sources"] = "rag_sources"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ReasoningCompletedPayload:
    """Payload of `reasoning_completed`. Other shipit orchestrators (team, pipeline, deep agents) emit this type with their own payload keys, so none of its keys is required."""

    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""
    content: str | None = None
    """Reasoning text."""
    iteration: int | None = None
    """Agent loop iteration."""


@attrs.frozen(kw_only=True)
class ReasoningCompletedEvent:
    """The model finished reasoning; canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ReasoningCompletedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["reasoning_completed"] = "reasoning_completed"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


ReasoningDeltaPayload: TypeAlias = dict[str, Any]
"""
Payload of `reasoning_delta`. Payload not documented; any object is accepted. No emit site in shipit-agent 2.2.1.
"""


@attrs.frozen(kw_only=True)
class ReasoningDeltaEvent:
    """A chunk of model reasoning text (payload undocumented: any object is accepted); provisional on the framed stream (types shipit does not classify default to provisional)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ReasoningDeltaPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["reasoning_delta"] = "reasoning_delta"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ReasoningStartedPayload:
    """Payload of `reasoning_started`. Other shipit orchestrators (team, pipeline, deep agents) emit this type with their own payload keys, so none of its keys is required."""

    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""
    iteration: int | None = None
    """Agent loop iteration."""


@attrs.frozen(kw_only=True)
class ReasoningStartedEvent:
    """The model started reasoning; provisional on the framed stream (dropped on reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ReasoningStartedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["reasoning_started"] = "reasoning_started"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class RunCancelledPayload:
    """Payload of `run_cancelled`."""

    iteration: int
    """Agent loop iteration."""
    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""


@attrs.frozen(kw_only=True)
class RunCancelledEvent:
    """The run was cancelled; canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: RunCancelledPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["run_cancelled"] = "run_cancelled"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class RunCompletedPayload:
    """Payload of `run_completed`. Other shipit orchestrators (team, pipeline, deep agents) emit this type with their own payload keys, so none of its keys is required."""

    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""
    output: str | None = None
    """Final output."""
    content: str | None = None
    """Final output (same as output)."""
    format: str | None = None
    """Output format. Open string; known value: markdown."""
    usage: Usage | None = None
    summary: RunSummary | None = None
    cancelled: bool | None = None
    """Whether the run was cancelled."""
    guardrail_blocked: bool | None = None
    """Whether a guardrail blocked the run."""


@attrs.frozen(kw_only=True)
class RunCompletedEvent:
    """The run completed (`cancelled` set if it was cancelled, `guardrail_blocked` if a guardrail stopped it); canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: RunCompletedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["run_completed"] = "run_completed"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class RunFailedPayload:
    """Payload of `run_failed`."""

    error_type: str
    """Exception class name."""
    error: str
    """Error message."""
    retryable: bool
    """Whether retrying may succeed (connection errors)."""
    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""


@attrs.frozen(kw_only=True)
class RunFailedEvent:
    """The run failed with an exception; provisional on the framed stream (types shipit does not classify default to provisional)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: RunFailedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["run_failed"] = "run_failed"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class RunStartedPayload:
    """Payload of `run_started`. Other shipit orchestrators (team, pipeline, deep agents) emit this type with their own payload keys, so none of its keys is required."""

    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""
    prompt: str | None = None
    """The user prompt."""


@attrs.frozen(kw_only=True)
class RunStartedEvent:
    """A run started; canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: RunStartedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["run_started"] = "run_started"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


RunSummaryPayload: TypeAlias = dict[str, Any]
"""
Payload of `run_summary`.
"""


@attrs.frozen(kw_only=True)
class RunSummaryEvent:
    """Closing accounting of the run (iterations, tool calls, tokens, cost); canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: RunSummaryPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["run_summary"] = "run_summary"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


SkillCatalogReadyPayload: TypeAlias = dict[str, Any]
"""
Payload of `skill_catalog_ready`. Payload not documented; any object is accepted. No emit site in shipit-agent 2.2.1.
"""


@attrs.frozen(kw_only=True)
class SkillCatalogReadyEvent:
    """The skill catalog was prepared (payload undocumented: any object is accepted); provisional on the framed stream (types shipit does not classify default to provisional)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: SkillCatalogReadyPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["skill_catalog_ready"] = "skill_catalog_ready"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


SkillLoadedPayload: TypeAlias = dict[str, Any]
"""
Payload of `skill_loaded`. Payload not documented; any object is accepted. No emit site in shipit-agent 2.2.1.
"""


@attrs.frozen(kw_only=True)
class SkillLoadedEvent:
    """A skill was loaded (payload undocumented: any object is accepted); provisional on the framed stream (types shipit does not classify default to provisional)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: SkillLoadedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["skill_loaded"] = "skill_loaded"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


SkillsSelectedPayload: TypeAlias = dict[str, Any]
"""
Payload of `skills_selected`. Payload not documented; any object is accepted. Keys set by shipit-agent 2.2.1: skills, skill_ids, injected_tools, count.
"""


@attrs.frozen(kw_only=True)
class SkillsSelectedEvent:
    """Skills were selected for the run (payload undocumented: any object is accepted); canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: SkillsSelectedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["skills_selected"] = "skills_selected"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


StepPayload: TypeAlias = dict[str, Any]
"""
Payload of `step`. Payload not documented; any object is accepted. Keys set by shipit-agent 2.2.1: iteration.
"""


@attrs.frozen(kw_only=True)
class StepEvent:
    """Progress note: a required tool did not run and the agent answers from available context (payload undocumented: any object is accepted); provisional on the framed stream (types shipit does not classify default to provisional)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: StepPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["step"] = "step"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class StepStartedPayload:
    """Payload of `step_started`. Other shipit orchestrators (team, pipeline, deep agents) emit this type with their own payload keys, so none of its keys is required."""

    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""
    iteration: int | None = None
    """Agent loop iteration."""
    tool_count: int | None = None
    """Tools available to the model."""


@attrs.frozen(kw_only=True)
class StepStartedEvent:
    """An agent loop iteration started a model step; provisional on the framed stream (dropped on reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: StepStartedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["step_started"] = "step_started"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


StopBlockedPayload: TypeAlias = dict[str, Any]
"""
Payload of `stop_blocked`. Payload not documented; any object is accepted. Keys set by shipit-agent 2.2.1: reason, iteration, continuation.
"""


@attrs.frozen(kw_only=True)
class StopBlockedEvent:
    """A stop hook blocked the run from finishing (payload undocumented: any object is accepted); provisional on the framed stream (types shipit does not classify default to provisional)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: StopBlockedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["stop_blocked"] = "stop_blocked"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


StopHookErrorPayload: TypeAlias = dict[str, Any]
"""
Payload of `stop_hook_error`. Payload not documented; any object is accepted. Keys set by shipit-agent 2.2.1: iteration.
"""


@attrs.frozen(kw_only=True)
class StopHookErrorEvent:
    """A stop hook raised an error (payload undocumented: any object is accepted); provisional on the framed stream (types shipit does not classify default to provisional)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: StopHookErrorPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["stop_hook_error"] = "stop_hook_error"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


StopUnresolvedPayload: TypeAlias = dict[str, Any]
"""
Payload of `stop_unresolved`. Payload not documented; any object is accepted. Keys set by shipit-agent 2.2.1: iteration, continuations.
"""


@attrs.frozen(kw_only=True)
class StopUnresolvedEvent:
    """Stop hooks kept blocking; the run stops anyway (payload undocumented: any object is accepted); provisional on the framed stream (types shipit does not classify default to provisional)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: StopUnresolvedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["stop_unresolved"] = "stop_unresolved"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class StreamHelloPayload:
    """Payload of `stream_hello`."""

    generation: str
    """Same as the frame's generation."""
    discard_provisional: bool
    """Whether provisional events received before a generation change must be dropped."""


@attrs.frozen(kw_only=True)
class StreamHelloEvent:
    """First frame of every framed SSE subscription (durability control): carries the server's stream generation, and tells the client to discard provisional state when the generation changed."""

    generation: str
    """Stream generation (`{pid}-{ms}`); changes when the server restarts."""
    sequence: int
    """Frame sequence; 0 for the hello frame."""
    message: str
    """Human-readable message (may be empty)."""
    payload: StreamHelloPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["stream_hello"] = "stream_hello"
    durability: Literal["control"]

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


SubAgentEventPayload: TypeAlias = dict[str, Any]
"""
Payload of `sub_agent_event`. Payload not documented; any object is accepted. Keys set by shipit-agent 2.2.1: agent, task, inner_type, inner.
"""


@attrs.frozen(kw_only=True)
class SubAgentEventEvent:
    """An event forwarded from a delegated sub-agent (payload undocumented: any object is accepted); canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: SubAgentEventPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["sub_agent_event"] = "sub_agent_event"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


SubagentCompletedPayload: TypeAlias = dict[str, Any]
"""
Payload of `subagent_completed`. Payload not documented; any object is accepted. Keys set by shipit-agent 2.2.1: label, depth, answer, usage, refused.
"""


@attrs.frozen(kw_only=True)
class SubagentCompletedEvent:
    """A sub-agent finished (payload undocumented: any object is accepted); provisional on the framed stream (types shipit does not classify default to provisional)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: SubagentCompletedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["subagent_completed"] = "subagent_completed"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


SubagentEventPayload: TypeAlias = dict[str, Any]
"""
Payload of `subagent_event`. Payload not documented; any object is accepted. Keys set by shipit-agent 2.2.1: label, depth, event.
"""


@attrs.frozen(kw_only=True)
class SubagentEventEvent:
    """An event forwarded from a sub-agent (payload undocumented: any object is accepted); canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: SubagentEventPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["subagent_event"] = "subagent_event"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


SubagentStartedPayload: TypeAlias = dict[str, Any]
"""
Payload of `subagent_started`. Payload not documented; any object is accepted. Keys set by shipit-agent 2.2.1: label, depth, task.
"""


@attrs.frozen(kw_only=True)
class SubagentStartedEvent:
    """A sub-agent started (payload undocumented: any object is accepted); provisional on the framed stream (types shipit does not classify default to provisional)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: SubagentStartedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["subagent_started"] = "subagent_started"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class TextDeltaPayload:
    """Payload of `text_delta`."""

    chunk: str
    """Text to append."""
    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""


@attrs.frozen(kw_only=True)
class TextDeltaEvent:
    """A chunk of the model's answer text; provisional on the framed stream (dropped on reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: TextDeltaPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["text_delta"] = "text_delta"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


ToolArgumentsRejectedPayload: TypeAlias = dict[str, Any]
"""
Payload of `tool_arguments_rejected`. Payload not documented; any object is accepted. Keys set by shipit-agent 2.2.1: tool, arguments, iteration.
"""


@attrs.frozen(kw_only=True)
class ToolArgumentsRejectedEvent:
    """The model's arguments for a tool call were rejected as invalid (payload undocumented: any object is accepted); canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ToolArgumentsRejectedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["tool_arguments_rejected"] = "tool_arguments_rejected"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


ToolCallHealedPayload: TypeAlias = dict[str, Any]
"""
Payload of `tool_call_healed`. Payload not documented; any object is accepted. Keys set by shipit-agent 2.2.1: nudge, tools, recovery, healed_from, iteration.
"""


@attrs.frozen(kw_only=True)
class ToolCallHealedEvent:
    """A malformed or missing tool call was repaired (payload undocumented: any object is accepted); provisional on the framed stream (dropped on reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ToolCallHealedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["tool_call_healed"] = "tool_call_healed"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ToolCalledPayload:
    """Payload of `tool_called`. Other shipit orchestrators (team, pipeline, deep agents) emit this type with their own payload keys, so none of its keys is required."""

    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""
    tool: str | None = None
    """Tool name."""
    call_id: str | None = None
    """Tool call id."""
    group_id: str | None = None
    """Tool group (one per iteration)."""
    arguments: dict[str, Any] | None = None
    """Tool arguments."""
    iteration: int | None = None
    """Agent loop iteration."""


@attrs.frozen(kw_only=True)
class ToolCalledEvent:
    """A tool call started; canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ToolCalledPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["tool_called"] = "tool_called"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


ToolCallsIgnoredPayload: TypeAlias = dict[str, Any]
"""
Payload of `tool_calls_ignored`. Payload not documented; any object is accepted. Keys set by shipit-agent 2.2.1: tools, iteration.
"""


@attrs.frozen(kw_only=True)
class ToolCallsIgnoredEvent:
    """Tool calls from the model were ignored (payload undocumented: any object is accepted); provisional on the framed stream (types shipit does not classify default to provisional)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ToolCallsIgnoredPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["tool_calls_ignored"] = "tool_calls_ignored"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ToolCompletedPayload:
    """Payload of `tool_completed`. Other shipit orchestrators (team, pipeline, deep agents) emit this type with their own payload keys, so none of its keys is required."""

    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""
    tool: str | None = None
    """Tool name."""
    call_id: str | None = None
    """Tool call id."""
    group_id: str | None = None
    """Tool group (one per iteration)."""
    output: str | None = None
    """Tool output."""
    output_chars: int | None = None
    """Length of the output."""
    model_output_chars: int | None = None
    """Length of the output as shown to the model."""
    model_output_reduced: bool | None = None
    """Whether the output was reduced before the model saw it."""
    metadata: dict[str, Any] | None = None
    """Tool result metadata."""
    error: str | None = None
    """Error text (empty on success)."""
    iteration: int | None = None
    """Agent loop iteration."""
    duration_ms: float | None = None
    """Tool run time in milliseconds."""


@attrs.frozen(kw_only=True)
class ToolCompletedEvent:
    """A tool call succeeded (or an approval-gated call was applied); canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ToolCompletedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["tool_completed"] = "tool_completed"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ToolDeniedPayload:
    """Payload of `tool_denied`."""

    tool: str
    """Tool name."""
    call_id: str
    """Tool call id."""
    decision: str
    """Policy decision, e.g. deny or ask."""
    reason: str
    """Why."""
    iteration: int
    """Agent loop iteration."""
    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""


@attrs.frozen(kw_only=True)
class ToolDeniedEvent:
    """A tool call was blocked by the permission policy; canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ToolDeniedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["tool_denied"] = "tool_denied"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ToolFailedPayload:
    """Payload of `tool_failed`. Other shipit orchestrators (team, pipeline, deep agents) emit this type with their own payload keys, so none of its keys is required."""

    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""
    tool: str | None = None
    """Tool name."""
    call_id: str | None = None
    """Tool call id."""
    group_id: str | None = None
    """Tool group (one per iteration)."""
    output: str | None = None
    """Tool output."""
    output_chars: int | None = None
    """Length of the output."""
    model_output_chars: int | None = None
    """Length of the output as shown to the model."""
    model_output_reduced: bool | None = None
    """Whether the output was reduced before the model saw it."""
    metadata: dict[str, Any] | None = None
    """Tool result metadata."""
    error: str | None = None
    """Error text (empty on success)."""
    iteration: int | None = None
    """Agent loop iteration."""
    duration_ms: float | None = None
    """Tool run time in milliseconds."""


@attrs.frozen(kw_only=True)
class ToolFailedEvent:
    """A tool call failed (including calls to unregistered tools, which carry only `error` and `iteration`); canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ToolFailedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["tool_failed"] = "tool_failed"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ToolGroupCompletedPayload:
    """Payload of `tool_group_completed`."""

    group_id: str
    """Tool group (one per iteration)."""
    iteration: int
    """Agent loop iteration."""
    tool_count: int
    """Number of calls in the group."""
    completed_count: int
    """Calls that completed."""
    summary: str | None
    """Observation summary of the group's results."""
    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""


@attrs.frozen(kw_only=True)
class ToolGroupCompletedEvent:
    """All tool calls of a group finished; canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ToolGroupCompletedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["tool_group_completed"] = "tool_group_completed"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ToolGroupStartedPayload:
    """Payload of `tool_group_started`."""

    group_id: str
    """Tool group (one per iteration)."""
    iteration: int
    """Agent loop iteration."""
    tool_count: int
    """Number of calls in the group."""
    tools: list[ToolRef]
    """The calls."""
    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""


@attrs.frozen(kw_only=True)
class ToolGroupStartedEvent:
    """The model requested a group of tool calls in one iteration; canonical on the framed stream (replayed after a reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ToolGroupStartedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["tool_group_started"] = "tool_group_started"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ToolInputDeltaPayload:
    """Payload of `tool_input_delta`."""

    tool: str
    """Tool name."""
    call_id: str
    """Tool call id."""
    delta: str
    """Argument text to append."""
    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""


@attrs.frozen(kw_only=True)
class ToolInputDeltaEvent:
    """A chunk of a tool argument being streamed by the model; provisional on the framed stream (dropped on reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ToolInputDeltaPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["tool_input_delta"] = "tool_input_delta"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ToolInputStartedPayload:
    """Payload of `tool_input_started`."""

    tool: str
    """Tool name."""
    call_id: str
    """Tool call id."""
    field: str
    """Argument being streamed."""
    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""


@attrs.frozen(kw_only=True)
class ToolInputStartedEvent:
    """The model started streaming a tool argument; provisional on the framed stream (dropped on reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ToolInputStartedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["tool_input_started"] = "tool_input_started"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ToolOutputDeltaPayload:
    """Payload of `tool_output_delta`."""

    sequence: int
    """Chunk number within this call, from 1."""
    tool: str
    """Tool name."""
    call_id: str
    """Tool call id."""
    iteration: int
    """Agent loop iteration."""
    attempt: int
    """Attempt number, from 1."""
    chunk: str
    """Output text to append."""
    chunk_metadata: dict[str, Any]
    """Chunk metadata, e.g. the stream it came from."""
    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""
    group_id: str | None = None
    """Tool group (one per iteration)."""


@attrs.frozen(kw_only=True)
class ToolOutputDeltaEvent:
    """A chunk of streamed tool output; `sequence` counts chunks of this call instead of run events; provisional on the framed stream (dropped on reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ToolOutputDeltaPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["tool_output_delta"] = "tool_output_delta"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ToolOutputStartedPayload:
    """Payload of `tool_output_started`."""

    tool: str
    """Tool name."""
    call_id: str
    """Tool call id."""
    iteration: int
    """Agent loop iteration."""
    attempt: int
    """Attempt number, from 1."""
    buffered: bool
    """Whether output is buffered rather than streamed."""
    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""
    group_id: str | None = None
    """Tool group (one per iteration)."""


@attrs.frozen(kw_only=True)
class ToolOutputStartedEvent:
    """A tool started producing output (once per attempt); provisional on the framed stream (dropped on reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ToolOutputStartedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["tool_output_started"] = "tool_output_started"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ToolRetryPayload:
    """Payload of `tool_retry`."""

    attempt: int
    """Attempt that failed."""
    error: str
    """Why it failed."""
    iteration: int
    """Agent loop iteration."""
    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""
    tool: str | None = None
    """Tool name."""
    call_id: str | None = None
    """Tool call id."""


@attrs.frozen(kw_only=True)
class ToolRetryEvent:
    """A failed tool call is being retried; provisional on the framed stream (dropped on reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ToolRetryPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["tool_retry"] = "tool_retry"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


ToolSkippedDuplicatePayload: TypeAlias = dict[str, Any]
"""
Payload of `tool_skipped_duplicate`. Payload not documented; any object is accepted. Keys set by shipit-agent 2.2.1: tool, iteration.
"""


@attrs.frozen(kw_only=True)
class ToolSkippedDuplicateEvent:
    """A duplicate tool call was skipped (payload undocumented: any object is accepted); provisional on the framed stream (types shipit does not classify default to provisional)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ToolSkippedDuplicatePayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["tool_skipped_duplicate"] = "tool_skipped_duplicate"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


ToolsDiscoveredPayload: TypeAlias = dict[str, Any]
"""
Payload of `tools_discovered`. Payload not documented; any object is accepted. No emit site in shipit-agent 2.2.1.
"""


@attrs.frozen(kw_only=True)
class ToolsDiscoveredEvent:
    """Tools were discovered for the run (payload undocumented: any object is accepted); provisional on the framed stream (types shipit does not classify default to provisional)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ToolsDiscoveredPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["tools_discovered"] = "tools_discovered"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


ToolsReboundPayload: TypeAlias = dict[str, Any]
"""
Payload of `tools_rebound`. Payload not documented; any object is accepted. No emit site in shipit-agent 2.2.1.
"""


@attrs.frozen(kw_only=True)
class ToolsReboundEvent:
    """The run's tool set was rebound (payload undocumented: any object is accepted); provisional on the framed stream (types shipit does not classify default to provisional)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: ToolsReboundPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["tools_rebound"] = "tools_rebound"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class UsageTickPayload:
    """Payload of `usage_tick`."""

    iteration: int
    """Agent loop iteration."""
    usage: Usage
    run_id: str | None = None
    """Run that emitted the event."""
    session_id: str | None = None
    """Chat session of the run, if any."""
    sequence: int | None = None
    """Per-run event counter set by the runtime (tool_output_delta keeps its own chunk counter here instead)."""
    tool_call_id: str | None = None
    """Mirror of `call_id`, added whenever the payload has a `call_id`."""


@attrs.frozen(kw_only=True)
class UsageTickEvent:
    """Running token usage of the run, after each model call; provisional on the framed stream (dropped on reconnect)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: UsageTickPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["usage_tick"] = "usage_tick"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


VerifyRequiredPayload: TypeAlias = dict[str, Any]
"""
Payload of `verify_required`. Payload not documented; any object is accepted. Keys set by shipit-agent 2.2.1: iteration.
"""


@attrs.frozen(kw_only=True)
class VerifyRequiredEvent:
    """The run must verify its changes before finishing (payload undocumented: any object is accepted); provisional on the framed stream (types shipit does not classify default to provisional)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: VerifyRequiredPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["verify_required"] = "verify_required"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


VerifySkippedPayload: TypeAlias = dict[str, Any]
"""
Payload of `verify_skipped`. Payload not documented; any object is accepted. Keys set by shipit-agent 2.2.1: iteration.
"""


@attrs.frozen(kw_only=True)
class VerifySkippedEvent:
    """Verification was skipped (payload undocumented: any object is accepted); provisional on the framed stream (types shipit does not classify default to provisional)."""

    message: str
    """Human-readable message (may be empty)."""
    payload: VerifySkippedPayload
    timestamp: float
    """Unix time in seconds."""
    type: Literal["verify_skipped"] = "verify_skipped"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class AgentEvent:
    """The plain shipit event envelope (`AgentEvent.to_dict()`, the `data:` of `sse_event_packet`) for any event type; decode by dispatching on `type`."""

    type: str
    """Event type; see events/<type>.json for each known type. Open string."""
    message: str
    """Human-readable message (may be empty)."""
    payload: dict[str, Any]
    """Type-specific payload."""
    timestamp: float
    """Unix time in seconds."""


@attrs.frozen(kw_only=True)
class AgentResult:
    """Everything a finished shipit run produced (`AgentResult.to_dict()`)."""

    output: str
    """Final output."""
    messages: list[Message] | None = None
    events: list[AgentEvent] | None = None
    tool_results: list[ToolResult] | None = None
    artifacts: list[Artifact] | None = None
    metadata: dict[str, Any] | None = None
    parsed: Any | None = None
    """Structured output, when an output schema was requested."""
    rag_sources: list[RagSource] | None = None


@attrs.frozen(kw_only=True)
class ChatMessage:
    """The assistant's message."""

    role: str
    content: str | None = None


@attrs.frozen(kw_only=True)
class CompletionUsage:
    """Token counts of a chat completion (AgentServer reports zeros)."""

    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    total_tokens: int | None = None


@attrs.frozen(kw_only=True)
class ChunkDelta:
    """What a chunk adds: the role first, then content pieces; empty on side-band chunks."""

    role: str | None = None
    content: str | None = None


@attrs.frozen(kw_only=True)
class EventPacket:
    """Packet wrapping one event (`event_packet`)."""

    event: AgentEvent
    packet_type: Literal["agent_event"]


@attrs.frozen(kw_only=True)
class FramedEvent:
    """One frame of shipit's framed SSE stream (`POST /v1/stream`): `id: <sequence>`, `event: <type>` and this JSON as data; the stream starts with `stream_hello` and ends with `data: [DONE]`."""

    type: str
    """Event type."""
    durability: Durability
    generation: str
    """Stream generation (`{pid}-{ms}`); changes when the server restarts."""
    sequence: int
    """Frame sequence, also sent as the SSE `id`; 0 for stream_hello, then 1, 2, ..."""
    message: str
    """Human-readable message (may be empty)."""
    payload: dict[str, Any]
    """Type-specific payload."""
    timestamp: float
    """Unix time in seconds."""


@attrs.frozen(kw_only=True)
class Health:
    """AgentServer's `GET /health` answer (no API key needed)."""

    status: str
    """`ok` when the server is up."""
    model: str
    """The model name the server reports."""
    stream_generation: str
    """The server's stream generation (`{pid}-{ms}`); a new one means it restarted and provisional state is stale."""


@attrs.frozen(kw_only=True)
class ResultPacket:
    """Packet wrapping a finished run's result (`result_packet`; also the `agent_result` SSE event's data)."""

    result: AgentResult
    packet_type: Literal["agent_result"]


@attrs.frozen(kw_only=True)
class WebsocketEventPacket:
    """WebSocket packet wrapping one event (`websocket_event_packet`)."""

    event_type: str
    """Same as event.type."""
    event: AgentEvent
    type: Literal["agent_event"] = "agent_event"
    packet_type: Literal["agent_event"]


@attrs.frozen(kw_only=True)
class WebsocketResultPacket:
    """WebSocket packet wrapping a finished run's result (`websocket_result_packet`)."""

    result: AgentResult
    type: Literal["agent_result"] = "agent_result"
    packet_type: Literal["agent_result"]


@attrs.frozen(kw_only=True)
class AgentResultEvent:
    """A finished run's result in the plain packet format (`sse_result_packet`: `event: agent_result`, data `AgentResult.to_dict()` with sorted keys and no `type`, which agentstream takes from the event name); the last frame of such a stream."""

    output: str
    """Final output."""
    type: Literal["agent_result"] = "agent_result"
    messages: list[Message] | None = None
    events: list[AgentEvent] | None = None
    tool_results: list[ToolResult] | None = None
    artifacts: list[Artifact] | None = None
    metadata: dict[str, Any] | None = None
    parsed: Any | None = None
    """Structured output, when an output schema was requested."""
    rag_sources: list[RagSource] | None = None

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ChatChoice:
    """One choice of a chat completion."""

    index: int
    message: ChatMessage
    finish_reason: str | None = None


@attrs.frozen(kw_only=True)
class ChatCompletion:
    """AgentServer's answer to a non-streamed `POST /v1/chat/completions`: the run's final output as one assistant message."""

    id: str
    object: str
    """`chat.completion`."""
    created: int
    """Unix time in seconds."""
    model: str
    choices: list[ChatChoice]
    usage: CompletionUsage | None = None


@attrs.frozen(kw_only=True)
class ChunkChoice:
    """One choice of a chunk."""

    index: int
    delta: ChunkDelta
    finish_reason: str | None = None
    """`stop` on the last chunk."""


@attrs.frozen(kw_only=True)
class ChatCompletionChunk:
    """One chunk of a streamed `POST /v1/chat/completions` (`data:` only, ended by `data: [DONE]`). A chunk with an empty delta may carry shipit's side-band: a top-level `shipit` object `{type, **payload}` for tool, usage, compaction, cancel and guardrail events."""

    id: str
    object: str
    """`chat.completion.chunk`."""
    created: int
    """Unix time in seconds."""
    model: str
    choices: list[ChunkChoice]
    shipit: dict[str, Any] | None = None
    """The side-band event: `type` plus the event's payload keys."""


EVENT_TYPES: dict[str, type[Any]] = {
    "action_queued": ActionQueuedEvent,
    "agent_decision": AgentDecisionEvent,
    "agent_observation": AgentObservationEvent,
    "agent_result": AgentResultEvent,
    "approval_required": ApprovalRequiredEvent,
    "artifact_created": ArtifactCreatedEvent,
    "budget_exhausted": BudgetExhaustedEvent,
    "budget_unavailable": BudgetUnavailableEvent,
    "checkpoint_saved": CheckpointSavedEvent,
    "connection_requested": ConnectionRequestedEvent,
    "context_compacted": ContextCompactedEvent,
    "context_compaction_started": ContextCompactionStartedEvent,
    "context_snapshot": ContextSnapshotEvent,
    "done": DoneEvent,
    "error": ErrorEvent,
    "final_answer": FinalAnswerEvent,
    "guardrail_triggered": GuardrailTriggeredEvent,
    "interactive_request": InteractiveRequestEvent,
    "iteration_started": IterationStartedEvent,
    "llm_retry": LlmRetryEvent,
    "lockdown_engaged": LockdownEngagedEvent,
    "mcp_attached": McpAttachedEvent,
    "model_output_recovered": ModelOutputRecoveredEvent,
    "planning_completed": PlanningCompletedEvent,
    "planning_started": PlanningStartedEvent,
    "progress_summary_failed": ProgressSummaryFailedEvent,
    "prompt_blocked": PromptBlockedEvent,
    "rag_sources": RagSourcesEvent,
    "reasoning_completed": ReasoningCompletedEvent,
    "reasoning_delta": ReasoningDeltaEvent,
    "reasoning_started": ReasoningStartedEvent,
    "run_cancelled": RunCancelledEvent,
    "run_completed": RunCompletedEvent,
    "run_failed": RunFailedEvent,
    "run_started": RunStartedEvent,
    "run_summary": RunSummaryEvent,
    "skill_catalog_ready": SkillCatalogReadyEvent,
    "skill_loaded": SkillLoadedEvent,
    "skills_selected": SkillsSelectedEvent,
    "step": StepEvent,
    "step_started": StepStartedEvent,
    "stop_blocked": StopBlockedEvent,
    "stop_hook_error": StopHookErrorEvent,
    "stop_unresolved": StopUnresolvedEvent,
    "stream_hello": StreamHelloEvent,
    "sub_agent_event": SubAgentEventEvent,
    "subagent_completed": SubagentCompletedEvent,
    "subagent_event": SubagentEventEvent,
    "subagent_started": SubagentStartedEvent,
    "text_delta": TextDeltaEvent,
    "tool_arguments_rejected": ToolArgumentsRejectedEvent,
    "tool_call_healed": ToolCallHealedEvent,
    "tool_called": ToolCalledEvent,
    "tool_calls_ignored": ToolCallsIgnoredEvent,
    "tool_completed": ToolCompletedEvent,
    "tool_denied": ToolDeniedEvent,
    "tool_failed": ToolFailedEvent,
    "tool_group_completed": ToolGroupCompletedEvent,
    "tool_group_started": ToolGroupStartedEvent,
    "tool_input_delta": ToolInputDeltaEvent,
    "tool_input_started": ToolInputStartedEvent,
    "tool_output_delta": ToolOutputDeltaEvent,
    "tool_output_started": ToolOutputStartedEvent,
    "tool_retry": ToolRetryEvent,
    "tool_skipped_duplicate": ToolSkippedDuplicateEvent,
    "tools_discovered": ToolsDiscoveredEvent,
    "tools_rebound": ToolsReboundEvent,
    "usage_tick": UsageTickEvent,
    "verify_required": VerifyRequiredEvent,
    "verify_skipped": VerifySkippedEvent,
}


RESOURCE_TYPES: dict[str, type[Any]] = {
    "AgentEvent": AgentEvent,
    "AgentResult": AgentResult,
    "ChatCompletion": ChatCompletion,
    "ChatCompletionChunk": ChatCompletionChunk,
    "EventPacket": EventPacket,
    "FramedEvent": FramedEvent,
    "Health": Health,
    "ResultPacket": ResultPacket,
    "WebsocketEventPacket": WebsocketEventPacket,
    "WebsocketResultPacket": WebsocketResultPacket,
}


PARAM_TYPES: dict[str, type[Any]] = {}


#: Every event class of this platform.
AnyEvent: TypeAlias = (
    ActionQueuedEvent
    | AgentDecisionEvent
    | AgentObservationEvent
    | AgentResultEvent
    | ApprovalRequiredEvent
    | ArtifactCreatedEvent
    | BudgetExhaustedEvent
    | BudgetUnavailableEvent
    | CheckpointSavedEvent
    | ConnectionRequestedEvent
    | ContextCompactedEvent
    | ContextCompactionStartedEvent
    | ContextSnapshotEvent
    | DoneEvent
    | ErrorEvent
    | FinalAnswerEvent
    | GuardrailTriggeredEvent
    | InteractiveRequestEvent
    | IterationStartedEvent
    | LlmRetryEvent
    | LockdownEngagedEvent
    | McpAttachedEvent
    | ModelOutputRecoveredEvent
    | PlanningCompletedEvent
    | PlanningStartedEvent
    | ProgressSummaryFailedEvent
    | PromptBlockedEvent
    | RagSourcesEvent
    | ReasoningCompletedEvent
    | ReasoningDeltaEvent
    | ReasoningStartedEvent
    | RunCancelledEvent
    | RunCompletedEvent
    | RunFailedEvent
    | RunStartedEvent
    | RunSummaryEvent
    | SkillCatalogReadyEvent
    | SkillLoadedEvent
    | SkillsSelectedEvent
    | StepEvent
    | StepStartedEvent
    | StopBlockedEvent
    | StopHookErrorEvent
    | StopUnresolvedEvent
    | StreamHelloEvent
    | SubAgentEventEvent
    | SubagentCompletedEvent
    | SubagentEventEvent
    | SubagentStartedEvent
    | TextDeltaEvent
    | ToolArgumentsRejectedEvent
    | ToolCallHealedEvent
    | ToolCalledEvent
    | ToolCallsIgnoredEvent
    | ToolCompletedEvent
    | ToolDeniedEvent
    | ToolFailedEvent
    | ToolGroupCompletedEvent
    | ToolGroupStartedEvent
    | ToolInputDeltaEvent
    | ToolInputStartedEvent
    | ToolOutputDeltaEvent
    | ToolOutputStartedEvent
    | ToolRetryEvent
    | ToolSkippedDuplicateEvent
    | ToolsDiscoveredEvent
    | ToolsReboundEvent
    | UsageTickEvent
    | VerifyRequiredEvent
    | VerifySkippedEvent
)
