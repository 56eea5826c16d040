"""The programme's figures, rolled up per kelurahan by a beat task.

Counting the roster at city size (730,000 households, 2.6 million members,
600,000 cards) takes seconds; the contract allows figures 5 minutes old. So
``figures.services.figures_recompute`` counts each source table once, grouped
by kelurahan, and replaces these rows in one transaction; the endpoints read
a few dozen rows (``figures.selectors``). A kecamatan's and the city's figures
are the sums of their kelurahan's.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kartusehat.storage import private_storage, random_name


class FiguresRun(models.Model):
    """The one row saying when the figures were last computed (the API's ``as_of``).

    Its row lock also keeps two recomputes from writing at once."""

    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    took_ms = models.PositiveIntegerField(_("took (ms)"), default=0)

    class Meta:
        verbose_name = _("figures run")
        verbose_name_plural = _("figures runs")
        default_permissions = ()
        permissions = [
            # Aggregates only (counts per area), never a person: the figures API.
            ("view_figures", _("Can read the programme's figures of their area")),
        ]


class KelurahanFigures(models.Model):
    """One kelurahan's counts at ``FiguresRun.computed_at``."""

    kelurahan = models.OneToOneField("registrations.Region", on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("kelurahan"))
    households_verified = models.PositiveIntegerField(default=0)
    households_pending = models.PositiveIntegerField(default=0)
    people_covered = models.PositiveIntegerField(default=0)
    cards_queued = models.PositiveIntegerField(default=0)
    cards_printed = models.PositiveIntegerField(default=0)
    cards_dispatched = models.PositiveIntegerField(default=0)
    cards_ready_for_pickup = models.PositiveIntegerField(default=0)
    cards_collected = models.PositiveIntegerField(default=0)
    cards_revoked = models.PositiveIntegerField(default=0)
    emergency_queued = models.PositiveIntegerField(default=0)
    overdue_pickup = models.PositiveIntegerField(default=0)
    # Cards collected (revoked since or not) on or before their pickup deadline's
    # day, city time, and after it: the kelurahan's service to its households.
    collected_on_time = models.PositiveIntegerField(default=0)
    collected_late = models.PositiveIntegerField(default=0)

    class Meta:
        default_permissions = ()


class WeeklyPrinted(models.Model):
    """Cards of one kelurahan printed in one ISO week (``week`` is its Monday, city time)."""

    kelurahan = models.ForeignKey("registrations.Region", on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    cards = models.PositiveIntegerField(default=0)

    class Meta:
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["kelurahan", "week"], name="weekly_printed_once")]


def monthly_report_path(instance, filename: str) -> str:
    return random_name("monthly-reports", ".pdf")


class MonthlyReport(models.Model):
    """The mayor's monthly report of one calendar month: a PDF in private storage (no URL).

    Made on the 1st by beat for the month before, or on demand; made again for
    the same month, it replaces the row's file. Counts only, never a person."""

    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month reported."))
    pdf = models.FileField(_("PDF"), storage=private_storage, upload_to=monthly_report_path, max_length=200)
    created_at = models.DateTimeField(_("made at"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("made by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    emailed_to = models.TextField(_("emailed to"), blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-month"]
        default_permissions = ("view", "add")
        # Reading the list is not taking the file (the auditor reads, takes no file).
        permissions = [("download_monthlyreport", _("Can download the monthly report's PDF"))]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class WeeklyRegistrations(models.Model):
    """One kelurahan's registrations of one channel in one ISO week (``week`` is its
    Monday, city time): submitted that week, and verified or rejected that week."""

    kelurahan = models.ForeignKey("registrations.Region", on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    channel = models.CharField(max_length=10)
    submitted = models.PositiveIntegerField(default=0)
    verified = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)

    class Meta:
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["kelurahan", "week", "channel"],
                                               name="weekly_registrations_once")]


class RejectionReasonCount(models.Model):
    """How often one kelurahan gave one rejection reason in the last 12 weeks: the
    free text as written (trimmed, identity numbers masked, cut at 80 characters)."""

    kelurahan = models.ForeignKey("registrations.Region", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=80)
    rejected = models.PositiveIntegerField(default=0)

    class Meta:
        default_permissions = ()


class DecisionTime(models.Model):
    """Time from submission to decision of one kelurahan's registrations decided in
    the last 12 weeks: how many, the median and the 90th percentile (hours)."""

    kelurahan = models.OneToOneField("registrations.Region", on_delete=models.CASCADE, related_name="+")
    decided = models.PositiveIntegerField(default=0)
    median_hours = models.FloatField()
    p90_hours = models.FloatField()

    class Meta:
        default_permissions = ()


class FacilityDay(models.Model):
    """One facility's coverage checks (covered, not covered) and emergency card
    requests on one day (city time), for the last 14 days."""

    facility = models.ForeignKey("hospitals.Facility", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    covered = models.PositiveIntegerField(default=0)
    not_covered = models.PositiveIntegerField(default=0)
    emergency_requests = models.PositiveIntegerField(default=0)

    class Meta:
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["facility", "day"], name="facility_day_once")]


class NotCoveredReason(models.Model):
    """How many coverage checks of the last 14 days answered "not covered" for one reason
    (the check's ``result``, the reason code of the answer)."""

    reason = models.CharField(max_length=30, unique=True)
    checks = models.PositiveIntegerField(default=0)

    class Meta:
        default_permissions = ()
