"""Answers on the hot path, kept in each process until what they depend on changes.

Every coverage check asks whether its user holds a permission and whether
their facility's agreement is in force. Both change rarely (an
administrator's edit) and both cost queries or cache reads; asked afresh on
every request they were a fifth of a check's time. Each process keeps the
answers it computed under the *version* it read from the shared cache (Redis
in production) at the start of the request. Any change to what they depend
on replaces that version (signals, connected in the apps' ``ready``), so the
next request in every process, on every machine, computes again: one cache
read per request, and no answer outlives a change.

A version is a random token, not a counter: if the cache loses it (a Redis
restart), the new one can never equal a version some process still holds.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "kartusehat:memo:version"
# Answers per process at most; beyond that they are dropped and computed again.
MAX_ANSWERS = 10_000

_answers: dict = {}
_answers_version: str | None = None


def version() -> str:
    """The current version, read from the shared cache (one read)."""
    found = cache.get(VERSION_KEY)
    if found is None:
        cache.add(VERSION_KEY, secrets.token_hex(8), timeout=None)
        found = cache.get(VERSION_KEY)
    return found


def remember(current: str, key: tuple, compute: Callable[[], Any]) -> Any:
    """The answer for ``key`` under version ``current``, computed once per
    process. None (nothing found) is not remembered: asked again next time."""
    global _answers, _answers_version
    answers = _answers
    if _answers_version != current or len(answers) >= MAX_ANSWERS:
        answers = {}
        _answers, _answers_version = answers, current
    try:
        return answers[key]
    except KeyError:
        value = compute()
        if value is not None:
            answers[key] = value
        return value


def _replace_version() -> None:
    cache.set(VERSION_KEY, secrets.token_hex(8), timeout=None)


def changed(**kwargs) -> None:
    """Something a remembered answer depends on changed (a signal receiver, or
    called by a service that changes rows with ``update()``): every process
    forgets all its answers at its next request.

    Once now and once more when the transaction commits: an answer computed
    in between, from rows not yet committed, would otherwise be kept under
    the new version.
    """
    _replace_version()
    transaction.on_commit(_replace_version)
