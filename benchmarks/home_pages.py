"""Each role's admin home page on a whole city: the sections' time and queries,
and the plan of every count, beside a ``count(*)`` of households in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kartusehat_city \\
        .venv/bin/python benchmarks/home_pages.py [--repeat 3] [--plans]

Read-only: the sections are computed for the demo logins (a kelurahan, a
kecamatan, the city, the print office, the health office, the complaint desk)
from a request object, without a session, so nothing is written. The template
adds no query. Each figure is the best of ``--repeat``; ``--plans`` prints
``EXPLAIN (ANALYZE, BUFFERS)`` of each count. A script, not a test.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kartusehat.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from kartusehat.home import home_sections  # noqa: E402

DEMO_USERS = ["kel.kranji", "kec.bekasibarat", "kota.bekasi", "cetak.disdukcapil", "dinkes.kota", "aduan.kota"]
USERS = os.environ["HOME_USERS"].split(",") if os.environ.get("HOME_USERS") else DEMO_USERS


def best(function, repeat: int) -> tuple[float, list]:
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            function()
            times.append((time.perf_counter() - started) * 1000)
    return min(times), captured.captured_queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--plans", action="store_true")
    args = parser.parse_args()

    def households():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM registrations_household")
            return cursor.fetchone()[0]

    baseline, _queries = best(households, args.repeat)
    print(f"baseline: count(*) of {households():,} households: {baseline:.1f} ms")
    users = get_user_model().objects
    for username in USERS:
        user = users.filter(username=username).first()
        if user is None:
            print(f"{username}: not in this database")
            continue

        def page(user=user):
            request = RequestFactory().get("/admin/")
            request.user = users.get(pk=user.pk)  # a fresh user each time: nothing remembered
            return home_sections(request)

        took, queries = best(page, args.repeat)
        slowest = max(queries, key=lambda query: float(query["time"]))
        print(f"{username}: {took:.1f} ms, {len(queries)} queries; slowest {float(slowest['time']) * 1000:.1f} ms")
        if args.plans:
            for query in queries:
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                    plan = [row[0] for row in cursor.fetchall()]
                print(f"  -- {query['sql'][:120]}")
                print("\n".join(f"     {line}" for line in plan if "Scan" in line or "Execution Time" in line))


if __name__ == "__main__":
    main()
