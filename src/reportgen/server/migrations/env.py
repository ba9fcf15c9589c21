"""Alembic's environment for the server's migrations: run on the connection ``db.migrate`` gives."""
from alembic import context

from reportgen.server.db import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
