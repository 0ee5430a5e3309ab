"""Faults scripted into the emulator: a call refused (a 429 or another status), its connection
dropped before or after it took effect, its answer delayed."""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from handlers.emulator.api import JSON, ApiError
from handlers.emulator.observed import Observed


@dataclass
class _Fault:
    method: str
    count: int
    status: int = 0
    retry_after: int | None = None
    chat_id: int | None = None
    processed: bool = False  # for drops: the call takes effect, only the answer is lost
    delay: float = 0.0  # for delays: seconds between the call taking effect and its answer


class Faults(Observed):
    """The calls to come that are to go wrong, and how."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._faults: list[_Fault] = []
        self._drops: list[_Fault] = []
        self._delays: list[_Fault] = []

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int | None = 1,
        count: int = 1,
        chat_id: int | None = None,
    ) -> None:
        self._faults.append(_Fault(method.lower(), count, status, retry_after, chat_id))

    def drop_next(self, method: str, count: int = 1, *, processed: bool = False) -> None:
        self._drops.append(_Fault(method.lower(), count, processed=processed))

    def delay_next(
        self, method: str, seconds: float, count: int = 1, *, chat_id: int | None = None
    ) -> None:
        """The next `count` calls (into `chat_id`, if given) take effect at once and are
        answered `seconds` later: Telegram took them, the answer is slow to come back."""
        self._delays.append(_Fault(method.lower(), count, chat_id=chat_id, delay=seconds))

    def _take_fault(self, faults: list[_Fault], method: str, params: JSON) -> _Fault | None:
        for fault in faults:
            if fault.method == method.lower() and fault.chat_id in (None, params.get("chat_id")):
                fault.count -= 1
                if fault.count <= 0:
                    faults.remove(fault)
                return fault
        return None

    @staticmethod
    def _fault_error(fault: _Fault) -> ApiError:
        if fault.status == 429:
            retry = fault.retry_after
            text = f"Too Many Requests: retry after {retry}" if retry else "Too Many Requests"
            return ApiError(429, text, retry_after=retry)
        try:
            phrase = HTTPStatus(fault.status).phrase
        except ValueError:
            phrase = "Error"
        return ApiError(fault.status, phrase)
