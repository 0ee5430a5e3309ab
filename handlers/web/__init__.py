"""The web app and Open311 (SPEC §11): HTTP in, the core's figures out, as handlers/ is for
Telegram. auth (who calls), api (the page's JSON), render (records as JSON), open311,
pages (the page and login links), server (the aiohttp application)."""
