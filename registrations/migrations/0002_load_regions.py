"""Every install gets the Kemendagri regions shipped in registrations/data/."""

from django.db import migrations


def load(apps, schema_editor):
    from registrations.regions import load_regions

    load_regions(apps.get_model("registrations", "Region"))


class Migration(migrations.Migration):
    dependencies = [("registrations", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
