"""Expert review: field fit, assignment proposal, score sheets and robust aggregation
(docs/programmes.md#expert-review)."""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = [
    "AGGREGATIONS",
    "DEFAULT_SCHEME",
    "field_fit",
    "propose_assignments",
    "sheet_total",
    "sheet_errors",
    "aggregate",
    "dispersion",
    "rank_by_topic",
]

AGGREGATIONS = ("mean", "trimmed_mean", "median")

# A configurable example scheme (weights and points are the bureau's choice).
DEFAULT_SCHEME: dict[str, Any] = {
    "k": 5,
    "aggregation": "trimmed_mean",
    "dispersion_threshold": 15,
    "criteria": [
        {"key": "innovation", "label_zh": "技术创新性", "weight": 30, "max": 10},
        {"key": "feasibility", "label_zh": "技术路线可行性", "weight": 25, "max": 10},
        {"key": "team", "label_zh": "团队与基础条件", "weight": 15, "max": 10},
        {"key": "benefit", "label_zh": "预期经济社会效益", "weight": 20, "max": 10},
        {"key": "budget", "label_zh": "经费预算合理性", "weight": 10, "max": 10},
    ],
}

_LATIN = re.compile(r"[a-z0-9]+")
_CJK = re.compile(r"[\u4e00-\u9fff]+")


def _terms(text: str) -> Counter[str]:
    """Latin words and Chinese character bigrams (single characters for one-character runs)."""
    text = (text or "").lower()
    terms: Counter[str] = Counter(_LATIN.findall(text))
    for run in _CJK.findall(text):
        if len(run) == 1:
            terms[run] += 1
        terms.update(run[i : i + 2] for i in range(len(run) - 1))
    return terms


def field_fit(expert_text: str, application_text: str) -> float:
    """How well an expert's profile fits an application, 0 … 1 (cosine of term counts).

    A simple lexical score: Latin words and Chinese character bigrams. The matching engine of
    the cooperation module can replace it behind this same signature.
    """
    a, b = _terms(expert_text), _terms(application_text)
    if not a or not b:
        return 0.0
    dot = sum(a[t] * b[t] for t in a.keys() & b.keys())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


@dataclass(frozen=True)
class Candidate:
    expert_id: int
    text: str
    capacity: int = 1_000


def propose_assignments(
    applications: Sequence[tuple[int, int, str]],
    experts: Sequence[Candidate],
    *,
    k: int,
    conflicts: set[tuple[int, int]] = frozenset(),  # type: ignore[assignment]
    existing: dict[int, set[int]] | None = None,
    load: dict[int, int] | None = None,
    load_weight: float = 0.05,
) -> dict[int, list[int]]:
    """Propose up to `k` experts per application: (application id, applicant id, text).

    Field fit first, minus a small penalty per assignment the expert already carries (load
    balance); never a conflicted pair (expert id, application id); never one expert on two
    applications of the same applicant in the call; never above an expert's capacity.
    `existing` holds the experts already seated per application (they count toward k).
    """
    existing = {a: set(v) for a, v in (existing or {}).items()}
    load = dict(load or {})
    by_applicant: dict[int, set[int]] = defaultdict(set)  # applicant → experts seated
    applicant_of = {a: ap for a, ap, _ in applications}
    for app_id, seated in existing.items():
        for e in seated:
            by_applicant[applicant_of.get(app_id, -1)].add(e)
    fits = {
        app_id: {c.expert_id: field_fit(c.text, text) for c in experts}
        for app_id, _, text in applications
    }
    capacity = {c.expert_id: c.capacity for c in experts}
    out: dict[int, list[int]] = {}
    # The hardest applications (fewest admissible experts) first.
    order = sorted(
        applications,
        key=lambda row: (sum(1 for c in experts if (c.expert_id, row[0]) not in conflicts), row[0]),
    )
    for app_id, applicant, _ in order:
        seated = existing.get(app_id, set())
        chosen: list[int] = []
        need = max(k - len(seated), 0)
        ranked = sorted(
            (
                (fits[app_id][e] - load_weight * load.get(e, 0), -load.get(e, 0), -e, e)
                for e in capacity
                if (e, app_id) not in conflicts
                and e not in seated
                and e not in by_applicant[applicant]
                and load.get(e, 0) < capacity[e]
            ),
            reverse=True,
        )
        for *_, e in ranked[:need]:
            chosen.append(e)
            load[e] = load.get(e, 0) + 1
            by_applicant[applicant].add(e)
        out[app_id] = chosen
    return out


def _dec(value: Any) -> Decimal | None:
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return d if d.is_finite() else None


def sheet_errors(criteria: Sequence[dict[str, Any]], scores: dict[str, Any]) -> dict[str, str]:
    """Field-level Chinese messages for a score sheet: every criterion scored within 0 … max."""
    errors = {}
    for c in criteria:
        raw = scores.get(c["key"])
        value = _dec(raw) if raw not in (None, "") else None
        if value is None:
            errors[c["key"]] = "请填写0至{}之间的分数".format(c["max"])
        elif value < 0 or value > Decimal(str(c["max"])):
            errors[c["key"]] = "分数须在0至{}之间".format(c["max"])
    return errors


def sheet_total(criteria: Sequence[dict[str, Any]], scores: dict[str, Any]) -> Decimal:
    """The weighted total on 0 … 100: Σ points/max × weight, weights scaled to sum 100."""
    weights = sum(Decimal(str(c["weight"])) for c in criteria) or Decimal(1)
    total = sum(
        (
            (_dec(scores.get(c["key"])) or Decimal(0))
            / Decimal(str(c["max"]))
            * Decimal(str(c["weight"]))
            for c in criteria
        ),
        Decimal(0),
    )
    return (total * 100 / weights).quantize(Decimal("0.01"))


def aggregate(values: Iterable[Decimal | float], method: str) -> Decimal | None:
    """The panel's score: mean, trimmed mean (dropping one highest and one lowest score when
    there are at least three), or median. None without scores."""
    vals = sorted(Decimal(str(v)) for v in values)
    if not vals:
        return None
    if method == "median":
        result = Decimal(str(statistics.median(vals)))
    elif method == "trimmed_mean" and len(vals) >= 3:
        kept = vals[1:-1]
        result = sum(kept, Decimal(0)) / len(kept)
    elif method in AGGREGATIONS:
        result = sum(vals, Decimal(0)) / len(vals)
    else:
        raise ValueError(method)
    return result.quantize(Decimal("0.01"))


def dispersion(values: Iterable[Decimal | float]) -> Decimal | None:
    """Sample standard deviation of the scores (None below two scores)."""
    vals = [float(v) for v in values]
    if len(vals) < 2:
        return None
    return Decimal(str(statistics.stdev(vals))).quantize(Decimal("0.01"))


def rank_by_topic(rows: Sequence[tuple[int, int, Decimal | None]]) -> dict[int, int]:
    """Competition ranks (1, 2, 2, 4) within each topic: rows of (id, topic id, score);
    unscored rows are not ranked."""
    by_topic: dict[int, list[tuple[Decimal, int]]] = defaultdict(list)
    for row_id, topic, score in rows:
        if score is not None:
            by_topic[topic].append((score, row_id))
    ranks: dict[int, int] = {}
    for items in by_topic.values():
        items.sort(key=lambda x: (-x[0], x[1]))
        previous, rank = None, 0
        for position, (score, row_id) in enumerate(items, start=1):
            if score != previous:
                rank, previous = position, score
            ranks[row_id] = rank
    return ranks
