"""agentstream."""
