"""Configuration from the environment. Defaults are safe for production and fine to publish."""

import functools
import os
import secrets
import tempfile
from pathlib import Path

INSTANCE_DIR = Path(os.environ.get("PORTAL_INSTANCE_DIR", Path(__file__).resolve().parent.parent / "instance"))


class ConfigError(RuntimeError):
    """The portal refuses to start: the message says which setting is wrong."""


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


class Config:
    ENV_NAME = "production"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'portal.sqlite3'}")
    RASA_URL = os.environ.get("RASA_URL", "http://127.0.0.1:5005")
    CONTENT_DIR = os.environ.get("CONTENT_DIR", str(Path(__file__).resolve().parent.parent / "content"))
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    COUNCIL_NAME = os.environ.get("COUNCIL_NAME", "Anytown Council")
    FEEDBACK_URL = os.environ.get("FEEDBACK_URL", "mailto:feedback@example.org")
    # Links in emails are built from this, never from the request's Host header (reset-link poisoning).
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "")
    COUNCIL_PHONE = os.environ.get("COUNCIL_PHONE", "0300 123 4567")
    COUNCIL_EMAIL = os.environ.get("COUNCIL_EMAIL", "adult.social.care@example.org")
    # Where security researchers report problems, published at /.well-known/security.txt (RFC 9116).
    SECURITY_CONTACT = os.environ.get("SECURITY_CONTACT") or f"mailto:{COUNCIL_EMAIL}"
    SECURITY_POLICY_URL = os.environ.get("SECURITY_POLICY_URL", "")
    # The adult safeguarding line: the assistant gives it at once to anyone who may be in danger.
    SAFEGUARDING_PHONE = os.environ.get("SAFEGUARDING_PHONE", "0300 123 4568")
    # The assistant must answer within 3 seconds, or the chat says so and offers the Jargon buster instead.
    ASSISTANT_TIMEOUT_SECONDS = float(os.environ.get("ASSISTANT_TIMEOUT_SECONDS", "2.5"))
    CHAT_RETENTION_DAYS = int(os.environ.get("CHAT_RETENTION_DAYS", "30"))
    CHAT_RATE_LIMIT = os.environ.get("CHAT_RATE_LIMIT", "30 per minute")
    DEMO_DATA = _flag("DEMO_DATA")
    DEV_TOOLS = False
    # Receipts are kept here, outside the web root, under random names; back this folder up with the database.
    RECEIPTS_DIR = os.environ.get("RECEIPTS_DIR", str(INSTANCE_DIR / "receipts"))
    # The largest request at all (a 10MB receipt and the form around it): anything bigger is refused unread.
    MAX_CONTENT_LENGTH = 11 * 1024 * 1024

    # Mail: with no MAIL_SERVER, messages wait in the outbox table (and the development outbox page).
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_FROM = os.environ.get("MAIL_FROM", "no-reply@example.org")

    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "cc_session"
    # Idle timeout; the warning shows this long before (WCAG 2.2.1: warn, and let people ask for more time).
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    SESSION_WARNING_MINUTES = int(os.environ.get("SESSION_WARNING_MINUTES", "5"))
    PASSWORD_RESET_MINUTES = 60
    SIGN_IN_RATE_LIMIT = os.environ.get("SIGN_IN_RATE_LIMIT", "5 per minute;20 per hour")

    LANGUAGES = ("en", "pl", "ur")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Europe/London"
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session, so a slow form is never lost to it
    HSTS = True
    # Proxies in front that set X-Forwarded-Proto (TLS ends there): with none, HSTS could never be sent.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "1"))
    JINJA_STRICT = False

    def check(self) -> None:
        if not self.SECRET_KEY:
            raise ConfigError("SECRET_KEY is not set. Production will not start without it.")
        if self.DEMO_DATA:
            raise ConfigError("DEMO_DATA is on. Demo accounts are for development only; unset DEMO_DATA.")
        if not self.PUBLIC_URL.startswith("https://"):
            raise ConfigError("PUBLIC_URL must be the service's https:// address; email links are built from it.")


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SESSION_COOKIE_SECURE = False  # served over plain http on 127.0.0.1
    DEV_TOOLS = True
    DEMO_DATA = _flag("DEMO_DATA", default=True)
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")
    HSTS = False

    def __init__(self) -> None:
        if not self.SECRET_KEY:
            self.SECRET_KEY = _instance_secret()

    def check(self) -> None:
        return None


class TestConfig(DevelopmentConfig):
    __test__ = False  # a config, not a pytest test class

    ENV_NAME = "test"
    TESTING = True
    DEMO_DATA = False
    JINJA_STRICT = True
    SECRET_KEY = os.environ.get("SECRET_KEY") or secrets.token_hex(32)
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://localhost")
    # A loud, invalid address: a test that reaches the assistant without meaning to fails at once.
    RASA_URL = "http://rasa.invalid:1"
    RATELIMIT_STORAGE_URI = "memory://"

    def __init__(self) -> None:
        super().__init__()
        # Tests never write receipts into instance/: one scratch folder per test process, unless one is given.
        self.RECEIPTS_DIR = os.environ.get("RECEIPTS_DIR") or _scratch_folder()
        # Only the tests that start a real assistant say where it is; every other test gets the loud address.
        self.RASA_URL = os.environ.get("TEST_RASA_URL", self.RASA_URL)


@functools.cache
def _scratch_folder() -> str:
    return tempfile.mkdtemp(prefix="cc-receipts-")


def _instance_secret() -> str:
    """Generate the development secret once and keep it in instance/, which git ignores."""
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def config_from_environment() -> Config:
    name = os.environ.get("PORTAL_ENV", "production")
    configs: dict[str, type[Config]] = {
        "production": Config,
        "development": DevelopmentConfig,
        "test": TestConfig,
    }
    if name not in configs:
        raise ConfigError(f"PORTAL_ENV must be one of {', '.join(configs)}, not {name!r}.")
    return configs[name]()
