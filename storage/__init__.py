"""The only place with SQL. Its modules take SQLAlchemy's asyncio engine without the ORM."""

from storage import core_engine

core_engine.install()
