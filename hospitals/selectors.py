"""Reads about partner facilities.

The roster (facilities and their agreements) arrives with the hospitals issue
(#5). Until then no facility is a partner, and the public list is empty.
"""

from __future__ import annotations

import datetime as dt

FACILITY_TYPES = ("rsud", "rs_swasta", "puskesmas", "klinik")


def partner_facilities(
    *,
    on: dt.date,
    kecamatan: str = "",
    type: str = "",  # noqa: A002 - the contract's filter name
    inpatient: bool | None = None,
    emergency_24h: bool | None = None,
    q: str = "",
) -> list[dict]:
    """Facilities whose agreement is in force on ``on``, as API items."""
    return []
