"""Renderers of an assembled report Document: docx, pdf and xlsx."""
