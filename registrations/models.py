"""Regions, households, members and registrations.

Two layers, on purpose:

- ``Registration`` + ``RegistrationMember`` are what a household *applied
  for*: an immutable snapshot, kept whatever the decision.
- ``Household`` + ``Member`` are the roster of record. They are written only
  when a registration is verified, so a rejected registration changes nothing.

The invariants the program depends on are database constraints, so no code
path (admin, API, import, a shell) can break them:

- a KK number names one household (``household_kk_unique``);
- a NIK is active in at most one household (``member_nik_active_once``);
- a household has at most one active kepala keluarga
  (``member_one_active_head``; "exactly one" is completed by the services,
  which refuse to write a household without one);
- a KK has at most one pending registration (``registration_one_pending_per_kk``);
- a NIK is in at most one pending registration
  (``regmember_nik_pending_once``), once per registration, with one head.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kartusehat import audit, identity
from kartusehat.areas import code_within
from kartusehat.codes import normalize_code, random_code
from kartusehat.identity import DIGITS16
from kartusehat.storage import private_storage, random_name
from kartusehat.text import PHONE_E164
from kartusehat.uploads import EXTENSIONS

DIGITS3 = r"^[0-9]{3}$"


class RegionLevel(models.TextChoices):
    PROVINSI = "provinsi", _("Province")
    KABUPATEN_KOTA = "kabupaten_kota", _("Regency/city")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan")


class Region(models.Model):
    """A Kemendagri region: province, regency/city, kecamatan or kelurahan."""

    Level = RegionLevel

    code = models.CharField(_("code"), max_length=13, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    # False for codes that appear only in earlier Kemendagri decisions: old
    # NIKs still carry them, new addresses never use them.
    current = models.BooleanField(_("current code"), default=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=RegionLevel.values),
                name="region_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def kecamatan_code(self) -> str:
        return self.code[:8]

    def contains(self, code: str) -> bool:
        """Whether the region with ``code`` lies inside this one (or is it)."""
        return code_within(code, self.code)


class Sex(models.TextChoices):
    L = "L", _("Male")
    P = "P", _("Female")


class Relationship(models.TextChoices):
    KEPALA_KELUARGA = "kepala_keluarga", _("Head of household")
    SUAMI = "suami", _("Husband")
    ISTRI = "istri", _("Wife")
    ANAK = "anak", _("Child")
    MENANTU = "menantu", _("Child-in-law")
    CUCU = "cucu", _("Grandchild")
    ORANG_TUA = "orang_tua", _("Parent")
    MERTUA = "mertua", _("Parent-in-law")
    FAMILI_LAIN = "famili_lain", _("Other relative")
    LAINNYA = "lainnya", _("Other")


def _person_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(condition=Q(nik__regex=DIGITS16), name=f"{prefix}_nik_16_digits"),
        models.CheckConstraint(condition=Q(sex__in=Sex.values), name=f"{prefix}_sex_valid"),
        models.CheckConstraint(
            condition=Q(relationship__in=Relationship.values), name=f"{prefix}_relationship_valid"
        ),
        models.CheckConstraint(condition=~Q(full_name=""), name=f"{prefix}_full_name_present"),
    ]


def _address_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(condition=Q(kk_number__regex=DIGITS16), name=f"{prefix}_kk_16_digits"),
        models.CheckConstraint(condition=Q(rt__regex=DIGITS3), name=f"{prefix}_rt_3_digits"),
        models.CheckConstraint(condition=Q(rw__regex=DIGITS3), name=f"{prefix}_rw_3_digits"),
        models.CheckConstraint(condition=Q(phone__regex=PHONE_E164), name=f"{prefix}_phone_e164"),
    ]


class HouseholdStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")


class Household(models.Model):
    """A Kartu Keluarga on the roster: written when a registration is verified."""

    Status = HouseholdStatus

    kk_number = models.CharField(_("KK number"), max_length=16)
    kelurahan = models.ForeignKey(
        Region, verbose_name=_("kelurahan"), on_delete=models.PROTECT,
        related_name="households", limit_choices_to={"level": Region.Level.KELURAHAN},
    )
    address = models.CharField(_("address"), max_length=200)
    rt = models.CharField(_("RT"), max_length=3)
    rw = models.CharField(_("RW"), max_length=3)
    phone = models.CharField(_("phone"), max_length=16)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("household history"))

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["kelurahan__code", "kk_number"]
        indexes = [
            # A kelurahan's households in KK order (the staff list).
            models.Index(fields=["kelurahan", "kk_number"], name="household_area_kk"),
            # A KK typed in part (its first digits): a prefix search, whatever the collation.
            models.Index(fields=["kk_number"], name="household_kk_prefix", opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            *_address_constraints("household"),
            models.UniqueConstraint(
                fields=["kk_number"], name="household_kk_unique",
                violation_error_message=_("A household with this KK number already exists."),
            ),
            models.CheckConstraint(condition=Q(status__in=HouseholdStatus.values), name="household_status_valid"),
        ]

    def __str__(self) -> str:
        return _("KK %(kk)s") % {"kk": identity.mask(self.kk_number)}

    @property
    def kk_region_code(self) -> str:
        return identity.region_code_of(self.kk_number[:6])

    @property
    def is_eligible(self) -> bool:
        """KK issued in the city and address in one of its kelurahan."""
        city = settings.CITY_REGION_CODE
        return (
            self.status == self.Status.ACTIVE
            and self.kk_region_code.startswith(city + ".")
            and self.kelurahan.code.startswith(city + ".")
        )

    @property
    def kk_kecamatan_mismatch(self) -> bool:
        """KK issued in another kecamatan than the address: staff check it."""
        return self.kk_region_code != self.kelurahan.kecamatan_code

    def active_members(self):
        return self.members.filter(end_date__isnull=True)

    def head(self):
        """The current kepala keluarga (from prefetched members when there are)."""
        return next(
            (m for m in self.members.all() if m.relationship == Relationship.KEPALA_KELUARGA and m.end_date is None),
            None,
        )


class Member(models.Model):
    """One person's membership of one household, with its start and end.

    Moves and household splits end a row and start another, so the history
    of who belonged where is never overwritten.
    """

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="members"
    )
    nik = models.CharField(_("NIK"), max_length=16)
    full_name = models.CharField(_("full name"), max_length=150)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    start_date = models.DateField(_("member since"), default=timezone.localdate)
    end_date = models.DateField(_("member until"), null=True, blank=True)
    end_reason = models.CharField(_("reason membership ended"), max_length=200, blank=True)

    history = HistoricalRecords(verbose_name=_("member history"))

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["household", "end_date", "birth_date"]
        indexes = [
            # Every membership a NIK ever had (active ones have their own unique
            # index): exact and prefix search, duplicate checks.
            models.Index(fields=["nik"], name="member_nik", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["household", "id"], name="member_household_order"),
        ]
        constraints = [
            *_person_constraints("member"),
            models.UniqueConstraint(
                fields=["nik"], condition=Q(end_date__isnull=True), name="member_nik_active_once",
                violation_error_message=_("This NIK is already an active member of another household."),
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(end_date__isnull=True, relationship=Relationship.KEPALA_KELUARGA),
                name="member_one_active_head",
                violation_error_message=_("A household has exactly one head of household."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="member_end_after_start",
            ),
        ]
        permissions = [
            # Data-subject access (UU No. 27/2022): everything held about one NIK, in one file.
            ("export_personal_data", _("Can export everything held about a person")),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({identity.mask(self.nik)})"

    @property
    def is_active(self) -> bool:
        return self.end_date is None


REFERENCE_PREFIX = "KS"


def new_reference() -> str:
    """``KS-7M3Q-9XKD-2HFA``: 60 random bits, unguessable, 17 characters."""
    return random_code(REFERENCE_PREFIX, 12)


def normalize_reference(raw: object) -> str:
    """Accept a reference as people type it: any case, spaces, O for 0."""
    return normalize_code(raw, REFERENCE_PREFIX, 12)


def looks_like_reference(raw: str) -> bool:
    """``KS-…`` or ``XXXX-XXXX-XXXX``: typed as a reference, not a name."""
    text = str(raw or "").strip().upper()
    return text.startswith(REFERENCE_PREFIX) or re.fullmatch(r"[0-9A-Z]{4}[- ][0-9A-Z]{4}[- ][0-9A-Z]{4}",
        text) is not None


class RegistrationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class RegistrationChannel(models.TextChoices):
    ONLINE = "online", _("Online")
    KELURAHAN = "kelurahan", _("At the kelurahan office")
    IMPORT = "import", _("Import")


class Registration(models.Model):
    """An application (pengajuan) for Kartu Sehat by one household."""

    Status = RegistrationStatus

    Channel = RegistrationChannel

    reference = models.CharField(_("reference"), max_length=24, unique=True, default=new_reference, editable=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)

    kk_number = models.CharField(_("KK number"), max_length=16)
    kelurahan = models.ForeignKey(
        Region, verbose_name=_("kelurahan"), on_delete=models.PROTECT,
        related_name="registrations", limit_choices_to={"level": Region.Level.KELURAHAN},
    )
    address = models.CharField(_("address"), max_length=200)
    rt = models.CharField(_("RT"), max_length=3)
    rw = models.CharField(_("RW"), max_length=3)
    phone = models.CharField(_("phone"), max_length=16)
    email = models.EmailField(_("email"), blank=True)
    # Accepted but flagged: the KK was issued by another kecamatan of the city
    # than the one of the address (people move within the city).
    kk_kecamatan_mismatch = models.BooleanField(_("KK issued in another kecamatan"), default=False)

    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=20, blank=True)

    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    household = models.ForeignKey(
        Household, verbose_name=_("household"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="registrations",
    )
    # A hospital asked for an emergency card for a member while this
    # registration was still waiting: the kelurahan verifies it the same day.
    urgent_requested_at = models.DateTimeField(_("emergency request from a hospital at"), null=True, blank=True)
    urgent_note = models.CharField(_("emergency request from"), max_length=200, blank=True)
    household_import = models.ForeignKey(
        "HouseholdImport", verbose_name=_("import"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="registrations",
    )

    history = HistoricalRecords(verbose_name=_("registration history"))

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-submitted_at"]
        indexes = [
            # A kelurahan's registrations, newest first (its staff's list).
            models.Index(fields=["kelurahan", "-submitted_at"], name="registration_area_recent"),
            models.Index(fields=["kk_number"], name="registration_kk", opclasses=["varchar_pattern_ops"]),
            # What a hospital is waiting for, at the top of each kelurahan's list.
            models.Index(
                fields=["kelurahan"], name="registration_urgent_waiting",
                condition=Q(urgent_requested_at__isnull=False, status="submitted"),
            ),
            # What waits for a decision in an area, and since when: the staff's
            # home page counts it from the index alone (a tenth of the rows).
            models.Index(
                fields=["kelurahan", "submitted_at"], name="registration_waiting", include=["urgent_requested_at"],
                condition=Q(status="submitted"),
            ),
        ]
        constraints = [
            *_address_constraints("registration"),
            models.CheckConstraint(condition=Q(status__in=RegistrationStatus.values), name="registration_status_valid"),
            models.CheckConstraint(condition=Q(channel__in=RegistrationChannel.values),
                name="registration_channel_valid"),
            models.UniqueConstraint(
                fields=["kk_number"], condition=Q(status="submitted"), name="registration_one_pending_per_kk",
                violation_error_message=_("This KK already has a registration being processed."),
            ),
            # A decision always says who and when; a rejection always says why;
            # a verification always points at the household it activated.
            models.CheckConstraint(
                condition=Q(status="submitted", decided_at__isnull=True)
                | (~Q(status="submitted") & Q(decided_at__isnull=False, decided_by__isnull=False)),
                name="registration_decision_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="registration_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(household__isnull=False),
                name="registration_verified_has_household",
            ),
        ]
        permissions = [
            ("verify_registration", _("Can verify or reject registrations")),
        ]

    def __str__(self) -> str:
        return self.reference


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Checking the file")
    CHECKED = "checked", _("Checked: waiting for confirmation")
    REFUSED = "refused", _("File refused")
    QUEUED = "queued", _("Waiting to import")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Stopped: can be resumed")
    CANCELLED = "cancelled", _("Cancelled")


def _import_path(instance, filename: str) -> str:
    return random_name("imports", instance.extension)


def _report_path(instance, filename: str) -> str:
    return random_name("import-reports", ".csv")


class HouseholdImport(models.Model):
    """One file of households handed over by an RW or a kelurahan (``import-format.md``).

    Checked first (a dry run that writes nothing but the report), imported only
    once someone confirms it. Households are written in chunks, each in one
    transaction, so a stopped import has whole households only and resuming it
    skips what it already wrote. The file and the report are private and are
    deleted ``IMPORT_RETENTION_DAYS`` after the import ended; the counts stay.
    """

    Status = ImportStatus

    file = models.FileField(_("file"), storage=private_storage, upload_to=_import_path, max_length=200, blank=True)
    filename = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # What the uploader could import into when they uploaded: the kelurahan codes of
    # their area, and the one a row without a kelurahan belongs to (if any).
    allowed_kelurahan = models.JSONField(_("kelurahan of the uploader's area"), default=list)
    default_kelurahan = models.ForeignKey(
        Region, verbose_name=_("kelurahan of rows that name none"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    update_pending = models.BooleanField(_("replace pending registrations from the file"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKING)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, db_index=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Progress of the step running now (the check, then the import).
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    rows_done = models.PositiveIntegerField(_("rows processed"), default=0)
    # The outcome of the last step: the check's forecast, then the import's result.
    households_imported = models.PositiveIntegerField(_("households imported"), default=0)
    households_updated = models.PositiveIntegerField(_("pending registrations replaced"), default=0)
    households_refused = models.PositiveIntegerField(_("households refused"), default=0)
    households_already = models.PositiveIntegerField(_("households already registered"), default=0)
    people_imported = models.PositiveIntegerField(_("people imported"), default=0)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    report = models.FileField(_("report"), storage=private_storage, upload_to=_report_path, max_length=200,
                              blank=True)
    report_lines = models.PositiveIntegerField(_("report lines"), default=0)
    error = models.TextField(_("why the file was refused or the import stopped"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Who is working on it now: a worker holds the import under a claim it renews
    # (compare-and-set), so a resumed import never runs twice at once.
    claim = models.CharField(max_length=32, blank=True, editable=False)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    files_deleted_at = models.DateTimeField(_("files deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("household import")
        verbose_name_plural = _("household imports")
        ordering = ["-uploaded_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ImportStatus.values), name="householdimport_status_valid"),
            models.CheckConstraint(condition=~Q(status="importing") | ~Q(claim=""),
                                   name="householdimport_importing_claimed"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.filename}"

    @property
    def extension(self) -> str:
        return ".xlsx" if self.filename.lower().endswith(".xlsx") else ".csv"

    @property
    def progress(self) -> int:
        if self.status in (ImportStatus.DONE, ImportStatus.CHECKED):
            return 100
        return min(100, self.rows_done * 100 // self.rows_total) if self.rows_total else 0


class RegistrationMember(models.Model):
    """A member as listed in a registration (the application's snapshot)."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="members"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    nik = models.CharField(_("NIK"), max_length=16)
    full_name = models.CharField(_("full name"), max_length=150)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    # Mirrors "registration is submitted" so the database can hold a NIK to
    # one pending registration; the services flip it with the status, in the
    # same transaction.
    pending = models.BooleanField(default=True, editable=False)

    class Meta:
        verbose_name = _("registration member")
        verbose_name_plural = _("registration members")
        ordering = ["registration", "position"]
        indexes = [
            # Every registration a NIK was ever in (pending ones have their own
            # unique index): coverage checks of a rejected or unknown NIK, search.
            models.Index(fields=["nik"], name="regmember_nik", opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            *_person_constraints("regmember"),
            models.UniqueConstraint(
                fields=["nik"], condition=Q(pending=True), name="regmember_nik_pending_once",
                violation_error_message=_("This NIK is already in another registration being processed."),
            ),
            models.UniqueConstraint(fields=["registration", "nik"], name="regmember_nik_once_per_registration"),
            models.UniqueConstraint(
                fields=["registration"], condition=Q(relationship=Relationship.KEPALA_KELUARGA),
                name="regmember_one_head",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({identity.mask(self.nik)})"


class RegistrationEvent(models.Model):
    """One step in a registration's life; the status history citizens see."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="events"
    )
    status = models.CharField(_("status"), max_length=10, choices=Registration.Status.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["registration", "at", "id"]

    def __str__(self) -> str:
        return f"{self.registration} → {self.status}"


def _document_path(instance, filename: str) -> str:
    return random_name("registrations", instance.extension)


class DocumentKind(models.TextChoices):
    KK = "kk", _("Kartu Keluarga scan")
    EKTP = "ektp", _("e-KTP scan of the head of household")


class RegistrationDocument(models.Model):
    """A scan sent with an application (KK, e-KTP); private storage only.

    The file is deleted ``SCAN_RETENTION_DAYS`` after the decision; the row
    stays as the record that it was sent and checked.
    """

    Kind = DocumentKind

    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    file = models.FileField(_("file"), storage=private_storage, upload_to=_document_path, max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    deleted_at = models.DateTimeField(_("file deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["registration", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "kind"], name="regdocument_one_per_kind"),
            models.CheckConstraint(condition=Q(kind__in=DocumentKind.values), name="regdocument_kind_valid"),
            models.CheckConstraint(
                condition=Q(content_type__in=list(EXTENSIONS)),
                name="regdocument_content_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration} {self.get_kind_display()}"

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


class StaffArea(models.Model):
    """The area a staff user works for: a kelurahan, a kecamatan or the city."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="staff_area"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"level__in": ["kabupaten_kota", "kecamatan", "kelurahan"], "current": True},
    )

    class Meta:
        verbose_name = _("staff area")
        verbose_name_plural = _("staff areas")

    def __str__(self) -> str:
        return f"{self.user} — {self.region}"

    def clean(self):
        if self.region_id and self.region.level == Region.Level.PROVINSI:
            raise ValidationError({"region": _("Choose a kelurahan, a kecamatan or the city.")})
        if self.region_id and not self.region.code.startswith(settings.CITY_REGION_CODE):
            raise ValidationError(
                {"region": _("Choose an area of %(city)s.") % {"city": settings.KARTUSEHAT_CITY["name"]}}
            )


class AccessLog(models.Model):
    """Who saw or searched personal data, and when (UU No. 27/2022).

    Changes are in each model's history; this records reads.
    """

    Action = audit.Action

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=50)
    object_id = models.CharField(_("object"), max_length=50, blank=True)
    # Never holds a full NIK/KK: searches are stored masked.
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_type} {self.object_id}"


class PurgeRule(models.TextChoices):
    REJECTED = "rejected", _("Rejected registrations")
    ABANDONED = "abandoned", _("Abandoned pending registrations")


class RetentionPurge(models.Model):
    """One run of a retention rule: when, which rule, the cut-off and how many
    rows of each kind were deleted. Never who they were: no personal data."""

    Rule = PurgeRule

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    rule = models.CharField(_("rule"), max_length=10, choices=Rule.choices)
    period_days = models.PositiveIntegerField(_("retention period (days)"))
    cutoff = models.DateTimeField(_("deleted what was older than"))
    registrations = models.PositiveIntegerField(_("registrations"), default=0)
    members = models.PositiveIntegerField(_("members listed in them"), default=0)
    events = models.PositiveIntegerField(_("status changes"), default=0)
    documents = models.PositiveIntegerField(_("scans"), default=0)
    history_rows = models.PositiveIntegerField(_("history rows"), default=0)

    class Meta:
        verbose_name = _("retention purge")
        verbose_name_plural = _("retention purges")
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(condition=Q(rule__in=PurgeRule.values), name="retentionpurge_rule_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.rule} {self.registrations}"


class KelurahanHouseholdTotal(models.Model):
    """How many KK a kelurahan has: the denominator of its coverage.

    Data the city keeps (from Disdukcapil's own register), entered in the admin
    or imported as CSV by city-wide staff. A kelurahan without a row has an
    unknown total; the city's total is ``CITY_HOUSEHOLD_TARGET`` until rows exist.
    """

    kelurahan = models.OneToOneField(
        Region, verbose_name=_("kelurahan"), on_delete=models.PROTECT, related_name="household_total",
        limit_choices_to={"level": Region.Level.KELURAHAN, "current": True},
    )
    households_total = models.PositiveIntegerField(_("number of KK"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("KK total history"))

    class Meta:
        verbose_name = _("KK total of a kelurahan")
        verbose_name_plural = _("KK totals of the kelurahan")
        ordering = ["kelurahan__code"]
        constraints = [
            # A kelurahan with no KK is not a kelurahan: 0 would make its coverage a division by zero.
            models.CheckConstraint(condition=Q(households_total__gt=0), name="household_total_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.kelurahan.name}: {self.households_total}"

    def clean(self):
        super().clean()
        if self.kelurahan_id and (self.kelurahan.level != Region.Level.KELURAHAN
                                  or not self.kelurahan.code.startswith(settings.CITY_REGION_CODE + ".")):
            raise ValidationError({"kelurahan": _("Choose a kelurahan of the city.")})
        if self.households_total is not None and self.households_total < 1:
            raise ValidationError({"households_total": _("A kelurahan has at least one KK.")})
