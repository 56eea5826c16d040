"""The cards admin, by desk:

- ``print_office``: blanko lots, stock and ledger, the service mode, the print
  queue and batches (Dinas Kependudukan);
- ``dispatches``: sending printed cards to a kelurahan and confirming them there;
- ``pickup``: the kelurahan's pickup desk, and the outbox of messages to households.
"""

from . import dispatches, pickup, print_office  # noqa: F401  (each registers its ModelAdmins)
