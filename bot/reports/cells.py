"""What every spreadsheet and document writer does to a value before writing it.

Two rules, applied to anything a resident or member can type (texts, names, notes):

* **No formulas** (OWASP CSV injection): a text starting with `=`, `+`, `-`, `@`, a tab or a
  carriage return is prefixed with `'`, so Excel and LibreOffice show it as written instead
  of running it. In XLSX the value is also written as a string cell, never a formula.
* **Only characters XML allows**: XLSX and DOCX are XML, where U+0000–U+0008, U+000B, U+000C,
  U+000E–U+001F, U+FFFE, U+FFFF and lone surrogates cannot appear. A report may hold them (valid
  UTF-8 from Telegram); they are dropped so no export ends in a traceback.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """The text without the characters XML 1.0 cannot hold."""
    return _XML_INVALID.sub("", text)


def inert(text: str) -> str:
    """The text as a spreadsheet shows it without evaluating it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell(value: Any) -> Any:
    """A value ready for a CSV or XLSX cell: texts cleaned and made inert, others as they are."""
    if isinstance(value, str):
        return inert(xml_safe(value))
    return value


def row(values: list[Any]) -> list[Any]:
    return [cell(value) for value in values]


def put(sheet: Any, values: list[Any]) -> None:
    """Append a row to an openpyxl sheet with every text cell typed as a string."""
    sheet.append(row(values))
    for written in sheet[sheet.max_row]:
        if isinstance(written.value, str):
            written.data_type = "s"  # openpyxl would read a leading "=" as a formula
