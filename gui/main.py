"""Entry point of the ``offgrid-configurator`` command.

Headless commands run without loading Qt, so ``report``, ``plan`` and
``catalog`` work on a machine with no display.
"""

from __future__ import annotations

import logging
import sys

from core.cli import DEFAULT_EXAMPLE, HEADLESS_COMMANDS, build_parser, run


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the wizard or a headless command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if args.command in HEADLESS_COMMANDS:
        return run(args)

    from gui.app import run_wizard

    project_path = getattr(args, "project", None) or DEFAULT_EXAMPLE
    return run_wizard(project_path, args.catalog)


if __name__ == "__main__":
    sys.exit(main())
