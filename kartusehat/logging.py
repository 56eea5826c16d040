"""Keep NIK, KK and phone numbers, and email addresses, out of log output (UU No. 27/2022).

The masking formatter is on every handler, Django's dev-server handler and
the Celery worker included (settings.LOGGING, CELERY_WORKER_HIJACK_ROOT_LOGGER
off). It masks the message and the traceback text, not the timestamp or
level, so log lines stay readable.
"""

from __future__ import annotations

import logging
import re

from django.utils.log import ServerFormatter

from .identity import mask

# A run of digit groups, however people or URLs separate them: spaces, dots,
# dashes, slashes, underscores, "+" or "%20" (a query string). Not after a
# "." or a digit, so decimals such as "0.0012345678s" stay as they are.
_SEPARATOR = r"(?:[ .\-+/_]|%20|%2[dDeE])"
_DIGIT_GROUPS = re.compile(rf"(?<![\d.])\d+(?:{_SEPARATOR}\d+)*(?!\d)")
# Indonesian mobile numbers: 08…, 628…, 8… once the "+" is gone.
_PHONE = re.compile(r"^(?:0|62)?8\d{7,11}$")


def mask_digits(digits: str) -> str:
    """16 digits keep first and last 4 (the contract's masking); any other
    long number keeps only its first and last 2."""
    if len(digits) == 16:
        return mask(digits)
    return digits[:2] + "•" * (len(digits) - 4) + digits[-2:]


def _mask_match(match: re.Match) -> str:
    text = match.group(0)
    digits = re.sub(r"%2[0dDeE]|\D", "", text)
    grouped = digits != text
    # A NIK or KK in any grouping; a phone number in any grouping; any other
    # plain run of 10+ digits (a partial number pasted into a search).
    if len(digits) == 16 or _PHONE.match(digits) or (not grouped and len(digits) >= 10):
        return mask_digits(digits)
    # Not one number as a whole ("members 3 1234567890"): mask long parts.
    return re.sub(r"(?<![.\d])\d{10,}", lambda part: mask_digits(part.group(0)), text)


# An address as a mail server quotes it back in a refusal.
_EMAIL = re.compile(r"[\w.+\-]+@([\w\-]+\.)+[\w\-]+")


def _mask_email(match: re.Match) -> str:
    name, _, domain = match.group(0).partition("@")
    return f"{name[:1]}•••@{domain}"


def mask_identity_numbers(text: str) -> str:
    return _EMAIL.sub(_mask_email, _DIGIT_GROUPS.sub(_mask_match, text))


def _masked_copy(record: logging.LogRecord, formatter: logging.Formatter) -> logging.LogRecord:
    # A copy, so other handlers of the same record are not affected.
    copy = logging.makeLogRecord(record.__dict__)
    copy.msg, copy.args = mask_identity_numbers(record.getMessage()), None
    if record.exc_info and not record.exc_text:
        copy.exc_text = formatter.formatException(record.exc_info)
    if copy.exc_text:
        copy.exc_text = mask_identity_numbers(copy.exc_text)
    if record.stack_info:
        copy.stack_info = mask_identity_numbers(record.stack_info)
    return copy


class MaskingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return super().format(_masked_copy(record, self))


class MaskingServerFormatter(ServerFormatter):
    """Django's dev-server request lines (``GET /...?q=<NIK>``), masked."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(_masked_copy(record, self))
