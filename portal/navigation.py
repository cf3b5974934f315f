"""Where to send people next: their home page, or back to the page they asked for."""

from urllib.parse import urlsplit

from flask import url_for

from portal.policy import home_endpoint


def safe_next(target: str | None) -> str | None:
    """Only ever return to a page on this site (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def home_url(user) -> str:
    return url_for(home_endpoint(user.role))
