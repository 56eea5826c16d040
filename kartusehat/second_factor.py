"""A second factor (a code from an authenticator app, TOTP by django-otp)
for the accounts that see or print the whole city (README, "Staff sign-in").

Who must give one: superusers, anyone whose area of work is the whole city,
and the roles named in ``SECOND_FACTOR_ROLES`` (the print office). With
``STAFF_SECOND_FACTOR`` on (the default in production), such a user's
session is good for nothing but this until a code is given: the first time
they enrol an app (scan the QR code, type one code), then they type a code
at each sign-in. A lost phone: an administrator deletes the user's device
in the admin (*TOTP devices*), and the user enrols again at the next
sign-in. The codes are throttled by django-otp (each wrong code doubles the
wait), and the sign-in before them by ``kartusehat.signin``.
"""

from __future__ import annotations

import base64
import re
from urllib.parse import quote

import zxingcpp
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from .areas import staff_region

DEVICE_NAME = "authenticator app"


def required_for(user) -> bool:
    """Whether ``user`` must give a second factor before anything else."""
    if not settings.STAFF_SECOND_FACTOR or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    region = staff_region(user)
    if region is not None and region.code == settings.CITY_REGION_CODE:
        return True
    return user.groups.filter(name__in=settings.SECOND_FACTOR_ROLES).exists()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"), max_length=8, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("admin:index")


def _page(request, template: str, context: dict, status: int = 200):
    context = {**admin.site.each_context(request), "next": _next(request), **context}
    return render(request, template, context, status=status)


@never_cache
@login_required(login_url="admin:login")
@require_http_methods(["GET", "POST"])
def verify(request):
    """Type a code from the enrolled app; then on to where the user was going."""
    if not required_for(request.user) or request.user.is_verified():
        return redirect(_next(request))
    if not user_has_device(request.user):
        return redirect(f"{reverse('second-factor-enrol')}?next={quote(_next(request))}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", _("This code is wrong or has expired. Type the code your app shows now."))
    return _page(request, "kartusehat/second_factor/verify.html", {
        "title": _("Second step: your code"), "form": form,
    }, status=400 if form.errors else 200)


@never_cache
@login_required(login_url="admin:login")
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Set up an authenticator app: scan the QR code, type one code."""
    if not required_for(request.user) or request.user.is_verified():
        return redirect(_next(request))
    if user_has_device(request.user):
        return redirect(f"{reverse('second-factor-verify')}?next={quote(_next(request))}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", _("This code is wrong or has expired. Type the code your app shows now."))
    return _page(request, "kartusehat/second_factor/enrol.html", {
        "title": _("Set up your second step"), "form": form, "qr_svg": _qr_svg(device.config_url),
        "secret": " ".join(_groups(_base32(device.bin_key))),
    }, status=400 if form.errors else 200)


def _qr_svg(text: str, scale: int = 6, quiet: int = 4) -> str:
    """The QR code as inline SVG, scaled, on white with its quiet zone (so
    a phone reads it in the admin's dark theme too). Only squares: the SVG
    carries nothing of ``text`` but the symbol."""
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode)
    svg = zxingcpp.write_barcode_to_svg(barcode)
    match = re.search(r'<svg width="([0-9]+)" height="([0-9]+)"', svg)
    width, height = int(match.group(1)), int(match.group(2))
    outer_w, outer_h = width + 2 * quiet, height + 2 * quiet
    head = (f'<svg viewBox="-{quiet} -{quiet} {outer_w} {outer_h}" width="{outer_w * scale}" '
        f'height="{outer_h * scale}" shape-rendering="crispEdges"')
    body = svg[match.end():]
    background = f'<rect x="-{quiet}" y="-{quiet}" width="{outer_w}" height="{outer_h}" fill="#ffffff"/>'
    return head + body.replace(">", ">" + background, 1)


def _base32(key: bytes) -> str:
    return base64.b32encode(key).decode().rstrip("=")


def _groups(text: str, size: int = 4) -> list[str]:
    return [text[i:i + size] for i in range(0, len(text), size)]


class SecondFactorMiddleware:
    """After django-otp's middleware: a session of a user who must give a
    second factor and has not is good for nothing else (fails closed)."""

    ALLOWED = ("second-factor-verify", "second-factor-enrol", "admin:logout", "hospitals-desk:logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (settings.STAFF_SECOND_FACTOR and getattr(user, "is_authenticated", False) and not user.is_verified()
                and required_for(user) and not self._allowed(request.path)):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Give the code from your authenticator app first, at %(url)s.")
                    % {"url": reverse("second-factor-verify")}}, status=403)
            return redirect(f"{reverse('second-factor-verify')}?next={quote(request.get_full_path())}")
        return self.get_response(request)

    def _allowed(self, path: str) -> bool:
        static = "/" + settings.STATIC_URL.lstrip("/")
        return path.startswith((static, "/i18n/")) or any(path == reverse(name) for name in self.ALLOWED)
