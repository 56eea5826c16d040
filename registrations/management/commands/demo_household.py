"""Print a valid, unregistered demo household as API JSON, to try the form or the API."""

import json
import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from registrations.demo import NumberSource, household_data
from registrations.models import Household, Member, Registration, RegistrationMember


class Command(BaseCommand):
    help = "Print a valid demo household (JSON in the API's shape) whose KK and NIKs are not taken yet."

    def add_arguments(self, parser):
        parser.add_argument("--kelurahan", default=f"{settings.CITY_REGION_CODE}.02.1002", help="kelurahan code")
        parser.add_argument("--size", type=int, default=3, help="number of members")

    def handle(self, *args, **options):
        rng = random.SystemRandom()
        for _ in range(20):
            data = household_data(
                rng, NumberSource(rng, start=rng.randint(5000, 9999)),
                kelurahan_code=options["kelurahan"], size=max(1, min(options["size"], 20)),
            )
            niks = [m["nik"] for m in data["members"]]
            taken = (
                Household.objects.filter(kk_number=data["kk_number"]).exists()
                or Registration.objects.filter(kk_number=data["kk_number"]).exists()
                or Member.objects.filter(nik__in=niks).exists()
                or RegistrationMember.objects.filter(nik__in=niks).exists()
            )
            if not taken:
                self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
                return
        raise CommandError("Could not find free demo numbers; try again.")
