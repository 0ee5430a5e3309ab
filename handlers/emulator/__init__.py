"""A local Bot API emulator (server and world state) and the real application wired to it:
it serves `gridbot demo`, the tests and the benchmarks, and imports nothing of the bot."""
