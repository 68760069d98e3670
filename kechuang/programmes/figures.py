"""The programme figures of the catalogue (`kechuang.core.figures`): their keys, spelled here
only. `selectors.programme_figures` computes them, ProgrammesConfig.ready() registers them and
the annual report's programme section reads them through these constants.
"""

from __future__ import annotations

__all__ = [
    "KEY_RD_PROJECTS_NOTICED",
    "PROGRAMME_APPLICATIONS",
    "PROGRAMME_FUNDING_COMMITTED",
    "PROGRAMME_FUNDING_PAID",
    "PROGRAMME_KPI_ATTAINMENT",
]

KEY_RD_PROJECTS_NOTICED = "key_rd_projects_noticed"
PROGRAMME_APPLICATIONS = "programme_applications"
PROGRAMME_FUNDING_COMMITTED = "programme_funding_committed_yuan"
PROGRAMME_FUNDING_PAID = "programme_funding_paid_yuan"
PROGRAMME_KPI_ATTAINMENT = "programme_kpi_attainment_pct"
