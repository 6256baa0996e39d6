"""Managed Agents types, generated from schema/managed_agents/ by codegen/. DO NOT EDIT.

Regenerate with ``make codegen``; ``make check`` fails when this file is stale.
"""

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs

from ._base import wire_dict

EventId: TypeAlias = str
"""
Identifier of a stored session event (prefix `sevt_`).
"""


SessionThreadId: TypeAlias = str
"""
Identifier of a session thread (prefix `sthr_`).
"""


@attrs.frozen(kw_only=True)
class TextBlock:
    """A text content block."""

    text: str
    """The text."""
    type: Literal["text"] = "text"


@attrs.frozen(kw_only=True)
class Base64Source:
    """Inline base64-encoded image or document data."""

    data: str
    """Base64-encoded bytes."""
    media_type: str
    """MIME type of the data, e.g. image/png or application/pdf."""
    type: Literal["base64"] = "base64"


@attrs.frozen(kw_only=True)
class UrlSource:
    """Image or document fetched from a URL."""

    url: str
    """Location to fetch the content from."""
    type: Literal["url"] = "url"


@attrs.frozen(kw_only=True)
class FileSource:
    """Image or document stored as an uploaded file."""

    file_id: str
    """Identifier of a file uploaded through the Files API."""
    type: Literal["file"] = "file"


@attrs.frozen(kw_only=True)
class PlainTextSource:
    """Inline plain-text document."""

    data: str
    """The document text."""
    type: Literal["text"] = "text"
    media_type: Literal["text/plain"]


ImageSource: TypeAlias = Base64Source | UrlSource | FileSource
"""
Where an image block's bytes come from, discriminated on `type`.
"""


DocumentSource: TypeAlias = Base64Source | PlainTextSource | UrlSource | FileSource
"""
Where a document block's content comes from, discriminated on `type`.
"""


@attrs.frozen(kw_only=True)
class ImageBlock:
    """An image content block."""

    source: ImageSource
    type: Literal["image"] = "image"


@attrs.frozen(kw_only=True)
class DocumentBlock:
    """A document content block."""

    source: DocumentSource
    type: Literal["document"] = "document"
    title: str | None = None
    """Document title."""
    context: str | None = None
    """Extra context about the document for the model."""


@attrs.frozen(kw_only=True)
class RedactedBlock:
    """A content block whose content was redacted by the platform."""

    type: Literal["redacted"] = "redacted"


@attrs.frozen(kw_only=True)
class SearchResultCitations:
    """Citation settings of a search result block."""

    enabled: bool
    """Whether the model may cite this search result."""


@attrs.frozen(kw_only=True)
class SearchResultBlock:
    """A search result content block, usable in tool results."""

    source: str
    """Source identifier or URL of the result."""
    title: str
    """Title of the result."""
    content: list[TextBlock]
    """Text of the result."""
    citations: SearchResultCitations
    type: Literal["search_result"] = "search_result"


MessageContentBlock: TypeAlias = TextBlock | ImageBlock | DocumentBlock | RedactedBlock
"""
Content block of a user message or a thread message: text, image, document or redacted.
"""


AgentContentBlock: TypeAlias = TextBlock | RedactedBlock
"""
Content block of an agent message: text or redacted.
"""


ToolResultContentBlock: TypeAlias = TextBlock | ImageBlock | DocumentBlock | SearchResultBlock
"""
Content block of a tool result: text, image, document or search result.
"""


EvaluatedPermission: TypeAlias = str
"""
Permission outcome for a tool call. Open string; known values: allow, ask, deny.
"""


@attrs.frozen(kw_only=True)
class AllowDecision:
    """The automatic evaluation allowed the call."""

    type: Literal["allow"] = "allow"


@attrs.frozen(kw_only=True)
class AskDecision:
    """The automatic evaluation asks the user to confirm the call."""

    reason_code: str
    """Why confirmation is needed."""
    type: Literal["ask"] = "ask"


@attrs.frozen(kw_only=True)
class DenyDecision:
    """The automatic evaluation denied the call."""

    reason_code: str
    """Why the call was denied."""
    type: Literal["deny"] = "deny"


AutoEvaluatedPermission: TypeAlias = AllowDecision | AskDecision | DenyDecision
"""
Decision reached by an automatic permission evaluation, discriminated on `type`.
"""


@attrs.frozen(kw_only=True)
class AlwaysAllowEvaluation:
    """The tool is configured to always run without confirmation."""

    type: Literal["always_allow"] = "always_allow"


@attrs.frozen(kw_only=True)
class AlwaysAskEvaluation:
    """The tool is configured to always ask for confirmation."""

    type: Literal["always_ask"] = "always_ask"


@attrs.frozen(kw_only=True)
class AutoEvaluation:
    """The platform evaluated the call automatically."""

    evaluated_permission: AutoEvaluatedPermission
    type: Literal["auto"] = "auto"


PermissionEvaluation: TypeAlias = AlwaysAllowEvaluation | AlwaysAskEvaluation | AutoEvaluation
"""
How the permission for a tool call was decided, discriminated on `type`.
"""


@attrs.frozen(kw_only=True)
class EndTurnStopReason:
    """The agent finished its turn."""

    type: Literal["end_turn"] = "end_turn"


@attrs.frozen(kw_only=True)
class RequiresActionStopReason:
    """The session waits for the client to answer the listed events."""

    event_ids: list[EventId]
    """Events awaiting a client answer (tool confirmations or custom tool results)."""
    type: Literal["requires_action"] = "requires_action"


@attrs.frozen(kw_only=True)
class RetriesExhaustedStopReason:
    """The session stopped after exhausting its retries on errors."""

    type: Literal["retries_exhausted"] = "retries_exhausted"


@attrs.frozen(kw_only=True)
class BudgetReachedStopReason:
    """The session stopped because its budget was reached."""

    type: Literal["budget_reached"] = "budget_reached"


@attrs.frozen(kw_only=True)
class RefusalStopReason:
    """The model refused to continue."""

    type: Literal["refusal"] = "refusal"


StopReason: TypeAlias = (
    EndTurnStopReason
    | RequiresActionStopReason
    | RetriesExhaustedStopReason
    | BudgetReachedStopReason
    | RefusalStopReason
)
"""
Why a session or thread went idle, discriminated on `type`.
"""


@attrs.frozen(kw_only=True)
class RefusalStopDetails:
    """Details accompanying a refusal stop reason."""

    type: Literal["refusal"] = "refusal"
    category: str | None = None
    """Refusal category. Open string; known values: cyber, bio, frontier_llm, reasoning_extraction, general_harms."""
    explanation: str | None = None
    """Human-readable explanation of the refusal."""


@attrs.frozen(kw_only=True)
class RetryingStatus:
    """The platform is retrying after the error."""

    type: Literal["retrying"] = "retrying"


@attrs.frozen(kw_only=True)
class ExhaustedStatus:
    """The platform gave up retrying."""

    type: Literal["exhausted"] = "exhausted"


@attrs.frozen(kw_only=True)
class TerminalStatus:
    """The error cannot be retried."""

    type: Literal["terminal"] = "terminal"


RetryStatus: TypeAlias = RetryingStatus | ExhaustedStatus | TerminalStatus
"""
Whether the platform retries after a session error, discriminated on `type`.
"""


@attrs.frozen(kw_only=True)
class UnknownError:
    """An unclassified error."""

    message: str
    """Human-readable error message."""
    retry_status: RetryStatus
    type: Literal["unknown_error"] = "unknown_error"


@attrs.frozen(kw_only=True)
class ModelOverloadedError:
    """The model is overloaded."""

    message: str
    """Human-readable error message."""
    retry_status: RetryStatus
    type: Literal["model_overloaded_error"] = "model_overloaded_error"


@attrs.frozen(kw_only=True)
class ModelRateLimitedError:
    """Model requests were rate limited."""

    message: str
    """Human-readable error message."""
    retry_status: RetryStatus
    type: Literal["model_rate_limited_error"] = "model_rate_limited_error"


@attrs.frozen(kw_only=True)
class ModelRequestFailedError:
    """A model request failed."""

    message: str
    """Human-readable error message."""
    retry_status: RetryStatus
    type: Literal["model_request_failed_error"] = "model_request_failed_error"


@attrs.frozen(kw_only=True)
class McpConnectionFailedError:
    """Connecting to an MCP server failed."""

    message: str
    """Human-readable error message."""
    retry_status: RetryStatus
    mcp_server_name: str
    """The MCP server concerned."""
    type: Literal["mcp_connection_failed_error"] = "mcp_connection_failed_error"


@attrs.frozen(kw_only=True)
class McpAuthenticationFailedError:
    """Authenticating to an MCP server failed."""

    message: str
    """Human-readable error message."""
    retry_status: RetryStatus
    mcp_server_name: str
    """The MCP server concerned."""
    type: Literal["mcp_authentication_failed_error"] = "mcp_authentication_failed_error"


@attrs.frozen(kw_only=True)
class BillingError:
    """A billing problem stopped the session."""

    message: str
    """Human-readable error message."""
    retry_status: RetryStatus
    type: Literal["billing_error"] = "billing_error"


@attrs.frozen(kw_only=True)
class CredentialHostUnreachableError:
    """The host a vault credential is for could not be reached."""

    message: str
    """Human-readable error message."""
    retry_status: RetryStatus
    credential_id: str
    """The credential concerned."""
    vault_id: str
    """The vault holding the credential."""
    type: Literal["credential_host_unreachable_error"] = "credential_host_unreachable_error"


@attrs.frozen(kw_only=True)
class ToolUseLimitReachedError:
    """The session reached its tool-use limit."""

    message: str
    """Human-readable error message."""
    retry_status: RetryStatus
    type: Literal["tool_use_limit_reached_error"] = "tool_use_limit_reached_error"


@attrs.frozen(kw_only=True)
class CompactionLimitReachedError:
    """The session reached its context-compaction limit."""

    message: str
    """Human-readable error message."""
    retry_status: RetryStatus
    type: Literal["compaction_limit_reached_error"] = "compaction_limit_reached_error"


@attrs.frozen(kw_only=True)
class RepositoryAuthenticationError:
    """A repository authentication error."""

    message: str
    """Human-readable error message."""
    retry_status: RetryStatus
    type: Literal["repository_authentication_error"] = "repository_authentication_error"
    repository_url: str | None = None
    """The repository concerned."""


@attrs.frozen(kw_only=True)
class RepositoryForbiddenError:
    """A repository forbidden error."""

    message: str
    """Human-readable error message."""
    retry_status: RetryStatus
    type: Literal["repository_forbidden_error"] = "repository_forbidden_error"
    repository_url: str | None = None
    """The repository concerned."""


@attrs.frozen(kw_only=True)
class RepositoryNotFoundError:
    """A repository not found error."""

    message: str
    """Human-readable error message."""
    retry_status: RetryStatus
    type: Literal["repository_not_found_error"] = "repository_not_found_error"
    repository_url: str | None = None
    """The repository concerned."""


@attrs.frozen(kw_only=True)
class RepositoryCheckoutError:
    """A repository checkout error."""

    message: str
    """Human-readable error message."""
    retry_status: RetryStatus
    type: Literal["repository_checkout_error"] = "repository_checkout_error"
    repository_url: str | None = None
    """The repository concerned."""


@attrs.frozen(kw_only=True)
class RepositoryCloneError:
    """A repository clone error."""

    message: str
    """Human-readable error message."""
    retry_status: RetryStatus
    type: Literal["repository_clone_error"] = "repository_clone_error"
    repository_url: str | None = None
    """The repository concerned."""


SessionError: TypeAlias = (
    UnknownError
    | ModelOverloadedError
    | ModelRateLimitedError
    | ModelRequestFailedError
    | McpConnectionFailedError
    | McpAuthenticationFailedError
    | BillingError
    | CredentialHostUnreachableError
    | ToolUseLimitReachedError
    | CompactionLimitReachedError
    | RepositoryAuthenticationError
    | RepositoryForbiddenError
    | RepositoryNotFoundError
    | RepositoryCheckoutError
    | RepositoryCloneError
)
"""
Error reported by a `session.error` event, discriminated on `type`.
"""


@attrs.frozen(kw_only=True)
class TimeoutWorkflowRunError:
    """The workflow run reached its time limit."""

    message: str
    """Human-readable error message."""
    type: Literal["timeout_error"] = "timeout_error"


@attrs.frozen(kw_only=True)
class ProgramWorkflowRunError:
    """The workflow program failed."""

    message: str
    """Human-readable error message."""
    type: Literal["program_error"] = "program_error"


@attrs.frozen(kw_only=True)
class UnknownWorkflowRunError:
    """An unclassified workflow run error."""

    message: str
    """Human-readable error message."""
    type: Literal["unknown_error"] = "unknown_error"


@attrs.frozen(kw_only=True)
class ThreadLimitWorkflowRunError:
    """The workflow run reached its thread limit."""

    message: str
    """Human-readable error message."""
    type: Literal["thread_limit_error"] = "thread_limit_error"


@attrs.frozen(kw_only=True)
class MaxWorkflowRunsWorkflowRunError:
    """Too many workflow runs."""

    message: str
    """Human-readable error message."""
    type: Literal["max_workflow_runs_error"] = "max_workflow_runs_error"


WorkflowRunError: TypeAlias = (
    TimeoutWorkflowRunError
    | ProgramWorkflowRunError
    | UnknownWorkflowRunError
    | ThreadLimitWorkflowRunError
    | MaxWorkflowRunsWorkflowRunError
)
"""
Error of a workflow run, discriminated on `type`.
"""


@attrs.frozen(kw_only=True)
class WorkflowRunCompletedResult:
    """The workflow run completed."""

    type: Literal["completed"] = "completed"


@attrs.frozen(kw_only=True)
class WorkflowRunErrorResult:
    """The workflow run ended with an error."""

    error: WorkflowRunError
    type: Literal["error"] = "error"


@attrs.frozen(kw_only=True)
class WorkflowRunStoppedResult:
    """The workflow run was stopped."""

    type: Literal["stopped"] = "stopped"


WorkflowRunResult: TypeAlias = (
    WorkflowRunCompletedResult | WorkflowRunErrorResult | WorkflowRunStoppedResult
)
"""
How a workflow run ended, discriminated on `type`.
"""


@attrs.frozen(kw_only=True)
class WorkflowRunPhase:
    """One phase of a workflow run."""

    id: str
    """Phase identifier."""
    name: str
    """Phase name."""
    description: str | None = None
    """Phase description."""


@attrs.frozen(kw_only=True)
class MonetaryAmount:
    """An amount of money."""

    amount: str
    """Decimal amount as a string, e.g. "0.12"."""
    currency: str
    """Currency code. Open string; known value: USD."""


@attrs.frozen(kw_only=True)
class BudgetLimit:
    """A spending limit for the session, at list price."""

    max_list_cost: MonetaryAmount
    type: Literal["limit"] = "limit"


@attrs.frozen(kw_only=True)
class CacheCreationUsage:
    """Prompt-cache writes by cache lifetime."""

    ephemeral_1h_input_tokens: int | None = None
    """Tokens written to the 1-hour cache."""
    ephemeral_5m_input_tokens: int | None = None
    """Tokens written to the 5-minute cache."""


@attrs.frozen(kw_only=True)
class ServerToolUsage:
    """Counts of server-side tool requests."""

    web_fetch_requests: int | None = None
    """Number of web fetch requests."""
    web_search_requests: int | None = None
    """Number of web search requests."""


@attrs.frozen(kw_only=True)
class SessionUsage:
    """Cumulative usage of a session; every field may be absent."""

    active_seconds: float | None = None
    """Seconds the session spent running."""
    cache_creation: CacheCreationUsage | None = None
    cache_read_input_tokens: int | None = None
    """Input tokens read from the prompt cache."""
    input_tokens: int | None = None
    """Uncached input tokens."""
    output_tokens: int | None = None
    """Output tokens."""
    list_cost: MonetaryAmount | None = None
    """Cost at list price."""
    server_tool_use: ServerToolUsage | None = None


@attrs.frozen(kw_only=True)
class SpanModelUsage:
    """Token usage of one model request or outcome evaluation."""

    cache_creation_input_tokens: int
    """Input tokens written to the prompt cache."""
    cache_read_input_tokens: int
    """Input tokens read from the prompt cache."""
    input_tokens: int
    """Uncached input tokens."""
    output_tokens: int
    """Output tokens."""
    speed: str | None = None
    """Inference speed tier. Open string; known values: standard, fast."""


@attrs.frozen(kw_only=True)
class FileRubric:
    """A rubric stored in an uploaded file."""

    file_id: str
    """Uploaded file holding the rubric."""
    type: Literal["file"] = "file"


@attrs.frozen(kw_only=True)
class TextRubric:
    """An inline rubric."""

    content: str
    """The rubric text."""
    type: Literal["text"] = "text"


Rubric: TypeAlias = FileRubric | TextRubric
"""
How an outcome is judged, discriminated on `type`.
"""


@attrs.frozen(kw_only=True)
class ContentDelta:
    """Incremental content for an event being streamed."""

    content: TextBlock
    """Text to append."""
    type: Literal["content_delta"] = "content_delta"
    index: int | None = None
    """Index of the content block the text belongs to."""


@attrs.frozen(kw_only=True)
class AgentMessagePreview:
    """An `agent.message` event starts streaming."""

    id: EventId
    type: Literal["agent.message"] = "agent.message"


@attrs.frozen(kw_only=True)
class AgentThinkingPreview:
    """An `agent.thinking` event starts streaming."""

    id: EventId
    type: Literal["agent.thinking"] = "agent.thinking"


EventPreview: TypeAlias = AgentMessagePreview | AgentThinkingPreview
"""
The event an `event_start` announces, discriminated on `type`.
"""


@attrs.frozen(kw_only=True)
class SessionAgent:
    """Snapshot of the agent configuration a session runs, taken when the session was created."""

    id: str | None = None
    """Agent identifier."""
    type: str | None = None
    """Object type; known value: agent."""
    name: str | None = None
    """Agent name."""
    version: int | None = None
    """Agent version."""
    description: str | None = None
    """Agent description."""
    system: str | None = None
    """System prompt."""
    model: Any | None = None
    """Model configuration (`{id, speed?}` or a model id)."""
    tools: list[dict[str, Any]] | None = None
    """Tool definitions (built-in toolsets, MCP toolsets, custom tools)."""
    skills: list[dict[str, Any]] | None = None
    """Skills attached to the agent."""
    mcp_servers: list[dict[str, Any]] | None = None
    """MCP servers the agent connects to."""
    execution_identity: dict[str, Any] | None = None
    """Identity the agent's tools run as."""
    multiagent: dict[str, Any] | None = None
    """Multi-agent configuration (coordinator, workflows), when enabled."""


Metadata: TypeAlias = dict[str, str]
"""
Free-form string key/value pairs.
"""


@attrs.frozen(kw_only=True)
class SessionResource:
    """A resource mounted into the session's environment (repository, file or memory store)."""

    type: str
    """Resource kind. Open string; known values: github_repository, file, memory_store."""
    id: str | None = None
    """Resource identifier."""


@attrs.frozen(kw_only=True)
class SessionStats:
    """Timing statistics for a session."""

    active_seconds: float | None = None
    """Cumulative seconds spent in `running` status."""
    duration_seconds: float | None = None
    """Seconds since the session was created (frozen once terminated)."""


@attrs.frozen(kw_only=True)
class OutcomeEvaluation:
    """Evaluation state of one outcome defined with `user.define_outcome`."""

    outcome_id: str
    """The outcome (`outc_...`)."""
    description: str
    """What the agent should produce."""
    iteration: int
    """0-indexed revision cycle."""
    result: str
    """Open string; known values: pending, running, evaluating, satisfied, needs_revision, max_iterations_reached, failed, interrupted."""
    type: str | None = None
    """Object type; known value: outcome_evaluation."""
    explanation: str | None = None
    """The grader's latest verdict text."""
    completed_at: str | None = None
    """When the outcome reached a terminal result."""


@attrs.frozen(kw_only=True)
class AgentCustomToolUseEvent:
    """The agent called a client-defined tool; the session idles until a `user.custom_tool_result` arrives."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    name: str
    """Tool name."""
    input: dict[str, Any]
    """Tool input."""
    type: Literal["agent.custom_tool_use"] = "agent.custom_tool_use"
    session_thread_id: SessionThreadId | None = None
    """Session thread the event concerns, if any."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class AgentMcpToolResultEvent:
    """Result of an MCP tool call."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    mcp_tool_use_id: EventId
    """The `agent.mcp_tool_use` event this answers."""
    type: Literal["agent.mcp_tool_result"] = "agent.mcp_tool_result"
    content: list[ToolResultContentBlock] | None = None
    """Result content."""
    is_error: bool | None = None
    """Whether the result is an error."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class AgentMcpToolUseEvent:
    """The agent called a tool of an MCP server."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    name: str
    """Tool name."""
    input: dict[str, Any]
    """Tool input."""
    mcp_server_name: str
    """The MCP server providing the tool."""
    type: Literal["agent.mcp_tool_use"] = "agent.mcp_tool_use"
    evaluated_permission: EvaluatedPermission | None = None
    evaluation: PermissionEvaluation | None = None
    session_thread_id: SessionThreadId | None = None
    """Session thread the event concerns, if any."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class AgentMessageEvent:
    """A complete message from the agent."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    content: list[AgentContentBlock]
    """Message content."""
    type: Literal["agent.message"] = "agent.message"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class AgentThinkingEvent:
    """Progress signal that the agent is thinking; it carries no content."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    type: Literal["agent.thinking"] = "agent.thinking"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class AgentThreadContextCompactedEvent:
    """The agent's context was compacted."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    type: Literal["agent.thread_context_compacted"] = "agent.thread_context_compacted"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class AgentThreadMessageReceivedEvent:
    """The agent received a message from another session thread."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    content: list[MessageContentBlock]
    """Message content."""
    from_session_thread_id: SessionThreadId
    type: Literal["agent.thread_message_received"] = "agent.thread_message_received"
    from_agent_name: str | None = None
    """Name of the sending agent."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class AgentThreadMessageSentEvent:
    """The agent sent a message to another session thread."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    content: list[MessageContentBlock]
    """Message content."""
    to_session_thread_id: SessionThreadId
    type: Literal["agent.thread_message_sent"] = "agent.thread_message_sent"
    to_agent_name: str | None = None
    """Name of the receiving agent."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class AgentToolResultEvent:
    """Result of a built-in tool call."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    tool_use_id: EventId
    """The `agent.tool_use` event this answers."""
    type: Literal["agent.tool_result"] = "agent.tool_result"
    content: list[ToolResultContentBlock] | None = None
    """Result content."""
    is_error: bool | None = None
    """Whether the result is an error."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class AgentToolUseEvent:
    """The agent called a built-in tool; an `ask` permission waits for `user.tool_confirmation`."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    name: str
    """Tool name."""
    input: dict[str, Any]
    """Tool input."""
    type: Literal["agent.tool_use"] = "agent.tool_use"
    evaluated_permission: EvaluatedPermission | None = None
    evaluation: PermissionEvaluation | None = None
    session_thread_id: SessionThreadId | None = None
    """Session thread the event concerns, if any."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class EventDeltaEvent:
    """Stream-only preview: incremental text for the event announced by `event_start`; the complete event follows with the same id."""

    event_id: EventId
    """The event being streamed."""
    delta: ContentDelta
    type: Literal["event_delta"] = "event_delta"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class EventStartEvent:
    """Stream-only preview: an `agent.message` or `agent.thinking` event starts streaming (sent when the stream was opened with `event_deltas`); it has no id or processed_at."""

    event: EventPreview
    type: Literal["event_start"] = "event_start"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class SessionDeletedEvent:
    """The session was deleted; this ends the stream."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    type: Literal["session.deleted"] = "session.deleted"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class SessionErrorEvent:
    """An error occurred in the session; `error.retry_status` says whether the platform retries."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    error: SessionError
    type: Literal["session.error"] = "session.error"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class SessionStatusIdleEvent:
    """The session went idle; `stop_reason` says whether the turn ended or client action is required."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    stop_reason: StopReason
    type: Literal["session.status_idle"] = "session.status_idle"
    stop_details: RefusalStopDetails | None = None

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class SessionStatusRescheduledEvent:
    """The session is being rescheduled onto new capacity."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    type: Literal["session.status_rescheduled"] = "session.status_rescheduled"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class SessionStatusRunningEvent:
    """The session started running."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    type: Literal["session.status_running"] = "session.status_running"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class SessionStatusTerminatedEvent:
    """The session terminated."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    type: Literal["session.status_terminated"] = "session.status_terminated"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class SessionThreadCreatedEvent:
    """A new session thread was created for a sub-agent."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    session_thread_id: SessionThreadId
    agent_name: str
    """Name of the agent running in the thread."""
    type: Literal["session.thread_created"] = "session.thread_created"
    workflow_run_id: str | None = None
    """Workflow run that created the thread."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class SessionThreadStatusIdleEvent:
    """A session thread went idle."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    session_thread_id: SessionThreadId
    agent_name: str
    """Name of the agent running in the thread."""
    stop_reason: StopReason
    type: Literal["session.thread_status_idle"] = "session.thread_status_idle"
    stop_details: RefusalStopDetails | None = None

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class SessionThreadStatusRescheduledEvent:
    """A session thread is being rescheduled."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    session_thread_id: SessionThreadId
    agent_name: str
    """Name of the agent running in the thread."""
    type: Literal["session.thread_status_rescheduled"] = "session.thread_status_rescheduled"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class SessionThreadStatusRunningEvent:
    """A session thread started running."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    session_thread_id: SessionThreadId
    agent_name: str
    """Name of the agent running in the thread."""
    type: Literal["session.thread_status_running"] = "session.thread_status_running"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class SessionThreadStatusTerminatedEvent:
    """A session thread terminated."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    session_thread_id: SessionThreadId
    agent_name: str
    """Name of the agent running in the thread."""
    type: Literal["session.thread_status_terminated"] = "session.thread_status_terminated"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class SessionUpdatedEvent:
    """Session settings changed; only the changed fields are present."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    type: Literal["session.updated"] = "session.updated"
    agent: SessionAgent | None = None
    budget: BudgetLimit | None = None
    metadata: Metadata | None = None
    title: str | None = None
    """New session title."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class SessionUsageEvent:
    """Cumulative usage of the session, with its budget if one is set."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    usage: SessionUsage
    type: Literal["session.usage"] = "session.usage"
    budget: BudgetLimit | None = None

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class SpanModelRequestEndEvent:
    """A model request ended, with its token usage."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    model_request_start_id: EventId
    """The matching `span.model_request_start` event."""
    model_usage: SpanModelUsage
    type: Literal["span.model_request_end"] = "span.model_request_end"
    is_error: bool | None = None
    """Whether the request failed."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class SpanModelRequestStartEvent:
    """A model request started."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    type: Literal["span.model_request_start"] = "span.model_request_start"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class SpanOutcomeEvaluationEndEvent:
    """An outcome evaluation ended with a verdict."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    outcome_id: str
    """The outcome being evaluated."""
    iteration: int
    """Evaluation iteration, from 0."""
    outcome_evaluation_start_id: EventId
    """The matching `span.outcome_evaluation_start` event."""
    result: str
    """Verdict. Open string; known values: satisfied, needs_revision, max_iterations_reached, failed, interrupted."""
    explanation: str
    """Why the evaluator reached this verdict."""
    usage: SpanModelUsage
    type: Literal["span.outcome_evaluation_end"] = "span.outcome_evaluation_end"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class SpanOutcomeEvaluationOngoingEvent:
    """Heartbeat while an outcome evaluation is in progress."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    outcome_id: str
    """The outcome being evaluated."""
    iteration: int
    """Evaluation iteration, from 0."""
    type: Literal["span.outcome_evaluation_ongoing"] = "span.outcome_evaluation_ongoing"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class SpanOutcomeEvaluationStartEvent:
    """An evaluation of a defined outcome started."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    outcome_id: str
    """The outcome being evaluated."""
    iteration: int
    """Evaluation iteration, from 0."""
    type: Literal["span.outcome_evaluation_start"] = "span.outcome_evaluation_start"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class SystemMessageEvent:
    """A system message added to the session by the client."""

    id: EventId
    content: list[TextBlock]
    """Message content (text blocks)."""
    type: Literal["system.message"] = "system.message"
    processed_at: str | None = None
    """When the platform processed the event; null while the event is queued behind earlier events."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class UserCustomToolResultEvent:
    """The client's result for an `agent.custom_tool_use` call."""

    id: EventId
    custom_tool_use_id: EventId
    """The `agent.custom_tool_use` event being answered."""
    type: Literal["user.custom_tool_result"] = "user.custom_tool_result"
    processed_at: str | None = None
    """When the platform processed the event; null while the event is queued behind earlier events."""
    content: list[ToolResultContentBlock] | None = None
    """Result content."""
    is_error: bool | None = None
    """Whether the result is an error."""
    session_thread_id: SessionThreadId | None = None
    """Session thread the event concerns, if any."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class UserDefineOutcomeEvent:
    """The user defined an outcome the agent works toward, with a rubric to evaluate it."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    description: str
    """What the outcome is."""
    outcome_id: str
    """Identifier of the outcome."""
    rubric: Rubric
    type: Literal["user.define_outcome"] = "user.define_outcome"
    max_iterations: int | None = None
    """Maximum number of evaluation iterations."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class UserInterruptEvent:
    """The user interrupted the agent (the whole session, or one thread)."""

    id: EventId
    type: Literal["user.interrupt"] = "user.interrupt"
    processed_at: str | None = None
    """When the platform processed the event; null while the event is queued behind earlier events."""
    session_thread_id: SessionThreadId | None = None
    """Session thread the event concerns, if any."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class UserMessageEvent:
    """A message from the user, echoed on the stream once sent."""

    id: EventId
    content: list[MessageContentBlock]
    """Message content."""
    type: Literal["user.message"] = "user.message"
    processed_at: str | None = None
    """When the platform processed the event; null while the event is queued behind earlier events."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class UserToolConfirmationEvent:
    """The user's answer to a tool call that asked for confirmation."""

    id: EventId
    result: str
    """The answer. Open string; known values: allow, deny."""
    tool_use_id: EventId
    """The `agent.tool_use` or `agent.mcp_tool_use` event being answered."""
    type: Literal["user.tool_confirmation"] = "user.tool_confirmation"
    processed_at: str | None = None
    """When the platform processed the event; null while the event is queued behind earlier events."""
    deny_message: str | None = None
    """Explanation given to the agent when denying."""
    session_thread_id: SessionThreadId | None = None
    """Session thread the event concerns, if any."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class UserToolResultEvent:
    """The client's result for a tool call executed outside the platform (self-hosted environments only)."""

    id: EventId
    tool_use_id: EventId
    """The `agent.tool_use` event being answered."""
    type: Literal["user.tool_result"] = "user.tool_result"
    processed_at: str | None = None
    """When the platform processed the event; null while the event is queued behind earlier events."""
    content: list[ToolResultContentBlock] | None = None
    """Result content."""
    is_error: bool | None = None
    """Whether the result is an error."""
    session_thread_id: SessionThreadId | None = None
    """Session thread the event concerns, if any."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class WorkflowRunCreatedEvent:
    """A workflow run was created."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    workflow_run_id: str
    """Identifier of the workflow run."""
    name: str
    """Workflow name."""
    phases: list[WorkflowRunPhase]
    """Phases of the run."""
    type: Literal["workflow_run.created"] = "workflow_run.created"
    description: str | None = None
    """Workflow description."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class WorkflowRunErrorEvent:
    """A workflow run reported an error."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    error: WorkflowRunError
    type: Literal["workflow_run.error"] = "workflow_run.error"
    workflow_run_id: str | None = None
    """Identifier of the workflow run."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class WorkflowRunPhaseEndedEvent:
    """A phase of a workflow run ended."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    workflow_run_id: str
    """Identifier of the workflow run."""
    workflow_run_phase_id: str
    """The phase."""
    phase_started_id: EventId
    """The matching `workflow_run.phase_started` event."""
    type: Literal["workflow_run.phase_ended"] = "workflow_run.phase_ended"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class WorkflowRunPhaseStartedEvent:
    """A phase of a workflow run started."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    workflow_run_id: str
    """Identifier of the workflow run."""
    workflow_run_phase_id: str
    """The phase."""
    type: Literal["workflow_run.phase_started"] = "workflow_run.phase_started"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class WorkflowRunStatusEndedEvent:
    """A workflow run ended."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    workflow_run_id: str
    """Identifier of the workflow run."""
    result: WorkflowRunResult
    type: Literal["workflow_run.status_ended"] = "workflow_run.status_ended"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class WorkflowRunStatusIdleEvent:
    """A workflow run went idle."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    workflow_run_id: str
    """Identifier of the workflow run."""
    type: Literal["workflow_run.status_idle"] = "workflow_run.status_idle"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class WorkflowRunStatusRunningEvent:
    """A workflow run started running."""

    id: EventId
    processed_at: str
    """When the platform processed the event."""
    workflow_run_id: str
    """Identifier of the workflow run."""
    type: Literal["workflow_run.status_running"] = "workflow_run.status_running"

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class EventListQuery:
    """Query parameters of `GET /v1/sessions/{session_id}/events`, using bracket names on the wire (`created_at[gt]`, `types[]`); thread event lists accept only `limit` and `page`."""

    created_at_gt_: str | None = attrs.field(default=None, metadata={"wire": "created_at[gt]"})
    """Only events created after this time."""
    created_at_gte_: str | None = attrs.field(default=None, metadata={"wire": "created_at[gte]"})
    """Only events created at or after this time."""
    created_at_lt_: str | None = attrs.field(default=None, metadata={"wire": "created_at[lt]"})
    """Only events created before this time."""
    created_at_lte_: str | None = attrs.field(default=None, metadata={"wire": "created_at[lte]"})
    """Only events created at or before this time."""
    limit: int | None = None
    """Page size (default 1000)."""
    order: Literal["asc", "desc"] | None = None
    """Order by processed_at (default asc)."""
    page: str | None = None
    """Cursor from a previous page's `next_page`."""
    types__: list[str] | None = attrs.field(default=None, metadata={"wire": "types[]"})
    """Only events of these types."""


@attrs.frozen(kw_only=True)
class EventPage:
    """One page of `GET /v1/sessions/{session_id}/events` (also thread event lists); pass `next_page` as `page` to get the next one."""

    data: list[dict[str, Any]]
    """Events in the requested order (default ascending by processed_at)."""
    next_page: str | None = None
    """Cursor of the next page; absent or null on the last page."""


@attrs.frozen(kw_only=True)
class EventStreamQuery:
    """Query parameters of `GET /v1/sessions/{session_id}/events/stream` (and the thread stream)."""

    event_deltas__: list[Literal["agent.message", "agent.thinking"]] | None = attrs.field(
        default=None, metadata={"wire": "event_deltas[]"}
    )
    """Event types to preview with `event_start`/`event_delta` while they are produced."""


@attrs.frozen(kw_only=True)
class SendEventsResponse:
    """Response of `POST /v1/sessions/{session_id}/events`: the sent events as stored."""

    data: (
        list[
            UserMessageEvent
            | UserInterruptEvent
            | UserToolConfirmationEvent
            | UserCustomToolResultEvent
            | UserDefineOutcomeEvent
            | UserToolResultEvent
            | SystemMessageEvent
        ]
        | None
    ) = None
    """The echoed events."""


@attrs.frozen(kw_only=True)
class Session:
    """A Managed Agents session (`GET /v1/sessions/{session_id}`)."""

    id: str
    """Session identifier."""
    status: str
    """Session status. Open string; known values: rescheduling, running, idle, terminated (sessions start idle)."""
    type: str | None = None
    """Object type; known value: session."""
    agent: SessionAgent | None = None
    environment_id: str | None = None
    """Environment the session runs in."""
    title: str | None = None
    """Session title."""
    metadata: Metadata | None = None
    budget: BudgetLimit | None = None
    resources: list[SessionResource] | None = None
    """Mounted resources."""
    vault_ids: list[str] | None = None
    """Vaults whose credentials the session may use."""
    usage: SessionUsage | None = None
    created_at: str | None = None
    """Creation time."""
    updated_at: str | None = None
    """Last update time."""
    archived_at: str | None = None
    """Archive time, if archived."""
    stats: SessionStats | None = None
    outcome_evaluations: list[OutcomeEvaluation] | None = None
    """One entry per `user.define_outcome` sent to the session."""
    deployment_id: str | None = None
    """Deployment the session was created from, if any."""


@attrs.frozen(kw_only=True)
class SystemMessageParams:
    """Add a system message to the session. Sent in the `events` array of `POST /v1/sessions/{session_id}/events`."""

    content: list[TextBlock]
    """Message content (text blocks)."""
    type: Literal["system.message"] = "system.message"


@attrs.frozen(kw_only=True)
class UserCustomToolResultParams:
    """Return the result of a client-defined tool call. Sent in the `events` array of `POST /v1/sessions/{session_id}/events`."""

    custom_tool_use_id: EventId
    """The `agent.custom_tool_use` event being answered."""
    type: Literal["user.custom_tool_result"] = "user.custom_tool_result"
    content: list[ToolResultContentBlock] | None = None
    """Result content."""
    is_error: bool | None = None
    """Whether the result is an error."""


@attrs.frozen(kw_only=True)
class UserDefineOutcomeParams:
    """Define an outcome for the agent to work toward, with a rubric to evaluate it. Sent in the `events` array of `POST /v1/sessions/{session_id}/events`."""

    description: str
    """What the outcome is."""
    rubric: Rubric
    type: Literal["user.define_outcome"] = "user.define_outcome"
    max_iterations: int | None = None
    """Maximum number of evaluation iterations."""


@attrs.frozen(kw_only=True)
class UserInterruptParams:
    """Interrupt the agent (the whole session, or one thread). Sent in the `events` array of `POST /v1/sessions/{session_id}/events`."""

    type: Literal["user.interrupt"] = "user.interrupt"
    session_thread_id: SessionThreadId | None = None
    """Thread to interrupt; omit for the session."""


@attrs.frozen(kw_only=True)
class UserMessageParams:
    """Send a user message. Sent in the `events` array of `POST /v1/sessions/{session_id}/events`."""

    content: list[MessageContentBlock]
    """Message content."""
    type: Literal["user.message"] = "user.message"


@attrs.frozen(kw_only=True)
class UserToolConfirmationParams:
    """Allow or deny a tool call that asked for confirmation. Sent in the `events` array of `POST /v1/sessions/{session_id}/events`."""

    result: Literal["allow", "deny"]
    """The answer."""
    tool_use_id: EventId
    """The `agent.tool_use` or `agent.mcp_tool_use` event being answered."""
    type: Literal["user.tool_confirmation"] = "user.tool_confirmation"
    deny_message: str | None = None
    """Explanation given to the agent when denying."""


@attrs.frozen(kw_only=True)
class UserToolResultParams:
    """Return the result of a tool call executed by the client (self-hosted environments only). Sent in the `events` array of `POST /v1/sessions/{session_id}/events`."""

    tool_use_id: EventId
    """The `agent.tool_use` event being answered."""
    type: Literal["user.tool_result"] = "user.tool_result"
    content: list[ToolResultContentBlock] | None = None
    """Result content."""
    is_error: bool | None = None
    """Whether the result is an error."""


@attrs.frozen(kw_only=True)
class SendEventsRequest:
    """Body of `POST /v1/sessions/{session_id}/events`."""

    events: list[
        UserMessageParams
        | UserInterruptParams
        | UserToolConfirmationParams
        | UserCustomToolResultParams
        | UserDefineOutcomeParams
        | UserToolResultParams
        | SystemMessageParams
    ]
    """Events to send, in order."""


@attrs.frozen(kw_only=True)
class SessionCreateRequest:
    """Body of `POST /v1/sessions`, which creates a session (sessions start idle)."""

    agent: str | dict[str, Any]
    """Agent to run: an agent ID, or an agent reference object."""
    environment_id: str
    """Environment to run in."""
    budget: BudgetLimit | None = None
    initial_events: list[UserMessageParams | UserDefineOutcomeParams] | None = None
    """Events to queue at creation (user.message or user.define_outcome)."""
    metadata: Metadata | None = None
    resources: list[dict[str, Any]] | None = None
    """Resources to mount."""
    title: str | None = None
    """Session title."""
    vault_ids: list[str] | None = None
    """Vaults whose credentials the session may use."""


EVENT_TYPES: dict[str, type[Any]] = {
    "agent.custom_tool_use": AgentCustomToolUseEvent,
    "agent.mcp_tool_result": AgentMcpToolResultEvent,
    "agent.mcp_tool_use": AgentMcpToolUseEvent,
    "agent.message": AgentMessageEvent,
    "agent.thinking": AgentThinkingEvent,
    "agent.thread_context_compacted": AgentThreadContextCompactedEvent,
    "agent.thread_message_received": AgentThreadMessageReceivedEvent,
    "agent.thread_message_sent": AgentThreadMessageSentEvent,
    "agent.tool_result": AgentToolResultEvent,
    "agent.tool_use": AgentToolUseEvent,
    "event_delta": EventDeltaEvent,
    "event_start": EventStartEvent,
    "session.deleted": SessionDeletedEvent,
    "session.error": SessionErrorEvent,
    "session.status_idle": SessionStatusIdleEvent,
    "session.status_rescheduled": SessionStatusRescheduledEvent,
    "session.status_running": SessionStatusRunningEvent,
    "session.status_terminated": SessionStatusTerminatedEvent,
    "session.thread_created": SessionThreadCreatedEvent,
    "session.thread_status_idle": SessionThreadStatusIdleEvent,
    "session.thread_status_rescheduled": SessionThreadStatusRescheduledEvent,
    "session.thread_status_running": SessionThreadStatusRunningEvent,
    "session.thread_status_terminated": SessionThreadStatusTerminatedEvent,
    "session.updated": SessionUpdatedEvent,
    "session.usage": SessionUsageEvent,
    "span.model_request_end": SpanModelRequestEndEvent,
    "span.model_request_start": SpanModelRequestStartEvent,
    "span.outcome_evaluation_end": SpanOutcomeEvaluationEndEvent,
    "span.outcome_evaluation_ongoing": SpanOutcomeEvaluationOngoingEvent,
    "span.outcome_evaluation_start": SpanOutcomeEvaluationStartEvent,
    "system.message": SystemMessageEvent,
    "user.custom_tool_result": UserCustomToolResultEvent,
    "user.define_outcome": UserDefineOutcomeEvent,
    "user.interrupt": UserInterruptEvent,
    "user.message": UserMessageEvent,
    "user.tool_confirmation": UserToolConfirmationEvent,
    "user.tool_result": UserToolResultEvent,
    "workflow_run.created": WorkflowRunCreatedEvent,
    "workflow_run.error": WorkflowRunErrorEvent,
    "workflow_run.phase_ended": WorkflowRunPhaseEndedEvent,
    "workflow_run.phase_started": WorkflowRunPhaseStartedEvent,
    "workflow_run.status_ended": WorkflowRunStatusEndedEvent,
    "workflow_run.status_idle": WorkflowRunStatusIdleEvent,
    "workflow_run.status_running": WorkflowRunStatusRunningEvent,
}


RESOURCE_TYPES: dict[str, type[Any]] = {
    "EventListQuery": EventListQuery,
    "EventPage": EventPage,
    "EventStreamQuery": EventStreamQuery,
    "SendEventsRequest": SendEventsRequest,
    "SendEventsResponse": SendEventsResponse,
    "Session": Session,
    "SessionCreateRequest": SessionCreateRequest,
}


PARAM_TYPES: dict[str, type[Any]] = {
    "system.message": SystemMessageParams,
    "user.custom_tool_result": UserCustomToolResultParams,
    "user.define_outcome": UserDefineOutcomeParams,
    "user.interrupt": UserInterruptParams,
    "user.message": UserMessageParams,
    "user.tool_confirmation": UserToolConfirmationParams,
    "user.tool_result": UserToolResultParams,
}


#: Every event class of this platform.
AnyEvent: TypeAlias = (
    AgentCustomToolUseEvent
    | AgentMcpToolResultEvent
    | AgentMcpToolUseEvent
    | AgentMessageEvent
    | AgentThinkingEvent
    | AgentThreadContextCompactedEvent
    | AgentThreadMessageReceivedEvent
    | AgentThreadMessageSentEvent
    | AgentToolResultEvent
    | AgentToolUseEvent
    | EventDeltaEvent
    | EventStartEvent
    | SessionDeletedEvent
    | SessionErrorEvent
    | SessionStatusIdleEvent
    | SessionStatusRescheduledEvent
    | SessionStatusRunningEvent
    | SessionStatusTerminatedEvent
    | SessionThreadCreatedEvent
    | SessionThreadStatusIdleEvent
    | SessionThreadStatusRescheduledEvent
    | SessionThreadStatusRunningEvent
    | SessionThreadStatusTerminatedEvent
    | SessionUpdatedEvent
    | SessionUsageEvent
    | SpanModelRequestEndEvent
    | SpanModelRequestStartEvent
    | SpanOutcomeEvaluationEndEvent
    | SpanOutcomeEvaluationOngoingEvent
    | SpanOutcomeEvaluationStartEvent
    | SystemMessageEvent
    | UserCustomToolResultEvent
    | UserDefineOutcomeEvent
    | UserInterruptEvent
    | UserMessageEvent
    | UserToolConfirmationEvent
    | UserToolResultEvent
    | WorkflowRunCreatedEvent
    | WorkflowRunErrorEvent
    | WorkflowRunPhaseEndedEvent
    | WorkflowRunPhaseStartedEvent
    | WorkflowRunStatusEndedEvent
    | WorkflowRunStatusIdleEvent
    | WorkflowRunStatusRunningEvent
)
