"""A bulk action of the enterprise list (docs/console.md#lists): visit tasks for the selected
enterprises, added to a campaign through `campaign_tasks_add`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.core.access import requires
from kechuang.core.filters import SafeModelChoiceField
from kechuang.core.forms import StyledFormMixin
from kechuang.core.lists import selected_ids

from .models import Campaign
from .services import campaign_tasks_add


class TasksAssignForm(StyledFormMixin, forms.Form):
    campaign = SafeModelChoiceField(
        label=gettext_lazy("Campaign"), queryset=Campaign.objects.order_by("-due_date", "-pk")
    )


@requires("campaigns.manage")
def tasks_assign(request):
    """GET: the selection (`selected` ids from the enterprise list) and the campaign to choose;
    POST: one task per selected enterprise the campaign does not have yet."""
    data = request.POST if request.method == "POST" else request.GET
    ids = selected_ids(data)
    form = TasksAssignForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and ids:
        campaign = form.cleaned_data["campaign"]
        added = campaign_tasks_add(user=request.user, campaign=campaign, enterprise_ids=ids)
        messages.success(
            request,
            _("%(added)d visit tasks added (%(skipped)d enterprises already had one).")
            % {"added": added, "skipped": len(ids) - added},
        )
        return redirect("campaigns:campaign_detail", pk=campaign.pk)
    if request.method == "POST" and not ids:
        form.add_error(None, _("Select enterprises in the enterprise list first."))
    return render(request, "campaigns/tasks_assign.html", {"form": form, "ids": ids})
