"""What a registration from the public (web form, API) costs its client.

README, "Registration answers and enumeration (a privacy decision)":

- A refusal by the rules (a typo, no head of household, an unreadable scan)
  costs nothing. It says nothing about anyone else, and a family fixing its
  form must never run out of tries.
- An accepted registration counts against ``registrations_per_address``, so
  nobody claims NIKs in bulk.
- "Already registered" (the KK or a NIK is taken) is the one answer that
  tells something about someone else. It counts against a tight limit per
  address and per network (/24 for IPv4, /48 for IPv6), and each answer names
  one number at most (``services._taken_errors``). Once either limit is used
  up, every submission from there waits, whatever it would have been
  answered: waiting only where the answer would be "taken" would be that
  answer again.

Each use is taken before the database is read, in one atomic count, and the
uses the outcome did not need are given back, so simultaneous requests cannot
all slip under a limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import ngettext

from kartusehat import throttling

ACCEPTED_PER_ADDRESS = "registrations_per_address"
TAKEN_PER_ADDRESS = "taken_answers_per_address"
TAKEN_PER_NETWORK = "taken_answers_per_network"


def taken_limit_message(retry_after: int) -> str:
    minutes = throttling.retry_minutes(retry_after)
    return ngettext(
        "Several registrations from your connection were refused because a KK or NIK in them is already "
        "registered, so registering from this connection is paused for %(minutes)d minute. Your kelurahan office "
        "can check your household's registration, or ask the complaints line on WhatsApp: %(hotline)s.",
        "Several registrations from your connection were refused because a KK or NIK in them is already "
        "registered, so registering from this connection is paused for %(minutes)d minutes. Your kelurahan office "
        "can check your household's registration, or ask the complaints line on WhatsApp: %(hotline)s.",
        minutes,
    ) % {"minutes": minutes, "hotline": settings.KARTUSEHAT_CITY["hotline"]}


@dataclass
class Attempt:
    """The uses one submission holds until its outcome is known."""

    taken: list[throttling.Use]
    accepted: list[throttling.Use]

    def _give_back(self, uses: list[throttling.Use]) -> None:
        for use in uses:
            throttling.give_back(use)
        uses.clear()

    def succeeded(self) -> None:
        self._give_back(self.taken)

    def refused_as_taken(self) -> None:
        self._give_back(self.accepted)

    def refused(self) -> None:
        self._give_back(self.taken)
        self._give_back(self.accepted)


def attempt_start(address: str) -> Attempt:
    """Take one use of each limit, or raise ``throttling.RateLimited`` (an
    exhausted "taken" limit says why, and where to ask instead)."""
    try:
        taken_address, taken_network, accepted = throttling.take_all(
            (TAKEN_PER_ADDRESS, address),
            (TAKEN_PER_NETWORK, throttling.network(address)),
            (ACCEPTED_PER_ADDRESS, address),
        )
    except throttling.RateLimited as exc:
        if exc.scope in (TAKEN_PER_ADDRESS, TAKEN_PER_NETWORK):
            raise throttling.RateLimited(
                exc.retry_after, scope=exc.scope, message=taken_limit_message(exc.retry_after)
            ) from None
        raise
    return Attempt(taken=[taken_address, taken_network], accepted=[accepted])
