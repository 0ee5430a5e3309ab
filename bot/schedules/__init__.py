"""Work that runs on the clock: the job registry and its periods, reminders, hand-over of
untaken issues, escalation and the auto-close of unrated issues."""
