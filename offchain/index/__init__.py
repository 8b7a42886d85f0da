"""Following the chain's events into the store."""
