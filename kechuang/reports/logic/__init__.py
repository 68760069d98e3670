"""Pure helpers of the report writer: Chinese numbering and conditional phrasing (no Django)."""
