"""The household registration form, as a page draws and reads it.

Two pages show it: the citizen's ``/daftar/`` (``views.register``) and the
kelurahan desk in the admin (``admin.applications``, a walk-in family). Both
render ``templates/registrations/_form.html`` and read the post here, then
hand the same API-shaped dict to ``services.registration_submit``: the same
fields, member rows and messages, and errors in the contract's shape put
beside the field they name.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import gettext as _

from . import services
from .models import Relationship, Sex
from .validation import MAX_MEMBERS

HOUSEHOLD_FIELDS = ("kk_number", "kelurahan_code", "address", "rt", "rw", "phone", "email")
MEMBER_FIELDS = ("nik", "full_name", "birth_date", "sex", "relationship")
_MEMBER_KEY = re.compile(r"^members-([0-9]{1,3})-(%s)$" % "|".join(MEMBER_FIELDS))
# Rows re-shown after a post; validation already refuses more than MAX_MEMBERS.
_MAX_ROWS = MAX_MEMBERS + 5


def _posted_members(post, *, keep_empty: bool = False, drop: str | None = None) -> list[dict]:
    """Member rows in the order posted. Row numbers may have gaps (rows
    removed in the browser); ``drop`` is the posted row number to remove."""
    indexes = sorted({int(m.group(1)) for key in post for m in [_MEMBER_KEY.match(key)] if m})[:_MAX_ROWS]
    rows = [
        {field: post.get(f"members-{i}-{field}", "").strip() for field in MEMBER_FIELDS}
        for i in indexes if str(i) != drop
    ]
    # A row left entirely empty (added, then not used) is not a member; while
    # the form is only being redrawn it stays, for the person to fill in.
    return rows if keep_empty else [row for row in rows if any(row.values())]


def posted(post, **member_options) -> dict:
    """The form's post as the API's registration dict."""
    data = {field: post.get(field, "") for field in HOUSEHOLD_FIELDS}
    data["consent"] = post.get("consent", "")
    data["members"] = _posted_members(post, **member_options)
    return data


def blank_member(relationship: str = "") -> dict:
    return {field: "" for field in MEMBER_FIELDS} | {"relationship": relationship}


def blank(*, kelurahan_code: str = "") -> dict:
    """A new form: one row, for the head of household."""
    data = {field: "" for field in HOUSEHOLD_FIELDS} | {"consent": "", "kelurahan_code": kelurahan_code}
    data["members"] = [blank_member(Relationship.KEPALA_KELUARGA)]
    return data


def redrawn(post) -> tuple[dict, dict] | None:
    """The form after "add a member" or "remove" without JavaScript (the
    buttons then submit): ``(data, errors)`` with everything typed kept and
    nothing checked. None when the post is a registration to send."""
    if "add_member" in post:
        data = posted(post, keep_empty=True)
        if len(data["members"]) >= MAX_MEMBERS:
            return data, {"non_field_errors": [
                _("A household may list at most %(max)d members.") % {"max": MAX_MEMBERS}
            ]}
        data["members"] = data["members"] + [blank_member()]
        return data, {}
    if "remove_member" in post:
        data = posted(post, keep_empty=True, drop=post["remove_member"])
        data["members"] = data["members"] or [blank_member(Relationship.KEPALA_KELUARGA)]
        return data, {}
    return None


def refused(data: dict) -> dict:
    """The data of a refused post, shown again: at least the head's row."""
    if not data["members"]:
        data["members"] = [blank_member(Relationship.KEPALA_KELUARGA)]
    return data


def _member_rows(members: list[dict], errors: dict) -> list[dict]:
    member_errors = errors.get("members") if isinstance(errors.get("members"), list) else []
    rows = []
    for index, values in enumerate(members):
        row_errors = member_errors[index] if index < len(member_errors) and isinstance(member_errors[index],
            dict) else {}
        rows.append({"index": str(index), "number": index + 1, "values": values, "errors": row_errors})
    return rows


def _member_field_messages(errors: dict) -> set[str]:
    members = errors.get("members")
    if not isinstance(members, list):
        return set()
    return {m for row in members if isinstance(row, dict) for messages in row.values() for m in messages}


def _list_errors(errors: dict) -> list[str]:
    """Messages about the household as a whole (no head, two heads, ...).

    A message also shown next to a member's field (a NIK typed twice) is
    told there, and counted once.
    """
    shown = _member_field_messages(errors)
    messages = [m for m in errors.get("non_field_errors", []) if m not in shown]
    members = errors.get("members")
    if isinstance(members, list):
        messages += [m for m in members if isinstance(m, str)]
    return messages


def _error_count(errors: dict) -> int:
    count = sum(1 for key in errors if key not in ("members", "non_field_errors"))
    members = errors.get("members")
    if isinstance(members, list):
        count += sum(len(m) for m in members if isinstance(m, dict))
    return count + len(_list_errors(errors))


def context(data: dict, errors: dict, *, regions: list[dict], desk: bool = False) -> dict:
    """What ``_form.html`` draws: the values, each error beside its field,
    and the kelurahan offered (``regions``, as ``selectors.city_regions``).
    ``desk``: staff fill it in for a family at the kelurahan office."""
    return {
        "values": data,
        "consent_checked": str(data.get("consent", "")).lower() in {"on", "true", "1", "yes", "ya"},
        "errors": errors,
        "error_count": _error_count(errors),
        "list_errors": _list_errors(errors),
        "rows": _member_rows(data["members"], errors),
        "regions": regions,
        "relationships": Relationship.choices,
        "sexes": Sex.choices,
        "max_members": MAX_MEMBERS,
        "max_upload": settings.UPLOAD_MAX_BYTES,
        "consent_version": services.CONSENT_VERSION,
        "scan_retention_days": settings.SCAN_RETENTION_DAYS,
        "blank_member": blank_member(),
        "desk": desk,
    }
