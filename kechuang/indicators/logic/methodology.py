"""The methodology of a composite index: a versioned, JSON-serialisable description of every
step, stored with every result (docs/indicators.md#methodology).

Schema ``kechuang.index.method/1``::

    {
      "schema": "kechuang.index.method/1",
      "code": "coinr_asem", "name": "...", "version": 1,
      "denominate": true,
      "impute": {"method": "group_mean" | "unit_mean_over_time" | "none", "group": "EurAsia_group"},
      "screen": {"min_availability": 0.9},
      "treat": {"method": "winsorise_log" | "winsorise" | "log" | "none",
                "winmax": 5, "skew": 2.0, "kurtosis": 3.5},
      "normalise": {"method": "min_max" | "z_score" | "percentile_rank" | "rank"
                              | "target_share" | "target_distance",
                    "low": 0, "high": 100,           # min_max interval
                    "mean": 0, "sd": 1, "ddof": 1,   # z_score (ddof 1 sample, 0 population)
                    "scale": 1,                      # percentile_rank, target_* multiplier
                    "cap": true,                     # target_*: cap at 1
                    "across_years": false},          # pooled bounds over all years
      "aggregate": {"levels": ["arithmetic", "arithmetic", "arithmetic"]},
      "exclude": ["LPI"],                            # indicators left out
      "weights": {"Conn": 2}                         # weight overrides by node code
    }

Missing keys take the defaults below. `parse` raises ValueError with the offending key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "SCHEMA",
    "IMPUTATIONS",
    "TREATMENTS",
    "NORMALISATIONS",
    "AGGREGATIONS",
    "Impute",
    "Screen",
    "Treat",
    "Normalise",
    "Methodology",
    "parse",
]

SCHEMA = "kechuang.index.method/1"
IMPUTATIONS = ("none", "group_mean", "unit_mean_over_time")
TREATMENTS = ("none", "winsorise_log", "winsorise", "log")
NORMALISATIONS = (
    "min_max",
    "z_score",
    "percentile_rank",
    "rank",
    "target_share",
    "target_distance",
)
AGGREGATIONS = ("arithmetic", "geometric", "harmonic")


@dataclass(frozen=True)
class Impute:
    method: str = "none"
    group: str | None = None


@dataclass(frozen=True)
class Screen:
    min_availability: float = 0.0


@dataclass(frozen=True)
class Treat:
    method: str = "none"
    winmax: int = 5
    skew: float = 2.0
    kurtosis: float = 3.5


@dataclass(frozen=True)
class Normalise:
    method: str = "min_max"
    low: float = 0.0
    high: float = 100.0
    mean: float = 0.0
    sd: float = 1.0
    ddof: int = 1
    scale: float = 1.0
    cap: bool = True
    across_years: bool = False


@dataclass(frozen=True)
class Methodology:
    code: str = "default"
    name: str = ""
    version: int = 1
    denominate: bool = False
    impute: Impute = field(default_factory=Impute)
    screen: Screen = field(default_factory=Screen)
    treat: Treat = field(default_factory=Treat)
    normalise: Normalise = field(default_factory=Normalise)
    aggregate: tuple[str, ...] = ("arithmetic",)
    exclude: tuple[str, ...] = ()
    weights: Mapping[str, float] = field(default_factory=dict)
    description: str = ""

    def aggregation_for(self, level: int) -> str:
        """The aggregation from `level` to `level + 1` (the last one given repeats)."""
        return self.aggregate[min(level - 1, len(self.aggregate) - 1)]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        return {
            "schema": SCHEMA,
            **{k: d[k] for k in ("code", "name", "version", "description", "denominate")},
            "impute": d["impute"],
            "screen": d["screen"],
            "treat": d["treat"],
            "normalise": d["normalise"],
            "aggregate": {"levels": list(self.aggregate)},
            "exclude": list(self.exclude),
            "weights": dict(self.weights),
        }

    def fingerprint(self) -> str:
        """A short hash of the steps (not the name): equal fingerprints, equal computation."""
        d = self.to_dict()
        for k in ("code", "name", "version", "description"):
            d.pop(k)
        raw = json.dumps(d, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(raw).hexdigest()[:16]


def _section(raw: Mapping[str, Any], key: str, cls: type, choices: tuple[str, ...] | None):
    value = raw.get(key) or {}
    if not isinstance(value, Mapping):
        raise ValueError(f"{key}: must be an object")
    known = set(cls.__dataclass_fields__)  # type: ignore[attr-defined]
    unknown = set(value) - known
    if unknown:
        raise ValueError(f"{key}: unknown field(s) {', '.join(sorted(unknown))}")
    try:
        obj = cls(**value)
    except TypeError as exc:
        raise ValueError(f"{key}: {exc}") from exc
    if choices is not None and obj.method not in choices:
        raise ValueError(f"{key}.method: one of {', '.join(choices)}")
    return obj


def parse(raw: Mapping[str, Any] | str) -> Methodology:
    """A `Methodology` from its JSON form (a dict or a JSON string), validated."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not valid JSON: {exc.msg}") from exc
    if not isinstance(raw, Mapping):
        raise ValueError("a methodology is a JSON object")
    if raw.get("schema", SCHEMA) != SCHEMA:
        raise ValueError(f"schema: expected {SCHEMA}")
    known = {
        "schema", "code", "name", "version", "description", "denominate", "impute", "screen",
        "treat", "normalise", "aggregate", "exclude", "weights",
    }  # fmt: skip
    unknown = set(raw) - known
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(sorted(unknown))}")
    impute = _section(raw, "impute", Impute, IMPUTATIONS)
    if impute.method == "group_mean" and not impute.group:
        raise ValueError("impute.group: the group column is required for group_mean")
    screen = _section(raw, "screen", Screen, None)
    if not 0.0 <= float(screen.min_availability) <= 1.0:
        raise ValueError("screen.min_availability: between 0 and 1")
    treat = _section(raw, "treat", Treat, TREATMENTS)
    if int(treat.winmax) < 0:
        raise ValueError("treat.winmax: not negative")
    norm = _section(raw, "normalise", Normalise, NORMALISATIONS)
    if norm.method == "min_max" and not float(norm.high) > float(norm.low):
        raise ValueError("normalise.high: must be above normalise.low")
    if norm.method == "z_score" and (not float(norm.sd) > 0 or int(norm.ddof) not in (0, 1)):
        raise ValueError("normalise.sd: positive; normalise.ddof: 0 or 1")
    agg = raw.get("aggregate") or {}
    levels = agg.get("levels", ["arithmetic"]) if isinstance(agg, Mapping) else agg
    if isinstance(levels, str):
        levels = [levels]
    if not levels or any(a not in AGGREGATIONS for a in levels):
        raise ValueError(f"aggregate.levels: each one of {', '.join(AGGREGATIONS)}")
    if (
        any(a != "arithmetic" for a in levels)
        and norm.method in ("z_score", "rank", "percentile_rank")
        or (norm.method == "min_max" and float(norm.low) <= 0 and set(levels) - {"arithmetic"})
    ):
        raise ValueError(
            "aggregate.levels: geometric and harmonic means need positive scores "
            "(min_max with low > 0, or a target normalisation)"
        )
    weights = raw.get("weights") or {}
    if not isinstance(weights, Mapping) or any(
        not isinstance(w, int | float) or w < 0 for w in weights.values()
    ):
        raise ValueError("weights: an object of non-negative numbers")
    exclude = raw.get("exclude") or []
    if not isinstance(exclude, list) or not all(isinstance(x, str) for x in exclude):
        raise ValueError("exclude: a list of indicator codes")
    version = raw.get("version", 1)
    if not isinstance(version, int) or version < 1:
        raise ValueError("version: a positive whole number")
    return Methodology(
        code=str(raw.get("code") or "default"),
        name=str(raw.get("name") or ""),
        version=version,
        description=str(raw.get("description") or ""),
        denominate=bool(raw.get("denominate", False)),
        impute=impute,
        screen=screen,
        treat=treat,
        normalise=norm,
        aggregate=tuple(levels),
        exclude=tuple(exclude),
        weights={str(k): float(v) for k, v in weights.items()},
    )
