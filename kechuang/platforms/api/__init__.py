"""REST API of R&D institutions, mounted at /api/v1/platforms/."""
