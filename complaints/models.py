"""Citizen complaints (aduan): one row per complaint, handled by the complaint desk.

A complaint is a record: it is never deleted, and every change of its status
or staff note is kept by django-simple-history with the staff member who made
it. The rules below are database constraints, so no code path (admin, API, a
shell) can store a complaint the portal would refuse.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kartusehat.codes import normalize_code, random_code
from kartusehat.identity import DIGITS16
from kartusehat.text import PHONE_E164

TICKET_PREFIX = "ADU"
TICKET = r"^ADU-[0-9A-Z]{4}-[0-9A-Z]{4}$"


def new_ticket() -> str:
    """``ADU-7M3Q-9XKD``: 40 random bits, Crockford base32 (no I, L, O, U)."""
    return random_code(TICKET_PREFIX, 8)


def normalize_ticket(raw: object) -> str:
    """Accept a ticket as people type it: any case, spaces, O for 0; "" if it is not one."""
    return normalize_code(raw, TICKET_PREFIX, 8)


class ComplaintCategory(models.TextChoices):
    KARTU_BELUM_JADI = "kartu_belum_jadi", _("My card is not ready yet")
    DATA_SALAH = "data_salah", _("Wrong data on my card or registration")
    PENDAFTARAN = "pendaftaran", _("Registration")
    LAYANAN_RUMAH_SAKIT = "layanan_rumah_sakit", _("Service at a hospital or puskesmas")
    LAINNYA = "lainnya", _("Something else")


class ComplaintStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")


class Complaint(models.Model):
    """A complaint sent by a citizen through the API or the web form."""

    Category = ComplaintCategory

    Status = ComplaintStatus

    ticket = models.CharField(_("ticket"), max_length=13, default=new_ticket, editable=False)
    name = models.CharField(_("name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=16)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    message = models.TextField(_("message"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)

    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handled by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    staff_note = models.TextField(
        _("staff note"), blank=True,
        help_text=_("What was done or answered. Staff only; the citizen is contacted by phone or WhatsApp."),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    history = HistoricalRecords(verbose_name=_("complaint history"))

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["ticket"], name="complaint_ticket_unique"),
            models.CheckConstraint(condition=Q(ticket__regex=TICKET), name="complaint_ticket_format"),
            models.CheckConstraint(condition=Q(category__in=ComplaintCategory.values), name="complaint_category_valid"),
            models.CheckConstraint(condition=Q(status__in=ComplaintStatus.values), name="complaint_status_valid"),
            models.CheckConstraint(condition=Q(nik="") | Q(nik__regex=DIGITS16), name="complaint_nik_16_digits"),
            models.CheckConstraint(condition=Q(phone__regex=PHONE_E164), name="complaint_phone_e164"),
            models.CheckConstraint(condition=~Q(name=""), name="complaint_name_present"),
            # Resolved exactly when it has a resolution time: reopening clears it.
            models.CheckConstraint(
                condition=Q(status="resolved", resolved_at__isnull=False)
                | (~Q(status="resolved") & Q(resolved_at__isnull=True)),
                name="complaint_resolved_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.ticket
