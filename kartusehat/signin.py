"""Staff sign-in: a limit per account, across every address, that an
outsider cannot turn against the account's owner (README, "Staff sign-in").

django-axes locks a username *from one address*, so someone with many
addresses could guess a password without end. Here every wrong password for
an account counts, wherever it comes from: a few in a quarter of an hour
pause the account for a while (it slows), more in a day pause it until the
day's window ends (it locks, for a bounded time), and the account's owner is
told by email and the log says so.

The pause applies only to devices the account has not signed in from
before. A successful sign-in leaves a signed device cookie for that account
(the "device cookie" defence, as OWASP describes it); a device carrying one
has a limit of its own instead. An outsider can pause unknown devices, so
never the office computers that staff sign in from every day.

Each attempt takes its use before the password is checked (one atomic
count) and a success gives it back, so simultaneous guesses cannot slip
past the limit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import throttling

logger = logging.getLogger(__name__)

PER_ACCOUNT = "signin_failures_per_account"
PER_ACCOUNT_DAILY = "signin_failures_per_account_daily"
PER_DEVICE = "signin_failures_per_device"
DEVICE_SALT = "kartusehat.signin.device"
DEVICE_DAYS = 90
_USES = "_kartusehat_signin_uses"
_PAUSED = "_kartusehat_signin_paused"
_NEW_DEVICE = "_kartusehat_signin_new_device"


def _account(username: str) -> str:
    """The counter's name for a typed username (any case, stray spaces)."""
    return "account:" + username.strip().casefold()


def _cookie_name(username: str) -> str:
    # One cookie per account, so staff sharing a desk computer each keep theirs.
    digest = hashlib.blake2b(username.strip().casefold().encode(), digest_size=6).hexdigest()
    return f"ks_device_{digest}"


def _device(request, username: str) -> str | None:
    """The device id of a valid device cookie for this account, or None."""
    value = request.COOKIES.get(_cookie_name(username))
    if not value:
        return None
    try:
        data = signing.loads(value, salt=DEVICE_SALT, max_age=DEVICE_DAYS * 86400)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != username.strip().casefold():
        return None
    return str(data.get("d", "")) or None


def paused_message(retry_after: int) -> str:
    minutes = throttling.retry_minutes(retry_after)
    return ngettext(
        "Too many wrong passwords for this account. Sign-ins from this device are paused for %(minutes)d "
        "minute. Sign in from a computer you have used before, or ask your administrator.",
        "Too many wrong passwords for this account. Sign-ins from this device are paused for %(minutes)d "
        "minutes. Sign in from a computer you have used before, or ask your administrator.",
        minutes,
    ) % {"minutes": minutes}


class SigninLimitBackend:
    """First after axes in ``AUTHENTICATION_BACKENDS``: it logs nobody in,
    it takes the attempt's use and refuses a paused account or device."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or not username:
            return None  # no request (a command, a test's client.login()): nothing to count against
        device = _device(request, username)
        limits = [(PER_DEVICE, f"device:{device}")] if device else [
            (PER_ACCOUNT, _account(username)), (PER_ACCOUNT_DAILY, _account(username))]
        try:
            uses = throttling.take_all(*limits)
        except throttling.RateLimited as exc:
            setattr(request, _PAUSED, exc.retry_after)
            if not device:
                _notify_once(username, exc)
            raise PermissionDenied from None  # authenticate() stops here and reports a failed login
        setattr(request, _USES, uses)
        return None  # no get_user() either: a session is never this backend's


def on_logged_in(sender, request, user, **kwargs):
    """A right password: its use was no guess; and this device is now known."""
    if request is None:
        return
    for use in getattr(request, _USES, []):
        throttling.give_back(use)
    setattr(request, _USES, [])
    setattr(request, _NEW_DEVICE, user.get_username())


class DeviceCookieMiddleware:
    """Leaves the device cookie on the response of a successful sign-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        username = getattr(request, _NEW_DEVICE, None)
        if username:
            device = {"u": username.strip().casefold(), "d": secrets.token_urlsafe(12)}
            value = signing.dumps(device, salt=DEVICE_SALT)
            response.set_cookie(
                _cookie_name(username), value, max_age=DEVICE_DAYS * 86400, httponly=True,
                secure=settings.SESSION_COOKIE_SECURE, samesite="Lax",
            )
        return response


def _notify_once(username: str, exc: throttling.RateLimited) -> None:
    """Tell the owner (and the log) once per pause, not once per attempt."""
    if not cache.add(f"signin-notified:{exc.scope}:{_account(username)}", 1, timeout=exc.retry_after):
        return
    logger.warning("Sign-in to account %r paused for %d s for devices it never signed in from (%s).",
        username.strip(), exc.retry_after, exc.scope)
    user = get_user_model()._default_manager.filter(username=username.strip(), is_active=True).first()
    if user is None or not user.email:
        return
    until = timezone.localtime() + dt.timedelta(seconds=exc.retry_after)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Kartu Sehat: sign-ins to your account paused")
        body = render_to_string("kartusehat/email/signin_paused.txt", {
            "username": user.get_username(), "until": until, "city": settings.KARTUSEHAT_CITY,
        })
    send_mail(subject, body, None, [user.email], fail_silently=True)


class _PausedMessage:
    """The login form says "paused, and how long", not "wrong password"."""

    request: object
    error_messages: dict

    def get_invalid_login_error(self):
        retry_after = getattr(self.request, _PAUSED, None)
        if retry_after:
            return forms.ValidationError(paused_message(retry_after), code="paused")
        return super().get_invalid_login_error()

    @property
    def paused(self) -> bool:
        return self.has_error(forms.forms.NON_FIELD_ERRORS, "paused")


class StaffAuthenticationForm(_PausedMessage, AuthenticationForm):
    """The hospital desk's sign-in form."""


class StaffAdminAuthenticationForm(_PausedMessage, AdminAuthenticationForm):
    """The admin's sign-in form."""
