"""Bot API calls over aiohttp: PTB's BaseRequest, the way ptbcontrib's aiohttp_request does it.

PTB's default transport (httpx) costs about 2 ms of CPU per call here, mostly inside
httpcore; aiohttp, already a dependency for the webhook server, does the same call for a
fraction of that. Sending is what a busy bot does most, so this is where its CPU goes.
`GRIDBOT_HTTP_CLIENT=httpx` keeps PTB's own transport.

A call that posts something (sendMessage, sendPhoto ...) may wait longer for its answer than
other calls (SEND_READ, not READ): the Bot API has no idempotency key and a bot cannot read a
chat's history, so once the request is out, giving up on the answer leaves the bot unable to
tell whether the post was made. With PTB's 5 s, a post Telegram took but answered late was
retried by the outbox and seen twice. When the answer still does not come (or the
connection drops after the request went out), the error is `SendUncertain`, never a plain
network error: the outbox sends the post again, since a step lost is worse than a step
seen twice, and says so in the log (README, "Nothing lost, nothing doubled").
"""

from __future__ import annotations

import logging

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

logger = logging.getLogger(__name__)

# PTB's defaults for its httpx transport, so both behave alike.
READ, WRITE, CONNECT, MEDIA_WRITE = 5.0, 5.0, 5.0, 20.0
# How long a post waits for its answer. Telegram answers in well under a second when it is
# well; a post's answer later than this means trouble on the way, not a busy server.
SEND_READ = 30.0
# The calls whose effect a person sees, and would see twice if the call were made again.
POSTING = frozenset(
    {"sendMessage", "sendPhoto", "sendDocument", "sendPoll", "sendMediaGroup", "sendLocation",
     "copyMessage", "forwardMessage"}
)  # fmt: skip


class SendUncertain(TimedOut):
    """The request went out but no answer came back: Telegram may or may not have acted."""


class AiohttpRequest(BaseRequest):
    """One aiohttp session per request object, opened by initialize(), closed by shutdown()."""

    def __init__(self, connection_pool_size: int = 64) -> None:
        self._pool_size = connection_pool_size
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        return READ

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size)
            self._session = aiohttp.ClientSession(connector=connector)

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """POST the call; network trouble becomes PTB's NetworkError / TimedOut."""
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        files = bool(request_data and request_data.contains_files)
        posting = url.rpartition("/")[2] in POSTING
        read = _given(read_timeout, SEND_READ if posting else READ)
        if files and read is not None:
            # aiohttp has no write timeout: while a file goes up, the answer may take as long.
            read = max(read, _given(write_timeout, WRITE) or 0, MEDIA_WRITE)
        connect = _given(connect_timeout, CONNECT)
        timeout = aiohttp.ClientTimeout(sock_connect=connect, sock_read=read)
        try:
            async with self._session.request(
                method, url, data=_form(request_data), timeout=timeout,
                headers={"User-Agent": self.USER_AGENT},
            ) as response:  # fmt: skip
                return response.status, await response.read()
        except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as exc:
            # Never connected: the request did not go out, so it may go again as it is.
            error = TimedOut if isinstance(exc, TimeoutError) else NetworkError
            raise error(f"aiohttp.{type(exc).__name__}: {exc}") from exc
        except (TimeoutError, aiohttp.ClientError) as exc:
            if posting:  # sent, unanswered: it may have been posted
                raise SendUncertain(f"no answer to the post: {type(exc).__name__}") from exc
            if isinstance(exc, TimeoutError):
                raise TimedOut(f"aiohttp: {type(exc).__name__}") from exc
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc


def _given(value: ODVInput[float], default: float) -> float | None:
    return default if isinstance(value, DefaultValue) else value


def _form(request_data: RequestData | None) -> aiohttp.FormData:
    """The call's parameters as a form: url-encoded, or multipart when files go with it."""
    form = aiohttp.FormData(request_data.json_parameters if request_data else {})
    if request_data and request_data.multipart_data:
        for name, (filename, content, mimetype) in request_data.multipart_data.items():
            form.add_field(name, content, filename=filename, content_type=mimetype)
    return form


def bot_request(client: str, pool_size: int = 64) -> BaseRequest:
    """The transport for Bot API calls: aiohttp (default) or PTB's own httpx."""
    if client == "httpx":
        # One read timeout for every call there: a post's, so that a late answer is waited
        # for rather than the post made again (its time-outs are plain TimedOut, retried).
        return HTTPXRequest(connection_pool_size=pool_size, read_timeout=SEND_READ)
    return AiohttpRequest(connection_pool_size=pool_size)


__all__ = ["AiohttpRequest", "SendUncertain", "bot_request"]
