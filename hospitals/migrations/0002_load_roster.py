"""A new install of the first city gets its starting roster of partner
facilities (hospitals/data/roster/<city>.csv), with demo agreements that the
health office confirms. Another city starts with an empty roster."""

from django.conf import settings
from django.db import migrations


def load(apps, schema_editor):
    from hospitals.roster import load_roster

    load_roster(
        apps.get_model("hospitals", "Facility"), apps.get_model("hospitals", "Agreement"),
        apps.get_model("registrations", "Region"), city_code=settings.CITY_REGION_CODE,
    )


class Migration(migrations.Migration):
    dependencies = [("hospitals", "0001_initial"), ("registrations", "0002_load_regions")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
