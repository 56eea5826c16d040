from django.core.management.base import BaseCommand

from registrations.models import Region
from registrations.regions import load_regions


class Command(BaseCommand):
    help = "Load or refresh the Kemendagri region codes shipped with the project."

    def handle(self, *args, **options):
        created, updated = load_regions(Region)
        self.stdout.write(f"Regions: {created} created, {updated} updated, {Region.objects.count()} in all.")
