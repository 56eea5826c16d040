"""Kelurahan staff work here: registrations, households and their members.

Every list, search, page and action is scoped to the staff user's area
(``kartusehat.admin.AreaScopedMixin``); objects outside it behave as if they
did not exist. Full NIK/KK digits are shown only inside the area, and every
list, search, record and history page opened is written to the access log
(``AuditedReadsMixin``).
"""

from . import applications, household_totals, households, imports, staff  # noqa: F401  (each registers its ModelAdmins)
