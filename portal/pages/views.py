from datetime import UTC, datetime, timedelta

from flask import Blueprint, current_app, render_template, url_for

from portal.data.health import DatabaseUnavailable, database_answers

bp = Blueprint("pages", __name__, template_folder="templates")


@bp.route("/")
def start():
    return render_template("pages/start.html")


@bp.route("/accessibility")
def accessibility():
    return render_template("pages/accessibility.html")


@bp.route("/privacy")
def privacy():
    return render_template("pages/privacy.html")


@bp.route("/cookies")
def cookies():
    return render_template("pages/cookies.html")


@bp.route("/health")
def health():
    """For load balancers and `make run`: answers 200 only when the database does."""
    try:
        database_answers()
    except DatabaseUnavailable:
        return {"status": "database unavailable"}, 503
    return {"status": "ok"}


@bp.route("/.well-known/security.txt")
def security_txt():
    """How to report a security problem (RFC 9116), for researchers and their tools, so not translated."""
    config = current_app.config
    # Worked out afresh each time, so the file never goes stale; RFC 9116 2.5.5 advises less than a year ahead.
    expires = datetime.now(UTC).replace(microsecond=0) + timedelta(days=364)
    fields = [
        ("Contact", config["SECURITY_CONTACT"]),
        ("Expires", expires.isoformat().replace("+00:00", "Z")),
        ("Preferred-Languages", "en"),
    ]
    if config["PUBLIC_URL"].startswith("https://"):  # RFC 9116: web addresses in it must be https
        fields.append(("Canonical", config["PUBLIC_URL"].rstrip("/") + url_for("pages.security_txt")))
    if config["SECURITY_POLICY_URL"]:
        fields.append(("Policy", config["SECURITY_POLICY_URL"]))
    return "".join(f"{name}: {value}\n" for name, value in fields), {"Content-Type": "text/plain; charset=utf-8"}
