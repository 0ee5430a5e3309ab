"""The taxonomy and its classifier, built on a worker thread once the bot is receiving.

Reading the TOML and compiling the keyword automaton is ~0.05 s of CPU, which `gridbot run`
paid before its first getUpdates; training both n-gram opinions is ~0.15 s more, which the
first resident's message paid. Both are done here, off the event loop. The runner starts
the build once the first getUpdates is answered (handlers/plumbing/runner.py); every update
and job waits for :meth:`ready` before it runs, so nothing is dropped and nothing is
classified by a half-built classifier. Commands that build it at once (`build_services` by
default) see no difference.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.classify.classifier import Classifier
    from bot.classify.taxonomy import Taxonomy


class DeferredClassifier:
    """One taxonomy file's taxonomy and classifier, built now (:meth:`get`) or on a worker
    thread (:meth:`start`). Its methods are called on the event loop's thread."""

    def __init__(self, path: str | Path | None) -> None:
        self._path = path
        self._built: tuple[Taxonomy, Classifier] | None = None
        self._error: BaseException | None = None
        self._done = threading.Event()  # set by whichever thread built it (or failed)
        self._begun = asyncio.Event()
        self._task: asyncio.Future[None] | None = None

    def start(self) -> None:
        """Begin the build on a worker thread; nothing if it has begun (or is done)."""
        if self._task is None and not self._done.is_set():
            loop = asyncio.get_running_loop()
            self._task = loop.run_in_executor(None, self._build, True)
            self._begun.set()

    async def ready(self) -> None:
        """Until it is built; raises what the build raised (a bad taxonomy file). It does not
        start the build: the runner does, after the first getUpdates."""
        if not self._done.is_set():
            await self._begun.wait()
            if self._task is not None:
                await asyncio.shield(self._task)
        self.get()

    def get(self) -> tuple[Taxonomy, Classifier]:
        """Both, built. A build under way is waited for (blocking the caller: only code that
        skipped :meth:`ready` does); one nobody has started is made here and now."""
        if self._built is None:
            if self._task is None and not self._done.is_set():
                self._build(train=False)  # a short command may never need the opinions
                self._begun.set()
            self._done.wait()
            if self._error is not None:
                raise self._error
        assert self._built is not None
        return self._built

    def _build(self, train: bool) -> None:
        # Imported here: the build's modules are not needed before it (this runs on the
        # worker thread when deferred).
        from bot.classify import trained
        from bot.classify.shared import shared_classifier

        try:
            taxonomy, classifier = shared_classifier(self._path)
            # off the loop, rather than on the first message that needs them; the shipped
            # taxonomy's come trained (bot/classify/trained.py)
            if train and not trained.load(classifier, self._path):
                classifier.prepare()
            self._built = taxonomy, classifier
        except BaseException as exc:  # handed to whoever waits, on their thread
            self._error = exc
        finally:
            self._done.set()
