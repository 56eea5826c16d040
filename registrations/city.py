"""This app's part of ``manage.py load_city``: the roster and the applications
of a whole city, and a year of reading it (the access log).

For ``--households N``: N verified households with their members (each the
outcome of a verified registration), and besides them about 100,000 pending
and 25,000 rejected registrations per 730,000 households, as Kota Bekasi had.
Every row also has what the services would have written with it: the status
history, the simple-history rows, the members as applied for.
"""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.core.management.base import CommandError

from kartusehat import bulk, city
from kartusehat.audit import Action
from kartusehat.codes import ALPHABET

from .models import (
    AccessLog,
    Household,
    Member,
    Region,
    Registration,
    RegistrationEvent,
    RegistrationMember,
    StaffArea,
)
from .services import CONSENT_VERSION
from .synthetic import CityGenerator

PENDING_PER_HOUSEHOLD = 100_000 / 730_000
REJECTED_PER_HOUSEHOLD = 25_000 / 730_000
ACCESS_LOG_PER_HOUSEHOLD = 2_000_000 / 730_000
CHUNK = 20_000
REJECTION_REASONS = [
    "Foto KK tidak terbaca; mohon unggah ulang.",
    "Alamat tidak sesuai dengan KK.",
    "Nama kepala keluarga berbeda dengan KK.",
    "KK diterbitkan di luar Kota Bekasi.",
]


def _reference(rng) -> str:
    chars = "".join(rng.choices(ALPHABET, k=12))
    return f"KS-{chars[0:4]}-{chars[4:8]}-{chars[8:12]}"


class _Writer:
    """Rows of one chunk, table by table, written together."""

    def __init__(self, context, models):
        self.context = context
        self.rows = {model: [] for model in models}
        self.counts = dict.fromkeys(models, 0)
        self.seconds = dict.fromkeys(models, 0.0)

    def add(self, model, row) -> None:
        self.rows[model].append(row)

    def flush(self) -> None:
        for model, rows in self.rows.items():
            started = time.perf_counter()
            self.counts[model] += bulk.write_rows(model, rows)
            self.seconds[model] += time.perf_counter() - started
            rows.clear()

    def report(self) -> None:
        for model, count in self.counts.items():
            self.context.wrote(model, count, time.perf_counter() - self.seconds[model])


@city.loader(order=10, models=[
    Household, Member, Registration, RegistrationMember, RegistrationEvent,
    Household.history.model, Member.history.model, Registration.history.model,
])
def load(context: city.CityContext) -> None:
    rng, now = context.rng, context.now
    regions = dict(Region.objects.filter(level__in=["kecamatan", "kelurahan"]).values_list("code", "pk"))
    city_prefix = settings.CITY_REGION_CODE + "."
    kelurahan = sorted(code for code in regions if code.count(".") == 3 and code.startswith(city_prefix))
    n = context.households
    pending, rejected = round(n * PENDING_PER_HOUSEHOLD), round(n * REJECTED_PER_HOUSEHOLD)
    # In the order they arrived over eight years: decided ones first, the
    # pending backlog last (the newest). Ids and times follow that order.
    settled = ["verified"] * n + ["rejected"] * rejected
    rng.shuffle(settled)
    statuses = settled + ["submitted"] * pending
    start, backlog = now - dt.timedelta(days=8 * 365), now - dt.timedelta(days=120)
    staff = context.users["kota.bekasi"].pk
    # Decisions in Kranji and Margajaya are their demo clerks'; elsewhere the city's.
    kelurahan_staff = dict(StaffArea.objects.filter(region__level="kelurahan").values_list("region__code", "user_id"))
    context.shared["kelurahan_staff"] = kelurahan_staff
    if Household.objects.exists() or Registration.objects.exists():
        raise CommandError("This database already has households or registrations: load the city into a new one "
                           "(createdb, then manage.py migrate).")

    HistoricalHousehold = Household.history.model
    HistoricalMember = Member.history.model
    HistoricalRegistration = Registration.history.model
    models = [Household, Member, Registration, RegistrationMember, RegistrationEvent,
              HistoricalHousehold, HistoricalMember, HistoricalRegistration]
    writer = _Writer(context, models)
    ids = {model: bulk.next_id(model) for model in models if model not in (
        HistoricalHousehold, HistoricalMember, HistoricalRegistration)}
    history_ids = {model: bulk.next_id(model, column="history_id") for model in (
        HistoricalHousehold, HistoricalMember, HistoricalRegistration)}

    household_row = bulk.row_maker(Household, status="active", email="")
    member_row = bulk.row_maker(Member, end_date=None, end_reason="")
    registration_row = bulk.row_maker(Registration, urgent_requested_at=None, urgent_note="",
                                      consent_version=CONSENT_VERSION, rejection_reason="", household_import_id=None)
    regmember_row = bulk.row_maker(RegistrationMember)
    event_row = bulk.row_maker(RegistrationEvent, note="")
    hh_history = bulk.row_maker(HistoricalHousehold, history_change_reason=None)
    member_history = bulk.row_maker(HistoricalMember, history_change_reason=None, end_date=None, end_reason="")
    reg_history = bulk.row_maker(HistoricalRegistration, history_change_reason=None, urgent_requested_at=None,
                                 urgent_note="", consent_version=CONSENT_VERSION, household_import_id=None)

    # What the cards, hospitals and access-log loaders need of each verified household.
    households: list[tuple] = []
    niks_outside: list[str] = []
    generator = CityGenerator(kelurahan=kelurahan, seed=context.seed, today=context.today)
    for index, synthetic in enumerate(generator.households(len(statuses), interleaved=True)):
        status = statuses[index]
        kelurahan_id = regions[synthetic.kelurahan_code]
        mismatch = synthetic.kk_number[:6] != synthetic.kelurahan_code[:8].replace(".", "")
        channel = rng.choices(["online", "kelurahan", "import"], weights=[55, 35, 10])[0]
        by_office = kelurahan_staff.get(synthetic.kelurahan_code, staff)
        if status == "submitted":
            offset = (index - len(settled)) / max(pending, 1)
            submitted = backlog + (now - backlog) * offset + dt.timedelta(minutes=rng.uniform(0, 30))
        else:
            submitted = start + (backlog - start) * (index / len(settled)) + dt.timedelta(hours=rng.uniform(0, 12))
        decided = None if status == "submitted" else min(submitted + dt.timedelta(days=rng.uniform(0.2, 20)), now)
        household_id = None
        if status == "verified":
            household_id = ids[Household]
            ids[Household] += 1
            writer.add(Household, household_row(
                id=household_id, kk_number=synthetic.kk_number, kelurahan_id=kelurahan_id, address=synthetic.address,
                rt=synthetic.rt, rw=synthetic.rw, phone=synthetic.phone, email=synthetic.email, created_at=decided,
                updated_at=decided,
            ))
            writer.add(HistoricalHousehold, hh_history(
                id=household_id, kk_number=synthetic.kk_number, kelurahan_id=kelurahan_id,
                address=synthetic.address, rt=synthetic.rt, rw=synthetic.rw, phone=synthetic.phone,
                email=synthetic.email, status="active", created_at=decided, updated_at=decided,
                history_id=_next(history_ids, HistoricalHousehold), history_date=decided, history_type="+",
                history_user_id=by_office,
            ))
            for person in synthetic.members:
                member_id = ids[Member]
                ids[Member] += 1
                values = dict(id=member_id, household_id=household_id, nik=person.nik, full_name=person.full_name,
                              birth_date=person.birth_date, sex=person.sex, relationship=person.relationship,
                              start_date=decided.date())
                writer.add(Member, member_row(**values))
                writer.add(HistoricalMember, member_history(
                    **values, history_id=_next(history_ids, HistoricalMember), history_date=decided,
                    history_type="+", history_user_id=by_office,
                ))
            head = synthetic.members[0]
            households.append((
                household_id, kelurahan_id, synthetic.kelurahan_code, synthetic.rt, synthetic.rw, head.full_name,
                head.nik, len(synthetic.members), decided, synthetic.members[-1].nik,
            ))
        else:
            niks_outside.append(synthetic.members[0].nik)
        registration_id = ids[Registration]
        ids[Registration] += 1
        reason = rng.choice(REJECTION_REASONS) if status == "rejected" else ""
        values = dict(
            id=registration_id, reference=_reference(rng), channel=channel, status=status,
            kk_number=synthetic.kk_number, kelurahan_id=kelurahan_id, address=synthetic.address, rt=synthetic.rt,
            rw=synthetic.rw, phone=synthetic.phone, email=synthetic.email, kk_kecamatan_mismatch=mismatch,
            consent_at=submitted, submitted_at=submitted,
            submitted_by_id=None if channel == "online" else by_office,
            decided_at=decided, decided_by_id=None if decided is None else by_office, rejection_reason=reason,
            household_id=household_id,
        )
        writer.add(Registration, registration_row(**values))
        history = {**values, "status": "submitted", "decided_at": None, "decided_by_id": None,
                   "rejection_reason": "", "household_id": None}
        writer.add(HistoricalRegistration, reg_history(
            **history, history_id=_next(history_ids, HistoricalRegistration), history_date=submitted,
            history_type="+", history_user_id=values["submitted_by_id"],
        ))
        writer.add(RegistrationEvent, event_row(
            id=_next(ids, RegistrationEvent), registration_id=registration_id, status="submitted", at=submitted,
            by_id=values["submitted_by_id"],
        ))
        if decided is not None:
            writer.add(HistoricalRegistration, reg_history(
                **values, history_id=_next(history_ids, HistoricalRegistration), history_date=decided,
                history_type="~", history_user_id=by_office, history_change_reason=status.capitalize(),
            ))
            writer.add(RegistrationEvent, event_row(
                id=_next(ids, RegistrationEvent), registration_id=registration_id, status=status, at=decided,
                by_id=by_office, note=reason,
            ))
        for position, person in enumerate(synthetic.members):
            writer.add(RegistrationMember, regmember_row(
                id=_next(ids, RegistrationMember), registration_id=registration_id, position=position,
                nik=person.nik, full_name=person.full_name, birth_date=person.birth_date, sex=person.sex,
                relationship=person.relationship, pending=status == "submitted",
            ))
        if len(writer.rows[Registration]) >= CHUNK:
            writer.flush()
    writer.flush()
    writer.report()
    context.shared["households"] = households
    context.shared["niks_not_covered"] = niks_outside


def _next(ids: dict, model) -> int:
    value = ids[model]
    ids[model] = value + 1
    return value


@city.loader(order=90, models=[AccessLog])
def load_access_log(context: city.CityContext) -> None:
    """A year of staff reading the roster: lists, searches and opened records."""
    started = time.perf_counter()
    rng = context.rng
    users = [user.pk for user in context.users.values() if user.is_staff]
    households = context.shared["households"]
    count = round(context.households * ACCESS_LOG_PER_HOUSEHOLD)
    make = bulk.row_maker(AccessLog, detail="", ip_address="10.20.0.15")
    kinds = [(Action.VIEW, "registration"), (Action.VIEW, "household"), (Action.LIST, "registration"),
             (Action.SEARCH, "registration"), (Action.LIST, "household"), (Action.HISTORY, "household"),
             (Action.VIEW, "member"), (Action.LIST, "card")]
    first = bulk.next_id(AccessLog)

    def rows():
        for offset in range(count):
            action, object_type = kinds[offset % len(kinds)]
            household = households[rng.randrange(len(households))]
            object_id = str(household[0]) if action in (Action.VIEW, Action.HISTORY) else ""
            detail = {Action.SEARCH: household[6][:4] + "••••••••" + household[6][-4:],
                      Action.LIST: "status__exact=submitted"}.get(action, "")
            yield make(id=first + offset, at=context.moment(0, 365), user_id=rng.choice(users), action=action,
                       object_type=object_type, object_id=object_id, detail=detail)

    context.wrote(AccessLog, bulk.write_rows(AccessLog, rows()), started)
