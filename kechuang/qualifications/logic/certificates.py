"""Certificate and registration validity (docs/qualification-rules.md#certificate-validity,
docs/qualification-rules.md#registration-per-year).

High-tech enterprise certificates are valid for three years from the issue date
(国科发火〔2016〕32号 第九条).  The engine uses the half-open rule of
docs/qualification-rules.md#certificate-validity::

    valid_on(t) := issue_date <= t < issue_date + 3 years  and not revoked on or before t

``issue_date + 3 years`` keeps month and day; an issue date of 29 February maps to
28 February (the month's last day, 民法典 第二百零三条 convention).

National tech-SME registration numbers are counted **per evaluation year** (docs/qualification-rules.md#registration-per-year;
UNCONFIRMED expiry semantics): a registration for year Y counts for year Y only, unless
revoked in that year.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

HIGH_TECH_KIND = "high_tech"


def add_years(d: date, years: int) -> date:
    """``d`` plus whole years; 29 Feb becomes 28 Feb in a non-leap target year."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def add_months(d: date, months: int) -> date:
    """``d`` plus whole months, clamped to the target month's last day."""
    m0 = d.month - 1 + months
    year, month = d.year + m0 // 12, m0 % 12 + 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def _d(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


@dataclass(frozen=True)
class Certificate:
    """A qualification certificate (``kind`` e.g. ``high_tech``)."""

    kind: str
    issue_date: date
    number: str = ""
    revoked_date: date | None = None
    validity_years: int = 3

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any], validity_years: int = 3) -> Certificate:
        """Build from a §0.5 / §11 certificate record (dates as ISO strings or dates)."""
        issue = _d(raw.get("issue_date"))
        if issue is None:
            raise ValueError("certificate without issue_date")
        return cls(
            kind=str(raw.get("kind", "")),
            issue_date=issue,
            number=str(raw.get("number") or ""),
            revoked_date=_d(raw.get("revoked_date")),
            validity_years=validity_years,
        )

    @property
    def end_exclusive(self) -> date:
        """First day on which the certificate is no longer valid (issue + 3 years)."""
        return add_years(self.issue_date, self.validity_years)

    def valid_on(self, t: date) -> bool:
        """``issue <= t < issue + 3 years`` and not revoked on or before ``t``."""
        if self.revoked_date is not None and self.revoked_date <= t:
            return False
        return self.issue_date <= t < self.end_exclusive

    def expiring_within(self, t: date, months: int) -> bool:
        """Valid on ``t`` but no longer valid on ``t + months`` (a renewal reminder)."""
        return self.valid_on(t) and self.end_exclusive <= add_months(t, months)


def valid_on(cert: Certificate, t: date) -> bool:
    """Functional form of :meth:`Certificate.valid_on` (docs/qualification-rules.md#certificate-validity)."""
    return cert.valid_on(t)


def expiring_within(cert: Certificate, t: date, months: int) -> bool:
    """Functional form of :meth:`Certificate.expiring_within`."""
    return cert.expiring_within(t, months)


def has_valid(certs: Iterable[Certificate], t: date, kind: str = HIGH_TECH_KIND) -> bool:
    """True when any certificate of ``kind`` is valid on ``t`` (tech-SME direct route 1, docs/qualification-rules.md#direct-routes)."""
    return any(c.kind == kind and c.valid_on(t) for c in certs)


def stock(certs_by_enterprise: Mapping[str, Iterable[Certificate]], year: int) -> int:
    """``stock(Y)`` enterprises with a certificate valid on Y-12-31."""
    ref = date(year, 12, 31)
    return sum(1 for certs in certs_by_enterprise.values() if has_valid(certs, ref))


def recognition_kind(certs: Iterable[Certificate], new_cert: Certificate) -> str:
    """Classify a certificate issued in year Y
    (docs/qualification-rules.md#counting-valid-high-tech-enterprises).

    * ``first_time`` – no valid certificate on (Y-1)-12-31 (counts in ``new(Y)``, 新增);
    * ``re_recognised`` – the previous certificate expired in Y (重新认定);
    * ``other`` – neither (e.g. a previous certificate still valid beyond Y).
    """
    y = new_cert.issue_date.year
    others = [c for c in certs if c != new_cert and c.kind == new_cert.kind]
    if not any(c.valid_on(date(y - 1, 12, 31)) for c in others):
        return "first_time"
    if any(c.end_exclusive.year == y for c in others):
        return "re_recognised"
    return "other"


def new_and_re_recognised(
    certs_by_enterprise: Mapping[str, Iterable[Certificate]], year: int
) -> dict[str, int]:
    """Counts for year Y: ``new`` (first-time, 新增), ``re_recognised`` and ``issued`` (新认定, all)."""
    out = {"new": 0, "re_recognised": 0, "issued": 0}
    for certs in certs_by_enterprise.values():
        certs = [c for c in certs if c.kind == HIGH_TECH_KIND]
        for c in certs:
            if c.issue_date.year != year:
                continue
            out["issued"] += 1
            kind = recognition_kind(certs, c)
            if kind == "first_time":
                out["new"] += 1
            elif kind == "re_recognised":
                out["re_recognised"] += 1
    return out


# --- national tech-SME registration (docs/qualification-rules.md#registration-per-year)-------------------------------------


@dataclass(frozen=True)
class TechSmeRegistration:
    """An 入库登记编号 for one evaluation year (``valid_for_year = registration_year``)."""

    registration_year: int
    number: str = ""
    revoked_date: date | None = None

    def valid_for_year(self, year: int) -> bool:
        """Counts for ``year`` only; revocation removes the number of the year of the act."""
        if self.registration_year != year:
            return False
        return not (self.revoked_date is not None and self.revoked_date.year == year)


def renewal_deadline(registration_year: int, month_day: str = "03-31") -> date:
    """Date by which the information must be updated (115号 第十二条): 31 March of Y+1 by default."""
    month, day = (int(x) for x in month_day.split("-"))
    return date(registration_year + 1, month, day)


def tech_sme_count_for_year(
    registrations_by_enterprise: Mapping[str, Iterable[TechSmeRegistration]], year: int
) -> int:
    """Enterprises holding a registration number valid for ``year`` (never a multi-year stock)."""
    return sum(
        1
        for regs in registrations_by_enterprise.values()
        if any(r.valid_for_year(year) for r in regs)
    )
