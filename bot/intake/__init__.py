"""Intake: a resident's message becomes a numbered, routed issue, with the acknowledgement,
the member's notice and the coordinator's alert it owes; later additions amend it."""
