"""Pure computations of the indicator system (no Django): normalisation, aggregation, ranks,
contributions and the sensitivity analysis. See compute.py."""
