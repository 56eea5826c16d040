"""The admin's home page: each role opens on its work.

Each app describes its part of the page in ``<app>/home.py``: a function
registered with :func:`section` that gets the request and returns a
:class:`Section` (or None when the user's role does not work there). The
platform finds those modules the way the admin finds ``admin.py`` and names
no app. A section's counts are exact, read with a fixed number of queries
whatever the city's size (conditions on indexed columns), and each count
links to the admin list that shows the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules


@dataclass
class Figure:
    """One count (or amount) and the list behind it."""

    label: str
    value: object
    url: str = ""
    note: str = ""
    key: str = ""  # a stable name, for tests and styling


@dataclass
class Table:
    caption: str
    headers: list[str]
    # Each cell: (text, url or "").
    rows: list[list[tuple[object, str]]]
    key: str = ""


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def figure(self, key: str) -> Figure:
        return next(figure for figure in self.figures if figure.key == key)


_SECTIONS: list[tuple[int, Callable]] = []
_discovered = False


def section(order: int):
    """Register ``function(request) -> Section | None`` at this place on the page."""
    def register(function: Callable) -> Callable:
        _SECTIONS.append((order, function))
        _SECTIONS.sort(key=lambda item: item[0])
        return function
    return register


def home_sections(request) -> list[Section]:
    """The sections this user works in, in page order."""
    global _discovered
    if not _discovered:
        autodiscover_modules("home")
        _discovered = True
    sections = []
    for _order, function in _SECTIONS:
        found = function(request)
        if found is not None:
            sections.append(found)
    return sections


def changelist(model_label: str, **params) -> str:
    """The admin list of ``app_label.model`` with these filters (querystring)."""
    app_label, model_name = model_label.lower().split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def local_day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def date_param(moment: dt.datetime) -> str:
    """A time as the admin's date filters write it (local, with its offset)."""
    return str(timezone.localtime(moment))
