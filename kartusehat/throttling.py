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

    def __init__(self, retry_after: int, *, scope: str = "", message: str = ""):
        self.retry_after = retry_after
        self.scope = scope  # which limit was used up, for a caller that explains it its own way
        minutes = retry_minutes(retry_after)
        super().__init__(message or ngettext(
            "Too many attempts. Try again in %(minutes)d minute.",
            "Too many attempts. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes})


def rate(scope: str) -> Rate:
    try:
        return Rate.parse(settings.KARTUSEHAT_RATES[scope])
    except KeyError:
        raise ImproperlyConfigured(f"KARTUSEHAT_RATES has no rate for {scope!r}.") from None


def _address(ident: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(ident)
    except ValueError:
        return None
    # A dual-stack socket or proxy reports IPv4 clients as ::ffff:a.b.c.d; as
    # IPv6 they would all fall into ::/64 and share one counter.
    return getattr(address, "ipv4_mapped", None) or address


def _network(ident: str) -> str:
    """An IPv6 client owns a whole /64: count it as one address."""
    address = _address(ident)
    if address is None:
        return ident
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def network(address: str | None, *, ipv4_prefix: int = 24, ipv6_prefix: int = 48) -> str:
    """The network an address belongs to, for limits wider than one client
    (an ISP hands a customer a /48 of IPv6, and an attacker a /24 is cheap)."""
    parsed = _address(str(address))
    if parsed is None:
        return f"net:{address}"
    prefix = ipv4_prefix if parsed.version == 4 else ipv6_prefix
    return "net:" + str(ipaddress.ip_network(f"{parsed}/{prefix}", strict=False))


def _key(scope: str, ident: str, window: int) -> str:
    ident = _network(str(ident))
    digest = hashlib.blake2b(f"{settings.SECRET_KEY}:{ident}".encode(), digest_size=12).hexdigest()
    return f"throttle:{scope}:{digest}:{window}"


def _window(limit: Rate, now: float) -> tuple[int, int]:
    window = int(now // limit.seconds)
    retry_after = max(1, math.ceil((window + 1) * limit.seconds - now))
    return window, retry_after


@dataclass(frozen=True)
class Use:
    """One counted use, to give back if it turns out not to count."""

    key: str


def take(scope: str, ident: str) -> Use:
    """Count one use of ``scope`` by ``ident`` and return it; raise
    :class:`RateLimited` (and keep nothing) past the limit.

    Counting comes first and in one atomic step (Redis ``INCR``, a locked
    increment in local memory), so concurrent requests can never all pass a
    check made before any of them counted.
    """
    limit = rate(scope)
    window, retry_after = _window(limit, time.time())
    key = _key(scope, ident, window)
    cache.add(key, 0, timeout=limit.seconds + 5)  # the expiry is set once, by whoever creates the counter
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=limit.seconds + 5)
        used = 1
    if used > limit.count:
        give_back(Use(key))
        raise RateLimited(retry_after, scope=scope)
    return Use(key)


def give_back(use: Use) -> None:
    """Undo a use that did not count after all (a lookup that succeeded, where
    only failures are limited). A counter that expired meanwhile stays gone."""
    try:
        cache.decr(use.key)
    except ValueError:
        pass


def take_all(*limits: tuple[str, str]) -> list[Use]:
    """Take one use of every ``(scope, ident)``, in order, or none: past a
    limit, the uses already taken are given back and that limit's
    :class:`RateLimited` is raised."""
    taken: list[Use] = []
    for scope, ident in limits:
        try:
            taken.append(take(scope, ident))
        except RateLimited:
            for use in taken:
                give_back(use)
            raise
    return taken


def hit(scope: str, ident: str) -> None:
    """Count one use of ``scope`` by ``ident``; raise :class:`RateLimited` past the limit."""
    take(scope, ident)
