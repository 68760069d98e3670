"""Value types of the matching engine: what goes in (Doc) and what comes out (Match)."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("achievement", "expert", "demand")


@dataclass(frozen=True)
class Doc:
    """One searchable item (or a query): a demand, an achievement or an expert.

    ``field`` is the technical field (技术领域), ``industry`` the industry (行业); both are soft
    signals. ``keywords`` count as title-strength terms.
    """

    id: str
    title: str
    text: str = ""
    field: str | None = None
    industry: str | None = None
    keywords: tuple[str, ...] = ()
    kind: str = "achievement"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r} (expected one of {', '.join(KINDS)})")
        if not isinstance(self.keywords, tuple):
            object.__setattr__(self, "keywords", tuple(self.keywords or ()))


@dataclass(frozen=True)
class Match:
    """One ranked result: the item's id, the fused score (0–1, higher is better), the score
    components (``dense``, ``lexical``, ``field``, ``industry``, normalised, plus the raw ``cosine``
    and ``bm25``) and the reasons shown to users, in Chinese."""

    id: str
    score: float
    components: dict[str, float] = field(default_factory=dict)
    why: list[str] = field(default_factory=list)
