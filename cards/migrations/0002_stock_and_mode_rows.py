"""The single Stock and ServiceMode rows every service locks and updates."""

from django.conf import settings
from django.db import migrations


def create_rows(apps, schema_editor):
    Stock = apps.get_model("cards", "Stock")
    ServiceMode = apps.get_model("cards", "ServiceMode")
    Stock.objects.get_or_create(pk=1, defaults={"emergency_reserve": settings.BLANKO_EMERGENCY_RESERVE})
    ServiceMode.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("cards", "0001_initial")]
    operations = [migrations.RunPython(create_rows, migrations.RunPython.noop)]
