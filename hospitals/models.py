"""Partner facilities, their agreements, hospital users and tokens, and what
hospitals do with the portal: coverage checks and emergency card requests.

The rules hospitals and citizens depend on are database constraints:

- a facility is either in one of the city's kecamatan or names the city or
  regency it is in, never both (``facility_kecamatan_or_city``);
- only hospitals have a class (A-D) (``facility_class_only_for_hospitals``);
- an agreement (PKS) ends on or after its start, and its number is unique;
- a hospital user belongs to exactly one facility (one row per user);
- an API token's key is stored only as a hash, and a revoked token says when
  and by whom (``apitoken_revocation_recorded``);
- every coverage check is one ``VerificationLog`` row, written by the same
  service call that answered it.

A facility is a partner on a date if one of its agreements covers that date
(``start_date <= date <= end_date``); nothing is stored about "being a
partner", so a lapsed agreement drops the facility the next day by itself.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from cards.models import Card
from kartusehat.identity import DIGITS16
from kartusehat.storage import private_storage, random_name
from kartusehat.uploads import EXTENSIONS


def city_kecamatan() -> Q:
    """The kecamatan a facility of the city can be in (the city is a setting)."""
    return Q(level="kecamatan", current=True, code__startswith=settings.CITY_REGION_CODE + ".")


class FacilityType(models.TextChoices):
    RSUD = "rsud", _("Public hospital (RSUD, RSUP)")
    RS_SWASTA = "rs_swasta", _("Private hospital")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    KLINIK = "klinik", _("Clinic")


class FacilityHospitalClass(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"


class Facility(models.Model):
    """A health facility: a city hospital (RSUD), a private hospital, a puskesmas or a clinic."""

    Type = FacilityType

    HospitalClass = FacilityHospitalClass

    name = models.CharField(_("name"), max_length=150)
    type = models.CharField(_("type"), max_length=10, choices=Type.choices)
    hospital_class = models.CharField(
        _("hospital class"), max_length=1, choices=HospitalClass.choices, blank=True,
        help_text=_("For hospitals only (A-D), as licensed by the Ministry of Health."),
    )
    kemenkes_code = models.CharField(
        _("Kemenkes facility code"), max_length=20, blank=True,
        help_text=_("The facility's code in the Ministry of Health register, if known."),
    )
    address = models.CharField(_("address"), max_length=250)
    # In the city: its kecamatan. Elsewhere (Jakarta, the regency around the
    # city): the name of that city or regency, and no kecamatan.
    kecamatan = models.ForeignKey(
        "registrations.Region", verbose_name=_("kecamatan"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", limit_choices_to=city_kecamatan,
    )
    city = models.CharField(
        _("city or regency (outside the city)"), max_length=100, blank=True,
        help_text=_("Only for facilities outside the city, e.g. DKI Jakarta or Kabupaten Bekasi."),
    )
    phone = models.CharField(pgettext_lazy("facility", "phone"), max_length=30, blank=True)
    inpatient = models.BooleanField(_("inpatient care (rawat inap)"), default=False)
    emergency_24h = models.BooleanField(_("24-hour emergency"), default=False)
    poned = models.BooleanField(
        _("PONED/PONEK"), default=False, help_text=_("Basic or comprehensive obstetric and newborn emergency care."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("facility history"))

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=FacilityType.values), name="facility_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(hospital_class__in=["", *FacilityHospitalClass.values]), name="facility_class_valid",
            ),
            models.CheckConstraint(
                condition=Q(hospital_class="") | Q(type__in=[FacilityType.RSUD, FacilityType.RS_SWASTA]),
                name="facility_class_only_for_hospitals",
                violation_error_message=_("Only hospitals have a class (A-D); leave it empty for a puskesmas or a "
                    "clinic."),
            ),
            models.CheckConstraint(
                condition=(Q(kecamatan__isnull=False) & Q(city="")) | (Q(kecamatan__isnull=True) & ~Q(city="")),
                name="facility_kecamatan_or_city",
                violation_error_message=_(
                    "Choose the kecamatan of a facility in the city, or write the city or regency of a facility "
                    "outside it (not both)."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(name=""), name="facility_name_present", violation_error_message=_("Enter the name."),
            ),
            models.CheckConstraint(
                condition=~Q(address=""), name="facility_address_present",
                violation_error_message=_("Enter the address."),
            ),
            models.UniqueConstraint(
                fields=["kemenkes_code"], condition=~Q(kemenkes_code=""), name="facility_kemenkes_code_unique",
                violation_error_message=_("Another facility already has this Kemenkes code."),
            ),
            models.UniqueConstraint(
                fields=["name", "city"], name="facility_name_unique",
                violation_error_message=_("A facility with this name is already on the roster."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def city_name(self) -> str:
        """Where it is: the running city for a facility with a kecamatan."""
        return self.city or settings.KARTUSEHAT_CITY["name"]


class Agreement(models.Model):
    """A partnership agreement (perjanjian kerja sama, PKS) with a facility, for a period."""

    facility = models.ForeignKey(Facility, verbose_name=_("facility"), on_delete=models.PROTECT,
        related_name="agreements")
    pks_number = models.CharField(_("PKS number"), max_length=100)
    start_date = models.DateField(_("in force from"))
    end_date = models.DateField(_("in force until"), help_text=_("The last day the agreement covers."))
    # Shipped with the starting roster: the health office checks it against
    # the signed agreement and confirms it (or corrects or ends it).
    is_demo = models.BooleanField(
        _("demo agreement, to be confirmed"), default=False,
        help_text=_("Loaded with the starting roster; confirm it against the signed PKS."),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    history = HistoricalRecords(verbose_name=_("agreement history"))

    class Meta:
        verbose_name = _("agreement (PKS)")
        verbose_name_plural = _("agreements (PKS)")
        ordering = ["facility__name", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["pks_number"], name="agreement_pks_unique",
                violation_error_message=_("An agreement with this PKS number is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="agreement_ends_after_start",
                violation_error_message=_("An agreement cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(pks_number=""), name="agreement_pks_present",
                violation_error_message=_("Enter the PKS number."),
            ),
            models.CheckConstraint(
                condition=Q(is_demo=True, confirmed_at__isnull=True) | Q(is_demo=False),
                name="agreement_demo_not_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pks_number} ({self.start_date:%d-%m-%Y} – {self.end_date:%d-%m-%Y})"

    def covers(self, date) -> bool:
        return self.start_date <= date <= self.end_date

    def in_force_on(self, date) -> bool:
        """Covers the date, and counts (an unconfirmed demo agreement counts only
        where ``HOSPITALS_DEMO_AGREEMENTS_IN_FORCE``; see ``selectors.in_force_q``)."""
        return self.covers(date) and (settings.HOSPITALS_DEMO_AGREEMENTS_IN_FORCE or not self.is_demo)


class HospitalStaff(models.Model):
    """A hospital user: a person (or a hospital information system's account)
    working for one facility. Created by the health office."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="hospital_staff"
    )
    facility = models.ForeignKey(Facility, verbose_name=_("facility"), on_delete=models.PROTECT, related_name="staff")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    suspended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("suspended by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords(verbose_name=_("hospital user history"))

    class Meta:
        verbose_name = _("hospital user")
        verbose_name_plural = _("hospital users")
        ordering = ["facility__name", "user__username"]
        permissions = [
            ("verify_coverage", _("Can check Kartu Sehat coverage at a hospital desk")),
            ("request_emergency", _("Can request emergency cards for patients")),
        ]

    def __str__(self) -> str:
        return f"{self.user.get_username()} — {self.facility}"


class ApiToken(models.Model):
    """A key for a hospital information system, issued to a hospital user by the
    health office. Only its SHA-256 is stored; it works for coverage checks and
    emergency requests and nothing else (``hospitals.authentication``)."""

    staff = models.ForeignKey(HospitalStaff, verbose_name=_("hospital user"), on_delete=models.PROTECT,
        related_name="tokens")
    name = models.CharField(_("name"), max_length=100, help_text=_("What uses it, e.g. SIMRS front desk."))
    prefix = models.CharField(_("key starts with"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("revoked by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True) | Q(revoked_at__isnull=False),
                name="apitoken_revocation_recorded",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="apitoken_name_present"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class VerificationLogMethod(models.TextChoices):
    CARD_NUMBER = "card_number", _("Card number")
    QR = "qr", _("QR code")
    NIK = "nik", _("NIK")
    INVALID = "invalid", _("Not readable")


class VerificationLogChannel(models.TextChoices):
    API = "api", _("API")
    WEB = "web", _("Desk page")


class VerificationLogPurpose(models.TextChoices):
    VERIFY = "verify", _("Coverage check")
    EMERGENCY = "emergency", _("Emergency card request")


class VerificationLog(models.Model):
    """One coverage check, whatever its outcome (UU No. 27/2022: who looked up whom).

    Never edited or deleted. NIKs are stored masked, with a keyed hash so the
    health office can still find every check of one NIK.
    """

    Method = VerificationLogMethod

    Channel = VerificationLogChannel

    Purpose = VerificationLogPurpose

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, on_delete=models.PROTECT,
        related_name="+")
    token = models.ForeignKey(ApiToken, verbose_name=_("API token"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+")
    facility = models.ForeignKey(Facility, verbose_name=_("facility"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+")
    channel = models.CharField(pgettext_lazy("coverage check", "channel"), max_length=4, choices=Channel.choices)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices, default=Purpose.VERIFY)
    method = models.CharField(_("looked up by"), max_length=12, choices=Method.choices)
    query = models.CharField(_("what was asked (masked)"), max_length=60, blank=True)
    query_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"))
    eligible = models.BooleanField(_("eligible"), null=True)
    result = models.CharField(_("result"), max_length=30)
    household = models.ForeignKey(
        "registrations.Household", verbose_name=_("household"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+"
    )
    card = models.ForeignKey("cards.Card", verbose_name=_("card"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+")
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("coverage check")
        verbose_name_plural = _("coverage checks (audit)")
        ordering = ["-at", "-id"]
        # A facility's checks by time: whether its desk is still checking (the
        # health office's home page asks two questions per facility).
        indexes = [models.Index(fields=["facility", "at"], name="verificationlog_facility_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=VerificationLogMethod.values), name="verificationlog_method_valid",
            ),
            models.CheckConstraint(condition=Q(channel__in=VerificationLogChannel.values),
                name="verificationlog_channel_valid"),
            models.CheckConstraint(condition=Q(purpose__in=VerificationLogPurpose.values),
                name="verificationlog_purpose_valid"),
            models.CheckConstraint(condition=Q(http_status=200) | Q(eligible__isnull=True),
                name="verificationlog_answer_only_on_200"),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.facility or '—'} {self.method} {self.result}"


def _letter_path(instance, filename: str) -> str:
    return random_name("letters", instance.extension)


class EmergencyRequest(models.Model):
    """A hospital's request to print a patient's card first, with its letter (surat keterangan RS).

    The card it raised is linked; its status is read from the card, never
    copied here.
    """

    Reason = Card.Reason  # the print queue's emergency reasons

    facility = models.ForeignKey(Facility, verbose_name=_("facility"), on_delete=models.PROTECT,
        related_name="emergency_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
        on_delete=models.PROTECT, related_name="+")
    token = models.ForeignKey(ApiToken, verbose_name=_("API token"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+")
    created_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    nik = models.CharField(_("patient's NIK"), max_length=16)
    reason = models.CharField(_("reason"), max_length=15, choices=Reason.choices)
    notes = models.TextField(_("notes"), blank=True)
    household = models.ForeignKey("registrations.Household", verbose_name=_("household"), on_delete=models.PROTECT,
        related_name="+")
    card = models.ForeignKey("cards.Card", verbose_name=_("card"), on_delete=models.PROTECT,
        related_name="emergency_requests")
    letter = models.FileField(_("hospital letter"), storage=private_storage, upload_to=_letter_path, max_length=200,
        blank=True)
    # The file is deleted LETTER_RETENTION_DAYS after the request; the row stays.
    letter_deleted_at = models.DateTimeField(_("letter deleted at"), null=True, blank=True)
    letter_content_type = models.CharField(_("letter type"), max_length=40)
    letter_size = models.PositiveIntegerField(_("letter size (bytes)"))
    letter_sha256 = models.CharField(_("letter SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("emergency request")
        verbose_name_plural = _("emergency requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(nik__regex=DIGITS16), name="emergencyrequest_nik_16_digits"),
            models.CheckConstraint(
                condition=Q(reason__in=Card.Reason.values), name="emergencyrequest_reason_valid",
            ),
            models.CheckConstraint(
                condition=Q(letter_content_type__in=list(EXTENSIONS)),
                name="emergencyrequest_letter_type_valid",
            ),
            models.CheckConstraint(
                condition=~Q(letter="") | Q(letter_deleted_at__isnull=False), name="emergencyrequest_has_letter",
            ),
            # The same letter sent twice for the same patient (a double click, a
            # retry after a timeout) is one request.
            models.UniqueConstraint(
                fields=["facility", "nik", "letter_sha256"], name="emergencyrequest_once_per_letter",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.facility} {self.get_reason_display()}"

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.letter_content_type]
