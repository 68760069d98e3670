"""The portal objects of the shared access-matrix cast (kechuang.core.tests.cast): a yearly-figure
submission of A1 (town A) waiting for its town's review, one document kept with it, and an open
colleague invitation of A1, so every scoped role sees them."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from kechuang.enterprises.models import (
    EnterpriseInvitation,
    FigureSubmission,
    SubmissionAttachment,
)
from kechuang.enterprises.portal_services import invitation_key_hash


def build_portal_cast(users: dict, objects: dict) -> dict:
    enterprise = objects["enterprise"]
    submission = FigureSubmission.objects.create(
        enterprise=enterprise,
        year=2025,
        status="submitted",
        operating_revenue=1000,
        created_by=users["enterprise"],
    )
    attachment = SubmissionAttachment(
        submission=submission, kind="financial_statements", name="报表.pdf", size=9
    )
    attachment.file.save("cast.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
    attachment.save()
    invitation = EnterpriseInvitation.objects.create(
        enterprise=enterprise,
        name="同事",
        key_hash=invitation_key_hash("cast-invitation-key"),
        created_by=users["enterprise"],
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    return {
        "figure_submission": submission,
        "submission_attachment": attachment,
        "invitation": invitation,
    }
