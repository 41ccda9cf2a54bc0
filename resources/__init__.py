"""Data shipped with the application: catalog seed CSVs, example projects and fonts."""

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parent
CATALOG_DIR = RESOURCES_DIR / "catalog"
EXAMPLES_DIR = RESOURCES_DIR / "examples"
FONTS_DIR = RESOURCES_DIR / "fonts"
