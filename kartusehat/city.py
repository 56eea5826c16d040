"""A whole synthetic city in the database, for benchmarks and demos (``manage.py load_city``).

Each app writes its own tables in ``<app>/city.py``, registered with
:func:`loader` and found the way the admin finds ``admin.py`` modules: the
platform names no app. Loaders run in their ``order`` and share one
:class:`CityContext`: the size and seed, the clock, the staff users, and what
earlier loaders wrote that later ones refer to (households, cards). Rows go
in through ``kartusehat.bulk`` (``COPY`` on PostgreSQL), never one by one.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

_LOADERS: list[tuple[int, str, Callable, list]] = []


@dataclass
class CityContext:
    households: int
    seed: int
    today: dt.date
    now: dt.datetime
    rng: random.Random
    users: dict = field(default_factory=dict)
    # What one loader leaves for the next: e.g. "households" (a list of the
    # verified households' rows), "cards".
    shared: dict = field(default_factory=dict)
    tables: list = field(default_factory=list)
    report: Callable[[str], None] = print

    def wrote(self, model, count: int, started: float) -> None:
        """Record that ``count`` rows went into ``model``'s table, and say so."""
        if model not in self.tables:
            self.tables.append(model)
        self.report(f"  {model._meta.db_table:<40} {count:>10,} rows  {time.perf_counter() - started:6.1f} s")

    def moment(self, days_ago_min: float, days_ago_max: float) -> dt.datetime:
        """A time between two ages in days, before now."""
        return self.now - dt.timedelta(days=self.rng.uniform(days_ago_min, days_ago_max))


def loader(order: int, *, models: list):
    """Register an app's city loader, which writes the tables of ``models``;
    lower ``order`` runs first."""

    def register(function: Callable[[CityContext], None]):
        _LOADERS.append((order, f"{function.__module__}.{function.__qualname__}", function, list(models)))
        return function

    return register


def loaders() -> list[tuple[Callable[[CityContext], None], list]]:
    """Every app's loader with the models it writes, in order."""
    autodiscover_modules("city")
    return [(function, models) for _order, _name, function, models in sorted(_LOADERS, key=lambda entry: entry[:2])]


def context(*, households: int, seed: int, report=print) -> CityContext:
    now = timezone.now()
    return CityContext(
        households=households, seed=seed, today=timezone.localdate(now), now=now, rng=random.Random(seed),
        report=report,
    )
