"""The health office (Dinas Kesehatan) works here: the roster and its
agreements (with CSV import/export), hospital users and their API keys, and
the audit of coverage checks. The print office reads emergency requests and
their letters here too.

Writes that carry a rule go through ``services`` (hospital users, keys,
confirming a demo agreement); the roster itself is plain data whose rules are
the models' constraints, checked by the admin forms and by every import row.
"""

from . import access, audit, roster  # noqa: F401  (each registers its ModelAdmins)
