"""Headless commands: report, plan and catalog.

The console command ``offgrid-configurator`` lives in :mod:`gui.main`, which
opens the wizard when no command is given and hands every other command to
:func:`run`. Nothing here imports Qt.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from core import __version__
from core.errors import ConfiguratorError, InputError
from resources import EXAMPLES_DIR

logger = logging.getLogger(__name__)

DEFAULT_EXAMPLE = EXAMPLES_DIR / "sand_point_alaska.json"
EXIT_OK = 0
EXIT_USER_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of the ``offgrid-configurator`` command line."""
    parser = argparse.ArgumentParser(
        prog="offgrid-configurator",
        description="Plan AI inference at an off-grid site: accelerators, servers, rack power, "
                    "solar, battery and generator, with a PDF proposal. Without a command, "
                    "opens the wizard on the bundled example project.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--catalog", type=Path, default=None, metavar="DB",
                        help="spec catalog database (SQLite); default: built in the user's data "
                             "folder from the bundled CSV files")
    parser.add_argument("--rebuild-catalog", action="store_true",
                        help="if the catalog database is damaged, keep it as <name>.corrupt and "
                             "build a new one, copying the components you added that can still "
                             "be read")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    wizard = commands.add_parser("wizard", help="open the wizard (the default)",
                                 description="Open the wizard on PROJECT or on the example.")
    wizard.add_argument("project", nargs="?", type=Path, help="project file (.json) to open")

    report = commands.add_parser(
        "report", help="write the PDF proposal of a project",
        description="Compute the plan of PROJECT and write the PDF proposal, the same one the "
                    "wizard exports.")
    report.add_argument("project", type=Path, help="project file (.json)")
    report.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf",
                        help="PDF file to write")

    plan = commands.add_parser(
        "plan", help="print the headline figures of a project",
        description="Compute the plan of PROJECT and print daily load [kWh], peak load [kW], "
                    "PV [kWp], battery usable and nominal [kWh], generator [kW], annual fuel "
                    "[L], unmet load [kWh] and capital cost.")
    plan.add_argument("project", type=Path, help="project file (.json)")
    plan.add_argument("--json", action="store_true", help="print the figures as JSON")

    catalog = commands.add_parser(
        "catalog", help="list catalog rows",
        description="Without TABLE, list the catalog tables with their row counts; with TABLE, "
                    "list its rows.")
    catalog.add_argument("table", nargs="?", help="table name, for example accelerators")
    return parser


def open_engine(catalog_path: Path | None, rebuild_if_corrupt: bool = False):
    """Open the spec catalog (building it on first use) and return the engine."""
    from core.catalog.db import open_catalog

    # A catalog named on the command line must sit in an existing folder: a
    # mistyped path would otherwise create a new, empty-of-user-rows catalog.
    if catalog_path is not None and not Path(catalog_path).parent.is_dir():
        raise InputError("--catalog", str(catalog_path), "a database file in an existing folder")
    return open_catalog(catalog_path, rebuild_if_corrupt=rebuild_if_corrupt)


def compute_plan(project_path: Path, catalog_path: Path | None, rebuild_catalog: bool = False):
    """Load a project file and return its plan."""
    from core.plan import make_plan
    from core.project import load_project

    project = load_project(project_path)
    engine = open_engine(catalog_path, rebuild_catalog)
    return make_plan(project, engine, project_dir=project_path.resolve().parent)


def _command_report(args: argparse.Namespace) -> int:
    from core.report.pdf import write_pdf

    output = args.output
    # Checked before the plan runs, so a typing slip costs no computation.
    if output.is_dir():
        raise InputError("report -o", str(output),
                         "a PDF file name, not a folder (for example "
                         f"{output / (args.project.stem + '.pdf')})")
    if not output.parent.is_dir():
        raise InputError("report -o", str(output), "a file in an existing folder")
    if output.suffix.lower() != ".pdf":
        output = output.with_suffix(".pdf")
    plan = compute_plan(args.project, args.catalog, args.rebuild_catalog)
    write_pdf(plan, output)
    print(f"Wrote {output}")
    return EXIT_OK


def _command_plan(args: argparse.Namespace) -> int:
    from core.plan import plan_summary_text

    plan = compute_plan(args.project, args.catalog, args.rebuild_catalog)
    if args.json:
        figures = {key: round(float(value), 3) for key, value in plan.headline().items()}
        figures["currency"] = plan.project.info.currency
        print(json.dumps(figures, indent=2))
    else:
        print(f"{plan.project.info.name} ({plan.project.site.name})")
        print(plan_summary_text(plan))
        for warning in plan.warnings:
            print(f"warning: {warning}")
    return EXIT_OK


def _command_catalog(args: argparse.Namespace) -> int:
    from core.catalog.db import session_scope
    from core.catalog.listing import format_table

    engine = open_engine(args.catalog, args.rebuild_catalog)
    with session_scope(engine) as session:
        print(format_table(session, args.table))
    return EXIT_OK


HEADLESS_COMMANDS = {
    "report": _command_report,
    "plan": _command_plan,
    "catalog": _command_catalog,
}


def run(args: argparse.Namespace) -> int:
    """Run a headless command; a known error becomes one message on stderr and exit code 2."""
    try:
        return HEADLESS_COMMANDS[args.command](args)
    except ConfiguratorError as error:
        print(f"error: {error}", file=sys.stderr)
        logger.info("Command %s failed: %s", args.command, error)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of the output (for example `head`) stopped early; that is not an error.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stays open until exit
        return EXIT_OK
