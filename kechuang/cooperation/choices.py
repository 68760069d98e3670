"""Choices of the cooperation app: demands, achievements, brokering, technical contracts, events
and competitions (docs/cooperation.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "DemandStatus",
    "DemandSource",
    "CooperationMode",
    "Maturity",
    "InstitutionKind",
    "BrokeringStage",
    "ContractType",
    "StatisticalType",
    "RegistrationStatus",
    "EventKind",
    "CompetitionDivision",
    "CompetitionGroup",
    "CompetitionTrack",
    "CompetitionStage",
]


class DemandStatus(models.TextChoices):
    OPEN = "open", _("Open, awaiting suppliers")
    MATCHED = "matched", _("Matched")
    NEGOTIATING = "negotiating", _("In negotiation")
    CONTRACTED = "contracted", _("Contracted")
    CLOSED = "closed", _("Closed")
    EXPIRED = "expired", _("Expired")


class DemandSource(models.TextChoices):
    ENTERPRISE = "enterprise", _("Posted by the enterprise")
    VISIT = "visit", _("Recorded during a visit")
    EVENT = "event", _("Collected at an event")


class CooperationMode(models.TextChoices):
    DEVELOPMENT = "development", _("Joint or commissioned development")
    TRANSFER = "transfer", _("Technology transfer")
    LICENCE = "licence", _("Licence")
    CONSULTANCY = "consultancy", _("Consultancy")
    SERVICE = "service", _("Technical service")
    JOINT_LAB = "joint_lab", _("Joint laboratory")
    TALENT = "talent", _("Talent")


class Maturity(models.TextChoices):
    LAB = "lab", _("Laboratory")
    PILOT = "pilot", _("Pilot")
    INDUSTRIALISED = "industrialised", _("Industrialised")


class InstitutionKind(models.TextChoices):
    UNIVERSITY = "university", _("University")
    INSTITUTE = "institute", _("Research institute")
    ENTERPRISE = "enterprise", _("Enterprise")


class BrokeringStage(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    CONTACTED = "contacted", _("Contacted")
    MEETING = "meeting", _("Meeting")
    NEGOTIATION = "negotiation", _("Negotiation")
    CONTRACTED = "contracted", _("Technical contract")
    CLOSED = "closed", _("Closed")


class ContractType(models.TextChoices):
    """The technical contract types of the Civil Code (民法典 第八百四十三条 and chapter 20),
    with training and intermediary service registered separately (技术合同认定规则)."""

    DEVELOPMENT_COMMISSIONED = "dev_commissioned", _("Technology development (commissioned)")
    DEVELOPMENT_COOPERATIVE = "dev_cooperative", _("Technology development (cooperative)")
    TRANSFER = "transfer", _("Technology transfer")
    LICENCE = "licence", _("Technology licence")
    CONSULTANCY = "consultancy", _("Technical consultancy")
    SERVICE = "service", _("Technical service")
    TRAINING = "training", _("Technical training")
    INTERMEDIARY = "intermediary", _("Technical intermediary")


class StatisticalType(models.TextChoices):
    """The four contract types of the registration statistics of 国科发政字〔2000〕063号."""

    DEVELOPMENT = "development", _("Technology development")
    TRANSFER = "transfer", _("Technology transfer")
    CONSULTANCY = "consultancy", _("Technical consultancy")
    SERVICE = "service", _("Technical service")


class RegistrationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ACCEPTED = "accepted", _("Accepted, under review")
    REGISTERED = "registered", _("Registered, certificate issued")
    REFUSED = "refused", _("Not registered (未予登记)")


class EventKind(models.TextChoices):
    QIANQI_BAIXIAO = "qianqi_baixiao", _("千企百校万里行")
    OTHER = "other", _("Other cooperation event")


class CompetitionDivision(models.TextChoices):
    NINGBO = "ningbo", _("Ningbo division")
    ZHEJIANG = "zhejiang", _("Zhejiang division")


class CompetitionGroup(models.TextChoices):
    STARTUP = "startup", _("Start-up group (初创企业组)")
    GROWTH = "growth", _("Growth group (成长企业组)")


class CompetitionTrack(models.TextChoices):
    ELECTRONICS = "electronics", _("Electronic information")
    BIOMEDICINE = "biomedicine", _("Biomedicine")
    MANUFACTURING = "manufacturing", _("Advanced manufacturing")
    MATERIALS = "materials", _("New materials")
    ENERGY = "energy", _("New energy, energy saving and environmental protection")
    INTERNET = "internet", _("Internet and mobile internet")


class CompetitionStage(models.TextChoices):
    COUNTY = "county", _("County preliminary")
    NB_QUALIFICATION = "nb_qualification", _("Ningbo division: qualification review")
    NB_PRELIMINARY = "nb_preliminary", _("Ningbo division: preliminary")
    NB_SEMIFINAL = "nb_semifinal", _("Ningbo division: semi-final")
    NB_FINAL = "nb_final", _("Ningbo division: final")
    ZJ_PRELIMINARY = "zj_preliminary", _("Zhejiang division: preliminary")
    ZJ_INDUSTRY_SEMIFINAL = "zj_industry_semifinal", _("Zhejiang division: industry semi-final")
    ZJ_INDUSTRY_FINAL = "zj_industry_final", _("Zhejiang division: industry final")
    ZJ_PROVINCIAL_FINAL = "zj_provincial_final", _("Zhejiang division: provincial final")
    NATIONAL_SEMIFINAL = "national_semifinal", _("National industry semi-final")
    NATIONAL_FINAL = "national_final", _("National industry final")
