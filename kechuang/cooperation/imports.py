"""The Excel template of achievements (docs/cooperation.md, docs/imports.md#templates).

An achievement is keyed by its institution (an organisation of the expert registry, by name) and
its title, as the registry's own uniqueness rule; its contact expert is named within that
institution. The template is registered into the import framework from this app's ready().
After a committed import the stored matches of the live demands are ranked again, as after an
achievement is posted on its page.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from kechuang.imports.schemas import Column, EntitySchema, Ref

from .choices import CooperationMode, Maturity
from .models import TechDemand
from .services import matches_refresh

__all__ = ["ACHIEVEMENTS", "refresh_matches_after_import"]


def refresh_matches_after_import(pks: list[int], *, user: Any, reason: str) -> None:
    """Rank the suppliers of every live demand again (one batch over the demands)."""
    matches_refresh(TechDemand.objects.live())


ACHIEVEMENTS = EntitySchema(
    name="achievements",
    sheet="科技成果",
    title=_("Achievements"),
    model_label="cooperation.Achievement",
    key=("organisation", "title"),
    columns=(
        Column(
            "organisation",
            "所属高校或机构",
            "ref",
            required=True,
            max_length=128,
            ref=Ref(
                "experts.Organisation", "name", "organisation_id", _("university or institution")
            ),
            note="须为专家库中已登记的高校或机构名称",
            example="宁波大学",
        ),
        Column(
            "title",
            "成果名称",
            required=True,
            max_length=160,
            note="同一机构内不重复",
            example="低温等离子体表面改性工艺",
        ),
        Column(
            "summary",
            "成果简介",
            required=True,
            max_length=4000,
            example="采用大气压低温等离子体处理高分子材料表面，提高涂层附着力。",
        ),
        Column("field", "技术领域", max_length=64, example="新材料"),
        Column(
            "keywords",
            "关键词",
            max_length=300,
            note="多个关键词用逗号或顿号分隔",
            example="等离子体、表面改性、附着力",
        ),
        Column("maturity", "成熟度", "choice", choices=Maturity, note="空为实验室阶段"),
        Column("ip", "相关知识产权", max_length=300, example="发明专利 ZL202110000000.0"),
        Column("mode", "合作方式", "choice", choices=CooperationMode, note="空为技术转让"),
        Column(
            "contact_expert",
            "联系专家",
            "ref",
            max_length=64,
            ref=Ref(
                "experts.Expert",
                "name",
                "contact_expert_id",
                _("expert of this institution"),
                scope=("organisation", "organisation__name"),
            ),
            note="须为专家库中本机构的专家姓名",
            example="张三",
        ),
        Column("active", "对外提供", "bool", note="是/否，空为是"),
    ),
    after_write=refresh_matches_after_import,
)
