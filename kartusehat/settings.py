"""Kartu Sehat settings, read from the environment.

With nothing set the portal runs on its embedded default: SQLite next to the
code and Celery tasks executed in-process. ``DATABASE_URL`` switches to
PostgreSQL and ``CELERY_BROKER_URL`` to Redis with real workers. See
``.env.example`` for every variable.
"""

import re
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(env_file)


def _require(condition: bool, message: str) -> None:
    # Settings mistakes must stop the process at start-up, not surface later
    # as a wrong card or a silent fallback.
    if not condition:
        raise ImproperlyConfigured(message)


# Production (docker-compose sets it) refuses the embedded defaults that are
# only safe on a developer's machine.
PRODUCTION = env.bool("KARTUSEHAT_PRODUCTION", default=False)
DEBUG = env.bool("DEBUG", default=False)
_require(not (PRODUCTION and DEBUG), "DEBUG must be off when KARTUSEHAT_PRODUCTION=true.")
_INSECURE_KEY = "django-insecure-kartusehat-embedded-default-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_INSECURE_KEY)
_PLACEHOLDER = re.compile(r"change-?me|xxx", re.IGNORECASE)  # as left in .env.example
_require(
    not PRODUCTION
    or (SECRET_KEY != _INSECURE_KEY and len(SECRET_KEY) >= 40 and not _PLACEHOLDER.search(SECRET_KEY)),
    "SECRET_KEY must be set to a random string of 40+ characters when KARTUSEHAT_PRODUCTION=true.",
)
# Signs QR codes and other tokens; separate from SECRET_KEY so it can be
# rotated on its own schedule.
SIGNING_KEY = env.str("SIGNING_KEY", default="") or SECRET_KEY
_require(
    not PRODUCTION or (len(SIGNING_KEY) >= 40 and not _PLACEHOLDER.search(SIGNING_KEY)),
    "SIGNING_KEY, when set, must be a random string of 40+ characters.",
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]",
    "testserver"])
_require(not PRODUCTION or bool(ALLOWED_HOSTS), "ALLOWED_HOSTS must be set when KARTUSEHAT_PRODUCTION=true.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- The city that runs this portal -------------------------------------------
# Kota Bekasi is the first city, not the only one. Everything city-specific is
# here; its kelurahan list ships as registrations/data/wilayah/<code>.csv.
CITY_REGION_CODE = env.str("CITY_REGION_CODE", default="32.75")
_require(
    re.fullmatch(r"\d{2}\.\d{2}", CITY_REGION_CODE) is not None,
    f"CITY_REGION_CODE must be a Kemendagri regency/city code like 32.75, not {CITY_REGION_CODE!r}.",
)
# The demo hotline is a placeholder: a real deployment must name its own line.
_require(
    not PRODUCTION or re.fullmatch(r"\+?[0-9][0-9 \-]{7,20}", env.str("CITY_HOTLINE", default="")) is not None,
    "CITY_HOTLINE (the complaints WhatsApp line, digits) must be set when KARTUSEHAT_PRODUCTION=true.",
)
KARTUSEHAT_CITY = {
    "region_code": CITY_REGION_CODE,
    "name": env.str("CITY_NAME", default="Kota Bekasi"),
    "program_name": env.str("CITY_PROGRAM_NAME", default="Kartu Sehat berbasis NIK"),
    # WhatsApp line for complaints (aduan), shown on every public page.
    "hotline": env.str("CITY_HOTLINE", default="+62 811-1999-119"),
    "household_target": env.int("CITY_HOUSEHOLD_TARGET", default=730_000),
    "population": env.int("CITY_POPULATION", default=2_570_000),
}

# Models the platform layer (kartusehat/) works with but the registrations app
# holds: moving them would rename their tables, content types and permissions.
# The platform names them here, as Django names AUTH_USER_MODEL, and never
# imports the app.
KARTUSEHAT_REGION_MODEL = "registrations.Region"
KARTUSEHAT_STAFF_AREA_MODEL = "registrations.StaffArea"
KARTUSEHAT_ACCESS_LOG_MODEL = "registrations.AccessLog"

# --- Applications -------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "axes",
    # A second factor (TOTP) for city-wide and print-office staff (kartusehat.second_factor).
    "django_otp",
    "django_otp.plugins.otp_totp",
    # The platform layer (checks, load_demo); it imports no app.
    "kartusehat",
    "registrations",
    "cards",
    "hospitals",
    "complaints",
    # The programme's figures (rollups of the apps below, the stats API): the top layer.
    "figures",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response.
    "kartusehat.middleware.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kartusehat.middleware.LanguageMiddleware",
    "kartusehat.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # A session that still owes its second factor is good for nothing else.
    "kartusehat.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "kartusehat.middleware.StatementTimeoutMiddleware",
    # The database down or unreachable: 503 with Retry-After, not a 500.
    "kartusehat.middleware.DatabaseUnavailableMiddleware",
    # Leaves a device cookie after a staff sign-in (kartusehat.signin).
    "kartusehat.signin.DeviceCookieMiddleware",
    # Last, as django-axes asks: it locks out repeated failed staff logins.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Wrong passwords per account from any address (README, "Staff sign-in").
    "kartusehat.signin.SigninLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Superusers, city-wide staff and these roles sign in with a code from an
# authenticator app too (kartusehat/second_factor.py). On by default in
# production; off in the embedded default, whose demo logins share a password.
STAFF_SECOND_FACTOR = env.bool("STAFF_SECOND_FACTOR", default=PRODUCTION)
SECOND_FACTOR_ROLES = env.list("SECOND_FACTOR_ROLES", default=["Operator Cetak Disdukcapil"])
OTP_TOTP_ISSUER = "Kartu Sehat"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

ROOT_URLCONF = "kartusehat.urls"
WSGI_APPLICATION = "kartusehat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kartusehat.context_processors.city",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# An empty DATABASE_URL means "not set", as in a shell's `DATABASE_URL= make test`.
DATABASES = {
    "default": environ.Env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Per service (docker-compose.yml): the staff web service gives up on a
    # statement after DATABASE_STATEMENT_TIMEOUT ms, the hospital service much
    # sooner; web requests run without parallel workers (a request taking
    # three of a small server's cores starves the others, hospital checks
    # first, and a parallel plan's start-up costs more than a page's query).
    # Empty: PostgreSQL's own setting.
    session = {
        "statement_timeout": env.str("DATABASE_STATEMENT_TIMEOUT", default=""),
        "max_parallel_workers_per_gather": env.str("DATABASE_PARALLEL_WORKERS", default=""),
    }
    session = {name: value for name, value in session.items() if value != ""}
    for name, value in session.items():
        if not value.isdigit():
            raise ImproperlyConfigured(f"{name}: expected a whole number, got {value!r}")
    if session:
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = " ".join(
            f"-c {name}={value}" for name, value in session.items()
        )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves one person trying the portal; waiting for a
    # lock beats "database is locked" errors under the dev server's threads.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # Writers take the lock when their transaction starts, so two at once
    # wait their turn instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Passwords and sessions ---------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Trusted only when our own TLS proxy sets it; otherwise a client could claim HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 30)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
    # HSTS covers the portal's own host and the names under it (never its
    # siblings on the city's domain): nothing under it may speak plain HTTP.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    # Preloading is decided for the city's registrable domain as a whole
    # (the browsers' list takes apexes, e.g. bekasikota.go.id, and binds every
    # name under them for months): off unless the city asks for it, so
    # check --deploy's reminder (W021) is silenced on purpose.
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Content-Security-Policy (django-csp): every page loads only the portal's
# own scripts, styles, fonts and images, no inline script and no inline
# <style>; nothing may frame it. Per-view relaxations are named where they
# are made (the API's Redoc page: kartusehat/urls.py). Admin pages of
# third-party apps carry a few inline style="" attributes: style attributes
# only (never <style> or script) are allowed under /admin/
# (kartusehat.middleware.ContentSecurityPolicyMiddleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        **({"upgrade-insecure-requests": True} if env.bool("BEHIND_TLS_PROXY", default=False) else {}),
    },
}
# Permissions-Policy (django-permissions-policy): no page uses the camera,
# microphone, location, sensors, payment or USB; no frame may either.
PERMISSIONS_POLICY = {
    feature: [] for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
        "microphone", "payment", "usb",
    )
}
# How many reverse proxies of ours sit in front of the app. Each appends the
# address it saw to X-Forwarded-For, so the client is that many entries from
# the end; anything further left was written by the client and is not trusted.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
# Lockouts key on the same client address as the audit records.
AXES_CLIENT_IP_CALLABLE = "kartusehat.net.client_ip"

# --- Language and time --------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Scans of KK, e-KTP and hospital letters: personal data, never under a
# public URL. Only views that check permission (and log the access) read them.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # Owner and group only (the app's own user and, say, a backup agent
        # in its group); no other account on the host reads a scan.
        "OPTIONS": {
            "location": str(PRIVATE_MEDIA_ROOT), "base_url": None,
            "file_permissions_mode": 0o640, "directory_permissions_mode": 0o750,
        },
    },
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

WHITENOISE_USE_FINDERS = DEBUG

# Reverting a row from its history would skip the services (status history,
# pending flags, constraints): history is for reading only.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Largest accepted upload (KK / e-KTP scan, hospital letter), in bytes.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
# Requests a little over the limit must reach our own check (a clear message),
# not Django's generic refusal; anything far beyond is refused outright.
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * UPLOAD_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Scans are deleted this many days after the registration is decided; the
# decision and the roster do not need them any more.
SCAN_RETENTION_DAYS = env.int("SCAN_RETENTION_DAYS", default=90)
# Hospital letters (surat keterangan) are deleted this many days after the
# emergency request; the request itself stays on record.
LETTER_RETENTION_DAYS = env.int("LETTER_RETENTION_DAYS", default=365)
# Registrations that never reached the roster are deleted whole (members,
# status history, scans, change history): a rejected one this many days after
# the rejection (time to read the reason, complain and apply again), a pending
# one nobody decided this many days after it was sent (registrations.services
# .registrations_purge, daily). The consent statement promises both.
REJECTED_RETENTION_DAYS = env.int("REJECTED_RETENTION_DAYS", default=365)
ABANDONED_RETENTION_DAYS = env.int("ABANDONED_RETENTION_DAYS", default=180)
for _name, _days in (("REJECTED_RETENTION_DAYS", REJECTED_RETENTION_DAYS),
                     ("ABANDONED_RETENTION_DAYS", ABANDONED_RETENTION_DAYS)):
    # Shorter than a month would delete applications a kelurahan is still
    # working on (or the reason before the applicant read it); longer than
    # ten years is no retention period at all.
    _require(30 <= _days <= 3650, f"{_name} must be a number of days from 30 to 3650, not {_days}.")

# Whether a registration entered at the kelurahan desk must be verified by
# another staff member than the one who typed it in (registrations.services
# .registration_verify). Off by default: many kelurahan offices have one clerk.
REQUIRE_SECOND_VERIFIER = env.bool("REQUIRE_SECOND_VERIFIER", default=False)

# Blank cards held back for emergency cards while regular printing goes on
# (the starting value; the print office changes it in the admin).
BLANKO_EMERGENCY_RESERVE = env.int("BLANKO_EMERGENCY_RESERVE", default=500)

# Print batches heal themselves (cards.services.batches): a worker holds its
# batch for a lease it renews every 50 cards; once a lease has run out the
# sweeper gives the cards back and the batch is claimed again, at most
# PRINT_BATCH_MAX_ATTEMPTS times. A lease is minutes, a batch seconds.
PRINT_BATCH_LEASE_SECONDS = env.int("PRINT_BATCH_LEASE_SECONDS", default=120)
PRINT_BATCH_MAX_ATTEMPTS = env.int("PRINT_BATCH_MAX_ATTEMPTS", default=3)
_require(PRINT_BATCH_LEASE_SECONDS >= 1, "PRINT_BATCH_LEASE_SECONDS must be 1 or more.")
_require(PRINT_BATCH_MAX_ATTEMPTS >= 1, "PRINT_BATCH_MAX_ATTEMPTS must be 1 or more.")

# Household imports (registrations.imports): a worker holds an import under a
# lease it renews after every chunk of households (a chunk takes well under a
# second); the sweeper sends an import whose lease ran out again, this many times.
IMPORT_LEASE_SECONDS = env.int("IMPORT_LEASE_SECONDS", default=120)
IMPORT_MAX_ATTEMPTS = env.int("IMPORT_MAX_ATTEMPTS", default=3)
_require(IMPORT_LEASE_SECONDS >= 1, "IMPORT_LEASE_SECONDS must be 1 or more.")
_require(IMPORT_MAX_ATTEMPTS >= 1, "IMPORT_MAX_ATTEMPTS must be 1 or more.")

# Distribution: how long a card waits at the kelurahan by default (a dispatch
# may set its own deadline), and how households are told it is ready.
PICKUP_DAYS = env.int("PICKUP_DAYS", default=60)
_require(PICKUP_DAYS >= 1, "PICKUP_DAYS must be 1 or more.")
# The mayor's monthly report (figures.reports): who gets its PDF by email; empty = kept, not sent.
MONTHLY_REPORT_RECIPIENTS = env.str("MONTHLY_REPORT_RECIPIENTS", default="")
NOTIFICATION_BACKEND = env.str("NOTIFICATION_BACKEND", default="kartusehat.notifications.LogBackend")
NOTIFICATION_GATEWAY_URL = env.str("NOTIFICATION_GATEWAY_URL", default="")
NOTIFICATION_GATEWAY_TOKEN = env.str("NOTIFICATION_GATEWAY_TOKEN", default="")
_require(
    NOTIFICATION_BACKEND != "kartusehat.notifications.HttpGatewayBackend"
    or NOTIFICATION_GATEWAY_URL.startswith(("http://", "https://")),
    "NOTIFICATION_GATEWAY_URL (http:// or https://) must be set for the HTTP gateway backend.",
)

# --- Cache and rate limits ----------------------------------------------------
# Rate-limit counters live here: production points CACHE_URL at Redis so every
# worker on every machine counts together.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://kartusehat")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "kartusehat.cache.RedisCache"  # one Redis client per pool, not per call
KARTUSEHAT_RATES = {
    # Failed status lookups; successful ones are never limited (many citizens
    # share one address behind their carrier's NAT).
    "status_failures_per_address": env.str("RATE_STATUS_FAILURES_PER_ADDRESS", default="30/hour"),
    "status_failures_per_reference": env.str("RATE_STATUS_FAILURES_PER_REFERENCE", default="10/hour"),
    "complaints_per_address": env.str("RATE_COMPLAINTS_PER_ADDRESS", default="10/hour"),
    # Registrations from the public (registrations/limits.py): accepted ones
    # per address, so nobody claims NIKs in bulk; a refusal by the rules
    # costs nothing. "Already registered" answers tell about someone else:
    # few per address, and per network (/24 IPv4, /48 IPv6).
    "registrations_per_address": env.str("RATE_REGISTRATIONS_PER_ADDRESS", default="20/hour"),
    "taken_answers_per_address": env.str("RATE_TAKEN_ANSWERS_PER_ADDRESS", default="5/hour"),
    "taken_answers_per_network": env.str("RATE_TAKEN_ANSWERS_PER_NETWORK", default="30/hour"),
    # Coverage checks by hospitals: a busy desk sees a patient a minute; a
    # hospital system checking its whole ward at once gets more, per key.
    "verify_per_user": env.str("RATE_VERIFY_PER_USER", default="300/hour"),
    "verify_per_token": env.str("RATE_VERIFY_PER_TOKEN", default="1200/hour"),
    "emergency_requests_per_user": env.str("RATE_EMERGENCY_REQUESTS_PER_USER", default="60/hour"),
    "emergency_requests_per_token": env.str("RATE_EMERGENCY_REQUESTS_PER_TOKEN", default="200/hour"),
    # Wrong staff passwords per account from devices it never signed in
    # from, whatever their address: a pause, then a longer one; and per
    # known device (kartusehat/signin.py).
    "signin_failures_per_account": env.str("RATE_SIGNIN_FAILURES_PER_ACCOUNT", default="5/15min"),
    "signin_failures_per_account_daily": env.str("RATE_SIGNIN_FAILURES_PER_ACCOUNT_DAILY", default="20/day"),
    "signin_failures_per_device": env.str("RATE_SIGNIN_FAILURES_PER_DEVICE", default="10/hour"),
}

# --- Celery -------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
# No broker configured: the embedded default runs tasks in-process.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The queue tasks go to (and workers read) unless told otherwise: another one
# when several portals share a Redis, or a test keeps its workers apart.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# A message a worker took but never acknowledged (it died) goes back to the
# queue after this long. Longer than any task takes (a 10,000-card batch
# renders in under a minute), or a slow task would be delivered twice; print
# batches do not wait for it: their leases and the sweeper recover them.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=15 * 60)}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_BEAT_SCHEDULE = {
    "purge-scans": {"task": "registrations.tasks.purge_scans", "schedule": crontab(hour=2, minute=15)},
    "purge-letters": {"task": "hospitals.tasks.purge_letters", "schedule": crontab(hour=2, minute=30)},
    "purge-registrations": {"task": "registrations.tasks.purge_registrations", "schedule": crontab(hour=2, minute=45)},
    # Private files whose row never committed (a killed request or worker).
    "purge-orphan-files": {"task": "kartusehat.orphan_files_purge", "schedule": crontab(minute=40)},
    # Cards uncollected past their deadline, counted per kelurahan, for its staff.
    "pickup-overdue": {"task": "cards.tasks.pickup_overdue", "schedule": crontab(hour=6, minute=0)},
    # Household messages still owed (never handed to a worker, or failed).
    "notifications-retry": {"task": "cards.tasks.notifications_retry", "schedule": 10 * 60},
    # Print batches whose worker died or lost the database: their cards back
    # to the queue, the batch claimed again (cards.services.batches).
    "print-batch-sweep": {"task": "cards.tasks.batch_sweep", "schedule": env.int("PRINT_BATCH_SWEEP_SECONDS",
                                                                                 default=60)},
    # Household imports whose worker died: sent again (registrations.imports).
    "household-import-sweep": {"task": "registrations.tasks.household_import_sweep",
                               "schedule": env.int("IMPORT_SWEEP_SECONDS", default=60)},
    # Import files and reports past the scans' retention period.
    "purge-imports": {"task": "registrations.tasks.purge_imports", "schedule": crontab(hour=2, minute=50)},
    # The figures of the stats API, counted again (at most FIGURES_RECOMPUTE_SECONDS old; the contract allows 300).
    "figures-recompute": {"task": "figures.tasks.figures_recompute",
                          "schedule": env.int("FIGURES_RECOMPUTE_SECONDS", default=120)},
    # The mayor's monthly report of the month that just ended, made (and emailed) on the 1st.
    "monthly-report": {"task": "figures.tasks.monthly_report_previous_month",
                       "schedule": crontab(day_of_month=1, hour=6, minute=30)},
    # Start a print batch while cards wait and blanko allows (nothing when not).
    "print-batch": {
        "task": "cards.tasks.batch_schedule",
        "schedule": env.int("PRINT_BATCH_EVERY_MINUTES", default=60) * 60,
        "kwargs": {"size": env.int("PRINT_BATCH_SIZE", default=500)},
    },
}

# --- API ----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "kartusehat.api.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "kartusehat.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kartu Sehat API",
    "DESCRIPTION": "Public API of the Kartu Sehat portal (contract v1).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Served from our static files: the portal makes no outside request.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "kartusehat.api.document_unavailable",
    ],
    "ENUM_NAME_OVERRIDES": {
        "RegistrationStatusEnum": "registrations.models.Registration.Status",
        "CardStatusEnum": "cards.selectors.CARD_STATUSES",
        "BatchStatusEnum": "cards.models.Batch.Status",
        "EmergencyReasonEnum": "cards.models.Card.Reason",
        "CardPriorityEnum": "cards.models.Card.Priority",
        "VerifyReasonCodeEnum": "hospitals.api.REASON_CODES",
        "FacilityTypeEnum": "hospitals.selectors.FACILITY_TYPES",
        "CardEventEnum": "cards.selectors.CITIZEN_EVENT_KINDS",
    },
}

# The starting roster's demo agreements (hospitals/data/roster) make the
# portal usable at once on a developer's machine; in production nothing is
# published or opened to a hospital until the health office confirms it.
HOSPITALS_DEMO_AGREEMENTS_IN_FORCE = env.bool("HOSPITALS_DEMO_AGREEMENTS_IN_FORCE", default=not PRODUCTION)

# --- Roster import/export (django-import-export) -------------------------------
# Off on purpose: the library's escaping deletes a leading "=" (the cell's text
# is lost) and leaves +, - and @ alone. The roster's resources escape every
# formula-like cell behind an apostrophe instead, through the public
# Resource.export_field hook, and the import restores it
# (hospitals.resources.EscapedResource, kartusehat.spreadsheets).
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True

# --- Logging ------------------------------------------------------------------
# Personal data stays out of logs (UU No. 27/2022): every handler formats
# through a masking formatter (kartusehat/logging.py), including Django's
# dev-server request log and, with root-logger hijacking off, Celery's.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "masked": {
            "()": "kartusehat.logging.MaskingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "masked_server": {
            "()": "kartusehat.logging.MaskingServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "masked"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "masked_server"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own default config logs these to unmasked handlers; ours replace them.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Email --------------------------------------------------------------------
# EMAIL_URL like smtp+tls://user:password@smtp.example.go.id:587 ; the
# embedded default prints mail to the console.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
# A mail server that stops answering must not hold a worker for ever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=15)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="kartusehat@localhost")
