"""Alembic environment: migrate the connection ``offchain.store.db.migrate`` hands over."""

from alembic import context

from offchain.store.models import Base

context.configure(connection=context.config.attributes["connection"], target_metadata=Base.metadata)
with context.begin_transaction():
    context.run_migrations()
