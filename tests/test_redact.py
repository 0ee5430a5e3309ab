"""Secrets masked in logs: a token in a URL or a message never reaches the log output."""

from __future__ import annotations

import io
import logging

from handlers.plumbing.redact import RedactTokens


def test_token_in_a_logged_url_is_masked() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactTokens())
    log = logging.getLogger("test.redact")
    log.addHandler(handler)
    log.propagate = False
    log.warning(
        "POST %s", "https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe"
    )
    log.warning("token is 123456:TEST-TOKEN")
    out = stream.getvalue()
    assert "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw" not in out and "TEST-TOKEN" not in out
    assert "bot123456789:****/getMe" in out
