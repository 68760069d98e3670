"""Conditional phrasing of figures in the annual report, as a bureau writer would put them.

Pure functions (no Django): every number arrives computed, and these only decide how to say it —
growth or decline, whether a round threshold ("千家大关") has been passed, how to write money in
万元/亿元, and the Chinese ordinals of official documents (一、 （一） 一是).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "chinese_number",
    "heading_ordinal",
    "sub_ordinal",
    "shi_ordinal",
    "number_text",
    "count_text",
    "money_text",
    "pct_text",
    "growth_phrase",
    "threshold_phrase",
    "approx_pct_phrase",
    "multiple_phrase",
    "rank_phrase",
    "streak_phrase",
    "chinese_date",
    "points_phrase",
    "cell_text",
    "title_lines",
]

DIGITS = "零一二三四五六七八九"
YI = Decimal(10**8)
WAN = Decimal(10**4)
# Round thresholds a report names in words ("突破千家大关").
THRESHOLD_WORDS = {100: "百", 1000: "千", 10000: "万"}


# ------------------------------------------------------------------ ordinals


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 23 → 二十三, 99 → 九十九 (1 ≤ n ≤ 99)."""
    if not 1 <= n <= 99:
        raise ValueError(f"{n} is outside 1–99")
    tens, units = divmod(n, 10)
    if tens == 0:
        return DIGITS[units]
    head = "" if tens == 1 else DIGITS[tens]
    return f"{head}十{DIGITS[units] if units else ''}"


def heading_ordinal(n: int) -> str:
    """Level-1 heading number of GB/T 9704-2012 §7.3.3: 一、"""
    return f"{chinese_number(n)}、"


def sub_ordinal(n: int) -> str:
    """Level-2 heading number: （一） with full-width parentheses."""
    return f"（{chinese_number(n)}）"


def shi_ordinal(n: int) -> str:
    """Enumerating lead of a work report paragraph: 一是, 二是, …"""
    return f"{chinese_number(n)}是"


# ------------------------------------------------------------------ numbers


def _quantize(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def number_text(value, places: int = 0, *, strip: bool = True) -> str:
    """A number rounded half-up to `places` decimals; `strip` drops trailing zeros (10.0 → 10)."""
    if value is None:
        raise ValueError("no value")
    text = f"{_quantize(Decimal(str(value)), places):f}"
    if strip and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def count_text(value: int, unit: str = "家") -> str:
    """An enterprise/institution count with its measure word: 953家."""
    return f"{int(value)}{unit}"


def money_text(yuan, places: int = 1) -> str:
    """Yuan written as a report does: 8420000000 → 84.2亿元; 3500000 → 350万元; 800 → 800元.

    亿元 from one hundred million up, 万元 from ten thousand up, with `places` decimals
    (trailing zeros dropped).
    """
    value = Decimal(str(yuan))
    if abs(value) >= YI:
        return f"{number_text(value / YI, places)}亿元"
    if abs(value) >= WAN:
        return f"{number_text(value / WAN, places)}万元"
    return f"{number_text(value, 0)}元"


def pct_text(value, places: int = 1) -> str:
    """A number of percent: 74.1864 → 74.2%; 10.0 → 10%; 3.36 → 3.36% (places=2)."""
    return f"{number_text(value, places)}%"


# ------------------------------------------------------------------ phrases


def growth_phrase(pct, places: int = 1, *, basis: str = "同比") -> str:
    """Growth vs decline: 同比增长10% / 同比下降3.2% / 与上年持平; "" without a base year.

    The rounding decides "持平": a change that rounds to zero is no change in the text.
    """
    if pct is None:
        return ""
    shown = number_text(abs(pct), places)
    if Decimal(shown) == 0:
        return "与上年持平"
    return f"{basis}{'增长' if pct > 0 else '下降'}{shown}%"


def threshold_phrase(value: int, threshold: int = 1000, unit: str = "家", *, near: float = 0.05):
    """Whether a count has passed a round threshold: "突破千家大关" only when value ≥ threshold;
    "逼近千家大关" within `near` (a share) below it; otherwise "" (nothing worth saying)."""
    word = THRESHOLD_WORDS.get(threshold, str(threshold))
    if value >= threshold:
        return f"突破{word}{unit}大关"
    if value >= threshold * (1 - near):
        return f"逼近{word}{unit}大关"
    return ""


def approx_pct_phrase(value, step: int = 10, margin: float = 2.0) -> str:
    """A share in round words: 79.32 → 近80%; 81.0 → 超80%; 80 → 80%; 73.5 → 73.5%."""
    nearest = round(float(value) / step) * step
    gap = float(value) - nearest
    if gap == 0:
        return f"{nearest}%"
    if -margin <= gap < 0:
        return f"近{nearest}%"
    if 0 < gap <= margin:
        return f"超{nearest}%"
    return pct_text(value, 1)


def multiple_phrase(now: int, then: int, years: int) -> str:
    """Growth of a count over `years` years in the words of a work report.

    ≥ 4× → "五年翻两番"; ≥ 3.8× → "五年接近翻两番"; ≥ 2× → "五年翻一番"; ≥ 1.9× →
    "五年接近翻一番"; otherwise "五年增长N%" ("" if `then` is 0). "翻两番" is ×4, never less.
    """
    if not then:
        return ""
    span = f"{chinese_number(years)}年"
    ratio = now / then
    for factor, words in ((4, "翻两番"), (2, "翻一番")):
        if ratio >= factor:
            return f"{span}{words}"
        if ratio >= 0.95 * factor:
            return f"{span}接近{words}"
    return f"{span}增长{number_text(100 * (ratio - 1), 0)}%"


def rank_phrase(scope: str, rank: int, previous: int | None = None) -> str:
    """A rank with its movement: 跃居全省第7 (up), 保持全省第7 (same), 居全省第7 (down or
    unknown — a fall is stated as the plain rank, as reports do)."""
    if previous is not None and rank < previous:
        verb = "跃居"
    elif previous is not None and rank == previous:
        verb = "保持"
    else:
        verb = "居"
    return f"{verb}{scope}第{rank}"


def streak_phrase(scope: str, ranks: list[int | None]) -> str:
    """ "连续三年居宁波第1" when the latest rank held for several consecutive years.

    ranks: the rank of each year, latest first (None where unknown). A streak of one year is
    just "居宁波第1".
    """
    if not ranks or ranks[0] is None:
        return ""
    current, years = ranks[0], 0
    for r in ranks:
        if r != current:
            break
        years += 1
    if years >= 2:
        count = "两" if years == 2 else chinese_number(years)
        return f"连续{count}年居{scope}第{current}"
    return f"居{scope}第{current}"


def chinese_date(year: int, month: int, day: int) -> str:
    """The date line of an official document: 2025年2月20日 (Arabic numerals, GB/T 9704 §7.3.5.1)."""
    return f"{year}年{month}月{day}日"


def points_phrase(delta, places: int = 2, *, subject: str = "较上年") -> str:
    """Change of a percentage in percentage points: 较上年提高0.12个百分点 / 下降… / 与上年持平."""
    if delta is None:
        return ""
    shown = number_text(abs(delta), places)
    if Decimal(shown) == 0:
        return "与上年持平"
    return f"{subject}{'提高' if delta > 0 else '下降'}{shown}个百分点"


def cell_text(value, fmt: str | None) -> str:
    """A table cell as the document prints it: "int" 1345; "num" 1000.0 → 1000, 3.456 → 3.46;
    "pct1" 74.2; "pct2" 3.36;
    "wan" yuan → 万元 with one decimal; "yi" yuan → 亿元 with two; None → str(value); "—" if empty.
    """
    if value is None or value == "":
        return "—"
    if fmt == "int":
        return str(int(value))
    if fmt == "num":
        return number_text(value, 2)
    if fmt == "pct1":
        return number_text(value, 1, strip=False)
    if fmt == "pct2":
        return number_text(value, 2, strip=False)
    if fmt == "wan":
        return number_text(Decimal(str(value)) / WAN, 1, strip=False)
    if fmt == "yi":
        return number_text(Decimal(str(value)) / YI, 2, strip=False)
    return str(value)


def title_lines(title: str, max_chars: int = 20, joiners: str = "和及与") -> list[str]:
    """Break a long title into lines at a conjunction, keeping the meaning of each line whole
    (GB/T 9704-2012 §7.3.2: "回行时，要做到词意完整"); a short title stays on one line.

    The break goes after the conjunction nearest the middle; without one, the title is kept.
    """
    if len(title) <= max_chars:
        return [title]
    cuts = [i + 1 for i, ch in enumerate(title) if ch in joiners and 0 < i < len(title) - 1]
    if not cuts:
        return [title]
    cut = min(cuts, key=lambda i: abs(i - len(title) / 2))
    return [title[:cut], title[cut:]]
