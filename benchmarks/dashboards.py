"""The figures on a whole city: each stats endpoint and the staff dashboard (its page
and its downloads) for each kind of user, and the recompute that feeds them,
beside a ``count(*)`` of households in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kartusehat_city \\
        .venv/bin/python benchmarks/dashboards.py [--repeat 5]

Run against the database ``manage.py load_city`` builds (see README,
"Performance"). The whole run is one transaction that is rolled back at the
end: the figures' tables (when the city predates them), the roles' new
permission, the pimpinan user and the rollup the recompute writes are gone
afterwards, so the city stays as loaded. Each endpoint is requested in this
process through Django's test client (server-side time: middleware, queries,
rendering; no network), best of ``--repeat``. The recompute is timed once per
repeat too (what the beat task does every ``FIGURES_RECOMPUTE_SECONDS``). The
process runs with the web service's database settings (docker-compose.yml).
A script, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kartusehat.settings")
# As docker-compose.yml runs the web service; the recompute (a worker) gets no limit below.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "15000")
os.environ.setdefault("DATABASE_PARALLEL_WORKERS", "0")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.management import create_permissions  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from figures import roles as figures_roles  # noqa: E402
from figures import services  # noqa: E402
from figures.models import (  # noqa: E402
    DecisionTime,
    FacilityDay,
    FiguresRun,
    KelurahanFigures,
    NotCoveredReason,
    RejectionReasonCount,
    WeeklyPrinted,
    WeeklyRegistrations,
)
from registrations import roles as registrations_roles  # noqa: E402
from registrations.models import Household, KelurahanHouseholdTotal, Region, StaffArea  # noqa: E402

TARGET_MS = 200
ENDPOINTS = [("coverage", "/api/v1/stats/coverage/"), ("coverage CSV", "/api/v1/stats/coverage/?format=csv"),
             ("cards", "/api/v1/stats/cards/"), ("dashboard", "/admin/figures/dashboard/"),
             ("coverage XLSX", "/admin/figures/dashboard/coverage.xlsx"),
             ("hospital days CSV", "/admin/figures/dashboard/hospital-days.csv")]
USERS = ["kel.kranji", "kec.bekasibarat", "kota.bekasi", "audit.kota", "pimpinan.kota", "admin"]
ROLLUP = (KelurahanHouseholdTotal, FiguresRun, KelurahanFigures, WeeklyPrinted, WeeklyRegistrations,
          RejectionReasonCount, DecisionTime, FacilityDay, NotCoveredReason)


def prepare() -> None:
    """What a migrate would add to a city loaded before the figures existed (rolled back at the end)."""
    existing = set(connection.introspection.table_names())
    with connection.schema_editor() as editor:
        for model in ROLLUP:
            if model._meta.db_table not in existing:
                editor.create_model(model)
    for label in ("registrations", "figures"):
        create_permissions(apps.get_app_config(label), verbosity=0)
    registrations_roles.ensure_roles()
    figures_roles.ensure_roles()
    user, created = get_user_model().objects.get_or_create(username="pimpinan.kota", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name=figures_roles.PIMPINAN))
    if created:
        StaffArea.objects.create(user=user, region=Region.objects.get(code=settings.CITY_REGION_CODE))


def best_ms(do, repeat: int) -> tuple[float, list[float]]:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        do()
        runs.append((time.perf_counter() - started) * 1000)
    return min(runs), runs


def timed(client: Client, url: str, repeat: int) -> tuple[float, int, int]:
    best, queries, status = float("inf"), 0, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
        best, queries, status = min(best, elapsed), len(captured), response.status_code
    return best, queries, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Point DATABASE_URL at a city loaded with 'manage.py load_city' (PostgreSQL).")
    # The admin's pages name static files; this checkout has no collected manifest
    # (a deployment does), and hashing names is not what is measured here.
    storages = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=storages), transaction.atomic():
        # The recompute is a worker's job, not a web request's: no statement timeout for it.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")
        prepare()
        households, _runs = best_ms(lambda: Household.objects.count(), args.repeat)
        recompute, runs = best_ms(services.figures_recompute, args.repeat)
        load = os.getloadavg()
        print(f"load average {load[0]:.2f} {load[1]:.2f}; {Household.objects.count():,} households; "
              f"best of {args.repeat}, server-side, in this process")
        print(f"baseline: SELECT count(*) FROM registrations_household  {households:8.1f} ms")
        print(f"recompute (beat task, every kelurahan, one transaction)   {recompute:8.1f} ms "
              f"(median {statistics.median(runs):.0f} ms); {KelurahanFigures.objects.count()} kelurahan rows, "
              f"{WeeklyPrinted.objects.count()} weekly rows")
        print(f"flow rows: {WeeklyRegistrations.objects.count()} weekly, {RejectionReasonCount.objects.count()} "
              f"reasons, {DecisionTime.objects.count()} decision times; hospital rows: "
              f"{FacilityDay.objects.count()} facility days, {NotCoveredReason.objects.count()} reasons")
        print(f"{'user':<18} {'endpoint':<18} {'ms':>8} {'queries':>8}  verdict")
        users = {user.username: user for user in get_user_model().objects.filter(username__in=USERS)}
        failures = 0
        for name in USERS:
            if name not in users:
                print(f"{name:<18} (no such user in this city)")
                continue
            client = Client()
            client.force_login(users[name])
            for label, url in ENDPOINTS:
                ms, queries, status = timed(client, url, args.repeat)
                if status == 404 and "/dashboard/" in url:  # a table this role does not read
                    continue
                ok = status == 200 and ms <= TARGET_MS
                failures += not ok
                verdict = "ok" if ok else f"OVER ({status}, target {TARGET_MS} ms)"
                print(f"{name:<18} {label:<18} {ms:>8.1f} {queries:>8}  {verdict}")
        print(f"{failures} over target")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
