"""Settings for Digikierrättämö, read from the environment.

Development needs nothing set: SQLite in the project folder, DEBUG on.
Production is switched on with DJANGO_ENV=production and then requires a real
SECRET_KEY and ALLOWED_HOSTS; `manage.py check --deploy` is clean in that mode.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

PRODUCTION = env.str("DJANGO_ENV", default="development") == "production"

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
    DEBUG = env.bool("DEBUG", default=False)
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
    DEBUG = env.bool("DEBUG", default=True)
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "kierratys",
    "devices",
    "accounts",
    "clients",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kierratys.middleware.FinnishFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kierratys.middleware.NeverCacheForUsersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After OTPMiddleware (request.user.is_verified) and messages: sends a user who still
    # owes the second factor to the code page or to enrolment (accounts/two_factor.py).
    "accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: axes must see the authenticated request to count failed logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kierratys.urls"
WSGI_APPLICATION = "kierratys.wsgi.application"

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
                "kierratys.roles.role_context",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # select_for_update() is a no-op on SQLite: IMMEDIATE transactions take the
    # write lock at BEGIN, so two writers queue instead of racing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    # The pages run short queries; PostgreSQL's JIT compiler costs more (tens of
    # ms per query on the dashboard's aggregates) than it ever saves here.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    # Parameters sent apart from the SQL, and a statement a connection has run five times
    # prepared (Django turns psycopg's preparing off unless asked): PostgreSQL then stops
    # planning it again, and the device page's joins took 0.7 ms each to plan, more than to
    # run (bench/: "device page"). Behind a pooler in transaction mode (PgBouncer), set
    # DATABASE_PREPARE_THRESHOLD to an empty value: prepared statements are per connection.
    DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", True)
    _prepare_threshold = env.str("DATABASE_PREPARE_THRESHOLD", default="5")
    DATABASES["default"]["OPTIONS"].setdefault(
        "prepare_threshold", int(_prepare_threshold) if _prepare_threshold else None
    )

# The cache holds counters that must be the same on every server (the public verification
# page's throttle): a table in the shared database (kierratys migration 0005 creates it),
# so several servers behind a proxy count together without another service to run.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kierratys_cache",
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Two-factor login (accounts/two_factor.py): coordinators and coaches see clients'
# personal data, so with REQUIRE_2FA they must enrol a TOTP app and give its code at
# every login. On by default in production; off in development so that `make run`'s
# demo users log in with a password only. Technicians and donors may enrol themselves.
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=PRODUCTION)
OTP_TOTP_ISSUER = "Digikierrättämö"

# Second-person validation of erasures (NIST SP 800-88 Rev. 1 Appendix G "validation"):
# when on, an erasure counts only after a technician other than the one who did it has
# validated it, and the certificate names the validator. Off by default: a small
# programme often has one technician on a given day.
ERASURE_VALIDATION_REQUIRED = env.bool("ERASURE_VALIDATION_REQUIRED", default=False)

# Invitations and forgotten passwords go out by e-mail. The links are valid for three days
# (Django's default, stated here because the invitation mail says so).
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60
# EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.fi:587 (README "Users and e-mail").
# Without it development prints mails on the console, and production sends none:
# MAIL_CONFIGURED is then False and the pages say that no mail can be sent instead of
# claiming that one was.
EMAIL_URL = env.str("EMAIL_URL", default="")
vars().update(
    env.email_url_config(EMAIL_URL or ("dummymail://" if PRODUCTION else "consolemail://"))
)
MAIL_CONFIGURED = bool(EMAIL_URL) or not PRODUCTION
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Digikierrättämö <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address the invitation mail's link starts with (a service has no request to read it
# from); in production by default the first of ALLOWED_HOSTS over HTTPS.
_FIRST_HOST = next(iter(ALLOWED_HOSTS), "localhost").lstrip(".")
SITE_URL = env.str(
    "SITE_URL", default=f"https://{_FIRST_HOST}" if PRODUCTION else "http://127.0.0.1:8000"
).rstrip("/")

# Login throttling: five failures lock the username+address pair for 15 minutes,
# and LOGIN_FAILURE_LIMIT_PER_ADDRESS failures across usernames lock the address
# (a password spray); see kierratys/login_throttle.py for why a handler does it.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env.int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", default=15)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HANDLER = "kierratys.login_throttle.AddressLimitedHandler"
# Behind the reverse proxy, which overwrites X-Real-IP with the client's address
# (README "Production"), failures count per client instead of against the proxy.
# django-ipware is not installed, so axes' AXES_IPWARE_* settings would do nothing.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
AXES_CLIENT_IP_CALLABLE = "kierratys.login_throttle.client_ip_address"

# Personal data on shared office computers: a session ends after 30 minutes
# without activity (the expiry is renewed on every request).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "fi"
# Each language by its own name in every language (a Swedish speaker looks for "svenska",
# not "ruotsi"): the language switcher, a client's and a donor's language, the funder report.
LANGUAGES = [("fi", "suomi"), ("sv", "svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["kierratys.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (the wipe tools' original reports): the filesystem under MEDIA_ROOT, or
# S3-compatible object storage shared by several application servers when a bucket is set
# (django-storages reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the environment).
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            # Evidence is private: no public ACL, downloads go through the staff view.
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# No inline scripts or styles anywhere: every page's script and CSS is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Retention of closed clients' personal data (see clients.retention).
CLIENT_RETENTION_MONTHS = env.int("CLIENT_RETENTION_MONTHS", default=24)
# A served client (a gift handed over) is closed this long after the gift; the retention
# period above then starts. A coach may close the record earlier.
SERVED_CLIENT_CLOSE_MONTHS = env.int("SERVED_CLIENT_CLOSE_MONTHS", default=6)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {
        # WeasyPrint warns about every CSS property it ignores; keep errors only.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}
