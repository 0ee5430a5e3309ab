"""Consultation (微协商): supporters and duplicates, recurring topics, meetings face to face
and online with their votes, reminders and minutes."""
