"""Rate limits shared by the API and the web pages.

One implementation for both, so a limit cannot be dodged by using the other
door. Fixed windows counted in Django's cache (Redis in production, shared by
every gunicorn worker and machine; local memory in the embedded default).
Limits are keyed by the client address from ``kartusehat.net.client_ip`` and,
where it matters, by what is being looked up. Keys are hashed so no NIK or
reference sits in the cache in clear.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import ngettext

from .refusals import Refused

_UNITS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600, "d": 86400,
    "day": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """``"20/hour"``, ``"5/15min"``, ``"100/day"``; fails loudly on anything else."""
        match = re.fullmatch(r"\s*([0-9]+)\s*/\s*([0-9]*)\s*([a-z]+)\s*", str(text))
        if not match or match.group(3) not in _UNITS or int(match.group(1)) < 1:
            raise ImproperlyConfigured(f"Rate must look like '20/hour' or '5/15min', not {text!r}.")
        multiplier = int(match.group(2) or 1)
        return cls(int(match.group(1)), multiplier * _UNITS[match.group(3)])


def retry_minutes(retry_after: int) -> int:
    """Whole minutes to wait, as people are told (never 0)."""
    return max(1, -(-retry_after // 60))


class RateLimited(Refused):
    """Over the limit (429); ``retry_after`` is in whole seconds. The message
    is translated whole (DRF's own "Expected available in …" is not)."""

    http_status = 429

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        minutes = retry_minutes(retry_after)
        super().__init__(ngettext(
            "Too many attempts. Try again in %(minutes)d minute.",
            "Too many attempts. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes})


def rate(scope: str) -> Rate:
    try:
        return Rate.parse(settings.KARTUSEHAT_RATES[scope])
    except KeyError:
        raise ImproperlyConfigured(f"KARTUSEHAT_RATES has no rate for {scope!r}.") from None


def _network(ident: str) -> str:
    """An IPv6 client owns a whole /64: count it as one address."""
    try:
        address = ipaddress.ip_address(ident)
    except ValueError:
        return ident
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return ident


def _key(scope: str, ident: str, window: int) -> str:
    ident = _network(str(ident))
    digest = hashlib.blake2b(f"{settings.SECRET_KEY}:{ident}".encode(), digest_size=12).hexdigest()
    return f"throttle:{scope}:{digest}:{window}"


def _window(limit: Rate, now: float) -> tuple[int, int]:
    window = int(now // limit.seconds)
    retry_after = max(1, math.ceil((window + 1) * limit.seconds - now))
    return window, retry_after


def check(scope: str, ident: str) -> None:
    """Raise :class:`RateLimited` if ``ident`` has used up ``scope``; counts nothing."""
    limit = rate(scope)
    window, retry_after = _window(limit, time.time())
    if (cache.get(_key(scope, ident, window)) or 0) >= limit.count:
        raise RateLimited(retry_after)


def hit(scope: str, ident: str) -> None:
    """Count one use of ``scope`` by ``ident``; raise :class:`RateLimited` past the limit."""
    limit = rate(scope)
    window, retry_after = _window(limit, time.time())
    key = _key(scope, ident, window)
    cache.add(key, 0, timeout=limit.seconds + 5)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=limit.seconds + 5)
        used = 1
    if used > limit.count:
        raise RateLimited(retry_after)


def record(scope: str, ident: str) -> None:
    """Count one use without refusing it (e.g. a failed lookup already answered)."""
    try:
        hit(scope, ident)
    except RateLimited:
        pass
