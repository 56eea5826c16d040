import logging
import sqlite3

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import get_supported_language_variant, gettext

from .errors import malformed_multipart_message, too_large_message, too_many_fields_message

logger = logging.getLogger("kartusehat.requests")

# PostgreSQL's "canceling statement due to statement timeout".
QUERY_CANCELED = "57014"
# PostgreSQL errors that say "not now" rather than "wrong": the connection
# (class 08) or the server's resources (class 53) failed, the server is
# shutting down or starting (57P01-57P03), or a lock or serialisation
# conflict that a retry resolves.
_UNAVAILABLE_CLASSES = {"08", "53"}
_UNAVAILABLE_CODES = {"57P01", "57P02", "57P03", "40001", "40P01", "55P03"}


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def database_unavailable(exception) -> bool:
    """The database cannot answer now (down, unreachable, restarting, its
    connection lost, or busy): a 503 and a retry, not a bug in this code.
    A statement timeout is not this (StatementTimeoutMiddleware)."""
    if isinstance(exception, InterfaceError):
        return True  # the connection was already closed under us
    if not isinstance(exception, OperationalError):
        return False
    cause = exception.__cause__
    if isinstance(cause, sqlite3.Error):
        return "locked" in str(cause) or "busy" in str(cause)
    code = getattr(cause, "pgcode", None)
    if code is None:
        return True  # no answer from a server at all: refused, timed out, dropped
    return code[:2] in _UNAVAILABLE_CLASSES or code in _UNAVAILABLE_CODES


def unavailable_response(request, exception):
    """503 with ``Retry-After``: JSON on the API, a page that needs no database on the site."""
    match = getattr(request, "resolver_match", None)
    # The view's name and the driver's first line (no SQL, no parameters).
    logger.error("database unavailable in %s: %s: %s", match.view_name if match else request.method,
                 type(exception).__name__, str(exception).strip().splitlines()[0][:200] if str(exception) else "")
    if is_api(request):
        response = JsonResponse({"detail": gettext(
            "The service is briefly unavailable: its records cannot be reached. Try again in a minute."
        )}, status=503)
    else:
        try:
            response = render(request, "unavailable.html", status=503)
        except Exception:  # noqa: BLE001 - the outage page itself must not turn into a 500
            logger.exception("the unavailable page could not be rendered")
            response = HttpResponse(gettext(
                "The service is briefly unavailable: its records cannot be reached. Try again in a minute."
            ), status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(DatabaseUnavailableMiddleware.retry_after)
    return response


class LanguageMiddleware(LocaleMiddleware):
    """Bahasa Indonesia first.

    Pages (citizen portal, staff admin) are in Bahasa Indonesia unless the
    person picked another language with the language switch (cookie): many
    Indonesian phones and PCs send ``Accept-Language: en-US`` although their
    owners read Indonesian. The API follows ``Accept-Language``, as its
    contract says.
    """

    api_prefix = "/api/"

    def process_request(self, request):
        if request.path_info.startswith(self.api_prefix):
            return super().process_request(request)
        try:
            language = get_supported_language_variant(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or "")
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RefuseNulMiddleware:
    """A NUL character has no place in any path or form value, and PostgreSQL
    refuses it in a query: answer 400 here instead of a 500 deep inside."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            has_nul = self._has_nul(request)
        except RequestDataTooBig:
            return self._refuse(request, too_large_message())
        except (TooManyFieldsSent, TooManyFilesSent):
            return self._refuse(request, too_many_fields_message())
        except MultiPartParserError:
            return self._refuse(request, malformed_multipart_message())
        if has_nul:
            return self._refuse(request, gettext("The request contains a character that is not allowed (NUL)."))
        return self.get_response(request)

    @staticmethod
    def _refuse(request, message: str):
        if is_api(request):
            # The API's error shape, as the contract promises for any 400.
            return JsonResponse({"non_field_errors": [message]}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path:
            return True
        # API views check their own query parameters (the status lookup must
        # answer a malformed NIK with its usual 404, whatever the character).
        data = [] if request.path.startswith("/api/") else [request.GET]
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded", "multipart/form-data",
        ):
            data.append(request.POST)
        return any("\x00" in key or any("\x00" in value for value in values)
                   for query in data for key, values in query.lists())


class StatementTimeoutMiddleware:
    """A request whose query ran past the service's statement timeout
    (``DATABASE_STATEMENT_TIMEOUT``) gets a 503 saying so, not a 500: the
    page was too heavy, nothing was changed (the transaction rolled back),
    and a narrower search will work."""

    retry_after = 30

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError):
            return None
        if getattr(exception.__cause__, "pgcode", None) != QUERY_CANCELED:
            return None
        match = request.resolver_match
        # The view's name, not the path or the SQL: either can carry a NIK.
        logger.warning("statement timeout in %s", match.view_name if match else "?")
        message = gettext(
            "This page took too long to prepare and was stopped; nothing was changed. "
            "Narrow the search (a full NIK, KK or card number, or a kelurahan) and try again."
        )
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=503)
        else:
            response = render(request, "too_slow.html", {"message": message}, status=503)
        response["Retry-After"] = str(self.retry_after)
        return response


class DatabaseUnavailableMiddleware:
    """A view that finds the database down, unreachable or restarting
    answers 503 with ``Retry-After`` (JSON on the API, a page on the site),
    never Django's "Server Error (500)". What fails outside a view (the
    session saved after it, say) reaches the same answer through
    ``kartusehat.views.server_error``."""

    retry_after = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_unavailable(exception):
            return None
        return unavailable_response(request, exception)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's header (settings.CONTENT_SECURITY_POLICY), with two
    allowances on the staff admin only, for templates of the libraries it
    uses: inline ``style=""`` attributes (django-import-export,
    django-simple-history; a style attribute runs no script and loads
    nothing), and the one inline handler of import-export's "select all"
    box, by its hash. <style> elements and every other script stay as strict
    as everywhere else."""

    admin_prefix = "/admin/"
    admin_allowances = {
        "style-src-attr": ["'unsafe-inline'"],
        # onchange="onSelectToggleChange(event)" (admin/import_export/export.html)
        "script-src-attr": ["'unsafe-hashes'", "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='"],
    }

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(self.admin_prefix):
            parts.update = {**self.admin_allowances, **(parts.update or {})}
        return parts
