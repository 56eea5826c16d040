"""The client's address, as far as our own proxies vouch for it."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or with NUM_PROXIES set, the X-Forwarded-For entry our
    outermost proxy appended. Used for audit records and rate limits."""
    address = request.META.get("REMOTE_ADDR") or None
    proxies = settings.NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            address = hops[-proxies]
    try:
        parsed = ipaddress.ip_address(address) if address else None
    except ValueError:
        return None
    # A dual-stack socket or proxy reports an IPv4 client as ::ffff:a.b.c.d:
    # it is that IPv4 client, for the audit and for every limit.
    return str(getattr(parsed, "ipv4_mapped", None) or parsed) if parsed else None
