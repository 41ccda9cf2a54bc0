"""Run a core computation on a thread pool and deliver its result on the UI thread.

The callable never touches a widget. It receives a ``progress(percent, message)``
function and returns a result. Signals carry the result back, and Qt queues
them to the UI thread because the receiving objects live there.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from core.errors import ConfiguratorError

logger = logging.getLogger(__name__)

ProgressFunction = Callable[[int, str], None]
Task = Callable[[ProgressFunction], Any]


class _JobSignals(QObject):
    """Signals of one runner's jobs; each carries the generation number of its job."""

    progress = Signal(int, int, str)
    finished = Signal(int, object)
    failed = Signal(int, str, str)


class _Job(QRunnable):
    def __init__(self, task: Task, generation: int, signals: _JobSignals, name: str):
        super().__init__()
        self._task = task
        self._generation = generation
        self._signals = signals
        self._name = name

    def run(self) -> None:
        generation = self._generation

        def report(percent: int, message: str) -> None:
            self._signals.progress.emit(generation, int(percent), str(message))

        try:
            result = self._task(report)
        except ConfiguratorError as error:
            logger.info("%s failed: %s", self._name, error)
            self._signals.failed.emit(generation, str(error), "")
        except Exception as error:  # noqa: BLE001 - a bug must reach the user, not kill the thread
            details = traceback.format_exc()
            logger.error("%s failed with an unexpected error:\n%s", self._name, details)
            message = (f"{self._name} failed with an unexpected error: "
                       f"{type(error).__name__}: {error}. The details are in the log.")
            self._signals.failed.emit(generation, message, details)
        else:
            self._signals.finished.emit(generation, result)


class TaskRunner(QObject):
    """Run one task at a time off the UI thread; a newer start or a cancel drops older results.

    ``progress(percent, message)``, ``finished(result)`` and ``failed(message,
    traceback)`` are emitted on the UI thread, only for the latest task.
    ``traceback`` is empty for a ``ConfiguratorError``, whose message is
    complete on its own.
    """

    started = Signal()
    progress = Signal(int, str)
    finished = Signal(object)
    failed = Signal(str, str)
    cancelled = Signal()

    def __init__(self, name: str, parent: QObject | None = None,
                 pool: QThreadPool | None = None):
        super().__init__(parent)
        self._name = name
        self._pool = pool or QThreadPool.globalInstance()
        self._generation = 0
        self._running = False
        self._signals = _JobSignals(self)
        self._signals.progress.connect(self._on_progress)
        self._signals.finished.connect(self._on_finished)
        self._signals.failed.connect(self._on_failed)

    @property
    def is_running(self) -> bool:
        return self._running

    def start(self, task: Task) -> None:
        """Start ``task`` on the pool; the result of any task still running is ignored."""
        self._generation += 1
        self._running = True
        self.started.emit()
        self._pool.start(_Job(task, self._generation, self._signals, self._name))

    def wait_for_done(self, timeout_ms: int) -> bool:
        """Block until every task of this runner's pool has ended (for shutdown and tests)."""
        return self._pool.waitForDone(timeout_ms)

    def cancel(self) -> None:
        """Ignore the running task's result. The computation itself runs to its end."""
        if not self._running:
            return
        self._generation += 1
        self._running = False
        logger.info("%s cancelled", self._name)
        self.cancelled.emit()

    def _on_progress(self, generation: int, percent: int, message: str) -> None:
        if generation == self._generation and self._running:
            self.progress.emit(percent, message)

    def _on_finished(self, generation: int, result: object) -> None:
        if generation != self._generation:
            logger.debug("%s: dropped a stale result", self._name)
            return
        self._running = False
        self.finished.emit(result)

    def _on_failed(self, generation: int, message: str, details: str) -> None:
        if generation != self._generation:
            return
        self._running = False
        self.failed.emit(message, details)
