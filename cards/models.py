"""Blanko stock, service mode, the print queue and print batches.

The rules the print office depends on are held by the database:

- stock counters never go below zero and never reserve more than is on hand
  (``stock_on_hand_not_negative``, ``stock_reserved_within_on_hand``); every
  change to them is made under a row lock on the single ``Stock`` row, in the
  same transaction as its ``LedgerEntry``, so the ledger always explains the
  counters (received + adjustments = on hand + consumed + spoiled);
- a household never has two live cards (``card_one_live_per_household``);
- a card in a batch is ``printing``, a queued card is in no batch, a printed
  card has its batch and print time (``card_state_matches_batch``);
- an emergency card says why (``card_emergency_has_reason``).
"""

from __future__ import annotations


from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kartusehat.storage import private_storage, random_name


def _extension(filename: str) -> str:
    return filename[filename.rfind("."):] if "." in filename else ""


def batch_pdf_path(instance, filename: str) -> str:
    return random_name("batches", _extension(filename))


def letter_path(instance, filename: str) -> str:
    # Only migration 0001 refers to this: letters now live with hospitals'
    # emergency requests (hospitals.EmergencyRequest).
    return random_name("letters", _extension(filename))


class Lot(models.Model):
    """A procurement lot of blank cards (blanko) as delivered."""

    budget_year = models.PositiveSmallIntegerField(_("budget year"))
    quantity = models.PositiveIntegerField(_("quantity"))
    received_on = models.DateField(_("received on"))
    reference = models.CharField(_("reference (contract or delivery note)"), max_length=100, unique=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("blanko lot")
        verbose_name_plural = _("blanko lots")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="lot_quantity_positive"),
            models.CheckConstraint(condition=Q(budget_year__gte=2000, budget_year__lte=2100), name="lot_budget_year_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.budget_year}, {self.quantity})"


class Stock(models.Model):
    """The blanko counters: one row (pk=1), changed only by ``cards.services``
    under ``select_for_update`` together with a ledger entry."""

    on_hand = models.IntegerField(_("on hand"), default=0)
    reserved = models.IntegerField(_("reserved for batches"), default=0)
    consumed = models.IntegerField(_("consumed by printed cards"), default=0)
    spoiled = models.IntegerField(_("spoiled"), default=0)
    received = models.IntegerField(_("received"), default=0)
    adjusted = models.IntegerField(_("adjustments (net)"), default=0)
    # Held back for emergency cards while regular printing is possible.
    emergency_reserve = models.IntegerField(_("emergency reserve"), default=0)

    class Meta:
        verbose_name = _("blanko stock")
        verbose_name_plural = _("blanko stock")
        constraints = [
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="stock_on_hand_not_negative"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="stock_reserved_not_negative"),
            models.CheckConstraint(condition=Q(reserved__lte=models.F("on_hand")), name="stock_reserved_within_on_hand"),
            models.CheckConstraint(condition=Q(consumed__gte=0, spoiled__gte=0, received__gte=0), name="stock_totals_not_negative"),
            models.CheckConstraint(condition=Q(emergency_reserve__gte=0), name="stock_emergency_reserve_not_negative"),
            models.CheckConstraint(
                condition=Q(on_hand=models.F("received") + models.F("adjusted") - models.F("consumed") - models.F("spoiled")),
                name="stock_balances",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.on_hand} on hand, {self.reserved} reserved"

    @property
    def available_for_regular(self) -> int:
        return max(0, self.on_hand - self.reserved - self.emergency_reserve)

    @property
    def available_for_emergency(self) -> int:
        return max(0, self.on_hand - self.reserved)


class LedgerEntry(models.Model):
    """One movement of blank cards. Never edited or deleted."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        RESERVED = "reserved", _("Reserved for a batch")
        RELEASED = "released", _("Reservation released")
        CONSUMED = "consumed", _("Consumed by printed cards")
        SPOILED = "spoiled", _("Spoiled")
        ADJUSTMENT = "adjustment", _("Adjustment")

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # Positive, except adjustments, which may go either way.
    quantity = models.IntegerField(_("quantity"))
    lot = models.ForeignKey(Lot, verbose_name=_("lot"), null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    batch = models.ForeignKey("Batch", verbose_name=_("batch"), null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    card = models.ForeignKey("Card", verbose_name=_("card"), null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_hand_after = models.IntegerField(_("on hand after"))
    reserved_after = models.IntegerField(_("reserved after"))

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("blanko ledger")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["received", "reserved", "released", "consumed", "spoiled", "adjustment"]),
                name="ledger_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind="adjustment", quantity__lt=0) | Q(quantity__gt=0), name="ledger_quantity_sign",
            ),
            models.CheckConstraint(condition=~Q(kind="adjustment") | ~Q(reason=""), name="ledger_adjustment_has_reason"),
            models.CheckConstraint(condition=~Q(kind="spoiled") | ~Q(reason=""), name="ledger_spoilage_has_reason"),
            models.CheckConstraint(condition=~Q(kind="received") | Q(lot__isnull=False), name="ledger_receipt_has_lot"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.quantity}"


class ServiceMode(models.Model):
    """An operator's override of the automatic mode (one row, pk=1).

    ``forced`` empty: the mode follows the stock (``registration_only`` once
    nothing is available for regular cards). A new lot clears the override.
    """

    class Mode(models.TextChoices):
        NORMAL = "normal", _("Normal")
        REGISTRATION_ONLY = "registration_only", _("Registration only")

    forced = models.CharField(_("forced mode"), max_length=20, choices=Mode.choices, blank=True)
    message = models.CharField(_("public message"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(verbose_name=_("service mode history"))

    class Meta:
        verbose_name = _("service mode")
        verbose_name_plural = _("service mode")
        constraints = [
            models.CheckConstraint(condition=Q(forced__in=["", "normal", "registration_only"]), name="servicemode_forced_valid"),
        ]

    def __str__(self) -> str:
        return self.forced or "automatic"


class Batch(models.Model):
    """N cards claimed together, rendered into one PDF by a worker."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RENDERING = "rendering", _("Rendering")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    size = models.PositiveIntegerField(_("cards asked for"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    cards_count = models.PositiveIntegerField(_("cards"), default=0)
    rendered = models.PositiveIntegerField(_("cards rendered"), default=0)
    emergency_only = models.BooleanField(_("emergency cards only"), default=False)
    pdf = models.FileField(_("PDF"), storage=private_storage, upload_to=batch_pdf_path, max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("print batch")
        verbose_name_plural = _("print batches")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["pending", "rendering", "done", "failed"]), name="batch_status_valid"),
            models.CheckConstraint(condition=Q(size__gt=0, size__lte=10_000), name="batch_size_sane"),
            models.CheckConstraint(condition=Q(rendered__lte=models.F("cards_count")), name="batch_rendered_within_cards"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.get_status_display()}, {self.cards_count})"

    @property
    def progress(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.cards_count:
            return 0
        return min(99, self.rendered * 100 // self.cards_count)


class Card(models.Model):
    """A household's card, from print request to the printed card.

    A queued card *is* the print request: its priority and reason decide its
    place in the queue. Reprints are new cards with a higher copy number.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued for printing")
        PRINTING = "printing", _("Printing")
        PRINTED = "printed", _("Printed")
        CANCELLED = "cancelled", _("Cancelled")
        REVOKED = "revoked", _("Revoked")

    class Priority(models.TextChoices):
        EMERGENCY = "emergency", _("Emergency")
        REGULAR = "regular", _("Regular")

    class Reason(models.TextChoices):
        RAWAT_INAP = "rawat_inap", _("Inpatient care (rawat inap)")
        GAWAT_DARURAT = "gawat_darurat", _("Emergency (gawat darurat)")
        SAKIT = "sakit", _("Sick (sakit)")

    class Kind(models.TextChoices):
        NEW = "new", _("New card")
        LOST = "lost", _("Reprint: lost")
        DAMAGED = "damaged", _("Reprint: damaged")
        DATA_CHANGED = "data_changed", _("Reprint: data changed")

    household = models.ForeignKey(
        "registrations.Household", verbose_name=_("household"), on_delete=models.PROTECT, related_name="cards"
    )
    # City prefix + serial + check digit (cards.numbers), given when the card is queued.
    number = models.CharField(_("card number"), max_length=20, unique=True, null=True, blank=True)
    copy = models.PositiveSmallIntegerField(_("copy"), default=1)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.NEW)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.REGULAR)
    reason = models.CharField(_("emergency reason"), max_length=15, choices=Reason.choices, blank=True)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised to emergency at"), null=True, blank=True)
    batch = models.ForeignKey(Batch, verbose_name=_("batch"), null=True, blank=True, on_delete=models.PROTECT, related_name="cards")
    printed_at = models.DateTimeField(_("printed at"), null=True, blank=True)
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)

    history = HistoricalRecords(verbose_name=_("card history"))

    class Meta:
        verbose_name = _("card")
        verbose_name_plural = _("cards and print queue")
        ordering = ["priority", "requested_at", "id"]
        indexes = [models.Index(fields=["status", "priority", "requested_at", "id"], name="card_queue_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "printing", "printed", "cancelled", "revoked"]), name="card_status_valid",
            ),
            models.CheckConstraint(condition=Q(priority__in=["emergency", "regular"]), name="card_priority_valid"),
            models.CheckConstraint(condition=Q(reason__in=["", "rawat_inap", "gawat_darurat", "sakit"]), name="card_reason_valid"),
            models.CheckConstraint(
                condition=Q(kind__in=["new", "lost", "damaged", "data_changed"]), name="card_kind_valid",
            ),
            models.CheckConstraint(condition=~Q(priority="emergency") | ~Q(reason=""), name="card_emergency_has_reason"),
            models.CheckConstraint(
                condition=(Q(status="queued", batch__isnull=True, printed_at__isnull=True)
                           | Q(status="printing", batch__isnull=False, printed_at__isnull=True)
                           | Q(status="printed", batch__isnull=False, printed_at__isnull=False)
                           | Q(status__in=["cancelled", "revoked"])),
                name="card_state_matches_batch",
            ),
            models.UniqueConstraint(
                fields=["household"], condition=~Q(status__in=["cancelled", "revoked"]), name="card_one_live_per_household",
                violation_error_message=_("This household already has a live card."),
            ),
            models.UniqueConstraint(fields=["household", "copy"], name="card_copy_once_per_household"),
        ]

    def __str__(self) -> str:
        return self.number or f"card {self.pk}"
