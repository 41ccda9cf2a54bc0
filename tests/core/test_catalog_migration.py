"""A catalog built by the previous schema moves forward and keeps the user's components."""

import sqlite3

from core.catalog import queries
from core.catalog.db import SCHEMA_VERSION, open_catalog, session_scope
from core.catalog.models import Generator


def _downgrade_to_schema_1(path):
    """Make the file look like one written by schema-1 code: no columns added since."""
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("ALTER TABLE llm_architectures DROP COLUMN tied_embeddings")
        connection.execute("ALTER TABLE generators DROP COLUMN frequency_hz")
        connection.execute("UPDATE catalog_info SET schema_version = 1, seed_version = 'old'")
    connection.close()


def test_schema_1_file_migrates_and_keeps_user_rows(tmp_path):
    path = tmp_path / "catalog.sqlite"
    engine = open_catalog(path)
    with session_scope(engine) as session:
        template = queries.get_generator(session, "electropower-j106-diesel")
        values = {column.key: getattr(template, column.key)
                  for column in Generator.__table__.columns if column.key != "origin"}
        values.update(key="site-own-genset", name="Site's own 6 kW genset", price=4200.0)
        queries.add_user_row(session, Generator, **values)
    engine.dispose()
    _downgrade_to_schema_1(path)

    engine = open_catalog(path)
    with session_scope(engine) as session:
        assert queries.get_catalog_info(session).schema_version == SCHEMA_VERSION
        kept = queries.get_generator(session, "site-own-genset")
        assert kept.origin == "user"
        assert kept.price == 4200.0
        llama = queries.get_llm_architecture(session, "llama-3.2-3b")
        assert llama.tied_embeddings is True
        assert queries.get_generator(session, "generac-lc-15kw-diesel").frequency_hz == 60
    engine.dispose()
