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
- an emergency card says why (``card_emergency_has_reason``);
- a card on its way or at the kelurahan belongs to a dispatch, a card ready
  for pickup has a deadline, a collected card says who collected it and a
  revoked card when and why (``card_distribution_consistent``,
  ``card_collection_recorded``, ``card_revocation_recorded``).

Every step of a card is a ``CardEvent``, written in the same transaction as
the step: the card's timeline for staff and citizens.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
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
            models.CheckConstraint(condition=Q(budget_year__gte=2000, budget_year__lte=2100),
                name="lot_budget_year_sane"),
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
            models.CheckConstraint(condition=Q(reserved__lte=models.F("on_hand")),
                name="stock_reserved_within_on_hand"),
            models.CheckConstraint(condition=Q(consumed__gte=0, spoiled__gte=0, received__gte=0),
                name="stock_totals_not_negative"),
            models.CheckConstraint(condition=Q(emergency_reserve__gte=0), name="stock_emergency_reserve_not_negative"),
            models.CheckConstraint(
                condition=Q(
                    on_hand=models.F("received") + models.F("adjusted") - models.F("consumed") - models.F("spoiled")
                ),
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


class LedgerEntryKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    RESERVED = "reserved", _("Reserved for a batch")
    RELEASED = "released", _("Reservation released")
    CONSUMED = "consumed", _("Consumed by printed cards")
    SPOILED = "spoiled", _("Spoiled")
    ADJUSTMENT = "adjustment", _("Adjustment")


class LedgerEntry(models.Model):
    """One movement of blank cards. Never edited or deleted."""

    Kind = LedgerEntryKind

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # Positive, except adjustments, which may go either way.
    quantity = models.IntegerField(_("quantity"))
    lot = models.ForeignKey(Lot, verbose_name=_("lot"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="entries")
    batch = models.ForeignKey("Batch", verbose_name=_("batch"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="entries")
    card = models.ForeignKey("Card", verbose_name=_("card"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="entries")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+"
    )
    on_hand_after = models.IntegerField(_("on hand after"))
    reserved_after = models.IntegerField(_("reserved after"))

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("blanko ledger")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=LedgerEntryKind.values),
                name="ledger_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind="adjustment", quantity__lt=0) | Q(quantity__gt=0), name="ledger_quantity_sign",
            ),
            models.CheckConstraint(condition=~Q(kind="adjustment") | ~Q(reason=""),
                name="ledger_adjustment_has_reason"),
            models.CheckConstraint(condition=~Q(kind="spoiled") | ~Q(reason=""), name="ledger_spoilage_has_reason"),
            models.CheckConstraint(condition=~Q(kind="received") | Q(lot__isnull=False), name="ledger_receipt_has_lot"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.quantity}"


class ServiceModeChoices(models.TextChoices):
    NORMAL = "normal", _("Normal")
    REGISTRATION_ONLY = "registration_only", _("Registration only")


class ServiceMode(models.Model):
    """An operator's override of the automatic mode (one row, pk=1).

    ``forced`` empty: the mode follows the stock (``registration_only`` once
    nothing is available for regular cards). A new lot clears the override.
    """

    Mode = ServiceModeChoices

    forced = models.CharField(_("forced mode"), max_length=20, choices=Mode.choices, blank=True)
    message = models.CharField(_("public message"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+"
    )
    history = HistoricalRecords(verbose_name=_("service mode history"))

    class Meta:
        verbose_name = _("service mode")
        verbose_name_plural = _("service mode")
        constraints = [
            models.CheckConstraint(condition=Q(forced__in=["", *ServiceModeChoices.values]),
                name="servicemode_forced_valid"),
        ]

    def __str__(self) -> str:
        return self.forced or "automatic"


class BatchStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RENDERING = "rendering", _("Rendering")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Batch(models.Model):
    """N cards claimed together, rendered into one PDF by a worker."""

    Status = BatchStatus

    size = models.PositiveIntegerField(_("cards asked for"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    cards_count = models.PositiveIntegerField(_("cards"), default=0)
    rendered = models.PositiveIntegerField(_("cards rendered"), default=0)
    emergency_only = models.BooleanField(_("emergency cards only"), default=False)
    pdf = models.FileField(_("PDF"), storage=private_storage, upload_to=batch_pdf_path, max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+"
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The lease (cards.services.batches): the worker rendering the batch holds
    # ``claim`` and renews ``lease_until`` as it goes; a batch whose lease ran
    # out lost its worker, and the sweeper gives its cards back to the queue.
    # For a pending batch, the time by which a worker should have claimed it.
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        verbose_name = _("print batch")
        verbose_name_plural = _("print batches")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=BatchStatus.values), name="batch_status_valid"),
            models.CheckConstraint(condition=Q(size__gt=0, size__lte=10_000), name="batch_size_sane"),
            models.CheckConstraint(condition=Q(rendered__lte=models.F("cards_count")),
                name="batch_rendered_within_cards"),
            # A batch being rendered is held by one worker, for a limited time.
            models.CheckConstraint(
                condition=~Q(status=BatchStatus.RENDERING) | (Q(lease_until__isnull=False) & ~Q(claim="")),
                name="batch_rendering_leased",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.get_status_display()}, {self.cards_count})"

    @property
    def stuck(self) -> bool:
        """Its worker is gone: the lease ran out (the sweeper will act, or staff can)."""
        return (self.status in (self.Status.PENDING, self.Status.RENDERING) and self.lease_until is not None
                and self.lease_until < timezone.now())

    @property
    def progress(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.cards_count:
            return 0
        return min(99, self.rendered * 100 // self.cards_count)


class DispatchStatus(models.TextChoices):
    SENT = "sent", _("On its way")
    RECEIVED = "received", _("Received by the kelurahan")


class Dispatch(models.Model):
    """Printed cards sent together from the print office to one kelurahan, with a manifest."""

    Status = DispatchStatus

    kelurahan = models.ForeignKey(
        "registrations.Region", verbose_name=_("kelurahan"), on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"level": "kelurahan"},
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SENT)
    pickup_place = models.CharField(_("pickup place"), max_length=200)
    pickup_deadline = models.DateField(_("collect by"))
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("received by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+"
    )
    cards_count = models.PositiveIntegerField(_("cards sent"), default=0)
    missing_count = models.PositiveIntegerField(_("cards missing on arrival"), default=0)

    class Meta:
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches to kelurahan")
        ordering = ["-created_at", "-id"]
        permissions = [("receive_dispatch", _("Can confirm a dispatch arrived at the kelurahan"))]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=DispatchStatus.values), name="dispatch_status_valid"),
            models.CheckConstraint(
                condition=Q(status="sent", received_at__isnull=True, received_by__isnull=True)
                | Q(status="received", received_at__isnull=False, received_by__isnull=False),
                name="dispatch_receipt_recorded",
            ),
            models.CheckConstraint(condition=Q(missing_count__lte=models.F("cards_count")),
                name="dispatch_missing_within_sent"),
            models.CheckConstraint(condition=~Q(pickup_place=""), name="dispatch_has_pickup_place"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kelurahan.name}"


class Handover(models.Model):
    """Cards of one RW of a received dispatch, passed on to the RW's coordinator,
    where the residents collect them."""

    dispatch = models.ForeignKey(Dispatch, verbose_name=_("dispatch"), on_delete=models.PROTECT,
        related_name="handovers")
    rw = models.CharField(_("RW"), max_length=3)
    coordinator_name = models.CharField(_("RW coordinator"), max_length=150)
    coordinator_phone = models.CharField(_("coordinator's phone"), max_length=16, blank=True)
    pickup_place = models.CharField(_("pickup place"), max_length=200)
    created_at = models.DateTimeField(_("handed over at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handed over by"), null=True, on_delete=models.PROTECT,
        related_name="+"
    )

    class Meta:
        verbose_name = _("handover to an RW coordinator")
        verbose_name_plural = _("handovers to RW coordinators")
        ordering = ["dispatch", "rw"]
        constraints = [
            models.UniqueConstraint(fields=["dispatch", "rw"], name="handover_once_per_rw"),
            models.CheckConstraint(condition=Q(rw__regex=r"^[0-9]{3}$"), name="handover_rw_3_digits"),
            models.CheckConstraint(condition=~Q(coordinator_name=""), name="handover_has_coordinator"),
            models.CheckConstraint(condition=~Q(pickup_place=""), name="handover_has_pickup_place"),
        ]

    def __str__(self) -> str:
        return f"RW {self.rw} — {self.coordinator_name}"


class CardQuerySet(models.QuerySet):
    def live(self):
        """Cards that are, or will be, valid: neither cancelled nor revoked
        (a household has at most one, ``card_one_live_per_household``)."""
        return self.exclude(status__in=DEAD_STATUSES)


class CardStatus(models.TextChoices):
    QUEUED = "queued", _("Queued for printing")
    PRINTING = "printing", _("Printing")
    PRINTED = "printed", _("Printed")
    DISPATCHED = "dispatched", _("On its way to the kelurahan")
    READY = "ready_for_pickup", _("Ready for pickup")
    COLLECTED = "collected", _("Collected")
    CANCELLED = "cancelled", _("Cancelled")
    REVOKED = "revoked", _("Revoked")


# Statuses of a card after printing: it exists, with its batch and print time.
PRINTED_STATUSES = [CardStatus.PRINTED, CardStatus.DISPATCHED, CardStatus.READY, CardStatus.COLLECTED]
# A card that will never print again, or will never be valid again.
DEAD_STATUSES = [CardStatus.CANCELLED, CardStatus.REVOKED]


class CardCollector(models.TextChoices):
    HEAD = "head", _("Head of household")
    MEMBER = "member", _("A member of the household")
    PROXY = "proxy", _("Someone else on the household's behalf")


class CardPriority(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency")
    REGULAR = "regular", _("Regular")


class CardReason(models.TextChoices):
    RAWAT_INAP = "rawat_inap", _("Inpatient care (rawat inap)")
    GAWAT_DARURAT = "gawat_darurat", _("Emergency (gawat darurat)")
    SAKIT = "sakit", _("Sick (sakit)")


class CardKind(models.TextChoices):
    NEW = "new", _("New card")
    LOST = "lost", _("Reprint: lost")
    DAMAGED = "damaged", _("Reprint: damaged")
    DATA_CHANGED = "data_changed", _("Reprint: data changed")


class Card(models.Model):
    """A household's card, from print request to the citizen's hand.

    A queued card *is* the print request: its priority and reason decide its
    place in the queue. Reprints are new cards with a higher copy number;
    the card they replace is revoked.
    """

    Status = CardStatus

    Collector = CardCollector

    Priority = CardPriority

    Reason = CardReason

    Kind = CardKind

    household = models.ForeignKey(
        "registrations.Household", verbose_name=_("household"), on_delete=models.PROTECT, related_name="cards"
    )
    # City prefix + serial + check digit (cards.numbers), given when the card is queued.
    number = models.CharField(_("card number"), max_length=20, unique=True, null=True, blank=True)
    copy = models.PositiveSmallIntegerField(_("copy"), default=1)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.NEW)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.REGULAR)
    reason = models.CharField(_("emergency reason"), max_length=15, choices=Reason.choices, blank=True)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+"
    )
    raised_at = models.DateTimeField(_("raised to emergency at"), null=True, blank=True)
    batch = models.ForeignKey(Batch, verbose_name=_("batch"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="cards")
    printed_at = models.DateTimeField(_("printed at"), null=True, blank=True)
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    replaces = models.OneToOneField(
        "self", verbose_name=_("replaces card"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    # Distribution: the dispatch it travels in, the RW coordinator it was
    # passed to, and until when it waits to be collected.
    dispatch = models.ForeignKey(
        Dispatch, verbose_name=_("dispatch"), null=True, blank=True, on_delete=models.PROTECT, related_name="cards"
    )
    handover = models.ForeignKey(
        Handover, verbose_name=_("handed to RW coordinator"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="cards",
    )
    pickup_deadline = models.DateField(_("collect by"), null=True, blank=True)
    ready_at = models.DateTimeField(_("ready for pickup since"), null=True, blank=True)
    collected_at = models.DateTimeField(_("collected at"), null=True, blank=True)
    collected_by_kind = models.CharField(_("collected by"), max_length=6, choices=Collector.choices, blank=True)
    collected_name = models.CharField(_("name of the person who collected it"), max_length=150, blank=True)
    collected_id_number = models.CharField(_("collector's NIK"), max_length=16, blank=True)
    collection_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("collection recorded by"), null=True, blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=200, blank=True)

    history = HistoricalRecords(verbose_name=_("card history"))

    objects = CardQuerySet.as_manager()

    class Meta:
        verbose_name = _("card")
        verbose_name_plural = _("cards and print queue")
        ordering = ["priority", "requested_at", "id"]
        indexes = [
            models.Index(fields=["status", "priority", "requested_at", "id"], name="card_queue_order"),
            models.Index(fields=["status", "pickup_deadline"], name="card_pickup_deadline"),
            # Cards waiting at a kelurahan, by the dispatch that brought them
            # there (a dispatch goes to its households' kelurahan): the
            # kelurahan's home page counts them without reading the rest.
            models.Index(fields=["dispatch", "pickup_deadline"], name="card_ready_by_dispatch",
                         condition=Q(status="ready_for_pickup")),
            # The print office's list of every card, in queue order.
            models.Index(fields=["priority", "requested_at", "id"], name="card_priority_order"),
        ]
        permissions = [
            ("collect_card", _("Can record who collected a card")),
            ("manage_pickup", _("Can extend pickup deadlines and return cards to the print office")),
            ("reprint_card", _("Can revoke a card and request a reprint")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CardStatus.values),
                name="card_status_valid",
            ),
            models.CheckConstraint(condition=Q(collected_by_kind__in=["", *CardCollector.values]),
                name="card_collector_valid"),
            models.CheckConstraint(condition=Q(priority__in=CardPriority.values), name="card_priority_valid"),
            models.CheckConstraint(condition=Q(reason__in=["", *CardReason.values]), name="card_reason_valid"),
            models.CheckConstraint(
                condition=Q(kind__in=CardKind.values), name="card_kind_valid",
            ),
            models.CheckConstraint(condition=~Q(priority="emergency") | ~Q(reason=""),
                name="card_emergency_has_reason"),
            models.CheckConstraint(
                condition=(Q(status="queued", batch__isnull=True, printed_at__isnull=True)
                           | Q(status="printing", batch__isnull=False, printed_at__isnull=True)
                           | Q(status__in=PRINTED_STATUSES, batch__isnull=False, printed_at__isnull=False)
                           | Q(status__in=DEAD_STATUSES)),
                name="card_state_matches_batch",
            ),
            # Before the dispatch: no dispatch. On its way, at the kelurahan or
            # collected: its dispatch; waiting there: since when and until when.
            models.CheckConstraint(
                condition=(Q(status__in=[CardStatus.QUEUED, CardStatus.PRINTING, CardStatus.PRINTED],
                    dispatch__isnull=True, handover__isnull=True,
                             pickup_deadline__isnull=True, ready_at__isnull=True)
                           | Q(status="dispatched", dispatch__isnull=False, handover__isnull=True,
                               ready_at__isnull=True)
                           | Q(status__in=[CardStatus.READY, CardStatus.COLLECTED], dispatch__isnull=False,
                               pickup_deadline__isnull=False, ready_at__isnull=False)
                           | Q(status__in=DEAD_STATUSES)),
                name="card_distribution_consistent",
            ),
            # A revoked card keeps the record of its collection, if it had one.
            models.CheckConstraint(
                condition=(Q(status="collected",
                    collected_at__isnull=False) & ~Q(collected_by_kind="") & ~Q(collected_name=""))
                | (~Q(status__in=[CardStatus.COLLECTED, CardStatus.REVOKED]) & Q(collected_at__isnull=True,
                    collected_by_kind=""))
                | Q(status="revoked"),
                name="card_collection_recorded",
            ),
            models.CheckConstraint(
                condition=(Q(status="revoked", revoked_at__isnull=False) & ~Q(revoked_reason=""))
                | (~Q(status="revoked") & Q(revoked_at__isnull=True)),
                name="card_revocation_recorded",
            ),
            models.UniqueConstraint(
                fields=["household"], condition=~Q(status__in=DEAD_STATUSES), name="card_one_live_per_household",
                violation_error_message=_("This household already has a live card."),
            ),
            models.UniqueConstraint(fields=["household", "copy"], name="card_copy_once_per_household"),
        ]

    def __str__(self) -> str:
        return self.number or f"card {self.pk}"

    @property
    def pickup_place(self) -> str:
        """Where it waits: the RW coordinator's place, else the dispatch's."""
        if self.status not in (self.Status.READY, self.Status.DISPATCHED):
            return ""
        if self.handover_id:
            return self.handover.pickup_place
        return self.dispatch.pickup_place if self.dispatch_id else ""


class PickupCard(Card):
    """Cards as a kelurahan works with them: arriving, waiting, collected."""

    class Meta:
        proxy = True
        verbose_name = _("card at the kelurahan")
        verbose_name_plural = _("cards at the kelurahan (pickup)")


class CardEventKind(models.TextChoices):
    QUEUED = "queued", _("Queued for printing")
    RAISED = "raised", _("Raised to emergency priority")
    PRINTING = "printing", _("In a print batch")
    RELEASED = "released", _("Back in the queue (batch failed)")
    PRINTED = "printed", _("Printed")
    MISPRINTED = "misprinted", _("Misprinted; back in the queue")
    CANCELLED = "cancelled", _("Taken off the queue")
    DISPATCHED = "dispatched", _("Sent to the kelurahan")
    MISSING = "missing", _("Missing from the dispatch")
    READY = "ready", _("Ready for pickup")
    HANDED_OVER = "handed_over", _("Passed to the RW coordinator")
    DEADLINE_EXTENDED = "extended", _("Pickup deadline extended")
    RETURNED = "returned", _("Returned to the print office")
    COLLECTED = "collected", _("Collected")
    REVOKED = "revoked", _("Revoked")
    NOTIFIED = "notified", _("Household notified")


class CardEvent(models.Model):
    """One step in a card's life: the timeline staff and citizens see. Never edited."""

    Kind = CardEventKind

    card = models.ForeignKey(Card, verbose_name=_("card"), on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("at"), default=timezone.now)
    kind = models.CharField(_("what"), max_length=12, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("card event")
        verbose_name_plural = _("card timeline")
        ordering = ["card", "at", "id"]
        indexes = [models.Index(fields=["card", "at"], name="cardevent_card_at")]

    def __str__(self) -> str:
        return f"{self.card} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class DispatchItem(models.Model):
    """A card as it travelled in a dispatch (and to which RW coordinator): the
    record behind the signed manifests, kept when the card later moves on
    (returned, sent again, revoked)."""

    dispatch = models.ForeignKey(Dispatch, verbose_name=_("dispatch"), on_delete=models.PROTECT, related_name="items")
    card = models.ForeignKey("Card", verbose_name=_("card"), on_delete=models.PROTECT, related_name="dispatch_items")
    handover = models.ForeignKey(
        Handover, verbose_name=_("handed to RW coordinator"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="items",
    )

    class Meta:
        verbose_name = _("card in a dispatch")
        verbose_name_plural = _("cards in dispatches")
        ordering = ["dispatch", "card"]
        constraints = [models.UniqueConstraint(fields=["dispatch", "card"], name="dispatchitem_card_once_per_dispatch")]

    def __str__(self) -> str:
        return f"{self.dispatch} {self.card}"


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent (no address for this channel, or the card moved on)")


class Notification(models.Model):
    """A message to a household (its card is ready, or moved to an RW
    coordinator): an outbox row written in the same transaction as the step
    that calls for it, then sent by a worker, retried if it failed."""

    Status = NotificationStatus

    card = models.ForeignKey(Card, verbose_name=_("card"), on_delete=models.PROTECT, related_name="notifications")
    # Which message: the card's dispatch and RW coordinator at the time. The
    # same message is one row, however often it is asked for.
    kind = models.CharField(_("message"), max_length=40)
    backend = models.CharField(pgettext_lazy("notification", "channel"), max_length=100, blank=True)
    recipient = models.CharField(_("to (masked)"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    at = models.DateTimeField(_("queued at"), default=timezone.now)
    tried_at = models.DateTimeField(_("last tried at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications to households")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["card", "kind"], name="notification_once_per_message"),
            models.CheckConstraint(
                condition=Q(status__in=NotificationStatus.values), name="notification_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | (~Q(status="sent") & Q(sent_at__isnull=True)),
                name="notification_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.card} {self.kind} {self.status}"
