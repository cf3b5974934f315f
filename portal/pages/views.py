from flask import Blueprint, render_template

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
