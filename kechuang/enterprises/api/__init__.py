"""REST API of the enterprise registry, mounted at /api/v1/enterprises/."""
