"""Batch face: every tier for a whole frame of enterprise-years with Polars expressions only.

The batch computes exactly what :func:`evaluate.evaluate_case` computes (the tests check the
two faces agree on thousands of generated enterprises), but column-wise: no per-row Python.

Exactness (docs/qualification-rules.md#exact-numbers): money is carried as **Int64 fen** (1 万元 = 1,000,000 fen) and average
headcounts as **Int64 units of 1/5,544,000 person** (exact for 2-dp decimals and for any monthly
average over 1–12 months); every ratio test is a cross-multiplication of integers (the growth
products decided in Float64 where that is certain and by wrapped Int64 arithmetic otherwise, see
`_growth_ge`; Int128 only for inputs too large for that), so "exactly 5,000 万元" or "exactly 10 %" behave as in the single face.

Input schema (:data:`INPUT_SCHEMA`; a missing column is added as all-null = unknown):

==============================================  =========  ==========================================
column                                          dtype      meaning (unit)
==============================================  =========  ==========================================
id                                              Utf8       enterprise / case id
application_date                                Date       optional per-row evaluation date
registration_date                               Date       成立日期
is_resident_enterprise, registered_in_zhejiang  Boolean    C1; Z1
base_employees_total, base_tech_staff           Int64      tech-SME base year headcounts (persons)
base_sales_revenue_fen, base_total_assets_fen,  Int64      tech-SME base year (fen)
base_total_cost_expense_fen, base_rd_deduction_fen         R&D in 加计扣除 scope
y{1,2,3}_sales_revenue_fen                      Int64      Y1..Y3 = A-3..A-1 sales (fen)
y{1,2,3}_rd_expense_hnte_fen                    Int64      高企-scope R&D (fen)
y{1,2,3}_rd_expense_hnte_domestic_fen           Int64      domestic part (fen)
y{1,2,3}_net_assets_fen                         Int64      period-end net assets (fen)
y3_employees_avg_u, y3_tech_staff_avg_u         Int64      monthly averages (1/5,544,000 person)
y3_total_income_fen, y3_non_taxable_income_fen, Int64      H6 inputs (fen)
y3_hightech_income_fen
ip_class1_count, ip_class2_count,               Int64      valid IP on the date; Class II not used
ip_class2_unused_count                                     in an earlier 高企 application
ip_self_developed                               Boolean    any 高企-usable IP self-developed
hnte_cert_valid                                 Boolean    valid 高企 certificate on the date
incident_c4, incident_h8                        Boolean    incidents in prev+current year / 365 days
credit_abnormal_operation,                      Boolean    credit lists
credit_serious_dishonesty
product_in_prohibited_catalogue,                Boolean    flags of the case's ``flags``
core_tech_in_supported_fields,
national_st_award_top3_within_5y,
has_recognised_provincial_or_ministerial_rd_institution,
led_standard_within_5y, owns_ip_and_products,
has_innovation_capacity, is_sme
conversions_3y                                  Int64      conversions in the last 3 years
ex_ip_advancement … ex_growth_sales,            Int64      expert points (null = full range)
ex_rd_mgmt_1..4
==============================================  =========  ==========================================

Output (:func:`evaluate_batch`): ``id`` plus, per tier, ``<tier>_status`` (Enum pass/fail/
borderline/unknown) and one ``<tier>_<condition>`` status column per condition, with prefixes
``tsn_`` (tech_sme_national: ``tsn_route``, ``tsn_score`` (null unless exact),
``tsn_score_min/max``, ``tsn_gap_tech_staff`` persons, ``tsn_gap_rd_fen``,
``tsn_gap_ip_class2``, ``tsn_gap_ip_class1``), ``ht_`` (high_tech: ``ht_score_min/max``,
``ht_gap_h1_days``, ``ht_gap_h4_persons`` Float64, ``ht_gap_h5_fen``, ``ht_gap_h5b_fen``,
``ht_gap_h6_fen``, ``ht_gap_h7_points``), ``zj_`` (tech_sme_provincial), ``cult_``
(cultivation, provisional), ``rdi_`` and ``uni_`` (always unknown, see :mod:`others`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

import polars as pl

from .facts import EXPERT_FIELDS, FLAG_FIELDS, normalise
from .gaps import FEN_PER_WAN, cost_weights_fen, ratio_threshold, staff_threshold, tech_sme_targets
from .high_tech import CONVERSION_MAX_POINTS, GROWTH_MAX_POINTS
from .rulesets import RuleSet, get_ruleset

PERSON_AVG_SCALE = 5_544_000  # 100 * 2 * lcm(1..12): exact for 2-dp and monthly averages
STATUS_ENUM = pl.Enum(["pass", "fail", "borderline", "unknown"])
_PASS = pl.lit("pass", dtype=STATUS_ENUM)
_FAIL = pl.lit("fail", dtype=STATUS_ENUM)
_BORDERLINE = pl.lit("borderline", dtype=STATUS_ENUM)
_UNKNOWN = pl.lit("unknown", dtype=STATUS_ENUM)

_MONEY = (
    ["base_sales_revenue", "base_total_assets", "base_total_cost_expense", "base_rd_deduction"]
    + [
        f"y{i}_{k}"
        for i in (1, 2, 3)
        for k in ("sales_revenue", "rd_expense_hnte", "rd_expense_hnte_domestic", "net_assets")
    ]
    + ["y3_total_income", "y3_non_taxable_income", "y3_hightech_income"]
)
_PERSONS_AVG = ["y3_employees_avg", "y3_tech_staff_avg"]
_INTS = [
    "base_employees_total",
    "base_tech_staff",
    "ip_class1_count",
    "ip_class2_count",
    "ip_class2_unused_count",
    "conversions_3y",
    *EXPERT_FIELDS,
    *(f"ex_rd_mgmt_{i}" for i in range(1, 5)),
]
_BOOLS = [
    "is_resident_enterprise",
    "registered_in_zhejiang",
    "ip_self_developed",
    "hnte_cert_valid",
    "incident_c4",
    "incident_h8",
    "credit_abnormal_operation",
    "credit_serious_dishonesty",
    *FLAG_FIELDS,
]

INPUT_SCHEMA: dict[str, Any] = {
    "id": pl.Utf8,
    "application_date": pl.Date,
    "registration_date": pl.Date,
    **{b: pl.Boolean for b in _BOOLS},
    **{i: pl.Int64 for i in _INTS},
    **{f"{m}_fen": pl.Int64 for m in _MONEY},
    **{f"{p}_u": pl.Int64 for p in _PERSONS_AVG},
}


# --- conversion from a case --------------------------------------------------------------------


def _scaled(value: Fraction | None, scale: int, name: str) -> int | None:
    if value is None:
        return None
    v = value * scale
    if v.denominator != 1:
        raise ValueError(f"{name} = {value} is not representable exactly in the batch units")
    return int(v)


def facts_to_row(f: dict[str, Any], case_id: Any = None) -> dict[str, Any]:
    """Scale normalised facts into one batch row (raises if not exactly representable)."""
    row: dict[str, Any] = {"id": None if case_id is None else str(case_id)}
    row["application_date"] = f["application_date"]
    row["registration_date"] = f["registration_date"]
    for b in _BOOLS:
        row[b] = f[b]
    for i in _INTS:
        row[i] = f[i]
    for m in _MONEY:
        row[f"{m}_fen"] = _scaled(f[m], FEN_PER_WAN, m)
    for p in _PERSONS_AVG:
        row[f"{p}_u"] = _scaled(f[p], PERSON_AVG_SCALE, p)
    return row


def case_to_row(case: dict[str, Any], *, ruleset: RuleSet | None = None) -> dict[str, Any]:
    """Convert a case dict into one batch row (same facts as the single face uses)."""
    from .facts import day

    rs = ruleset or get_ruleset(day(case.get("application_date")))
    return facts_to_row(normalise(case, rs), case.get("id"))


def rows_to_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Build a batch frame with :data:`INPUT_SCHEMA` from row dicts."""
    return (
        pl.DataFrame(rows, schema=INPUT_SCHEMA, orient="row")
        if rows
        else pl.DataFrame(schema=INPUT_SCHEMA)
    )


# --- expression helpers --------------------------------------------------------------------------


def c(name: str) -> pl.Expr:
    return pl.col(name)


def frac_ge(num: pl.Expr, den: pl.Expr, thr: Fraction) -> pl.Expr:
    """``num / den >= thr`` for non-negative ``den`` by cross-multiplication (den > 0 assumed)."""
    thr = Fraction(thr)
    return num * thr.denominator >= den * thr.numerator


def ceil_div(a: pl.Expr, b: int) -> pl.Expr:
    """Integer ceil(a / b) for b > 0."""
    return -((-a) // b)


def status_of(b: pl.Expr) -> pl.Expr:
    """Nullable boolean → status Enum (null = unknown)."""
    return pl.when(b).then(_PASS).when(b.not_()).then(_FAIL).otherwise(_UNKNOWN)


# A range of innovation-score points [lo, hi] travels as one number, lo * _K + hi, so each band
# is one chain and the parts of the score add up in one sum (both ends stay below _K).
_K = 1_000


def _packed(lo: int, hi: int) -> pl.Expr:
    return _lit(lo * _K + hi)


def _unpacked(band: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    return band // _K, band % _K


def in_band(ex: pl.Expr, band: pl.Expr) -> pl.Expr:
    """An expert point inside the packed ``band`` narrows it to the point; otherwise it stays."""
    # With hi < _K, lo <= ex exactly when band < (ex + 1) * _K. A null point makes both
    # comparisons null, which ``when`` treats as false.
    inside = (band < (ex + 1) * _K) & (ex <= band % _K)
    return pl.when(inside).then(ex * (_K + 1)).otherwise(band)


def _lit(v: int) -> pl.Expr:
    return pl.lit(v, dtype=pl.Int64)


def _band_chain(conds: list[tuple[pl.Expr, int, int]], default: tuple[int, int]) -> pl.Expr:
    """The packed band of the first true condition, or ``default``."""
    band = pl.when(conds[0][0]).then(_packed(conds[0][1], conds[0][2]))
    for cnd, a, b in conds[1:]:
        band = band.when(cnd).then(_packed(a, b))
    return band.otherwise(_packed(*default))


# --- stages -------------------------------------------------------------------------------------


def _conform(frame: pl.DataFrame | pl.LazyFrame, evaluation_date: date) -> pl.LazyFrame:
    lf = frame.lazy()
    names = lf.collect_schema().names()
    missing = [pl.lit(None, dtype=dt).alias(n) for n, dt in INPUT_SCHEMA.items() if n not in names]
    if missing:
        lf = lf.with_columns(missing)
    lf = lf.with_columns(
        pl.col("application_date").fill_null(pl.lit(evaluation_date, dtype=pl.Date)),
        pl.col("id").cast(pl.Utf8),
    )
    return lf


def _tech_sme_exprs(rs: RuleSet) -> list[pl.Expr]:
    e, t = c("base_employees_total"), c("base_tech_staff")
    sales, cost, rd = (
        c("base_sales_revenue_fen"),
        c("base_total_cost_expense_fen"),
        c("base_rd_deduction_fen"),
    )
    staff_bands = rs.v("tsn.staff_bands")
    pts = pl.when(e == 0).then(_lit(0))
    for thr, p in staff_bands:
        pts = pts.when(frac_ge(t, e, thr)).then(_lit(int(p)))
    staff_pts = pl.when(t.is_null() | e.is_null()).then(None).otherwise(pts.otherwise(_lit(0)))

    def ratio_pts(den: pl.Expr, bands) -> tuple[pl.Expr, pl.Expr]:
        p = pl.when(frac_ge(rd, den, bands[0][0])).then(_lit(int(bands[0][1])))
        for thr, pt in bands[1:]:
            p = p.when(frac_ge(rd, den, thr)).then(_lit(int(pt)))
        p = p.otherwise(_lit(0))
        unknown = rd.is_null() | den.is_null()
        lo = pl.when(unknown).then(_lit(0)).when(den == 0).then(None).otherwise(p)
        hi = pl.when(unknown).then(_lit(50)).when(den == 0).then(None).otherwise(p)
        return lo, hi

    b1lo, b1hi = ratio_pts(sales, rs.v("tsn.rd_sales_bands"))
    b2lo, b2hi = ratio_pts(cost, rs.v("tsn.rd_cost_bands"))
    c1, c2 = c("ip_class1_count"), c("ip_class2_count")
    ip = None
    for kind, n, p in rs.v("tsn.ip_bands"):
        cnd = (c1 if kind == "class1" else c2) >= int(n)
        ip = (pl.when(cnd) if ip is None else ip.when(cnd)).then(_lit(int(p)))
    ip_pts = pl.when(c1.is_null() | c2.is_null()).then(None).otherwise(ip.otherwise(_lit(0)))
    return [
        staff_pts.alias("_tsn_staff"),
        pl.max_horizontal(b1lo, b2lo).fill_null(0).alias("_tsn_rd_lo"),
        pl.max_horizontal(b1hi, b2hi).fill_null(0).alias("_tsn_rd_hi"),
        ip_pts.alias("_tsn_ip"),
    ]


def _tech_sme_stage2(rs: RuleSet) -> list[pl.Expr]:
    lo = c("_tsn_staff").fill_null(0) + c("_tsn_rd_lo") + c("_tsn_ip").fill_null(0)
    hi = c("_tsn_staff").fill_null(20) + c("_tsn_rd_hi") + c("_tsn_ip").fill_null(30)
    need = int(rs.v("tsn.pass_score"))
    return [
        lo.alias("tsn_score_min"),
        hi.alias("tsn_score_max"),
        (c("base_employees_total") <= int(rs.v("tsn.max_employees"))).alias("_C2a"),
        (c("base_sales_revenue_fen") <= int(rs.v("tsn.max_sales") * FEN_PER_WAN)).alias("_C2b"),
        (c("base_total_assets_fen") <= int(rs.v("tsn.max_assets") * FEN_PER_WAN)).alias("_C2c"),
        c("product_in_prohibited_catalogue").not_().alias("_C3"),
        (
            c("incident_c4").not_()
            & c("credit_abnormal_operation").not_()
            & c("credit_serious_dishonesty").not_()
        ).alias("_C4"),
        pl.when(lo >= need).then(True).when(hi < need).then(False).otherwise(None).alias("_C5"),
        (c("_tsn_staff") > 0).alias("_C5s"),
    ]


_DIRECT = [
    ("high_tech_certificate", "hnte_cert_valid"),
    ("national_award", "national_st_award_top3_within_5y"),
    ("rd_institution", "has_recognised_provincial_or_ministerial_rd_institution"),
    ("led_standard", "led_standard_within_5y"),
]


def _tech_sme_stage3(rs: RuleSet) -> list[pl.Expr]:
    entry = pl.all_horizontal(c("is_resident_enterprise"), "_C2a", "_C2b", "_C2c", "_C3", "_C4")
    score_ok = c("_C5") & c("_C5s")
    ok = entry & pl.any_horizontal(*[c(f) for _, f in _DIRECT], score_ok)
    route = pl.when(entry.fill_null(False) & c(_DIRECT[0][1]).fill_null(False)).then(
        pl.lit(f"direct:{_DIRECT[0][0]}")
    )
    for name, f in _DIRECT[1:]:
        route = route.when(entry.fill_null(False) & c(f).fill_null(False)).then(
            pl.lit(f"direct:{name}")
        )
    exact = c("tsn_score_min") == c("tsn_score_max")
    return [
        ok.alias("_tsn_ok"),
        route.otherwise(pl.lit("scoring")).alias("tsn_route"),
        pl.when(exact).then(c("tsn_score_min")).alias("tsn_score"),
        (ok.eq_missing(True).not_() & score_ok.eq_missing(False) & exact).alias("_tsn_gap_on"),
    ]


def _tech_sme_gap_stages(rs: RuleSet) -> list[list[pl.Expr]]:
    """Cheapest C5 band moves, as four materialised stages (keeps expression trees small).

    They run only on the rows that have a gap (`_with_tech_sme_gaps`). Stage 1: per-dimension
    move costs for every distinct target; stage 2: the cost of each minimal target combination
    (fixed order = tie-break order of :func:`gaps.tech_sme_gaps`); stage 3: the first
    combination of least cost; stage 4: its moves, chosen per dimension.
    """
    w = cost_weights_fen(rs)
    e, t = c("base_employees_total"), c("base_tech_staff")
    sales, cost, rd = (
        c("base_sales_revenue_fen"),
        c("base_total_cost_expense_fen"),
        c("base_rd_deduction_fen"),
    )
    staff_pts, rd_pts, ip_pts = c("_tsn_staff"), c("_tsn_rd_lo"), c("_tsn_ip")
    c2 = c("ip_class2_count")
    targets = tech_sme_targets(rs)
    stage1: list[pl.Expr] = []
    for s_t in sorted({s for s, _, _ in targets}):
        thr = staff_threshold(rs, s_t)
        a = e * thr.numerator - t * thr.denominator
        x = pl.max_horizontal(ceil_div(a, thr.denominator - thr.numerator), _lit(1))
        stage1.append(pl.when(staff_pts >= s_t).then(_lit(0)).otherwise(x).alias(f"_gs{s_t}"))
    for r_t in sorted({r for _, r, _ in targets}):
        if r_t == 0:
            stage1.append(_lit(0).alias(f"_gr{r_t}"))
            continue
        t1 = ratio_threshold(rs.v("tsn.rd_sales_bands"), r_t)
        t2 = ratio_threshold(rs.v("tsn.rd_cost_bands"), r_t)
        y1 = pl.when(sales > 0).then(
            pl.max_horizontal(
                ceil_div(sales * t1.numerator - rd * t1.denominator, t1.denominator), _lit(1)
            )
        )
        y2 = pl.when(cost > 0).then(
            pl.max_horizontal(
                ceil_div(cost * t2.numerator - rd * t2.denominator, t2.denominator - t2.numerator),
                _lit(1),
            )
        )
        stage1.append(
            pl.when(rd_pts < r_t)
            .then(pl.min_horizontal(y1, y2))
            .otherwise(_lit(0))
            .alias(f"_gr{r_t}")
        )
    ip_bands = rs.v("tsn.ip_bands")
    for i_t in sorted({i for _, _, i in targets}):
        need2 = min((int(n) for k, n, p in ip_bands if k == "class2" and p >= i_t), default=None)
        moving = ip_pts < i_t
        if need2 is None:
            a1, a2 = _lit(1), _lit(0)
        else:
            use2 = (_lit(need2) - c2) * w["ip2"] <= w["ip1"]
            a1 = pl.when(use2).then(_lit(0)).otherwise(_lit(1))
            a2 = pl.when(use2).then(_lit(need2) - c2).otherwise(_lit(0))
        stage1.append(pl.when(moving).then(a1).otherwise(_lit(0)).alias(f"_gi1_{i_t}"))
        stage1.append(pl.when(moving).then(a2).otherwise(_lit(0)).alias(f"_gi2_{i_t}"))
    stage2 = [
        (
            c(f"_gs{s_t}") * w["staff"]
            + c(f"_gr{r_t}") * w["rd"]
            + c(f"_gi1_{i_t}") * w["ip1"]
            + c(f"_gi2_{i_t}") * w["ip2"]
        ).alias(f"_gc{k}")
        for k, (s_t, r_t, i_t) in enumerate(targets)
    ]
    # The first cheapest combination, as its three targets in one number (points < 1000).
    best = pl.min_horizontal(*[c(f"_gc{k}") for k in range(len(targets))])
    if any(not 0 <= points < 1_000 for tg in targets for points in tg):
        raise ValueError("tech-SME band points must lie in 0..999")
    codes = [s_t * 1_000_000 + r_t * 1_000 + i_t for s_t, r_t, i_t in targets]
    first = pl.when(c("_gc0") == best).then(_lit(codes[0]))
    for k in range(1, len(targets)):
        first = first.when(c(f"_gc{k}") == best).then(_lit(codes[k]))
    stage3 = [first.alias("_gbest")]
    chosen = [c("_gbest") // 1_000_000, c("_gbest") // 1_000 % 1_000, c("_gbest") % 1_000]

    def pick(fmt: str, d: int) -> pl.Expr:
        head, *rest = sorted({tg[d] for tg in targets})
        expr = pl.when(chosen[d] == head).then(c(fmt.format(head)))
        for value in rest:
            expr = expr.when(chosen[d] == value).then(c(fmt.format(value)))
        return expr

    stage4 = [
        pick("_gs{}", 0).alias("tsn_gap_tech_staff"),
        pick("_gr{}", 1).alias("tsn_gap_rd_fen"),
        pick("_gi2_{}", 2).alias("tsn_gap_ip_class2"),
        pick("_gi1_{}", 2).alias("tsn_gap_ip_class1"),
    ]
    return [stage1, stage2, stage3, stage4]


def _rd_band_chain(rs: RuleSet, make) -> pl.Expr:
    """when(S3 <= upper) make(rate) ... for the H5 bands of 32号 第十一条(五)."""
    s3 = c("y3_sales_revenue_fen")
    expr = pl.when(s3.is_null()).then(None)
    for upper, rate in rs.v("ht.rd_bands"):
        if upper is None:
            return expr.otherwise(make(rate))
        expr = expr.when(s3 <= int(upper * FEN_PER_WAN)).then(make(rate))
    return expr.otherwise(None)


def _high_tech_stage1(rs: RuleSet) -> list[pl.Expr]:
    app, reg = c("application_date"), c("registration_date")
    a = app.dt.year()
    ops = []
    for i in (1, 2, 3):
        ops.append(
            pl.when(reg.is_not_null())
            .then(reg.dt.year() <= a - 4 + i)
            .otherwise(c(f"y{i}_sales_revenue_fen").is_not_null())
            .alias(f"_op{i}")
        )
    return [*ops, (app - reg).dt.total_days().alias("_days")]


def _sum_operated(field: str) -> pl.Expr:
    total = None
    for i in (1, 2, 3):
        part = pl.when(c(f"_op{i}")).then(c(f"y{i}_{field}_fen")).otherwise(_lit(0))
        total = part if total is None else total + part
    return pl.when(c("_nyears") > 0).then(total)


def _growth_pq(field: str, wide: bool) -> list[pl.Expr]:
    """P/Q with g + 1 = P/Q (Q > 0) and a kind flag (0 rate, 1 zero-rule, null unknown).

    ``wide``: P and Q as exact Int128. Otherwise (`_growth_ge`) twice: as Float64
    (``_gpf_``/``_gqf_``) and as Int64 with wrapping arithmetic (``_gp_``/``_gq_``), which is
    exact modulo 2**64."""
    cols = [c(f"y{i}_{field}_fen") for i in (1, 2, 3)]
    out = []
    for suffix, dtype in [("", pl.Int128)] if wide else [("", None), ("f", pl.Float64)]:
        x1, x2, x3 = (x.cast(dtype) if dtype is not None else x for x in cols)
        p, q = _growth_terms(x1, x2, x3)
        out += [p.alias(f"_gp{suffix}_{field}"), q.alias(f"_gq{suffix}_{field}")]
    x1, x2, x3 = cols
    xa, xb = _two_years(x1, x2, x3)
    n = c("_nyears")
    unknown3 = x1.is_null() | x2.is_null() | x3.is_null()
    unknown2 = xa.is_null() | xb.is_null()
    kind = (
        pl.when(n == 3)
        .then(pl.when(unknown3).then(None).when(x2 <= 0).then(_lit(1)).otherwise(_lit(0)))
        .when(n == 2)
        .then(pl.when(unknown2).then(None).when(xa <= 0).then(_lit(1)).otherwise(_lit(0)))
        .otherwise(_lit(1))
    )
    return [*out, kind.alias(f"_gk_{field}")]


def _two_years(x1: pl.Expr, x2: pl.Expr, x3: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """The earlier and the later of the two years a two-year enterprise operated."""
    xa = pl.when(c("_op1")).then(x1).otherwise(x2)
    xb = pl.when(c("_op1") & c("_op2")).then(x2).otherwise(x3)
    return xa, xb


def _growth_terms(x1: pl.Expr, x2: pl.Expr, x3: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """P and Q of `_growth_pq` in whatever number type the three years come in."""
    n = c("_nyears")
    xa, xb = _two_years(x1, x2, x3)
    p = (
        pl.when(n == 3)
        .then(pl.when(x2 <= 0).then(None).when(x1 <= 0).then(x3).otherwise(x2 * x2 + x1 * x3))
        .when(n == 2)
        .then(pl.when(xa <= 0).then(None).otherwise(xb))
    )
    q = (
        pl.when(n == 3)
        .then(pl.when(x2 <= 0).then(None).when(x1 <= 0).then(x2).otherwise(2 * x1 * x2))
        .when(n == 2)
        .then(pl.when(xa <= 0).then(None).otherwise(xa))
    )
    return p, q


# `_growth_ge` without Int128 (docs/qualification-rules.md#exact-numbers). With every growth
# input |x| <= M, P·a − Q·b computed in Float64 is off by at most 14 · 2**-53 · M² · (a + b)
# (a few roundings of terms no larger than 2·M²·(a + b)). While that bound is at most 2**60:
# a float difference beyond 2**61 has the true difference's sign, and a smaller one means the
# true difference is below 2**63 in size, so the wrapped Int64 difference is the true one.
_DECIDED = float(2**61)
_FLOAT_ERROR_LIMIT = 2**60


def growth_needs_wide(frame: pl.DataFrame | pl.LazyFrame, rs: RuleSet) -> bool:
    """Whether some growth input is so large that `_growth_ge` must use Int128."""
    columns = [f"y{i}_{k}_fen" for i in (1, 2, 3) for k in ("net_assets", "sales_revenue")]
    names = frame.collect_schema().names()
    present = [pl.col(x).abs().max() for x in columns if x in names]
    if not present:
        return False
    row = frame.lazy().select(pl.max_horizontal(*present)).collect().row(0)
    biggest = int(row[0] or 0)
    coefficients = [(1, 1)]  # P > Q
    for thr in [t for t, _lo, _hi in rs.v("ht.growth_bands")] + [rs.v("cult.min_sales_growth")]:
        f = Fraction(thr)
        coefficients.append((f.denominator, f.denominator + f.numerator))
    worst = max(abs(a) + abs(b) for a, b in coefficients)
    return 14 * biggest * biggest * worst > _FLOAT_ERROR_LIMIT * 2**53


def _growth_ge(field: str, a: int, b: int, wide: bool, strict: bool = False) -> pl.Expr:
    """Exactly ``P·a ≥ Q·b`` (``>`` if ``strict``) for the field's growth P/Q; null if unknown."""
    p, q = c(f"_gp_{field}"), c(f"_gq_{field}")
    if wide:
        return p * a > q * b if strict else p * a >= q * b
    diff = c(f"_gpf_{field}") * float(a) - c(f"_gqf_{field}") * float(b)
    exact = p * a - q * b
    return (
        pl.when(diff.abs() > _DECIDED).then(diff > 0).otherwise(exact > 0 if strict else exact >= 0)
    )


def _growth_conditions(rs: RuleSet, field: str, wide: bool) -> list[pl.Expr]:
    """The growth band tests of `_growth_band` as columns ``_gc{i}_{field}``, computed once
    for the lower and the upper end of the band."""
    tests = [
        _growth_ge(field, f.denominator, f.denominator + f.numerator, wide)
        for f in (Fraction(thr) for thr, _lo, _hi in rs.v("ht.growth_bands"))
    ]
    tests.append(_growth_ge(field, 1, 1, wide, strict=True))  # 0 < growth
    return [t.alias(f"_gc{i}_{field}") for i, t in enumerate(tests)]


def _growth_band(rs: RuleSet, field: str, ex: str) -> pl.Expr:
    k = c(f"_gk_{field}")
    bands = [(int(lo), int(hi)) for _thr, lo, hi in rs.v("ht.growth_bands")]
    bands.append(tuple(map(int, rs.v("ht.growth_positive_below_bands"))))
    conds = [(c(f"_gc{i}_{field}"), lo, hi) for i, (lo, hi) in enumerate(bands)]
    band = (
        pl.when(k.is_null())
        .then(_packed(0, GROWTH_MAX_POINTS))
        .when(k == 1)
        .then(_packed(0, 0))
        .otherwise(_band_chain(conds, (0, 0)))
    )
    return in_band(c(ex), band)


def _high_tech_stage2(rs: RuleSet) -> list[pl.Expr]:
    n = (c("_op1").cast(pl.Int64) + c("_op2").cast(pl.Int64) + c("_op3").cast(pl.Int64)).alias(
        "_nyears"
    )
    return [n]


def _high_tech_stage3(rs: RuleSet, wide: bool) -> list[pl.Expr]:
    return [
        _sum_operated("sales_revenue").alias("_sum_s"),
        _sum_operated("rd_expense_hnte").alias("_sum_rd"),
        _sum_operated("rd_expense_hnte_domestic").alias("_sum_dom"),
        *_growth_pq("net_assets", wide),
        *_growth_pq("sales_revenue", wide),
    ]


def _check_packable(rs: RuleSet) -> None:
    """Refuse a rule set whose innovation-score points could not be packed (`_packed`)."""
    mx = rs.v("ht.ip_maxima")
    acq = rs.v("ht.ip_acquisition_ranges").values()
    growth = [*rs.v("ht.growth_bands"), ["", *rs.v("ht.growth_positive_below_bands")]]
    conv = [*rs.v("ht.conversion_bands"), ["", *rs.v("ht.conversion_below_one")]]
    points = [
        *(p for _k, _n, lo, hi in rs.v("ht.ip_quantity_bands") for p in (lo, hi)),
        *(p for r in acq for p in r),
        *(p for _t, lo, hi in growth + conv for p in (lo, hi)),
        *mx.values(),
        *rs.v("ht.rd_mgmt_maxima"),
    ]
    ip_most = (
        max(int(mx["quantity"]), *(int(hi) for *_q, hi in rs.v("ht.ip_quantity_bands")))
        + max(int(mx["acquisition"]), *(int(hi) for _lo, hi in acq))
        + sum(int(mx[k]) for k in ("advancement", "core_support", "standards_bonus"))
    )
    most = (
        ip_most
        + max(CONVERSION_MAX_POINTS, *(int(hi) for _t, _lo, hi in conv))
        + sum(int(m) for m in rs.v("ht.rd_mgmt_maxima"))
        + 2 * max(GROWTH_MAX_POINTS, *(int(hi) for _t, _lo, hi in growth))
    )
    if any(int(p) < 0 for p in points) or most >= _K:
        raise ValueError(f"innovation score points must lie in 0..{_K - 1}, sums included")


def _high_tech_stage4(rs: RuleSet) -> list[pl.Expr]:
    _check_packable(rs)
    mx = rs.v("ht.ip_maxima")
    c1, c2u = c("ip_class1_count"), c("ip_class2_unused_count")
    ip_unknown = c1.is_null() | c2u.is_null()
    qconds = [
        ((c1 if k == "class1" else c2u) >= int(nn), int(lo), int(hi))
        for k, nn, lo, hi in rs.v("ht.ip_quantity_bands")
    ]
    q = (
        pl.when(ip_unknown)
        .then(_packed(0, int(mx["quantity"])))
        .otherwise(_band_chain(qconds, (0, 0)))
    )
    q = in_band(c("ex_ip_quantity"), q)
    acq_r = rs.v("ht.ip_acquisition_ranges")
    acq = _band_chain(
        [
            (ip_unknown, 0, int(mx["acquisition"])),
            (c1 + c2u == 0, *map(int, acq_r["none"])),
            (c("ip_self_developed").eq_missing(False), *map(int, acq_r["acquired_only"])),
        ],
        tuple(map(int, acq_r["self_developed"])),
    )
    acq = in_band(c("ex_ip_acquisition"), acq)
    adv = in_band(c("ex_ip_advancement"), _packed(0, int(mx["advancement"])))
    core = in_band(c("ex_ip_core_support"), _packed(0, int(mx["core_support"])))
    bonus = in_band(c("ex_ip_standards_bonus"), _packed(0, int(mx["standards_bonus"])))
    cap = int(mx["cap"])
    ip_lo, ip_hi = _unpacked(adv + core + q + acq + bonus)
    ip = pl.min_horizontal(ip_lo, _lit(cap)) * _K + pl.min_horizontal(ip_hi, _lit(cap))
    # conversion
    nconv = c("conversions_3y")
    ny = c("_nyears")
    d = pl.when((ny >= 1) & (ny < 3)).then(ny).otherwise(_lit(3))
    cconds = []
    for thr, lo, hi in rs.v("ht.conversion_bands"):
        thr = Fraction(thr)
        cconds.append((nconv * thr.denominator >= d * thr.numerator, int(lo), int(hi)))
    b1lo, b1hi = rs.v("ht.conversion_below_one")
    cconds.append((nconv > 0, int(b1lo), int(b1hi)))
    conv = (
        pl.when(nconv.is_null())
        .then(_packed(0, CONVERSION_MAX_POINTS))
        .otherwise(_band_chain(cconds, (0, 0)))
    )
    conv = in_band(c("ex_conversion"), conv)
    mg = [
        in_band(c(f"ex_rd_mgmt_{i}"), _packed(0, int(m)))
        for i, m in enumerate(rs.v("ht.rd_mgmt_maxima"), 1)
    ]
    gna = _growth_band(rs, "net_assets", "ex_growth_net_assets")
    gsa = _growth_band(rs, "sales_revenue", "ex_growth_sales")
    lo, hi = _unpacked(ip + conv + sum(mg) + gna + gsa)
    det_unknown = (
        ip_unknown
        | nconv.is_null()
        | c("_gk_net_assets").is_null()
        | c("_gk_sales_revenue").is_null()
    )
    # basic conditions
    min_staff = rs.v("ht.min_tech_staff_ratio")
    emp, tech = c("y3_employees_avg_u"), c("y3_tech_staff_avg_u")
    sum_s, sum_rd, sum_dom = c("_sum_s"), c("_sum_rd"), c("_sum_dom")
    h5 = (
        pl.when(sum_s == 0)
        .then(None)
        .otherwise(_rd_band_chain(rs, lambda r: frac_ge(sum_rd, sum_s, r)))
    )
    min_dom = rs.v("ht.min_domestic_rd_ratio")
    income = c("y3_total_income_fen") - c("y3_non_taxable_income_fen")
    min_ht = rs.v("ht.min_hightech_income_ratio")
    return [
        lo.alias("ht_score_min"),
        hi.alias("ht_score_max"),
        det_unknown.alias("_ht_det_unknown"),
        (c("_days") >= int(rs.v("ht.min_registration_days"))).alias("_H1"),
        (c1 + c2u >= 1).alias("_H2"),
        c("core_tech_in_supported_fields").alias("_H3"),
        pl.when(emp == 0).then(None).otherwise(frac_ge(tech, emp, min_staff)).alias("_H4"),
        h5.alias("_H5"),
        pl.when(sum_rd == 0).then(None).otherwise(frac_ge(sum_dom, sum_rd, min_dom)).alias("_H5b"),
        pl.when(income > 0).then(frac_ge(c("y3_hightech_income_fen"), income, min_ht)).alias("_H6"),
        c("incident_h8").not_().alias("_H8"),
    ]


def _high_tech_h7(rs: RuleSet) -> list[pl.Expr]:
    """H7 from the innovation score's range (computed in the stage before, once)."""
    pass_above = int(rs.v("ht.innovation_pass_score"))
    lo, hi = c("ht_score_min"), c("ht_score_max")
    h7 = (
        pl.when(lo > pass_above)
        .then(_PASS)
        .when(hi <= pass_above)
        .then(_FAIL)
        .when(c("_ht_det_unknown"))
        .then(_UNKNOWN)
        .otherwise(_BORDERLINE)
    )
    return [h7.alias("ht_H7")]


def _high_tech_stage5(rs: RuleSet) -> list[pl.Expr]:
    hs = [c(f"_H{k}") for k in ("1", "2", "3", "4", "5", "5b", "6", "8")]
    any_fail = pl.any_horizontal(*[h.eq_missing(False) for h in hs]) | (c("ht_H7") == "fail")
    any_unknown = pl.any_horizontal(*[h.is_null() for h in hs]) | (c("ht_H7") == "unknown")
    status = (
        pl.when(any_fail)
        .then(_FAIL)
        .when(any_unknown)
        .then(_UNKNOWN)
        .when(c("ht_H7") == "borderline")
        .then(_BORDERLINE)
        .otherwise(_PASS)
    )
    not_pass = status != "pass"
    min_staff = Fraction(rs.v("ht.min_tech_staff_ratio"))
    min_dom = Fraction(rs.v("ht.min_domestic_rd_ratio"))
    min_ht = Fraction(rs.v("ht.min_hightech_income_ratio"))
    emp, tech = c("y3_employees_avg_u"), c("y3_tech_staff_avg_u")
    income = c("y3_total_income_fen") - c("y3_non_taxable_income_fen")

    def h5_gap(rate):
        rate = Fraction(rate)
        return ceil_div(
            c("_sum_s") * rate.numerator - c("_sum_rd") * rate.denominator, rate.denominator
        )

    def new_items(num_e, den_e, thr: Fraction):
        return pl.max_horizontal(
            ceil_div(
                den_e * thr.numerator - num_e * thr.denominator, thr.denominator - thr.numerator
            ),
            _lit(0),
        )

    pass_above = int(rs.v("ht.innovation_pass_score"))
    return [
        status.alias("ht_status"),
        pl.when(not_pass & c("_H1").eq_missing(False))
        .then(int(rs.v("ht.min_registration_days")) - c("_days"))
        .alias("ht_gap_h1_days"),
        pl.when(not_pass & c("_H4").eq_missing(False))
        .then(
            (emp * min_staff.numerator - tech * min_staff.denominator)
            / ((min_staff.denominator - min_staff.numerator) * PERSON_AVG_SCALE)
        )
        .alias("ht_gap_h4_persons"),
        pl.when(not_pass & c("_H5").eq_missing(False))
        .then(_rd_band_chain(rs, h5_gap))
        .alias("ht_gap_h5_fen"),
        pl.when(not_pass & c("_H5b").eq_missing(False))
        .then(new_items(c("_sum_dom"), c("_sum_rd"), min_dom))
        .alias("ht_gap_h5b_fen"),
        pl.when(not_pass & c("_H6").eq_missing(False))
        .then(new_items(c("y3_hightech_income_fen"), income, min_ht))
        .alias("ht_gap_h6_fen"),
        pl.when(not_pass & (c("ht_H7") == "fail"))
        .then(pass_above + 1 - c("ht_score_max"))
        .alias("ht_gap_h7_points"),
    ]


def _provincial_exprs(rs: RuleSet) -> list[pl.Expr]:
    e, t = c("base_employees_total"), c("base_tech_staff")
    z1 = c("registered_in_zhejiang") & (c("_days") >= int(rs.v("zj.min_registration_days")))
    z5 = pl.when(e == 0).then(None).otherwise(frac_ge(t, e, rs.v("zj.min_tech_staff_ratio")))
    return [
        z1.alias("_Z1"),
        c("owns_ip_and_products").alias("_Z2"),
        c("has_innovation_capacity").alias("_Z3"),
        c("is_sme").alias("_Z4"),
        z5.alias("_Z5"),
    ]


def _cultivation_exprs(rs: RuleSet, wide: bool) -> list[pl.Expr]:
    gap_ids = list(rs.v("cult.gap_conditions"))
    n_fail = pl.sum_horizontal(*[c(f"_{g}").eq_missing(False).cast(pl.Int64) for g in gap_ids])
    n_unk = pl.sum_horizontal(*[c(f"_{g}").is_null().cast(pl.Int64) for g in gap_ids])
    mx = int(rs.v("cult.max_gap_conditions"))
    k3 = pl.when(n_fail > mx).then(False).when(n_fail + n_unk <= mx).then(True).otherwise(None)
    tol = Fraction(rs.v("cult.rd_ratio_tolerance"))
    near = (
        pl.when(c("_sum_s") == 0)
        .then(None)
        .otherwise(
            _rd_band_chain(rs, lambda r: frac_ge(c("_sum_rd"), c("_sum_s"), Fraction(r) - tol))
        )
    )
    k4 = pl.when(c("_H5").eq_missing(False)).then(near).otherwise(c("_H5"))
    min_g = Fraction(rs.v("cult.min_sales_growth"))
    kind = c("_gk_sales_revenue")
    grown = _growth_ge(
        "sales_revenue", min_g.denominator, min_g.denominator + min_g.numerator, wide
    )
    k5 = (
        pl.when(kind.is_null() | (c("_nyears") <= 1))
        .then(None)
        .when(kind == 1)
        .then(pl.lit(Fraction(0) >= min_g))
        .otherwise(grown)
    )
    return [
        c("hnte_cert_valid").not_().alias("_K0"),
        c("_tsn_ok").alias("_K1"),
        pl.all_horizontal(c("_H1"), c("_H3"), c("_H5b"), c("_H8")).alias("_K2"),
        k3.alias("_K3"),
        k4.alias("_K4"),
        k5.alias("_K5"),
    ]


TSN_CONDITIONS = ("C1", "C2a", "C2b", "C2c", "C3", "C4", "C5", "C5s")
HT_CONDITIONS = ("H1", "H2", "H3", "H4", "H5", "H5b", "H6", "H7", "H8")
ZJ_CONDITIONS = ("Z1", "Z2", "Z3", "Z4", "Z5")
CULT_CONDITIONS = ("K0", "K1", "K2", "K3", "K4", "K5")


TSN_GAP_COLUMNS = ("tsn_gap_tech_staff", "tsn_gap_rd_fen", "tsn_gap_ip_class2", "tsn_gap_ip_class1")


def _with_tech_sme_gaps(lf: pl.LazyFrame, stages: list[list[pl.Expr]]) -> pl.LazyFrame:
    """Add the C5 gap columns, computed only on the rows that have a gap (``_tsn_gap_on``).

    Every other row's gaps are null, so the cost-per-combination stages run on the subset
    and are joined back by row position; the order of ``lf`` is kept. Only the row numbers
    go through the join, and its result is set beside ``lf``: a join would copy every
    column of the wide frame.
    """
    lf = lf.with_row_index("_row").cache()
    gaps = lf.filter(c("_tsn_gap_on"))
    for stage in stages:
        gaps = gaps.with_columns(stage)
    gaps = gaps.select("_row", *TSN_GAP_COLUMNS)
    aligned = lf.select("_row").join(gaps, on="_row", how="left", maintain_order="left")
    return pl.concat([lf, aligned.drop("_row")], how="horizontal")


@dataclass(frozen=True)
class _Plan:
    """The batch's expressions for one rule set: built once, reused by every call."""

    stages: tuple[list[pl.Expr], ...]
    gap_stages: list[list[pl.Expr]]
    output: list[pl.Expr]


_PLANS: dict[tuple[int, bool], tuple[RuleSet, _Plan]] = {}


def _plan(rs: RuleSet, wide: bool) -> _Plan:
    """The cached `_Plan` for ``rs`` (held with it, so its ``id`` is not reused meanwhile)."""
    hit = _PLANS.get((id(rs), wide))
    if hit is not None and hit[0] is rs:
        return hit[1]
    plan = _Plan(
        stages=(
            _tech_sme_exprs(rs) + _high_tech_stage1(rs),
            _tech_sme_stage2(rs) + _high_tech_stage2(rs),
            _tech_sme_stage3(rs) + _high_tech_stage3(rs, wide),
            _growth_conditions(rs, "net_assets", wide)
            + _growth_conditions(rs, "sales_revenue", wide),
            _high_tech_stage4(rs) + _provincial_exprs(rs),
            _high_tech_h7(rs),
            _high_tech_stage5(rs) + _cultivation_exprs(rs, wide),
        ),
        gap_stages=_tech_sme_gap_stages(rs),
        output=_output_exprs(),
    )
    if len(_PLANS) >= 8:
        _PLANS.clear()
    _PLANS[(id(rs), wide)] = (rs, plan)
    return plan


def _output_exprs() -> list[pl.Expr]:
    return [
        c("id"),
        status_of(c("_tsn_ok")).alias("tsn_status"),
        c("tsn_route"),
        c("tsn_score"),
        c("tsn_score_min"),
        c("tsn_score_max"),
        status_of(c("is_resident_enterprise")).alias("tsn_C1"),
        *[status_of(c(f"_{k}")).alias(f"tsn_{k}") for k in TSN_CONDITIONS[1:]],
        c("tsn_gap_tech_staff"),
        c("tsn_gap_rd_fen"),
        c("tsn_gap_ip_class2"),
        c("tsn_gap_ip_class1"),
        c("ht_status"),
        c("ht_score_min"),
        c("ht_score_max"),
        *[
            (c("ht_H7") if k == "H7" else status_of(c(f"_{k}"))).alias(f"ht_{k}")
            for k in HT_CONDITIONS
        ],
        c("ht_gap_h1_days"),
        c("ht_gap_h4_persons"),
        c("ht_gap_h5_fen"),
        c("ht_gap_h5b_fen"),
        c("ht_gap_h6_fen"),
        c("ht_gap_h7_points"),
        status_of(pl.all_horizontal(*[c(f"_{k}") for k in ZJ_CONDITIONS])).alias("zj_status"),
        *[status_of(c(f"_{k}")).alias(f"zj_{k}") for k in ZJ_CONDITIONS],
        status_of(pl.all_horizontal(*[c(f"_{k}") for k in CULT_CONDITIONS])).alias("cult_status"),
        *[status_of(c(f"_{k}")).alias(f"cult_{k}") for k in CULT_CONDITIONS],
        _UNKNOWN.alias("rdi_status"),
        _UNKNOWN.alias("uni_status"),
    ]


def evaluate_batch(
    frame: pl.DataFrame | pl.LazyFrame,
    *,
    ruleset: RuleSet | None = None,
    evaluation_date: date,
) -> pl.DataFrame:
    """Evaluate every tier for every row of ``frame`` (schema: :data:`INPUT_SCHEMA`).

    ``evaluation_date`` fills a missing/null ``application_date``; the rule set defaults to the
    one in force on ``evaluation_date``.  Returns one row per input row (same order).
    """
    rs = ruleset or get_ruleset(evaluation_date)
    plan = _plan(rs, growth_needs_wide(frame, rs))
    lf = _conform(frame, evaluation_date)
    for stage in plan.stages:
        lf = lf.with_columns(stage)
    lf = _with_tech_sme_gaps(lf, plan.gap_stages)
    return lf.select(plan.output).collect()


def run_batch(frame: pl.DataFrame, evaluation_date: date | None = None) -> pl.DataFrame:
    """Entry point for services/benchmarks: evaluate all tiers for ``frame``.

    ``evaluation_date`` defaults to today; the rule set is the one in force on that date.
    """
    return evaluate_batch(frame, evaluation_date=evaluation_date or date.today())


def row_to_facts(row: dict[str, Any]) -> dict[str, Any]:
    """Inverse of :func:`facts_to_row`: one batch row back to exact facts (single face input)."""
    f: dict[str, Any] = {
        "application_date": row["application_date"],
        "registration_date": row["registration_date"],
    }
    for b in _BOOLS:
        f[b] = row.get(b)
    for i in _INTS:
        f[i] = row.get(i)
    for m in _MONEY:
        v = row.get(f"{m}_fen")
        f[m] = None if v is None else Fraction(v, FEN_PER_WAN)
    for p in _PERSONS_AVG:
        v = row.get(f"{p}_u")
        f[p] = None if v is None else Fraction(v, PERSON_AVG_SCALE)
    return f
