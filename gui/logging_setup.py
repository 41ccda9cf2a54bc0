"""The rotating log file that support requests, and the crash handler of the GUI.

The log file is ``offgrid-configurator.log`` in the user's log folder
(platformdirs ``user_log_dir``, on Linux
``~/.local/state/offgrid-configurator/log``). It keeps INFO and above, rotates
at ``LOG_MAX_BYTES`` and keeps ``LOG_BACKUP_COUNT`` older files. Messages on
stderr stay at WARNING unless ``--verbose`` is given.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import platformdirs

APP_NAME = "offgrid-configurator"
LOG_FILE_NAME = "offgrid-configurator.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUP_COUNT = 3
LOG_FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"

logger = logging.getLogger(__name__)

# Path of the log file once configure_logging has opened it; None before, or
# when the log folder cannot be written.
_log_file: Path | None = None


def default_log_dir() -> Path:
    """Return the per-user log folder, e.g. ~/.local/state/offgrid-configurator/log."""
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def log_file_path() -> Path | None:
    """Return the log file that this process writes, or None when there is none."""
    return _log_file


def configure_logging(verbose: bool = False, log_dir: Path | None = None) -> Path | None:
    """Send log records to stderr and to the rotating log file; return the file's path.

    A log folder that cannot be created or written leaves only stderr logging
    and a warning there, because a missing log must not stop the program.
    """
    global _log_file

    root = logging.getLogger()
    root.setLevel(logging.INFO)
    for handler in list(root.handlers):
        if getattr(handler, "_offgrid_handler", False):
            root.removeHandler(handler)
            handler.close()

    console = logging.StreamHandler()
    console.setLevel(logging.INFO if verbose else logging.WARNING)
    console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    console._offgrid_handler = True  # type: ignore[attr-defined]
    root.addHandler(console)

    folder = Path(log_dir) if log_dir is not None else default_log_dir()
    path = folder / LOG_FILE_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUP_COUNT, encoding="utf-8")
    except OSError as error:
        _log_file = None
        logger.warning("Log file %s cannot be opened (%s); logging to stderr only.", path, error)
        return None
    file_handler.setLevel(logging.INFO)
    file_handler.setFormatter(logging.Formatter(LOG_FORMAT))
    file_handler._offgrid_handler = True  # type: ignore[attr-defined]
    root.addHandler(file_handler)
    _log_file = path
    return path


ShowCrash = Callable[[str, str], None]


def crash_message(error: BaseException) -> str:
    """Return the text shown to the user after an unexpected error."""
    where = f"The details are in the log file {_log_file}." if _log_file else \
        "The details were printed to the terminal."
    return (f"An unexpected error occurred: {type(error).__name__}: {error}\n\n"
            f"{where} Save your project under a new name, then send the log file to support. "
            "The program keeps running, but the last action may not have finished.")


def install_crash_handler(show: ShowCrash) -> Callable[[], None]:
    """Route uncaught exceptions to the log file and to ``show(title, text)``.

    Covers the UI thread (``sys.excepthook``, which PySide6 calls for an
    exception raised in a slot or a Qt virtual method) and other threads
    (``threading.excepthook``). KeyboardInterrupt keeps the default handler.
    Returns a function that restores the previous hooks.
    """
    previous_hook = sys.excepthook
    previous_thread_hook = threading.excepthook

    def handle(kind: type[BaseException], error: BaseException,
               trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous_hook(kind, error, trace)
            return
        details = "".join(traceback.format_exception(kind, error, trace))
        logger.critical("Uncaught exception:\n%s", details)
        try:
            show("Unexpected error", crash_message(error))
        except Exception:  # noqa: BLE001 - the handler itself must never raise
            logger.exception("The crash message could not be shown")

    def handle_thread(arguments: threading.ExceptHookArgs) -> None:
        if arguments.exc_value is None:
            return
        details = "".join(traceback.format_exception(
            arguments.exc_type, arguments.exc_value, arguments.exc_traceback))
        thread_name = arguments.thread.name if arguments.thread else "unknown"
        logger.critical("Uncaught exception in thread %s:\n%s", thread_name, details)

    sys.excepthook = handle
    threading.excepthook = handle_thread

    def restore() -> None:
        sys.excepthook = previous_hook
        threading.excepthook = previous_thread_hook

    return restore
