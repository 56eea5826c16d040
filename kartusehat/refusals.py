"""One family of refusals for every service.

A service that says no raises one of these, whoever called it (the API, a
page, the admin, a task, a command):

- :class:`Invalid` (400): the input broke a rule;
- :class:`Conflict` (409): the record's state does not allow it now (already
  decided, being printed, changed by someone else meanwhile);
- :class:`Forbidden` (403): this user may not do it (also a Django
  ``PermissionDenied``, so a page that lets it through answers 403);
- ``kartusehat.throttling.RateLimited`` (429): too many attempts.

``errors`` is always the API contract's shape: field -> messages, nested for
members (``{"members": [{}, {"nik": ["…"]}]}``), ``non_field_errors`` for
what belongs to no field. One DRF exception handler (``kartusehat.api``)
answers them; ``kartusehat.admin.refusal_to_form`` puts them on a form.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

NON_FIELD = "non_field_errors"


def messages_of(errors: object) -> list[str]:
    """Every message in a contract-shaped error structure, in order."""
    if isinstance(errors, dict):
        return [message for value in errors.values() for message in messages_of(value)]
    if isinstance(errors, (list, tuple)):
        return [message for value in errors for message in messages_of(value)]
    return [str(errors)] if errors not in (None, "") else []


class Refused(Exception):
    """A service refused; ``errors`` says why, in the contract's shape."""

    http_status = 400

    def __init__(self, errors: dict | str):
        self.errors = errors if isinstance(errors, dict) else {NON_FIELD: [str(errors)]}
        super().__init__(self.errors)

    @property
    def messages(self) -> list[str]:
        return messages_of(self.errors)

    def __str__(self) -> str:
        return "; ".join(self.messages)


class Invalid(Refused):
    """The input broke one or more rules."""

    http_status = 400


class Conflict(Refused):
    """The record's state does not allow this (now)."""

    http_status = 409


class Forbidden(Refused, PermissionDenied):
    """This user may not do this."""

    http_status = 403


def require_perm(user, perm: str, message: str | None = None) -> None:
    """Refuse unless ``user`` holds ``perm``. A service the system itself may
    call (a beat task, ``by=None``) says so before calling this."""
    if user is None or not user.has_perm(perm):
        raise Forbidden(message or _("You are not allowed to do this."))
