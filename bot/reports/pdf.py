"""PDF through LibreOffice (`soffice --headless --convert-to pdf`), when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT = 120  # s: a first start of LibreOffice on a slow machine takes tens of seconds
MISSING = "--format pdf needs LibreOffice (soffice), which is not installed on this machine"


class PdfUnavailable(RuntimeError):
    """LibreOffice is missing or failed; the message says which, in one line."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(content: bytes, suffix: str) -> bytes:
    """The PDF of a DOCX or XLSX given as bytes."""
    program = soffice()
    if program is None:
        raise PdfUnavailable(MISSING)
    with tempfile.TemporaryDirectory(prefix="gridbot-pdf-") as work:
        source = Path(work) / f"draft.{suffix}"
        source.write_bytes(content)
        # A profile of its own: a LibreOffice the user has open would otherwise take the job.
        profile = f"-env:UserInstallation=file://{work}/profile"
        command = [program, profile, "--headless", "--convert-to", "pdf", "--outdir", work,
                   str(source)]  # fmt: skip
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=True)
        except (subprocess.SubprocessError, OSError) as exc:
            raise PdfUnavailable(f"LibreOffice could not convert the draft: {exc}") from None
        made = source.with_suffix(".pdf")
        if not made.is_file():
            raise PdfUnavailable("LibreOffice made no PDF of the draft")
        return made.read_bytes()
