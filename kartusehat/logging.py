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

# A number however people, spreadsheets or URLs write it: digit groups joined
# by one to three characters that are neither letters nor digits (space, tab,
# . , : ; - + / _ ( ) …), by their %-escapes in a URL (%20, %2C, %09, %3A …)
# or by the backslash escapes Django writes for control characters in a path
# ("\t", "\x0b"). Whether a run of groups is masked depends on what its digits
# are, not on which separator joined them (see _masked_spans).
_ESCAPE = r"%(?:0[9AaDd]|2[0-9A-Fa-f]|3[A-Fa-f]|5[B-Fb-f]|7[B-Eb-e])|\\(?:[tnrfvab]|x[0-9A-Fa-f]{2})"
_JOINER = rf"(?:{_ESCAPE}|[^\w\r\n%]|_)"
# An escape on its own is consumed whole, so no number starts inside one.
_CANDIDATE = re.compile(rf"{_ESCAPE}|[0-9]+(?:{_JOINER}{{1,3}}[0-9]+)*")
_GROUP = re.compile(rf"({_ESCAPE})|([0-9]+)")
# Indonesian mobile numbers: 08…, 628…, 8… once the "+" is gone.
_PHONE = re.compile(r"^(?:0|62)?8\d{7,11}$")


def mask_digits(digits: str) -> str:
    """16 digits keep first and last 4 (the contract's masking); any other
    long number keeps only its first and last 2."""
    if len(digits) == 16:
        return mask(digits)
    return digits[:2] + "•" * (len(digits) - 4) + digits[-2:]


def _shaped_like_nik_or_kk(digits: str) -> bool:
    """PPKKCC DDMMYY SSSS: a region (never starting with 0), a day (women's
    +40 included) and month, a serial. Decides for digits spread over several
    groups, where a timestamp or a decimal could also add up to 16 digits."""
    day, month = int(digits[6:8]), int(digits[8:10])
    return digits[0] != "0" and 1 <= month <= 12 and (1 <= day <= 31 or 41 <= day <= 71) and digits[12:] != "0000"


def _masked_spans(groups: list[tuple[int, int, str, bool]]):
    """Which runs of groups are a number to mask: ``(first, last, digits)``.

    Each group is ``(start, end, digits, fraction)``; a fraction follows a
    decimal point ("0.0123456789"), which is a timing or an amount, never the
    start of a NIK or phone number. From each group, in order:
    16 digits shaped like a NIK or KK (one plain group of 16: whatever its
    shape); then a phone number, written in groups of 3+ digits (after an
    optional 62), which no date or time is; then one plain group of 10+
    digits (part of a number pasted into a search).
    """
    first = 0
    while first < len(groups):
        fraction = groups[first][3]
        found, digits = None, ""
        for last in range(first, len(groups)):
            digits += groups[last][2]
            if len(digits) > 16:
                break
            if len(digits) == 16 and (_shaped_like_nik_or_kk(digits) or (last == first and not fraction)):
                found = (last, digits)
                break
            grouped_well = all(len(group[2]) >= 3 or (index == first and group[2] == "62")
                               for index, group in enumerate(groups[first:last + 1], start=first))
            if not fraction and _PHONE.match(digits) and (last == first or grouped_well):
                found = (last, digits)  # the longest phone number from here wins
        if found is None and not fraction and len(groups[first][2]) >= 10:
            found = (first, groups[first][2])
        if found is None:
            first += 1
            continue
        yield first, found[0], found[1]
        first = found[0] + 1


def _mask_candidate(match: re.Match) -> str:
    text = match.group(0)
    groups, previous_end = [], None
    for part in _GROUP.finditer(text):
        if part.group(2) is None:
            continue  # an escape: a joiner
        fraction = previous_end is not None and text[previous_end:part.start()] == "."
        groups.append((part.start(), part.end(), part.group(2), fraction))
        previous_end = part.end()
    if len(groups) == 2 and groups[1][3] and len(groups[0][2]) <= 6:
        # One short whole part and its decimals ("2.084121501010136" seconds):
        # a duration or an amount, whatever its digits add up to. A number
        # Excel saved with a trailing ".0" has its 16 digits before the point.
        return text
    pieces, position = [], 0
    for first, last, digits in _masked_spans(groups):
        pieces += [text[position:groups[first][0]], mask_digits(digits)]
        position = groups[last][1]
    return "".join(pieces) + text[position:]


# An address as a mail server quotes it back in a refusal.
_EMAIL = re.compile(r"[\w.+\-]+@([\w\-]+\.)+[\w\-]+")


def _mask_email(match: re.Match) -> str:
    name, _, domain = match.group(0).partition("@")
    return f"{name[:1]}•••@{domain}"


def mask_identity_numbers(text: str) -> str:
    return _EMAIL.sub(_mask_email, _CANDIDATE.sub(_mask_candidate, text))


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
