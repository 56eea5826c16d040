"""Citizen pages: send a complaint, then see its ticket number.

The form posts plain fields; the view turns them into the dict the API
receives and hands it to ``services.complaint_submit``, so every rule is the
API's rule. Errors come back in the contract's shape and are put next to the
field they name.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from kartusehat import throttling
from kartusehat import views as kartusehat_views
from kartusehat.net import client_ip
from kartusehat.receipts import receipt_get, receipt_keep
from kartusehat.refusals import Invalid
from kartusehat.text import mask_phone

from . import services
from .models import Complaint
from .validation import FIELDS, MESSAGE_MAX

SESSION_DONE = "complaint_done"


def _form_context(values: dict, errors: dict) -> dict:
    return {
        "values": values,
        "errors": errors,
        # In form order, for the summary box at the top: each links to its field.
        "error_summary": [(field, " ".join(errors[field])) for field in FIELDS if field in errors],
        "non_field_errors": errors.get("non_field_errors", []),
        "categories": Complaint.Category.choices,
        "message_max": MESSAGE_MAX,
    }


def _whatsapp_link(hotline: str) -> str:
    digits = re.sub(r"[^0-9]", "", hotline or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return f"https://wa.me/{digits}" if digits else ""


def rate_limited(request, retry_after: int, values: dict):
    """429 page: when to try again, the hotline, and what was typed (to keep it)."""
    return kartusehat_views.rate_limited(request, retry_after, template="complaints/rate_limited.html", context={
        "retry_at": timezone.localtime() + dt.timedelta(seconds=retry_after),
        "message": values.get("message", ""),
        "whatsapp_link": _whatsapp_link(settings.KARTUSEHAT_CITY.get("hotline", "")),
    })


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_new(request):
    if request.method == "GET":
        values = {field: "" for field in FIELDS}
        category = request.GET.get("kategori", "")
        if category in Complaint.Category.values:
            values["category"] = category
        return render(request, "complaints/form.html", _form_context(values, {}))

    values = {field: request.POST.get(field, "") for field in FIELDS}
    # Before validating: every attempt counts, as in the API.
    try:
        throttling.hit(services.RATE_SCOPE, client_ip(request) or "")
    except throttling.RateLimited as exc:
        return rate_limited(request, exc.retry_after, values)
    try:
        complaint = services.complaint_submit(data=values)
    except Invalid as exc:
        return render(request, "complaints/form.html", _form_context(values, exc.errors), status=400)
    receipt_keep(request, SESSION_DONE, complaint.ticket)
    return redirect("complaints:done")


@never_cache
def complaint_done(request):
    """The ticket number, for the browser that sent the complaint.

    Read from the session, never the URL: a link passed around shows nothing.
    """
    ticket = receipt_get(request, SESSION_DONE)
    complaint = Complaint.objects.filter(ticket=ticket).first() if ticket else None
    if complaint is None:
        return redirect("complaints:new")
    return render(request, "complaints/done.html", {
        "complaint": complaint,
        "phone_masked": mask_phone(complaint.phone),
        "whatsapp_link": _whatsapp_link(settings.KARTUSEHAT_CITY.get("hotline", "")),
    })
