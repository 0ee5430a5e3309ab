"""Telegram plumbing under the features: taking updates in durably and in order, the outbox
sender, Telegram's limits, the HTTP transport, the JobQueue, webhook/polling and logs."""
