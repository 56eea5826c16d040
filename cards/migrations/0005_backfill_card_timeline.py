"""Cards queued or printed before the timeline existed get the steps their
own fields record (queued, raised, printed), so every card has a timeline."""

from django.db import migrations


def backfill(apps, schema_editor):
    Card = apps.get_model("cards", "Card")
    CardEvent = apps.get_model("cards", "CardEvent")
    events = []
    for card in Card.objects.filter(events__isnull=True).iterator():
        events.append(CardEvent(card_id=card.pk, kind="queued", at=card.requested_at, by_id=card.requested_by_id))
        if card.raised_at:
            events.append(CardEvent(card_id=card.pk, kind="raised", at=card.raised_at))
        if card.printed_at:
            events.append(CardEvent(card_id=card.pk, kind="printed", at=card.printed_at))
        if card.status == "cancelled":
            events.append(CardEvent(card_id=card.pk, kind="cancelled", at=card.printed_at or card.requested_at,
                                    note=card.cancelled_reason[:300]))
        if len(events) >= 2000:
            CardEvent.objects.bulk_create(events)
            events = []
    CardEvent.objects.bulk_create(events)


class Migration(migrations.Migration):
    dependencies = [("cards", "0004_distribution")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
