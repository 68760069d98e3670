"""Pure-Python qualification rules engine (the rules: docs/qualification-rules.md).

No Django here (a test scans ``kechuang/*/logic/*.py``).  The path is always
*selector loads → pure function computes → service writes* (docs/contributing.md#services-selectors-and-logic).

Contract relied on by the Django side
-------------------------------------

**Single face** — :func:`evaluate_case` ``(case, *, ruleset=None) -> dict`` takes the input
object (money in 万元, ratios as decimals, ISO dates, an absent field = unknown, never zero) and
returns the output object ``{"id", "rule_set_version", "tiers": {tier_key: {...}}}`` with
tier keys ``tech_sme_national``, ``high_tech``, ``tech_sme_provincial``, ``cultivation``,
``rd_institution`` and ``unicorn``.  Each tier has ``status``, ``conditions`` and ``gaps``; each
condition is ``{"id", "status", "value", "op", "threshold", "clause", "label_zh", "basis"}``
(+ ``pending_verification: true`` and ``note`` where relevant).  Malformed input raises
``ValueError``.

* ``status``: ``pass`` / ``fail`` / ``borderline`` (high-tech innovation score: the minimum of
  the official expert ranges fails and the maximum passes) / ``unknown`` (missing data could
  decide it; the condition lacking data is itself ``unknown``).  Conditions combine with Kleene
  logic: any ``fail`` → fail; else any ``unknown`` → unknown; else any borderline → borderline.
* tech-SME: ``route`` = ``scoring`` or ``direct:<reason>`` (docs/qualification-rules.md#direct-routes order); ``score`` (or ``null``
  plus ``score_range``), ``subscores``, ``direct_routes``; C5 = total ≥ 60, C5s = staff score ≠ 0.
* high-tech: ``score_range`` ``[min, max]`` and ``subscores`` ranges; conditions H1–H8 with H5b.
* gaps (only when the tier does not pass): H1 days, H2 one Class II item, H4
  ``(0.10·E − T)/0.9`` persons, H5 extra 3-year R&D at current sales (万元), H5b, H6, H7 points,
  and for the tech-SME score the cheapest set of band moves reaching 60 points (``C5`` gaps for
  ``tech_staff``, ``rd_expense_deduction_scope``, ``ip_class2_count`` / ``ip_class1_count``).
  Money gaps are rounded **up** to the fen, so applying a gap always passes the condition.

**Batch face** — :func:`evaluate_batch` ``(frame, *, ruleset=None, evaluation_date)`` → one row
per enterprise; schema and units in :mod:`.batch` (money in Int64 **fen**, average headcounts
in Int64 units of 1/5,544,000 person; null = unknown).  :func:`case_to_row` converts a case
to a batch row; :func:`run_batch` is the entry point for services and benchmarks.

**Rule sets** — every threshold and band lives in ``logic/rulesets/*.json`` with its clause,
status (CONFIRMED / SECONDARY / UNCONFIRMED) and ``effective_from``; :func:`get_ruleset` picks
the set in force on a date.  UNCONFIRMED items carry ``pending_verification`` so the UI shows
待政策核实.  The cultivation tier is a *provisional local screen* (all ``cult.*`` values
UNCONFIRMED); the R&D-institution and unicorn tiers evaluate to ``unknown`` with the reason,
because their thresholds are unconfirmed (docs/qualification-rules.md#rd-institutions, docs/qualification-rules.md#unicorn-tiers).

**Exactness** — the single face compares exact rationals (``Fraction``); the batch face
cross-multiplies integers, so boundary values (5,000 万元 → 5 % band, 20,000 → 4 %, a ratio of
exactly 0.10) behave identically in both faces (docs/qualification-rules.md#exact-numbers).
"""

from .batch import INPUT_SCHEMA, case_to_row, evaluate_batch, rows_to_frame, run_batch
from .certificates import Certificate, TechSmeRegistration, expiring_within, valid_on
from .evaluate import TIER_KEYS, evaluate_case
from .rulesets import PENDING_LABEL_ZH, RuleSet, get_ruleset, load_rulesets

__all__ = [
    "INPUT_SCHEMA",
    "PENDING_LABEL_ZH",
    "TIER_KEYS",
    "Certificate",
    "RuleSet",
    "TechSmeRegistration",
    "case_to_row",
    "evaluate_batch",
    "evaluate_case",
    "expiring_within",
    "get_ruleset",
    "load_rulesets",
    "rows_to_frame",
    "run_batch",
    "valid_on",
]
