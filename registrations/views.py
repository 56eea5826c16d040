"""Citizen pages: register a household, see the receipt, track the status.

The form posts plain fields; the view turns them into the same dict the API
receives and hands it to ``services.registration_submit``, so every rule is
the API's rule. Errors come back in the contract's shape and are put next to
the field they name.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

# A declared back-edge (pyproject.toml, import contract): the status page
# names the card's steps as citizens read them.
from cards.selectors import CARD_STATUS_LABELS, CITIZEN_EVENTS
from kartusehat import identity, throttling
from kartusehat.net import client_ip
from kartusehat.receipts import receipt_get, receipt_keep
from kartusehat.refusals import Invalid
from kartusehat.views import rate_limited

from . import selectors, services
from .models import Registration, Relationship, Sex
from .validation import MAX_MEMBERS

HOUSEHOLD_FIELDS = ("kk_number", "kelurahan_code", "address", "rt", "rw", "phone", "email")
MEMBER_FIELDS = ("nik", "full_name", "birth_date", "sex", "relationship")
_MEMBER_KEY = re.compile(r"^members-([0-9]{1,3})-(%s)$" % "|".join(MEMBER_FIELDS))
# Rows re-shown after a post; validation already refuses more than MAX_MEMBERS.
_MAX_ROWS = MAX_MEMBERS + 5
SESSION_DONE = "registration_done"


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


def _posted_registration(post, **member_options) -> dict:
    data = {field: post.get(field, "") for field in HOUSEHOLD_FIELDS}
    data["consent"] = post.get("consent", "")
    data["members"] = _posted_members(post, **member_options)
    return data


def _blank_member(relationship: str = "") -> dict:
    return {field: "" for field in MEMBER_FIELDS} | {"relationship": relationship}


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


def _form_context(data: dict, errors: dict) -> dict:
    return {
        "values": data,
        "consent_checked": str(data.get("consent", "")).lower() in {"on", "true", "1", "yes", "ya"},
        "errors": errors,
        "error_count": _error_count(errors),
        "list_errors": _list_errors(errors),
        "rows": _member_rows(data["members"], errors),
        "regions": selectors.city_regions(),
        "relationships": Relationship.choices,
        "sexes": Sex.choices,
        "max_members": MAX_MEMBERS,
        "max_upload": settings.UPLOAD_MAX_BYTES,
        "consent_version": services.CONSENT_VERSION,
        "scan_retention_days": settings.SCAN_RETENTION_DAYS,
        "blank_member": _blank_member(),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def register(request):
    if request.method == "GET":
        data = {field: "" for field in HOUSEHOLD_FIELDS} | {"consent": ""}
        data["members"] = [_blank_member(Relationship.KEPALA_KELUARGA)]
        return render(request, "registrations/register.html", _form_context(data, {}))

    # Without JavaScript, "add member" and "remove" are submit buttons: redraw
    # the form with the change and keep everything typed, nothing is checked.
    if "add_member" in request.POST:
        data = _posted_registration(request.POST, keep_empty=True)
        if len(data["members"]) >= MAX_MEMBERS:
            errors = {"non_field_errors": [
                _("A household may list at most %(max)d members.") % {"max": MAX_MEMBERS}
            ]}
            return render(request, "registrations/register.html", _form_context(data, errors))
        data["members"] = data["members"] + [_blank_member()]
        return render(request, "registrations/register.html", _form_context(data, {}))
    if "remove_member" in request.POST:
        data = _posted_registration(request.POST, keep_empty=True, drop=request.POST["remove_member"])
        data["members"] = data["members"] or [_blank_member(Relationship.KEPALA_KELUARGA)]
        return render(request, "registrations/register.html", _form_context(data, {}))

    data = _posted_registration(request.POST)
    try:
        registration = services.registration_submit(
            data=data, files=request.FILES, channel=Registration.Channel.ONLINE, address=client_ip(request) or ""
        )
    except throttling.RateLimited as exc:
        return rate_limited(request, exc.retry_after, context={"message": str(exc)})
    except Invalid as exc:
        if not data["members"]:
            data["members"] = [_blank_member(Relationship.KEPALA_KELUARGA)]
        context = _form_context(data, exc.errors)
        context["files_dropped"] = bool(request.FILES)
        return render(request, "registrations/register.html", context, status=400)
    receipt_keep(request, SESSION_DONE, registration.reference)
    return redirect("registrations:done")


@never_cache
def register_done(request):
    """Confirmation and printable receipt, for the browser that registered.

    The reference comes from the session, never the URL: a receipt link sent
    around does not show anyone else's household.
    """
    reference = receipt_get(request, SESSION_DONE)
    registration = (
        Registration.objects.filter(reference=reference).select_related("kelurahan__parent").first()
        if reference else None
    )
    if registration is None:
        return redirect("registrations:register")
    members = list(registration.members.all())
    head = next((m for m in members if m.relationship == Relationship.KEPALA_KELUARGA), None)
    return render(request, "registrations/done.html", {
        "registration": registration,
        "kk_masked": identity.mask(registration.kk_number),
        "head": head,
        "members": members,
        "documents": list(registration.documents.all()),
    })


@never_cache
@require_http_methods(["GET", "POST"])
def status(request):
    """Reference + a member's NIK -> status. Posted, so the NIK never sits in a URL."""
    context = {"reference": request.GET.get("ref", "")[:30], "nik": "", "result": None, "not_found": False}
    if request.method == "POST":
        context["reference"] = request.POST.get("reference", "")[:30]
        context["nik"] = request.POST.get("nik", "")[:30]
        try:
            registration = selectors.registration_for_citizen(
                reference=context["reference"], nik=context["nik"], address=client_ip(request)
            )
        except throttling.RateLimited as exc:
            return rate_limited(request, exc.retry_after)
        if registration is None:
            context["not_found"] = True
            return render(request, "registrations/status.html", context, status=404)
        context["result"] = selectors.registration_status(registration)
        context["registration"] = registration
        if context["result"]["card"]:
            card = context["result"]["card"]
            context["card_label"] = CARD_STATUS_LABELS.get(card["status"])
            context["card_history"] = [
                {"label": CITIZEN_EVENTS[step["event"]], "at": step["at"]} for step in card["history"]
            ]
    return render(request, "registrations/status.html", context)


def privacy(request):
    """The consent text, public, so the API's clients can show the same words."""
    return render(request, "registrations/privacy.html", {
        "consent_version": services.CONSENT_VERSION, "scan_retention_days": settings.SCAN_RETENTION_DAYS,
    })


