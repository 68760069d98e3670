"""The workbench (工作台): every role's landing page (docs/workbench.md)."""

from __future__ import annotations

from django.shortcuts import render

from kechuang.core.access import requires

from .selectors import workbench_context


@requires("workbench.view")
def home(request):
    """/workbench/: the user's to-dos and the panels of the user's role."""
    return render(request, "workbench/home.html", workbench_context(request.user))
