"""Settings for the event flow designer.

One code base, two modes, chosen by environment variables only:
- embedded default (no variables): SQLite file, in-memory channel layer, background work run
  in-process (Celery eager);
- production: DATABASE_URL (PostgreSQL), REDIS_URL (channels-redis + Celery broker),
  SECRET_KEY, ALLOWED_HOSTS, DEBUG=0.
A malformed variable stops start-up with ImproperlyConfigured naming it.
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use 1/0, true/false, yes/no or on/off.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None
    if value < 0:
        raise ImproperlyConfigured(f"{name}={raw!r} must not be negative.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_env() -> dict[str, object]:
    raw = os.environ.get("DATABASE_URL", "").strip()
    if not raw:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("DESIGNER_SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # SQLite serialises writers; wait for the lock instead of failing at once.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    import dj_database_url

    parsed = urlparse(raw)
    if parsed.scheme not in ("postgres", "postgresql", "pgsql", "sqlite"):
        raise ImproperlyConfigured(
            f"DATABASE_URL={raw!r} is not supported: use postgres://user@host:5432/name or sqlite:///path."
        )
    try:
        config = dj_database_url.parse(raw, conn_max_age=60)
    except Exception as exc:  # dj-database-url raises several types
        raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from None
    if not config.get("NAME"):
        raise ImproperlyConfigured(f"DATABASE_URL={raw!r} names no database.")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    else:
        # An unreachable server costs a request 3 s and a 503 naming it (designer/outage.py),
        # not the operating system's two-minute connect timeout.
        config.setdefault("OPTIONS", {})["connect_timeout"] = 3
    return config


def redis_url_from_env() -> str:
    raw = os.environ.get("REDIS_URL", "").strip()
    if raw and urlparse(raw).scheme not in ("redis", "rediss", "unix"):
        raise ImproperlyConfigured(f"REDIS_URL={raw!r} is not a redis:// URL.")
    return raw


# Never on by default: even the embedded default shows friendly error pages, not tracebacks.
DEBUG = env_bool("DEBUG", default=False)
PRODUCTION = bool(os.environ.get("DATABASE_URL") or os.environ.get("REDIS_URL"))

# Django's deployment check (security.W009) wants at least 50 characters; so do we, in every mode.
MIN_SECRET_KEY_LENGTH = 50
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production mode (a long random string).")
    # Embedded default: a random key made on first start and kept beside the database.
    _key_file = Path(os.environ.get("DESIGNER_SECRET_FILE", str(BASE_DIR / ".secret_key")))
    try:
        SECRET_KEY = _key_file.read_text().strip()
    except FileNotFoundError:
        import secrets as _secrets

        SECRET_KEY = _secrets.token_urlsafe(50)
        try:
            _key_file.write_text(SECRET_KEY)
            _key_file.chmod(0o600)
        except OSError:  # read-only checkout: a per-process key still works for one process
            pass
elif len(SECRET_KEY) < MIN_SECRET_KEY_LENGTH:
    raise ImproperlyConfigured(
        f"SECRET_KEY is too short ({len(SECRET_KEY)} characters): use at least {MIN_SECRET_KEY_LENGTH} random "
        "characters, e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "channels",
    "axes",
    "designer.catalog",
    "designer.lintreview",
    "designer.diagrams",
    "designer.codeweb",
    "designer.traffic",
    "designer.proposals",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "designer.outage.OutageMiddleware",  # Redis or the database unreachable: 503 with the reason
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "designer.middleware.OutOfRangeIdsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a locked-out login attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "designer.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "designer.catalog.context.teams",
            ],
        },
    }
]
ASGI_APPLICATION = "designer.asgi.application"
WSGI_APPLICATION = None

DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = redis_url_from_env()
# Every Redis client (cache, channel layer, Celery broker, live pipeline, taps' publishing)
# gives up after this long: an unreachable Redis costs a request 2 s and a plain 503
# (designer/outage.py), never a page hanging for the OS's TCP timeout.
REDIS_TIMEOUT_SECONDS = 2.0
REDIS_CLIENT_OPTIONS = {"socket_connect_timeout": REDIS_TIMEOUT_SECONDS, "socket_timeout": REDIS_TIMEOUT_SECONDS}
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            # Pub/sub crosses Redis database numbers: a distinct prefix keeps two deployments (or
            # two test runs) sharing one Redis from hearing each other's groups.
            "CONFIG": {"hosts": [{"address": REDIS_URL, **REDIS_CLIENT_OPTIONS}],
                       "prefix": os.environ.get("CHANNEL_LAYER_PREFIX", "asgi")},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Celery: eager (in-process) on the embedded default, a real broker in production.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL or "cache+memory://")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not (REDIS_URL or os.environ.get("CELERY_BROKER_URL")))
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_TIME_LIMIT = 300  # no task may hold a worker for more than five minutes
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_ACKS_LATE = True  # tasks are idempotent; a crashed worker's task is re-run
# Tasks write their outcome to the database; nobody waits on a result. Ignoring results also
# keeps ``.delay()`` from subscribing to the result store, whose reconnect loop held a request
# for 19 s when Redis was down (a test that waits passes ``ignore_result=False``).
CELERY_TASK_IGNORE_RESULT = True
# Enqueueing fails within about 2 s when the broker is unreachable (one quick retry), and the
# request answers 503 (designer/outage.py) instead of waiting through kombu's default retries.
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT_SECONDS
CELERY_BROKER_TRANSPORT_OPTIONS = {**REDIS_CLIENT_OPTIONS, "max_retries": 1}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_TIMEOUT_SECONDS
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_TIMEOUT_SECONDS
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 1, "interval_start": 0,
                                                            "interval_step": 0.2, "interval_max": 0.2}}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": dict(REDIS_CLIENT_OPTIONS)}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2id at OWASP's baseline first (designer/passwords.py says why); the rest only verify
# older hashes, which Django re-hashes with the first at the next login. (Django's own Argon2
# hasher must not be listed too: it shares the "argon2" name and would shadow ours.)
PASSWORD_HASHERS = [
    "designer.passwords.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one username, or
# from one address, further attempts for it are refused for LOGIN_LOCKOUT_MINUTES (each new try
# during the lockout starts it again), even with the right password. Sessions already logged in
# are not touched, and other people (other usernames from other addresses) log in as usual.
# The address is the ASGI client's: behind a proxy, run uvicorn with --forwarded-allow-ips set
# to the proxy's address so that it is the visitor's, not the proxy's.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out attempts before any hashing
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = max(1, env_int("LOGIN_LOCKOUT_MINUTES", 15)) / 60  # hours (0 would lock for ever)
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]  # either one alone locks
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "designer.catalog.views.accounts.locked_out"  # the page, with a clear message
AXES_VERBOSE = False
# Sign-up throttling (django-ratelimit over the cache: Redis in production mode, this process's
# memory on the embedded default): accounts created from one address per hour.
SIGNUP_RATE = os.environ.get("SIGNUP_RATE", "10/h")
RATELIMIT_ENABLE = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads: design files and AsyncAPI documents are refused above this size.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DESIGNER_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
DESIGNER_MAX_MODEL_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE

# Live traffic limits (issue: traffic).
TRAFFIC_MAX_BODY_BYTES = env_int("TRAFFIC_MAX_BODY_BYTES", 1024 * 1024)
TRAFFIC_MAX_BATCH = env_int("TRAFFIC_MAX_BATCH", 1000)
TRAFFIC_RATE_LIMIT_PER_SECOND = env_int("TRAFFIC_RATE_LIMIT_PER_SECOND", 50000)
TRAFFIC_RETENTION_MINUTES = env_int("TRAFFIC_RETENTION_MINUTES", 24 * 60)

# Content-Security-Policy (django-csp): scripts only from our own static files, so an injected
# <script> or on*= attribute never runs. Styles allow inline (templates and graphviz SVG use
# style attributes; a style cannot run code). Websockets are same-origin ('self' covers ws/wss).
from csp.constants import NONE, SELF, UNSAFE_INLINE  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads nothing from it; the token is sent via hx-headers
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
WHITENOISE_USE_FINDERS = not PRODUCTION  # embedded default: serve static/ directly, no collectstatic
if PRODUCTION and not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # X-Forwarded-Proto is believed only when a TLS-terminating proxy is said to set it (and to
    # strip it from clients); otherwise any client could claim its plain-HTTP request was HTTPS.
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # An outage is logged as one line now and then, not a traceback a second (designer/outage.py).
    "filters": {"quiet_outages": {"()": "designer.outage.QuietOutageLogs"},
                "client_errors": {"()": "designer.logfilters.ClientErrorsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["quiet_outages"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # A 403/404 is logged on one line, without the exception's traceback (see logfilters).
    "loggers": {"django.request": {"filters": ["client_errors"]}},
}
CSRF_FAILURE_VIEW = 'designer.catalog.views.csrf_failure'

# Periodic jobs (celery beat): relay any change record left unpublished (the outbox relay's
# safety net; normal writes publish right after commit).
CELERY_BEAT_SCHEDULE = {
    "relay-changes": {"task": "catalog.relay_changes", "schedule": 30.0},
}
