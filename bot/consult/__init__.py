"""微协商: a meeting of a grid, face to face or online, which is one concept with two ways to
vote. `meetings` owns it: start, announce, vote, comment, close, list, for both kinds.
What a kind decides is in `ways` (the attendance poll, or a ballot of options); the helpers
it calls: `proposals` (reading a `/consult` line), `organisers` (who may organise one, for
which grid and issues), `ballots` (an online ballot's result and comments at its close),
`outcomes` (the minutes' conclusion on the linked issues), `reminders` (the day before).
The store of both kinds is `storage/meetings.py`."""
