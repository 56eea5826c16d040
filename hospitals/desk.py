"""The hospital desk pages (``/rs/``): check a patient's coverage, request an
emergency card. For hospital users of a facility with an agreement in force.

The check page has one field and works with a USB barcode scanner: the
scanner types the card's barcode or QR text and presses Enter. Both pages
hand their input to the same services as the API, so every rule, limit and
audit row is the API's.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cards.selectors import CARD_STATUS_LABELS
from kartusehat import identity, throttling
from kartusehat import views as kartusehat_views
from kartusehat.net import client_ip
from kartusehat.refusals import Forbidden, Invalid
from kartusehat.signin import StaffAuthenticationForm

from . import services
from .models import EmergencyRequest, VerificationLog
from .validation import NOTES_MAX, desk_query

RECENT = 20


def desk_required(perm: str, *, service_records_refusal: bool = False):
    """Logged in, and a hospital user allowed ``perm`` today; else a page that says why."""

    def decorator(view):
        @login_required(login_url=reverse_lazy("hospitals-desk:login"))
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                staff = services.hospital_access(user=request.user, perm=perm)
            except Forbidden as exc:
                if request.method == "POST" and service_records_refusal:
                    return view(request, *args, staff=None, **kwargs)  # the service records the refusal
                return render(request, "hospitals/desk/forbidden.html", {"message": str(exc)}, status=403)
            return view(request, *args, staff=staff, **kwargs)

        return wrapped

    return decorator


class DeskLoginView(auth_views.LoginView):
    template_name = "hospitals/desk/login.html"
    authentication_form = StaffAuthenticationForm  # says when an account's sign-ins are paused
    redirect_authenticated_user = True
    next_page = reverse_lazy("hospitals-desk:check")


@never_cache
@require_http_methods(["GET", "POST"])
@desk_required("hospitals.verify_coverage", service_records_refusal=True)
def check(request, staff):
    context = {"staff": staff, "query": "", "errors": [], "answer": None}
    if request.method == "GET":
        return render(request, "hospitals/desk/check.html", context)
    raw = request.POST.get("query", "")
    try:
        answer = services.coverage_check(
            user=request.user, data=desk_query(raw), channel=VerificationLog.Channel.WEB,
            ip=client_ip(request),
        )
    except Forbidden as exc:
        return render(request, "hospitals/desk/forbidden.html", {"message": str(exc)}, status=403)
    except throttling.RateLimited as exc:
        return kartusehat_views.rate_limited(request, exc.retry_after)
    except Invalid as exc:
        context.update(query=raw, errors=[m for messages in exc.errors.values() for m in messages])
        return render(request, "hospitals/desk/check.html", context, status=400)
    # The field is emptied for the next scan; the answer says who was checked.
    context["answer"] = answer
    if answer["card"]:
        context["card_label"] = CARD_STATUS_LABELS.get(answer["card"]["status"], answer["card"]["status"])
    return render(request, "hospitals/desk/check.html", context)


EMERGENCY_FIELDS = ("nik", "reason", "notes")


def _emergency_context(staff, values: dict, errors: dict) -> dict:
    recent = (
        EmergencyRequest.objects.filter(facility=staff.facility).select_related("card", "requested_by")
        .order_by("-created_at")[:RECENT]
    )
    return {
        "staff": staff,
        "values": values,
        "errors": errors,
        "non_field_errors": errors.get("non_field_errors", []),
        "reasons": EmergencyRequest.Reason.choices,
        "recent": [{"request": r, "nik": identity.mask(r.nik), **services.emergency_request_status(r)} for r in recent],
        "notes_max": NOTES_MAX,
        "max_upload": settings.UPLOAD_MAX_BYTES,
    }


@never_cache
@require_http_methods(["GET", "POST"])
@desk_required("hospitals.request_emergency", service_records_refusal=True)
def emergency_new(request, staff):
    if request.method == "GET":
        return render(request, "hospitals/desk/emergency.html", _emergency_context(staff, {}, {}))
    values = {field: request.POST.get(field, "") for field in EMERGENCY_FIELDS}
    try:
        emergency = services.emergency_request_submit(
            user=request.user, data=values, files=request.FILES, channel=VerificationLog.Channel.WEB,
            ip=client_ip(request),
        )
    except Forbidden as exc:
        return render(request, "hospitals/desk/forbidden.html", {"message": str(exc)}, status=403)
    except throttling.RateLimited as exc:
        return kartusehat_views.rate_limited(request, exc.retry_after)
    except Invalid as exc:
        # The letter must be chosen again (browsers never refill a file field).
        return render(request, "hospitals/desk/emergency.html", _emergency_context(staff, values, exc.errors),
            status=400)
    return redirect("hospitals-desk:emergency-done", request_id=emergency.pk)


@never_cache
@desk_required("hospitals.request_emergency")
def emergency_done(request, staff, request_id: int):
    emergency = (
        EmergencyRequest.objects.filter(pk=request_id, facility=staff.facility).select_related("card",
            "household").first()
    )
    if emergency is None:
        raise Http404
    return render(request, "hospitals/desk/emergency_done.html", {
        "staff": staff, "emergency": emergency, "nik": identity.mask(emergency.nik),
        **services.emergency_request_status(emergency),
    })
