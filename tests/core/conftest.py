"""Shared fixtures: a real catalog SQLite file and plans of the bundled examples."""

import pytest

from core.catalog.db import open_catalog
from core.plan import load_catalog, make_plan
from core.project import load_project
from resources import EXAMPLES_DIR


@pytest.fixture(scope="session")
def catalog_engine(tmp_path_factory):
    return open_catalog(tmp_path_factory.mktemp("catalog") / "catalog.sqlite")


@pytest.fixture(scope="session")
def catalog_tables(catalog_engine):
    return load_catalog(catalog_engine)


@pytest.fixture(scope="session")
def sand_point_plan(catalog_engine):
    project = load_project(EXAMPLES_DIR / "sand_point_alaska.json")
    return make_plan(project, catalog_engine)


@pytest.fixture(scope="session")
def greensboro_plan(catalog_engine):
    project = load_project(EXAMPLES_DIR / "greensboro_nc.json")
    return make_plan(project, catalog_engine)
