"""Persistence: the SQLite file, its schema and migrations. Never imports Qt."""
