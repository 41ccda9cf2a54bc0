"""Entry point of the ``offgrid-configurator`` command.

Headless commands run without loading Qt, so ``report``, ``plan`` and
``catalog`` work on a machine with no display. Every command logs to the
rotating log file described in :mod:`gui.logging_setup`.
"""

from __future__ import annotations

import logging
import platform
import sys

from core import __version__
from core.cli import DEFAULT_EXAMPLE, HEADLESS_COMMANDS, build_parser, run
from gui.logging_setup import configure_logging, log_file_path

logger = logging.getLogger(__name__)

# Exit code after an unexpected error (a bug), apart from 2 for bad input.
EXIT_BUG = 1


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the wizard or a headless command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(verbose=args.verbose)
    command = args.command or "wizard"
    logger.info("offgrid-configurator %s started: command %s, Python %s on %s",
                __version__, command, platform.python_version(), platform.platform())
    if command in HEADLESS_COMMANDS:
        exit_code = _run_headless(args)
    else:
        from gui.app import run_wizard

        project_path = getattr(args, "project", None) or DEFAULT_EXAMPLE
        exit_code = run_wizard(project_path, args.catalog, rebuild_catalog=args.rebuild_catalog)
    logger.info("offgrid-configurator stopped: command %s, exit code %d", command, exit_code)
    return exit_code


def _run_headless(args) -> int:
    """Run a headless command; a bug ends with one line on stderr and the traceback in the log."""
    try:
        return run(args)
    except Exception as error:  # noqa: BLE001 - the traceback goes to the log, not the terminal
        logger.exception("Command %s failed with an unexpected error", args.command)
        log_file = log_file_path()
        where = f"The traceback is in {log_file}." if log_file else ""
        print(f"error: unexpected {type(error).__name__}: {error}. {where}", file=sys.stderr)
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
