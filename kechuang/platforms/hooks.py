"""Registries that higher layers fill from their AppConfig.ready() (docs/platforms.md#incubatees).

`TECH_SME_PROVIDERS`: callables ``(enterprise_ids, year) -> {enterprise_id: True | False | None}``
giving the qualification engine's national tech-SME result; the first provider that answers
for an enterprise decides. Without one, the registry's tech-SME filing of the year is used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

__all__ = ["TECH_SME_PROVIDERS"]

TECH_SME_PROVIDERS: list[Callable[[Iterable[int], int], dict[int, bool | None]]] = []
