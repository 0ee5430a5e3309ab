"""Issues after intake: members' actions on them (parsed commands, the rules of each action,
posting each step), the reporter's rating, and the read-only views (timeline, lists)."""
