"""Load a whole synthetic city straight into the database (``kartusehat.city``).

    DATABASE_URL=postgres://… manage.py load_city [--households 730000] [--seed 2018]

For benchmarks and demos, never production. Build it in a new, migrated
database: ``make city`` does it all (README, "Performance").
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from kartusehat import bulk, city, demo


class Command(BaseCommand):
    help = "Load a whole synthetic city (households, registrations, cards, checks, audit) for benchmarks and demos."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=730_000, help="verified households on the roster")
        parser.add_argument("--seed", type=int, default=2018)

    def handle(self, *args, households, seed, **options):
        if settings.PRODUCTION:
            raise CommandError("A synthetic city is never loaded in production (KARTUSEHAT_PRODUCTION=true).")
        if households < 1:
            raise CommandError("--households must be 1 or more.")
        started = time.perf_counter()
        steps = city.loaders()
        models = [model for _function, step_models in steps for model in step_models]
        # The demo's staff users, hospital desks and key: the city's rows refer to them.
        demo.load(households=0, seed=seed)
        context = city.context(households=households, seed=seed, report=self.stdout.write)
        context.users = {user.username: user for user in _staff()}
        self.stdout.write(f"Loading a city of {households:,} households ({connection.vendor}):")
        with transaction.atomic():
            with bulk.constraints_set_aside(models):
                for function, _models in steps:
                    function(context)
                set_aside = time.perf_counter()
            self.stdout.write(f"  indexes and constraints built and checked  {time.perf_counter() - set_aside:6.1f} s")
            bulk.reset_sequences(models)
        analysed = time.perf_counter()
        bulk.analyse(models)
        self.stdout.write(f"  statistics (VACUUM ANALYZE)                {time.perf_counter() - analysed:6.1f} s")
        self.stdout.write(f"Done in {time.perf_counter() - started:.0f} s. Staff logins as in load_demo "
                          f"(password {demo.DEMO_PASSWORD}).")


def _staff():
    return get_user_model().objects.filter(is_staff=True)
