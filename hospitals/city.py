"""This app's part of ``manage.py load_city``: three months of coverage checks
at the partner hospitals' desks and systems (the audit the health office
reads), about 500,000 per 730,000 households."""

from __future__ import annotations

import time

from kartusehat import bulk, city, identity

from .models import HospitalStaff, VerificationLog
from .validation import nik_hash

CHECKS_PER_HOUSEHOLD = 500_000 / 730_000


@city.loader(order=30, models=[VerificationLog])
def load(context: city.CityContext) -> None:
    started = time.perf_counter()
    rng = context.rng
    households = context.shared["households"]
    cards = context.shared["cards"]
    outside = context.shared["niks_not_covered"]
    desks = [(staff.user_id, staff.facility_id, staff.tokens.filter(revoked_at__isnull=True).first())
             for staff in HospitalStaff.objects.all()]
    if not desks:
        context.report("  (no hospital users: no coverage checks written)")
        return
    make = bulk.row_maker(VerificationLog, purpose="verify", http_status=200, household_id=None, card_id=None,
                          ip_address="10.30.0.21", query_hash="")
    first = bulk.next_id(VerificationLog)
    count = round(context.households * CHECKS_PER_HOUSEHOLD)

    def rows():
        for offset in range(count):
            user_id, facility_id, token = desks[offset % len(desks)]
            api = token is not None and rng.random() < 0.6
            values = dict(id=first + offset, at=context.moment(0, 90), user_id=user_id,
                          token_id=token.pk if api else None, facility_id=facility_id, channel="api" if api else "web")
            roll = rng.random()
            if roll < 0.12 and outside:
                nik = outside[rng.randrange(len(outside))]
                values.update(method="nik", query=identity.mask(nik), query_hash=nik_hash(nik), eligible=False,
                              result="registration_pending")
            elif roll < 0.14:
                values.update(method="invalid", query="nik: 3275", http_status=400, eligible=None,
                              result="invalid_input")
            else:
                household = households[rng.randrange(len(households))]
                card_id, _status, number = cards[household[0]]
                by_card = roll > 0.75
                nik = household[6]
                values.update(
                    method="card_number" if by_card else "nik", eligible=True, result="eligible",
                    query=number if by_card else identity.mask(nik),
                    query_hash="" if by_card else nik_hash(nik), household_id=household[0], card_id=card_id,
                )
            yield make(**values)

    context.wrote(VerificationLog, bulk.write_rows(VerificationLog, rows()), started)
