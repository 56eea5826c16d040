"""API-wide pieces: the public view base, one translated 429, and every 400
in the contract's shape. (The JSON parser is in ``kartusehat.parsers``.)"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import status
from rest_framework.exceptions import ParseError, Throttled, UnsupportedMediaType
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import too_large_message, too_many_fields_message
from .throttling import retry_minutes


class PublicAPIView(APIView):
    """Endpoints anyone may call. No authentication at all: a stray token is
    not refused, and a staff browser's session does not demand a CSRF token."""

    authentication_classes: list = []
    permission_classes = [AllowAny]


class RateLimited(Throttled):
    """429 with ``Retry-After`` and a message translated whole (DRF's own
    "Expected available in …" suffix is not translated)."""

    def __init__(self, wait: int):
        minutes = retry_minutes(wait)
        super().__init__(
            detail=ngettext(
                "Too many attempts. Try again in %(minutes)d minute.",
                "Too many attempts. Try again in %(minutes)d minutes.",
                minutes,
            ) % {"minutes": minutes},
        )
        self.wait = wait


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        # Django would answer with a bare HTML page; say what to fix instead.
        return Response({"non_field_errors": [too_large_message()]}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
        return Response({"non_field_errors": [too_many_fields_message()]}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, UnsupportedMediaType):
        # The contract: malformed input is a 400 that says what to fix.
        return Response(
            {"non_field_errors": [_("Send the request as JSON (application/json) or as multipart/form-data.")]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, ParseError):
        # DRF's parse errors carry the parser's English detail; the contract
        # wants a message that says what to fix, in the caller's language.
        return Response(
            {"non_field_errors": [_("The request body is not valid JSON. Send one JSON object.")]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)
