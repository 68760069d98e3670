"""The cooperation figures of the catalogue (`kechuang.core.figures`): their keys, spelled here
only. `selectors.headline_figures` computes them, CooperationConfig.ready() registers them and
the annual report's cooperation section reads them through these constants.
"""

from __future__ import annotations

__all__ = [
    "COOPERATION_EVENTS",
    "COOPERATION_DEMANDS_MATCHED",
    "COMPETITION_ENTRANTS",
    "COMPETITION_NINGBO_FINALISTS",
    "COMPETITION_NATIONAL_FINALISTS",
    "TECHNICAL_CONTRACTS_REGISTERED",
    "TECHNICAL_CONTRACT_AMOUNT",
    "TECHNICAL_TRANSACTION_AMOUNT",
    "COOPERATION_KEYS",
]

COOPERATION_EVENTS = "cooperation_events"
COOPERATION_DEMANDS_MATCHED = "cooperation_demands_matched"
COMPETITION_ENTRANTS = "competition_entrants"
COMPETITION_NINGBO_FINALISTS = "competition_ningbo_finalists"
COMPETITION_NATIONAL_FINALISTS = "competition_national_finalists"
TECHNICAL_CONTRACTS_REGISTERED = "technical_contracts_registered"
TECHNICAL_CONTRACT_AMOUNT = "technical_contract_amount_yuan"
TECHNICAL_TRANSACTION_AMOUNT = "technical_transaction_amount_yuan"

# In the order of the catalogue and of the report's table.
COOPERATION_KEYS = (
    COOPERATION_EVENTS,
    COOPERATION_DEMANDS_MATCHED,
    COMPETITION_ENTRANTS,
    COMPETITION_NINGBO_FINALISTS,
    COMPETITION_NATIONAL_FINALISTS,
    TECHNICAL_CONTRACTS_REGISTERED,
    TECHNICAL_CONTRACT_AMOUNT,
    TECHNICAL_TRANSACTION_AMOUNT,
)
