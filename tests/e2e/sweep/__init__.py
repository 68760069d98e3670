"""The page sweep: its own work unit, so it runs beside the other browser tests (conftest.py)."""
