"""Pure rules of the programme cycle (no Django): eligibility, formal check, workflow tables,
expert assignment and score aggregation, KPI comparison. See docs/programmes.md."""
