"""Cards on the admin home page: the kelurahan's cards waiting for their
households and dispatches to confirm (kelurahan staff, over their area), and
the print office's queue, blanko and forecast (city-wide, as its lists)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kartusehat import areas
from kartusehat.home import Figure, Section, Table, changelist, date_param, local_day_start, section

from . import selectors
from .models import Batch, Card, Dispatch, LedgerEntry

# A dispatch nobody confirmed a week after it was sent: its cards are unaccounted for.
DISPATCH_CONFIRM_DAYS = 7


def kelurahan_card_counts(user, *, today: dt.date | None = None) -> dict:
    """``{"ready", "overdue", "unconfirmed", "unconfirmed_late"}`` in the user's
    area: two queries. A card waiting for pickup came in a dispatch to its
    household's kelurahan (``dispatch_create`` sends a kelurahan's own cards,
    and a household never changes kelurahan), so the cards are found by the
    area's dispatches through ``card_ready_by_dispatch``, not by joining a
    city of households. ``count(*)``, so the index alone answers."""
    today = today or timezone.localdate()
    cards = Card.objects.filter(status=Card.Status.READY)
    region = areas.staff_region(user)
    if not (areas.sees_everything(user) or (region is not None and region.code == settings.CITY_REGION_CODE)):
        # Every card is a household's of the city: for the whole city, the
        # dispatches need not be read at all (``card_pickup_deadline`` alone).
        cards = areas.scope(cards, user, "dispatch__kelurahan")
    cards = cards.aggregate(ready=Count("*"), overdue=Count("pickup_deadline", filter=Q(pickup_deadline__lt=today)))
    week_ago = timezone.now() - dt.timedelta(days=DISPATCH_CONFIRM_DAYS)
    dispatches = areas.scope(Dispatch.objects.filter(status=Dispatch.Status.SENT), user).aggregate(
        unconfirmed=Count("pk"), unconfirmed_late=Count("pk", filter=Q(created_at__lt=week_ago)))
    return {**cards, **dispatches}


@section(order=20)
def kelurahan_cards_section(request):
    user = request.user
    if not user.has_perm("cards.collect_card"):
        return None
    counts = kelurahan_card_counts(user)
    figures = [
        Figure(_("Cards ready for pickup"), counts["ready"],
               changelist("cards.PickupCard", status__exact=Card.Status.READY), key="ready"),
        Figure(_("Past their pickup deadline"), counts["overdue"], changelist("cards.PickupCard", overdue="1"),
               key="overdue"),
    ]
    if user.has_perm("cards.receive_dispatch"):
        late = counts["unconfirmed_late"]
        figures.append(Figure(
            _("Dispatches not yet confirmed"), counts["unconfirmed"],
            changelist("cards.Dispatch", status__exact=Dispatch.Status.SENT),
            _("%(count)d sent more than a week ago") % {"count": late} if late else "", key="dispatches"))
    return Section("kelurahan-cards", _("Cards in your area"), figures)


def print_office_counts(*, today: dt.date | None = None) -> dict:
    """The print office's figures: queue by priority, stock, forecast, batches
    started today by status, spoilage this month. Six queries whatever the size
    of the city. (The next budget year's need, ``blanko_budget_need``, counts
    the households ever given a card: a figure for the dashboards, not for a
    page opened every morning.)"""
    today = today or timezone.localdate()
    mode, _service, stock = selectors.current_mode()
    queue = Card.objects.filter(status=Card.Status.QUEUED).aggregate(
        emergency=Count("pk", filter=Q(priority=Card.Priority.EMERGENCY)),
        regular=Count("pk", filter=Q(priority=Card.Priority.REGULAR)))
    day_start, day_end = local_day_start(today), local_day_start(today + dt.timedelta(days=1))
    batches = dict(Batch.objects.filter(created_at__gte=day_start, created_at__lt=day_end)
                   .values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    month_start = local_day_start(today.replace(day=1))
    next_month = local_day_start((today.replace(day=1) + dt.timedelta(days=32)).replace(day=1))
    spoiled = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.SPOILED, at__gte=month_start,
                                         at__lt=next_month).aggregate(n=Sum("quantity"))["n"] or 0
    return {
        "mode": mode, "stock": stock, "queue": queue, "batches_today": batches, "spoiled_this_month": spoiled,
        "forecast": selectors.blanko_forecast(stock=stock, today=today),
        "day": (day_start, day_end), "month": (month_start, next_month),
    }


def _date(day) -> str:
    return date_format(day, "DATE_FORMAT") if day else _("not at the current rate (nothing used)")


@section(order=30)
def print_office_section(request):
    if not request.user.has_perm("cards.add_batch"):
        return None
    counts = print_office_counts()
    stock, forecast = counts["stock"], counts["forecast"]
    queued = {"status__exact": Card.Status.QUEUED}
    day_start, day_end = counts["day"]
    month_start, next_month = counts["month"]
    figures = [
        Figure(_("Queue: emergency cards"), counts["queue"]["emergency"],
               changelist("cards.Card", **queued, priority__exact=Card.Priority.EMERGENCY), key="queue-emergency"),
        Figure(_("Queue: regular cards"), counts["queue"]["regular"],
               changelist("cards.Card", **queued, priority__exact=Card.Priority.REGULAR), key="queue-regular"),
        Figure(_("Blanko on hand"), stock.on_hand, changelist("cards.Stock"), key="on-hand"),
        Figure(_("Reserved (batches + emergency reserve)"), stock.reserved + stock.emergency_reserve,
               changelist("cards.Stock"),
               _("%(batches)d for running batches, %(reserve)d emergency reserve")
               % {"batches": stock.reserved, "reserve": stock.emergency_reserve}, key="reserved"),
        Figure(_("Available for regular cards"), stock.available_for_regular, changelist("cards.Stock"),
               key="available"),
        Figure(_("Blanko used per week"), forecast["consumption_per_week"],
               changelist("cards.LedgerEntry", kind__exact=LedgerEntry.Kind.CONSUMED),
               _("average of the last 4 full weeks"), key="consumption"),
        Figure(_("Regular printing stops on"), _date(forecast["regular_runs_out_on"]), key="regular-runs-out"),
        Figure(_("Emergency reserve runs out on"), _date(forecast["emergency_reserve_runs_out_on"]),
               key="reserve-runs-out"),
        Figure(_("Spoiled this month"), counts["spoiled_this_month"],
               changelist("cards.LedgerEntry", kind__exact=LedgerEntry.Kind.SPOILED,
                          at__gte=date_param(month_start), at__lt=date_param(next_month)), key="spoiled-month"),
    ]
    today = {"created_at__gte": date_param(day_start), "created_at__lt": date_param(day_end)}
    batches = Table(_("Print batches started today"), [_("status"), _("batches")], [
        [(label, ""), (counts["batches_today"].get(status, 0),
                       changelist("cards.Batch", status__exact=status, **today))]
        for status, label in Batch.Status.choices
    ], key="batches-today")
    return Section("print-office", _("Print office"), figures, [batches])
