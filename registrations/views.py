"""Citizen pages: register a household, see the receipt, track the status.

The form posts plain fields; the view turns them into the same dict the API
receives and hands it to ``services.registration_submit``, so every rule is
the API's rule. Errors come back in the contract's shape and are put next to
the field they name.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

# A declared back-edge (pyproject.toml, import contract): the status page
# names the card's steps as citizens read them.
from cards.selectors import CARD_STATUS_LABELS, CITIZEN_EVENTS
from kartusehat import throttling
from kartusehat.net import client_ip
from kartusehat.receipts import receipt_get, receipt_keep
from kartusehat.refusals import Invalid
from kartusehat.views import rate_limited

from . import household_form, selectors, services
from .models import Registration

SESSION_DONE = "registration_done"


def _form_page(request, data: dict, errors: dict | None = None, *, status: int = 200, **extra):
    context = household_form.context(data, errors or {}, regions=selectors.city_regions()) | extra
    return render(request, "registrations/register.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def register(request):
    if request.method == "GET":
        return _form_page(request, household_form.blank())
    # Without JavaScript, "add member" and "remove" are submit buttons: redraw
    # the form with the change and keep everything typed, nothing is checked.
    redraw = household_form.redrawn(request.POST)
    if redraw is not None:
        return _form_page(request, *redraw)

    data = household_form.posted(request.POST)
    try:
        registration = services.registration_submit(
            data=data, files=request.FILES, channel=Registration.Channel.ONLINE, address=client_ip(request) or ""
        )
    except throttling.RateLimited as exc:
        return rate_limited(request, exc.retry_after, context={"message": str(exc)})
    except Invalid as exc:
        return _form_page(request, household_form.refused(data), exc.errors, status=400,
                          files_dropped=bool(request.FILES))
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
    return render(request, "registrations/done.html", selectors.registration_receipt(registration))


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


