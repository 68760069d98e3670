"""Pure R&D logic (no Django): regional aggregates over columns, diagnosis findings and
recommendations, and the tax at stake. Inputs are plain values or Polars frames."""
