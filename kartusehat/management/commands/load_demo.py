"""Fill the database with demo data of every app, and demo staff logins (never in production)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kartusehat import demo


class Command(BaseCommand):
    help = "Load demo households in every registration status, cards along the way, and demo staff users."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=150)
        parser.add_argument("--seed", type=int, default=2018)

    def handle(self, *args, households, seed, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is never loaded in production (KARTUSEHAT_PRODUCTION=true).")
        context = demo.load(households=households, seed=seed)
        for line in context.summary:
            self.stdout.write(line)
        self.stdout.write(f"\nDemo staff logins (password for all: {demo.DEMO_PASSWORD}):")
        self.stdout.write(f"  {'admin':<18} superuser: sees everything")
        for username, purpose in context.staff_logins:
            self.stdout.write(f"  {username:<18} {purpose}")
        if context.desk_logins:
            self.stdout.write("\nHospital desk logins at /rs/ (same password):")
            for username, purpose in context.desk_logins:
                self.stdout.write(f"  {username:<18} {purpose}")
        for note in context.notes:
            self.stdout.write(f"  {note}")
