"""Add the shipped starting roster to an existing install (a new one gets it by migrating)."""

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand

from hospitals.roster import load_roster, roster_file


class Command(BaseCommand):
    help = "Add the facilities of hospitals/data/roster/<city>.csv that are not on the roster yet (demo agreements)."

    def handle(self, *args, **options):
        city = settings.CITY_REGION_CODE
        if not roster_file(city).exists():
            self.stdout.write(f"No starting roster ships for {city}; add facilities in the admin or import a CSV.")
            return
        created = load_roster(
            apps.get_model("hospitals", "Facility"), apps.get_model("hospitals", "Agreement"),
            apps.get_model("registrations", "Region"), city_code=city,
        )
        self.stdout.write(f"{created} facilities added; facilities already on the roster were left as they are.")
