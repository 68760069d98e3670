"""Deterministic generator of the demo region (2019-2024), modelled on the seed document.

Everything is drawn from one seeded NumPy generator, so the same seed gives the same database.
The generator only *builds frames*; it writes them through the import service
(`kechuang.imports.services.import_frames`), the same validation and write path an uploaded
workbook takes. The yearly targets below are the inputs the synthetic data is shaped to; the
platform's figures (dashboard, `kechuang stats`, the report) are always computed from the rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from kechuang.enterprises.logic.credit_code import ALPHABET, VALUE, WEIGHTS

from .regions import TOWNS

__all__ = ["DemoData", "generate", "YEARS", "TARGETS"]

YEARS = list(range(2019, 2025))
SEED = 20241231
ABOVE_SCALE_MIN_REVENUE = 20_000_000.0  # main-business revenue, yuan (规上工业: ≥ 2,000万元)

# Region-level shape of the data per year (above-scale industrial enterprises, of them with R&D,
# their statistical R&D expense in yuan, and R&D ÷ operating revenue).
TARGETS = {
    2019: dict(above_scale=1522, with_rd=931, rd_total=5.05e9, intensity=0.0272),
    2020: dict(above_scale=1581, with_rd=1012, rd_total=5.61e9, intensity=0.0285),
    2021: dict(above_scale=1648, with_rd=1109, rd_total=6.34e9, intensity=0.0298),
    2022: dict(above_scale=1716, with_rd=1197, rd_total=6.93e9, intensity=0.0311),
    2023: dict(above_scale=1771, with_rd=1288, rd_total=8.42e9 / 1.10, intensity=0.0322),
    2024: dict(above_scale=1813, with_rd=1345, rd_total=8.42e9, intensity=0.0336),
}
# High-tech certificates issued per year (first batch of 2024: 319); valid = issued in Y-2..Y.
HIGH_TECH_ISSUED = {
    2016: 60,
    2017: 70,
    2018: 80,
    2019: 100,
    2020: 150,
    2021: 200,
    2022: 260,
    2023: 295,
    2024: 439,
}
HIGH_TECH_FIRST_BATCH = {2024: 319}
HIGH_TECH_RENEWAL_RATE = 0.85
TECH_SME_FILED = {2019: 521, 2020: 612, 2021: 704, 2022: 812, 2023: 893, 2024: 953}
PROVINCIAL_ENTERED = {2019: 301, 2020: 352, 2021: 388, 2022: 431, 2023: 468, 2024: 502}
CULTIVATION = {2019: 88, 2020: 97, 2021: 112, 2022: 121, 2023: 134, 2024: 150}
UNICORN_TIERS = {
    "gazelle": (6, 14),
    "potential_unicorn": (4, 9),
    "quasi_unicorn": (2, 5),
    "unicorn": (0, 1),
}
# R&D institutions: cumulative 1438 at the end of 2024, new in 2024 by level as the seed reports.
INSTITUTIONS_TOTAL = 1438
INSTITUTIONS_NEW_2024 = {
    "provincial_enterprise_research_institute": 2,
    "provincial_high_tech_rd_centre": 23,
    "ningbo_key_enterprise_research_institute": 3,
    "municipal_enterprise_rd_centre": 58,
}
INSTITUTION_LEVEL_WEIGHTS = {
    "municipal_enterprise_rd_centre": 0.60,
    "provincial_high_tech_rd_centre": 0.30,
    "ningbo_key_enterprise_research_institute": 0.04,
    "provincial_enterprise_research_institute": 0.05,
    "provincial_key_enterprise_research_institute": 0.01,
}
LEVEL_SUFFIX = {
    "municipal_enterprise_rd_centre": "企业研发中心",
    "provincial_high_tech_rd_centre": "省级高新技术企业研究开发中心",
    "ningbo_key_enterprise_research_institute": "宁波市重点企业研究院",
    "provincial_enterprise_research_institute": "省级企业研究院",
    "provincial_key_enterprise_research_institute": "省级重点企业研究院",
}

INDUSTRIAL_CODES = [
    "3851",
    "3856",
    "3857",
    "3823",
    "3435",
    "3484",
    "2927",
    "2929",
    "3311",
    "3360",
    "3399",
    "1761",
    "1762",
    "1830",
    "3670",
    "3982",
    "3989",
    "4028",
    "2438",
    "2110",
    "3714",
    "3562",
    "2669",
    "3062",
    "3130",
    "3250",
    "4417",
]
SERVICE_CODES = ["6513", "6511", "7320", "7491", "7520", "5179", "6432", "7251", "7484"]
BRANDS = list(
    "恒达华通宏远兴盛新昌瑞丰永鑫金海天明正泰佳美凯信德润博创科宇光耀伟旭嘉豪亿安中晟博纳凯迪飞跃日月东方海天星辰"
)
PRODUCT_WORDS = {
    "38": ["电器", "家电", "电机", "电子"],
    "34": ["轴承", "机械", "液压", "气动"],
    "29": ["塑业", "橡塑"],
    "33": ["五金", "金属制品"],
    "17": ["纺织", "家纺"],
    "18": ["服饰"],
    "36": ["汽配"],
    "39": ["电子科技", "智能科技"],
    "40": ["仪表", "仪器"],
    "24": ["文体用品"],
    "21": ["家具"],
    "26": ["化工"],
    "37": ["车业"],
    "30": ["新材料"],
    "31": ["钢业"],
    "32": ["铜业"],
    "35": ["智能装备"],
    "65": ["软件", "信息技术"],
    "73": ["技术研究"],
    "74": ["检测技术"],
    "75": ["科技服务"],
    "51": ["贸易"],
    "64": ["网络科技"],
    "72": ["企业管理"],
    "44": ["能源"],
}


@dataclass
class DemoData:
    """The frames of a generated region, keyed by import entity, as raw text columns."""

    frames: dict[str, pl.DataFrame]
    enterprise_count: int


def _credit_codes(rng: np.random.Generator, n: int) -> list[str]:
    """N distinct valid credit codes of the county (division 330282), drawn in one batch: the
    nine organisation-code characters at random, the check character by GB 32100-2015 §4.5."""
    prefix = "91330282"
    alphabet = np.array(list(ALPHABET))
    body = rng.integers(0, len(ALPHABET), size=(n, 9))
    repeat = ~pl.Series(alphabet[body].view("<U9").ravel()).is_first_distinct().to_numpy()
    if repeat.any():  # about 1 in 10⁷ pairs: those rows are drawn again, in order
        taken = set(alphabet[body].view("<U9").ravel().tolist())
        for i in np.flatnonzero(repeat):
            while True:
                row = rng.integers(0, len(ALPHABET), 9)
                if (text := "".join(alphabet[row])) not in taken:
                    break
            taken.add(text)
            body[i] = row
    head = sum(VALUE[ch] * w for ch, w in zip(prefix, WEIGHTS, strict=False))
    check = (31 - (head + body @ np.array(WEIGHTS[8:])) % 31) % 31
    codes = np.concatenate([alphabet[body], alphabet[check][:, None]], axis=1)
    return [prefix + code for code in codes.view("<U10").ravel().tolist()]


# Organisation forms and qualifiers a registered name may carry between its trade name and the
# form (企业名称登记管理规定: 行政区划 + 字号 + 行业或经营特点 + 组织形式). They tell apart
# enterprises whose region, trade name and industry word coincide, in this order; past them a
# third trade-name character is added (恒达 → 恒达兴), so the name space never runs out.
NAME_QUALIFIERS = ["", "制造", "实业", "工贸", "精密", "机电", "发展", "工业", "贸易", "智造"]
NAME_FORMS = ["有限公司", "股份有限公司"]
EXTRA_BRAND = sorted(set(BRANDS), key=BRANDS.index)


def _name_variant(k: int) -> tuple[str, str, str]:
    """The k-th variant (0 = the plain name) of one region + trade name + industry word:
    (extra trade-name characters, qualifier, organisation form), distinct for every k."""
    k, qualifier = divmod(k, len(NAME_QUALIFIERS))
    k, form = divmod(k, len(NAME_FORMS))
    extra = ""
    while k:  # bijective base-len(EXTRA_BRAND) numeral: 1 → 恒, …, 50 → 辰, 51 → 恒恒, …
        k, digit = divmod(k - 1, len(EXTRA_BRAND))
        extra = EXTRA_BRAND[digit] + extra
    return extra, NAME_QUALIFIERS[qualifier], NAME_FORMS[form]


def _names(rng: np.random.Generator, industry: list[str]) -> list[str]:
    """Fictional, unique company names: 慈溪市 + a two-character trade name + an industry word
    + 有限公司, drawn in bulk for any region size and the same for a given seed.

    Where region, trade name and word coincide (inevitable past ~90,000 enterprises: 50² trade
    names × 37 words), the i-th repeat takes the i-th variant of `_name_variant` — a qualifier
    such as 制造 or 实业, then 股份有限公司, then a longer trade name — so names stay realistic
    and unique; a variant that happens to equal another stem's name moves to the next one.
    """
    n = len(industry)
    brands = np.array(BRANDS)
    first, second = brands[rng.integers(0, len(brands), n)], brands[rng.integers(0, len(brands), n)]
    pick = rng.random(n)
    words_of = {code: PRODUCT_WORDS.get(code[:2], ["科技", "实业"]) for code in set(industry)}
    word = [
        words_of[code][int(p * len(words_of[code]))]
        for code, p in zip(industry, pick.tolist(), strict=True)
    ]
    frame = pl.DataFrame({"brand": np.char.add(first, second), "word": word}).with_columns(
        repeat=pl.int_range(pl.len(), dtype=pl.Int64).over("brand", "word")
    )
    repeats = frame["repeat"].unique().sort().to_list()
    variants = pl.DataFrame(
        [(k, *_name_variant(k)) for k in repeats],
        schema={"repeat": pl.Int64, "extra": pl.Utf8, "qualifier": pl.Utf8, "form": pl.Utf8},
        orient="row",
    )
    frame = frame.join(variants, on="repeat", how="left", maintain_order="left")
    names = frame.select(
        pl.concat_str(pl.lit("慈溪市"), "brand", "extra", "word", "qualifier", "form")
    ).to_series()
    names_list = names.to_list()
    # A variant equal to another stem's name: the later row moves on to its next free variant.
    clashes = (~names.is_first_distinct()).arg_true().to_list()
    if clashes:
        taken = set(names_list)
        for i in clashes:
            brand, w, k = frame["brand"][i], frame["word"][i], frame["repeat"][i]
            while names_list[i] in taken:
                k += 1
                extra, qualifier, form = _name_variant(k)
                names_list[i] = f"慈溪市{brand}{extra}{w}{qualifier}{form}"
            taken.add(names_list[i])
    return names_list


def _money(values: np.ndarray) -> pl.Series:
    """Yuan amounts as text with two decimals; NaN → empty cell."""
    s = pl.Series(np.round(values, 2), nan_to_null=True)
    return s.cast(pl.Utf8)


def _exact_total(values: np.ndarray, total: float) -> np.ndarray:
    """Scale positive amounts so they sum to `total` exactly in cents."""
    scaled = np.round(values / values.sum() * total, 2)
    scaled[np.argmax(scaled)] += round(total - scaled.sum(), 2)
    return np.round(scaled, 2)


def generate(
    n_enterprises: int = 5200, *, seed: int = SEED, years: list[int] | None = None
) -> DemoData:
    """Build the demo region's frames. With the default size the 2024 figures match the seed;
    other sizes scale every count (for benchmarks)."""
    years = years or YEARS
    rng = np.random.default_rng(seed)
    scale = n_enterprises / 5200
    n = n_enterprises
    n_ind = int(n * 0.73)
    industrial = np.zeros(n, bool)
    industrial[:n_ind] = True
    industry = [
        str(rng.choice(INDUSTRIAL_CODES)) if ind else str(rng.choice(SERVICE_CODES))
        for ind in industrial
    ]
    codes = _credit_codes(rng, n)
    names = _names(rng, industry)
    town_idx = rng.choice(len(TOWNS), n, p=_town_weights())
    z = rng.beta(2.0, 3.0, n)  # innovativeness: drives R&D, staff, IP and tiers
    growth = rng.normal(1.08, 0.06, n).clip(0.9, 1.35)
    reg_year = rng.integers(1995, 2021, n)
    reg_date = [
        f"{y}-{m:02d}-{d:02d}"
        for y, m, d in zip(reg_year, rng.integers(1, 13, n), rng.integers(1, 29, n), strict=True)
    ]

    # 2024 size: the largest ~40% of industrial enterprises are above-scale.
    size24 = np.where(
        industrial,
        np.exp(rng.normal(np.log(3.2e7), 1.15, n)),
        np.exp(rng.normal(np.log(6e6), 1.0, n)),
    )
    other_share = rng.uniform(0.0, 0.06, n)
    rd_ratio = (0.006 + 0.055 * z) * rng.lognormal(0, 0.25, n)

    # Pass 1: size, above-scale status and staff per year.
    figures = {}  # year -> dict of arrays
    targets = {}
    for y in years:
        t = {
            k: v * (scale if k in ("above_scale", "with_rd", "rd_total") else 1)
            for k, v in TARGETS.get(y, TARGETS[2024]).items()
        }
        targets[y] = t
        main = size24 / growth ** (2024 - y) * rng.lognormal(0, 0.05, n)
        n_above = int(round(t["above_scale"]))
        order = np.argsort(-np.where(industrial, main, -1))
        above = np.zeros(n, bool)
        above[order[:n_above]] = True
        main = np.where(
            above, np.maximum(main, ABOVE_SCALE_MIN_REVENUE * rng.uniform(1.0, 1.3, n)), main
        )
        main = np.where(
            ~above & industrial,
            np.minimum(main, ABOVE_SCALE_MIN_REVENUE * rng.uniform(0.5, 0.995, n)),
            main,
        )
        op = main * (1 + other_share)
        target_op = t["rd_total"] / t["intensity"]
        for _ in range(6):  # scale the above-scale revenues to the target, keeping them above 20M
            k = target_op / op[above].sum()
            main = np.where(above, np.maximum(main * k, ABOVE_SCALE_MIN_REVENUE), main)
            op = main * (1 + other_share)
        employees = np.maximum(5, op / rng.uniform(6e5, 1.2e6, n)).round()
        figures[y] = dict(main=main, op=op, above=above, employees=employees)

    # Qualifications are drawn next, so that holders' figures can be made to fit their tier.
    quals = _qualifications(rng, n, z, figures, years, scale)
    ht, sme = _holders(quals, years)
    last = years[-1]
    valid_last = np.zeros(n, bool)
    valid_last[list(ht.get(last, set()))] = True
    # Deliberate disagreements the platform must surface: a few valid high-tech enterprises
    # whose R&D ratio slipped in the last year, and a few declaring zero statistical R&D.
    candidates = np.flatnonzero(valid_last & figures[last]["above"])
    slipped = set(
        rng.choice(candidates, min(len(candidates), int(round(15 * scale))), replace=False).tolist()
    )
    rest = np.array([e for e in candidates if e not in slipped], int)
    zero_rd = set(rng.choice(rest, min(len(rest), int(round(12 * scale))), replace=False).tolist())

    # Pass 2: R&D, staff and income, shaped so holders meet their tier's rules.
    for y in years:
        f, t = figures[y], targets[y]
        op, above = f["op"], f["above"]
        ht_y = np.zeros(n, bool)
        ht_y[list(ht.get(y, set()))] = True
        sme_y = np.zeros(n, bool)
        sme_y[list(sme.get(y, set()))] = True
        off = np.zeros(n, bool)
        if y == last:
            off[list(slipped | zero_rd)] = True
        ratio = rd_ratio * rng.lognormal(0, 0.08, n)
        # ≥ 5.5 % clears every high-tech band (H5, docs/qualification-rules.md#basic-conditions) and the
        # tech-SME 5 % band (docs/qualification-rules.md#scoring).
        ratio = np.where(ht_y | sme_y, np.maximum(ratio, rng.uniform(0.058, 0.085, n)), ratio)
        if y == last:
            ratio[list(slipped)] = rng.uniform(0.008, 0.015, len(slipped))
        n_rd = int(round(t["with_rd"]))
        score = np.where(above, z + rng.normal(0, 0.08, n), -9.0)
        score = np.where(above & ht_y, 9.0, score)  # holders declare R&D …
        if y == last:
            score[list(zero_rd)] = -5.0  # … except the deliberate contradictions
        with_rd = np.zeros(n, bool)
        with_rd[np.argsort(-score)[:n_rd]] = True
        rd = np.where(with_rd, op * ratio, 0.0)
        fixed = with_rd & (ht_y | sme_y)
        free = with_rd & ~fixed
        remaining = t["rd_total"] - rd[fixed].sum()
        if remaining > 0.15 * t["rd_total"] and free.any():
            rd[free] = _exact_total(rd[free], remaining)
            rd[fixed] = np.round(rd[fixed], 2)
            rd[np.flatnonzero(free)[np.argmax(rd[free])]] += round(
                t["rd_total"] - rd[with_rd].sum(), 2
            )
        else:  # small regions: keep the total exact, let holders' ratios float
            rd[with_rd] = _exact_total(rd[with_rd], t["rd_total"])
        # Enterprises outside the statistics survey still keep R&D books when innovative.
        small_rd = np.where(~above & ((z > 0.35) | ht_y | sme_y), op * ratio, np.nan)
        rd_stat = np.where(above, rd, small_rd)
        hnte = np.where(ht_y, op * ratio, np.nan_to_num(rd_stat) * rng.uniform(0.9, 1.05, n))
        if y == last:
            hnte[list(zero_rd)] = op[list(zero_rd)] * 0.03  # books R&D, reports none to statistics
        tech_ratio = (0.04 + 0.30 * z) * rng.uniform(0.85, 1.1, n)
        tech_ratio = np.where(
            ht_y | sme_y, np.maximum(tech_ratio, rng.uniform(0.2, 0.35, n)), tech_ratio
        )
        employees = f["employees"]
        tech = np.minimum(employees, (employees * tech_ratio).round())
        ht_share = np.clip(0.2 + 0.8 * z + rng.normal(0, 0.05, n), 0, 0.97)
        ht_share = np.where(ht_y, np.maximum(ht_share, rng.uniform(0.65, 0.92, n)), ht_share)
        declared = (rng.random(n) < 0.6 + 0.4 * z) | ht_y | sme_y
        f.update(
            rd_stat=rd_stat,
            hnte=hnte,
            tech=tech,
            ht_share=ht_share,
            holder=ht_y | sme_y,
            declared=declared,
            off=off,
        )

    frames = {}
    frames["enterprises"] = pl.DataFrame(
        {
            "credit_code": codes,
            "name": names,
            "town": [TOWNS[i][0] for i in town_idx],
            "industry_code": industry,
            "registration_date": reg_date,
            "address": [f"浙江省慈溪市{TOWNS[i][0]}{rng.integers(1, 999)}号" for i in town_idx],
            "tags": [
                "",
            ]
            * n,
            "is_resident_enterprise": ["是"] * n,
        }
    )

    annual = []
    for y in years:
        f = figures[y]
        op, hnte = f["op"], f["hnte"]
        split = rng.dirichlet([6, 3, 1.2, 0.4, 0.6, 0.5, 0.5, 0.4], n)
        cats = hnte[:, None] * split
        cats[:, 7] = np.minimum(cats[:, 7], cats[:, :7].sum(axis=1) / 4)  # other ≤ 20% of total
        hnte_total = cats.sum(axis=1)
        assets = op * rng.uniform(0.7, 1.3, n)
        ht_share = f["ht_share"]
        stat = np.nan_to_num(f["rd_stat"])
        # Super-deduction scope: a little under the smaller of the other two scopes.
        deduction = np.where(stat > 0, np.minimum(hnte_total, stat), hnte_total) * rng.uniform(
            0.86, 0.98, n
        )
        declared, holder = f["declared"], f["holder"]
        rare = rng.random((3, n))
        incident = np.where(
            declared, np.where(holder, "否", np.where(rare[0] < 0.004, "是", "否")), None
        )
        credit = np.where(
            declared, np.where(holder, "否", np.where(rare[1] < 0.003, "是", "否")), None
        )
        catalogue = np.where(
            declared, np.where(holder, "否", np.where(rare[2] < 0.003, "是", "否")), None
        )
        core = np.where(declared, np.where(holder | (z > 0.45), "是", "否"), None)
        annual.append(
            pl.DataFrame(
                {
                    "credit_code": codes,
                    "year": [str(y)] * n,
                    "is_above_scale_industrial": np.where(f["above"], "是", "否").tolist(),
                    "operating_revenue": _money(op),
                    "sales_revenue": _money(op),
                    "main_business_revenue": _money(f["main"]),
                    "total_income": _money(op * rng.uniform(1.0, 1.03, n)),
                    "non_taxable_income": _money(op * rng.uniform(0, 0.003, n)),
                    "total_assets": _money(assets),
                    "total_liabilities": _money(assets * rng.uniform(0.3, 0.65, n)),
                    "total_cost_expense": _money(op * rng.uniform(0.8, 0.95, n)),
                    "hightech_income": _money(op * ht_share),
                    "employees_avg": pl.Series(
                        np.round(f["employees"] * rng.uniform(0.95, 1.0, n), 2)
                    ).cast(pl.Utf8),
                    "employees_year_end": pl.Series(f["employees"].astype(int)).cast(pl.Utf8),
                    "tech_staff_avg": pl.Series(
                        np.round(f["tech"] * rng.uniform(0.9, 1.0, n), 2)
                    ).cast(pl.Utf8),
                    "tech_staff_year_end": pl.Series(f["tech"].astype(int)).cast(pl.Utf8),
                    "rd_expense_stat": _money(f["rd_stat"]),
                    "rd_hnte_total": _money(hnte_total),
                    "rd_hnte_domestic": _money(hnte_total * rng.uniform(0.85, 1.0, n)),
                    "rd_hnte_personnel": _money(cats[:, 0]),
                    "rd_hnte_direct": _money(cats[:, 1]),
                    "rd_hnte_depreciation": _money(cats[:, 2]),
                    "rd_hnte_intangible": _money(cats[:, 3]),
                    "rd_hnte_design": _money(cats[:, 4]),
                    "rd_hnte_equipment_trial": _money(cats[:, 5]),
                    "rd_hnte_commissioned": _money(cats[:, 6]),
                    "rd_hnte_other": _money(cats[:, 7]),
                    "rd_deduction_scope": _money(deduction),
                    "incident_reported": pl.Series(incident.tolist(), dtype=pl.Utf8),
                    "credit_listed": pl.Series(credit.tolist(), dtype=pl.Utf8),
                    "in_restricted_catalogue": pl.Series(catalogue.tolist(), dtype=pl.Utf8),
                    "core_tech_in_supported_fields": pl.Series(core.tolist(), dtype=pl.Utf8),
                }
            )
        )
    frames["annual_figures"] = pl.concat(annual)

    frames["qualifications"] = quals
    holders = set().union(*ht.values(), *sme.values()) if ht or sme else set()
    frames["ip_assets"] = _ip_assets(rng, codes, z, holders)
    frames["institutions"] = _institutions(rng, n, z, figures, scale, codes, names)
    # Replace enterprise indices by credit codes.
    for key in ("qualifications", "institutions"):
        frames[key] = frames[key].with_columns(
            pl.col("credit_code").map_elements(lambda i: codes[i], return_dtype=pl.Utf8)
        )
    return DemoData(frames=frames, enterprise_count=n)


def _town_weights() -> np.ndarray:
    w = np.array([1.6 if street else 1.0 for _name, street in TOWNS])
    return w / w.sum()


def _pick(rng, candidates: np.ndarray, weight: np.ndarray, k: int) -> np.ndarray:
    """k candidates, the more innovative the likelier (deterministic for a seed)."""
    k = min(k, len(candidates))
    if k <= 0:
        return np.array([], int)
    p = weight[candidates] + 1e-9
    return rng.choice(candidates, k, replace=False, p=p / p.sum())


def _qualifications(rng, n, z, figures, years, scale) -> pl.DataFrame:
    rows = []  # (enterprise index, kind, year, number, batch, issue, expiry, revoked)
    weight = z**3
    last = years[-1]

    # High-tech certificates: chains of 3-year certificates, renewed in the expiry year.
    held_from = {}  # enterprise -> issue year of its latest certificate
    serial = 0
    for y in sorted(HIGH_TECH_ISSUED):
        if y > last:
            break
        need = int(round(HIGH_TECH_ISSUED[y] * scale))
        due = np.array([e for e, iy in held_from.items() if iy == y - 3], int)
        renew = _pick(rng, due, weight, int(round(len(due) * HIGH_TECH_RENEWAL_RATE)))
        renew = renew[:need]
        busy = {e for e, iy in held_from.items() if iy >= y - 2} | set(renew.tolist())
        pool = np.array([e for e in range(n) if e not in busy and e not in held_from], int)
        first = _pick(rng, pool, weight, need - len(renew))
        chosen = np.concatenate([renew, first])
        rng.shuffle(chosen)
        n_first_batch = int(
            round(
                HIGH_TECH_FIRST_BATCH.get(y, round(need * 0.7))
                * (scale if y in HIGH_TECH_FIRST_BATCH else 1)
            )
        )
        for i, e in enumerate(chosen):
            batch = 1 if i < n_first_batch else 2
            issue = (
                f"{y}-11-{20 + rng.integers(0, 5):02d}"
                if batch == 1
                else f"{y}-12-{10 + rng.integers(0, 8):02d}"
            )
            serial += 1
            revoked = f"{y + 2}-06-30" if (y == 2021 and i < 4) else ""
            rows.append(
                (
                    e,
                    "high_tech",
                    y,
                    f"GR{y}33{100000 + serial:06d}",
                    f"{y}-{batch}",
                    issue,
                    "",
                    revoked,
                )
            )
            held_from[int(e)] = y

    def yearly(kind, counts, eligible_fn, prefix, expiry_fn):
        for y, count in counts.items():
            if y not in years:
                continue
            eligible = eligible_fn(y)
            for j, e in enumerate(_pick(rng, eligible, weight, int(round(count * scale)))):
                issue = f"{y}-{rng.integers(4, 10):02d}-{rng.integers(1, 28):02d}"
                rows.append(
                    (e, kind, y, f"{y}{prefix}{j + 1:05d}", f"{y}-1", issue, expiry_fn(y), "")
                )

    def small(y):
        f = figures[y]
        return np.flatnonzero((f["op"] <= 2e8) & (f["employees"] <= 500) & (z > 0.25))

    yearly("national_tech_sme", TECH_SME_FILED, small, "330282A0", lambda y: f"{y}-12-31")
    entered = set()

    def provincial(y):
        c = np.array([e for e in small(y) if e not in entered], int)
        return c

    for y, count in PROVINCIAL_ENTERED.items():
        if y in years:
            picked = _pick(rng, provincial(y), weight, int(round(count * scale)))
            entered.update(picked.tolist())
            for j, e in enumerate(picked):
                rows.append(
                    (
                        e,
                        "provincial_tech_sme",
                        y,
                        f"{y}3302{j + 1:05d}",
                        f"{y}-1",
                        f"{y}-{rng.integers(5, 11):02d}-15",
                        "",
                        "",
                    )
                )
    ht_valid = lambda y: {e for e, _k, iy, *_ in rows if _k == "high_tech" and y - 2 <= iy <= y}  # noqa: E731

    def cultivation(y):
        valid = ht_valid(y)
        return np.array([e for e in small(y) if e not in valid], int)

    yearly("municipal_cultivation", CULTIVATION, cultivation, "NBPY", lambda y: "")
    for kind, (start, end) in UNICORN_TIERS.items():
        for y in years:
            count = round(start + (end - start) * (y - years[0]) / max(1, len(years) - 1))
            big = np.flatnonzero(figures[y]["op"] > 5e7)
            for j, e in enumerate(_pick(rng, big, z**6, int(round(count * scale)))):
                rows.append(
                    (
                        e,
                        kind,
                        y,
                        f"{y}{kind[:2].upper()}{j + 1:03d}",
                        f"{y}-1",
                        f"{y}-12-01",
                        f"{y}-12-31",
                        "",
                    )
                )
    # An enterprise holds one qualification per kind and year: drop accidental repeats.
    frame = pl.DataFrame(
        rows,
        schema=[
            "credit_code",
            "kind",
            "year",
            "number",
            "batch",
            "issue_date",
            "expiry_date",
            "revoked_date",
        ],
        orient="row",
    )
    frame = frame.unique(subset=["credit_code", "kind", "year"], keep="first", maintain_order=True)
    return frame.with_columns(
        pl.col("year").cast(pl.Utf8),
        pl.when(pl.col("revoked_date") != "")
        .then(pl.lit("revoked"))
        .otherwise(pl.lit("active"))
        .alias("status"),
    )


def _holders(quals: pl.DataFrame, years: list[int]) -> tuple[dict, dict]:
    """Enterprises whose figures of year y must fit a tier: high-tech certificates issued in
    y-2..y+1 (a renewal in y+1 reads y-2..y) and national tech-SME filings of y or y+1 (a filing
    in y+1 reads year y)."""
    ht, sme = {}, {}
    rows = quals.filter(pl.col("status") == "active").select(
        "credit_code", "kind", pl.col("year").cast(pl.Int64)
    )
    for y in years:
        ht[y] = set(
            rows.filter((pl.col("kind") == "high_tech") & pl.col("year").is_between(y - 2, y + 1))[
                "credit_code"
            ].to_list()
        )
        sme[y] = set(
            rows.filter(
                (pl.col("kind") == "national_tech_sme") & pl.col("year").is_between(y, y + 1)
            )["credit_code"].to_list()
        )
    return ht, sme


def _ip_assets(rng, codes, z, holders=frozenset()) -> pl.DataFrame:
    kinds = [
        ("invention_patent", 3.0),
        ("utility_model", 9.0),
        ("design_patent", 2.0),
        ("software_copyright", 1.5),
    ]
    rows = []
    serial = 0
    titles = [
        "一种节能控制装置",
        "一种智能检测方法",
        "一种新型结构件",
        "多功能组件",
        "控制系统软件",
        "高效散热装置",
        "自动化生产线",
        "低噪声电机",
    ]
    for e, code in enumerate(codes):
        if e in holders:  # a holder owns at least one invention patent, granted early
            serial += 1
            rows.append(
                (
                    code,
                    "invention_patent",
                    f"ZL2013{serial:08d}",
                    "核心技术发明专利",
                    "2013-03-01",
                    "2015-09-01",
                    "2033-02-28",
                    "granted",
                    "",
                )
            )
        for kind, mean in kinds:
            for _ in range(rng.poisson(mean * z[e] ** 2)):
                serial += 1
                grant_year = int(rng.integers(2013, 2025))
                app_year = grant_year - int(rng.integers(0, 3))
                number = (
                    f"ZL{app_year}{serial:08d}"
                    if kind != "software_copyright"
                    else f"{grant_year}SR{serial:07d}"
                )
                expiry_years = {
                    "invention_patent": 20,
                    "utility_model": 10,
                    "design_patent": 15,
                }.get(kind, 50)
                rows.append(
                    (
                        code,
                        kind,
                        number,
                        str(rng.choice(titles)),
                        f"{app_year}-03-01",
                        f"{grant_year}-09-01",
                        f"{app_year + expiry_years}-02-28",
                        "granted",
                        "",
                    )
                )
    return pl.DataFrame(
        rows,
        schema=[
            "credit_code",
            "kind",
            "number",
            "title",
            "application_date",
            "grant_date",
            "expiry_date",
            "status",
            "used_in_hnte_application_year",
        ],
        orient="row",
    )


def _institutions(rng, n, z, figures, scale, codes, names) -> pl.DataFrame:
    total = int(round(INSTITUTIONS_TOTAL * scale))
    new_2024 = {k: int(round(v * scale)) for k, v in INSTITUTIONS_NEW_2024.items()}
    f = figures[max(figures)]
    has_rd = np.nan_to_num(f["rd_stat"]) > 0
    # Mostly above-scale enterprises with R&D; a few without R&D or below the scale.
    a = np.flatnonzero(f["above"] & has_rd)
    b = np.flatnonzero(f["above"] & ~has_rd)
    c = np.flatnonzero(~f["above"])
    k_b, k_c = int(round(100 * scale)), int(round(88 * scale))
    chosen = np.concatenate(
        [_pick(rng, a, z**2, total - k_b - k_c), _pick(rng, b, z, k_b), _pick(rng, c, z**3, k_c)]
    )
    rng.shuffle(chosen)
    levels, years = [], []
    i = 0
    for level, count in new_2024.items():
        levels += [level] * count
        years += [2024] * count
        i += count
    rest = len(chosen) - i
    level_names = list(INSTITUTION_LEVEL_WEIGHTS)
    weights = np.array(list(INSTITUTION_LEVEL_WEIGHTS.values()))
    levels += list(rng.choice(level_names, rest, p=weights / weights.sum()))
    years += list(rng.choice(np.arange(2008, 2024), rest, p=_year_weights()))
    rows = []
    for e, level, y in zip(chosen, levels, years, strict=True):
        short = names[e].removeprefix("慈溪市").removesuffix("有限公司").removesuffix("股份")
        rows.append((int(e), level, f"{short}{LEVEL_SUFFIX[level]}", str(y), "active"))
    return pl.DataFrame(
        rows, schema=["credit_code", "level", "name", "year_recognised", "status"], orient="row"
    )


def _year_weights() -> np.ndarray:
    w = np.linspace(1.0, 3.0, 2024 - 2008)
    return w / w.sum()
