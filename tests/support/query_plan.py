"""The database's own plan for a SQLAlchemy query, for tests that assert an index serves it."""

from __future__ import annotations

from sqlalchemy import Engine, text
from sqlalchemy.dialects import postgresql, sqlite


def query_plan(engine: Engine, query) -> str:
    """The plan of ``query`` on ``engine`` as text: SQLite's ``EXPLAIN QUERY PLAN``, PostgreSQL's ``EXPLAIN``."""
    dialect = sqlite.dialect() if engine.dialect.name == "sqlite" else postgresql.dialect()
    sql = str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    with engine.connect() as db:
        return "\n".join(" ".join(str(c) for c in row) for row in db.execute(text(prefix + sql)))
