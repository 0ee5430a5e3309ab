"""Grids and the people who serve them: roster files, binding groups, per-grid preferences
(script, intake mode) and routing an issue to a member."""
