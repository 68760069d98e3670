"""HTML views of the enterprise registry."""
