"""Pure functions of the enterprise registry (no Django imports)."""
