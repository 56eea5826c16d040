"""API-wide pieces: the public view base, and the one exception handler that
answers every refusal (``kartusehat.refusals``, a 429 included) and every
malformed request in the contract's shape. (The JSON parser is in
``kartusehat.parsers``.)"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError, UnsupportedMediaType
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView, set_rollback
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import malformed_multipart_message, too_large_message, too_many_fields_message
from .refusals import Forbidden, Refused
from .throttling import RateLimited


class ErrorOut(serializers.Serializer):
    """The contract's refusal body: 401, 403, 404, 429, 503."""

    detail = serializers.CharField()


# The answers every authenticated endpoint may give before its own logic runs.
SIGNED_IN_ONLY = {401: ErrorOut, 403: ErrorOut}


class PublicAPIView(APIView):
    """Endpoints anyone may call. No authentication at all: a stray token is
    not refused, and a staff browser's session does not demand a CSRF token."""

    authentication_classes: list = []
    permission_classes = [AllowAny]


def refusal_response(exc: Refused) -> Response:
    """A service's refusal as the contract answers it: the errors by field for
    invalid input, ``{"detail": …}`` otherwise; a 429 with ``Retry-After``."""
    set_rollback()
    if isinstance(exc, RateLimited):
        return Response({"detail": str(exc)}, status=exc.http_status, headers={"Retry-After": str(exc.retry_after)})
    if isinstance(exc, Forbidden) or exc.http_status != status.HTTP_400_BAD_REQUEST:
        return Response({"detail": str(exc)}, status=exc.http_status)
    return Response(exc.errors, status=exc.http_status)


def exception_handler(exc, context):
    if isinstance(exc, Refused):
        return refusal_response(exc)
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
        request = context.get("request")
        if request is not None and (request.content_type or "").startswith("multipart/"):
            return Response({"non_field_errors": [malformed_multipart_message()]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            {"non_field_errors": [_("The request body is not valid JSON. Send one JSON object.")]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)


def document_unavailable(result, generator, request, public):
    """drf-spectacular hook: every operation may answer 503 with Retry-After
    (database down or a statement over its time limit: ``kartusehat.middleware``)."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            operation.setdefault("responses", {}).setdefault("503", {
                "description": "Briefly unavailable; try again after Retry-After seconds.",
                "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}},
                "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"],
                }}},
            })
    return result
