"""This app's part of ``manage.py load_demo``: the print office's operator,
blanko stock, and cards along the whole way (printed, sent to Kranji and
Margajaya, received in Kranji, one collected there)."""

from __future__ import annotations

from django.utils import timezone

from kartusehat import demo
from kartusehat.refusals import Conflict

from . import services
from .models import Batch, Card, Dispatch, Lot
from .roles import PRINT_OFFICE
from .tasks import batch_render


@demo.loader(order=20)
def load(context: demo.DemoContext) -> None:
    context.staff_user(
        "cetak.disdukcapil", area_code="{city}", name="Operator Cetak Disdukcapil", group=PRINT_OFFICE,
        purpose="print office: blanko stock, print queue, batches",
    )
    admin = context.admin
    # Only with demo households: a city loaded by load_city keeps its own ledger.
    if context.households and not Lot.objects.exists():
        # Enough blanko for regular printing, with a reserve for emergencies.
        services.stock_receive(
            budget_year=timezone.localdate().year, quantity=400, received_on=timezone.localdate(),
            reference="DEMO-BLANKO-1", by=admin,
        )
        services.stock_set_emergency_reserve(count=100, by=admin)
    if context.already_loaded or not context.households:
        return
    if Dispatch.objects.exists() or not Card.objects.filter(status=Card.Status.QUEUED).exists():
        return
    batch = Batch.objects.create(size=60, created_by=admin)
    batch_render(batch.pk)  # here and now, also where a broker is configured
    sent = {}
    for code in (f"{context.city}.02.1002", f"{context.city}.04.1002"):
        try:
            sent[code] = services.dispatch_create(kelurahan_code=code, by=admin)
        except Conflict:
            continue  # nothing printed for it in this demo
    kranji = sent.get(f"{context.city}.02.1002")
    if kranji is not None:
        services.dispatch_receive(dispatch_id=kranji.pk, by=admin)
        first = kranji.cards.order_by("pk").first()
        services.card_collect(card_id=first.pk, by=admin, collector=Card.Collector.HEAD)
