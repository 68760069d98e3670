"""Pure rules of campaigns and visits (no Django imports: see core/tests/test_boundaries.py)."""
