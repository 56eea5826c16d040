"""Staff pages on a whole city: every list and search, server-side, with query counts;
and the citizen's status lookup and registration submission beside them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kartusehat_city \\
        .venv/bin/python benchmarks/admin_pages.py [--repeat 3] [--only registration]

Run against the database ``manage.py load_city`` builds (see README,
"Performance"). Each page is requested in this process through Django's test
client as a logged-in staff user (the demo logins: a kelurahan, a kecamatan,
the city, the print office, the health office), so the time is the server's:
middleware, queries and template, no network. Beside the pages, in the same
run, the baseline: the admin's index page for the same user (for a citizen:
the home page), which queries almost nothing. Each figure is the best of
``--repeat``. A submitted registration is rolled back, so the city stays as
loaded. The process runs with the web service's database settings
(docker-compose.yml). A script, not a test.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kartusehat.settings")
# As docker-compose.yml runs the web service.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "15000")
os.environ.setdefault("DATABASE_PARALLEL_WORKERS", "0")
# The citizen's requests repeat from one address: not what the limits are for.
os.environ.setdefault("RATE_REGISTRATIONS_PER_ADDRESS", "1000000/hour")
os.environ.setdefault("RATE_STATUS_FAILURES_PER_ADDRESS", "1000000/hour")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from cards.models import Card  # noqa: E402
from hospitals.models import VerificationLog  # noqa: E402
from registrations.demo import NumberSource, household_data  # noqa: E402
from registrations.models import Household, Member, Registration, RegistrationMember  # noqa: E402

KRANJI = f"{settings.CITY_REGION_CODE}.02.1002"

# Targets of the city-scale issue, server-side: city-wide users and the print
# and health offices 300 ms, a kelurahan user 150 ms; ~20 queries a page.
TARGET_MS = {"kel.kranji": 150}
DEFAULT_TARGET_MS = 300
MAX_QUERIES = 20


def samples() -> dict:
    """Real numbers from the city to search for: a NIK, a KK, a name, a card, a reference."""
    household = Household.objects.filter(kelurahan__code=KRANJI).order_by("pk").first()
    member = Member.objects.filter(household=household, end_date__isnull=True).order_by("pk").first()
    registration = Registration.objects.filter(household=household).first()
    pending = Registration.objects.filter(status="submitted", kelurahan__code=KRANJI).order_by("pk").first()
    card = Card.objects.filter(household=household).order_by("-copy").first()
    return {
        "nik": member.nik, "kk": household.kk_number, "name": member.full_name.title(),
        "common_name": "siti", "card": card.number, "reference": registration.reference,
        "pending_reference": pending.reference if pending else registration.reference,
        "registration": registration.pk, "household": household.pk, "member": member.pk,
        "kk_prefix": household.kk_number[:12], "pending_nik": pending.members.order_by("pk").first().nik,
    }


def new_household() -> dict:
    """A registration nobody in the city has made yet: numbers the loader never handed out."""
    numbers = NumberSource(random.Random(7), start=9001)
    rng = random.Random(11)
    while True:
        data = household_data(rng, numbers, kelurahan_code=KRANJI, size=4)
        niks = [m["nik"] for m in data["members"]]
        taken = (Member.objects.filter(nik__in=niks).exists() or RegistrationMember.objects.filter(nik__in=niks)
                 .exists() or Registration.objects.filter(kk_number=data["kk_number"]).exists())
        if not taken:
            return data


def pages(s: dict) -> list[tuple[str, str, str]]:
    """(user, label, URL) of every page a staff user opens in a day's work."""
    staff = ["kel.kranji", "kec.bekasibarat", "kota.bekasi"]
    rows = []
    for user in staff:
        rows += [
            (user, "registrations", "/admin/registrations/registration/"),
            (user, "registrations waiting", "/admin/registrations/registration/?status__exact=submitted"),
            (user, "registrations: search NIK", f"/admin/registrations/registration/?q={s['nik']}"),
            (user, "registrations: search KK", f"/admin/registrations/registration/?q={s['kk']}"),
            (user, "registrations: search KK prefix", f"/admin/registrations/registration/?q={s['kk_prefix']}"),
            (user, "registrations: search reference", f"/admin/registrations/registration/?q={s['reference']}"),
            (user, "registrations: search name", f"/admin/registrations/registration/?q={s['name']}"),
            (user, "registrations: search 'siti'", f"/admin/registrations/registration/?q={s['common_name']}"),
            (user, "registration page", f"/admin/registrations/registration/{s['registration']}/change/"),
            (user, "households", "/admin/registrations/household/"),
            (user, "households: search NIK", f"/admin/registrations/household/?q={s['nik']}"),
            (user, "households: search name", f"/admin/registrations/household/?q={s['name']}"),
            (user, "household page", f"/admin/registrations/household/{s['household']}/change/"),
            (user, "members", "/admin/registrations/member/"),
            (user, "members: search NIK", f"/admin/registrations/member/?q={s['nik']}"),
            (user, "members: search name", f"/admin/registrations/member/?q={s['name']}"),
            (user, "cards at the kelurahan", "/admin/cards/pickupcard/"),
            (user, "cards at the kelurahan: overdue", "/admin/cards/pickupcard/?overdue=1"),
            (user, "cards at the kelurahan: search card", f"/admin/cards/pickupcard/?q={s['card']}"),
            (user, "cards at the kelurahan: search NIK", f"/admin/cards/pickupcard/?q={s['nik']}"),
            (user, "dispatches", "/admin/cards/dispatch/"),
        ]
    office = "cetak.disdukcapil"
    rows += [
        (office, "print queue", "/admin/cards/card/"),
        (office, "print queue: waiting", "/admin/cards/card/?status__exact=queued"),
        (office, "print queue: search card", f"/admin/cards/card/?q={s['card']}"),
        (office, "batches", "/admin/cards/batch/"),
        (office, "blanko ledger", "/admin/cards/ledgerentry/"),
        (office, "dispatches", "/admin/cards/dispatch/"),
        (office, "send printed cards (form)", "/admin/cards/dispatch/add/"),
        ("dinkes.kota", "coverage checks", "/admin/hospitals/verificationlog/"),
        ("dinkes.kota", "coverage checks: search NIK", f"/admin/hospitals/verificationlog/?q={s['nik']}"),
        ("dinkes.kota", "emergency requests", "/admin/hospitals/emergencyrequest/"),
        ("admin", "access log", "/admin/registrations/accesslog/"),
        ("admin", "access log: one user", "/admin/registrations/accesslog/?q=kel.kranji"),
        ("citizen", "status page (reference + NIK)", "POST /status/"),
        ("citizen", "status API (reference + NIK)",
         f"/api/v1/registrations/{s['pending_reference']}/?nik={s['pending_nik']}"),
        ("citizen", "submit a registration (API)", "POST /api/v1/registrations/"),
    ]
    return rows


def request(client: Client, url: str, s: dict):
    """GET ``url``, or for "POST …" the citizen's form or submission (rolled back)."""
    if url == "POST /status/":
        return client.post("/status/", {"reference": s["pending_reference"], "nik": s["pending_nik"]})
    if url == "POST /api/v1/registrations/":
        with transaction.atomic():
            response = client.post("/api/v1/registrations/", s["new_household"], content_type="application/json")
            transaction.set_rollback(True)
        assert response.status_code == 201, response.content
        return response
    return client.get(url)


def timed(client: Client, url: str, repeat: int, s: dict) -> tuple[float, int, int]:
    """Best milliseconds of ``repeat`` requests, the queries of one, and its status."""
    best, queries, status = float("inf"), 0, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = request(client, url, s)
            elapsed = (time.perf_counter() - started) * 1000
        best, queries, status = min(best, elapsed), len(captured), response.status_code
    return best, queries, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="", help="only pages whose label contains this, or of this user")
    args = parser.parse_args()
    if connection.vendor != "postgresql" or VerificationLog.objects.count() < 1000:
        raise SystemExit("Point DATABASE_URL at a city loaded with 'manage.py load_city' (PostgreSQL).")
    s = samples()
    s["new_household"] = new_household()
    users = {user.username: user for user in get_user_model().objects.filter(
        username__in=["kel.kranji", "kec.bekasibarat", "kota.bekasi", "cetak.disdukcapil", "dinkes.kota", "admin"])}
    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    clients["citizen"] = Client()
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f}; {Household.objects.count():,} households; "
          f"best of {args.repeat}, server-side, in this process")
    print(f"{'user':<18} {'page':<40} {'ms':>8} {'queries':>8}  {'baseline':>8}  verdict")
    failures, times = [], []
    baselines = {name: timed(client, "/" if name == "citizen" else "/admin/", args.repeat, s)[0]
                 for name, client in clients.items()}
    for user, label, url in pages(s):
        if args.only and args.only not in label and args.only != user:
            continue
        ms, queries, status = timed(clients[user], url, args.repeat, s)
        target = TARGET_MS.get(user, DEFAULT_TARGET_MS)
        ok = status in (200, 201) and ms <= target and queries <= MAX_QUERIES
        verdict = "ok" if ok else f"OVER ({status}, target {target} ms, {MAX_QUERIES} queries)"
        if not ok:
            failures.append((user, label))
        times.append(ms)
        print(f"{user:<18} {label:<40} {ms:>8.1f} {queries:>8}  {baselines[user]:>8.1f}  {verdict}")
    if not times:
        raise SystemExit(f"No page matches --only {args.only!r}.")
    print(f"{len(times)} pages: median {statistics.median(times):.0f} ms, slowest {max(times):.0f} ms; "
          f"{len(failures)} over target")


if __name__ == "__main__":
    main()
