"""Backing from the community: supporters (附议) by reply or reaction, near-duplicates linked
to the open issue they repeat, and recurring topics offered to coordinators for a 微协商."""
