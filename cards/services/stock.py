"""Blanko stock and the service mode.

Every change to the stock counters locks the single ``Stock`` row and writes
its ``LedgerEntry`` in the same transaction (Zulip style): the ledger always
explains the counters, and two workers can never both take the last blanks.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kartusehat.refusals import Invalid, require_perm
from kartusehat.text import single_spaced

from ..models import LedgerEntry, Lot, ServiceMode, Stock
from .common import is_count, lock_stock, write_ledger


def stock_receive(*, budget_year: int, quantity: int, received_on: dt.date, reference: str, by) -> Lot:
    """A delivered lot: stock goes up, and regular printing may resume."""
    require_perm(by, "cards.add_lot")
    reference = single_spaced(reference)
    errors = {}
    if not is_count(quantity) or quantity <= 0:
        errors["quantity"] = [_("Enter the number of blank cards received (more than 0).")]
    if not isinstance(budget_year, int) or not 2000 <= budget_year <= 2100:
        errors["budget_year"] = [_("Enter the budget year, e.g. 2026.")]
    if not reference:
        errors["reference"] = [_("Enter the contract or delivery-note reference.")]
    elif Lot.objects.filter(reference=reference).exists():
        errors["reference"] = [_("A lot with this reference has already been recorded.")]
    if received_on is None or received_on > timezone.localdate():
        errors["received_on"] = [_("Enter the date the lot arrived (not in the future).")]
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        stock = lock_stock()
        # Checked again under the stock lock: two clerks recording the same
        # delivery at once get the same clear answer, not a crash.
        if Lot.objects.filter(reference=reference).exists():
            raise Invalid({"reference": [_("A lot with this reference has already been recorded.")]})
        lot = Lot.objects.create(
            budget_year=budget_year, quantity=quantity, received_on=received_on, reference=reference, received_by=by
        )
        stock.on_hand += quantity
        stock.received += quantity
        write_ledger(stock, LedgerEntry.Kind.RECEIVED, quantity, lot=lot, by=by)
        # A new lot ends a stop the operator forced for lack of stock; the
        # automatic mode then follows the new stock.
        ServiceMode.objects.filter(pk=1).exclude(forced="").update(
            forced="", message="", updated_at=timezone.now(), updated_by=by
        )
    return lot


def stock_adjust(*, quantity: int, reason: str, by) -> LedgerEntry:
    """A count that differs from the books (stocktake): up or down, with a reason."""
    require_perm(by, "cards.add_ledgerentry")
    reason = single_spaced(reason)
    if not is_count(quantity) or quantity == 0:
        raise Invalid({"quantity": [_("Enter how many cards to add (positive) or remove (negative).")]})
    if len(reason) < 5:
        raise Invalid({"reason": [_("Give the reason for the adjustment.")]})
    with transaction.atomic():
        stock = lock_stock()
        if stock.on_hand + quantity < stock.reserved:
            raise Invalid({"quantity": [
                _("Only %(free)d blank cards are not reserved for batches; the stock cannot go below that.")
                % {"free": stock.on_hand - stock.reserved}
            ]})
        stock.on_hand += quantity
        stock.adjusted += quantity
        return write_ledger(stock, LedgerEntry.Kind.ADJUSTMENT, quantity, reason=reason, by=by)


def stock_spoil_blanks(*, quantity: int, reason: str, by) -> LedgerEntry:
    """Blank cards damaged before printing: they leave the stock as spoiled."""
    require_perm(by, "cards.add_ledgerentry")
    reason = single_spaced(reason)
    if not is_count(quantity) or quantity <= 0:
        raise Invalid({"quantity": [_("Enter the number of spoiled blank cards (more than 0).")]})
    if len(reason) < 5:
        raise Invalid({"reason": [_("Say what happened to the blank cards.")]})
    with transaction.atomic():
        stock = lock_stock()
        if quantity > stock.on_hand - stock.reserved:
            raise Invalid({"quantity": [
                _("Only %(free)d blank cards are not reserved for batches.") % {"free": stock.on_hand - stock.reserved}
            ]})
        stock.on_hand -= quantity
        stock.spoiled += quantity
        return write_ledger(stock, LedgerEntry.Kind.SPOILED, quantity, reason=reason, by=by)


def stock_set_emergency_reserve(*, count: int, by) -> Stock:
    require_perm(by, "cards.change_stock")
    if not is_count(count) or count < 0:
        raise Invalid({"emergency_reserve": [_("Enter a number of cards, 0 or more.")]})
    with transaction.atomic():
        stock = lock_stock()
        stock.emergency_reserve = count
        stock.save(update_fields=["emergency_reserve"])
    return stock


def mode_force(*, mode: str, message: str, by) -> ServiceMode:
    """Force ``normal`` or ``registration_only`` with a public message; ``""`` returns to automatic."""
    require_perm(by, "cards.change_servicemode")
    message = single_spaced(message)
    if mode not in ("", *ServiceMode.Mode.values):
        raise Invalid({"mode": [_("Choose normal, registration only, or automatic.")]})
    if mode and len(message) < 10:
        raise Invalid({"message": [_("Write the message the public will read (at least 10 characters).")]})
    with transaction.atomic():
        service = ServiceMode.objects.select_for_update().get(pk=1)
        service.forced, service.message = mode, message if mode else ""
        service.updated_at, service.updated_by = timezone.now(), by
        service._history_user = by
        service.save()
    return service
