"""Alembic migrations, shipped inside the package so `lobby db upgrade` works from any directory."""
