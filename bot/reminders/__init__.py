"""The reminder engine: medication plans, appointment reminder policy, the durable outbox and its dispatcher."""
