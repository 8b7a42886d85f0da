"""The index database: engine and Alembic migrations, tables, and the reads the API makes of it."""
