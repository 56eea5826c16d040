"""Permission checks on hot paths, remembered per process (:mod:`kartusehat.memo`).

``user.has_perm`` reads the user's and their groups' permissions from the
database (two queries) on every request, since each request has a new user
object. Where that cost matters (every hospital coverage check),
:func:`has_perm` remembers each user's permission set until anyone's group
membership or permissions change (``m2m_changed``, connected in
``KartusehatConfig.ready``) or the user row itself is saved.
"""

from __future__ import annotations

from . import memo


def has_perm(user, perm: str, *, version: str | None = None) -> bool:
    """``user.has_perm(perm)`` for an active user; ``version``: the caller's
    :func:`memo.version` of this request, if it has read it already."""
    if user is None or not user.is_active:
        return False
    if user.is_superuser:
        return True
    perms = memo.remember(version or memo.version(), ("perms", user.pk), user.get_all_permissions)
    return perm in perms
